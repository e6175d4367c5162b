/*
 * rdump_engine.c: drives rdump_maps, rdump_whole and rdump_writer through
 * one dump. See rdump_engine.h.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "rdump_ahead.h"
#include "rdump_engine.h"
#include "rdump_flush.h"
#include "rdump_fork.h"
#include "rdump_pagemap.h"
#include "rdump_whole.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Scratch for the /proc/self/mem copy path. */
#define RDUMP_SCRATCH_SIZE ((size_t)256 << 10)

typedef struct {
	const rdump_request *req;
	rdump_writer *w;
	int flags;                  /* req->flags, and RDUMP_CAPTURE_FORKED in a snapshot child */
	int pagemap_fd;             /* -1: whole mappings */
	rdump_outcome *out;
	rdump_error *err;
	rdump_ahead ahead;          /* smaps and shared memory, on a helper thread */
	rdump_opcache opcache;      /* opcache's SHM, once found */
	rdump_whole whole;          /* ranges held whole (resident-only dumps) */
} capture_ctx;

/* Is the mapping only the dump's own scratch: the helper's, the table of
 * ranges held whole, or both, merged by the kernel? */
static int own_scratch(const capture_ctx *c, const rdump_vma *vma)
{
	uint64_t at = vma->start;
	int i;

	for (i = 0; i < 2; i++) {
		at = rdump_whole_skip(&c->whole, rdump_ahead_skip(&c->ahead, at));
	}
	return at >= vma->end;
}

/* Pass 1: every VMA into the file, from /proc/self/maps (smaps, which the
 * helper reads meanwhile, is needed only from pass 2). Shared memory whose
 * resident pages only mincore finds goes to the helper. */
static int list_maps(capture_ctx *c, rdump_error *err)
{
	char buf[RDUMP_MAPS_LINE_MAX];
	rdump_maps_reader r;
	rdump_vma vma;
	int rc;

	if (rdump_maps_open(&r, buf, sizeof(buf), 0) != 0) {
		return rdump_fail(err, "cannot open /proc/self/maps", errno);
	}
	while ((rc = rdump_maps_next(&r, &vma)) > 0) {
		if (own_scratch(c, &vma)) {
			continue;
		}
		if (c->pagemap_fd >= 0) {
			rdump_ahead_offer(&c->ahead, &vma, c->flags, &c->opcache);
		}
		if (rdump_writer_map_entry(c->w, &vma, err) != 0) {
			break;
		}
	}
	if (rc < 0) {
		rdump_fail(err, "cannot read /proc/self/maps", errno);
	}
	rdump_maps_close(&r);
	rdump_ahead_ready(&c->ahead);
	return rc == 0 ? 0 : -1;
}

static int capture_run(void *ctx, uint64_t start, uint64_t length)
{
	capture_ctx *c = ctx;
	return rdump_writer_region(c->w, start, length, c->err);
}

/* Pass 2, per VMA read back from the file: capture what is wanted. */
static int capture_one(void *ctx, const rdump_vma *replayed, rdump_error *err)
{
	capture_ctx *c = ctx;
	rdump_vma vma = *replayed;
	int rc, swapped;

	/* Rather than wait for the helper, help it with shared memory, and
	 * write what is gathered. */
	rdump_ahead_help(&c->ahead, &vma);
	if (rdump_ahead_vmflags_pending(&c->ahead, &vma) && rdump_writer_write_gathered(c->w, err) != 0) {
		return -1;
	}
	rc = rdump_ahead_vmflags(&c->ahead, &vma);
	if (rc < 0) {
		return rdump_fail(err, "cannot read /proc/self/smaps", errno);
	}
	if (rc == 0) {
		c->out->no_smaps = 1;
	}
	if (!rdump_maps_wanted(&vma, c->flags)) {
		return 0;
	}
	/* Read-only file mappings asked for by $full are taken whole: cold
	 * pages of a binary are what an analyser on another host lacks, and
	 * reading them only fills the page cache. */
	if (c->pagemap_fd < 0 || rdump_maps_file_backed_ro(&vma)) {
		return rdump_writer_region(c->w, vma.start, vma.end - vma.start, err);
	}
	/* Shared memory swapped out, without its shmem file: read back into
	 * the swap cache first, where mincore sees it (the helper's bitmap,
	 * made before, would miss it). */
	swapped = vma.swap > 0 && rdump_maps_shared_memory(&vma) && !rdump_pagemap_seekable(&vma);
	c->err = err;
	rc = RDUMP_RUNS_NOT_MINE;
	if (!swapped || rdump_pagemap_swap_in(&vma) != 0) {
		rc = rdump_ahead_capture(&c->ahead, &vma, capture_run, c);
	}
	if (rc == RDUMP_RUNS_NOT_MINE && !rdump_maps_shared_memory(&vma)) {
		rc = rdump_whole_capture(&c->whole, c->pagemap_fd, &vma, (c->flags & RDUMP_CAPTURE_FORKED) != 0,
			&c->opcache, c->w, err);
	}
	if (rc == RDUMP_RUNS_NOT_MINE) {
		rc = rdump_pagemap_runs(c->pagemap_fd, &vma, (c->flags & RDUMP_CAPTURE_FORKED) != 0, &c->opcache,
			capture_run, c);
	}
	if (rc == RDUMP_RUNS_READ_FAILED) {
		rdump_fail(err, "cannot read /proc/self/pagemap", errno);
	}
	if (rc != RDUMP_RUNS_DONE) {
		return -1;
	}
	/* Writing a page from the swap cache frees its swap slot: once the
	 * mapping is written, what smaps still counts as swapped is missing. */
	if (swapped) {
		int64_t left;
		if (rdump_writer_write_gathered(c->w, err) != 0) {
			return -1;
		}
		left = rdump_maps_swap_of(vma.start, vma.end);
		c->out->shared_swap_missed += left < 0 ? vma.swap : (uint64_t)left;
	}
	return 0;
}

/* Resident-only capture needs pagemap; without it, whole mappings (the
 * caller says so once). */
static void open_pagemap(capture_ctx *c)
{
	c->pagemap_fd = -1;
	if (!(c->flags & RDUMP_CAPTURE_WHOLE)) {
		c->pagemap_fd = rdump_pagemap_open();
		if (c->pagemap_fd < 0) {
			c->out->no_pagemap = 1;
		}
	}
}

/* The completion marker: an empty file, mode 0600, never through a link. */
static int write_marker(const char *marker)
{
	int fd, rc;
	do {
		fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		return -1;
	}
	rc = fchmod(fd, 0600);
	if (close(fd) != 0 || rc != 0) {
		return -1;
	}
	return 0;
}

/* Everything after the header values are known: header, map, regions,
 * publication. Used by the caller (synchronous dump) and by the snapshot
 * child (background dump): only plain system calls, the writer and the
 * stack, nothing that allocates or locks. 0, or -1 with *err set (the
 * temporary file is then removed). */
static int write_dump(rdump_writer *w, const rdump_header *h, capture_ctx *ctx, rdump_error *err)
{
	char *scratch = MAP_FAILED;
	int mem_fd = -1, rc = -1;

	/* The helper and the table of ranges held whole are made before the
	 * listing, which leaves them out. */
	open_pagemap(ctx);
	if (ctx->pagemap_fd >= 0 && rdump_whole_collect(&ctx->whole, &ctx->req->roots) != 0) {
		rdump_fail(err, "cannot map scratch memory", errno);
		goto failed;
	}
	if (ctx->flags & RDUMP_CAPTURE_FORKED) {
		rdump_writer_no_threads(w);
	}
	if (rdump_ahead_start(&ctx->ahead, !(ctx->flags & RDUMP_CAPTURE_FORKED)) != 0) {
		rdump_fail(err, "cannot map scratch memory", errno);
		goto failed;
	}
	if (rdump_writer_header(w, h, err) != 0 || list_maps(ctx, err) != 0) {
		goto failed;
	}
	/* Only now, with the map listed, may the engine map anything (but the
	 * helper's scratch, which the listing leaves out): the scratch is then
	 * neither in the map nor captured. */
	if (ctx->flags & RDUMP_CAPTURE_SAFE_READ) {
		mem_fd = rdump_maps_open_proc("/proc/self/mem");
		scratch = mmap(NULL, RDUMP_SCRATCH_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem_fd < 0 || scratch == MAP_FAILED) {
			rdump_fail(err, mem_fd < 0 ? "cannot open /proc/self/mem" : "cannot map scratch memory", errno);
			goto failed;
		}
		rdump_writer_read_via(w, mem_fd, scratch, RDUMP_SCRATCH_SIZE);
	}
	if (rdump_writer_each_map_entry(w, capture_one, ctx, err) != 0) {
		goto failed;
	}
	rc = rdump_writer_commit(w, err);
	/* After the commit, which writes the last gathered regions. */
	ctx->out->written = w->stats;
	if (rc == 0 && ctx->req->marker && write_marker(ctx->req->marker) != 0) {
		ctx->out->marker_errno = errno;
	}
	goto out;

failed:
	rdump_writer_abort(w);
out:
	rdump_ahead_finish(&ctx->ahead);
	rdump_whole_free(&ctx->whole);
	if (ctx->pagemap_fd >= 0) {
		close(ctx->pagemap_fd);
		ctx->pagemap_fd = -1;
	}
	if (mem_fd >= 0) {
		close(mem_fd);
	}
	if (scratch != MAP_FAILED) {
		munmap(scratch, RDUMP_SCRATCH_SIZE);
	}
	return rc;
}

/* What the snapshot child needs to write the dump. */
typedef struct {
	rdump_writer *w;
	const rdump_header *h;
	capture_ctx *ctx;
} snapshot_job;

/* In the snapshot child (see rdump_fork.h): write the dump there. */
static int snapshot_write(void *arg)
{
	snapshot_job *job = arg;
	rdump_error err;

	job->ctx->flags |= RDUMP_CAPTURE_FORKED;
	return write_dump(job->w, job->h, job->ctx, &err);
}

/* Asked by the writer when the dump reaches its first flush window. */
static int decide_flush(void *arg, uint64_t *cap)
{
	const capture_ctx *c = arg;
	return rdump_flush_decide(c->req->flush, cap);
}

int rdump_engine_dump(const rdump_request *req, rdump_outcome *out)
{
	rdump_writer w;
	rdump_header h;
	capture_ctx ctx;
	struct sigaction ign, old_xfsz;
	rdump_error *err = &out->err;
	int xfsz_changed = 0, rc = -1;

	memset(out, 0, sizeof(*out));
	if (rdump_writer_create(&w, req->path, err) != 0) {
		return -1;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.w = &w;
	ctx.req = req;
	ctx.flags = req->flags;
	ctx.out = out;
	ctx.pagemap_fd = -1;
	rdump_ahead_init(&ctx.ahead);
	rdump_opcache_init(&ctx.opcache);
	rdump_whole_init(&ctx.whole);
	if (req->flush != RDUMP_FLUSH_NEVER) {
		rdump_writer_flush_behind_later(&w, decide_flush, &ctx);
	} else {
		rdump_writer_flush_behind(&w, 0, 0);
	}

	/* Past RLIMIT_FSIZE the default SIGXFSZ would kill the worker; with it
	 * ignored, write() fails with EFBIG and the dump fails cleanly. Left
	 * alone if the application handles or ignores it already. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	if (sigaction(SIGXFSZ, NULL, &old_xfsz) == 0 && old_xfsz.sa_handler == SIG_DFL
		&& !(old_xfsz.sa_flags & SA_SIGINFO)) {
		xfsz_changed = sigaction(SIGXFSZ, &ign, NULL) == 0;
	}

	/* The header's values, all taken here (in the snapshot child the pid
	 * would be the child's). */
	h.php_version = req->php_version;
	h.pid = (uint64_t)getpid();
	h.eg = req->roots.eg;
	h.cg = req->roots.cg;
	h.rss = rdump_maps_rss_bytes();
	h.globals = req->globals;
	h.globals_count = req->globals_count;

	if (req->background) {
		snapshot_job job = { &w, &h, &ctx };
		if (rdump_fork_snapshot(rdump_writer_fd(&w), snapshot_write, &job) == 0) {
			out->background = 1;
			rdump_writer_detach(&w);
			rc = 0;
			goto out;
		}
		out->fork_errno = errno;
	}
	rc = write_dump(&w, &h, &ctx, err);

out:
	if (xfsz_changed) {
		sigaction(SIGXFSZ, &old_xfsz, NULL);
	}
	return rc;
}
