/*
 * rdump_oom.c: dump at memory_limit death. See rdump_oom.h.
 *
 * The hook runs on every diagnostic the engine raises, so the common case
 * is one comparison (type != E_ERROR). On the memory_limit error the heap
 * is exhausted: everything below uses the stack and plain system calls,
 * and the engine allocates nothing.
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
#include "rdump_trigger.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>


#define RDUMP_OOM_PREFIX "Allowed memory size of "
#define RDUMP_MESSAGE_MAX (PATH_MAX + 1024)

/* What getdents64(2) fills its buffer with (the kernel's struct
 * linux_dirent64; glibc declares no such type), 8-byte aligned. */
struct dirent64_record {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* Bytes in the regular *.rdump files of path's directory (lstat: links
 * are not followed), read with getdents64 so nothing is allocated.
 * -1 with errno if the directory cannot be read. */
static int64_t rdump_files_bytes(const char *path)
{
	char dir[PATH_MAX];
	_Alignas(struct dirent64_record) char buf[8192];
	const char *slash = strrchr(path, '/');
	int64_t total = 0;
	int fd;

	if (slash == NULL || (size_t)(slash - path) >= sizeof(dir)) {
		errno = EINVAL;
		return -1;
	}
	if (slash == path) {
		strcpy(dir, "/");
	} else {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		long at = 0;
		if (n < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0) {
			break;
		}
		while (at < n) {
			const struct dirent64_record *d = (const struct dirent64_record *)(buf + at);
			const char *name = d->name;
			size_t len;
			struct stat st;

			at += d->reclen;
			len = strlen(name);
			if (len > 6 && memcmp(name + len - 6, ".rdump", 6) == 0
				&& fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
				total += (int64_t)st.st_size;
			}
		}
	}
	close(fd);
	return total;
}

/* The path to dump to, or NULL with a reason in msg. */
static const char *choose_path(char *path, size_t size, zend_bool *full)
{
	const char *tpl;

	if (RDUMP_G(override_mode) == RDUMP_OVERRIDE_PATH) {
		tpl = RDUMP_G(override_path);
		*full = RDUMP_G(override_full);
	} else {
		tpl = RDUMP_G(ini.oom_dump);
		*full = RDUMP_G(ini.oom_dump_full);
	}
	if (rdump_trigger_expand(tpl, path, size) != 0) {
		return NULL;
	}
	return path;
}

/* Whether a guard stops this attempt: writes the reason and returns 1. */
static int guarded(time_t now, char *msg, size_t size)
{
	uint64_t max = RDUMP_G(ini.oom_dump_max), interval = RDUMP_G(ini.oom_dump_min_interval);

	if (rdump_trigger_busy()) {
		snprintf(msg, size, "rdump: memory_limit dump skipped: a dump is already in progress");
		return 1;
	}
	if (max > 0 && RDUMP_G(oom_attempts) >= max) {
		snprintf(msg, size, "rdump: memory_limit dump skipped: rdump.oom_dump_max=%llu reached"
			" (%llu attempted by this worker)",
			(unsigned long long)max, (unsigned long long)RDUMP_G(oom_attempts));
		return 1;
	}
	if (interval > 0 && RDUMP_G(oom_last_attempt) != 0
		&& (uint64_t)(now - RDUMP_G(oom_last_attempt)) < interval) {
		snprintf(msg, size, "rdump: memory_limit dump skipped: rdump.oom_dump_min_interval=%llu"
			" not elapsed (last attempt %llds ago)", (unsigned long long)interval,
			(long long)(now - RDUMP_G(oom_last_attempt)));
		return 1;
	}
	return 0;
}

static int over_budget(const char *path, char *msg, size_t size)
{
	uint64_t budget = RDUMP_G(ini.oom_dump_max_total);
	uint64_t incoming = (uint64_t)zend_memory_usage(1);
	char b1[32], b2[32], b3[32];
	int64_t existing;

	if (budget == 0) {
		return 0;
	}
	existing = rdump_files_bytes(path);
	if (existing < 0) {
		snprintf(msg, size, "rdump: memory_limit dump skipped: cannot measure the disk budget"
			" rdump.oom_dump_max_total in the directory of '%s': %s", path, strerror(errno));
		return 1;
	}
	if ((uint64_t)existing + incoming >= budget) {
		rdump_trigger_human_size((uint64_t)existing, b1, sizeof(b1));
		rdump_trigger_human_size(incoming, b2, sizeof(b2));
		rdump_trigger_human_size(budget, b3, sizeof(b3));
		snprintf(msg, size, "rdump: memory_limit dump skipped: rdump.oom_dump_max_total=%s would be"
			" reached (%s in *.rdump files there + at least %s for this dump) for '%s'",
			b3, b1, b2, path);
		return 1;
	}
	return 0;
}

static int marker_path(const char *path, char *out, size_t size)
{
	int n = snprintf(out, size, "%s.done", path);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Take the OOM dump, or say why not; msg gets the line to report. */
static void oom_dump(char *msg, size_t size)
{
	char path[PATH_MAX], marker[PATH_MAX + 8];
	rdump_request req;
	rdump_outcome out;
	zend_bool full = 0;
	time_t now = time(NULL);
	int rc;

	if (guarded(now, msg, size)) {
		return;
	}
	/* Counted before anything can fail, so a bad path or a full disk
	 * costs one attempt, not one per request. */
	RDUMP_G(oom_attempts)++;
	RDUMP_G(oom_last_attempt) = now;

	if (choose_path(path, sizeof(path), &full) == NULL) {
		snprintf(msg, size, "rdump: memory_limit dump skipped: the path template expands past"
			" the path length limit");
		return;
	}
	if (over_budget(path, msg, size)) {
		return;
	}
	marker[0] = '\0';
	if (RDUMP_G(ini.oom_dump_marker)) {
		struct stat st;
		if (marker_path(path, marker, sizeof(marker)) != 0) {
			snprintf(msg, size, "rdump: memory_limit dump skipped: '%s.done' is too long", path);
			return;
		}
		/* A marker left by an earlier dump to this path would claim the
		 * new dump is complete before it is. */
		if (lstat(marker, &st) == 0 && !S_ISDIR(st.st_mode)) {
			unlink(marker);
		}
	}

	rdump_trigger_request(&req, path, full, RDUMP_G(ini.oom_dump_background),
		marker[0] != '\0' ? marker : NULL);
	rc = rdump_trigger_run(&req, &out);
	rdump_trigger_describe("rdump: memory_limit dump", &req, rc, &out, msg, size);
}

static zend_bool oom_enabled(void)
{
	switch (RDUMP_G(override_mode)) {
		case RDUMP_OVERRIDE_OFF:
			return 0;
		case RDUMP_OVERRIDE_PATH:
			return 1;
		default:
			return RDUMP_G(ini.oom_dump) != NULL && RDUMP_G(ini.oom_dump)[0] != '\0';
	}
}

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

	if ((type & E_ALL) != E_ERROR || !oom_enabled()
		|| !RDUMP_ERROR_CB_MESSAGE_STARTS(RDUMP_OOM_PREFIX)) {
		return;
	}
	rdump_moment_rewind(&moment, error_lineno);
	oom_dump(msg, sizeof(msg));
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
	if ((type & E_ALL) != E_ERROR || !oom_enabled()
		|| !RDUMP_ERROR_CB_MESSAGE_STARTS(RDUMP_OOM_PREFIX)) {
		return;
	}
	oom_dump(msg, sizeof(msg));
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

void rdump_oom_startup(void)
{
	zend_observer_error_register(rdump_oom_observer);
}

void rdump_oom_shutdown(void)
{
	/* Observers stay registered until the engine shuts down; the engine
	 * raises no error between module shutdown and then. */
}

static void rehook(void)
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
 * cache is not compiled; there only RINIT re-hooks (see README). */
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

void rdump_oom_startup(void)
{
	startup_error_cb = previous_error_cb = zend_error_cb;
	zend_error_cb = rdump_oom_error_cb;
	previous_compile_file = zend_compile_file;
	zend_compile_file = rdump_compile_file;
	previous_compile_string = zend_compile_string;
	zend_compile_string = rdump_compile_string;
}

void rdump_oom_shutdown(void)
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

static void rehook(void)
{
	rehook_error_cb();
	RDUMP_G(in_error_cb) = 0;
}

#endif

void rdump_oom_request_start(void)
{
	rehook();
	RDUMP_G(override_mode) = RDUMP_OVERRIDE_NONE;
	RDUMP_G(override_full) = 0;
	RDUMP_G(override_path)[0] = '\0';
}

int rdump_oom_override(const char *path, size_t len, zend_bool full)
{
	if (path == NULL) {
		rdump_oom_request_start();
		return 0;
	}
	if (len == 0) {
		RDUMP_G(override_mode) = RDUMP_OVERRIDE_OFF;
		return 0;
	}
	if (len >= sizeof(RDUMP_G(override_path))) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(RDUMP_G(override_path), path, len + 1);
	RDUMP_G(override_mode) = RDUMP_OVERRIDE_PATH;
	RDUMP_G(override_full) = full;
	return 0;
}
