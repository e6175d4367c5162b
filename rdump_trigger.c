/*
 * rdump_trigger.c: settings to request, outcome to message, for every
 * trigger. See rdump_trigger.h.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_rdump.h"
#include "rdump_compat.h"
#include "rdump_template.h"
#include "rdump_trigger.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RDUMP_TAG_(maj, min) "v" #maj #min
#define RDUMP_TAG(maj, min) RDUMP_TAG_(maj, min)

const char *rdump_trigger_version_tag(void)
{
	return RDUMP_TAG(PHP_MAJOR_VERSION, PHP_MINOR_VERSION);
}

/* reli finds BG, the module registry and (ZTS) the thread's storage
 * through these keys; order as reli writes them. */
static uint32_t collect_globals(rdump_global *g, const rdump_whole_roots *roots)
{
	uint32_t n = 0;
	g[n].key = "basic_globals";
	g[n++].address = roots->bg;
	g[n].key = "module_registry";
	g[n++].address = (uint64_t)(uintptr_t)&module_registry;
#ifdef ZTS
	g[n].key = "tsrm_ls_cache";
	g[n++].address = (uint64_t)(uintptr_t)tsrm_get_ls_cache();
#endif
	return n;
}

void rdump_trigger_request(rdump_request *req, const char *path, zend_bool full, zend_bool background,
		const char *marker)
{
	memset(req, 0, sizeof(*req));
	req->path = path;
	req->marker = marker;
	req->background = background;
	req->flags = full ? RDUMP_CAPTURE_FULL : 0;
	if (!RDUMP_G(ini.resident_only)) {
		req->flags |= RDUMP_CAPTURE_WHOLE;
	}
	if (RDUMP_G(ini.include_dontdump)) {
		req->flags |= RDUMP_CAPTURE_DONTDUMP;
	}
	if (RDUMP_G(ini.safe_read)) {
		req->flags |= RDUMP_CAPTURE_SAFE_READ;
	}
	req->flush = RDUMP_G(ini.flush_behind);
	rdump_whole_roots_here(&req->roots);
	req->php_version = rdump_trigger_version_tag();
	req->globals_count = collect_globals(req->globals, &req->roots);
}

zend_bool rdump_trigger_busy(void)
{
	return RDUMP_G(dumping);
}

int rdump_trigger_run(const rdump_request *req, rdump_outcome *out)
{
	int rc;

	if (RDUMP_G(dumping)) {
		memset(out, 0, sizeof(*out));
		return rdump_fail(&out->err, "a dump is already in progress", EBUSY);
	}
	RDUMP_G(dumping) = 1;
	rc = rdump_engine_dump(req, out);
	RDUMP_G(dumping) = 0;
	return rc;
}

int rdump_trigger_expand(const char *tpl, char *path, size_t size)
{
	return rdump_template_expand_now(tpl, path, size - RDUMP_TMP_SUFFIX_MAX);
}

int rdump_trigger_absolute(const char *path, char *out, size_t size)
{
	char cwd[MAXPATHLEN];
	int n;

	/* No other rewriting: ".." and symlinks stay the kernel's business. */
	if (path[0] == '/') {
		n = snprintf(out, size, "%s", path);
	} else if (VCWD_GETCWD(cwd, sizeof(cwd)) == NULL) {
		return -1;
	} else {
		n = snprintf(out, size, "%s/%s", cwd, path);
	}
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

void rdump_trigger_human_size(uint64_t n, char *out, size_t size)
{
	if (n >= ((uint64_t)1 << 30)) {
		snprintf(out, size, "%.1f GiB", (double)n / (double)((uint64_t)1 << 30));
	} else if (n >= ((uint64_t)1 << 20)) {
		snprintf(out, size, "%.1f MiB", (double)n / (double)((uint64_t)1 << 20));
	} else if (n >= 1024) {
		snprintf(out, size, "%.1f KiB", (double)n / 1024.0);
	} else {
		snprintf(out, size, "%llu B", (unsigned long long)n);
	}
}

const char *rdump_trigger_degraded(const rdump_outcome *out)
{
	static int said;
	if (said || !(out->no_pagemap || out->no_smaps)) {
		return NULL;
	}
	said = 1;
	return out->no_pagemap
		? "/proc/self/pagemap cannot be read here: dumps capture whole mappings"
		  " instead of resident pages (said once per process)"
		: "/proc/self/smaps cannot be read here: mappings marked MADV_DONTDUMP"
		  " cannot be told apart and are captured (said once per process)";
}

const char *rdump_trigger_shortfall(const rdump_outcome *out, char *buf, size_t size)
{
	if (out->shared_swap_missed == 0) {
		return NULL;
	}
	snprintf(buf, size, "%llu KiB of shared memory (opcache SHM, memfd, SysV, /dev/shm) was swapped out"
		" and not read back in time for the dump (with CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE,"
		" the dump finds and reads every such page)",
		(unsigned long long)(out->shared_swap_missed >> 10));
	return buf;
}

/* Append "; note" to the line if note is set and there is room. */
static void append(char *buf, size_t size, const char *note)
{
	size_t len = strlen(buf);
	if (note != NULL && len < size) {
		snprintf(buf + len, size - len, "; %s", note);
	}
}

void rdump_trigger_describe(const char *what, const rdump_request *req, int rc, const rdump_outcome *out,
		char *buf, size_t size)
{
	char human[32], shortfall[256];
	const char *degraded = rdump_trigger_degraded(out), *path = req->path;
	size_t len;

	if (rc != 0) {
		snprintf(buf, size, "%s to '%s' failed: %s%s%s", what, path, out->err.what,
			out->err.err ? ": " : "", out->err.err ? strerror(out->err.err) : "");
		append(buf, size, degraded);
		return;
	}
	if (out->background) {
		snprintf(buf, size, "%s being written to '%s' in the background%s", what, path,
			req->marker ? " (its marker comes when it is complete)" : "");
		append(buf, size, degraded);
		return;
	}
	rdump_trigger_human_size(out->written.region_bytes, human, sizeof(human));
	snprintf(buf, size, "%s written to '%s' (%s in %u regions)%s", what, path, human,
		out->written.region_count, out->fork_errno ? " (no snapshot child could be forked:"
		" written synchronously)" : "");
	len = strlen(buf);
	if (out->marker_errno != 0 && len < size) {
		snprintf(buf + len, size - len, ", but its marker '%s' was not: %s", req->marker,
			strerror(out->marker_errno));
	}
	append(buf, size, degraded);
	append(buf, size, rdump_trigger_shortfall(out, shortfall, sizeof(shortfall)));
}
