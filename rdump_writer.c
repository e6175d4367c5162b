/*
 * rdump_writer.c: RDUMP v3 encoding, and creating and publishing the file.
 * See rdump_writer.h for the contract and ../shared/rdump-format.md for
 * the layout: little-endian integers, u32-length-prefixed strings, no
 * padding anywhere.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include "rdump_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char rdump_magic[8] = { 'R', 'D', 'U', 'M', 'P', 0, 0, 0 };

/* Longest map entry: five strings whose sum is bounded by the maps line
 * they came from, their five length prefixes, four flag bytes, the inode. */
#define RDUMP_MAP_ENTRY_MAX (RDUMP_MAPS_LINE_MAX + 5 * 4 + 4 + 8)

/* File offset of the next byte appended (buffered or not). */
static uint64_t position(const rdump_writer *w)
{
	return w->copy.pos + w->used;
}

static int flush(rdump_writer *w, rdump_error *err)
{
	if (w->used > 0 && rdump_copy_bytes(&w->copy, w->buf, w->used, err) != 0) {
		return -1;
	}
	w->used = 0;
	return 0;
}

static int append(rdump_writer *w, const void *data, size_t len, rdump_error *err)
{
	if (len > sizeof(w->buf) - w->used && flush(w, err) != 0) {
		return -1;
	}
	if (len > sizeof(w->buf)) {
		return rdump_copy_bytes(&w->copy, data, len, err);
	}
	memcpy(w->buf + w->used, data, len);
	w->used += len;
	return 0;
}

static void le32(unsigned char *b, uint32_t v)
{
	int i;
	for (i = 0; i < 4; i++) {
		b[i] = (unsigned char)(v >> (8 * i));
	}
}

static void le64(unsigned char *b, uint64_t v)
{
	int i;
	for (i = 0; i < 8; i++) {
		b[i] = (unsigned char)(v >> (8 * i));
	}
}

static uint32_t get32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t get64(const unsigned char *b)
{
	return (uint64_t)get32(b) | (uint64_t)get32(b + 4) << 32;
}

static int put_u32(rdump_writer *w, uint32_t v, rdump_error *err)
{
	unsigned char b[4];
	le32(b, v);
	return append(w, b, sizeof(b), err);
}

static int put_u64(rdump_writer *w, uint64_t v, rdump_error *err)
{
	unsigned char b[8];
	le64(b, v);
	return append(w, b, sizeof(b), err);
}

static int put_str(rdump_writer *w, const char *s, size_t len, rdump_error *err)
{
	if (len > UINT32_MAX) {
		return rdump_fail(err, "string too long for the dump format", EOVERFLOW);
	}
	if (put_u32(w, (uint32_t)len, err) != 0) {
		return -1;
	}
	return append(w, s, len, err);
}

static const char *refusal(mode_t mode)
{
	if (S_ISLNK(mode)) {
		return "refusing to replace a symbolic link";
	}
	if (S_ISDIR(mode)) {
		return "refusing to replace a directory";
	}
	if (S_ISFIFO(mode)) {
		return "refusing to replace a FIFO";
	}
	if (S_ISSOCK(mode)) {
		return "refusing to replace a socket";
	}
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		return "refusing to replace a device";
	}
	return "refusing to replace a file that is not a regular file";
}

/* 0 when path is absent or a regular file; -1 with *err otherwise. Uses
 * lstat, so a symlink is seen as itself and never followed. */
static int check_target(const char *path, rdump_error *err)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		return errno == ENOENT ? 0 : rdump_fail(err, "cannot inspect the path", errno);
	}
	if (!S_ISREG(st.st_mode)) {
		return rdump_fail(err, refusal(st.st_mode), 0);
	}
	return 0;
}

int rdump_writer_create(rdump_writer *w, const char *path, rdump_error *err)
{
	static unsigned int seq;
	int tries;

	w->fd = -1;
	rdump_copy_init(&w->copy, -1, 0);
	w->path = path;
	w->used = 0;
	w->counts_at = w->map_begin = w->map_end = 0;
	memset(&w->stats, 0, sizeof(w->stats));
	w->tmp[0] = '\0';

	if (check_target(path, err) != 0) {
		return -1;
	}
	/* The temporary file sits next to the target so that rename() is
	 * atomic. O_EXCL|O_NOFOLLOW: never open something someone else put
	 * there; a name taken by a concurrent dump just moves on. */
	for (tries = 0; tries < 100; tries++) {
		unsigned int n = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
		int len = snprintf(w->tmp, sizeof(w->tmp), "%s.tmp-%ld-%u", path, (long)getpid(), n);
		if (len < 0 || (size_t)len >= sizeof(w->tmp)) {
			w->tmp[0] = '\0';
			return rdump_fail(err, "cannot create temporary file", ENAMETOOLONG);
		}
		do {
			w->fd = open(w->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		} while (w->fd < 0 && errno == EINTR);
		if (w->fd >= 0 || errno != EEXIST) {
			break;
		}
	}
	if (w->fd < 0) {
		int e = errno;
		w->tmp[0] = '\0';
		return rdump_fail(err, "cannot create temporary file", e);
	}
	rdump_copy_init(&w->copy, w->fd, 0);
	/* The umask may have taken bits away, never added any; a dump holds
	 * secrets, so make it exactly owner read/write. */
	if (fchmod(w->fd, 0600) != 0) {
		int e = errno;
		rdump_writer_abort(w);
		return rdump_fail(err, "cannot set the dump file's mode", e);
	}
	return 0;
}

int rdump_writer_header(rdump_writer *w, const rdump_header *h, rdump_error *err)
{
	uint32_t i;
	unsigned char rss[8];

	le64(rss, (uint64_t)h->rss); /* i64, two's complement: -1 stays -1 */
	if (append(w, rdump_magic, sizeof(rdump_magic), err) != 0
		|| put_u32(w, RDUMP_FORMAT_VERSION, err) != 0
		|| put_str(w, h->php_version, strlen(h->php_version), err) != 0
		|| put_u64(w, h->pid, err) != 0
		|| put_u64(w, h->eg, err) != 0
		|| put_u64(w, h->cg, err) != 0
		|| append(w, rss, sizeof(rss), err) != 0
		|| put_u32(w, h->globals_count, err) != 0) {
		return -1;
	}
	for (i = 0; i < h->globals_count; i++) {
		if (put_str(w, h->globals[i].key, strlen(h->globals[i].key), err) != 0
			|| put_u64(w, h->globals[i].address, err) != 0) {
			return -1;
		}
	}
	/* memory_map_count and region_count: patched by commit. */
	w->counts_at = position(w);
	if (put_u32(w, 0, err) != 0 || put_u32(w, 0, err) != 0) {
		return -1;
	}
	w->map_begin = w->map_end = position(w);
	return 0;
}

int rdump_writer_map_entry(rdump_writer *w, const rdump_vma *v, rdump_error *err)
{
	unsigned char attrs[4];

	if (w->stats.region_count > 0) {
		return rdump_fail(err, "memory-map entry after a region", EINVAL);
	}
	attrs[0] = v->read;
	attrs[1] = v->write;
	attrs[2] = v->exec;
	attrs[3] = v->private_;
	if (put_str(w, v->start_hex.ptr, v->start_hex.len, err) != 0
		|| put_str(w, v->end_hex.ptr, v->end_hex.len, err) != 0
		|| put_str(w, v->offset_hex.ptr, v->offset_hex.len, err) != 0
		|| append(w, attrs, sizeof(attrs), err) != 0
		|| put_str(w, v->device.ptr, v->device.len, err) != 0
		|| put_u64(w, v->inode, err) != 0
		|| put_str(w, v->name.ptr, v->name.len, err) != 0) {
		return -1;
	}
	w->stats.map_count++;
	w->map_end = position(w);
	return 0;
}

/* A string field of a map entry inside buf[*at, end). */
static int take_str(const unsigned char *buf, size_t *at, size_t end, rdump_span *out)
{
	uint32_t len;
	if (end - *at < 4) {
		return -1;
	}
	len = get32(buf + *at);
	if (end - *at - 4 < len) {
		return -1;
	}
	out->ptr = (const char *)buf + *at + 4;
	out->len = len;
	*at += 4 + (size_t)len;
	return 0;
}

static int decode_map_entry(const unsigned char *buf, size_t *at, size_t end, rdump_vma *v)
{
	memset(v, 0, sizeof(*v));
	if (take_str(buf, at, end, &v->start_hex) || take_str(buf, at, end, &v->end_hex)
		|| take_str(buf, at, end, &v->offset_hex) || end - *at < 4) {
		return -1;
	}
	v->read = buf[*at];
	v->write = buf[*at + 1];
	v->exec = buf[*at + 2];
	v->private_ = buf[*at + 3];
	*at += 4;
	if (take_str(buf, at, end, &v->device) || end - *at < 8) {
		return -1;
	}
	v->inode = get64(buf + *at);
	*at += 8;
	if (take_str(buf, at, end, &v->name)
		|| rdump_maps_parse_hex(v->start_hex, &v->start)
		|| rdump_maps_parse_hex(v->end_hex, &v->end)
		|| rdump_maps_parse_hex(v->offset_hex, &v->offset)) {
		return -1;
	}
	return 0;
}

int rdump_writer_each_map_entry(rdump_writer *w, rdump_writer_map_fn fn, void *ctx,
		rdump_error *err)
{
	/* Room for two of the longest entries: read back in pieces of at
	 * least one, not one read per entry. */
	unsigned char buf[2 * RDUMP_MAP_ENTRY_MAX];
	uint64_t next = w->map_begin;   /* file offset of buf[end] */
	size_t start = 0, end = 0;
	uint32_t i;

	if (flush(w, err) != 0) {
		return -1;
	}
	for (i = 0; i < w->stats.map_count; i++) {
		rdump_vma vma;
		size_t at;

		/* Keep at least one whole entry in the buffer. */
		if (end - start < RDUMP_MAP_ENTRY_MAX && next < w->map_end) {
			memmove(buf, buf + start, end - start);
			end -= start;
			start = 0;
			while (end < sizeof(buf) && next < w->map_end) {
				size_t want = sizeof(buf) - end;
				ssize_t n;
				if (want > w->map_end - next) {
					want = (size_t)(w->map_end - next);
				}
				n = pread(w->fd, buf + end, want, (off_t)next);
				if (n < 0 && errno == EINTR) {
					continue;
				}
				if (n <= 0) {
					return rdump_fail(err, "cannot read back the memory map", n < 0 ? errno : EIO);
				}
				end += (size_t)n;
				next += (uint64_t)n;
			}
		}
		at = start;
		if (decode_map_entry(buf, &at, end, &vma) != 0) {
			return rdump_fail(err, "cannot read back the memory map", EINVAL);
		}
		start = at;
		if (fn(ctx, &vma, err) != 0) {
			return -1;
		}
	}
	return 0;
}

int rdump_writer_fd(const rdump_writer *w)
{
	return w->fd;
}

void rdump_writer_detach(rdump_writer *w)
{
	rdump_copy_stop(&w->copy);
	if (w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
	}
	w->tmp[0] = '\0';
}

void rdump_writer_flush_behind(rdump_writer *w, int on, uint64_t cap)
{
	rdump_copy_flush_behind(&w->copy, on, cap);
}

void rdump_writer_flush_behind_later(rdump_writer *w, rdump_copy_flush_fn decide, void *ctx)
{
	rdump_copy_flush_behind_later(&w->copy, decide, ctx);
}

void rdump_writer_no_threads(rdump_writer *w)
{
	rdump_copy_no_threads(&w->copy);
}

void rdump_writer_read_via(rdump_writer *w, int mem_fd, char *scratch, size_t scratch_size)
{
	rdump_copy_read_via(&w->copy, mem_fd, scratch, scratch_size);
}

int rdump_writer_write_gathered(rdump_writer *w, rdump_error *err)
{
	return rdump_copy_write_gathered(&w->copy, err);
}

/* The region's head; the bytes are the caller's. */
static int region_head(rdump_writer *w, uint64_t address, uint64_t size, rdump_error *err)
{
	unsigned char head[RDUMP_COPY_HEAD];

	if (w->stats.region_count == UINT32_MAX) {
		return rdump_fail(err, "too many regions for the dump format", EOVERFLOW);
	}
	le64(head, address);
	le64(head + 8, size);
	/* The buffered header and map go first. */
	if (flush(w, err) != 0 || rdump_copy_head(&w->copy, head, err) != 0) {
		return -1;
	}
	w->stats.region_count++;
	w->stats.region_bytes += size;
	return 0;
}

int rdump_writer_region(rdump_writer *w, uint64_t address, uint64_t size, rdump_error *err)
{
	if (size == 0) {
		return 0;
	}
	return region_head(w, address, size, err) == 0 ? rdump_copy_piece(&w->copy, address, size, err) : -1;
}

int rdump_writer_region_begin(rdump_writer *w, uint64_t address, uint64_t size, rdump_error *err)
{
	return size == 0 ? 0 : region_head(w, address, size, err);
}

int rdump_writer_region_bytes(rdump_writer *w, uint64_t address, uint64_t size, rdump_error *err)
{
	return size == 0 ? 0 : rdump_copy_piece(&w->copy, address, size, err);
}

int rdump_writer_region_zeros(rdump_writer *w, uint64_t size, rdump_error *err)
{
	w->stats.untouched += size;
	return rdump_copy_zeros(&w->copy, size, err);
}

/* rename() that fails with EEXIST instead of replacing. */
static int rename_noreplace(const char *from, const char *to)
{
#if defined(SYS_renameat2) && defined(RENAME_NOREPLACE)
	if (syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) {
		return 0;
	}
	if (errno != ENOSYS && errno != EINVAL) {
		return -1;
	}
#endif
	/* Filesystems without renameat2 flags: link() does not replace either. */
	if (link(from, to) == 0) {
		unlink(from);
		return 0;
	}
	return -1;
}

/* Move the finished temporary file to the final path: replace a regular
 * file (the old inode stays intact for whoever holds it open), take an
 * empty name without ever replacing what appears there meanwhile, and
 * refuse anything else. */
static int publish(rdump_writer *w, rdump_error *err)
{
	int attempt;
	for (attempt = 0; attempt < 3; attempt++) {
		struct stat st;
		if (lstat(w->path, &st) == 0) {
			if (!S_ISREG(st.st_mode)) {
				return rdump_fail(err, refusal(st.st_mode), 0);
			}
			if (rename(w->tmp, w->path) != 0) {
				return rdump_fail(err, "cannot rename the dump into place", errno);
			}
			return 0;
		}
		if (errno != ENOENT) {
			return rdump_fail(err, "cannot inspect the path", errno);
		}
		if (rename_noreplace(w->tmp, w->path) == 0) {
			return 0;
		}
		if (errno != EEXIST) {
			return rdump_fail(err, "cannot rename the dump into place", errno);
		}
		/* Something appeared at the path meanwhile: look again. */
	}
	return rdump_fail(err, "cannot rename the dump into place", EEXIST);
}

int rdump_writer_commit(rdump_writer *w, rdump_error *err)
{
	unsigned char counts[8];
	ssize_t n;
	int rc;

	rc = rdump_copy_write_gathered(&w->copy, err);
	w->stats.zero_filled = w->copy.zero_filled;
	if (rc != 0 || flush(w, err) != 0) {
		goto failed;
	}
	le32(counts, w->stats.map_count);
	le32(counts + 4, w->stats.region_count);
	do {
		n = pwrite(w->fd, counts, sizeof(counts), (off_t)w->counts_at);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(counts)) {
		rdump_fail(err, "cannot write dump file", n < 0 ? errno : EIO);
		goto failed;
	}
	rdump_copy_stop(&w->copy);
	/* close() can report a deferred write error (NFS, quota): the dump
	 * counts as written only if it succeeds. */
	rc = close(w->fd);
	w->fd = -1;
	if (rc != 0) {
		rdump_fail(err, "cannot close dump file", errno);
		goto failed;
	}
	if (publish(w, err) != 0) {
		goto failed;
	}
	w->tmp[0] = '\0';
	return 0;

failed:
	rdump_writer_abort(w);
	return -1;
}

void rdump_writer_abort(rdump_writer *w)
{
	int saved = errno;
	rdump_copy_stop(&w->copy);
	if (w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
	}
	if (w->tmp[0] != '\0') {
		unlink(w->tmp);
		w->tmp[0] = '\0';
	}
	errno = saved;
}
