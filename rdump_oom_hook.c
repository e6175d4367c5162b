/*
 * rdump_oom_hook.c: where the memory_limit error is caught, per PHP
 * version. See rdump_oom_hook.h.
 *
 * The hook runs on every diagnostic the engine raises, so the common case
 * is one comparison (type != E_ERROR). On the memory_limit error the heap
 * is exhausted: everything below uses the stack and plain system calls.
 *
 * Where it hooks:
 * - PHP 8.0+: an error observer. zend_error_impl notifies observers just
 *   before it calls zend_error_cb, so the dump sees the intact stack, and
 *   no other extension can displace it: Xdebug in develop mode replaces
 *   zend_error_cb in its RINIT (which runs after ours, as Xdebug's module
 *   is started after regular extensions) and never calls the handler it
 *   replaced, so a zend_error_cb hook would silently stop firing.
 * - PHP 7.x (no error observers): a chained zend_error_cb that always
 *   calls the handler below it with the original arguments, put back on
 *   top at RINIT and at every compile if it was displaced.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_rdump.h"
#if PHP_VERSION_ID >= 80000
# include "Zend/zend_observer.h"
#endif
#include "rdump_compat.h"
#include "rdump_moment.h"
#include "rdump_oom.h"
#include "rdump_oom_hook.h"

#include <stdarg.h>
#include <string.h>

#define RDUMP_OOM_PREFIX "Allowed memory size of "
#define RDUMP_MESSAGE_MAX (PATH_MAX + 1024)

/* Dump if this diagnostic is the memory_limit error and an OOM dump is
 * configured; then report the outcome through `sink`, as an E_WARNING at
 * the fatal error's file and line, so it lands where that error lands
 * (log, display) without running set_error_handler() user code. */
#if PHP_VERSION_ID >= 80000
static void handle_oom(void (*sink)(RDUMP_ERROR_CB_PARAMS), RDUMP_ERROR_CB_PARAMS)
{
	char msg[RDUMP_MESSAGE_MAX];
	zend_string *text;
	rdump_moment moment;

	if ((type & E_ALL) != E_ERROR || !rdump_oom_enabled()
		|| !RDUMP_ERROR_CB_MESSAGE_STARTS(RDUMP_OOM_PREFIX)) {
		return;
	}
	rdump_moment_rewind(&moment, error_lineno);
	rdump_oom_dump(msg, sizeof(msg));
	rdump_moment_restore(&moment);
	text = zend_string_init(msg, strlen(msg), 0);
	sink(E_WARNING, error_filename, error_lineno, text);
	zend_string_release(text);
}
#else
static void report_va(void (*sink)(RDUMP_ERROR_CB_PARAMS), const char *file, uint32_t lineno,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sink(E_WARNING, file, lineno, fmt, ap);
	va_end(ap);
}

static void handle_oom(void (*sink)(RDUMP_ERROR_CB_PARAMS), RDUMP_ERROR_CB_PARAMS)
{
	char msg[RDUMP_MESSAGE_MAX];

	(void)args;
	if ((type & E_ALL) != E_ERROR || !rdump_oom_enabled()
		|| !RDUMP_ERROR_CB_MESSAGE_STARTS(RDUMP_OOM_PREFIX)) {
		return;
	}
	rdump_oom_dump(msg, sizeof(msg));
	report_va(sink, error_filename, error_lineno, "%s", msg);
}
#endif

#if PHP_VERSION_ID >= 80000

static void rdump_oom_observer(RDUMP_ERROR_CB_PARAMS)
{
	if (EXPECTED((type & E_ALL) != E_ERROR)) {
		return;
	}
	/* The observer runs before zend_error_cb; report through whatever
	 * handler is on top now, as the fatal error will be. */
	handle_oom(zend_error_cb, RDUMP_ERROR_CB_PASSTHRU);
}

void rdump_oom_hook_startup(void)
{
	zend_observer_error_register(rdump_oom_observer);
}

void rdump_oom_hook_shutdown(void)
{
	/* Observers stay registered until the engine shuts down; the engine
	 * raises no error between module shutdown and then. */
}

void rdump_oom_hook_rearm(void)
{
}

#else /* PHP 7.x: chained zend_error_cb */

/* The handler below ours, and the one there at MINIT. If an extension
 * hooked on top of us and we then chained to it again at RINIT, the
 * chain comes back to us: that re-entry goes straight to the MINIT
 * handler, so every handler runs once and nothing loops. */
static void (*previous_error_cb)(RDUMP_ERROR_CB_PARAMS);
static void (*startup_error_cb)(RDUMP_ERROR_CB_PARAMS);

/* The diagnostics after which the engine may bail out (longjmp). */
# define RDUMP_FATAL_TYPES (E_ERROR | E_CORE_ERROR | E_COMPILE_ERROR | E_USER_ERROR \
	| E_RECOVERABLE_ERROR | E_PARSE)

static void rdump_oom_error_cb(RDUMP_ERROR_CB_PARAMS)
{
	if (UNEXPECTED(RDUMP_G(in_error_cb))) {
		startup_error_cb(RDUMP_ERROR_CB_PASSTHRU);
		return;
	}
	RDUMP_G(in_error_cb) = 1;
	if (EXPECTED(!(type & RDUMP_FATAL_TYPES))) {
		/* Notices and warnings: the hot path, a test and a call. */
		previous_error_cb(RDUMP_ERROR_CB_PASSTHRU);
	} else {
		handle_oom(previous_error_cb, RDUMP_ERROR_CB_PASSTHRU);
		/* A fatal error unwinds by longjmp from inside the handlers. */
		zend_try {
			previous_error_cb(RDUMP_ERROR_CB_PASSTHRU);
		} zend_catch {
			RDUMP_G(in_error_cb) = 0;
			zend_bailout();
		} zend_end_try();
	}
	RDUMP_G(in_error_cb) = 0;
}

/* Some extensions set zend_error_cb in their RINIT without chaining
 * (Xdebug 3 in develop mode, whose module starts after ours, so its RINIT
 * runs after ours): this puts the hook back on top. */
static void rehook_error_cb(void)
{
	if (UNEXPECTED(zend_error_cb != rdump_oom_error_cb)) {
		previous_error_cb = zend_error_cb;
		zend_error_cb = rdump_oom_error_cb;
	}
}

/* Hence also at each compile, which comes after every RINIT: the main
 * script, eval'd and -r code, includes. A script served from opcache's
 * cache is not compiled; there only RINIT re-hooks (docs/INTERNALS.md). */
static zend_op_array *(*previous_compile_file)(zend_file_handle *file_handle, int type);
static zend_op_array *(*previous_compile_string)(zval *source_string, char *filename);

static zend_op_array *rdump_compile_file(zend_file_handle *file_handle, int type)
{
	rehook_error_cb();
	return previous_compile_file(file_handle, type);
}

static zend_op_array *rdump_compile_string(zval *source_string, char *filename)
{
	rehook_error_cb();
	return previous_compile_string(source_string, filename);
}

void rdump_oom_hook_startup(void)
{
	startup_error_cb = previous_error_cb = zend_error_cb;
	zend_error_cb = rdump_oom_error_cb;
	previous_compile_file = zend_compile_file;
	zend_compile_file = rdump_compile_file;
	previous_compile_string = zend_compile_string;
	zend_compile_string = rdump_compile_string;
}

void rdump_oom_hook_shutdown(void)
{
	if (zend_error_cb == rdump_oom_error_cb) {
		zend_error_cb = previous_error_cb;
	}
	if (zend_compile_file == rdump_compile_file) {
		zend_compile_file = previous_compile_file;
	}
	if (zend_compile_string == rdump_compile_string) {
		zend_compile_string = previous_compile_string;
	}
}

void rdump_oom_hook_rearm(void)
{
	rehook_error_cb();
	RDUMP_G(in_error_cb) = 0;
}

#endif
