/*
 * libFuzzer target: the path template expander. The first byte chooses the
 * output size (0-255), the rest is the template. The output is always
 * NUL-terminated inside the buffer, and on failure it is empty.
 */
#include "rdump_template.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rdump_template_vars vars = { 123456, 654321, 1763820000, "pod-abc-123" };
	size_t out_size;
	char *tpl, *out;
	int rc;

	if (size < 1) {
		return 0;
	}
	out_size = data[0];
	tpl = malloc(size);
	out = malloc(out_size ? out_size : 1);
	if (!tpl || !out) {
		free(tpl);
		free(out);
		return 0;
	}
	memcpy(tpl, data + 1, size - 1);
	tpl[size - 1] = '\0';
	rc = rdump_template_expand(tpl, &vars, out, out_size);
	if (out_size > 0) {
		size_t len = strnlen(out, out_size);
		if (len >= out_size || (rc != 0 && len != 0)) {
			__builtin_trap();
		}
	} else if (rc == 0) {
		__builtin_trap();
	}
	free(tpl);
	free(out);
	return 0;
}
