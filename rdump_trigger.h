/*
 * rdump_trigger: what every trigger (rdump_dump(), the memory_limit hook,
 * the signal) shares. It turns settings into a complete engine request,
 * runs the engine under the one-dump-at-a-time guard, and turns the
 * outcome into the sentences a trigger reports, so a dump that is
 * degraded or short says so the same way whatever fired it.
 *
 * Everything here is safe on the memory_limit path: stack buffers and
 * plain system calls, no allocation. It must run on a PHP thread.
 */
#ifndef RDUMP_TRIGGER_H
#define RDUMP_TRIGGER_H

#include "php.h"
#include "rdump_engine.h"

/* Fill *req for a dump to `path` (absolute, or expanded from a template),
 * with the capture settings (rdump.resident_only, include_dontdump,
 * safe_read, flush_behind) and the calling thread's header addresses.
 * `marker`: NULL, or the file to create once the dump is complete. */
void rdump_trigger_request(rdump_request *req, const char *path, zend_bool full, zend_bool background,
		const char *marker);

/* Is a dump running on this thread? A trigger firing during a dump (the
 * memory_limit hook, a signal) must not start a second one. */
zend_bool rdump_trigger_busy(void);

/* Run the engine under that guard: 0, or -1 with out->err set (EBUSY
 * when a dump is already running). *out is always filled. */
int rdump_trigger_run(const rdump_request *req, rdump_outcome *out);

/* Expand a path template for now into path (PATH_MAX bytes), leaving room
 * for the writer's temporary name. 0, or -1 if it does not fit. */
int rdump_trigger_expand(const char *tpl, char *path, size_t size);

/* `path` made absolute for the kernel: under ZTS the engine keeps a
 * virtual working directory per thread. 0, or -1 with errno. */
int rdump_trigger_absolute(const char *path, char *out, size_t size);

/* One line for the log: "<what> written to '<path>' (3.0 MiB in 40
 * regions)", "... being written ... in the background", "<what> to
 * '<path>' failed: <step>: <strerror>", each followed by what the dump
 * lacks: no snapshot child, marker not created, pagemap or smaps
 * unreadable (said once per process), swapped-out shared memory missed.
 * `what` names the trigger ("rdump: memory_limit dump"). */
void rdump_trigger_describe(const char *what, const rdump_request *req, int rc, const rdump_outcome *out,
		char *buf, size_t size);

/* The parts of that line apart, for rdump_dump() which reports them as
 * separate diagnostics: each NULL when it does not apply. */
const char *rdump_trigger_degraded(const rdump_outcome *out);
const char *rdump_trigger_shortfall(const rdump_outcome *out, char *buf, size_t size);

/* "3.0 MiB", "512 B": a byte count for a message. */
void rdump_trigger_human_size(uint64_t n, char *out, size_t size);

/* The version tag the header carries ("v82"). */
const char *rdump_trigger_version_tag(void);

#endif /* RDUMP_TRIGGER_H */
