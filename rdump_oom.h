/*
 * rdump_oom: the memory_limit trigger. A chained zend_error_cb that, on
 * the E_ERROR "Allowed memory size of ... exhausted", takes a dump through
 * rdump_engine before anything unwinds, subject to the rdump.oom_dump_*
 * guards, and reports the outcome just before the fatal error.
 */
#ifndef RDUMP_OOM_H
#define RDUMP_OOM_H

#include "php.h"

/* Install the hook on top of zend_error_cb (MINIT). */
void rdump_oom_startup(void);
/* Remove it if it is still on top; otherwise leave the chain alone
 * (whoever hooked after us still calls us). */
void rdump_oom_shutdown(void);
/* Per request (RINIT): put the hook back on top if another extension
 * replaced zend_error_cb, and forget the previous request's
 * rdump_set_oom_dump(). */
void rdump_oom_request_start(void);

/* rdump_set_oom_dump(): path NULL clears the override, "" turns the OOM
 * dump off for this request, anything else is a template to use instead
 * of rdump.oom_dump. Returns 0, or -1 with errno (ENAMETOOLONG) if the
 * path cannot be stored, leaving the previous setting in effect. */
int rdump_oom_override(const char *path, size_t len, zend_bool full);

#endif /* RDUMP_OOM_H */
