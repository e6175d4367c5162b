/*
 * rdump_config: pure parsers for INI values. No allocation, no locale:
 * the same text gives the same value everywhere. Each returns 0 and sets
 * *out, or -1 (and leaves *out alone) if the text is not valid.
 */
#ifndef RDUMP_CONFIG_H
#define RDUMP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* A byte size: digits, an optional decimal part, an optional suffix
 * K, M, G or T (binary multiples, either case). "1.5G", "512M", "0".
 * Surrounding blanks are allowed; fractions of a byte are dropped. */
int rdump_config_parse_size(const char *s, size_t len, uint64_t *out);

/* A whole number from 0 to max, decimal digits only. */
int rdump_config_parse_count(const char *s, size_t len, uint64_t max, uint64_t *out);

/* A switch: 1/0, on/off, yes/no, true/false (any case), or empty (off). */
int rdump_config_parse_bool(const char *s, size_t len, int *out);

/* rdump.signal: "" (off: *out = 0), a name with or without "SIG" (any
 * case: "SIGUSR2", "usr2", "RTMIN+3") or a number. Only signals nothing
 * else relies on are accepted: HUP, USR1, USR2, WINCH, URG, PWR and the
 * real-time ones; 0, or -1 if the text names no signal,
 * RDUMP_CONFIG_REFUSED if it names one that is refused (SIGKILL, SIGSTOP,
 * SIGSEGV, SIGTERM, SIGALRM, ...). */
#define RDUMP_CONFIG_REFUSED (-2)
int rdump_config_parse_signal(const char *s, size_t len, int *out);

/* rdump.flush_behind: "auto" (RDUMP_FLUSH_AUTO of rdump_flush.h) or a
 * switch (0/1). */
int rdump_config_parse_flush(const char *s, size_t len, int *out);

#endif /* RDUMP_CONFIG_H */
