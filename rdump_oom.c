/*
 * rdump_oom.c: the memory_limit dump: its guards, path, disk budget and
 * marker. See rdump_oom.h; rdump_oom_hook.c catches the error.
 *
 * The heap is exhausted when this runs: everything below uses the stack
 * and plain system calls, and the engine allocates nothing.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_rdump.h"
#include "rdump_compat.h"
#include "rdump_oom.h"
#include "rdump_oom_hook.h"
#include "rdump_trigger.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

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

void rdump_oom_dump(char *msg, size_t size)
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

zend_bool rdump_oom_enabled(void)
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

void rdump_oom_request_start(void)
{
	rdump_oom_hook_rearm();
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
