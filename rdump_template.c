/*
 * rdump_template.c: path template expansion. See rdump_template.h.
 */
#include "rdump_template.h"

#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int put(char *out, size_t size, size_t *at, const char *s, size_t len)
{
	if (len >= size - *at) {
		return -1;
	}
	memcpy(out + *at, s, len);
	*at += len;
	return 0;
}

int rdump_template_expand(const char *tpl, const rdump_template_vars *v, char *out, size_t size)
{
	size_t at = 0;
	const char *p;

	if (size == 0) {
		return -1;
	}
	for (p = tpl; *p; p++) {
		char num[24];
		const char *s = p;
		size_t len = 1;

		if (p[0] == '%' && p[1] != '\0') {
			len = 0;
			switch (p[1]) {
				case 'p': len = (size_t)snprintf(num, sizeof(num), "%ld", v->pid); s = num; break;
				case 'i': len = (size_t)snprintf(num, sizeof(num), "%ld", v->tid); s = num; break;
				case 't': len = (size_t)snprintf(num, sizeof(num), "%lld", (long long)v->time); s = num; break;
				case 'h': s = v->host; len = strlen(v->host); break;
				case '%': s = "%"; len = 1; break;
				default: len = 2; break; /* unknown: keep "%x" as written */
			}
			p++;
		}
		if (put(out, size, &at, s, len) != 0) {
			out[0] = '\0';
			return -1;
		}
	}
	out[at] = '\0';
	return 0;
}

int rdump_template_expand_now(const char *tpl, char *out, size_t size)
{
	rdump_template_vars vars;
	char host[256];

	if (gethostname(host, sizeof(host)) != 0) {
		strcpy(host, "unknown-host");
	}
	host[sizeof(host) - 1] = '\0';
	vars.pid = (long)getpid();
	vars.tid = (long)syscall(SYS_gettid);
	vars.time = (int64_t)time(NULL);
	vars.host = host;
	return rdump_template_expand(tpl, &vars, out, size);
}
