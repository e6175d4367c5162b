/*
 * rdump_cgroup: the memory cgroup limit this process runs under (v2
 * memory.max, v1 memory.limit_in_bytes, under /sys/fs/cgroup), for
 * flush-behind's policy and phpinfo. Reads small files through a stack
 * buffer; allocates nothing.
 */
#ifndef RDUMP_CGROUP_H
#define RDUMP_CGROUP_H

#include "rdump_maps.h"

/* Find this process's memory cgroup in the text of /proc/self/cgroup:
 * the path of the cgroup v1 "memory" hierarchy if there is one (*v1 = 1),
 * else the cgroup v2 path ("0::", *v1 = 0). 0, or -1 if neither is there. */
int rdump_cgroup_find(const char *text, size_t len, rdump_span *path, int *v1);

/* Is this process's memory cgroup, or one above it, limited below the
 * machine's physical memory (cgroup v2 memory.max, v1
 * memory.limit_in_bytes, under /sys/fs/cgroup)? 1 or 0; 0 when it
 * cannot be told. Reads a few small files through a stack buffer. */
int rdump_cgroup_limited(void);

/* The least room left under such a limit, in this cgroup or one above it:
 * limit minus usage (memory.current, v1 memory.usage_in_bytes), 0 when at
 * or over it or when the usage cannot be read; -1 when no limit applies or
 * it cannot be told. Reads like rdump_cgroup_limited(). */
int64_t rdump_cgroup_headroom(void);

#endif /* RDUMP_CGROUP_H */
