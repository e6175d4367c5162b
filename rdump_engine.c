/*
 * rdump_engine.c: collects what the header needs from the engine and
 * drives rdump_maps and rdump_writer. See rdump_engine.h.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "ext/standard/basic_functions.h"
#include "php_rdump.h"
#include "rdump_ahead.h"
#include "rdump_compat.h"
#include "rdump_config.h"
#include "rdump_engine.h"
#include "rdump_pagemap.h"
#include "rdump_whole.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define RDUMP_TAG_(maj, min) "v" #maj #min
#define RDUMP_TAG(maj, min) RDUMP_TAG_(maj, min)

/* Page cache a flushed-behind dump may hold where no memory limit says. */
#define RDUMP_FLUSH_CAP ((uint64_t)64 << 20)
/* Scratch for the /proc/self/mem copy path. */
#define RDUMP_SCRATCH_SIZE ((size_t)256 << 10)

const char *rdump_engine_version_tag(void)
{
	return RDUMP_TAG(PHP_MAJOR_VERSION, PHP_MINOR_VERSION);
}

/* reli finds BG, the module registry and (ZTS) the thread's storage
 * through these keys; order as reli writes them. */
static uint32_t collect_globals(rdump_global *g)
{
	uint32_t n = 0;
	g[n].key = "basic_globals";
	g[n++].address = RDUMP_GLOBALS_ADDR(BG, php_basic_globals, user_shutdown_function_names);
	g[n].key = "module_registry";
	g[n++].address = (uint64_t)(uintptr_t)&module_registry;
#ifdef ZTS
	g[n].key = "tsrm_ls_cache";
	g[n++].address = (uint64_t)(uintptr_t)tsrm_get_ls_cache();
#endif
	return n;
}

typedef struct {
	rdump_writer *w;
	int flags;                  /* RDUMP_CAPTURE_* */
	int pagemap_fd;             /* -1: whole mappings */
	rdump_stats *stats;
	rdump_error *err;
	unsigned char flush_setting; /* rdump.flush_behind */
	rdump_ahead ahead;          /* smaps and shared memory, on a helper thread */
	rdump_opcache opcache;      /* opcache's SHM, once found */
	rdump_whole_roots roots;    /* where the Zend structures are */
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
		err->what = "cannot open /proc/self/maps";
		err->err = errno;
		return -1;
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
		err->what = "cannot read /proc/self/maps";
		err->err = errno;
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
		err->what = "cannot read /proc/self/smaps";
		err->err = errno;
		return -1;
	}
	if (rc == 0) {
		c->stats->no_smaps = 1;
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
	rc = 1;
	if (!swapped || rdump_pagemap_swap_in(&vma) != 0) {
		rc = rdump_ahead_capture(&c->ahead, &vma, capture_run, c);
	}
	if (rc == 1 && !rdump_maps_shared_memory(&vma)) {
		rc = rdump_whole_capture(&c->whole, c->pagemap_fd, &vma, (c->flags & RDUMP_CAPTURE_FORKED) != 0,
			&c->opcache, c->w, err);
	}
	if (rc == 1) {
		rc = rdump_pagemap_runs(c->pagemap_fd, &vma, (c->flags & RDUMP_CAPTURE_FORKED) != 0, &c->opcache,
			capture_run, c);
	}
	if (rc == -1) {
		err->what = "cannot read /proc/self/pagemap";
		err->err = errno;
	}
	if (rc != 0) {
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
		c->stats->shared_swap_missed += left < 0 ? vma.swap : (uint64_t)left;
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
			c->stats->no_pagemap = 1;
		}
	}
}

static int capture_flags(zend_bool full)
{
	int flags = full ? RDUMP_CAPTURE_FULL : 0;
	if (!RDUMP_G(ini.resident_only)) {
		flags |= RDUMP_CAPTURE_WHOLE;
	}
	if (RDUMP_G(ini.include_dontdump)) {
		flags |= RDUMP_CAPTURE_DONTDUMP;
	}
	if (RDUMP_G(ini.safe_read)) {
		flags |= RDUMP_CAPTURE_SAFE_READ;
	}
	return flags;
}

/* Asked by the writer when the dump reaches its first RDUMP_FLUSH_WINDOW
 * bytes (so a smaller dump never reads the cgroup files). Flushing behind
 * makes the dump write at the disk's pace past the cap; "auto" pays that
 * only where the page cache counts against a memory limit. The cap is
 * half the room left under the limit: the dump's page cache leaves the
 * worker the other half (less two windows), and a dump smaller than that
 * never waits for the disk. A quarter held a 200 MiB dump with 128 MiB of
 * room to 50 MiB but took 0.99-1.27 times as long as no flushing (over
 * 1.10 in two of five runs); half holds 82 MiB at 0.81-1.10 times.
 * Without a limit (flushing forced on), RDUMP_FLUSH_CAP. */
static int decide_flush(void *arg, uint64_t *cap)
{
	capture_ctx *c = arg;
	int64_t headroom = rdump_maps_memory_headroom();

	if (c->flush_setting == RDUMP_FLUSH_AUTO && headroom < 0) {
		return 0;
	}
	*cap = headroom >= 0 ? (uint64_t)headroom / 2 : RDUMP_FLUSH_CAP;
	return 1;
}

const char *rdump_engine_degraded_once(const rdump_stats *stats)
{
	static int said;
	if (said || !(stats->no_pagemap || stats->no_smaps)) {
		return NULL;
	}
	said = 1;
	return stats->no_pagemap
		? "/proc/self/pagemap cannot be read here: dumps capture whole mappings"
		  " instead of resident pages (said once per process)"
		: "/proc/self/smaps cannot be read here: mappings marked MADV_DONTDUMP"
		  " cannot be told apart and are captured (said once per process)";
}

const char *rdump_engine_shortfall(const rdump_stats *stats, char *buf, size_t size)
{
	if (stats->shared_swap_missed == 0) {
		return NULL;
	}
	snprintf(buf, size, "%llu KiB of shared memory (opcache SHM, memfd, SysV, /dev/shm) was swapped out"
		" and not read back in time for the dump (with CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE,"
		" the dump finds and reads every such page)",
		(unsigned long long)(stats->shared_swap_missed >> 10));
	return buf;
}

/* Close every descriptor but keep: close_range(2) where the kernel has it
 * (5.9+), else one by one up to the descriptor limit. */
static void close_all_but(int keep)
{
	struct rlimit rl;
	int fd, max = 65536;

#ifdef SYS_close_range
	if ((keep == 0 || syscall(SYS_close_range, 0U, (unsigned)keep - 1, 0U) == 0)
		&& syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U) == 0) {
		return;
	}
#endif
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)max) {
		max = (int)rl.rlim_cur;
	}
	for (fd = 0; fd < max; fd++) {
		if (fd != keep) {
			close(fd);
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
static int write_dump(rdump_writer *w, const rdump_header *h, capture_ctx *ctx, const char *marker,
		rdump_error *err)
{
	char *scratch = MAP_FAILED;
	int mem_fd = -1, rc = -1;

	/* The helper and the table of ranges held whole are made before the
	 * listing, which leaves them out. */
	open_pagemap(ctx);
	if (ctx->pagemap_fd >= 0 && rdump_whole_collect(&ctx->whole, &ctx->roots) != 0) {
		err->what = "cannot map scratch memory";
		err->err = errno;
		goto failed;
	}
	if (ctx->flags & RDUMP_CAPTURE_FORKED) {
		rdump_writer_no_threads(w);
	}
	if (rdump_ahead_start(&ctx->ahead, !(ctx->flags & RDUMP_CAPTURE_FORKED)) != 0) {
		err->what = "cannot map scratch memory";
		err->err = errno;
		goto failed;
	}
	if (rdump_writer_header(w, h, err) != 0 || list_maps(ctx, err) != 0) {
		goto failed;
	}
	/* Only now, with the map listed, may the engine map anything (but the
	 * helper's scratch, which the listing leaves out): the scratch is then
	 * neither in the map nor captured. */
	if (ctx->flags & RDUMP_CAPTURE_SAFE_READ) {
		do {
			mem_fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
		} while (mem_fd < 0 && errno == EINTR);
		scratch = mmap(NULL, RDUMP_SCRATCH_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem_fd < 0 || scratch == MAP_FAILED) {
			err->what = mem_fd < 0 ? "cannot open /proc/self/mem" : "cannot map scratch memory";
			err->err = errno;
			goto failed;
		}
		rdump_writer_read_via(w, mem_fd, scratch, RDUMP_SCRATCH_SIZE);
	}
	if (rdump_writer_each_map_entry(w, capture_one, ctx, err) != 0) {
		goto failed;
	}
	rc = rdump_writer_commit(w, err);
	/* After the commit, which writes the last gathered regions. */
	ctx->stats->map_count = w->stats.map_count;
	ctx->stats->region_count = w->stats.region_count;
	ctx->stats->region_bytes = w->stats.region_bytes;
	ctx->stats->zero_filled = w->stats.zero_filled;
	ctx->stats->untouched = w->stats.untouched;
	if (rc == 0 && marker && write_marker(marker) != 0) {
		ctx->stats->marker_errno = errno;
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

/* The snapshot child: a copy-on-write image of the caller at the fork, with
 * only the forking thread. It writes the dump and leaves with _exit: no PHP
 * shutdown, no atexit handlers, no stdio flushing of the parent's buffers. */
static void snapshot_child(rdump_writer *w, const rdump_header *h, capture_ctx *ctx, const char *marker)
{
	struct sigaction dfl;
	sigset_t none;
	rdump_error err;
	int sig, fd = rdump_writer_fd(w);

	/* The application's signal handlers (pcntl, the engine's own) must
	 * not run here; a full disk must not kill us with SIGXFSZ. */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP) {
			sigaction(sig, &dfl, NULL);
		}
	}
	dfl.sa_handler = SIG_IGN;
	sigaction(SIGXFSZ, &dfl, NULL);
	sigaction(SIGPIPE, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Keep no descriptor of the worker's open (listening sockets, client
	 * connections, locks): only the dump file. */
	close_all_but(fd);

	ctx->flags |= RDUMP_CAPTURE_FORKED;
	_exit(write_dump(w, h, ctx, marker, &err) == 0 ? 0 : 1);
}

/* A new process with a copy-on-write copy of this address space, by the
 * raw system call: glibc's fork() would run atfork handlers and take
 * locks in memory the vfork child below shares with its parent. */
static pid_t raw_fork(void)
{
	return (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0UL, 0UL, 0UL, 0UL);
}

/* Fork the snapshot: this process continues at once; a grandchild (so no
 * zombie is left and nothing waits for it: init reaps it) writes the dump.
 * The middle child is a vfork child: it shares this address space, so
 * only the grandchild's fork copies page tables, and the caller pauses for
 * one copy, not two. 0 when the grandchild is on its way; -1 with errno
 * when no snapshot could be made (the caller then dumps synchronously). */
static int start_background(rdump_writer *w, const rdump_header *h, capture_ctx *ctx, const char *marker)
{
	pid_t child, got;
	int status = 0;

	child = vfork();
	if (child == 0) {
		/* Only the fork and _exit here: this runs on the caller's stack. */
		pid_t grandchild = raw_fork();
		if (grandchild == 0) {
			snapshot_child(w, h, ctx, marker);
		}
		_exit(grandchild < 0 ? 2 : 0);
	}
	if (child < 0) {
		return -1;
	}
	/* Reap the middle child, and only it: an application's own SIGCHLD
	 * handling is not disturbed. If that handling reaped it first
	 * (ECHILD), its status is unknown and taken as a success. */
	do {
		got = waitpid(child, &status, 0);
	} while (got < 0 && errno == EINTR);
	if (got == child && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		errno = EAGAIN;
		return -1;
	}
	return 0;
}

int rdump_engine_dump(const rdump_request *req, rdump_stats *stats_out, rdump_error *err)
{
	rdump_writer w;
	rdump_global globals[3];
	rdump_header h;
	rdump_stats stats;
	capture_ctx ctx;
	struct sigaction ign, old_xfsz;
	int xfsz_changed = 0, rc = -1;

	/* One dump at a time per thread: a trigger firing during a dump (the
	 * OOM hook, a signal) must not start a second one. */
	memset(&stats, 0, sizeof(stats));
	if (stats_out) {
		*stats_out = stats;
	}
	if (RDUMP_G(dumping)) {
		err->what = "a dump is already in progress";
		err->err = EBUSY;
		return -1;
	}
	if (rdump_writer_create(&w, req->path, err) != 0) {
		return -1;
	}
	RDUMP_G(dumping) = 1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.w = &w;
	ctx.flags = capture_flags(req->full);
	ctx.stats = &stats;
	ctx.pagemap_fd = -1;
	ctx.flush_setting = RDUMP_G(ini.flush_behind);
	rdump_ahead_init(&ctx.ahead);
	rdump_opcache_init(&ctx.opcache);
	rdump_whole_init(&ctx.whole);
	rdump_whole_roots_here(&ctx.roots);
	if (ctx.flush_setting) {
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
	h.php_version = rdump_engine_version_tag();
	h.pid = (uint64_t)getpid();
	h.eg = RDUMP_GLOBALS_ADDR(EG, zend_executor_globals, symbol_table);
	h.cg = RDUMP_GLOBALS_ADDR(CG, zend_compiler_globals, function_table);
	h.rss = rdump_maps_rss_bytes();
	h.globals = globals;
	h.globals_count = collect_globals(globals);

	if (req->background) {
		if (start_background(&w, &h, &ctx, req->marker) == 0) {
			stats.background = 1;
			rdump_writer_detach(&w);
			rc = 0;
			goto out;
		}
		stats.fork_errno = errno;
	}
	rc = write_dump(&w, &h, &ctx, req->marker, err);

out:
	RDUMP_G(dumping) = 0;
	if (xfsz_changed) {
		sigaction(SIGXFSZ, &old_xfsz, NULL);
	}
	if (stats_out) {
		*stats_out = stats;
	}
	return rc;
}
