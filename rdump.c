/*
 * rdump.c: module glue and the PHP functions. The work is done by
 * rdump_trigger.c and the engine; this file only turns PHP arguments into
 * a request and the outcome into PHP's return value and diagnostics.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "ext/standard/info.h"
#include "php_rdump.h"
#include "rdump_compat.h"
#include "rdump_cgroup.h"
#include "rdump_flush.h"
#include "rdump_ini.h"
#include "rdump_oom.h"
#include "rdump_oom_hook.h"
#include "rdump_signal.h"
#include "rdump_trigger.h"

/* PHP 7.x: arginfo without types (gen_stub.php's legacy output). */
#if PHP_VERSION_ID < 80000
# include "rdump_legacy_arginfo.h"
#else
# include "rdump_arginfo.h"
#endif

#include <errno.h>
#include <string.h>

ZEND_DECLARE_MODULE_GLOBALS(rdump)


static void warn_failure(const char *path, const rdump_error *err)
{
	if (err->err != 0) {
		php_error_docref(NULL, E_WARNING, "Cannot write dump to '%s': %s: %s",
			path, err->what, strerror(err->err));
	} else {
		php_error_docref(NULL, E_WARNING, "Cannot write dump to '%s': %s", path, err->what);
	}
}

PHP_FUNCTION(rdump_dump)
{
	char *path;
	size_t path_len;
	zend_bool full = 0, background = 0;
	char resolved[MAXPATHLEN];
	rdump_request req;
	rdump_outcome out;
	const char *degraded, *shortfall;
	char shortfall_buf[256];
	int rc;

	ZEND_PARSE_PARAMETERS_START(1, 3)
		Z_PARAM_PATH(path, path_len)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(full)
		Z_PARAM_BOOL(background)
	ZEND_PARSE_PARAMETERS_END();

	if (path_len == 0) {
		RDUMP_ARG_ERROR(1, "cannot be empty");
		RDUMP_RETURN_ARG_ERROR();
	}
	if (php_check_open_basedir(path)) {
		RETURN_FALSE;
	}
	if (rdump_trigger_absolute(path, resolved, sizeof(resolved)) != 0) {
		php_error_docref(NULL, E_WARNING, "Cannot write dump to '%s': %s", path, strerror(errno));
		RETURN_FALSE;
	}

	rdump_trigger_request(&req, resolved, full, background, NULL);
	rc = rdump_trigger_run(&req, &out);
	if (background && !out.background && out.fork_errno != 0) {
		php_error_docref(NULL, E_NOTICE, "Cannot fork a snapshot for '%s' (%s): dumped synchronously instead",
			path, strerror(out.fork_errno));
	}
	degraded = rdump_trigger_degraded(&out);
	if (degraded) {
		php_error_docref(NULL, E_WARNING, "%s", degraded);
	}
	if (rc != 0) {
		warn_failure(path, &out.err);
		RETURN_FALSE;
	}
	shortfall = rdump_trigger_shortfall(&out, shortfall_buf, sizeof(shortfall_buf));
	if (shortfall) {
		php_error_docref(NULL, E_NOTICE, "Dump '%s' is incomplete: %s", path, shortfall);
	}
	RETURN_TRUE;
}

PHP_FUNCTION(rdump_set_oom_dump)
{
	char *path = NULL;
	size_t path_len = 0;
	zend_bool full = 0;
	char resolved[MAXPATHLEN];

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_PATH_EX(path, path_len, 1, 0)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(full)
	ZEND_PARSE_PARAMETERS_END();

	if (path != NULL && path_len > 0) {
		if (rdump_trigger_absolute(path, resolved, sizeof(resolved)) != 0) {
			php_error_docref(NULL, E_WARNING, "Cannot use '%s' as OOM dump path: %s", path,
				strerror(errno));
			RETURN_FALSE;
		}
		path = resolved;
		path_len = strlen(resolved);
	}
	if (rdump_oom_override(path, path_len, full) != 0) {
		php_error_docref(NULL, E_WARNING, "Cannot use '%s' as OOM dump path: %s", path,
			strerror(errno));
		RETURN_FALSE;
	}
	RETURN_TRUE;
}

static PHP_GINIT_FUNCTION(rdump)
{
#if defined(ZTS) && defined(COMPILE_DL_RDUMP)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	memset(rdump_globals, 0, sizeof(*rdump_globals));
}

static PHP_MINIT_FUNCTION(rdump)
{
	rdump_ini_startup(type, module_number);
	rdump_oom_hook_startup();
	rdump_signal_startup();
	return SUCCESS;
}

static PHP_MSHUTDOWN_FUNCTION(rdump)
{
	rdump_signal_shutdown();
	rdump_oom_hook_shutdown();
	rdump_ini_shutdown(type, module_number);
	return SUCCESS;
}

static PHP_RINIT_FUNCTION(rdump)
{
	(void)type;
	(void)module_number;
	/* A shared ZTS build caches the thread's storage pointer per module;
	 * it must be set on each thread before EG()/BG() are used. */
#if defined(ZTS) && defined(COMPILE_DL_RDUMP)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	rdump_oom_request_start();
	rdump_signal_request_start();
	return SUCCESS;
}

static void info_number(const char *label, uint64_t v, const char *zero)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	php_info_print_table_row(2, label, v == 0 ? zero : buf);
}

static PHP_MINFO_FUNCTION(rdump)
{
	char format[16], signal_name[64];
	const char *tpl = RDUMP_G(ini.oom_dump), *sig_tpl = RDUMP_G(ini.signal_dump);

	(void)zend_module;
	snprintf(format, sizeof(format), "%d", RDUMP_FORMAT_VERSION);
	php_info_print_table_start();
	php_info_print_table_row(2, "rdump support", "enabled");
	php_info_print_table_row(2, "Extension version", PHP_RDUMP_VERSION);
	php_info_print_table_row(2, "RDUMP format version", format);
	php_info_print_table_row(2, "Version tag written", rdump_trigger_version_tag());
	php_info_print_table_end();

	/* What the INI values were understood as, so an operator can check. */
	php_info_print_table_start();
	php_info_print_table_header(2, "OOM dump (effective)", "Value");
	php_info_print_table_row(2, "path template", tpl && tpl[0] ? tpl : "off");
	php_info_print_table_row(2, "embed read-only mappings", RDUMP_G(ini.oom_dump_full) ? "yes" : "no");
	info_number("dumps per worker", RDUMP_G(ini.oom_dump_max), "unlimited");
	info_number("minimum interval (s)", RDUMP_G(ini.oom_dump_min_interval), "off");
	info_number("disk budget (bytes)", RDUMP_G(ini.oom_dump_max_total), "off");
	php_info_print_table_row(2, "completion marker", RDUMP_G(ini.oom_dump_marker) ? "yes" : "no");
	php_info_print_table_row(2, "in the background", RDUMP_G(ini.oom_dump_background) ? "yes" : "no");
	php_info_print_table_end();

	php_info_print_table_start();
	php_info_print_table_header(2, "Signal dump (effective)", "Value");
	if (RDUMP_G(ini.signal) != 0) {
		snprintf(signal_name, sizeof(signal_name), "%d (%s)", RDUMP_G(ini.signal), strsignal(RDUMP_G(ini.signal)));
	}
	php_info_print_table_row(2, "signal", RDUMP_G(ini.signal) != 0 ? signal_name : "off");
	php_info_print_table_row(2, "path template", sig_tpl && sig_tpl[0] ? sig_tpl : "none");
	php_info_print_table_row(2, "embed read-only mappings", RDUMP_G(ini.signal_dump_full) ? "yes" : "no");
	php_info_print_table_row(2, "in the background", RDUMP_G(ini.signal_dump_background) ? "yes" : "no");
	php_info_print_table_end();

	php_info_print_table_start();
	php_info_print_table_header(2, "Capture (effective)", "Value");
	php_info_print_table_row(2, "memory captured", RDUMP_G(ini.resident_only) ? "resident pages" : "whole mappings");
	php_info_print_table_row(2, "MADV_DONTDUMP mappings", RDUMP_G(ini.include_dontdump) ? "captured" : "listed only");
	php_info_print_table_row(2, "copy path", RDUMP_G(ini.safe_read) ? "/proc/self/mem" : "write(2) from memory");
	php_info_print_table_row(2, "memory cgroup limited", rdump_cgroup_limited() ? "yes" : "no");
	php_info_print_table_row(2, "page cache",
		RDUMP_G(ini.flush_behind) == RDUMP_FLUSH_AUTO ? "auto: flushed behind the writer if the memory cgroup is limited"
		: RDUMP_G(ini.flush_behind) ? "flushed behind the writer" : "left to the kernel");
	php_info_print_table_end();
	DISPLAY_INI_ENTRIES();
}

zend_module_entry rdump_module_entry = {
	STANDARD_MODULE_HEADER,
	"rdump",
	ext_functions,
	PHP_MINIT(rdump),
	PHP_MSHUTDOWN(rdump),
	PHP_RINIT(rdump),
	NULL,
	PHP_MINFO(rdump),
	PHP_RDUMP_VERSION,
	PHP_MODULE_GLOBALS(rdump),
	PHP_GINIT(rdump),
	NULL,
	NULL,
	STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_RDUMP
# ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
# endif
ZEND_GET_MODULE(rdump)
#endif
