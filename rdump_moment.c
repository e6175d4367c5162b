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

/* The UnwindExit the delayed error threw: EG(exception) while it is set;
 * where the error has cleared that already, the last one in the store. */
static zend_object **unwind_bucket(zend_object *ex)
{
	zend_objects_store *store = &EG(objects_store);
	uint32_t i;

	if (ex != NULL) {
		return ex->handle < store->top && store->object_buckets[ex->handle] == ex
			? &store->object_buckets[ex->handle] : NULL;
	}
	for (i = store->top; i-- > 1;) {
		zend_object *o = store->object_buckets[i];
		if (IS_OBJ_VALID(o) && o != NULL && zend_is_unwind_exit(o)) {
			return &store->object_buckets[i];
		}
	}
	return NULL;
}

/* The user frame left on the engine's exception op: back on the op that
 * was running, with the internal function it called on top again. */
static void rewind_frames(rdump_moment *m, uint32_t lineno)
{
	zend_execute_data *user = EG(current_execute_data), *call;
	const zend_op *next = EG(opline_before_exception);

	if (user == NULL || user->func == NULL || !ZEND_USER_CODE(user->func->type)
		|| user->opline < EG(exception_op) || user->opline >= EG(exception_op) + 3 || next == NULL
		|| next < user->func->op_array.opcodes
		|| next >= user->func->op_array.opcodes + user->func->op_array.last) {
		return;
	}
	m->user = user;
	m->opline = user->opline;
	user->opline = failed_op(user, next, lineno, &call);
	if (call != NULL) {
		EG(current_execute_data) = call;
	}
}

void rdump_moment_rewind(rdump_moment *m, uint32_t lineno)
{
	zend_object *ex = EG(exception);

	memset(m, 0, sizeof(*m));
	if (EG(delayed_oom).state != ZEND_OOM_STATE_HANDLING || (ex != NULL && !zend_is_unwind_exit(ex))) {
		return;
	}
	m->rewound = 1;
	m->current = EG(current_execute_data);
	m->exception = ex;
	rewind_frames(m, lineno);
	EG(exception) = NULL;
	m->bucket = unwind_bucket(ex);
	if (m->bucket != NULL) {
		m->hidden = *m->bucket;
		*m->bucket = SET_OBJ_INVALID(m->hidden);
	}
}

void rdump_moment_restore(rdump_moment *m)
{
	if (!m->rewound) {
		return;
	}
	if (m->bucket != NULL) {
		*m->bucket = m->hidden;
	}
	EG(exception) = m->exception;
	if (m->user != NULL) {
		m->user->opline = m->opline;
	}
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
