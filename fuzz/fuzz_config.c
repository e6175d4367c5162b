/*
 * libFuzzer target: every INI value parser (rdump_config.c) on the same
 * bytes; each must accept or refuse, never read past the input, and keep
 * its promises on what it accepts.
 */
#include "rdump_config.h"
#include "rdump_flush.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	uint64_t u = 12345;
	int i = 12345;

	if (!s) {
		return 0;
	}
	memcpy(s, data, size);
	(void)rdump_config_parse_size(s, size, &u);
	if (rdump_config_parse_count(s, size, 2147483647u, &u) == 0 && u > 2147483647u) {
		__builtin_trap();
	}
	if (rdump_config_parse_bool(s, size, &i) == 0 && i != 0 && i != 1) {
		__builtin_trap();
	}
	if (rdump_config_parse_flush(s, size, &i) == 0 && (i < 0 || i > RDUMP_FLUSH_AUTO)) {
		__builtin_trap();
	}
	i = -1;
	if (rdump_config_parse_signal(s, size, &i) == 0) {
		/* off, or a signal nothing else relies on */
		if (i != 0 && i != SIGHUP && i != SIGUSR1 && i != SIGUSR2 && i != SIGWINCH && i != SIGURG
#ifdef SIGPWR
			&& i != SIGPWR
#endif
			&& !(i >= SIGRTMIN && i <= SIGRTMAX)) {
			__builtin_trap();
		}
	}
	free(s);
	return 0;
}
