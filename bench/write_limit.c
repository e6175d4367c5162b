/*
 * The benchmark's second write limit: the time to write BYTES bytes of
 * memory to a new file FILE, reserving its blocks first with one
 * fallocate(2) (KEEP_SIZE), as rdump's writer does; open to close, in ms.
 * bench.php builds it with cc and runs it after each dump; the first
 * limit, a plain write(2), is measured in PHP.
 *
 *   write_limit FILE BYTES
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Create path and write bytes of buffer to it, reserving the blocks
 * first with `reserve`; 0, or -1 after saying why (the file removed). */
static int write_file(const char *path, const char *buffer, size_t bytes, int reserve)
{
	const char *step = "create";
	size_t done = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0) {
		goto failed;
	}
	step = "fallocate";
	if (reserve && fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)bytes) != 0) {
		goto failed;
	}
	step = "write";
	while (done < bytes) {
		ssize_t n = write(fd, buffer + done, bytes - done);
		if (n <= 0) {
			if (n == 0) {
				errno = EIO;
			}
			goto failed;
		}
		done += (size_t)n;
	}
	step = "close";
	if (close(fd) == 0) {
		return 0;
	}
	fd = -1;
failed:
	fprintf(stderr, "write_limit: %s %s: %s\n", step, path, strerror(errno));
	if (fd >= 0) {
		close(fd);
	}
	unlink(path);
	return -1;
}

int main(int argc, char **argv)
{
	size_t bytes;
	char *buffer;
	double t;

	if (argc != 3 || (bytes = strtoull(argv[2], NULL, 10)) == 0) {
		fprintf(stderr, "usage: write_limit FILE BYTES\n");
		return 2;
	}
	/* Distinct resident pages, faulted in before the clock starts. */
	buffer = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buffer == MAP_FAILED) {
		fprintf(stderr, "write_limit: cannot map %zu bytes: %s\n", bytes, strerror(errno));
		return 1;
	}
	memset(buffer, 'w', bytes);
	/* A fresh process's first large write is slow (page cache and file
	 * system first-time costs the PHP process measuring the plain write
	 * has paid already): one untimed plain write of the same size first. */
	if (write_file(argv[1], buffer, bytes, 0) == 0) {
		unlink(argv[1]);
	}

	t = now_ms();
	if (write_file(argv[1], buffer, bytes, 1) != 0) {
		return 1;
	}
	printf("%.4f\n", now_ms() - t);
	unlink(argv[1]);
	return 0;
}
