/*
 * rdump_flush.h: flush-behind, keeping the page cache a dump holds
 * bounded while it is written (see rdump_writer_flush_behind).
 */
#ifndef RDUMP_FLUSH_H
#define RDUMP_FLUSH_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* When a dump flushes behind (rdump.flush_behind). */
#define RDUMP_FLUSH_NEVER 0
#define RDUMP_FLUSH_ALWAYS 1
#define RDUMP_FLUSH_AUTO 2          /* where the page cache counts against a memory limit */

/* The writer hands the file over every this many bytes. */
#define RDUMP_FLUSH_WINDOW ((uint64_t)16 << 20)

typedef struct {
	int fd;
	uint64_t cap;               /* page cache the dump may hold */
	int running;                /* a flusher thread is started and not joined */
	/* File offsets: writeback started up to, written back and dropped
	 * up to (by whoever flushes: the thread, or without one the
	 * writer). */
	uint64_t started, dropped;
	/* With a thread, under `lock`: the writer hands over its end
	 * (`handed`); the thread's `dropped` for the writer to wait on
	 * (`done`); `stop`, also read atomically between steps. */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work, room;
	uint64_t handed, done;
	int stop;
	unsigned char *stack;       /* guard page and the thread's stack */
	size_t stack_size;
} rdump_flusher;

/* Set up flushing behind writes to fd, holding at most about `cap` bytes
 * of the file's page cache (at least one window) plus two windows. With
 * `threaded`, on a thread of its own (with a small stack mapped now), so
 * that the writer neither starts writeback nor waits for it unless it
 * gets the cap ahead of the disk. Without (a snapshot child must not
 * start threads), or where the thread cannot start, the writer does it
 * all as it goes, which costs it the system calls. */
void rdump_flush_start(rdump_flusher *f, int fd, uint64_t cap, int threaded);

/* The file is written up to `pos` (called every RDUMP_FLUSH_WINDOW bytes
 * or so): start writeback of what is new and drop what the disk has taken
 * (or have the thread do it); return once what lies more than `cap` bytes
 * behind `pos` (in whole windows) is written back and dropped, waiting
 * for the disk if need be. Errors only mean the file system does not do
 * this (tmpfs): the data is written anyway. */
void rdump_flush_advance(rdump_flusher *f, uint64_t pos);

/* Stop flushing: no more writeback is started or waited for; joins the
 * thread (which waits for at most one step of the disk) and unmaps its
 * stack. The writer calls it before it closes fd; safe to call more than
 * once. */
void rdump_flush_stop(rdump_flusher *f);

/* The policy, asked once a dump reaches its first window (so a smaller
 * dump never reads the cgroup files): 1 with *cap set to flush behind,
 * 0 not to. Reads the memory cgroup's limit (rdump_cgroup). */
int rdump_flush_decide(int mode, uint64_t *cap);

#endif /* RDUMP_FLUSH_H */
