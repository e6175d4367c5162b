/*
 * rdump_template: expands dump path templates. Pure function, no
 * allocation: safe on the memory_limit path and in a signal-triggered
 * dump.
 *
 *   %p  process id        %i  thread id         %t  Unix time (seconds)
 *   %h  host name         %%  a literal %
 * Any other %x, and a trailing %, stay as written.
 */
#ifndef RDUMP_TEMPLATE_H
#define RDUMP_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	long pid;
	long tid;
	int64_t time;
	const char *host;
} rdump_template_vars;

/* Write the expansion of tpl to out (NUL-terminated). Returns 0, or -1
 * if it does not fit in size bytes (out is then an empty string: a
 * partial path must never be used). */
int rdump_template_expand(const char *tpl, const rdump_template_vars *vars,
		char *out, size_t size);

/* The same with this moment's values: getpid(), gettid(), time(),
 * gethostname() ("unknown-host" if it fails). Plain system calls only. */
int rdump_template_expand_now(const char *tpl, char *out, size_t size);

#endif /* RDUMP_TEMPLATE_H */
