/*
 * rdump: write a snapshot of the running PHP process's memory in reli's
 * RDUMP format. Module entry, version and the platform gate.
 */
#ifndef PHP_RDUMP_H
#define PHP_RDUMP_H

#if !defined(__linux__)
# error "rdump is Linux-only: it reads /proc/self/maps and /proc/self/mem"
#endif
#if !defined(__LP64__) || !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
# error "rdump supports only 64-bit little-endian targets (x86-64, arm64)"
#endif

extern zend_module_entry rdump_module_entry;
#define phpext_rdump_ptr &rdump_module_entry

#define PHP_RDUMP_VERSION "0.1.0"

#include <limits.h>
#include <stdint.h>
#include <time.h>

/* Settings, parsed and validated once by their INI handlers (rdump.c);
 * the defaults live in the INI table only. */
typedef struct {
	const char *oom_dump;           /* path template, NULL or "" = off */
	zend_bool oom_dump_full;
	zend_bool oom_dump_marker;
	uint64_t oom_dump_max;          /* 0 = unlimited */
	uint64_t oom_dump_min_interval; /* seconds, 0 = off */
	uint64_t oom_dump_max_total;    /* bytes, 0 = off */
	zend_bool resident_only;        /* only pages that hold data */
	zend_bool include_dontdump;     /* also MADV_DONTDUMP mappings */
	zend_bool safe_read;            /* copy through /proc/self/mem */
	unsigned char flush_behind;     /* 0, 1 or RDUMP_FLUSH_AUTO: flush behind the writer */
	zend_bool oom_dump_background;  /* take the OOM dump in a snapshot child */
	int signal;                     /* 0 = off */
	const char *signal_dump;        /* path template */
	zend_bool signal_dump_full;
	zend_bool signal_dump_background;
} rdump_settings;

/* rdump_set_oom_dump(): what this request asked for. */
typedef enum {
	RDUMP_OVERRIDE_NONE = 0,        /* use rdump.oom_dump */
	RDUMP_OVERRIDE_OFF,             /* no OOM dump in this request */
	RDUMP_OVERRIDE_PATH             /* use override_path */
} rdump_override_mode;

ZEND_BEGIN_MODULE_GLOBALS(rdump)
	rdump_settings ini;
	/* Runtime state of the OOM trigger (per process, per thread under ZTS). */
	uint64_t oom_attempts;          /* attempts over the worker's lifetime */
	time_t oom_last_attempt;        /* 0 = never */
	zend_bool dumping;              /* a dump is running on this thread */
	zend_bool in_error_cb;          /* the error hook is running on this thread */
	rdump_override_mode override_mode;
	zend_bool override_full;
	char override_path[PATH_MAX];
ZEND_END_MODULE_GLOBALS(rdump)

ZEND_EXTERN_MODULE_GLOBALS(rdump)
#define RDUMP_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(rdump, v)

#if defined(ZTS) && defined(COMPILE_DL_RDUMP)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

#endif /* PHP_RDUMP_H */
