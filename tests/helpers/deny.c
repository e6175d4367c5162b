/*
 * Test helper, preloaded into a PHP process: a seccomp filter that fails
 * chosen system calls with a chosen errno, as an older kernel or a
 * container's policy would. rdump.so calls libc through its own bindings
 * (PHP loads it with RTLD_DEEPBIND), so interposing functions would not
 * reach it; the filter does. Every other call is allowed.
 *
 * RDUMP_TEST_DENY holds the rules, separated by ';', each one of
 *   NAME:ERRNO             every call
 *   NAME:N=VALUE:ERRNO     when argument N's low 32 bits equal VALUE
 *   NAME:N&MASK:ERRNO      when argument N's low 32 bits have a bit of MASK
 * with NAME and ERRNO from the tables below and numbers as strtoul reads
 * them (0x... for hex). Unset, nothing is filtered; a rule that does not
 * parse, or is not in force once the filter is loaded, ends the process
 * with status 70: each rule is tried on a call the kernel would refuse
 * anyway (every other argument -1, which it answers with EBADF, EINVAL or
 * E2BIG, never with the errnos here), which must fail with its errno.
 * Under valgrind, which emulates clone and warns about unknown ioctls,
 * the rules are not tried (the plain runs of the same tests try them).
 *
 * Used by the tests as
 *   ioctl:1=0xC0606610:ENOTTY                 no PAGEMAP_SCAN (Linux < 6.7)
 *   clone3:EAGAIN;clone:0&0x10000:EAGAIN      no thread (CLONE_THREAD), as
 *     at a pids limit: glibc 2.34+ starts threads with clone3 and does not
 *     fall back on EAGAIN; fork, a clone without CLONE_THREAD, still works
 *   madvise:2=3:EPERM                         no MADV_WILLNEED
 *   process_vm_readv:EPERM                    as a container's policy may
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
# define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
# define NATIVE_ARCH AUDIT_ARCH_AARCH64
#endif
#ifndef __NR_clone3
# define __NR_clone3 435
#endif

#define MAX_RULES 8

typedef struct {
	int nr, e, arg;                 /* arg: -1 for every call */
	unsigned long value;
} rule_t;

typedef struct {
	const char *name;
	int value;
} named;

static const named calls[] = {
	{ "ioctl", __NR_ioctl }, { "clone", __NR_clone }, { "clone3", __NR_clone3 }, { "madvise", __NR_madvise },
	{ "process_vm_readv", __NR_process_vm_readv },
};
static const named errnos[] = {
	{ "ENOTTY", ENOTTY }, { "EAGAIN", EAGAIN }, { "EPERM", EPERM },
};

static void bad_rule(const char *rule)
{
	fprintf(stderr, "deny: cannot parse rule '%s' in RDUMP_TEST_DENY\n", rule);
	_exit(70);
}

/* The value of name in the table, or -1. */
static int lookup(const named *table, size_t count, const char *name)
{
	size_t i;
	for (i = 0; i < count; i++) {
		if (strcmp(table[i].name, name) == 0) {
			return table[i].value;
		}
	}
	return -1;
}

/* One rule's instructions at code[n]; returns the new count. */
static unsigned short add_rule(struct sock_filter *code, unsigned short n, char *rule, rule_t *r)
{
	char *name = strtok(rule, ":"), *test = strtok(NULL, ":"), *err = strtok(NULL, ":"), *end;
	unsigned long arg = 0, value = 0;
	int nr, e, masked = 0;

	if (err == NULL) {
		err = test;
		test = NULL;
	}
	if (name == NULL || err == NULL || (nr = lookup(calls, sizeof(calls) / sizeof(calls[0]), name)) < 0
		|| (e = lookup(errnos, sizeof(errnos) / sizeof(errnos[0]), err)) < 0) {
		bad_rule(rule);
	}
	if (test != NULL) {
		arg = strtoul(test, &end, 10);
		if (arg > 5 || (*end != '=' && *end != '&')) {
			bad_rule(rule);
		}
		masked = *end == '&';
		value = strtoul(end + 1, &end, 0);
		if (*end != '\0') {
			bad_rule(rule);
		}
	}
	r->nr = nr;
	r->e = e;
	r->arg = test == NULL ? -1 : (int)arg;
	r->value = value;
	code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	/* Not this call: past the rest of the rule. */
	code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0,
		test == NULL ? 1 : (masked ? 4 : 3));
	if (test != NULL) {
		/* the argument's low 32 bits (little-endian) */
		code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, args[0]) + arg * sizeof(__u64));
		if (masked) {
			code[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, (unsigned)value);
			code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
		} else {
			code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)value, 0, 1);
		}
	}
	code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)e & SECCOMP_RET_DATA));
	return n;
}

/* Is the rule in force? Its call, with the tested argument matching and
 * every other argument -1. */
static int in_force(const rule_t *r)
{
	long a[6] = { -1, -1, -1, -1, -1, -1 };

	if (r->arg >= 0) {
		a[r->arg] = (long)r->value;
	}
	errno = 0;
	return syscall(r->nr, a[0], a[1], a[2], a[3], a[4], a[5]) == -1 && errno == r->e;
}

__attribute__((constructor)) static void deny(void)
{
	struct sock_filter code[3 + 6 * MAX_RULES];
	rule_t parsed[MAX_RULES];
	struct sock_fprog prog;
	char rules[1024], *rule, *next;
	unsigned short n = 0;
	int count = 0;
	const char *spec = getenv("RDUMP_TEST_DENY");

	if (spec == NULL || *spec == '\0') {
		return;
	}
	if (strlen(spec) >= sizeof(rules)) {
		bad_rule(spec);
	}
	strcpy(rules, spec);
	code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 0, 0); /* jf set below */
	for (rule = rules; rule != NULL; rule = next) {
		next = strchr(rule, ';');
		if (next != NULL) {
			*next++ = '\0';
		}
		if (++count > MAX_RULES) {
			bad_rule(rule);
		}
		n = add_rule(code, n, rule, &parsed[count - 1]);
	}
	code[1].jf = (unsigned char)(n - 2);
	code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = n;
	prog.filter = code;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		perror("deny: seccomp");
		_exit(70);
	}
	if (getenv("LD_PRELOAD") != NULL && strstr(getenv("LD_PRELOAD"), "vgpreload") != NULL) {
		return;
	}
	while (count-- > 0) {
		if (!in_force(&parsed[count])) {
			fprintf(stderr, "deny: rule %d of RDUMP_TEST_DENY is not in force\n", count + 1);
			_exit(70);
		}
	}
}
