/*
 * rdump_config.c: INI value parsers. See rdump_config.h.
 */
#include "rdump_config.h"
#include "rdump_flush.h"

#include <signal.h>
#include <string.h>

static void trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) {
		(*len)--;
	}
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int word_is(const char *s, size_t len, const char *word)
{
	size_t i;
	if (len != strlen(word)) {
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (lower((unsigned char)s[i]) != word[i]) {
			return 0;
		}
	}
	return 1;
}

int rdump_config_parse_count(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	trim(&s, &len);
	if (len == 0) {
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (d > 9 || v > (max - d) / 10) {
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int rdump_config_parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, frac_scale = 1, mult = 1;
	size_t i = 0, digits = 0;

	trim(&s, &len);
	if (len > 0) {
		switch (lower((unsigned char)s[len - 1])) {
			case 'k': mult = (uint64_t)1 << 10; len--; break;
			case 'm': mult = (uint64_t)1 << 20; len--; break;
			case 'g': mult = (uint64_t)1 << 30; len--; break;
			case 't': mult = (uint64_t)1 << 40; len--; break;
			default: break;
		}
	}
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (whole > (UINT64_MAX - d) / 10) {
			return -1;
		}
		whole = whole * 10 + d;
	}
	if (i < len && s[i] == '.') {
		/* Up to 12 decimals are kept (exact for T); more are ignored. */
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
			if (frac_scale < 1000000000000ULL) {
				frac = frac * 10 + (uint64_t)(s[i] - '0');
				frac_scale *= 10;
			}
		}
	}
	if (digits == 0 || i != len || whole > UINT64_MAX / mult) {
		return -1;
	}
	{
		/* frac / frac_scale < 1, so the fractional part is below mult. */
		uint64_t part = (uint64_t)((unsigned __int128)frac * mult / frac_scale);
		if (whole * mult > UINT64_MAX - part) {
			return -1;
		}
		*out = whole * mult + part;
	}
	return 0;
}

int rdump_config_parse_bool(const char *s, size_t len, int *out)
{
	trim(&s, &len);
	if (len == 0 || word_is(s, len, "0") || word_is(s, len, "off") || word_is(s, len, "no")
		|| word_is(s, len, "false")) {
		*out = 0;
	} else if (word_is(s, len, "1") || word_is(s, len, "on") || word_is(s, len, "yes")
		|| word_is(s, len, "true")) {
		*out = 1;
	} else {
		return -1;
	}
	return 0;
}

int rdump_config_parse_flush(const char *s, size_t len, int *out)
{
	trim(&s, &len);
	if (word_is(s, len, "auto")) {
		*out = RDUMP_FLUSH_AUTO;
		return 0;
	}
	return rdump_config_parse_bool(s, len, out);
}

/* Signals a dump may be asked with: ones whose default use nothing in a
 * PHP worker needs (PHP's timeouts use SIGALRM/SIGPROF, php-fpm's
 * workers obey SIGTERM/SIGQUIT/SIGINT, crashes are SIGSEGV/SIGBUS/...). */
static const struct {
	const char *name;
	int sig;
} allowed_signals[] = {
	{"hup", SIGHUP}, {"usr1", SIGUSR1}, {"usr2", SIGUSR2}, {"winch", SIGWINCH},
	{"urg", SIGURG},
#ifdef SIGPWR
	{"pwr", SIGPWR},
#endif
};

static const char *const refused_names[] = {
	"int", "quit", "ill", "trap", "abrt", "iot", "bus", "fpe", "kill", "segv", "pipe", "alrm",
	"term", "stkflt", "chld", "cont", "stop", "tstp", "ttin", "ttou", "xcpu", "xfsz", "vtalrm",
	"prof", "io", "poll", "sys",
};

static int parse_small_number(const char *s, size_t len, int *out)
{
	uint64_t v;
	if (rdump_config_parse_count(s, len, 1024, &v) != 0) {
		return -1;
	}
	*out = (int)v;
	return 0;
}

int rdump_config_parse_signal(const char *s, size_t len, int *out)
{
	size_t i;
	int n;

	trim(&s, &len);
	if (len == 0) {
		*out = 0;
		return 0;
	}
	if (len > 3 && lower((unsigned char)s[0]) == 's' && lower((unsigned char)s[1]) == 'i'
		&& lower((unsigned char)s[2]) == 'g') {
		s += 3;
		len -= 3;
	}
	if (len >= 5 && word_is(s, 5, "rtmin")) {
		if (len == 5) {
			n = SIGRTMIN;
		} else if (s[5] == '+' && parse_small_number(s + 6, len - 6, &n) == 0 && n <= SIGRTMAX - SIGRTMIN) {
			n += SIGRTMIN;
		} else {
			return -1;
		}
		*out = n;
		return 0;
	}
	if (len >= 5 && word_is(s, 5, "rtmax")) {
		if (len == 5) {
			n = SIGRTMAX;
		} else if (s[5] == '-' && parse_small_number(s + 6, len - 6, &n) == 0 && n <= SIGRTMAX - SIGRTMIN) {
			n = SIGRTMAX - n;
		} else {
			return -1;
		}
		*out = n;
		return 0;
	}
	for (i = 0; i < sizeof(allowed_signals) / sizeof(allowed_signals[0]); i++) {
		if (word_is(s, len, allowed_signals[i].name)) {
			*out = allowed_signals[i].sig;
			return 0;
		}
	}
	for (i = 0; i < sizeof(refused_names) / sizeof(refused_names[0]); i++) {
		if (word_is(s, len, refused_names[i])) {
			return RDUMP_CONFIG_REFUSED;
		}
	}
	if (parse_small_number(s, len, &n) == 0) {
		if (n >= SIGRTMIN && n <= SIGRTMAX) {
			*out = n;
			return 0;
		}
		for (i = 0; i < sizeof(allowed_signals) / sizeof(allowed_signals[0]); i++) {
			if (allowed_signals[i].sig == n) {
				*out = n;
				return 0;
			}
		}
		return n >= 1 && n < SIGRTMIN ? RDUMP_CONFIG_REFUSED : -1;
	}
	return -1;
}
