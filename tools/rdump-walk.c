/*
 * rdump-walk: read an RDUMP file offline and walk the Zend structures at
 * the addresses it holds, to show what the dump means (the call stack, the
 * live objects by class, chosen globals).
 *
 *   rdump-walk [--stack] [--objects] [--global=NAME]... FILE
 *
 * Built against the headers of the PHP whose dumps it judges: layouts come
 * from them (types, offsetof, sizeof and macros only; no libphp). Memory is
 * served as reli serves it (../shared/rdump-format.md section 3): a read
 * must lie wholly inside one region, else it comes from the file behind a
 * named read-only mapping, else it fails.
 *
 * Exit 0: walked. Exit 2: an address the walk needed is not in the dump.
 * Exit 1: any other error (usage, unreadable or malformed file, a dump of
 * another PHP version).
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
/* zend.h rather than php.h, which routes snprintf to libphp. */
#include "zend.h"
#include "zend_globals.h"
#include "php_version.h"
#include "zend_objects_API.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Longest string kept from the header, and from a name in memory. */
#define WALK_HEADER_STR_MAX 65536
#define WALK_NAME_MAX 1024
/* Bytes of a string value shown by --global. */
#define WALK_VALUE_MAX 64
/* Frames followed before the stack is taken to be a loop. */
#define WALK_FRAMES_MAX 100000

typedef struct {
	uint64_t addr;
	uint64_t size;
	off_t data;         /* file offset of the first data byte */
} walk_region;

typedef struct {
	uint64_t begin;
	uint64_t end;
	uint64_t offset;
	int writable;
	char *name;
} walk_vma;

typedef struct {
	int fd;
	char *php_version;
	uint64_t eg;
	walk_vma *maps;
	uint32_t nmaps;
	walk_region *disjoint;  /* sorted, none starting inside an earlier one */
	size_t ndisjoint;
	walk_region *overlap;   /* the rest, in sorted order */
	size_t noverlap;
} walk_dump;

typedef struct {
	uint64_t ce;
	char *name;
	size_t count;
} walk_class;

__attribute__((noreturn, format(printf, 2, 3)))
static void fail(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("rdump-walk: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p) {
		fail(1, "out of memory (%zu bytes)", size);
	}
	return p;
}

static uint64_t addr_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* ---- header ---------------------------------------------------------- */

static void get(FILE *f, void *buf, size_t n, const char *what)
{
	if (n && fread(buf, 1, n, f) != n) {
		fail(1, "truncated file: failed to read %s", what);
	}
}

static uint32_t get_u32(FILE *f, const char *what)
{
	unsigned char b[4];
	get(f, b, 4, what);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t get_u64(FILE *f, const char *what)
{
	uint64_t lo = get_u32(f, what);
	return lo | (uint64_t)get_u32(f, what) << 32;
}

/* A u32-prefixed string, NUL-terminated; the caller frees it. */
static char *get_str(FILE *f, const char *what)
{
	uint32_t len = get_u32(f, what);
	char *s;
	if (len > WALK_HEADER_STR_MAX) {
		fail(1, "malformed file: %s of %u bytes", what, len);
	}
	s = xmalloc((size_t)len + 1);
	get(f, s, len, what);
	s[len] = '\0';
	return s;
}

static void get_vma(FILE *f, walk_vma *m)
{
	unsigned char attrs[4];
	char *begin = get_str(f, "map begin"), *end = get_str(f, "map end");
	char *offset = get_str(f, "map offset");
	get(f, attrs, 4, "map attributes");
	free(get_str(f, "map device"));
	get_u64(f, "map inode");
	m->name = get_str(f, "map name");
	m->begin = strtoull(begin, NULL, 16);
	m->end = strtoull(end, NULL, 16);
	m->offset = strtoull(offset, NULL, 16);
	m->writable = attrs[1] != 0;
	free(begin);
	free(end);
	free(offset);
}

/* Start ascending, then size descending: reli's order. */
static int region_cmp(const void *a, const void *b)
{
	const walk_region *x = a, *y = b;
	if (x->addr != y->addr) {
		return x->addr < y->addr ? -1 : 1;
	}
	return x->size == y->size ? 0 : (x->size > y->size ? -1 : 1);
}

/* Index the regions as reli does: a region starting below the furthest end
 * seen so far goes to the overlap list, the others to the disjoint list. */
static void index_regions(walk_dump *d, walk_region *all, size_t n)
{
	uint64_t furthest = 0;
	size_t i;
	qsort(all, n, sizeof(*all), region_cmp);
	d->disjoint = xmalloc(n * sizeof(*all));
	d->overlap = xmalloc(n * sizeof(*all));
	for (i = 0; i < n; i++) {
		if (i > 0 && all[i].addr < furthest) {
			d->overlap[d->noverlap++] = all[i];
		} else {
			d->disjoint[d->ndisjoint++] = all[i];
		}
		if (all[i].addr + all[i].size > furthest) {
			furthest = all[i].addr + all[i].size;
		}
	}
}

static void read_regions(FILE *f, walk_dump *d, uint32_t n)
{
	walk_region *all = xmalloc((size_t)n * sizeof(*all));
	uint32_t i;
	for (i = 0; i < n; i++) {
		all[i].addr = get_u64(f, "region address");
		all[i].size = get_u64(f, "region size");
		all[i].data = ftello(f);
		if (all[i].size > INT64_MAX || fseeko(f, (off_t)all[i].size, SEEK_CUR) != 0) {
			fail(1, "malformed file: region %u cannot be skipped", i);
		}
	}
	index_regions(d, all, n);
	free(all);
}

/* Parse the header, the memory map and the region index of path. */
static void open_dump(walk_dump *d, const char *path)
{
	char magic[8], want[16];
	uint32_t version, nglobals, nregions, i;
	FILE *f = fopen(path, "rb");
	if (!f || (d->fd = open(path, O_RDONLY)) < 0) {
		fail(1, "failed to open file: %s", path);
	}
	get(f, magic, 8, "magic");
	if (memcmp(magic, "RDUMP\0\0\0", 8) != 0) {
		fail(1, "invalid dump file: bad magic");
	}
	version = get_u32(f, "format version");
	if (version < 1 || version > 3) {
		fail(1, "unsupported dump format version: %u", version);
	}
	d->php_version = get_str(f, "php_version");
	get_u64(f, "pid");
	d->eg = get_u64(f, "eg address");
	get_u64(f, "cg address");
	if (version >= 2) {
		get_u64(f, "rss");
	}
	nglobals = version >= 3 ? get_u32(f, "module globals count") : 0;
	for (i = 0; i < nglobals; i++) {
		free(get_str(f, "module globals key"));
		get_u64(f, "module globals address");
	}
	d->nmaps = get_u32(f, "memory map count");
	nregions = get_u32(f, "region count");
	d->maps = xmalloc((size_t)d->nmaps * sizeof(*d->maps));
	for (i = 0; i < d->nmaps; i++) {
		get_vma(f, &d->maps[i]);
	}
	read_regions(f, d, nregions);
	fclose(f);
	snprintf(want, sizeof(want), "v%d%d", PHP_MAJOR_VERSION, PHP_MINOR_VERSION);
	if (strcmp(d->php_version, want) != 0) {
		fail(1, "dump of PHP %s, but this walker was built for %s", d->php_version, want);
	}
}

static void close_dump(walk_dump *d)
{
	uint32_t i;
	for (i = 0; i < d->nmaps; i++) {
		free(d->maps[i].name);
	}
	free(d->maps);
	free(d->disjoint);
	free(d->overlap);
	free(d->php_version);
	close(d->fd);
}

/* ---- memory ---------------------------------------------------------- */

static int contains(const walk_region *r, uint64_t addr, size_t size)
{
	return addr >= r->addr && size <= r->size && addr - r->addr <= r->size - size;
}

/* The region that wholly holds [addr, addr + size), or NULL. */
static const walk_region *find_region(const walk_dump *d, uint64_t addr, size_t size)
{
	size_t lo = 0, hi = d->ndisjoint, i;
	while (lo < hi) {       /* first region starting above addr */
		size_t mid = lo + (hi - lo) / 2;
		if (d->disjoint[mid].addr <= addr) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (lo > 0 && contains(&d->disjoint[lo - 1], addr, size)) {
		return &d->disjoint[lo - 1];
	}
	for (i = 0; i < d->noverlap; i++) {
		if (contains(&d->overlap[i], addr, size)) {
			return &d->overlap[i];
		}
	}
	return NULL;
}

/* reli's fallback: the file behind a named, non-writable mapping holding
 * addr (end inclusive, as reli looks mappings up). 0 when read. */
static int read_mapped_file(const walk_dump *d, uint64_t addr, void *buf, size_t size)
{
	uint32_t i;
	for (i = 0; i < d->nmaps; i++) {
		const walk_vma *m = &d->maps[i];
		ssize_t got;
		int fd;
		if (addr < m->begin || addr > m->end || m->name[0] == '\0' || m->writable) {
			continue;
		}
		if ((fd = open(m->name, O_RDONLY)) < 0) {
			continue;
		}
		got = pread(fd, buf, size, (off_t)(m->offset + (addr - m->begin)));
		close(fd);
		if (got >= 0 && (size_t)got == size) {
			return 0;
		}
	}
	return -1;
}

/* Copy [addr, addr + size) of the dumped process into buf, or exit 2. */
static void mem_read(const walk_dump *d, uint64_t addr, void *buf, size_t size)
{
	const walk_region *r = find_region(d, addr, size);
	if (r) {
		ssize_t got = pread(d->fd, buf, size, r->data + (off_t)(addr - r->addr));
		if (got < 0 || (size_t)got != size) {
			fail(1, "failed to read %zu bytes at file offset %lld", size,
				(long long)(r->data + (off_t)(addr - r->addr)));
		}
		return;
	}
	if (read_mapped_file(d, addr, buf, size) != 0) {
		fail(2, "no memory region found for address: 0x%llx (size: %zu)",
			(unsigned long long)addr, size);
	}
}

/* The bytes of the zend_string at addr, at most max of them, NUL-ended;
 * *len gets its full length. The caller frees the result. */
static char *read_zstr(const walk_dump *d, uint64_t addr, size_t max, size_t *len)
{
	zend_string head;
	char *s;
	size_t n;
	mem_read(d, addr, &head, _ZSTR_HEADER_SIZE);
	*len = ZSTR_LEN(&head);
	n = *len < max ? *len : max;
	s = xmalloc(n + 1);
	mem_read(d, addr + _ZSTR_HEADER_SIZE, s, n);
	s[n] = '\0';
	return s;
}

static char *read_name(const walk_dump *d, const zend_string *addr)
{
	size_t len;
	return read_zstr(d, addr_of(addr), WALK_NAME_MAX, &len);
}

static char *class_name(const walk_dump *d, const zend_class_entry *addr)
{
	zend_class_entry ce;
	mem_read(d, addr_of(addr), &ce, sizeof(ce));
	return read_name(d, ce.name);
}

/* ---- --stack --------------------------------------------------------- */

/* The line a user frame is at: its current opline's, checked to lie in
 * its function's opcodes; 0 when it does not. */
static uint32_t frame_line(const walk_dump *d, const zend_execute_data *ex)
{
	zend_op_array op_array;
	zend_op op;
	uint64_t first, at = addr_of(ex->opline);
	mem_read(d, addr_of(ex->func), &op_array, sizeof(op_array));
	first = addr_of(op_array.opcodes);
	if (at < first || (at - first) / sizeof(zend_op) >= op_array.last) {
		return 0;
	}
	mem_read(d, at, &op, sizeof(op));
	return op.lineno;
}

/* "Class::name:line" (user code) or "Class::name" (internal). */
static void print_frame(const walk_dump *d, const zend_execute_data *ex)
{
	zend_function fn;
	char *name;
	/* Internal functions are allocated as the smaller zend_internal_function. */
	mem_read(d, addr_of(ex->func), &fn, sizeof(zend_internal_function));
	if (fn.common.scope) {
		name = class_name(d, fn.common.scope);
		printf("%s::", name);
		free(name);
	}
	if (fn.common.function_name) {
		name = read_name(d, fn.common.function_name);
		fputs(name, stdout);
		free(name);
	} else {
		fputs("<main>", stdout);
	}
	if (ZEND_USER_CODE(fn.type)) {
		uint32_t line = frame_line(d, ex);
		if (line) {
			printf(":%u", line);
		} else {
			fputs(":?", stdout);
		}
	}
}

/* The frames from EG(current_execute_data) down, top first; frames
 * without a function (the engine's dummy frames) are left out. */
static void walk_stack(const walk_dump *d, const zend_executor_globals *eg)
{
	uint64_t at = addr_of(eg->current_execute_data);
	const char *sep = "";
	int n;
	fputs("stack: ", stdout);
	for (n = 0; at && n < WALK_FRAMES_MAX; n++) {
		zend_execute_data ex;
		mem_read(d, at, &ex, sizeof(ex));
		if (ex.func) {
			fputs(sep, stdout);
			print_frame(d, &ex);
			sep = " <- ";
		}
		at = addr_of(ex.prev_execute_data);
	}
	if (at) {
		fail(1, "more than %d frames: the frame chain loops", WALK_FRAMES_MAX);
	}
	putchar('\n');
}

/* ---- --objects ------------------------------------------------------- */

static int class_cmp(const void *a, const void *b)
{
	return strcmp(((const walk_class *)a)->name, ((const walk_class *)b)->name);
}

/* Count one object of the class at ce in classes (n entries in use). */
static void tally(const walk_dump *d, walk_class *classes, size_t *n, uint64_t ce)
{
	size_t i;
	for (i = 0; i < *n; i++) {
		if (classes[i].ce == ce) {
			classes[i].count++;
			return;
		}
	}
	classes[*n].ce = ce;
	classes[*n].name = class_name(d, (const zend_class_entry *)(uintptr_t)ce);
	classes[*n].count = 1;
	(*n)++;
}

/* Sorted by name; classes of one name at two addresses are added up. */
static void print_classes(walk_class *classes, size_t n)
{
	size_t i = 0;
	qsort(classes, n, sizeof(*classes), class_cmp);
	while (i < n) {
		size_t count = 0, j = i;
		for (; j < n && strcmp(classes[j].name, classes[i].name) == 0; j++) {
			count += classes[j].count;
		}
		printf("object %s %zu\n", classes[i].name, count);
		for (; i < j; i++) {
			free(classes[i].name);
		}
	}
}

/* The live objects of EG(objects_store), counted by class. */
static void walk_objects(const walk_dump *d, const zend_executor_globals *eg)
{
	const zend_objects_store *store = &eg->objects_store;
	zend_object **buckets;
	walk_class *classes;
	size_t nclasses = 0, total = 0;
	uint32_t i;
	if (store->top > store->size) {
		fail(1, "objects_store: top %u above size %u", store->top, store->size);
	}
	buckets = xmalloc((size_t)store->size * sizeof(*buckets));
	classes = xmalloc((size_t)store->size * sizeof(*classes));
	if (store->size) {
		mem_read(d, addr_of(store->object_buckets), buckets, (size_t)store->size * sizeof(*buckets));
	}
	for (i = 1; i < store->top; i++) {
		zend_object obj;
		if (!buckets[i] || !IS_OBJ_VALID(buckets[i])) {
			continue;
		}
		mem_read(d, addr_of(buckets[i]), &obj, sizeof(obj));
		tally(d, classes, &nclasses, addr_of(obj.ce));
		total++;
	}
	printf("objects: %zu\n", total);
	print_classes(classes, nclasses);
	free(classes);
	free(buckets);
}

/* ---- --global -------------------------------------------------------- */

/* Is the bucket's key the string name? */
static int key_is(const walk_dump *d, const Bucket *b, const char *name)
{
	size_t len;
	char *key;
	int same;
	if (!b->key || Z_TYPE(b->val) == IS_UNDEF) {
		return 0;
	}
	key = read_zstr(d, addr_of(b->key), strlen(name), &len);
	same = len == strlen(name) && memcmp(key, name, len) == 0;
	free(key);
	return same;
}

/* The value of name in the hash table ht; IS_UNDEF when absent. */
static zval symtab_find(const walk_dump *d, const HashTable *ht, const char *name)
{
	zval found;
	Bucket *buckets;
	uint32_t i;
	ZVAL_UNDEF(&found);
	if (HT_IS_PACKED(ht) || ht->nNumUsed == 0) {
		return found;
	}
	buckets = xmalloc((size_t)ht->nNumUsed * sizeof(Bucket));
	mem_read(d, addr_of(ht->arData), buckets, (size_t)ht->nNumUsed * sizeof(Bucket));
	for (i = 0; i < ht->nNumUsed; i++) {
		if (key_is(d, &buckets[i], name)) {
			found = buckets[i].val;
			break;
		}
	}
	free(buckets);
	return found;
}

/* Follow IS_INDIRECT (a CV slot of the main frame) and IS_REFERENCE. */
static zval deref(const walk_dump *d, zval zv)
{
	int n;
	for (n = 0; n < 16; n++) {
		if (Z_TYPE(zv) == IS_INDIRECT) {
			mem_read(d, addr_of(Z_INDIRECT(zv)), &zv, sizeof(zv));
		} else if (Z_TYPE(zv) == IS_REFERENCE) {
			zend_reference ref;
			mem_read(d, addr_of(Z_REF(zv)), &ref, sizeof(ref));
			zv = ref.val;
		} else {
			break;
		}
	}
	return zv;
}

/* The shortest %G form that reads back as v. */
static void print_double(double v)
{
	char buf[64];
	int p;
	for (p = 1; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*G", p, v);
		if (strtod(buf, NULL) == v) {
			break;
		}
	}
	printf("float(%s)", buf);
}

static void print_string(const walk_dump *d, const zend_string *addr)
{
	size_t len, i;
	char *s = read_zstr(d, addr_of(addr), WALK_VALUE_MAX, &len);
	printf("string(%zu) \"", len);
	for (i = 0; i < len && i < WALK_VALUE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {
			putchar(c);
		} else {
			printf("\\x%02x", c);
		}
	}
	fputs(len > WALK_VALUE_MAX ? "\"..." : "\"", stdout);
	free(s);
}

static void print_zval(const walk_dump *d, const zval *zv)
{
	char *name;
	zend_array arr;
	zend_object obj;
	switch (Z_TYPE_P(zv)) {
	case IS_UNDEF: fputs("undef", stdout); break;
	case IS_NULL: fputs("null", stdout); break;
	case IS_FALSE: fputs("bool(false)", stdout); break;
	case IS_TRUE: fputs("bool(true)", stdout); break;
	case IS_LONG: printf("int(" ZEND_LONG_FMT ")", Z_LVAL_P(zv)); break;
	case IS_DOUBLE: print_double(Z_DVAL_P(zv)); break;
	case IS_STRING: print_string(d, Z_STR_P(zv)); break;
	case IS_ARRAY:
		mem_read(d, addr_of(Z_ARR_P(zv)), &arr, sizeof(arr));
		printf("array(%u)", arr.nNumOfElements);
		break;
	case IS_OBJECT:
		mem_read(d, addr_of(Z_OBJ_P(zv)), &obj, sizeof(obj));
		name = class_name(d, obj.ce);
		printf("object(%s)", name);
		free(name);
		break;
	case IS_RESOURCE: fputs("resource", stdout); break;
	default: printf("type(%d)", Z_TYPE_P(zv)); break;
	}
}

static void print_global(const walk_dump *d, const zend_executor_globals *eg, const char *name)
{
	zval zv = deref(d, symtab_find(d, &eg->symbol_table, name));
	printf("global %s: ", name);
	print_zval(d, &zv);
	putchar('\n');
}

/* ---- main ------------------------------------------------------------ */

static void usage(void)
{
	fail(1, "usage: rdump-walk [--stack] [--objects] [--global=NAME]... FILE");
}

int main(int argc, char **argv)
{
	walk_dump d;
	zend_executor_globals *eg;
	const char *path = NULL;
	int stack = 0, objects = 0, nglobals = 0, i;
	memset(&d, 0, sizeof(d));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--stack") == 0) {
			stack = 1;
		} else if (strcmp(argv[i], "--objects") == 0) {
			objects = 1;
		} else if (strncmp(argv[i], "--global=", 9) == 0 && argv[i][9]) {
			nglobals++;
		} else if (argv[i][0] == '-' || path) {
			usage();
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		usage();
	}
	if (!stack && !objects && !nglobals) {
		stack = objects = 1;
	}
	open_dump(&d, path);
	/* One read of the whole struct, as reli reads EG. */
	eg = xmalloc(sizeof(*eg));
	mem_read(&d, d.eg, eg, sizeof(*eg));
	if (stack) {
		walk_stack(&d, eg);
	}
	if (objects) {
		walk_objects(&d, eg);
	}
	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--global=", 9) == 0) {
			print_global(&d, eg, argv[i] + 9);
		}
	}
	free(eg);
	close_dump(&d);
	return fflush(stdout) == 0 ? 0 : 1;
}
