/*
 * Test helper, preloaded into a PHP process (LD_PRELOAD): a thread that
 * maps, fills, protects and unmaps memory in a loop for as long as the
 * process lives, so a dump running meanwhile meets mappings that vanish
 * or become unreadable between being listed and being copied.
 */
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SIZE (16u << 20)

static void *churn(void *arg)
{
	(void)arg;
	for (;;) {
		char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			continue;
		}
		memset(p, 'u', SIZE);
		usleep(200);
		mprotect(p, SIZE / 2, PROT_NONE);
		usleep(200);
		munmap(p, SIZE);
	}
	return NULL;
}

__attribute__((constructor)) static void start(void)
{
	pthread_t t;
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_create(&t, &a, churn, NULL);
	pthread_attr_destroy(&a);
}
