/*
 * rdump.c: module glue and the PHP functions. The work is done by
 * rdump_engine.c; this file only turns PHP arguments into a request and
 * the outcome into PHP's return value and diagnostics.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "ext/standard/info.h"
#include "php_rdump.h"
#include "rdump_compat.h"
#include "rdump_engine.h"

/* PHP 7.x: arginfo without types (gen_stub.php's legacy output). */
#if PHP_VERSION_ID < 80000
# include "rdump_legacy_arginfo.h"
#else
# include "rdump_arginfo.h"
#endif

#include <errno.h>
#include <string.h>

/* The path as the kernel must see it: under ZTS the engine keeps a
 * virtual working directory per thread, so a relative path is put behind
 * it (no other rewriting: ".." and symlinks stay the kernel's business).
 * Returns 0, or -1 if it does not fit. */
static int absolute_path(const char *path, char *out, size_t size)
{
	char cwd[MAXPATHLEN];
	int n;

	if (path[0] == '/') {
		n = snprintf(out, size, "%s", path);
	} else if (VCWD_GETCWD(cwd, sizeof(cwd)) == NULL) {
		return -1;
	} else {
		n = snprintf(out, size, "%s/%s", cwd, path);
	}
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

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
	zend_bool full = 0;
	char resolved[MAXPATHLEN];
	rdump_request req;
	rdump_error err;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_PATH(path, path_len)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(full)
	ZEND_PARSE_PARAMETERS_END();

	if (path_len == 0) {
		RDUMP_ARG_ERROR(1, "cannot be empty");
		RDUMP_RETURN_ARG_ERROR();
	}
	if (php_check_open_basedir(path)) {
		RETURN_FALSE;
	}
	if (absolute_path(path, resolved, sizeof(resolved)) != 0) {
		php_error_docref(NULL, E_WARNING, "Cannot write dump to '%s': %s", path, strerror(errno));
		RETURN_FALSE;
	}

	req.path = resolved;
	req.flags = full ? RDUMP_CAPTURE_FULL : 0;
	if (rdump_engine_dump(&req, NULL, &err) != 0) {
		warn_failure(path, &err);
		RETURN_FALSE;
	}
	RETURN_TRUE;
}

/* A shared ZTS build caches the thread's storage pointer per module; it
 * must be set on each thread before EG()/BG() are used. */
#if defined(ZTS) && defined(COMPILE_DL_RDUMP)
static PHP_RINIT_FUNCTION(rdump)
{
	ZEND_TSRMLS_CACHE_UPDATE();
	return SUCCESS;
}
# define RDUMP_RINIT PHP_RINIT(rdump)
#else
# define RDUMP_RINIT NULL
#endif

static PHP_MINFO_FUNCTION(rdump)
{
	char format[16];

	snprintf(format, sizeof(format), "%d", RDUMP_FORMAT_VERSION);
	php_info_print_table_start();
	php_info_print_table_row(2, "rdump support", "enabled");
	php_info_print_table_row(2, "Extension version", PHP_RDUMP_VERSION);
	php_info_print_table_row(2, "RDUMP format version", format);
	php_info_print_table_row(2, "Version tag written", rdump_engine_version_tag());
	php_info_print_table_end();
	DISPLAY_INI_ENTRIES();
}

zend_module_entry rdump_module_entry = {
	STANDARD_MODULE_HEADER,
	"rdump",
	ext_functions,
	NULL,
	NULL,
	RDUMP_RINIT,
	NULL,
	PHP_MINFO(rdump),
	PHP_RDUMP_VERSION,
	STANDARD_MODULE_PROPERTIES
};

#ifdef COMPILE_DL_RDUMP
# ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
# endif
ZEND_GET_MODULE(rdump)
#endif
