/*
 * rdump_error: how the dump's modules say why something failed, so that
 * the PHP function and the OOM hook can name the step and strerror(errno).
 */
#ifndef RDUMP_ERROR_H
#define RDUMP_ERROR_H

/* `what` is static text naming the step, `err` the errno value (0 when
 * the failure is a refusal with no system error). */
typedef struct {
	const char *what;
	int err;
} rdump_error;

/* Fill *err and return -1, for `return rdump_fail(...)`. */
static inline int rdump_fail(rdump_error *err, const char *what, int errnum)
{
	err->what = what;
	err->err = errnum;
	return -1;
}

#endif /* RDUMP_ERROR_H */
