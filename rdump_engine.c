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
#include "rdump_compat.h"
#include "rdump_config.h"
#include "rdump_engine.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#define RDUMP_TAG_(maj, min) "v" #maj #min
#define RDUMP_TAG(maj, min) RDUMP_TAG_(maj, min)

/* MADV_DONTDUMP / device-memory bits per VMA, by position in the map,
 * taken from smaps in the first pass for the second. Linux's default
 * vm.max_map_count is 65530; mappings past this many are taken as
 * having neither flag. */
#define RDUMP_FLAGGED_VMAS 65536
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
	uint32_t index;             /* position of the VMA being replayed */
	unsigned char dontdump[RDUMP_FLAGGED_VMAS / 8];
	unsigned char io[RDUMP_FLAGGED_VMAS / 8];
	rdump_stats *stats;
	rdump_error *err;
} capture_ctx;

static void set_bit(unsigned char *bits, uint32_t i, int on)
{
	if (on && i < RDUMP_FLAGGED_VMAS) {
		bits[i / 8] |= (unsigned char)(1u << (i % 8));
	}
}

static int get_bit(const unsigned char *bits, uint32_t i)
{
	return i < RDUMP_FLAGGED_VMAS && (bits[i / 8] >> (i % 8)) & 1;
}

/* Pass 1: every VMA into the file, and its flags into the bitmaps. */
static int list_maps(capture_ctx *c, rdump_error *err)
{
	char buf[RDUMP_MAPS_LINE_MAX];
	rdump_maps_reader r;
	rdump_vma vma;
	uint32_t i = 0;
	int rc;

	if (rdump_maps_open(&r, buf, sizeof(buf)) != 0) {
		err->what = "cannot open /proc/self/maps";
		err->err = errno;
		return -1;
	}
	if (!r.smaps) {
		c->stats->no_smaps = 1;
	}
	while ((rc = rdump_maps_next(&r, &vma)) > 0) {
		set_bit(c->dontdump, i, vma.dontdump);
		set_bit(c->io, i, vma.io);
		i++;
		if (rdump_writer_map_entry(c->w, &vma, err) != 0) {
			break;
		}
	}
	if (rc < 0) {
		err->what = r.smaps ? "cannot read /proc/self/smaps" : "cannot read /proc/self/maps";
		err->err = errno;
	}
	rdump_maps_close(&r);
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
	int rc;

	vma.dontdump = (unsigned char)get_bit(c->dontdump, c->index);
	vma.io = (unsigned char)get_bit(c->io, c->index);
	c->index++;
	if (!rdump_maps_wanted(&vma, c->flags)) {
		return 0;
	}
	/* Read-only file mappings asked for by $full are taken whole: cold
	 * pages of a binary are what an analyser on another host lacks, and
	 * reading them only fills the page cache. */
	if (c->pagemap_fd < 0 || rdump_maps_file_backed_ro(&vma)) {
		return rdump_writer_region(c->w, vma.start, vma.end - vma.start, err);
	}
	c->err = err;
	rc = rdump_maps_resident_runs(c->pagemap_fd, &vma, capture_run, c);
	if (rc == -1) {
		err->what = "cannot read /proc/self/pagemap";
		err->err = errno;
	}
	return rc == 0 ? 0 : -1;
}

/* Resident-only capture needs pagemap; without it, whole mappings (the
 * caller says so once). */
static void open_pagemap(capture_ctx *c)
{
	c->pagemap_fd = -1;
	if (!(c->flags & RDUMP_CAPTURE_WHOLE)) {
		c->pagemap_fd = rdump_maps_pagemap_open();
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
	/* Flushing behind makes the dump write at the disk's pace; "auto" pays
	 * that only where the page cache counts against a memory limit. */
	if (RDUMP_G(ini.flush_behind) == RDUMP_FLUSH_AUTO ? !rdump_maps_memory_limited()
		: !RDUMP_G(ini.flush_behind)) {
		flags |= RDUMP_CAPTURE_NO_FLUSH;
	}
	return flags;
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

int rdump_engine_dump(const rdump_request *req, rdump_stats *stats_out, rdump_error *err)
{
	rdump_writer w;
	rdump_global globals[3];
	rdump_header h;
	rdump_stats stats;
	capture_ctx ctx;
	struct sigaction ign, old_xfsz;
	char *scratch = MAP_FAILED;
	int mem_fd = -1, xfsz_changed = 0, rc = -1;

	/* One dump at a time per thread: a trigger firing during a dump (the
	 * OOM hook, later a signal) must not start a second one. */
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
	rdump_writer_flush_behind(&w, !(ctx.flags & RDUMP_CAPTURE_NO_FLUSH));

	/* Past RLIMIT_FSIZE the default SIGXFSZ would kill the worker; with it
	 * ignored, write() fails with EFBIG and the dump fails cleanly. Left
	 * alone if the application handles or ignores it already. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	if (sigaction(SIGXFSZ, NULL, &old_xfsz) == 0 && old_xfsz.sa_handler == SIG_DFL
		&& !(old_xfsz.sa_flags & SA_SIGINFO)) {
		xfsz_changed = sigaction(SIGXFSZ, &ign, NULL) == 0;
	}

	h.php_version = rdump_engine_version_tag();
	h.pid = (uint64_t)getpid();
	h.eg = RDUMP_GLOBALS_ADDR(EG, zend_executor_globals, symbol_table);
	h.cg = RDUMP_GLOBALS_ADDR(CG, zend_compiler_globals, function_table);
	h.rss = rdump_maps_rss_bytes();
	h.globals = globals;
	h.globals_count = collect_globals(globals);

	if (rdump_writer_header(&w, &h, err) != 0 || list_maps(&ctx, err) != 0) {
		goto failed;
	}
	/* Only now, with the map listed, may the engine map anything: the
	 * scratch is then neither in the map nor captured. */
	if (ctx.flags & RDUMP_CAPTURE_SAFE_READ) {
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
		rdump_writer_read_via(&w, mem_fd, scratch, RDUMP_SCRATCH_SIZE);
	}
	open_pagemap(&ctx);
	if (rdump_writer_each_map_entry(&w, capture_one, &ctx, err) != 0) {
		goto failed;
	}
	stats.map_count = w.stats.map_count;
	stats.region_count = w.stats.region_count;
	stats.region_bytes = w.stats.region_bytes;
	stats.zero_filled = w.stats.zero_filled;
	rc = rdump_writer_commit(&w, err);
	goto out;

failed:
	rdump_writer_abort(&w);
out:
	if (ctx.pagemap_fd >= 0) {
		close(ctx.pagemap_fd);
	}
	if (mem_fd >= 0) {
		close(mem_fd);
	}
	if (scratch != MAP_FAILED) {
		munmap(scratch, RDUMP_SCRATCH_SIZE);
	}
	RDUMP_G(dumping) = 0;
	if (xfsz_changed) {
		sigaction(SIGXFSZ, &old_xfsz, NULL);
	}
	if (stats_out) {
		*stats_out = stats;
	}
	return rc;
}
