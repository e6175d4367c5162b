/*
 * rdump_thread.c: starting the dump's own threads. See rdump_thread.h.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include "rdump_thread.h"

#include <sched.h>
#include <signal.h>

/* A new thread may be queued on its creator's CPU and wait there, for
 * milliseconds, behind a caller that never sleeps while it writes: so the
 * thread may not run here, where another CPU is allowed. If it still does
 * not get a CPU, the caller does the work when it gets there. */
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

int rdump_thread_start(pthread_t *thread, void *stack, size_t size, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	sigset_t all, old;
	int rc = pthread_attr_init(&attr);

	if (rc != 0) {
		return rc;
	}
	rc = pthread_attr_setstack(&attr, stack, size);
	if (rc == 0) {
		/* The thread inherits this mask. */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(thread, &attr, fn, arg);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	pthread_attr_destroy(&attr);
	if (rc == 0) {
		keep_off_this_cpu(*thread);
	}
	return rc;
}
