/*
 * rdump_oom: the memory_limit trigger. On the E_ERROR "Allowed memory
 * size of ... exhausted" (caught by rdump_oom_hook), it takes a dump
 * through rdump_trigger before anything unwinds, subject to the
 * rdump.oom_dump_* guards, and the hook reports the outcome just before
 * the fatal error.
 */
#ifndef RDUMP_OOM_H
#define RDUMP_OOM_H

#include "php.h"

/* Per request (RINIT): re-arm the hook (rdump_oom_hook_rearm) and forget
 * the previous request's rdump_set_oom_dump(). */
void rdump_oom_request_start(void);

/* For the hook: is an OOM dump configured for this request? */
zend_bool rdump_oom_enabled(void);

/* For the hook: take the OOM dump, or say why not; msg gets the line to
 * report (one line, NUL-terminated). */
void rdump_oom_dump(char *msg, size_t size);

/* rdump_set_oom_dump(): path NULL clears the override, "" turns the OOM
 * dump off for this request, anything else is a template to use instead
 * of rdump.oom_dump. Returns 0, or -1 with errno (ENAMETOOLONG) if the
 * path cannot be stored, leaving the previous setting in effect. */
int rdump_oom_override(const char *path, size_t len, zend_bool full);

#endif /* RDUMP_OOM_H */
