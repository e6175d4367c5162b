/*
 * rdump_moment: the memory_limit dump shows the moment the allocation
 * failed.
 *
 * Upstream PHP raises the memory_limit error inside the failing
 * allocation, so the error observer (zend_error_cb on PHP 7) sees the
 * stack as it was. Builds with a delayed OOM (Debian's PHP 8.2 since
 * 8.2.36: EG(delayed_oom), zend_handle_delayed_oom) let the allocation
 * fail softly, finish the internal function, and raise the error at the
 * next VM interrupt, after throwing an UnwindExit: by then the internal
 * function's frame is popped (on 8.2), the user frame's opline is the
 * engine's exception op, and an UnwindExit object exists. rdump_moment_rewind puts
 * that back as it was when the allocation failed (the popped frame is
 * still intact on the VM stack), for the dump only;
 * rdump_moment_restore undoes it. Both allocate nothing.
 */
#ifndef RDUMP_MOMENT_H
#define RDUMP_MOMENT_H

#include "php.h"

typedef struct {
	int rewound;
	zend_execute_data *current;     /* EG(current_execute_data) */
	zend_execute_data *user;        /* the user frame whose opline changed, or NULL */
	const zend_op *opline;          /* its opline */
	zend_object *exception;         /* EG(exception) */
	zend_object **bucket;           /* the UnwindExit's bucket in the objects store, or NULL */
	zend_object *hidden;            /* what that bucket held */
} rdump_moment;

/* Called in the error observer for the memory_limit error at `lineno`:
 * rewind if the error was delayed; otherwise leave everything alone. */
void rdump_moment_rewind(rdump_moment *m, uint32_t lineno);

/* Undo rdump_moment_rewind (nothing if it did nothing). */
void rdump_moment_restore(rdump_moment *m);

#endif /* RDUMP_MOMENT_H */
