/*
 * rdump_maps.c: /proc/self/maps and /proc/self/statm, and the capture
 * policy. See rdump_maps.h for the contract.
 */
#include "rdump_maps.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int rdump_maps_span_eq(rdump_span s, const char *lit)
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

int rdump_maps_parse_dec(rdump_span s, uint64_t *out)
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
		|| rdump_maps_parse_hex(out->offset_hex, &out->offset) || rdump_maps_parse_dec(inode, &out->inode)
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

int rdump_maps_anonymous(const rdump_vma *v)
{
	return v->name.len == 0 || rdump_maps_span_eq(v->name, "[heap]")
		|| span_starts(v->name, "[stack") || span_starts(v->name, "[anon:");
}

/* Kernel-provided pages: reading [vvar] can fault, none is process state. */
static int is_kernel_special(const rdump_vma *v)
{
	return rdump_maps_span_eq(v->name, "[vvar]") || rdump_maps_span_eq(v->name, "[vvar_vclock]")
		|| rdump_maps_span_eq(v->name, "[vdso]") || rdump_maps_span_eq(v->name, "[vsyscall]")
		|| rdump_maps_span_eq(v->name, "[uprobes]");
}

int rdump_maps_shared_memory(const rdump_vma *v)
{
	return is_shared_memory(v);
}

int rdump_maps_file_backed_ro(const rdump_vma *v)
{
	return !v->write && v->private_ && v->name.len > 0 && v->name.ptr[0] == '/';
}

int rdump_maps_wanted(const rdump_vma *v, int flags)
{
	if (!v->read || is_kernel_special(v) || v->io) {
		return 0;
	}
	if (v->dontdump && !(flags & RDUMP_CAPTURE_DONTDUMP)) {
		return 0;
	}
	if (flags & RDUMP_CAPTURE_FULL) {
		return 1;
	}
	return v->write || rdump_maps_anonymous(v) || is_shared_memory(v);
}

int rdump_maps_open_proc(const char *path)
{
	int fd;
	do {
		fd = open(path, O_RDONLY | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	return fd;
}

int rdump_maps_open(rdump_maps_reader *r, char *buf, size_t size, int smaps)
{
	r->buf = buf;
	r->size = size;
	r->start = r->end = 0;
	r->eof = 0;
	r->have_current = 0;
	r->last_end = 0;
	r->fd = rdump_maps_open_proc(smaps ? "/proc/self/smaps" : "/proc/self/maps");
	return r->fd < 0 ? -1 : 0;
}

/* The next whole line in the buffer, without consuming it: 1 and
 * line and len set, 0 at the end of the file, -1 with errno on error. */
static int peek_line(rdump_maps_reader *r, const char **line, size_t *len)
{
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		ssize_t n;

		if (nl) {
			*line = r->buf + r->start;
			*len = (size_t)(nl - *line);
			return 1;
		}
		if (r->eof) {
			if (r->start != r->end) {
				errno = EINVAL; /* a last line without newline: not the kernel's */
				return -1;
			}
			return 0;
		}
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

/* "VmFlags: rd wr mr mw me ac dd" */
static void parse_vmflags(rdump_maps_reader *r, const char *p, const char *end)
{
	while (p + 2 <= end) {
		if (p[0] != ' ' && (p + 2 == end || p[2] == ' ')) {
			if (p[0] == 'd' && p[1] == 'd') {
				r->dontdump = 1;
			} else if (p[0] == 'i' && p[1] == 'o') {
				r->io = 1;
			}
			p += 2;
		} else {
			p++;
		}
	}
}

/* "Swap:            1234 kB": the bytes, 0 if the line is not that. */
static uint64_t parse_kb(const char *p, const char *end)
{
	rdump_span digits;
	uint64_t kb;

	while (p < end && *p == ' ') {
		p++;
	}
	digits.ptr = p;
	while (p < end && *p >= '0' && *p <= '9') {
		p++;
	}
	digits.len = (size_t)(p - digits.ptr);
	if (rdump_maps_parse_dec(digits, &kb) != 0 || kb > UINT64_MAX >> 10 || end - p < 3 || memcmp(p, " kB", 3) != 0) {
		return 0;
	}
	return kb << 10;
}

/* A mapping's first line starts with its address; smaps' other lines
 * start with a capitalised key ("Rss:", "VmFlags:"). */
static int is_header(const char *line, size_t len)
{
	return len > 0 && ((line[0] >= '0' && line[0] <= '9') || (line[0] >= 'a' && line[0] <= 'f'));
}

int rdump_maps_next(rdump_maps_reader *r, rdump_vma *out)
{
	for (;;) {
		const char *line;
		size_t len;
		int rc = peek_line(r, &line, &len);

		if (rc < 0) {
			return -1;
		}
		if (r->have_current && (rc == 0 || is_header(line, len))) {
			/* The mapping is complete: its flags lines have all been seen. */
			r->have_current = 0;
			if (rdump_maps_parse_line(r->current, r->current_len, out) != 0) {
				errno = EINVAL;
				return -1;
			}
			if (out->start < r->last_end) {
				continue; /* changed under us between two reads: see the header */
			}
			r->last_end = out->end;
			out->dontdump = r->dontdump;
			out->io = r->io;
			out->swap = r->swap;
			return 1;
		}
		if (rc == 0) {
			return 0;
		}
		r->start += len + 1;
		if (!r->have_current) {
			if (!is_header(line, len) || len > sizeof(r->current)) {
				errno = EINVAL;
				return -1;
			}
			memcpy(r->current, line, len);
			r->current_len = len;
			r->have_current = 1;
			r->dontdump = r->io = 0;
			r->swap = 0;
		} else if (len > 8 && memcmp(line, "VmFlags:", 8) == 0) {
			parse_vmflags(r, line + 8, line + len);
		} else if (len > 5 && memcmp(line, "Swap:", 5) == 0) {
			r->swap = parse_kb(line + 5, line + len);
		}
	}
}

void rdump_maps_close(rdump_maps_reader *r)
{
	if (r->fd >= 0) {
		close(r->fd);
		r->fd = -1;
	}
}

int64_t rdump_maps_swap_of(uint64_t start, uint64_t end)
{
	char buf[RDUMP_MAPS_LINE_MAX];
	rdump_maps_reader r;
	rdump_vma vma;
	int64_t swap = 0;
	int rc, e;

	if (rdump_maps_open(&r, buf, sizeof(buf), 1) != 0) {
		return -1;
	}
	while ((rc = rdump_maps_next(&r, &vma)) > 0 && vma.start < end) {
		if (vma.end > start) {
			swap += (int64_t)vma.swap;
		}
	}
	e = errno;
	rdump_maps_close(&r);
	errno = e;
	return rc < 0 ? -1 : swap;
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

	fd = rdump_maps_open_proc("/proc/self/statm");
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
		|| take_token(&p, end, ' ', &tok) || rdump_maps_parse_dec(tok, &pages)
		|| pages > (uint64_t)INT64_MAX / (uint64_t)page_size) {
		return -1;
	}
	return (int64_t)(pages * (uint64_t)page_size);
}
