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
#include "rdump_opcache.h"

/* What a capture step answers: rdump_pagemap_runs, rdump_ahead_capture,
 * rdump_whole_capture. */
typedef enum {
	RDUMP_RUNS_DONE = 0,
	RDUMP_RUNS_READ_FAILED = -1,    /* errno: what the kernel answers could not be read */
	RDUMP_RUNS_WRITE_FAILED = -2,   /* the run callback (the writer) failed */
	RDUMP_RUNS_NOT_MINE = 1         /* nothing done: the caller captures the mapping */
} rdump_runs_rc;

/* Open /proc/self/pagemap: a descriptor, or -1 with errno set. */
int rdump_pagemap_open(void);

/* Call fn(ctx, start, length) for each maximal run of pages of the
 * mapping that hold data: present or swapped out according to pagemap.
 * For shared memory, whose pages other processes may have written: every
 * page its shmem file holds in memory or in swap where this process may
 * open /proc/self/map_files (see rdump_pagemap_seekable), else every page
 * in the page cache (mincore), which misses swapped-out ones unless
 * rdump_pagemap_swap_in brought them back first. With
 * `forked` (a snapshot child, whose fork copied page tables only for
 * anonymous memory) every file-backed mapping is also checked against
 * the page cache. Runs come in address order, disjoint, never adjacent.
 * Pages never touched are skipped without being touched.
 *
 * Where the kernel has the PAGEMAP_SCAN ioctl (Linux 6.7+) it reports the
 * runs itself, at a cost that follows the populated page tables rather
 * than the size of the mapping (a sparse multi-GiB reservation costs
 * nothing); elsewhere, and for mappings that need mincore, pagemap is read
 * 8 bytes per page: for opcache's SHM, known through oc (probed here),
 * only in the parts opcache can have written. RDUMP_RUNS_DONE;
 * RDUMP_RUNS_READ_FAILED with errno if pagemap could not be read (fn may
 * have been called for the runs before); RDUMP_RUNS_WRITE_FAILED if fn
 * returned non-zero. */
typedef int (*rdump_pagemap_run_fn)(void *ctx, uint64_t start, uint64_t length);
int rdump_pagemap_runs(int pagemap_fd, const rdump_vma *vma, int forked, rdump_opcache *oc,
		rdump_pagemap_run_fn fn, void *ctx);

/* Can the runs of this shared-memory mapping be read from its shmem file
 * (/proc/self/map_files, which needs CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE)? 1 or 0. Opens and closes a descriptor; after
 * the first EPERM answers 0 at once. Safe where rdump_pagemap_runs is. */
int rdump_pagemap_seekable(const rdump_vma *vma);

/* Shared memory swapped out, where its shmem file cannot be opened (see
 * rdump_pagemap_seekable): mincore does not see a swapped page, and
 * touching the mapping to find out would fill its holes. MADV_WILLNEED
 * starts reading the mapping's swapped pages (v->swap bytes, from smaps)
 * into the swap cache without touching a hole, and mincore counts each
 * one once its read is done, so rdump_pagemap_runs finds it. The reads are
 * asynchronous: this polls mincore every RDUMP_SWAP_IN_POLL_NS until the
 * count has grown by the swapped pages, or has not grown for
 * RDUMP_SWAP_IN_IDLE polls in a row (some may have been in memory already;
 * five times as many before the first read completes), or for
 * RDUMP_SWAP_IN_WAIT_NS in all. 0, or -1 with errno if madvise
 * failed (nothing was read). Writing a page that is in the swap cache maps
 * it in and frees its swap slot: after the dump wrote the mapping, smaps'
 * Swap: for it is what the dump lacks. Safe where rdump_pagemap_runs is. */
#define RDUMP_SWAP_IN_POLL_NS 2000000L
#define RDUMP_SWAP_IN_IDLE 10
#define RDUMP_SWAP_IN_WAIT_NS 1000000000L
int rdump_pagemap_swap_in(const rdump_vma *v);

#endif /* RDUMP_PAGEMAP_H */
