/*
 * rdump_signal: dumps on demand by signal (rdump.signal), with no
 * application code. The handler only records the request and raises the
 * engine's VM interrupt; the dump runs at the next interrupt point
 * through zend_interrupt_function, so the call stack in the dump is where
 * the script was.
 */
#ifndef RDUMP_SIGNAL_H
#define RDUMP_SIGNAL_H

/* MINIT: hook zend_interrupt_function, install the handler if
 * rdump.signal is set (warns where the engine has no VM interrupt). */
void rdump_signal_startup(void);

/* MSHUTDOWN: put back what was there. */
void rdump_signal_shutdown(void);

/* RINIT: put the handler back if something reset it (php-fpm resets
 * signal handlers in each worker after fork), and carry a signal that
 * arrived between requests into this one. */
void rdump_signal_request_start(void);

#endif /* RDUMP_SIGNAL_H */
