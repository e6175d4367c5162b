/*
 * rdump_ahead: the resident pages of shared memory, worked out on a helper
 * thread while the caller lists the mappings.
 *
 * Shared memory (opcache's SHM above all) needs mincore page by page,
 * 2-4 ms per 256 MiB on this project's test machine whether the pages hold
 * anything or not: the largest fixed cost of a small dump. So before the
 * caller reads /proc/self/smaps (about 1 ms, and needed first: the file
 * lists every mapping before any region), a quick read of
 * /proc/self/maps names the shared mappings and a second thread starts on
 * them, filling a bitmap (one bit per page). When the caller reaches the
 * first of them in address order, it helps with what is left, joins the
 * thread, and writes each one's runs from the bitmap: regions stay in
 * address order and disjoint, exactly as without the helper.
 *
 * For synchronous dumps only: the thread is a pthread (the snapshot child
 * of a background dump must not allocate or lock). Everything is optional:
 * if maps cannot be read, the scratch not mapped or the thread not
 * started, rdump_ahead_capture() says "not taken" and the caller does the
 * mapping itself, as without a helper. The thread runs with every signal
 * blocked (PHP's timeout signal must reach a PHP thread) on a stack in the
 * scratch mapping. The scratch is mapped before the caller lists the
 * mappings, so it is marked MADV_DONTDUMP (no neighbour merges with it)
 * and rdump_ahead_owns() tells the caller to leave it out of the list;
 * rdump_ahead_finish() unmaps it: nothing of the helper outlives the dump.
 */
#ifndef RDUMP_AHEAD_H
#define RDUMP_AHEAD_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "rdump_maps.h"
#include "rdump_pagemap.h"

/* Shared mappings a dump hands over; more are done by the caller. */
#define RDUMP_AHEAD_MAX 32
/* Below this much shared memory starting a thread costs more than it saves. */
#define RDUMP_AHEAD_MIN_BYTES ((uint64_t)32 << 20)
/* At most this much bitmap (4 KiB pages: 16 GiB of shared memory). */
#define RDUMP_AHEAD_MAX_BITMAP ((uint64_t)512 << 10)

/* Pages per unit of work (64 bytes of bitmap). */
#define RDUMP_AHEAD_CHUNK 512

typedef struct {
	uint64_t start, end;
	uint64_t first_chunk;       /* of this mapping, in the work and bitmap */
} rdump_ahead_vma;

typedef struct {
	uint32_t count;
	uint64_t chunks_total;      /* of all mappings taken */
	uint64_t next_chunk;        /* the next chunk to do (atomic) */
	rdump_ahead_vma vmas[RDUMP_AHEAD_MAX];
	unsigned char *scratch;     /* guard page, thread stack, bitmap */
	size_t scratch_size;
	unsigned char *bitmap;
	pthread_t thread;
	int running;                /* started and not yet joined */
} rdump_ahead;

/* Start empty. */
void rdump_ahead_init(rdump_ahead *a);

/* Read /proc/self/maps, offer every shared-memory mapping a dump with
 * these RDUMP_CAPTURE_* flags captures, and if that is worth it map the
 * scratch and start the thread. Returns nothing: on any failure the
 * caller does every mapping itself. */
void rdump_ahead_start(rdump_ahead *a, int flags);

/* Is this mapping (part of) the helper's own scratch? The caller leaves
 * it out of the dump's list of mappings. */
int rdump_ahead_owns(const rdump_ahead *a, const rdump_vma *vma);

/* Capture a mapping the helper took: on the first call do what the
 * helper has not done yet and join it; then call fn for each run of this
 * mapping, in address order: maximal runs of pages in the page cache, as
 * rdump_pagemap_runs() finds for shared memory. Returns 1 if the helper
 * did not take this mapping (the caller captures it itself), 0 when done,
 * -2 if fn returned non-zero. */
int rdump_ahead_capture(rdump_ahead *a, const rdump_vma *vma, rdump_pagemap_run_fn fn, void *ctx);

/* If the thread still runs, stop it after its current chunk and join it;
 * unmap the scratch. */
void rdump_ahead_finish(rdump_ahead *a);

#endif /* RDUMP_AHEAD_H */
