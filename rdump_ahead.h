/*
 * rdump_ahead: what a dump needs to know about the mappings besides their
 * list (smaps' VmFlags and Swap, shared memory's resident pages), worked
 * out on a helper thread while the caller lists and writes.
 *
 * /proc/self/smaps walks the page tables of every mapping (a large part
 * of a small dump's time), yet a dump needs from it only a few flags per mapping, and only
 * when it comes to capture that mapping. So the caller lists the mappings
 * from /proc/self/maps (no page walk) while the helper reads smaps and
 * publishes each mapping's flags in address order; the caller, capturing
 * in address order too, waits only if it catches up with the helper (and
 * then writes the regions it has gathered first: see rdump_writer).
 * The helper also does shared memory that needs mincore page by page
 * (for opcache's SHM only the part opcache allocated
 * and its JIT buffer: rdump_opcache.h): the caller offers those
 * mappings as it lists them; the helper turns to them as soon as smaps is
 * past the lowest one (opcache's SHM lies below everything else on
 * x86-64) and reads the rest of smaps afterwards; the caller, when it
 * reaches the first one, helps with what is left and writes each one's
 * runs from the bitmap (one bit per page). Regions stay in address order
 * and disjoint, exactly as without the helper.
 *
 * A snapshot child (background dump) must not start threads: there, and
 * wherever the thread cannot be started or has not started by the time
 * the caller needs the first flags, the caller reads smaps itself into
 * the same table, and does its shared memory itself (rdump_pagemap).
 *
 * The thread runs with every signal blocked (PHP's timeout signal must
 * reach a PHP thread) on a stack in the scratch mapping, next to the
 * flags table and the bitmap. The scratch is mapped before the caller
 * lists the mappings, so it is marked MADV_DONTDUMP (no neighbour merges
 * with it) and rdump_ahead_skip() tells the caller to leave it out of the
 * list; rdump_ahead_finish() unmaps it: nothing of the helper outlives
 * the dump. Only touched pages of it count: a few KiB of stack, 32 bytes
 * per mapping, one bit per page of shared memory offered.
 */
#ifndef RDUMP_AHEAD_H
#define RDUMP_AHEAD_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "rdump_maps.h"
#include "rdump_opcache.h"
#include "rdump_pagemap.h"

/* Shared mappings a dump hands over; more are done by the caller. */
#define RDUMP_AHEAD_MAX 32
/* At most this much bitmap (4 KiB pages: 16 GiB of shared memory). */
#define RDUMP_AHEAD_MAX_BITMAP ((uint64_t)512 << 10)
/* Mappings whose flags are kept; Linux's default vm.max_map_count is
 * 65530, mappings past this many are taken as having no flag. */
#define RDUMP_AHEAD_MAX_FLAGS 65536

/* Pages per unit of work (64 bytes of bitmap). */
#define RDUMP_AHEAD_CHUNK 512

typedef struct {
	uint64_t start, end;
	uint64_t first_chunk;       /* of this mapping, in the work and bitmap */
	int ranges;                 /* the parts to look at: all of it, or */
	rdump_range range[2];       /* less in opcache's SHM (rdump_opcache.h) */
} rdump_ahead_vma;

/* One mapping as smaps showed it. */
typedef struct {
	uint64_t start, end;
	uint64_t swap;              /* bytes */
	unsigned char dontdump, io;
} rdump_ahead_flags;

typedef struct {
	/* Shared memory for mincore: offered by the caller while it lists,
	 * fixed once `ready` is set. */
	uint32_t count;
	uint64_t chunks_total;      /* of all mappings taken */
	uint64_t next_chunk;        /* the next chunk to do (atomic) */
	uint64_t chunks_done;       /* chunks finished (atomic) */
	int ready;                  /* the offers are complete (atomic) */
	rdump_ahead_vma vmas[RDUMP_AHEAD_MAX];
	/* smaps: the table is filled by whoever claims it, in address order;
	 * flags_count entries are complete (atomic). */
	int smaps_owner;            /* 0, or who reads smaps (atomic) */
	int smaps_state;            /* see rdump_ahead.c (atomic) */
	int smaps_errno;
	int stop;                   /* the dump is over: stop early (atomic) */
	uint32_t flags_count;
	uint32_t cursor;            /* the caller's place in the table */
	rdump_ahead_flags *flags;
	/* guard page, thread stack, flags table, bitmap */
	unsigned char *scratch;
	size_t scratch_size;
	unsigned char *bitmap;
	pthread_t thread;
	int running;                /* started and not yet joined */
} rdump_ahead;

/* Start empty. */
void rdump_ahead_init(rdump_ahead *a);

/* Map the scratch and, with `threaded` (not in a snapshot child), start
 * the helper on smaps. 0, or -1 with errno if the scratch cannot be
 * mapped. If the thread cannot be started the caller does its work when
 * it needs the results: not an error. */
int rdump_ahead_start(rdump_ahead *a, int threaded);

/* Where the helper's scratch ends if addr lies in it, else addr. The
 * caller leaves mappings made only of the dump's own scratch out of the
 * dump's list of mappings (the kernel may merge the helper's scratch with
 * another of the dump's: both are marked MADV_DONTDUMP). */
uint64_t rdump_ahead_skip(const rdump_ahead *a, uint64_t addr);

/* While listing, for a resident-only dump: each mapping. The helper takes
 * shared memory a dump with these RDUMP_CAPTURE_* flags captures and whose
 * resident pages only mincore can find (only with a helper thread; the
 * mapping's MADV_DONTDUMP is not known yet). Where that is opcache's SHM,
 * known through oc (probed here), only the parts opcache can have written
 * are looked at. */
void rdump_ahead_offer(rdump_ahead *a, const rdump_vma *vma, int flags, rdump_opcache *oc);

/* After the listing: the offers are complete, the helper may start on
 * them once it is done with smaps. */
void rdump_ahead_ready(rdump_ahead *a);

/* Set vma's dontdump, io and swap from smaps: those of every mapping smaps
 * showed overlapping it (another thread may have split or merged mappings
 * between the two reads). Waits for the helper to get past vma->end, or
 * reads smaps itself if no helper has started on it. Call in address
 * order. 1 when known; 0 when smaps cannot be opened (flags left 0); -1
 * with errno when reading it failed. */
int rdump_ahead_vmflags(rdump_ahead *a, rdump_vma *vma);

/* If the mapping was offered, do the shared-memory work the helper has
 * not taken yet (before waiting for anything else). */
void rdump_ahead_help(rdump_ahead *a, const rdump_vma *vma);

/* Would rdump_ahead_vmflags() wait for the helper? 1 or 0; no wait. */
int rdump_ahead_vmflags_pending(rdump_ahead *a, const rdump_vma *vma);

/* Capture a mapping offered to the helper: on the first call do what the
 * helper has not done yet and wait for the rest; then call fn for each run
 * of this mapping, in address order: maximal runs of pages in the page
 * cache, as rdump_pagemap_runs() finds for shared memory.
 * RDUMP_RUNS_NOT_MINE if the mapping was not offered (the caller captures
 * it itself), RDUMP_RUNS_DONE, or RDUMP_RUNS_WRITE_FAILED if fn returned
 * non-zero. */
int rdump_ahead_capture(rdump_ahead *a, const rdump_vma *vma, rdump_pagemap_run_fn fn, void *ctx);

/* Stop the thread after its current step and join it; unmap the scratch. */
void rdump_ahead_finish(rdump_ahead *a);

#endif /* RDUMP_AHEAD_H */
