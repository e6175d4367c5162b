dnl rdump: write a snapshot of the running PHP process's memory (RDUMP v3).

PHP_ARG_ENABLE([rdump],
  [whether to enable rdump support],
  [AS_HELP_STRING([--enable-rdump], [Enable rdump memory snapshots])],
  [no])

if test "$PHP_RDUMP" != "no"; then
  case $host_os in
    linux*) ;;
    *) AC_MSG_ERROR([rdump is Linux-only: it reads /proc/self/maps]) ;;
  esac
  AC_CHECK_SIZEOF([void *])
  if test "$ac_cv_sizeof_void_p" != "8"; then
    AC_MSG_ERROR([rdump supports only 64-bit targets])
  fi
  AC_C_BIGENDIAN([AC_MSG_ERROR([rdump supports only little-endian targets])])

  dnl The threads of rdump_ahead.c and rdump_flush.c (glibc before 2.34 keeps pthreads apart).
  PHP_CHECK_LIBRARY(pthread, pthread_create, [PHP_ADD_LIBRARY(pthread, 1, RDUMP_SHARED_LIBADD)])
  PHP_SUBST(RDUMP_SHARED_LIBADD)

  PHP_NEW_EXTENSION(rdump,
    [rdump.c rdump_ahead.c rdump_cgroup.c rdump_config.c rdump_copy.c rdump_engine.c rdump_flush.c rdump_fork.c rdump_ini.c rdump_maps.c rdump_moment.c rdump_oom.c rdump_oom_hook.c rdump_opcache.c rdump_pagemap.c rdump_signal.c rdump_template.c rdump_thread.c rdump_trigger.c rdump_whole.c rdump_writer.c],
    $ext_shared,, [-DZEND_ENABLE_STATIC_TSRMLS_CACHE=1])
fi
