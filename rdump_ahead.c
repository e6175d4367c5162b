/*
 * rdump_ahead.c: smaps and shared memory's resident pages on a helper
 * thread. See rdump_ahead.h.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include "rdump_ahead.h"
#include "rdump_thread.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The helper's stack: it needs about 20 KiB (a smaps line buffer, one
 * chunk's mincore vector), glibc puts the thread's TLS at its top. */
#define RDUMP_AHEAD_STACK ((size_t)256 << 10)

/* Who reads smaps (smaps_owner). */
#define OWNER_HELPER 1
#define OWNER_CALLER 2
/* How far (smaps_state). */
#define SMAPS_READING 0
#define SMAPS_DONE 1
#define SMAPS_NONE 2                    /* cannot be opened: flags unknown */
#define SMAPS_FAILED 3                  /* a read failed: smaps_errno */

void rdump_ahead_init(rdump_ahead *a)
{
	memset(a, 0, sizeof(*a));
}

static uint64_t page_size(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

static uint64_t chunks_of(const rdump_ahead_vma *v)
{
	return ((v->end - v->start) / page_size() + RDUMP_AHEAD_CHUNK - 1) / RDUMP_AHEAD_CHUNK;
}

static void work(rdump_ahead *a);

/* Should the helper, reading smaps, turn to shared memory now? Once smaps
 * is known past the lowest mapping offered, yes: the caller has every flag
 * it needs to get there, and cannot write that mapping, nor anything
 * above it (regions go in address order), before its pages are known.
 * The rest of smaps it needs only as it writes on. (opcache's SHM is
 * mapped below the binary on x86-64: there, the caller would otherwise
 * do the mincore alone while the helper reads all of smaps.) */
static int shared_memory_due(rdump_ahead *a)
{
	return __atomic_load_n(&a->ready, __ATOMIC_ACQUIRE) && a->count > 0
		&& __atomic_load_n(&a->next_chunk, __ATOMIC_RELAXED) < a->chunks_total
		&& a->flags[a->flags_count - 1].end >= a->vmas[0].end;
}

/* Read smaps into the table, publishing each mapping as it is complete.
 * Run by whoever claimed it; the helper stops on the way for shared
 * memory when it is due. */
static void read_smaps(rdump_ahead *a, int who)
{
	char buf[RDUMP_MAPS_LINE_MAX];
	rdump_maps_reader r;
	rdump_vma vma;
	int rc = 0, state = SMAPS_DONE;

	if (rdump_maps_open(&r, buf, sizeof(buf), 1) != 0) {
		__atomic_store_n(&a->smaps_state, SMAPS_NONE, __ATOMIC_RELEASE);
		return;
	}
	while (a->flags_count < RDUMP_AHEAD_MAX_FLAGS && !__atomic_load_n(&a->stop, __ATOMIC_RELAXED)
		&& (rc = rdump_maps_next(&r, &vma)) > 0) {
		rdump_ahead_flags *f = &a->flags[a->flags_count];
		f->start = vma.start;
		f->end = vma.end;
		f->swap = vma.swap;
		f->dontdump = vma.dontdump;
		f->io = vma.io;
		__atomic_store_n(&a->flags_count, a->flags_count + 1, __ATOMIC_RELEASE);
		if (who == OWNER_HELPER && shared_memory_due(a)) {
			work(a);
		}
	}
	if (rc < 0) {
		a->smaps_errno = errno;
		state = SMAPS_FAILED;
	}
	rdump_maps_close(&r);
	__atomic_store_n(&a->smaps_state, state, __ATOMIC_RELEASE);
}

static int claim_smaps(rdump_ahead *a, int who)
{
	int unclaimed = 0;
	return __atomic_compare_exchange_n(&a->smaps_owner, &unclaimed, who, 0, __ATOMIC_ACQ_REL,
		__ATOMIC_ACQUIRE);
}

/* Mark in the bitmap the pages of [lo, hi) (inside the chunk that starts
 * at addr) that are in the page cache. */
static void look(rdump_ahead *a, uint64_t chunk, uint64_t addr, uint64_t lo, uint64_t hi)
{
	unsigned char incore[RDUMP_AHEAD_CHUNK];
	uint64_t page = page_size(), first = (lo - addr) / page, i;

	if (lo >= hi || mincore((void *)(uintptr_t)lo, (size_t)(hi - lo), incore) != 0) {
		return;
	}
	for (i = 0; i < (hi - lo) / page; i++) {
		if (incore[i] & 1) {
			a->bitmap[chunk * (RDUMP_AHEAD_CHUNK / 8) + (first + i) / 8] |= (unsigned char)(1u << ((first + i) % 8));
		}
	}
}

/* Take chunks not done yet, with the other thread, until none is left.
 * mincore tells which pages are in the page cache: for shared memory that
 * is every page holding data, whether this process mapped it or not (a
 * page mapped here is in the page cache too, and shared memory swapped
 * out has no swap entry in the page tables for pagemap to show). Each
 * chunk owns whole bytes of the bitmap, so the threads never write the
 * same byte. A failing mincore (the mapping went away meanwhile) leaves
 * the chunk's pages out. */
static void work(rdump_ahead *a)
{
	uint64_t page = page_size();

	for (;;) {
		uint64_t chunk = __atomic_fetch_add(&a->next_chunk, 1, __ATOMIC_RELAXED);
		uint64_t addr, n;
		uint32_t k = 0;
		int r;

		while (k < a->count && chunk >= a->vmas[k].first_chunk + chunks_of(&a->vmas[k])) {
			k++;
		}
		if (k == a->count) {
			return;
		}
		addr = a->vmas[k].start + (chunk - a->vmas[k].first_chunk) * RDUMP_AHEAD_CHUNK * page;
		n = (a->vmas[k].end - addr) / page;
		if (n > RDUMP_AHEAD_CHUNK) {
			n = RDUMP_AHEAD_CHUNK;
		}
		for (r = 0; r < a->vmas[k].ranges; r++) {
			const rdump_range *part = &a->vmas[k].range[r];
			look(a, chunk, addr, part->start > addr ? part->start : addr,
				part->end < addr + n * page ? part->end : addr + n * page);
		}
		__atomic_fetch_add(&a->chunks_done, 1, __ATOMIC_RELEASE);
	}
}

/* smaps (the caller needs it for every mapping, shared memory only for
 * some), with shared memory on the way once it is due, or after it once
 * the caller has listed it all (it lists faster than smaps is read, so
 * this rarely waits). */
static void *helper_main(void *arg)
{
	rdump_ahead *a = arg;

	if (claim_smaps(a, OWNER_HELPER)) {
		read_smaps(a, OWNER_HELPER);
	}
	while (!__atomic_load_n(&a->ready, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&a->stop, __ATOMIC_RELAXED)) {
			return NULL;
		}
		sched_yield();
	}
	work(a);
	return NULL;
}

static void start_thread(rdump_ahead *a, size_t page)
{
	if (rdump_thread_start(&a->thread, a->scratch + page, RDUMP_AHEAD_STACK, helper_main, a) == 0) {
		a->running = 1;
	}
}

int rdump_ahead_start(rdump_ahead *a, int threaded)
{
	size_t page = (size_t)page_size();
	size_t table = RDUMP_AHEAD_MAX_FLAGS * sizeof(rdump_ahead_flags);

	a->scratch_size = page + RDUMP_AHEAD_STACK + (table + page - 1) / page * page
		+ (size_t)RDUMP_AHEAD_MAX_BITMAP;
	a->scratch = mmap(NULL, a->scratch_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a->scratch == MAP_FAILED) {
		a->scratch = NULL;
		return -1;
	}
	/* Marked before the caller lists the mappings: see the header. A stack
	 * overflow faults on the guard instead of writing elsewhere. */
	madvise(a->scratch, a->scratch_size, MADV_DONTDUMP);
	mprotect(a->scratch, page, PROT_NONE);
	a->flags = (rdump_ahead_flags *)(void *)(a->scratch + page + RDUMP_AHEAD_STACK);
	a->bitmap = a->scratch + page + RDUMP_AHEAD_STACK + (table + page - 1) / page * page;
	if (threaded) {
		start_thread(a, page);
	}
	return 0;
}

uint64_t rdump_ahead_skip(const rdump_ahead *a, uint64_t addr)
{
	uint64_t start = (uint64_t)(uintptr_t)a->scratch;

	return a->scratch && addr >= start && addr < start + a->scratch_size ? start + a->scratch_size : addr;
}

void rdump_ahead_offer(rdump_ahead *a, const rdump_vma *vma, int flags, rdump_opcache *oc)
{
	rdump_ahead_vma *slot;
	uint64_t chunks;

	/* Only shared memory a dump with these flags captures, whose shmem
	 * file cannot be read instead (that probe opens a file: last). */
	if (!a->running || a->ready || a->count == RDUMP_AHEAD_MAX || !rdump_maps_shared_memory(vma)
		|| !rdump_maps_wanted(vma, flags) || rdump_pagemap_seekable(vma)) {
		return;
	}
	slot = &a->vmas[a->count];
	slot->start = vma->start;
	slot->end = vma->end;
	slot->first_chunk = a->chunks_total;
	rdump_opcache_probe(oc, vma);
	slot->ranges = rdump_opcache_ranges(oc, vma->start, vma->end, slot->range);
	chunks = chunks_of(slot);
	if ((a->chunks_total + chunks) * (RDUMP_AHEAD_CHUNK / 8) > RDUMP_AHEAD_MAX_BITMAP) {
		return;
	}
	a->chunks_total += chunks;
	a->count++;
}

void rdump_ahead_ready(rdump_ahead *a)
{
	__atomic_store_n(&a->ready, 1, __ATOMIC_RELEASE);
}

/* Is smaps known past end (or known to be unreadable)? */
static int known_past(rdump_ahead *a, uint64_t end, int *state, uint32_t *count)
{
	*state = __atomic_load_n(&a->smaps_state, __ATOMIC_ACQUIRE);
	*count = __atomic_load_n(&a->flags_count, __ATOMIC_ACQUIRE);
	return *state != SMAPS_READING || (*count > 0 && a->flags[*count - 1].end >= end);
}

int rdump_ahead_vmflags_pending(rdump_ahead *a, const rdump_vma *vma)
{
	uint32_t n;
	int state;

	return __atomic_load_n(&a->smaps_owner, __ATOMIC_ACQUIRE) == OWNER_HELPER
		&& !known_past(a, vma->end, &state, &n);
}

int rdump_ahead_vmflags(rdump_ahead *a, rdump_vma *vma)
{
	uint32_t n, i;
	int state;

	vma->dontdump = vma->io = 0;
	vma->swap = 0;
	if (claim_smaps(a, OWNER_CALLER)) {
		read_smaps(a, OWNER_CALLER);
	}
	/* The table is sorted: once an entry ends at or past vma->end, every
	 * one overlapping vma is in it. */
	while (!known_past(a, vma->end, &state, &n)) {
		sched_yield();
	}
	if (state == SMAPS_NONE) {
		return 0;
	}
	if (state == SMAPS_FAILED) {
		errno = a->smaps_errno;
		return -1;
	}
	while (a->cursor < n && a->flags[a->cursor].end <= vma->start) {
		a->cursor++;
	}
	for (i = a->cursor; i < n && a->flags[i].start < vma->end; i++) {
		vma->dontdump |= a->flags[i].dontdump;
		vma->io |= a->flags[i].io;
		vma->swap += a->flags[i].swap;
	}
	return 1;
}

static int bit_set(const unsigned char *bitmap, uint64_t bit)
{
	return (bitmap[bit / 8] >> (bit % 8)) & 1;
}

/* The bitmap of one mapping back into maximal runs. */
static int replay(const rdump_ahead *a, const rdump_ahead_vma *v, rdump_pagemap_run_fn fn, void *ctx)
{
	uint64_t page = page_size();
	uint64_t first = v->first_chunk * RDUMP_AHEAD_CHUNK, end = first + (v->end - v->start) / page;
	uint64_t bit = first, run;

	while (bit < end) {
		if (bit % 8 == 0 && bit + 8 <= end && a->bitmap[bit / 8] == 0) {
			bit += 8;
			continue;
		}
		if (!bit_set(a->bitmap, bit)) {
			bit++;
			continue;
		}
		for (run = bit; run < end && bit_set(a->bitmap, run); run++) {
		}
		if (fn(ctx, v->start + (bit - first) * page, (run - bit) * page) != 0) {
			return RDUMP_RUNS_WRITE_FAILED;
		}
		bit = run;
	}
	return RDUMP_RUNS_DONE;
}

static const rdump_ahead_vma *offered(const rdump_ahead *a, const rdump_vma *vma)
{
	uint32_t i;

	for (i = 0; i < a->count; i++) {
		if (a->vmas[i].start == vma->start && a->vmas[i].end == vma->end) {
			return &a->vmas[i];
		}
	}
	return NULL;
}

void rdump_ahead_help(rdump_ahead *a, const rdump_vma *vma)
{
	if (offered(a, vma)) {
		work(a);
	}
}

int rdump_ahead_capture(rdump_ahead *a, const rdump_vma *vma, rdump_pagemap_run_fn fn, void *ctx)
{
	const rdump_ahead_vma *v = offered(a, vma);

	if (!v) {
		return RDUMP_RUNS_NOT_MINE;
	}
	/* Help with what is left rather than wait for it; then only for the
	 * chunk the helper may be in the middle of. */
	work(a);
	while (__atomic_load_n(&a->chunks_done, __ATOMIC_ACQUIRE) < a->chunks_total) {
		sched_yield();
	}
	return replay(a, v, fn, ctx);
}

void rdump_ahead_finish(rdump_ahead *a)
{
	if (a->running) {
		/* The dump is done or failed: no more smaps, no more chunks, only
		 * the current one. */
		__atomic_store_n(&a->stop, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&a->next_chunk, a->chunks_total, __ATOMIC_RELAXED);
		pthread_join(a->thread, NULL);
		a->running = 0;
	}
	if (a->scratch) {
		munmap(a->scratch, a->scratch_size);
		a->scratch = NULL;
	}
	a->count = 0;
}
