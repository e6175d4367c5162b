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

#if defined(ZTS) && defined(COMPILE_DL_RDUMP)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

#endif /* PHP_RDUMP_H */
