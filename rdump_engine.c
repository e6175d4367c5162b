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
#include "rdump_engine.h"

#include <errno.h>
#include <signal.h>

#include <unistd.h>

#define RDUMP_TAG_(maj, min) "v" #maj #min
#define RDUMP_TAG(maj, min) RDUMP_TAG_(maj, min)

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

static int list_maps(rdump_writer *w, rdump_error *err)
{
	char buf[RDUMP_MAPS_LINE_MAX];
	rdump_maps_reader r;
	rdump_vma vma;
	int rc;

	if (rdump_maps_open(&r, buf, sizeof(buf)) != 0) {
		err->what = "cannot open /proc/self/maps";
		err->err = errno;
		return -1;
	}
	while ((rc = rdump_maps_next(&r, &vma)) > 0) {
		if (rdump_writer_map_entry(w, &vma, err) != 0) {
			break;
		}
	}
	if (rc < 0) {
		err->what = "cannot read /proc/self/maps";
		err->err = errno;
	}
	rdump_maps_close(&r);
	return rc == 0 ? 0 : -1;
}

typedef struct {
	rdump_writer *w;
	int flags;
} capture_ctx;

static int capture_one(void *ctx, const rdump_vma *vma, rdump_error *err)
{
	capture_ctx *c = ctx;
	if (!rdump_maps_wanted(vma, c->flags)) {
		return 0;
	}
	return rdump_writer_region(c->w, vma->start, vma->end - vma->start, err);
}

int rdump_engine_dump(const rdump_request *req, rdump_stats *stats, rdump_error *err)
{
	rdump_writer w;
	rdump_global globals[3];
	rdump_header h;
	capture_ctx ctx;
	struct sigaction ign, old_xfsz;
	int xfsz_changed = 0, rc = -1;

	/* One dump at a time per thread: a trigger firing during a dump (the
	 * OOM hook, later a signal) must not start a second one. */
	if (RDUMP_G(dumping)) {
		err->what = "a dump is already in progress";
		err->err = EBUSY;
		return -1;
	}
	if (rdump_writer_create(&w, req->path, err) != 0) {
		return -1;
	}
	RDUMP_G(dumping) = 1;
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

	ctx.w = &w;
	ctx.flags = req->flags;
	if (rdump_writer_header(&w, &h, err) != 0 || list_maps(&w, err) != 0
		|| rdump_writer_each_map_entry(&w, capture_one, &ctx, err) != 0) {
		rdump_writer_abort(&w);
		goto out;
	}
	if (stats) {
		*stats = w.stats;
	}
	rc = rdump_writer_commit(&w, err);
out:
	RDUMP_G(dumping) = 0;
	if (xfsz_changed) {
		sigaction(SIGXFSZ, &old_xfsz, NULL);
	}
	return rc;
}
