/*
 * rdump_compat.h: the one home for differences between PHP versions.
 * Each block says which versions need it; drop it when they are no
 * longer supported.
 */
#ifndef RDUMP_COMPAT_H
#define RDUMP_COMPAT_H

#include "php.h"

#include <stddef.h>

/* An argument that is well-typed but unusable (empty path): PHP 8 throws
 * ValueError like core functions do; PHP 7 has no zend_argument_value_error,
 * so it warns and the function returns false, as 7.x core functions did. */
#if PHP_VERSION_ID >= 80000
# define RDUMP_ARG_ERROR(num, msg) zend_argument_value_error((num), "%s", (msg))
# define RDUMP_RETURN_ARG_ERROR() RETURN_THROWS()
#else
# define RDUMP_ARG_ERROR(num, msg) \
	php_error_docref(NULL, E_WARNING, "Argument #%d %s", (num), (msg))
# define RDUMP_RETURN_ARG_ERROR() RETURN_FALSE
#endif

/* The address of a module's globals structure for the calling thread.
 * Under ZTS the globals live in thread-local storage; taking the address
 * of a member and subtracting its offset works for NTS and ZTS alike and
 * on every version (the accessor macros changed in 7.4). */
#define RDUMP_GLOBALS_ADDR(accessor, type, member) \
	((uint64_t)(uintptr_t)((char *)&accessor(member) - offsetof(type, member)))

/* A delayed memory_limit error (EG(delayed_oom), raised at the next VM
 * interrupt after an UnwindExit): Debian's PHP 8.2 since 8.2.36, and any
 * build whose headers define ZEND_HAS_OOM. See rdump_moment.h. */
#if defined(ZEND_HAS_OOM) && PHP_VERSION_ID >= 80000
# define RDUMP_HAVE_DELAYED_OOM 1
#else
# define RDUMP_HAVE_DELAYED_OOM 0
#endif

/* The map_ptr table's allocation: CG(map_ptr_real_base) from 8.1, where
 * map_ptr_base is biased; the base itself before. */
#if PHP_VERSION_ID >= 80100
# define RDUMP_MAP_PTR_TABLE(cg) ((uint64_t)(uintptr_t)(cg)->map_ptr_real_base)
#else
# define RDUMP_MAP_PTR_TABLE(cg) ((uint64_t)(uintptr_t)(cg)->map_ptr_base)
#endif

/* zend_error_cb's signature.
 * PHP 7.x: (type, const char *file, line, const char *format, va_list)
 * PHP 8.0: (type, const char *file, line, zend_string *message)
 * PHP 8.1+: (type, zend_string *file, line, zend_string *message)
 * RDUMP_ERROR_CB_MESSAGE_STARTS(lit) tests the message (PHP 7: the
 * format, whose constant prefix is the same text). */
#if PHP_VERSION_ID >= 80100
# define RDUMP_ERROR_CB_PARAMS int type, zend_string *error_filename, \
	const uint32_t error_lineno, zend_string *message
# define RDUMP_ERROR_CB_PASSTHRU type, error_filename, error_lineno, message
#elif PHP_VERSION_ID >= 80000
# define RDUMP_ERROR_CB_PARAMS int type, const char *error_filename, \
	const uint32_t error_lineno, zend_string *message
# define RDUMP_ERROR_CB_PASSTHRU type, error_filename, error_lineno, message
#else
# define RDUMP_ERROR_CB_PARAMS int type, const char *error_filename, \
	const uint32_t error_lineno, const char *format, va_list args
# define RDUMP_ERROR_CB_PASSTHRU type, error_filename, error_lineno, format, args
#endif
#if PHP_VERSION_ID >= 80000
# define RDUMP_ERROR_CB_MESSAGE_STARTS(lit) \
	(ZSTR_LEN(message) >= sizeof(lit) - 1 && memcmp(ZSTR_VAL(message), (lit), sizeof(lit) - 1) == 0)
#else
# define RDUMP_ERROR_CB_MESSAGE_STARTS(lit) (strncmp(format, (lit), sizeof(lit) - 1) == 0)
#endif

/* INI handlers write through mh_arg1/mh_arg2 into this thread's globals;
 * ZEND_INI_GET_ADDR is PHP 8+, this is what it expands to. */
#ifndef ZTS
# define RDUMP_INI_ADDR() ((char *)mh_arg2 + (size_t)mh_arg1)
#else
# define RDUMP_INI_ADDR() ((char *)ts_resource(*((int *)mh_arg2)) + (size_t)mh_arg1)
#endif

/* The VM interrupt a signal raises to run the dump at the next interrupt
 * point: a flag from 7.1, an atomic bool from 8.2; PHP 7.0 has none. */
#if PHP_VERSION_ID >= 80200
# include "Zend/zend_atomic.h"
# define RDUMP_HAVE_VM_INTERRUPT 1
# define RDUMP_RAISE_VM_INTERRUPT() zend_atomic_bool_store_ex(&EG(vm_interrupt), true)
#elif PHP_VERSION_ID >= 70100
# define RDUMP_HAVE_VM_INTERRUPT 1
# define RDUMP_RAISE_VM_INTERRUPT() (EG(vm_interrupt) = 1)
#else
# define RDUMP_HAVE_VM_INTERRUPT 0
#endif

/* opcache's zend_shared_segment (ext/opcache/zend_shared_alloc.h, not
 * installed with PHP's headers), read as bytes from the start of its SHM:
 * the byte offsets of its words after `size`. PHP 8.0+: {size, end, pos,
 * p}, `end` below the JIT buffer; PHP 7.x: {size, pos, p}, no JIT buffer
 * (`end` is `size`, offset 0). */
#if PHP_VERSION_ID >= 80000
# define RDUMP_OPCACHE_SEG_END 8
# define RDUMP_OPCACHE_SEG_POS 16
# define RDUMP_OPCACHE_SEG_P 24
#else
# define RDUMP_OPCACHE_SEG_END 0
# define RDUMP_OPCACHE_SEG_POS 8
# define RDUMP_OPCACHE_SEG_P 16
#endif

#endif /* RDUMP_COMPAT_H */
