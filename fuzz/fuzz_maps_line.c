/*
 * libFuzzer target: one line of /proc/<pid>/maps (rdump_maps_parse_line),
 * and the capture policy on whatever it accepts. A parsed VMA's spans must
 * lie inside the line, start < end, and the hex spans must read back to
 * the parsed numbers.
 */
#include "rdump_maps.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void inside(rdump_span s, const uint8_t *data, size_t size)
{
	if (s.len > 0 && ((const uint8_t *)s.ptr < data || (const uint8_t *)s.ptr + s.len > data + size)) {
		__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rdump_vma v;
	uint64_t n;
	int flags;

	/* A private copy with nothing after it, so a read past the end is
	 * caught by AddressSanitizer. */
	char *line = malloc(size ? size : 1);
	if (!line) {
		return 0;
	}
	memcpy(line, data, size);
	if (rdump_maps_parse_line(line, size, &v) == 0) {
		inside(v.start_hex, (const uint8_t *)line, size);
		inside(v.end_hex, (const uint8_t *)line, size);
		inside(v.offset_hex, (const uint8_t *)line, size);
		inside(v.device, (const uint8_t *)line, size);
		inside(v.name, (const uint8_t *)line, size);
		if (v.start >= v.end) {
			__builtin_trap();
		}
		if (rdump_maps_parse_hex(v.start_hex, &n) != 0 || n != v.start
			|| rdump_maps_parse_hex(v.end_hex, &n) != 0 || n != v.end) {
			__builtin_trap();
		}
		for (flags = 0; flags < 64; flags++) {
			(void)rdump_maps_wanted(&v, flags);
		}
		(void)rdump_maps_file_backed_ro(&v);
		(void)rdump_maps_shared_memory(&v);
	}
	free(line);
	return 0;
}
