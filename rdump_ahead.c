/*
 * rdump_ahead.c: shared memory's resident pages on a helper thread. See
 * rdump_ahead.h.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include "rdump_ahead.h"

#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The helper's stack: it needs a few KiB (one chunk's mincore vector),
 * glibc puts the thread's TLS at its top. Only touched pages count. */
#define RDUMP_AHEAD_STACK ((size_t)256 << 10)

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

static void offer(rdump_ahead *a, const rdump_vma *vma)
{
	rdump_ahead_vma *slot;

	if (a->count == RDUMP_AHEAD_MAX) {
		return;
	}
	slot = &a->vmas[a->count];
	slot->start = vma->start;
	slot->end = vma->end;
	slot->first_chunk = a->chunks_total;
	if ((a->chunks_total + chunks_of(slot)) * (RDUMP_AHEAD_CHUNK / 8) > RDUMP_AHEAD_MAX_BITMAP) {
		return;
	}
	a->chunks_total += chunks_of(slot);
	a->count++;
}

/* The shared mappings as /proc/self/maps shows them now. Without VmFlags a
 * MADV_DONTDUMP one may be taken: its pages are then found and never
 * written, as the caller, who knows, never asks for them. */
static void find_shared(rdump_ahead *a, int flags)
{
	char buf[RDUMP_MAPS_LINE_MAX];
	rdump_maps_reader r;
	rdump_vma vma;

	if (rdump_maps_open(&r, buf, sizeof(buf), 0) != 0) {
		return;
	}
	while (rdump_maps_next(&r, &vma) > 0) {
		/* One whose shmem file can be read is done quicker that way. */
		if (rdump_maps_shared_memory(&vma) && rdump_maps_wanted(&vma, flags) && !rdump_pagemap_seekable(&vma)) {
			offer(a, &vma);
		}
	}
	rdump_maps_close(&r);
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
	unsigned char incore[RDUMP_AHEAD_CHUNK];
	uint64_t page = page_size();

	for (;;) {
		uint64_t chunk = __atomic_fetch_add(&a->next_chunk, 1, __ATOMIC_RELAXED);
		uint64_t addr, n, i;
		uint32_t k = 0;

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
		if (mincore((void *)(uintptr_t)addr, (size_t)(n * page), incore) != 0) {
			continue;
		}
		for (i = 0; i < n; i++) {
			if (incore[i] & 1) {
				a->bitmap[chunk * (RDUMP_AHEAD_CHUNK / 8) + i / 8] |= (unsigned char)(1u << (i % 8));
			}
		}
	}
}

static void *helper_main(void *arg)
{
	work(arg);
	return NULL;
}

/* A new thread may be queued on its creator's CPU and wait there, for
 * milliseconds, behind a caller that never sleeps while it writes: so the
 * helper may not run here, where another CPU is allowed. If it still does
 * not get a CPU, the caller does its work when it gets there. */
static void keep_off_this_cpu(pthread_t thread)
{
	cpu_set_t cpus;
	int here = sched_getcpu();

	if (here >= 0 && pthread_getaffinity_np(pthread_self(), sizeof(cpus), &cpus) == 0
		&& CPU_ISSET(here, &cpus) && CPU_COUNT(&cpus) > 1) {
		CPU_CLR(here, &cpus);
		pthread_setaffinity_np(thread, sizeof(cpus), &cpus);
	}
}

void rdump_ahead_start(rdump_ahead *a, int flags)
{
	uint64_t page = page_size();
	pthread_attr_t attr;
	sigset_t all, old;
	int rc;

	find_shared(a, flags);
	if (a->count == 0 || a->chunks_total * RDUMP_AHEAD_CHUNK * page < RDUMP_AHEAD_MIN_BYTES) {
		a->count = 0;
		return;
	}
	a->scratch_size = (size_t)(page + RDUMP_AHEAD_STACK
		+ (a->chunks_total * (RDUMP_AHEAD_CHUNK / 8) + page - 1) / page * page);
	a->scratch = mmap(NULL, a->scratch_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a->scratch == MAP_FAILED) {
		a->scratch = NULL;
		a->count = 0;
		return;
	}
	/* Marked before the caller lists the mappings: see the header. A stack
	 * overflow faults on the guard instead of writing elsewhere. */
	madvise(a->scratch, a->scratch_size, MADV_DONTDUMP);
	mprotect(a->scratch, (size_t)page, PROT_NONE);
	a->bitmap = a->scratch + page + RDUMP_AHEAD_STACK;

	if (pthread_attr_init(&attr) != 0) {
		rdump_ahead_finish(a);
		return;
	}
	rc = pthread_attr_setstack(&attr, a->scratch + page, RDUMP_AHEAD_STACK);
	if (rc == 0) {
		/* The helper inherits this mask: no signal is ever run on it. */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(&a->thread, &attr, helper_main, a);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		rdump_ahead_finish(a);
		return;
	}
	a->running = 1;
	keep_off_this_cpu(a->thread);
}

int rdump_ahead_owns(const rdump_ahead *a, const rdump_vma *vma)
{
	uint64_t start = (uint64_t)(uintptr_t)a->scratch;

	return a->scratch && vma->start >= start && vma->end <= start + a->scratch_size;
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
			return -2;
		}
		bit = run;
	}
	return 0;
}

int rdump_ahead_capture(rdump_ahead *a, const rdump_vma *vma, rdump_pagemap_run_fn fn, void *ctx)
{
	uint32_t i;

	for (i = 0; a->scratch && i < a->count; i++) {
		if (a->vmas[i].start != vma->start || a->vmas[i].end != vma->end) {
			continue;
		}
		if (a->running) {
			/* Help with what is left rather than wait for it. */
			work(a);
			pthread_join(a->thread, NULL);
			a->running = 0;
		}
		return replay(a, &a->vmas[i], fn, ctx);
	}
	return 1;
}

void rdump_ahead_finish(rdump_ahead *a)
{
	if (a->running) {
		/* The dump did not need it (a failure, or mappings that changed or
		 * turned out MADV_DONTDUMP): no more chunks, only the current one. */
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
