/*
 * rdump_fork.c: the snapshot process of a background dump. See
 * rdump_fork.h.
 */
#include "rdump_fork.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Close every descriptor but keep: close_range(2) where the kernel has it
 * (5.9+), else one by one up to the descriptor limit. */
static void close_all_but(int keep)
{
	struct rlimit rl;
	int fd, max = 65536;

#ifdef SYS_close_range
	if ((keep == 0 || syscall(SYS_close_range, 0U, (unsigned)keep - 1, 0U) == 0)
		&& syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U) == 0) {
		return;
	}
#endif
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)max) {
		max = (int)rl.rlim_cur;
	}
	for (fd = 0; fd < max; fd++) {
		if (fd != keep) {
			close(fd);
		}
	}
}

/* The snapshot child: a copy-on-write image of the caller at the fork,
 * with only the forking thread. */
static void snapshot_child(int keep_fd, int (*child)(void *arg), void *arg)
{
	struct sigaction dfl;
	sigset_t none;
	int sig;

	/* The application's signal handlers (pcntl, the engine's own) must
	 * not run here; a full disk must not kill us with SIGXFSZ. */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP) {
			sigaction(sig, &dfl, NULL);
		}
	}
	dfl.sa_handler = SIG_IGN;
	sigaction(SIGXFSZ, &dfl, NULL);
	sigaction(SIGPIPE, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Keep no descriptor of the worker's open (listening sockets, client
	 * connections, locks): only the dump file. */
	close_all_but(keep_fd);

	_exit(child(arg) == 0 ? 0 : 1);
}

/* A new process with a copy-on-write copy of this address space, by the
 * raw system call: glibc's fork() would run atfork handlers and take
 * locks in memory the vfork child below shares with its parent. */
static pid_t raw_fork(void)
{
	return (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0UL, 0UL, 0UL, 0UL);
}

/* The middle child is a vfork child: it shares this address space, so
 * only the grandchild's fork copies page tables, and the caller pauses for
 * one copy, not two. */
int rdump_fork_snapshot(int keep_fd, int (*child)(void *arg), void *arg)
{
	pid_t middle, got;
	int status = 0;

	middle = vfork();
	if (middle == 0) {
		/* Only the fork and _exit here: this runs on the caller's stack. */
		pid_t grandchild = raw_fork();
		if (grandchild == 0) {
			snapshot_child(keep_fd, child, arg);
		}
		_exit(grandchild < 0 ? 2 : 0);
	}
	if (middle < 0) {
		return -1;
	}
	/* Reap the middle child, and only it: an application's own SIGCHLD
	 * handling is not disturbed. If that handling reaped it first
	 * (ECHILD), its status is unknown and taken as a success. */
	do {
		got = waitpid(middle, &status, 0);
	} while (got < 0 && errno == EINTR);
	if (got == middle && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		errno = EAGAIN;
		return -1;
	}
	return 0;
}
