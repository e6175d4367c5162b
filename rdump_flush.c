/*
 * rdump_flush.c: flush-behind. See rdump_flush.h.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include "rdump_flush.h"

#include <fcntl.h>
#include <string.h>

void rdump_flush_init(rdump_flusher *f, int fd, uint64_t cap)
{
	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->cap = cap;
}

/* Start writeback of the new window; drop the window started last time
 * as far as the disk has taken it (pages still being written stay,
 * nothing waits); and past the cap, wait for everything more than cap
 * bytes behind the end and drop it. The dump so holds at most about cap
 * plus two windows of page cache, and goes at the disk's pace only once
 * it has written more than the cap ahead of the disk. */
void rdump_flush_advance(rdump_flusher *f, uint64_t pos)
{
	sync_file_range(f->fd, (off_t)f->synced, (off_t)(pos - f->synced), SYNC_FILE_RANGE_WRITE);
	if (f->synced > f->kicked && f->kicked >= f->dropped) {
		posix_fadvise(f->fd, (off_t)f->kicked, (off_t)(f->synced - f->kicked), POSIX_FADV_DONTNEED);
	}
	f->kicked = f->synced;
	f->synced = pos;
	if (pos - f->dropped > f->cap) {
		uint64_t upto = pos - f->cap;
		sync_file_range(f->fd, (off_t)f->dropped, (off_t)(upto - f->dropped),
			SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
		posix_fadvise(f->fd, (off_t)f->dropped, (off_t)(upto - f->dropped), POSIX_FADV_DONTNEED);
		f->dropped = upto;
	}
}

void rdump_flush_stop(rdump_flusher *f)
{
	(void)f;
}
