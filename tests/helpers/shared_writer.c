/*
 * Test helper, preloaded into a PHP process: before PHP starts, it maps
 * RDUMP_TEST_SHARED_MIB MiB of shared anonymous memory, and a child it
 * forks writes a numbered marker ("SHRD-00000-") at the start of every
 * second page. The process itself never touches that memory: those pages
 * are in the page cache, written by another process, and absent from this
 * one's page tables, like opcache SHM that other FPM workers filled. The
 * mapping's address goes into RDUMP_TEST_SHARED_AT (hex) for the test.
 * With RDUMP_TEST_SHARED_DONTDUMP set the mapping is MADV_DONTDUMP.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((constructor)) static void shared_written_elsewhere(void)
{
	const char *mib = getenv("RDUMP_TEST_SHARED_MIB");
	size_t size, page = (size_t)sysconf(_SC_PAGESIZE), off;
	char *p, at[32];
	pid_t child;
	int status;

	if (mib == NULL) {
		return;
	}
	size = (size_t)atoi(mib) << 20;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("shared_writer: mmap");
		_exit(70);
	}
	if (getenv("RDUMP_TEST_SHARED_DONTDUMP") != NULL && madvise(p, size, MADV_DONTDUMP) != 0) {
		perror("shared_writer: madvise");
		_exit(70);
	}
	child = fork();
	if (child < 0) {
		perror("shared_writer: fork");
		_exit(70);
	}
	if (child == 0) {
		for (off = 0; off < size; off += 2 * page) {
			char mark[32];
			snprintf(mark, sizeof(mark), "SHRD-%05zu-", off / (2 * page));
			memcpy(p + off, mark, 11);
		}
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "shared_writer: the writing child failed\n");
		_exit(70);
	}
	snprintf(at, sizeof(at), "%lx", (unsigned long)(uintptr_t)p);
	setenv("RDUMP_TEST_SHARED_AT", at, 1);
}
