/*
 * rdump_copy.c: appending this process's memory to the dump file. See
 * rdump_copy.h.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include "rdump_copy.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Under AddressSanitizer the libc write() is intercepted and checks the
 * bytes it sends against ASan's shadow; a dump sends redzones and freed
 * memory by design, so the sanitizer build writes raw memory with the
 * system call itself (the sanitizer cell of the matrix builds so). */
#if defined(__SANITIZE_ADDRESS__)
# define RDUMP_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define RDUMP_ASAN 1
# endif
#endif

void rdump_copy_init(rdump_copy *c, int fd, uint64_t pos)
{
	c->fd = fd;
	c->pos = pos;
	c->mem_fd = -1;
	c->scratch = NULL;
	c->scratch_size = 0;
	c->flush_behind = 1;
	c->flush_cap = RDUMP_FLUSH_WINDOW;
	c->flush_decide = NULL;
	c->flush_ctx = NULL;
	c->handed = 0;
	c->flushing = 0;
	c->no_threads = 0;
	c->preallocate = 1;
	c->zero_filled = 0;
	c->gathered = 0;
	c->npieces = 0;
	c->gathered_bytes = 0;
}

int rdump_copy_bytes(rdump_copy *c, const void *data, size_t len, rdump_error *err)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(c->fd, p, len);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return rdump_fail(err, "cannot write dump file", errno);
		}
		p += n;
		len -= (size_t)n;
		c->pos += (uint64_t)n;
	}
	return 0;
}

void rdump_copy_flush_behind(rdump_copy *c, int on, uint64_t cap)
{
	c->flush_behind = on;
	c->flush_cap = cap < RDUMP_FLUSH_WINDOW ? RDUMP_FLUSH_WINDOW : cap;
}

void rdump_copy_flush_behind_later(rdump_copy *c, rdump_copy_flush_fn decide, void *ctx)
{
	c->flush_behind = RDUMP_COPY_FLUSH_LATER;
	c->flush_decide = decide;
	c->flush_ctx = ctx;
}

void rdump_copy_no_threads(rdump_copy *c)
{
	c->no_threads = 1;
}

void rdump_copy_read_via(rdump_copy *c, int mem_fd, char *scratch, size_t scratch_size)
{
	c->mem_fd = mem_fd;
	c->scratch = scratch;
	c->scratch_size = scratch_size;
}

void rdump_copy_stop(rdump_copy *c)
{
	if (c->flushing) {
		rdump_flush_stop(&c->flusher);
		c->flushing = 0;
	}
}

/* Every RDUMP_FLUSH_WINDOW bytes, hand the file so far to the flusher
 * (deciding first whether to flush at all, if that was left for now). */
static void flush_behind(rdump_copy *c)
{
	if (!c->flush_behind || c->pos - c->handed < RDUMP_FLUSH_WINDOW) {
		return;
	}
	if (c->flush_behind == RDUMP_COPY_FLUSH_LATER) {
		uint64_t cap = 0;
		int on = c->flush_decide(c->flush_ctx, &cap);

		rdump_copy_flush_behind(c, on, cap);
		if (!on) {
			return;
		}
	}
	if (!c->flushing) {
		rdump_flush_start(&c->flusher, c->fd, c->flush_cap, !c->no_threads);
		c->flushing = 1;
	}
	rdump_flush_advance(&c->flusher, c->pos);
	c->handed = c->pos;
}

/* Zeros for the pieces of pages never touched and of pages that cannot be read: never written, so
 * reading it maps no memory of its own. */
static unsigned char zero_source[(size_t)64 << 10];

/* Write zeros for the rest of the page holding address p (at most len);
 * *done is how many. */
static int zero_fill(rdump_copy *c, uint64_t p, uint64_t len, uint64_t *done, rdump_error *err)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t hole = page - p % page;

	if (hole > len) {
		hole = len;
	}
	*done = hole;
	c->zero_filled += hole;
	while (hole > 0) {
		size_t z = hole > sizeof(zero_source) ? sizeof(zero_source) : (size_t)hole;
		if (rdump_copy_bytes(c, zero_source, z, err) != 0) {
			return -1;
		}
		hole -= z;
	}
	return 0;
}

/* Reserve the blocks of the next len bytes before writing them. A write
 * into reserved (unwritten) blocks skips the file system's per-block
 * delayed-allocation bookkeeping (ext4), which costs more than the call.
 * KEEP_SIZE and the exact length of what is written next: the
 * file never shows or keeps blocks past what was written. Advisory: where
 * it fails (a file system without it, ENOSPC, a seccomp filter), the
 * write says what is wrong, and this dump stops trying. */
static void preallocate(rdump_copy *c, uint64_t len)
{
#ifdef FALLOC_FL_KEEP_SIZE
	if (c->preallocate && len >= RDUMP_COPY_PREALLOC_MIN
		&& fallocate(c->fd, FALLOC_FL_KEEP_SIZE, (off_t)c->pos, (off_t)len) != 0) {
		c->preallocate = 0;
	}
#else
	(void)c;
	(void)len;
#endif
}

/* One piece of this process's memory at p (at most len bytes) into the
 * file through /proc/self/mem and the scratch buffer: the bytes moved
 * (> 0), 0 if the page at p cannot be read (an unmapped page reads as
 * EIO), or -1 with *err set. */
static ssize_t move_via_mem(rdump_copy *c, uint64_t p, uint64_t len, rdump_error *err)
{
	size_t chunk = len > c->scratch_size ? c->scratch_size : (size_t)len;
	for (;;) {
		ssize_t n = pread(c->mem_fd, c->scratch, chunk, (off_t)p);
		if (n > 0) {
			return rdump_copy_bytes(c, c->scratch, (size_t)n, err) == 0 ? n : -1;
		}
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n == 0 || errno == EIO || errno == EFAULT) {
			return 0;
		}
		rdump_fail(err, "cannot read /proc/self/mem", errno);
		return -1;
	}
}

/* Copy len bytes at p to the file through /proc/self/mem, writing zeros
 * for pages that cannot be read, and flushing behind as it goes. */
static int copy_via_mem(rdump_copy *c, uint64_t p, uint64_t len, rdump_error *err)
{
	preallocate(c, len);
	while (len > 0) {
		ssize_t n = move_via_mem(c, p, len, err);
		uint64_t done;

		if (n < 0) {
			return -1;
		}
		if (n > 0) {
			done = (uint64_t)n;
			flush_behind(c);
		} else if (zero_fill(c, p, len, &done, err) != 0) {
			return -1;
		}
		p += done;
		len -= done;
	}
	return 0;
}

/* Write the gathered regions straight from memory, at most
 * RDUMP_FLUSH_WINDOW bytes per writev, and flushing behind, up to the end
 * of the current window, so that the page cache it holds stays bounded
 * as it was with one write per region. The kernel reads the source, so an
 * unreadable page gives EFAULT or a short count, not a signal: a short
 * count stops where the next byte could not be read (or the write was
 * interrupted), the rest is written again from there, and a page that
 * still cannot be read gets zeros. */
int rdump_copy_write_gathered(rdump_copy *c, rdump_error *err)
{
	struct iovec part[RDUMP_COPY_PIECES];
	struct iovec *v = c->pieces;
	int left = (int)c->npieces;

	preallocate(c, c->gathered_bytes);
	c->gathered = 0;
	c->npieces = 0;
	c->gathered_bytes = 0;
	while (left > 0) {
		/* Flushing behind, each call ends where the next window does. */
		uint64_t most = RDUMP_FLUSH_WINDOW, sum = 0, done;
		ssize_t n;
		int k;

		if (c->flush_behind && c->pos - c->handed < RDUMP_FLUSH_WINDOW) {
			most -= c->pos - c->handed;
		}
		for (k = 0; k < left && sum < most; k++) {
			part[k] = v[k];
			if (part[k].iov_len > most - sum) {
				part[k].iov_len = (size_t)(most - sum);
			}
			sum += part[k].iov_len;
		}
#ifdef RDUMP_ASAN
		n = syscall(SYS_writev, c->fd, part, k);
#else
		n = writev(c->fd, part, k);
#endif
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n > 0) {
			done = (uint64_t)n;
			c->pos += done;
			flush_behind(c);
		} else if (n < 0 && errno == EFAULT && (v[0].iov_base < (void *)c->heads
				|| v[0].iov_base >= (void *)(c->heads + RDUMP_COPY_GATHER))) {
			if (zero_fill(c, (uint64_t)(uintptr_t)v[0].iov_base, v[0].iov_len, &done, err) != 0) {
				return -1;
			}
		} else {
			return rdump_fail(err, "cannot write dump file", n == 0 ? EIO : errno);
		}
		while (left > 0 && done >= v[0].iov_len) {
			done -= v[0].iov_len;
			v++;
			left--;
		}
		if (left > 0) {
			v[0].iov_base = (char *)v[0].iov_base + done;
			v[0].iov_len -= (size_t)done;
		}
	}
	return 0;
}

/* Room for a head and a piece, writing what is gathered if need be. */
static int make_room(rdump_copy *c, rdump_error *err)
{
	if (c->gathered == RDUMP_COPY_GATHER || c->npieces + 2 > RDUMP_COPY_PIECES) {
		return rdump_copy_write_gathered(c, err);
	}
	return 0;
}

static void add_piece(rdump_copy *c, const void *base, size_t len)
{
	c->pieces[c->npieces].iov_base = (void *)base;
	c->pieces[c->npieces].iov_len = len;
	c->npieces++;
	c->gathered_bytes += len;
}

/* A window's worth gathered: write it. */
static int maybe_write(rdump_copy *c, rdump_error *err)
{
	return c->gathered_bytes >= RDUMP_FLUSH_WINDOW ? rdump_copy_write_gathered(c, err) : 0;
}

int rdump_copy_head(rdump_copy *c, const unsigned char head[RDUMP_COPY_HEAD], rdump_error *err)
{
	if (c->mem_fd >= 0) {
		return rdump_copy_bytes(c, head, RDUMP_COPY_HEAD, err);
	}
	if (make_room(c, err) != 0) {
		return -1;
	}
	memcpy(c->heads[c->gathered], head, RDUMP_COPY_HEAD);
	add_piece(c, c->heads[c->gathered], RDUMP_COPY_HEAD);
	c->gathered++;
	return 0;
}

int rdump_copy_piece(rdump_copy *c, uint64_t address, uint64_t size, rdump_error *err)
{
	if (c->mem_fd >= 0) {
		return copy_via_mem(c, address, size, err);
	}
	if (make_room(c, err) != 0) {
		return -1;
	}
	add_piece(c, (void *)(uintptr_t)address, (size_t)size);
	return maybe_write(c, err);
}

int rdump_copy_zeros(rdump_copy *c, uint64_t size, rdump_error *err)
{
	while (size > 0) {
		size_t n = size > sizeof(zero_source) ? sizeof(zero_source) : (size_t)size;
		if (c->mem_fd >= 0) {
			if (rdump_copy_bytes(c, zero_source, n, err) != 0) {
				return -1;
			}
			flush_behind(c);
		} else {
			if (make_room(c, err) != 0) {
				return -1;
			}
			add_piece(c, zero_source, n);
			if (maybe_write(c, err) != 0) {
				return -1;
			}
		}
		size -= n;
	}
	return 0;
}
