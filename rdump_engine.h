/*
 * rdump_engine: the one dump engine every trigger calls, through
 * rdump_trigger. It reads no setting: the request carries all it needs,
 * and the outcome says what was written and what the dump lacks.
 *
 * It lists every VMA of /proc/self/maps into the file, then reads that
 * list back from the file and copies each chosen mapping, so it keeps no
 * list in memory: its scratch is a few pages of the caller's stack.
 * It never calls the Zend allocator or malloc, takes no lock and leaves
 * the heaps it captures untouched, so it works with memory_limit already
 * exhausted.
 */
#ifndef RDUMP_ENGINE_H
#define RDUMP_ENGINE_H

#include "rdump_error.h"
#include "rdump_whole.h"
#include "rdump_writer.h"

/* Every global the header names. */
#define RDUMP_ENGINE_GLOBALS_MAX 3

typedef struct {
	const char *path;           /* where the finished dump is published */
	const char *marker;         /* NULL, or an empty file to create once the dump is complete */
	int flags;                  /* RDUMP_CAPTURE_FULL, _WHOLE, _DONTDUMP, _SAFE_READ */
	int flush;                  /* RDUMP_FLUSH_NEVER, _ALWAYS or _AUTO (rdump_flush.h) */
	int background;             /* fork; a snapshot child writes the dump */
	/* The header's PHP side, taken on the thread being dumped: its
	 * globals (roots.eg, roots.cg) and where rdump_whole starts. */
	const char *php_version;    /* "v82" */
	rdump_whole_roots roots;
	rdump_global globals[RDUMP_ENGINE_GLOBALS_MAX];
	uint32_t globals_count;
} rdump_request;

typedef struct {
	rdump_error err;            /* why the dump failed */
	rdump_writer_stats written; /* what is in the file */
	unsigned char no_smaps;     /* smaps unreadable: MADV_DONTDUMP unknown */
	unsigned char no_pagemap;   /* pagemap unreadable: whole mappings */
	unsigned char background;   /* a snapshot child writes the dump */
	int fork_errno;             /* why no snapshot child (0: none asked, or one was made) */
	int marker_errno;           /* why the marker was not created (0: it was, or none asked) */
	uint64_t shared_swap_missed; /* bytes of swapped-out shared memory not read back in time */
} rdump_outcome;

/* Write the dump. 0 when the complete file is at req->path; -1 with
 * out->err set and nothing left behind otherwise. With req->background,
 * 0 means a snapshot child is writing it (out->background; the file
 * appears at req->path when complete); if no child could be forked the
 * dump is written synchronously and out->fork_errno says why. *out is
 * always filled. One dump at a time per thread: the caller guards. */
int rdump_engine_dump(const rdump_request *req, rdump_outcome *out);

#endif /* RDUMP_ENGINE_H */
