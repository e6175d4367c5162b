/*
 * rdump_writer: the only code that knows the RDUMP v3 byte layout
 * (../shared/rdump-format.md), and how a dump file is created and
 * published.
 *
 * Safety contract, for every function here: no Zend allocator, no malloc,
 * no locks; all state lives in the caller's rdump_writer (on its stack),
 * so it works at memory_limit exhaustion and in a forked child.
 *
 * File life cycle: rdump_writer_create() refuses a path that exists and is
 * not a regular file (symlink, directory, FIFO, socket, device) without
 * opening it, and creates a temporary file next to it (mode 0600,
 * O_EXCL|O_NOFOLLOW|O_CLOEXEC). rdump_writer_commit() renames it into place
 * once it is complete and closed; rdump_writer_abort() removes it. Until
 * commit succeeds nothing exists at the final path that was not there.
 */
#ifndef RDUMP_WRITER_H
#define RDUMP_WRITER_H

#include <limits.h>
#include <stdint.h>

#include "rdump_copy.h"
#include "rdump_error.h"
#include "rdump_maps.h"

#define RDUMP_FORMAT_VERSION 3
/* Room the writer needs after a path for its temporary name
 * (".tmp-<pid>-<n>"): expand path templates into PATH_MAX minus this. */
#define RDUMP_TMP_SUFFIX_MAX 40
#define RDUMP_WRITER_BUF 8192

typedef struct {
	const char *key;
	uint64_t address;
} rdump_global;

typedef struct {
	const char *php_version;    /* "v82" */
	uint64_t pid, eg, cg;
	int64_t rss;                /* -1: unknown */
	const rdump_global *globals;
	uint32_t globals_count;
} rdump_header;

typedef struct {
	uint32_t map_count, region_count;
	uint64_t region_bytes;      /* sum of region sizes */
	uint64_t zero_filled;       /* bytes that could not be read, written as 0 */
	uint64_t untouched;         /* bytes of pages never touched, written as 0 */
} rdump_writer_stats;

typedef struct {
	int fd;
	rdump_copy copy;            /* region bytes, and where the file ends */
	const char *path;           /* borrowed from the caller until commit/abort */
	uint64_t counts_at;         /* file offset of map_count, region_count */
	uint64_t map_begin, map_end;
	size_t used;                /* bytes in buf, not yet written */
	rdump_writer_stats stats;
	char tmp[PATH_MAX];
	unsigned char buf[RDUMP_WRITER_BUF];
} rdump_writer;

/* Check `path` and create the temporary file. 0, or -1 with *err set
 * (nothing is left behind on failure). */
int rdump_writer_create(rdump_writer *w, const char *path, rdump_error *err);

/* Append the header, with placeholder counts. */
int rdump_writer_header(rdump_writer *w, const rdump_header *h, rdump_error *err);

/* Append one memory-map entry. All entries come before any region. */
int rdump_writer_map_entry(rdump_writer *w, const rdump_vma *vma, rdump_error *err);

/* Call fn once for every memory-map entry written so far, in order,
 * reading them back from the file (so no list is kept in memory). fn
 * returns 0 to go on, -1 to stop with *err set. The rdump_vma is valid
 * only during the call. */
typedef int (*rdump_writer_map_fn)(void *ctx, const rdump_vma *vma, rdump_error *err);
int rdump_writer_each_map_entry(rdump_writer *w, rdump_writer_map_fn fn, void *ctx,
		rdump_error *err);

/* The temporary file's descriptor. */
int rdump_writer_fd(const rdump_writer *w);

/* Let go of the temporary file without removing it: a snapshot child that
 * shares the descriptor finishes (or removes) it. */
void rdump_writer_detach(rdump_writer *w);

/* Flush behind the writer (on by default, with a cap of one window):
 * every RDUMP_FLUSH_WINDOW bytes, hand the file to the flusher
 * (rdump_flush.h), which starts writeback of the new window, drops from
 * the page cache what of the window before is already written back, and
 * waits for (then drops) whatever lies more than `cap` bytes behind the
 * end, so a large dump holds at most about cap plus two windows of page
 * cache charged to the process's cgroup, and waits for the disk only past
 * the cap. Off leaves the page cache to the kernel. */
void rdump_writer_flush_behind(rdump_writer *w, int on, uint64_t cap);

/* Decide about flushing behind only when the dump first reaches
 * RDUMP_FLUSH_WINDOW bytes (a smaller dump never flushes, so never asks):
 * then decide(ctx, &cap) returns 1 and sets the cap to flush behind from
 * there on, or 0 to leave the page cache to the kernel. */
void rdump_writer_flush_behind_later(rdump_writer *w, rdump_copy_flush_fn decide, void *ctx);

/* In a snapshot child, which must not start threads: flush behind (if at
 * all) without the flusher's thread. */
void rdump_writer_no_threads(rdump_writer *w);

/* Copy regions through /proc/self/mem (pread into scratch, then write)
 * instead of writev(2) from memory. The caller owns both and keeps them
 * until commit or abort. */
void rdump_writer_read_via(rdump_writer *w, int mem_fd, char *scratch, size_t scratch_size);

/* Append a region of `size` bytes copied from this process at `address`,
 * through rdump_copy (see rdump_copy.h): from memory, regions are
 * gathered and their bytes read only when written, so stats.zero_filled
 * (pages unmapped or unreadable meanwhile, written as zeros) is complete
 * only after commit. */
int rdump_writer_region(rdump_writer *w, uint64_t address, uint64_t size,
		rdump_error *err);

/* Append a region of `size` bytes at `address` in parts: begin with its
 * size, then pieces in address order that add up to it, each either this
 * process's memory (as rdump_writer_region copies it) or zeros for pages
 * never touched (read from nowhere; counted in stats.untouched). The
 * caller keeps the sum right: nothing checks it. */
int rdump_writer_region_begin(rdump_writer *w, uint64_t address, uint64_t size, rdump_error *err);
int rdump_writer_region_bytes(rdump_writer *w, uint64_t address, uint64_t size, rdump_error *err);
int rdump_writer_region_zeros(rdump_writer *w, uint64_t size, rdump_error *err);

/* Write the regions gathered so far now (the caller has nothing better
 * to do meanwhile). 0, or -1 with *err set. */
int rdump_writer_write_gathered(rdump_writer *w, rdump_error *err);

/* Patch the counts, close, and rename the file into place. On failure the
 * temporary file is removed. Either way the writer is finished. */
int rdump_writer_commit(rdump_writer *w, rdump_error *err);

/* Close and remove the temporary file; safe to call after a failed
 * create or commit. */
void rdump_writer_abort(rdump_writer *w);

#endif /* RDUMP_WRITER_H */
