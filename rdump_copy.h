/*
 * rdump_copy: appending this process's memory to the dump file. The
 * writer (rdump_writer) decides what goes where in the file and hands
 * each region here with its encoded head; this module moves the bytes:
 *
 * - straight from memory with writev(2), many regions per call (one
 *   write of many regions costs what one write of as many bytes does,
 *   many small writes up to half as much again: the page cache takes
 *   each write in folios no larger than it), or through /proc/self/mem
 *   and a scratch buffer (rdump.safe_read);
 * - crash-safe either way: the kernel reads the source, so a page
 *   another thread unmaps or protects meanwhile makes writev(2) stop
 *   short or fail with EFAULT and /proc/self/mem fail with EIO, never a
 *   signal; such a page is written as zeros and counted;
 * - with the blocks of each large write reserved first (fallocate);
 * - flushing behind (rdump_flush) so that a large dump holds a bounded
 *   page cache.
 *
 * Same safety contract as the writer: no Zend allocator, no malloc, no
 * locks; the state lives in the caller's rdump_copy; works at
 * memory_limit exhaustion and in a forked child.
 */
#ifndef RDUMP_COPY_H
#define RDUMP_COPY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "rdump_error.h"
#include "rdump_flush.h"

/* Regions gathered into one writev(2), and the pieces (heads, bytes,
 * zeros) they may take in all. */
#define RDUMP_COPY_GATHER 128
#define RDUMP_COPY_PIECES (4 * RDUMP_COPY_GATHER)
/* Bytes of a region's head (address and size). */
#define RDUMP_COPY_HEAD 16
/* Writes at least this large get their blocks reserved first (fallocate
 * costs about 8 us, what a 64 KiB write saves by it). */
#define RDUMP_COPY_PREALLOC_MIN ((uint64_t)64 << 10)

/* Flushing behind is decided when the dump first reaches a window. */
#define RDUMP_COPY_FLUSH_LATER 2
typedef int (*rdump_copy_flush_fn)(void *ctx, uint64_t *cap);

typedef struct {
	int fd;                     /* borrowed from the writer, which closes it */
	uint64_t pos;               /* file offset of the next byte written */
	int mem_fd;                 /* /proc/self/mem, or -1: copy with writev(2) */
	char *scratch;              /* buffer for the /proc/self/mem copy */
	size_t scratch_size;
	int flush_behind;           /* 0, 1, or RDUMP_COPY_FLUSH_LATER */
	uint64_t flush_cap;         /* page cache the dump may hold */
	rdump_copy_flush_fn flush_decide;
	void *flush_ctx;
	uint64_t handed;            /* the file is handed to the flusher up to here */
	int flushing;               /* the flusher is set up */
	int no_threads;             /* a snapshot child: flush without a thread */
	rdump_flusher flusher;
	int preallocate;            /* 0 once reserving blocks failed */
	uint64_t zero_filled;       /* bytes that could not be read, written as 0 */
	/* Regions not yet written (writev(2) path): their heads, and the
	 * pieces for writev. */
	uint32_t gathered;
	uint32_t npieces;
	uint64_t gathered_bytes;
	unsigned char heads[RDUMP_COPY_GATHER][RDUMP_COPY_HEAD];
	struct iovec pieces[RDUMP_COPY_PIECES];
} rdump_copy;

/* Start appending to fd at offset pos: writev(2) path, flushing behind on
 * with a cap of one window, blocks reserved. */
void rdump_copy_init(rdump_copy *c, int fd, uint64_t pos);

/* Append len bytes from a buffer of the caller's (not memory that may go
 * away: no zero filling). 0, or -1 with *err set. */
int rdump_copy_bytes(rdump_copy *c, const void *data, size_t len, rdump_error *err);

/* See rdump_writer_flush_behind, rdump_writer_flush_behind_later,
 * rdump_writer_no_threads and rdump_writer_read_via. */
void rdump_copy_flush_behind(rdump_copy *c, int on, uint64_t cap);
void rdump_copy_flush_behind_later(rdump_copy *c, rdump_copy_flush_fn decide, void *ctx);
void rdump_copy_no_threads(rdump_copy *c);
void rdump_copy_read_via(rdump_copy *c, int mem_fd, char *scratch, size_t scratch_size);

/* A region in parts: its head (copied), then pieces that add up to its
 * size, each either size bytes of this process's memory at address
 * (rdump_copy_piece) or zeros (rdump_copy_zeros: pages never touched,
 * written without reading them). From memory, pieces are gathered and
 * written with others (when RDUMP_COPY_GATHER regions or a window's worth
 * are waiting, or by rdump_copy_write_gathered), their bytes read only
 * then; through /proc/self/mem at once. 0, or
 * -1 with *err set. */
int rdump_copy_head(rdump_copy *c, const unsigned char head[RDUMP_COPY_HEAD], rdump_error *err);
int rdump_copy_piece(rdump_copy *c, uint64_t address, uint64_t size, rdump_error *err);
int rdump_copy_zeros(rdump_copy *c, uint64_t size, rdump_error *err);

/* Write the gathered regions now. 0, or -1 with *err set. */
int rdump_copy_write_gathered(rdump_copy *c, rdump_error *err);

/* Stop flushing behind (joins the flusher's thread). Before the file is
 * closed; safe to call more than once. */
void rdump_copy_stop(rdump_copy *c);

#endif /* RDUMP_COPY_H */
