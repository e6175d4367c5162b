/*
 * rdump_thread.h: the dump's own threads (the helper of rdump_ahead.c,
 * the flusher of rdump_flush.c), started the same way.
 */
#ifndef RDUMP_THREAD_H
#define RDUMP_THREAD_H

#include <pthread.h>
#include <stddef.h>

/* Start fn(arg) on a new thread that runs on `stack` (size bytes, owned by
 * the caller until the thread is joined) with every signal blocked, so no
 * signal handler ever runs on it, and, where this process may use more
 * than one CPU, not on the CPU the caller is on. 0, or an error number:
 * the caller then does the work itself. Never in a snapshot child: it is
 * forked by a raw system call, and glibc's thread state there is not its
 * own. */
int rdump_thread_start(pthread_t *thread, void *stack, size_t size, void *(*fn)(void *), void *arg);

#endif /* RDUMP_THREAD_H */
