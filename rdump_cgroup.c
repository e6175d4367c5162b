/*
 * rdump_cgroup.c: this process's memory cgroup limit. See rdump_cgroup.h.
 */
#include "rdump_cgroup.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int rdump_cgroup_find(const char *text, size_t len, rdump_span *path, int *v1)
{
	const char *p = text, *end = text + len;
	int found = 0;

	/* Lines "hierarchy-ID:controller,list:path". */
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *c1, *c2;
		rdump_span ctl;
		if (!eol) {
			eol = end;
		}
		c1 = memchr(p, ':', (size_t)(eol - p));
		c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;
		if (c2 && c2 + 1 < eol && c2[1] == '/') {
			ctl.ptr = c1 + 1;
			ctl.len = (size_t)(c2 - c1 - 1);
			while (ctl.len > 0) {
				const char *comma = memchr(ctl.ptr, ',', ctl.len);
				rdump_span one = { ctl.ptr, comma ? (size_t)(comma - ctl.ptr) : ctl.len };
				if (rdump_maps_span_eq(one, "memory")) {
					path->ptr = c2 + 1;
					path->len = (size_t)(eol - c2 - 1);
					*v1 = 1;
					return 0;
				}
				if (!comma) {
					break;
				}
				ctl.len -= (size_t)(comma + 1 - ctl.ptr);
				ctl.ptr = comma + 1;
			}
			if (!found && c1 - p == 1 && p[0] == '0' && c2 == c1 + 1) {
				path->ptr = c2 + 1;
				path->len = (size_t)(eol - c2 - 1);
				*v1 = 0;
				found = 1;
			}
		}
		p = eol + 1;
	}
	return found ? 0 : -1;
}

/* Read a small file into buf, NUL-terminated: its length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = rdump_maps_open_proc(path);
	if (fd < 0) {
		return -1;
	}
	do {
		n = read(fd, buf, size - 1);
	} while (n < 0 && errno == EINTR);
	close(fd);
	if (n >= 0) {
		buf[n] = '\0';
	}
	return n;
}

/* Leading decimal digits of a cgroup file. A limit of "max" (v2) is none;
 * v1's "unlimited" is a huge number, and any limit counts only below
 * physical memory. */
static int parse_u64(const char *v, uint64_t *out)
{
	rdump_span digits;

	digits.ptr = v;
	digits.len = strspn(v, "0123456789");
	return rdump_maps_parse_dec(digits, out);
}

int64_t rdump_cgroup_headroom(void)
{
	char text[4096], file[PATH_MAX], value[64];
	long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
	uint64_t physical = pages > 0 && page_size > 0 ? (uint64_t)pages * (uint64_t)page_size : UINT64_MAX;
	int64_t least = -1;
	rdump_span path;
	ssize_t n = read_small("/proc/self/cgroup", text, sizeof(text));
	size_t len;
	int v1;

	if (n <= 0 || rdump_cgroup_find(text, (size_t)n, &path, &v1) != 0) {
		return -1;
	}
	/* From the process's cgroup up to the root of the mounted hierarchy
	 * (in a container without a cgroup namespace the host's path does not
	 * exist under the mount; walking up finds the container's own). */
	len = path.len;
	while (len > 0 && path.ptr[len - 1] == '/') {
		len--;
	}
	for (;;) {
		const char *dir = v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup";
		uint64_t limit, usage = 0;
		int w = snprintf(file, sizeof(file), "%s%.*s/%s", dir, (int)len, path.ptr,
			v1 ? "memory.limit_in_bytes" : "memory.max");

		if (w > 0 && (size_t)w < sizeof(file) && read_small(file, value, sizeof(value)) > 0
			&& parse_u64(value, &limit) == 0 && limit < physical) {
			/* A limit whose usage cannot be read leaves no known room. */
			w = snprintf(file, sizeof(file), "%s%.*s/%s", dir, (int)len, path.ptr,
				v1 ? "memory.usage_in_bytes" : "memory.current");
			if (w <= 0 || (size_t)w >= sizeof(file) || read_small(file, value, sizeof(value)) <= 0
				|| parse_u64(value, &usage) != 0 || usage > limit) {
				usage = limit;
			}
			if (limit - usage < (uint64_t)INT64_MAX && (least < 0 || (int64_t)(limit - usage) < least)) {
				least = (int64_t)(limit - usage);
			}
		}
		if (len == 0) {
			return least;
		}
		while (len > 0 && path.ptr[len - 1] != '/') {
			len--;
		}
		if (len > 0) {
			len--;
		}
	}
}

int rdump_cgroup_limited(void)
{
	return rdump_cgroup_headroom() >= 0;
}
