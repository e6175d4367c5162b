/*
 * A FrankenPHP-style host for the ZTS test: one process, several PHP
 * interpreter threads at once, each running its own request.
 *
 *   zts_threads THREADS CODE
 *
 * Settings come from the php.ini that PHPRC names (the embed SAPI reads
 * it). Every thread runs CODE with $tid (0..THREADS-1) defined; a fatal
 * error (memory_limit) ends that thread's request as it would end a web
 * request. The threads start together, behind a barrier. Exit 0 when every
 * thread ran its request to the end or to a fatal error.
 */
#include <sapi/embed/php_embed.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ZTS
# error "zts_threads needs a ZTS build of PHP"
#endif

static const char *code;
static pthread_barrier_t start;

static void *run(void *arg)
{
	long tid = (long)arg;
	char *script;
	size_t len = strlen(code) + 64;
	long failed = 0;

	(void)ts_resource(0);
#ifdef ZEND_TSRMLS_CACHE_UPDATE
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	script = malloc(len);
	if (!script) {
		return (void *)1;
	}
	snprintf(script, len, "$tid = %ld; %s", tid, code);
	pthread_barrier_wait(&start);

	if (php_request_startup() == FAILURE) {
		fprintf(stderr, "thread %ld: request startup failed\n", tid);
		failed = 1;
	} else {
		zend_first_try {
			zend_eval_string(script, NULL, "thread");
		} zend_end_try();
		php_request_shutdown(NULL);
	}
	free(script);
	ts_free_thread();
	return (void *)failed;
}

int main(int argc, char **argv)
{
	pthread_t *threads;
	long i, n, failed = 0;

	if (argc != 3 || (n = atol(argv[1])) <= 0 || n > 64) {
		fprintf(stderr, "usage: zts_threads THREADS CODE\n");
		return 2;
	}
	code = argv[2];
	threads = calloc((size_t)n, sizeof(*threads));
	if (!threads || pthread_barrier_init(&start, NULL, (unsigned)n) != 0) {
		return 2;
	}
	if (php_embed_init(1, argv) == FAILURE) {
		fprintf(stderr, "php_embed_init failed\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (pthread_create(&threads[i], NULL, run, (void *)i) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 2;
		}
	}
	for (i = 0; i < n; i++) {
		void *rc;
		pthread_join(threads[i], &rc);
		failed += rc != NULL;
	}
	php_embed_shutdown();
	free(threads);
	printf("threads: %ld, failed: %ld\n", n, failed);
	return failed ? 1 : 0;
}
