/*
 * rdump_pagemap: which pages of a mapping hold data, from
 * /proc/self/pagemap (and mincore for memory other processes share).
 *
 * Nothing here allocates or locks: buffers are on the stack. Safe on the
 * memory_limit path and in a snapshot child after fork.
 */
#ifndef RDUMP_PAGEMAP_H
#define RDUMP_PAGEMAP_H

#include <stdint.h>

#include "rdump_maps.h"

/* Open /proc/self/pagemap: a descriptor, or -1 with errno set. */
int rdump_pagemap_open(void);

/* Call fn(ctx, start, length) for each maximal run of pages of the
 * mapping that hold data: present or swapped out according to pagemap,
 * and for shared memory also resident in the page cache (mincore), as
 * such pages hold data other processes wrote. With `forked` (a snapshot
 * child, whose fork copied page tables only for anonymous memory) every
 * file-backed mapping is also checked against the page cache. Runs come
 * in address order, disjoint, never adjacent. Pages never touched are
 * skipped without being touched.
 *
 * Where the kernel has the PAGEMAP_SCAN ioctl (Linux 6.7+) it reports the
 * runs itself, at a cost that follows the populated page tables rather
 * than the size of the mapping (a sparse multi-GiB reservation costs
 * nothing); elsewhere, and for mappings that need mincore, pagemap is read
 * 8 bytes per page. Returns 0; -1 with errno if pagemap could not be read
 * (fn may have been called for the runs before); -2 if fn returned
 * non-zero. */
typedef int (*rdump_pagemap_run_fn)(void *ctx, uint64_t start, uint64_t length);
int rdump_pagemap_runs(int pagemap_fd, const rdump_vma *vma, int forked, rdump_pagemap_run_fn fn,
		void *ctx);

#endif /* RDUMP_PAGEMAP_H */
