/*
 * rdump_ini.c: the settings table and its handlers. See rdump_ini.h.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_rdump.h"
#include "rdump_compat.h"
#include "rdump_config.h"
#include "rdump_ini.h"

#include <string.h>

static int ini_invalid(zend_ini_entry *entry, zend_string *value, const char *expected)
{
	php_error_docref(NULL, E_WARNING, "Invalid value '%s' for %s: expected %s; keeping the default",
		ZSTR_VAL(value), ZSTR_VAL(entry->name), expected);
	return FAILURE;
}

static ZEND_INI_MH(rdump_ini_path_template)
{
	const char **dest = (const char **)RDUMP_INI_ADDR();
	(void)mh_arg3;
	(void)stage;
	if (new_value == NULL || ZSTR_LEN(new_value) == 0) {
		*dest = NULL;
		return SUCCESS;
	}
	if (ZSTR_VAL(new_value)[0] != '/' || ZSTR_LEN(new_value) >= PATH_MAX
		|| strlen(ZSTR_VAL(new_value)) != ZSTR_LEN(new_value)) {
		return ini_invalid(entry, new_value, "an absolute path template");
	}
	*dest = ZSTR_VAL(new_value);
	return SUCCESS;
}

static ZEND_INI_MH(rdump_ini_flag)
{
	int v;
	(void)mh_arg3;
	(void)stage;
	if (rdump_config_parse_bool(ZSTR_VAL(new_value), ZSTR_LEN(new_value), &v) != 0) {
		return ini_invalid(entry, new_value, "0 or 1 (or on/off, yes/no, true/false)");
	}
	*(zend_bool *)RDUMP_INI_ADDR() = (zend_bool)v;
	return SUCCESS;
}

static ZEND_INI_MH(rdump_ini_flush)
{
	int v;
	(void)mh_arg3;
	(void)stage;
	if (rdump_config_parse_flush(ZSTR_VAL(new_value), ZSTR_LEN(new_value), &v) != 0) {
		return ini_invalid(entry, new_value, "auto, 0 or 1 (or on/off, yes/no, true/false)");
	}
	*(unsigned char *)RDUMP_INI_ADDR() = (unsigned char)v;
	return SUCCESS;
}

static ZEND_INI_MH(rdump_ini_signal)
{
	int v, rc;
	(void)mh_arg3;
	(void)stage;
	rc = rdump_config_parse_signal(ZSTR_VAL(new_value), ZSTR_LEN(new_value), &v);
	if (rc == RDUMP_CONFIG_REFUSED) {
		return ini_invalid(entry, new_value, "a signal nothing else relies on (HUP, USR1, USR2, WINCH, URG,"
			" PWR, RTMIN+n), not a reserved one");
	}
	if (rc != 0) {
		return ini_invalid(entry, new_value, "a signal name (SIGUSR2 or USR2) or number");
	}
	*(int *)RDUMP_INI_ADDR() = v;
	return SUCCESS;
}

static ZEND_INI_MH(rdump_ini_count)
{
	uint64_t v;
	(void)mh_arg3;
	(void)stage;
	if (rdump_config_parse_count(ZSTR_VAL(new_value), ZSTR_LEN(new_value), INT32_MAX, &v) != 0) {
		return ini_invalid(entry, new_value, "a whole number from 0 to 2147483647");
	}
	*(uint64_t *)RDUMP_INI_ADDR() = v;
	return SUCCESS;
}

static ZEND_INI_MH(rdump_ini_size)
{
	uint64_t v;
	(void)mh_arg3;
	(void)stage;
	if (rdump_config_parse_size(ZSTR_VAL(new_value), ZSTR_LEN(new_value), &v) != 0) {
		return ini_invalid(entry, new_value, "a size in bytes, optionally with K, M, G or T");
	}
	*(uint64_t *)RDUMP_INI_ADDR() = v;
	return SUCCESS;
}

/* Copying through /proc/self/mem by default where other threads run PHP. */
#ifdef ZTS
# define RDUMP_SAFE_READ_DEFAULT "1"
#else
# define RDUMP_SAFE_READ_DEFAULT "0"
#endif

#define RDUMP_INI(name, def, handler, field) \
	STD_PHP_INI_ENTRY(name, def, PHP_INI_SYSTEM, handler, field, zend_rdump_globals, rdump_globals)

PHP_INI_BEGIN()
	RDUMP_INI("rdump.oom_dump", "", rdump_ini_path_template, ini.oom_dump)
	RDUMP_INI("rdump.oom_dump_full", "0", rdump_ini_flag, ini.oom_dump_full)
	RDUMP_INI("rdump.oom_dump_max", "1", rdump_ini_count, ini.oom_dump_max)
	RDUMP_INI("rdump.oom_dump_min_interval", "0", rdump_ini_count, ini.oom_dump_min_interval)
	RDUMP_INI("rdump.oom_dump_max_total", "0", rdump_ini_size, ini.oom_dump_max_total)
	RDUMP_INI("rdump.oom_dump_marker", "0", rdump_ini_flag, ini.oom_dump_marker)
	RDUMP_INI("rdump.resident_only", "1", rdump_ini_flag, ini.resident_only)
	RDUMP_INI("rdump.include_dontdump", "0", rdump_ini_flag, ini.include_dontdump)
	RDUMP_INI("rdump.safe_read", RDUMP_SAFE_READ_DEFAULT, rdump_ini_flag, ini.safe_read)
	RDUMP_INI("rdump.flush_behind", "auto", rdump_ini_flush, ini.flush_behind)
	RDUMP_INI("rdump.oom_dump_background", "0", rdump_ini_flag, ini.oom_dump_background)
	RDUMP_INI("rdump.signal", "", rdump_ini_signal, ini.signal)
	RDUMP_INI("rdump.signal_dump", "", rdump_ini_path_template, ini.signal_dump)
	RDUMP_INI("rdump.signal_dump_full", "0", rdump_ini_flag, ini.signal_dump_full)
	RDUMP_INI("rdump.signal_dump_background", "0", rdump_ini_flag, ini.signal_dump_background)
PHP_INI_END()

/* `type` is used by the macros from PHP 8.2 on. */
void rdump_ini_startup(int type, int module_number)
{
	(void)type;
	REGISTER_INI_ENTRIES();
}

void rdump_ini_shutdown(int type, int module_number)
{
	(void)type;
	UNREGISTER_INI_ENTRIES();
}
