/*
 * rdump_fork: the snapshot process of a background dump, a copy-on-write
 * image of the caller at one instant that writes the dump while the
 * caller goes on.
 */
#ifndef RDUMP_FORK_H
#define RDUMP_FORK_H

/* Run child(arg) in a new process, a grandchild of the caller (no zombie
 * is left and nothing waits for it: init reaps it). It has only the
 * calling thread, default signal dispositions (SIGXFSZ and SIGPIPE
 * ignored), no blocked signal and no descriptor but keep_fd; it leaves
 * with _exit(0) when child returns 0, _exit(1) otherwise, so no PHP
 * shutdown, atexit handler or stdio flush runs there. child may use only
 * plain system calls and memory it does not allocate.
 * 0 when the grandchild is on its way; -1 with errno when none could be
 * made (the caller then does the work itself). Not async-signal-safe. */
int rdump_fork_snapshot(int keep_fd, int (*child)(void *arg), void *arg);

#endif /* RDUMP_FORK_H */
