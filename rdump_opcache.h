/*
 * rdump_opcache: which parts of opcache's shared memory it can have
 * written, read from the header its allocator keeps at the start of the
 * memory.
 *
 * Without CAP_SYS_ADMIN/CAP_CHECKPOINT_RESTORE (an FPM worker) mincore is
 * the only way to tell which pages of shared memory other processes wrote,
 * and it looks up every page however little of the SHM holds data, the
 * largest fixed cost of a worker's dump. opcache hands
 * out its SHM from the bottom up (a bump allocator: a segment's `pos`) and
 * reserves the JIT buffer at the top of its last segment (`end` to `size`,
 * PHP 8). Nothing lies between: pages there that are in memory hold what
 * opcache allocated before a restart, which nothing refers to any more. So
 * for that memory mincore need look only at those two ranges.
 *
 * The header: opcache's first allocation, at its first segment's start,
 * is its allocator's globals, whose first fields are a pointer to the
 * segment table (allocated right after it) and the segment count; the
 * table's first entry points to that segment's descriptor {size, end, pos,
 * p} ({size, pos, p} in PHP 7), whose p is the segment's start. Every
 * pointer must land in the first page, p must be the mapping's start, and
 * pos <= end <= size: other shared memory (APCu, memfd, SysV, /dev/shm)
 * fails these checks and is looked at whole. Only the first page is read,
 * only if mincore says it is in memory (a hole is never filled), and with
 * process_vm_readv or through /proc/self/mem (if another thread unmaps it
 * meanwhile the read fails instead of faulting). Only the first segment
 * is known: with the "shm" memory model and a small shmmax opcache may
 * have more, which are looked at whole.
 *
 * Nothing here allocates or locks: safe on the memory_limit path and in a
 * snapshot child.
 */
#ifndef RDUMP_OPCACHE_H
#define RDUMP_OPCACHE_H

#include <stdint.h>

#include "rdump_maps.h"

/* An address range [start, end). */
typedef struct {
	uint64_t start, end;
} rdump_range;

/* opcache's first segment, once found: [start, start + pos) allocated,
 * [start + end, start + size) reserved for the JIT (empty without it). */
typedef struct {
	uint64_t start;             /* 0: not found (yet) */
	uint64_t pos, end, size;
	int tries;                  /* mappings probed */
} rdump_opcache;

/* Start with nothing known. */
void rdump_opcache_init(rdump_opcache *o);

/* For shared memory whose pages only mincore can find: if nothing is known
 * yet and the mapping begins with opcache's header, remember the segment.
 * 1 if o now knows a segment, 0 if not. Call for mappings in address
 * order, before rdump_opcache_ranges() for them. */
int rdump_opcache_probe(rdump_opcache *o, const rdump_vma *vma);

/* The parts of [start, end) that may hold data, in address order, into
 * out: their count. All of it (1) unless [start, end) lies inside the
 * known segment; there, only what opcache can have written, page-aligned
 * (0 to 2). */
int rdump_opcache_ranges(const rdump_opcache *o, uint64_t start, uint64_t end, rdump_range out[2]);

#endif /* RDUMP_OPCACHE_H */
