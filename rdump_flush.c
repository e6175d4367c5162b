/*
 * rdump_flush.c: flush-behind. See rdump_flush.h.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include "rdump_cgroup.h"
#include "rdump_flush.h"
#include "rdump_thread.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The flusher's stack: it makes a few system calls; glibc puts the
 * thread's TLS at its top. */
#define RDUMP_FLUSH_STACK ((size_t)256 << 10)

/* The thread starts writeback and waits for the disk this many bytes at
 * a time, so that stopping it waits for no more than that. */
#define RDUMP_FLUSH_STEP ((uint64_t)2 << 20)

static int stopping(rdump_flusher *f)
{
	return __atomic_load_n(&f->stop, __ATOMIC_RELAXED);
}

/* How far the file must be written back and dropped once it is written
 * up to pos: what lies more than the cap behind, rounded down to a whole
 * window. POSIX_FADV_DONTNEED drops only folios wholly inside its range,
 * and the page cache may hold a file in folios as large as 2 MiB (more
 * with pages larger than 4 KiB): a range that ends inside one leaves it
 * behind for good. */
static uint64_t drop_target(const rdump_flusher *f, uint64_t pos)
{
	return pos > f->cap ? (pos - f->cap) / RDUMP_FLUSH_WINDOW * RDUMP_FLUSH_WINDOW : 0;
}

/* One round, for the file written up to `upto`: start writeback of what
 * is new; drop what was written before it as far as the disk has taken
 * it (pages still being written stay; nothing waits); and wait for the
 * disk up to drop_target and drop that, `step` bytes at a time, telling
 * a waiting writer (f->done) as it goes when on the thread. The dump so
 * holds at most about the cap plus two windows of page cache, and goes at
 * the disk's pace only once it is the cap ahead of the disk. Errors only
 * mean the file system does not do this (tmpfs): the data is written
 * anyway. */
static void flush_round(rdump_flusher *f, uint64_t upto, uint64_t step)
{
	uint64_t from = f->started, target = drop_target(f, upto), base = f->dropped;

	while (f->started < upto && !stopping(f)) {
		uint64_t n = upto - f->started < step ? upto - f->started : step;

		sync_file_range(f->fd, (off_t)f->started, (off_t)n, SYNC_FILE_RANGE_WRITE);
		f->started += n;
	}
	if (from > f->dropped) {
		posix_fadvise(f->fd, (off_t)f->dropped, (off_t)(from - f->dropped), POSIX_FADV_DONTNEED);
	}
	while (f->dropped < target && !stopping(f)) {
		uint64_t n = target - f->dropped < step ? target - f->dropped : step;

		sync_file_range(f->fd, (off_t)f->dropped, (off_t)n,
			SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
		f->dropped += n;
		/* From where the round began, so that a folio across a step's
		 * end goes too once the step after it is written back. */
		posix_fadvise(f->fd, (off_t)base, (off_t)(f->dropped - base), POSIX_FADV_DONTNEED);
		if (f->running) {
			pthread_mutex_lock(&f->lock);
			f->done = f->dropped;
			pthread_cond_signal(&f->room);
			pthread_mutex_unlock(&f->lock);
		}
	}
}

/* The thread: a round, in steps, for each stretch the writer hands over.
 * So the writer neither starts writeback nor waits for it unless it gets
 * the cap ahead of the disk. */
static void *flusher_main(void *arg)
{
	rdump_flusher *f = arg;

	pthread_mutex_lock(&f->lock);
	for (;;) {
		uint64_t upto;

		while (!f->stop && f->handed == f->started) {
			pthread_cond_wait(&f->work, &f->lock);
		}
		if (f->stop) {
			break;
		}
		upto = f->handed;
		pthread_mutex_unlock(&f->lock);
		flush_round(f, upto, RDUMP_FLUSH_STEP);
		pthread_mutex_lock(&f->lock);
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

static void start_thread(rdump_flusher *f)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	f->stack_size = page + RDUMP_FLUSH_STACK;
	f->stack = mmap(NULL, f->stack_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (f->stack == MAP_FAILED) {
		f->stack = NULL;
		return;
	}
	/* Mapped after the dump listed the mappings, so never in it; a stack
	 * overflow faults on the guard instead of writing elsewhere. */
	mprotect(f->stack, page, PROT_NONE);
	if (pthread_mutex_init(&f->lock, NULL) != 0) {
		goto failed;
	}
	if (pthread_cond_init(&f->work, NULL) != 0) {
		goto no_work;
	}
	if (pthread_cond_init(&f->room, NULL) != 0) {
		goto no_room;
	}
	if (rdump_thread_start(&f->thread, f->stack + page, RDUMP_FLUSH_STACK, flusher_main, f) == 0) {
		f->running = 1;
		return;
	}
	pthread_cond_destroy(&f->room);
no_room:
	pthread_cond_destroy(&f->work);
no_work:
	pthread_mutex_destroy(&f->lock);
failed:
	munmap(f->stack, f->stack_size);
	f->stack = NULL;
}

void rdump_flush_start(rdump_flusher *f, int fd, uint64_t cap, int threaded)
{
	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->cap = cap;
	if (threaded) {
		start_thread(f);
	}
}

void rdump_flush_advance(rdump_flusher *f, uint64_t pos)
{
	if (!f->running) {
		flush_round(f, pos, UINT64_MAX);
		return;
	}
	pthread_mutex_lock(&f->lock);
	f->handed = pos;
	pthread_cond_signal(&f->work);
	while (f->done < drop_target(f, pos)) {
		pthread_cond_wait(&f->room, &f->lock);
	}
	pthread_mutex_unlock(&f->lock);
}

void rdump_flush_stop(rdump_flusher *f)
{
	if (!f->running) {
		return;
	}
	pthread_mutex_lock(&f->lock);
	__atomic_store_n(&f->stop, 1, __ATOMIC_RELAXED);
	pthread_cond_signal(&f->work);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thread, NULL);
	pthread_cond_destroy(&f->room);
	pthread_cond_destroy(&f->work);
	pthread_mutex_destroy(&f->lock);
	munmap(f->stack, f->stack_size);
	f->stack = NULL;
	f->running = 0;
}

/* Page cache a flushed-behind dump may hold where no memory limit says. */
#define RDUMP_FLUSH_CAP ((uint64_t)64 << 20)

/* Flushing behind makes the dump write at the disk's pace past the cap;
 * "auto" pays that only where the page cache counts against a memory
 * limit. The cap is half the room left under the limit: the dump's page
 * cache leaves the worker the other half (less two windows), and a dump
 * smaller than that never waits for the disk. Without a limit (flushing forced on), RDUMP_FLUSH_CAP. */
int rdump_flush_decide(int mode, uint64_t *cap)
{
	int64_t headroom;

	if (mode == RDUMP_FLUSH_NEVER) {
		return 0;
	}
	headroom = rdump_cgroup_headroom();
	if (mode == RDUMP_FLUSH_AUTO && headroom < 0) {
		return 0;
	}
	*cap = headroom >= 0 ? (uint64_t)headroom / 2 : RDUMP_FLUSH_CAP;
	return 1;
}
