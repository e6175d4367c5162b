/*
 * rdump_ini: the rdump.* settings. Each value is parsed and checked once,
 * by its handler, into RDUMP_G(ini) (php_rdump.h); an invalid value warns,
 * naming the setting, and the setting keeps its default. The defaults are
 * written once, in the table.
 */
#ifndef RDUMP_INI_H
#define RDUMP_INI_H

/* MINIT / MSHUTDOWN: register and unregister the settings. */
void rdump_ini_startup(int type, int module_number);
void rdump_ini_shutdown(int type, int module_number);

#endif /* RDUMP_INI_H */
