/*
 * rdump_flush.h: flush-behind, keeping the page cache a dump holds
 * bounded while it is written (see rdump_writer_flush_behind).
 */
#ifndef RDUMP_FLUSH_H
#define RDUMP_FLUSH_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	int fd;
	uint64_t cap;               /* page cache the dump may hold */
	int running;                /* a flusher thread is started and not joined */
	/* Without a thread, file offsets: the last window started, writeback
	 * started up to, dropped up to. */
	uint64_t kicked, synced, dropped;
	/* With one: the writer hands over its end (`handed`), the thread says
	 * how far the file is written back and dropped (`done`); both and
	 * `stop` under `lock`, `stop` also read atomically between steps. */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work, room;
	uint64_t handed, done;
	int stop;
	unsigned char *stack;       /* guard page and the thread's stack */
	size_t stack_size;
} rdump_flusher;

/* Set up flushing behind writes to fd, holding at most about `cap` bytes
 * of the file's page cache (at least one window, RDUMP_FLUSH_WINDOW).
 * Nothing is started yet. */
void rdump_flush_init(rdump_flusher *f, int fd, uint64_t cap);

/* The file is written up to `pos` (called every RDUMP_FLUSH_WINDOW bytes
 * or so). Starts writeback of what is new and drops what the disk has
 * taken; returns once at most `cap` bytes lie between `pos` and what is
 * dropped, waiting for the disk if need be. Errors only mean the file
 * system does not do this (tmpfs): the data is written anyway. */
void rdump_flush_advance(rdump_flusher *f, uint64_t pos);

/* Stop flushing: no more writeback is started or waited for. The
 * writer calls it before it closes fd; safe to call more than once. */
void rdump_flush_stop(rdump_flusher *f);

#endif /* RDUMP_FLUSH_H */
