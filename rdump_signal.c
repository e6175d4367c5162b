/*
 * rdump_signal.c: dumps on demand by signal. See rdump_signal.h.
 *
 * The handler is async-signal-safe: it sets a flag and raises the VM
 * interrupt of the thread it runs on (under ZTS, only a thread that runs
 * PHP). The dump itself runs in zend_interrupt_function, in ordinary
 * engine context, at the next interrupt point of the script (a loop's
 * back edge or a function call): its call stack is where the script was.
 * A signal that arrives while a dump runs is folded into that dump.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_rdump.h"
#include "rdump_compat.h"
#include "rdump_signal.h"
#include "rdump_trigger.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#if RDUMP_HAVE_VM_INTERRUPT

static volatile sig_atomic_t pending;
static int installed_sig;                   /* 0: no handler installed */
static struct sigaction previous_action;
static void (*previous_interrupt)(zend_execute_data *execute_data);

static void rdump_signal_handler(int sig)
{
	int saved = errno;
	(void)sig;
	pending = 1;
# ifdef ZTS
	/* A thread that never ran PHP has no executor globals to interrupt;
	 * the request then waits for a PHP thread's next RINIT. */
	if (TSRMLS_CACHE != NULL) {
		RDUMP_RAISE_VM_INTERRUPT();
	}
# else
	RDUMP_RAISE_VM_INTERRUPT();
# endif
	errno = saved;
}

static void say(const char *msg)
{
	php_log_err((char *)msg);
}

static void signal_dump(void)
{
	char path[PATH_MAX], msg[PATH_MAX + 1024];
	const char *tpl = RDUMP_G(ini.signal_dump);
	rdump_request req;
	rdump_outcome out;
	int rc;

	if (tpl == NULL || tpl[0] == '\0') {
		say("rdump: signal received, but rdump.signal_dump is not set: no dump");
		return;
	}
	if (rdump_trigger_expand(tpl, path, sizeof(path)) != 0) {
		say("rdump: signal dump skipped: the path template expands past the path length limit");
		return;
	}
	rdump_trigger_request(&req, path, RDUMP_G(ini.signal_dump_full), RDUMP_G(ini.signal_dump_background), NULL);
	rc = rdump_trigger_run(&req, &out);
	rdump_trigger_describe("rdump: signal dump", &req, rc, &out, msg, sizeof(msg));
	say(msg);
}

static void rdump_interrupt(zend_execute_data *execute_data)
{
	if (pending && !rdump_trigger_busy()) {
		pending = 0;
		signal_dump();
		/* Signals that came while it ran asked for this same dump. */
		pending = 0;
	}
	if (previous_interrupt) {
		previous_interrupt(execute_data);
	}
}

/* Install the handler unless it is in place. */
static void install(void)
{
	struct sigaction act, now;
	int sig = RDUMP_G(ini.signal);

	if (sig == 0 || (sigaction(sig, NULL, &now) == 0 && now.sa_handler == rdump_signal_handler)) {
		return;
	}
	memset(&act, 0, sizeof(act));
	act.sa_handler = rdump_signal_handler;
	act.sa_flags = SA_RESTART;
	sigemptyset(&act.sa_mask);
	if (sigaction(sig, &act, installed_sig ? NULL : &previous_action) == 0) {
		installed_sig = sig;
	}
}

void rdump_signal_startup(void)
{
	previous_interrupt = zend_interrupt_function;
	zend_interrupt_function = rdump_interrupt;
	install();
}

void rdump_signal_shutdown(void)
{
	if (zend_interrupt_function == rdump_interrupt) {
		zend_interrupt_function = previous_interrupt;
	}
	if (installed_sig) {
		sigaction(installed_sig, &previous_action, NULL);
		installed_sig = 0;
	}
}

void rdump_signal_request_start(void)
{
	install();
	if (pending) {
		RDUMP_RAISE_VM_INTERRUPT();
	}
}

#else /* PHP 7.0: no VM interrupt */

void rdump_signal_startup(void)
{
	if (RDUMP_G(ini.signal) != 0) {
		php_error_docref(NULL, E_CORE_WARNING, "rdump.signal is not supported on PHP 7.0 (the engine has"
			" no VM interrupt to run the dump at): no signal handler installed");
	}
}

void rdump_signal_shutdown(void)
{
}

void rdump_signal_request_start(void)
{
}

#endif
