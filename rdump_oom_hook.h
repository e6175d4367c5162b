/*
 * rdump_oom_hook: where the memory_limit error is caught, the one part of
 * the OOM trigger that differs by PHP version: an error observer on PHP
 * 8.0+, a chained zend_error_cb on PHP 7.x. It calls rdump_oom_dump at
 * the moment of the error and reports its line as an E_WARNING at the
 * fatal error's file and line.
 */
#ifndef RDUMP_OOM_HOOK_H
#define RDUMP_OOM_HOOK_H

/* MINIT: register the observer, or put the handler on top of
 * zend_error_cb. */
void rdump_oom_hook_startup(void);

/* MSHUTDOWN: remove the handler if it is still on top; otherwise leave
 * the chain alone (whoever hooked after us still calls us). */
void rdump_oom_hook_shutdown(void);

/* RINIT: PHP 7.x puts the handler back on top if another extension
 * replaced zend_error_cb (nothing to do with an observer). */
void rdump_oom_hook_rearm(void);

#endif /* RDUMP_OOM_HOOK_H */
