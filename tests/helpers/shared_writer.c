/*
 * Test helper, preloaded into a PHP process: before PHP starts, it maps
 * RDUMP_TEST_SHARED_MIB MiB of shared anonymous memory, and a child it
 * forks writes a numbered marker ("SHRD-00000-") at the start of every
 * second page. The process itself never touches that memory: those pages
 * are in the page cache, written by another process, and absent from this
 * one's page tables, like opcache SHM that other FPM workers filled. The
 * mapping's address goes into RDUMP_TEST_SHARED_AT (hex) for the test.
 * With RDUMP_TEST_SHARED_DONTDUMP set the mapping is MADV_DONTDUMP. With
 * RDUMP_TEST_SHARED_LOW set it is mapped at 256 MiB, below every other
 * mapping, where opcache puts its SHM on x86-64 (near 1 GiB, for its JIT).
 *
 * The child stays, like another worker, until this process ends, holding
 * the marked pages locked in memory where it may (root, or a large enough
 * RLIMIT_MEMLOCK): shared memory swapped out under memory pressure is not
 * in the page cache, and a page the kernel chose to swap would otherwise
 * be missing from the dump now and then (seen once in CI, with a swap file
 * and a busy page cache).
 *
 * With RDUMP_TEST_SHARED_CGROUP (a memory cgroup directory) the child
 * joins that cgroup before it writes and locks nothing, so that the pages
 * it wrote can be pushed out to swap on purpose (memory.force_empty, or
 * memory.reclaim on cgroup v2).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
# define MAP_FIXED_NOREPLACE 0x100000
#endif

static int join_cgroup(const char *dir)
{
	char path[4096], pid[32];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	f = fopen(path, "w");
	ok = f != NULL && fputs(pid, f) >= 0;
	if (f != NULL && fclose(f) != 0) {
		ok = 0;
	}
	if (!ok) {
		perror("shared_writer: joining the cgroup");
		return -1;
	}
	return 0;
}

__attribute__((constructor)) static void shared_written_elsewhere(void)
{
	const char *mib = getenv("RDUMP_TEST_SHARED_MIB");
	const char *cgroup = getenv("RDUMP_TEST_SHARED_CGROUP");
	size_t size, page = (size_t)sysconf(_SC_PAGESIZE), off;
	char *p, at[32], ready;
	pid_t child, parent = getpid();
	int done[2];

	if (mib == NULL) {
		return;
	}
	size = (size_t)atoi(mib) << 20;
	if (getenv("RDUMP_TEST_SHARED_LOW") != NULL) {
		p = mmap((void *)((uintptr_t)256 << 20), size, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	} else {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	}
	if (p == MAP_FAILED) {
		perror("shared_writer: mmap");
		_exit(70);
	}
	if (getenv("RDUMP_TEST_SHARED_LOW") != NULL && (uintptr_t)p != (uintptr_t)256 << 20) {
		fprintf(stderr, "shared_writer: the mapping is not at 256 MiB\n");
		_exit(70);
	}
	if (getenv("RDUMP_TEST_SHARED_DONTDUMP") != NULL && madvise(p, size, MADV_DONTDUMP) != 0) {
		perror("shared_writer: madvise");
		_exit(70);
	}
	if (pipe(done) != 0) {
		perror("shared_writer: pipe");
		_exit(70);
	}
	child = fork();
	if (child < 0) {
		perror("shared_writer: fork");
		_exit(70);
	}
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent) {
			_exit(0);
		}
		close(done[0]);
		if (cgroup != NULL && join_cgroup(cgroup) != 0) {
			_exit(70);
		}
		for (off = 0; off < size; off += 2 * page) {
			char mark[32];
			snprintf(mark, sizeof(mark), "SHRD-%05zu-", off / (2 * page));
			memcpy(p + off, mark, 11);
			if (cgroup == NULL) {
				(void)mlock(p + off, page); /* where allowed: see above */
			}
		}
		if (write(done[1], "w", 1) != 1) {
			_exit(70);
		}
		close(done[1]);
		for (;;) {
			pause();
		}
	}
	close(done[1]);
	if (read(done[0], &ready, 1) != 1) {
		fprintf(stderr, "shared_writer: the writing child failed\n");
		_exit(70);
	}
	close(done[0]);
	snprintf(at, sizeof(at), "%lx", (unsigned long)(uintptr_t)p);
	setenv("RDUMP_TEST_SHARED_AT", at, 1);
}
