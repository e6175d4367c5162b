/*
 * rdump_engine: the one dump engine every trigger calls (rdump_dump(),
 * the OOM hook, later signals and background snapshots).
 *
 * It lists every VMA of /proc/self/maps into the file, then reads that
 * list back from the file and copies each chosen mapping, so it keeps no
 * list in memory: its scratch is a few pages of the caller's stack.
 * It never calls the Zend allocator or malloc, takes no lock and leaves
 * the heaps it captures untouched, so it works with memory_limit already
 * exhausted. It must run on a PHP thread (it reads that thread's EG/CG/BG
 * addresses).
 */
#ifndef RDUMP_ENGINE_H
#define RDUMP_ENGINE_H

#include "php.h"
#include "rdump_writer.h"

typedef struct {
	const char *path;   /* where the finished dump is published */
	zend_bool full;     /* also read-only file-backed mappings */
	zend_bool background; /* fork; a snapshot child writes the dump */
	const char *marker; /* NULL, or an empty file to create once the dump is complete */
} rdump_request;

/* Write the dump. 0 when the complete file is at req->path; -1 with *err
 * set and nothing left behind otherwise. With req->background, 0 means a
 * snapshot child is writing it (stats->background; the file appears at
 * req->path when complete); if no child could be forked the dump is
 * written synchronously and stats->fork_errno says why. How memory is captured follows
 * rdump.resident_only, rdump.include_dontdump and rdump.safe_read.
 * stats (may be NULL) says what was written, and whether the engine had
 * to do without smaps (MADV_DONTDUMP unknown) or pagemap (whole mappings). */
int rdump_engine_dump(const rdump_request *req, rdump_stats *stats, rdump_error *err);

/* If this dump had to do without pagemap or smaps and that has not been
 * said yet in this process, the sentence to say; otherwise NULL. */
const char *rdump_engine_degraded_once(const rdump_stats *stats);

/* If this dump is known to lack memory it was meant to hold (swapped-out
 * shared memory that could not be found), a sentence saying so, written
 * into buf; otherwise NULL. Said for every dump it applies to. */
const char *rdump_engine_shortfall(const rdump_stats *stats, char *buf, size_t size);

/* The version tag written in the header ("v82"). */
const char *rdump_engine_version_tag(void);

#endif /* RDUMP_ENGINE_H */
