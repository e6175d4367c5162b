/*
 * rdump_opcache.c: opcache's allocator header. See rdump_opcache.h.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include "rdump_compat.h"
#include "rdump_opcache.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

/* Shared mappings probed per dump at most: opcache's SHM is one of the
 * first (the lowest on x86-64). */
#define RDUMP_OPCACHE_TRIES 4
/* A segment table longer than this is not opcache's. */
#define RDUMP_OPCACHE_MAX_SEGMENTS 256
/* The first page is read; larger pages hold as much. */
#define RDUMP_OPCACHE_HEAD 4096

void rdump_opcache_init(rdump_opcache *o)
{
	memset(o, 0, sizeof(*o));
}

static uint64_t word_at(const unsigned char *head, uint64_t off)
{
	uint64_t v;
	memcpy(&v, head + off, sizeof(v));
	return v;
}

/* The first page of the mapping, if it is in memory: 1, else 0. Read
 * with process_vm_readv, or through /proc/self/mem where a container's
 * seccomp policy refuses that: either fails on an unmapped page instead of
 * faulting. */
static int read_head(const rdump_vma *vma, unsigned char *head)
{
	struct iovec local = { head, RDUMP_OPCACHE_HEAD };
	struct iovec remote = { (void *)(uintptr_t)vma->start, RDUMP_OPCACHE_HEAD };
	unsigned char incore = 0;
	ssize_t got;
	int fd;

	if (vma->end - vma->start < RDUMP_OPCACHE_HEAD
		|| mincore((void *)(uintptr_t)vma->start, RDUMP_OPCACHE_HEAD, &incore) != 0 || !(incore & 1)) {
		return 0;
	}
	got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (got >= 0 || errno == EFAULT) {
		return got == RDUMP_OPCACHE_HEAD;
	}
	fd = rdump_maps_open_proc("/proc/self/mem");
	if (fd < 0) {
		return 0;
	}
	do {
		got = pread(fd, head, RDUMP_OPCACHE_HEAD, (off_t)vma->start);
	} while (got < 0 && errno == EINTR);
	close(fd);
	return got == RDUMP_OPCACHE_HEAD;
}

/* Offset in the first page of a pointer stored at `off`, if it points
 * into the first page with room for `len` bytes, 8-aligned: 1, else 0. */
static int inside(const unsigned char *head, uint64_t base, uint64_t off, uint64_t len, uint64_t *out)
{
	uint64_t p = word_at(head, off);

	if (p < base || p % 8 != 0 || p - base > RDUMP_OPCACHE_HEAD - len) {
		return 0;
	}
	*out = p - base;
	return 1;
}

int rdump_opcache_probe(rdump_opcache *o, const rdump_vma *vma)
{
	unsigned char head[RDUMP_OPCACHE_HEAD];
	uint64_t table, seg, size, end, pos;
	int32_t count;

	if (o->start || o->tries >= RDUMP_OPCACHE_TRIES) {
		return o->start != 0;
	}
	o->tries++;
	if (!read_head(vma, head) || !inside(head, vma->start, 0, sizeof(uint64_t), &table)) {
		return 0;
	}
	memcpy(&count, head + sizeof(uint64_t), sizeof(count));
	if (count < 1 || count > RDUMP_OPCACHE_MAX_SEGMENTS
		|| !inside(head, vma->start, table, 4 * sizeof(uint64_t), &seg)) {
		return 0;
	}
	/* The first segment's words (rdump_compat.h): it must say it starts
	 * here. */
	size = word_at(head, seg);
	if (word_at(head, seg + RDUMP_OPCACHE_SEG_P) != vma->start) {
		return 0;
	}
	end = word_at(head, seg + RDUMP_OPCACHE_SEG_END);
	pos = word_at(head, seg + RDUMP_OPCACHE_SEG_POS);
	if (pos > end || end > size || size > ((uint64_t)1 << 46) || pos <= table) {
		return 0;
	}
	o->start = vma->start;
	o->size = size;
	o->end = end;
	o->pos = pos;
	return 1;
}

int rdump_opcache_ranges(const rdump_opcache *o, uint64_t start, uint64_t end, rdump_range out[2])
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t seg_end = o->start + (o->size + page - 1) / page * page;
	rdump_range parts[2];
	int i, n = 0;

	if (!o->start || start < o->start || end > seg_end) {
		out[0].start = start;
		out[0].end = end;
		return 1;
	}
	/* What opcache allocated ends mid-page; the JIT buffer starts on a
	 * page (opcache protects it by pages). */
	parts[0].start = o->start;
	parts[0].end = o->start + (o->pos + page - 1) / page * page;
	parts[1].start = o->start + o->end / page * page;
	parts[1].end = seg_end;
	for (i = 0; i < 2; i++) {
		uint64_t lo = parts[i].start > start ? parts[i].start : start;
		uint64_t hi = parts[i].end < end ? parts[i].end : end;
		if (lo >= hi) {
			continue;
		}
		if (n > 0 && lo <= out[n - 1].end) {
			out[n - 1].end = hi;
			continue;
		}
		out[n].start = lo;
		out[n].end = hi;
		n++;
	}
	return n;
}
