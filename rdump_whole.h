/*
 * rdump_whole: the Zend structures reli reads as one unit, and capturing
 * a mapping so that each of them lies inside one region.
 *
 * reli serves a read only from one region, so a structure whose pages are
 * partly untouched (the objects store's bucket array, a hash table's
 * data, a VM stack segment) cannot be read from a dump of resident pages
 * alone. Before a resident-only dump lists the mappings, the engine
 * collects the address ranges of what reli reads whole: EG, CG, BG, the
 * objects store's buckets, VM stack segments, the compiler arenas, the
 * map_ptr table, and in the Zend heap every run of allocated pages (per
 * each chunk's own page map) and every huge block. A mapping holding any
 * of them is captured as resident runs grown to hold those ranges whole;
 * pages in them never touched are written as zeros without being read,
 * so the dump does not grow the process's memory.
 *
 * Nothing here calls the Zend allocator or malloc: the table of ranges
 * lives in a mapping of its own, made before the listing and left out of
 * it (rdump_whole_skip), and unmapped by rdump_whole_free. Safe on the
 * memory_limit path and in a snapshot child.
 */
#ifndef RDUMP_WHOLE_H
#define RDUMP_WHOLE_H

#include <stddef.h>
#include <stdint.h>

#include "rdump_error.h"
#include "rdump_maps.h"
#include "rdump_opcache.h"
#include "rdump_writer.h"

/* Where the walk starts, taken on the PHP thread being dumped. */
typedef struct {
	uint64_t eg, cg, bg;        /* the thread's globals */
	uint64_t heap;              /* its zend_mm_heap */
	int zend_mm;                /* 0: the heap is not ZendMM's own (USE_ZEND_ALLOC=0) */
} rdump_whole_roots;

typedef struct {
	uint64_t start, end;
} rdump_whole_range;

typedef struct {
	rdump_whole_range *ranges;  /* sorted, disjoint, not adjacent, page-aligned */
	size_t count;
	size_t map_size;            /* bytes mapped for the table (0: none) */
} rdump_whole;

/* The roots of the calling PHP thread. */
void rdump_whole_roots_here(rdump_whole_roots *r);

/* Empty table (rdump_whole_capture then always answers 1). */
void rdump_whole_init(rdump_whole *w);

/* Walk from the roots and build the table. 0, or -1 with errno when its
 * mapping cannot be made (the table stays empty). */
int rdump_whole_collect(rdump_whole *w, const rdump_whole_roots *r);

/* Where the table's mapping ends if addr lies in it, else addr: the
 * listing leaves it out (see rdump_ahead_skip). */
uint64_t rdump_whole_skip(const rdump_whole *w, uint64_t addr);

/* Capture a mapping with pagemap (see rdump_pagemap_runs for the
 * arguments) when ranges of the table lie in it: its resident runs and
 * those ranges, merged where they overlap or touch, one region each;
 * the untouched pages of a region as zeros. RDUMP_RUNS_NOT_MINE when no
 * range lies in it (nothing written: the caller captures it as usual),
 * RDUMP_RUNS_DONE, RDUMP_RUNS_READ_FAILED with errno if pagemap could not
 * be read, RDUMP_RUNS_WRITE_FAILED with *err set if writing failed. */
int rdump_whole_capture(const rdump_whole *w, int pagemap_fd, const rdump_vma *vma, int forked,
		rdump_opcache *oc, rdump_writer *out, rdump_error *err);

/* Unmap the table. */
void rdump_whole_free(rdump_whole *w);

#endif /* RDUMP_WHOLE_H */
