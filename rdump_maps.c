/*
 * rdump_maps.c: /proc/self/maps and /proc/self/statm, and the capture
 * policy. See rdump_maps.h for the contract.
 */
#include "rdump_maps.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static int span_eq(rdump_span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

static int span_starts(rdump_span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len >= n && memcmp(s.ptr, lit, n) == 0;
}

/* Take a token of characters up to `stop` (or a space). */
static int take_token(const char **p, const char *end, char stop, rdump_span *tok)
{
	const char *s = *p;
	while (*p < end && **p != stop && **p != ' ') {
		(*p)++;
	}
	if (*p == s) {
		return -1;
	}
	tok->ptr = s;
	tok->len = (size_t)(*p - s);
	return 0;
}

static int skip_char(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c) {
		return -1;
	}
	(*p)++;
	return 0;
}

int rdump_maps_parse_hex(rdump_span s, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	if (s.len == 0 || s.len > 16) {
		return -1;
	}
	for (i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		unsigned d;
		if (c >= '0' && c <= '9') {
			d = (unsigned)(c - '0');
		} else if (c >= 'a' && c <= 'f') {
			d = (unsigned)(c - 'a' + 10);
		} else {
			return -1;
		}
		v = (v << 4) | d;
	}
	*out = v;
	return 0;
}

static int parse_dec(rdump_span s, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	if (s.len == 0 || s.len > 20) {
		return -1;
	}
	for (i = 0; i < s.len; i++) {
		unsigned d = (unsigned)(s.ptr[i] - '0');
		if (d > 9 || v > (UINT64_MAX - d) / 10) {
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int perm_flag(char c, char yes, unsigned char *out)
{
	if (c == yes) {
		*out = 1;
	} else if (c == '-') {
		*out = 0;
	} else {
		return -1;
	}
	return 0;
}

/* "begin-end perms offset dev inode   name" */
int rdump_maps_parse_line(const char *line, size_t len, rdump_vma *out)
{
	const char *p = line, *end = line + len;
	rdump_span perms, inode;

	memset(out, 0, sizeof(*out));
	if (take_token(&p, end, '-', &out->start_hex) || skip_char(&p, end, '-')
		|| take_token(&p, end, ' ', &out->end_hex) || skip_char(&p, end, ' ')
		|| take_token(&p, end, ' ', &perms) || skip_char(&p, end, ' ')
		|| take_token(&p, end, ' ', &out->offset_hex) || skip_char(&p, end, ' ')
		|| take_token(&p, end, ' ', &out->device) || skip_char(&p, end, ' ')
		|| take_token(&p, end, ' ', &inode)) {
		return -1;
	}
	if (rdump_maps_parse_hex(out->start_hex, &out->start)
		|| rdump_maps_parse_hex(out->end_hex, &out->end)
		|| rdump_maps_parse_hex(out->offset_hex, &out->offset) || parse_dec(inode, &out->inode)
		|| out->end <= out->start || perms.len != 4
		|| perm_flag(perms.ptr[0], 'r', &out->read)
		|| perm_flag(perms.ptr[1], 'w', &out->write)
		|| perm_flag(perms.ptr[2], 'x', &out->exec)) {
		return -1;
	}
	if (perms.ptr[3] == 'p') {
		out->private_ = 1;
	} else if (perms.ptr[3] != 's') {
		return -1;
	}
	/* The name is padded to a column; it may itself contain spaces. */
	while (p < end && *p == ' ') {
		p++;
	}
	out->name.ptr = p;
	out->name.len = (size_t)(end - p);
	return 0;
}

/* Shared memory rather than a shared view of an ordinary file: opcache's
 * SHM is an anonymous shared mapping, which the kernel shows as
 * "/dev/zero (deleted)"; memfd and SysV segments and /dev/shm likewise. */
static int is_shared_memory(const rdump_vma *v)
{
	return !v->private_ && (v->name.len == 0
		|| span_starts(v->name, "/dev/zero")
		|| span_starts(v->name, "/memfd:")
		|| span_starts(v->name, "/SYSV")
		|| span_starts(v->name, "/dev/shm/")
		|| span_starts(v->name, "[anon_shmem"));
}

static int is_anonymous(const rdump_vma *v)
{
	return v->name.len == 0 || span_eq(v->name, "[heap]")
		|| span_starts(v->name, "[stack") || span_starts(v->name, "[anon:");
}

/* Kernel-provided pages: reading [vvar] can fault, none is process state. */
static int is_kernel_special(const rdump_vma *v)
{
	return span_eq(v->name, "[vvar]") || span_eq(v->name, "[vvar_vclock]")
		|| span_eq(v->name, "[vdso]") || span_eq(v->name, "[vsyscall]")
		|| span_eq(v->name, "[uprobes]");
}

int rdump_maps_wanted(const rdump_vma *v, int flags)
{
	if (!v->read || is_kernel_special(v)) {
		return 0;
	}
	if (flags & RDUMP_CAPTURE_FULL) {
		return 1;
	}
	return v->write || is_anonymous(v) || is_shared_memory(v);
}

int rdump_maps_open(rdump_maps_reader *r, char *buf, size_t size)
{
	r->buf = buf;
	r->size = size;
	r->start = r->end = 0;
	r->eof = 0;
	do {
		r->fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	} while (r->fd < 0 && errno == EINTR);
	return r->fd < 0 ? -1 : 0;
}

int rdump_maps_next(rdump_maps_reader *r, rdump_vma *out)
{
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		ssize_t n;

		if (nl) {
			size_t len = (size_t)(nl - (r->buf + r->start));
			const char *line = r->buf + r->start;
			r->start += len + 1;
			if (rdump_maps_parse_line(line, len, out) != 0) {
				errno = EINVAL;
				return -1;
			}
			return 1;
		}
		if (r->eof) {
			if (r->start != r->end) {
				errno = EINVAL; /* a last line without newline: not the kernel's */
				return -1;
			}
			return 0;
		}
		/* Keep the partial line at the front and refill behind it. The
		 * mapping returned last points into the buffer, so this runs only
		 * once the caller asks for the next one. */
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
		if (r->end == r->size) {
			errno = EINVAL; /* a line longer than the buffer */
			return -1;
		}
		n = read(r->fd, r->buf + r->end, r->size - r->end);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -1;
		}
		if (n == 0) {
			r->eof = 1;
		}
		r->end += (size_t)n;
	}
}

void rdump_maps_close(rdump_maps_reader *r)
{
	if (r->fd >= 0) {
		close(r->fd);
		r->fd = -1;
	}
}

int64_t rdump_maps_rss_bytes(void)
{
	char buf[128];
	const char *p, *end;
	rdump_span tok;
	uint64_t pages;
	long page_size = sysconf(_SC_PAGESIZE);
	ssize_t n;
	int fd;

	do {
		fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		return -1;
	}
	do {
		n = read(fd, buf, sizeof(buf));
	} while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0 || page_size <= 0) {
		return -1;
	}
	/* "size resident shared text lib data dt": the second field. */
	p = buf;
	end = buf + n;
	if (take_token(&p, end, ' ', &tok) || skip_char(&p, end, ' ')
		|| take_token(&p, end, ' ', &tok) || parse_dec(tok, &pages)
		|| pages > (uint64_t)INT64_MAX / (uint64_t)page_size) {
		return -1;
	}
	return (int64_t)(pages * (uint64_t)page_size);
}
