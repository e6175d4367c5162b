/*
 * libFuzzer target: finding the memory cgroup in /proc/self/cgroup text
 * (rdump_cgroup_find). A path it returns lies inside the input and
 * starts with "/".
 */
#include "rdump_cgroup.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	rdump_span path;
	int v1 = -1;

	if (!text) {
		return 0;
	}
	memcpy(text, data, size);
	if (rdump_cgroup_find(text, size, &path, &v1) == 0) {
		if (path.ptr < text || path.ptr + path.len > text + size || path.len == 0 || path.ptr[0] != '/'
			|| (v1 != 0 && v1 != 1)) {
			__builtin_trap();
		}
	}
	free(text);
	return 0;
}
