/*
 * rdump_moment.c: the memory_limit dump's moment. See rdump_moment.h.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "Zend/zend_exceptions.h"
#include "rdump_compat.h"
#include "rdump_moment.h"

#if RDUMP_HAVE_DELAYED_OOM

static int is_call(const zend_op *op)
{
	return op->opcode == ZEND_DO_ICALL || op->opcode == ZEND_DO_FCALL
		|| op->opcode == ZEND_DO_FCALL_BY_NAME || op->opcode == ZEND_DO_UCALL;
}

/* The internal function that returned last from `user`, if its frame is
 * still where the VM stack ends: it is the one whose allocation failed
 * when the op before the interrupted one called it. */
static zend_execute_data *popped_call(zend_execute_data *user)
{
	zend_execute_data *f = (zend_execute_data *)EG(vm_stack_top);

	if ((zval *)f + ZEND_CALL_FRAME_SLOT > EG(vm_stack_end) || f->prev_execute_data != user
		|| f->func == NULL || f->func->type != ZEND_INTERNAL_FUNCTION) {
		return NULL;
	}
	return f;
}

/* The op that was running: the call before the interrupted op if it
 * called an internal function that is still on the VM stack, else the
 * last op up to the interrupted one on the error's line. */
static const zend_op *failed_op(zend_execute_data *user, const zend_op *next, uint32_t lineno,
		zend_execute_data **call)
{
	const zend_op *first = user->func->op_array.opcodes, *op;

	*call = NULL;
	if (next > first && is_call(next - 1) && (*call = popped_call(user)) != NULL) {
		return next - 1;
	}
	for (op = next; op >= first; op--) {
		if (op->lineno == lineno) {
			return op;
		}
	}
	return next;
}

void rdump_moment_rewind(rdump_moment *m, uint32_t lineno)
{
	zend_execute_data *user = EG(current_execute_data), *call;
	const zend_op *next = EG(opline_before_exception);
	zend_object *ex = EG(exception);
	zend_objects_store *store = &EG(objects_store);

	m->rewound = 0;
	if (EG(delayed_oom).state != ZEND_OOM_STATE_HANDLING || ex == NULL || !zend_is_unwind_exit(ex)
		|| user == NULL || user->func == NULL || !ZEND_USER_CODE(user->func->type)
		|| user->opline < EG(exception_op) || user->opline >= EG(exception_op) + 3 || next == NULL
		|| next < user->func->op_array.opcodes
		|| next >= user->func->op_array.opcodes + user->func->op_array.last) {
		return;
	}
	m->rewound = 1;
	m->current = user;
	m->user = user;
	m->opline = user->opline;
	m->exception = ex;
	m->bucket = NULL;
	user->opline = failed_op(user, next, lineno, &call);
	if (call != NULL) {
		EG(current_execute_data) = call;
	}
	EG(exception) = NULL;
	if (ex->handle < store->top && store->object_buckets[ex->handle] == ex) {
		m->bucket = &store->object_buckets[ex->handle];
		*m->bucket = SET_OBJ_INVALID(ex);
	}
}

void rdump_moment_restore(rdump_moment *m)
{
	if (!m->rewound) {
		return;
	}
	if (m->bucket != NULL) {
		*m->bucket = m->exception;
	}
	EG(exception) = m->exception;
	m->user->opline = m->opline;
	EG(current_execute_data) = m->current;
	m->rewound = 0;
}

#else

void rdump_moment_rewind(rdump_moment *m, uint32_t lineno)
{
	(void)lineno;
	m->rewound = 0;
}

void rdump_moment_restore(rdump_moment *m)
{
	(void)m;
}

#endif
