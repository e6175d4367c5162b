/*
 * rdump_compat.h: the one home for differences between PHP versions.
 * Each block says which versions need it; drop it when they are no
 * longer supported.
 */
#ifndef RDUMP_COMPAT_H
#define RDUMP_COMPAT_H

#include "php.h"

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
	((uint64_t)(uintptr_t)((char *)&accessor(member) - XtOffsetOf(type, member)))

#endif /* RDUMP_COMPAT_H */
