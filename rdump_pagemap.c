/*
 * rdump_pagemap.c: resident runs of a mapping. See rdump_pagemap.h.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE /* SEEK_DATA, SEEK_HOLE with older glibc */
#endif
#include "rdump_pagemap.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#define PAGEMAP_PRESENT ((uint64_t)1 << 63)
#define PAGEMAP_SWAPPED ((uint64_t)1 << 62)
#define PAGEMAP_BATCH 512

/* The PAGEMAP_SCAN ABI (linux/fs.h since 6.7), spelled out here because
 * the build hosts' kernel headers may predate it. */
#define SCAN_PAGE_IS_PRESENT ((uint64_t)1 << 3)
#define SCAN_PAGE_IS_SWAPPED ((uint64_t)1 << 4)
#define SCAN_REGIONS 128

typedef struct {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
} scan_arg;

typedef struct {
	uint64_t start, end, categories;
} scan_region;

#define SCAN_IOCTL _IOWR('f', 16, scan_arg)

/* statfs f_type of tmpfs and of the kernel's internal shmem mount. */
#define SHMEM_MAGIC 0x01021994

/* 1 while PAGEMAP_SCAN may work; 0 once the kernel said it has none.
 * 1 while /proc/self/map_files may be opened; 0 once it said EPERM.
 * Racing threads can only both find out the same thing. */
static int scan_supported = 1;
static int map_files_allowed = 1;

int rdump_pagemap_open(void)
{
	return rdump_maps_open_proc("/proc/self/pagemap");
}

/* Runs as they are found, merged when one starts where the last ended
 * (the scan splits a run where present pages meet swapped ones). */
typedef struct {
	rdump_pagemap_run_fn fn;
	void *ctx;
	uint64_t start, end;
	int open;
} run_acc;

static int acc_add(run_acc *a, uint64_t start, uint64_t end)
{
	if (a->open && start == a->end) {
		a->end = end;
		return 0;
	}
	if (a->open && a->fn(a->ctx, a->start, a->end - a->start) != 0) {
		return RDUMP_RUNS_WRITE_FAILED;
	}
	a->start = start;
	a->end = end;
	a->open = 1;
	return 0;
}

static int acc_finish(run_acc *a)
{
	if (a->open && a->fn(a->ctx, a->start, a->end - a->start) != 0) {
		return RDUMP_RUNS_WRITE_FAILED;
	}
	a->open = 0;
	return 0;
}

/* The kernel walks the page tables and returns the runs of present or
 * swapped pages. RDUMP_RUNS_DONE, or RDUMP_RUNS_WRITE_FAILED from fn;
 * RDUMP_RUNS_NOT_MINE if the scan could not go on (the
 * kernel has no PAGEMAP_SCAN, or it failed): *resume is where the caller
 * goes on reading pagemap instead, the runs before it being reported. */
static int scan_runs(int fd, const rdump_vma *v, run_acc *a, uint64_t *resume)
{
	scan_region regions[SCAN_REGIONS];
	uint64_t addr = v->start;

	while (addr < v->end) {
		scan_arg arg;
		int n, i;

		/* Cleared first also for valgrind, which does not know that the
		 * kernel fills the regions (they would look uninitialised). */
		memset(&arg, 0, sizeof(arg));
		memset(regions, 0, sizeof(regions));
		arg.size = sizeof(arg);
		arg.start = addr;
		arg.end = v->end;
		arg.vec = (uint64_t)(uintptr_t)regions;
		arg.vec_len = SCAN_REGIONS;
		arg.category_anyof_mask = SCAN_PAGE_IS_PRESENT | SCAN_PAGE_IS_SWAPPED;
		arg.return_mask = SCAN_PAGE_IS_PRESENT | SCAN_PAGE_IS_SWAPPED;
		do {
			n = ioctl(fd, SCAN_IOCTL, &arg);
		} while (n < 0 && errno == EINTR);
		if (n < 0 || arg.walk_end <= addr || arg.walk_end > v->end) {
			if (n < 0 && addr == v->start && (errno == ENOTTY || errno == EINVAL || errno == EOPNOTSUPP)) {
				scan_supported = 0;
			}
			*resume = addr; /* never loop without progress */
			return RDUMP_RUNS_NOT_MINE;
		}
		for (i = 0; i < n; i++) {
			if (acc_add(a, regions[i].start, regions[i].end) != 0) {
				return RDUMP_RUNS_WRITE_FAILED;
			}
		}
		addr = arg.walk_end;
	}
	return RDUMP_RUNS_DONE;
}

/* "/proc/self/map_files/<start>-<end>": lowercase hex without leading
 * zeros, as the kernel names the entries (maps pads to 8 digits). */
static void map_files_path(char *out, uint64_t start, uint64_t end)
{
	static const char prefix[] = "/proc/self/map_files/";
	uint64_t v[2];
	int i;

	v[0] = start;
	v[1] = end;
	memcpy(out, prefix, sizeof(prefix) - 1);
	out += sizeof(prefix) - 1;
	for (i = 0; i < 2; i++) {
		int shift = 60;
		while (shift > 0 && (v[i] >> shift) == 0) {
			shift -= 4;
		}
		for (; shift >= 0; shift -= 4) {
			*out++ = "0123456789abcdef"[(v[i] >> shift) & 0xf];
		}
		*out++ = i == 0 ? '-' : '\0';
	}
}

/* A descriptor of the shmem file behind a shared-memory mapping, or -1.
 * Needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE: without, the first EPERM
 * stops further tries. Only tmpfs/shmem answers SEEK_DATA the way
 * seek_runs needs (hugetlbfs would call every page data). */
static int open_shmem(const rdump_vma *v)
{
	char path[64];
	struct statfs fs;
	int fd;

	if (!map_files_allowed || v->private_ || !rdump_maps_shared_memory(v)) {
		return -1;
	}
	map_files_path(path, v->start, v->end);
	fd = rdump_maps_open_proc(path);
	if (fd < 0) {
		/* EPERM is the missing capability, the same for every mapping;
		 * EACCES would be one file's mode. */
		if (errno == EPERM) {
			map_files_allowed = 0;
		}
		return -1;
	}
	if (fstatfs(fd, &fs) != 0 || fs.f_type != SHMEM_MAGIC) {
		close(fd);
		return -1;
	}
	return fd;
}

int rdump_pagemap_seekable(const rdump_vma *v)
{
	int fd = open_shmem(v);

	if (fd < 0) {
		return 0;
	}
	close(fd);
	return 1;
}

/* The runs of a shared-memory mapping from its shmem file: SEEK_DATA and
 * SEEK_HOLE walk the file's page cache, where a swapped-out page leaves a
 * swap entry that counts as data. So this finds pages held in memory or in
 * swap, by whichever process touched them, at a cost that follows the
 * populated ranges rather than the size of the mapping, as mincore's
 * does (and mincore cannot see swapped pages). RDUMP_RUNS_DONE,
 * RDUMP_RUNS_WRITE_FAILED from fn; RDUMP_RUNS_NOT_MINE if the file
 * gave an answer that makes no sense here: *resume is where the caller
 * goes on with mincore, the runs before it being reported. */
static int seek_runs(int fd, const rdump_vma *v, run_acc *a, uint64_t *resume)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t first = v->offset, last = v->offset + (v->end - v->start);
	uint64_t at = first;

	while (at < last) {
		off_t data = lseek(fd, (off_t)at, SEEK_DATA), hole;

		if (data < 0 && errno == ENXIO) {
			return RDUMP_RUNS_DONE; /* no data past at */
		}
		if (data < 0 || (uint64_t)data < at) {
			*resume = v->start + (at - first);
			return RDUMP_RUNS_NOT_MINE;
		}
		if ((uint64_t)data >= last) {
			return RDUMP_RUNS_DONE;
		}
		hole = lseek(fd, data, SEEK_HOLE);
		if (hole < 0 || hole <= data) {
			*resume = v->start + (at - first);
			return RDUMP_RUNS_NOT_MINE;
		}
		data = (off_t)((uint64_t)data / page * page);
		at = ((uint64_t)hole + page - 1) / page * page;
		if (at > last) {
			at = last;
		}
		if (acc_add(a, v->start + ((uint64_t)data - first), v->start + (at - first)) != 0) {
			return RDUMP_RUNS_WRITE_FAILED;
		}
	}
	return RDUMP_RUNS_DONE;
}

/* Eight bytes of pagemap per page from addr on, and mincore where wanted. */
static int read_runs(int fd, const rdump_vma *v, uint64_t addr, int check_core, run_acc *a)
{
	uint64_t entries[PAGEMAP_BATCH];
	unsigned char incore[PAGEMAP_BATCH];
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	while (addr < v->end) {
		uint64_t n = (v->end - addr) / page, i;
		size_t want;
		ssize_t got;

		if (n > PAGEMAP_BATCH) {
			n = PAGEMAP_BATCH;
		}
		want = (size_t)n * sizeof(uint64_t);
		do {
			got = pread(fd, entries, want, (off_t)(addr / page * sizeof(uint64_t)));
		} while (got < 0 && errno == EINTR);
		if (got != (ssize_t)want) {
			if (got >= 0) {
				errno = EIO;
			}
			return RDUMP_RUNS_READ_FAILED;
		}
		if (check_core && mincore((void *)(uintptr_t)addr, (size_t)(n * page), incore) != 0) {
			memset(incore, 0, sizeof(incore));
		}
		for (i = 0; i < n; i++, addr += page) {
			if (((entries[i] & (PAGEMAP_PRESENT | PAGEMAP_SWAPPED)) != 0 || (check_core && (incore[i] & 1)))
				&& acc_add(a, addr, addr + page) != 0) {
				return RDUMP_RUNS_WRITE_FAILED;
			}
		}
	}
	return RDUMP_RUNS_DONE;
}

/* Pages of the mapping mincore counts as in memory. */
static uint64_t count_incore(const rdump_vma *v, uint64_t page)
{
	unsigned char incore[4096];
	uint64_t addr, count = 0;

	for (addr = v->start; addr < v->end; ) {
		uint64_t n = (v->end - addr) / page, i;
		if (n > sizeof(incore)) {
			n = sizeof(incore);
		}
		if (mincore((void *)(uintptr_t)addr, (size_t)(n * page), incore) == 0) {
			for (i = 0; i < n; i++) {
				count += incore[i] & 1;
			}
		}
		addr += n * page;
	}
	return count;
}

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int rdump_pagemap_swap_in(const rdump_vma *v)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t before, now, best, target;
	struct timespec tick = { 0, RDUMP_SWAP_IN_POLL_NS };
	int64_t deadline;
	int idle = 0;

	before = count_incore(v, page);
	if (madvise((void *)(uintptr_t)v->start, (size_t)(v->end - v->start), MADV_WILLNEED) != 0) {
		return -1;
	}
	deadline = now_ns() + RDUMP_SWAP_IN_WAIT_NS;
	target = before + v->swap / page;
	best = before;
	/* Until the first read completes, a slow disk gets five times longer.
	 * A poll of a large mapping takes longer than the tick: the deadline
	 * is in time, not polls. */
	while (idle < (best > before ? 1 : 5) * RDUMP_SWAP_IN_IDLE && now_ns() < deadline) {
		nanosleep(&tick, NULL);
		now = count_incore(v, page);
		if (now >= target) {
			break;
		}
		if (now > best) {
			best = now;
			idle = 0;
		} else {
			idle++;
		}
	}
	return 0;
}

int rdump_pagemap_runs(int pagemap_fd, const rdump_vma *v, int forked, rdump_opcache *oc,
		rdump_pagemap_run_fn fn, void *ctx)
{
	run_acc a;
	uint64_t resume = v->start;
	int rc = RDUMP_RUNS_NOT_MINE;
	/* Shared memory holds pages other processes brought into the page
	 * cache, which this process's page tables do not show. Its shmem file
	 * tells where they are, swapped ones included (seek_runs), where this
	 * process may open it; elsewhere only mincore sees them (it looks each
	 * page up, the largest fixed cost of a small dump, which is why
	 * rdump_ahead.c does shared mappings on a helper thread, and only
	 * where opcache allocated in its SHM: rdump_opcache.h), and it cannot
	 * see swapped-out ones. In a snapshot child, file-backed mappings'
	 * page tables were not copied by the fork, so the page cache is asked
	 * there too. */
	int check_core = rdump_maps_shared_memory(v) || (forked && !rdump_maps_anonymous(v));

	a.fn = fn;
	a.ctx = ctx;
	a.open = 0;
	if (!check_core && scan_supported) {
		rc = scan_runs(pagemap_fd, v, &a, &resume);
	} else if (rdump_maps_shared_memory(v)) {
		int fd = open_shmem(v);
		if (fd >= 0) {
			rc = seek_runs(fd, v, &a, &resume);
			close(fd);
		}
	}
	/* The rest from pagemap: in opcache's SHM only where opcache can have
	 * written. */
	if (rc == RDUMP_RUNS_NOT_MINE) {
		rdump_range part[2];
		int n, i;
		if (rdump_maps_shared_memory(v)) {
			rdump_opcache_probe(oc, v);
		}
		n = rdump_opcache_ranges(oc, resume, v->end, part);
		for (rc = RDUMP_RUNS_DONE, i = 0; i < n && rc == RDUMP_RUNS_DONE; i++) {
			rdump_vma within = *v;
			within.end = part[i].end;
			rc = read_runs(pagemap_fd, &within, part[i].start, check_core, &a);
		}
	}
	return rc == RDUMP_RUNS_DONE ? acc_finish(&a) : rc;
}
