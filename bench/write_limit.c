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

int main(int argc, char **argv)
{
	size_t bytes, done = 0;
	char *buffer;
	double t;
	int fd;

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
	 * has paid already): one untimed write of the same size first. */
	fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (write(fd, buffer, bytes) < 0) {
			fprintf(stderr, "write_limit: warm-up write: %s\n", strerror(errno));
		}
		close(fd);
		unlink(argv[1]);
	}

	t = now_ms();
	fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "write_limit: cannot create %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)bytes) != 0) {
		fprintf(stderr, "write_limit: fallocate: %s\n", strerror(errno));
		return 1;
	}
	while (done < bytes) {
		ssize_t n = write(fd, buffer + done, bytes - done);
		if (n <= 0) {
			fprintf(stderr, "write_limit: write: %s\n", n < 0 ? strerror(errno) : "wrote nothing");
			return 1;
		}
		done += (size_t)n;
	}
	if (close(fd) != 0) {
		fprintf(stderr, "write_limit: close: %s\n", strerror(errno));
		return 1;
	}
	printf("%.4f\n", now_ms() - t);
	unlink(argv[1]);
	return 0;
}
