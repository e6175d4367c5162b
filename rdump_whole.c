/*
 * rdump_whole.c: ranges reli reads whole, and capture around them. See
 * rdump_whole.h.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "ext/standard/basic_functions.h"
#include "Zend/zend_arena.h"
#include "rdump_compat.h"
#include "rdump_pagemap.h"
#include "rdump_whole.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

/* Enough for any real chain; a longer one is taken as damaged. */
#define RDUMP_WHOLE_CHAIN_MAX 1000000

/* ZendMM's chunk, as every PHP from 7.0 to 8.6 lays it out: a fixed head
 * of 64 bytes, the main chunk's heap, then the page map (free_map, 512
 * bits, and map, 512 words). The heap's size differs between builds
 * (distributions add fields), so the page map is found, not assumed:
 * see find_page_map. */
#define ZMM_CHUNK_SIZE ((uint64_t)2 << 20)
#define ZMM_PAGE_SIZE 4096
#define ZMM_PAGES 512
#define ZMM_HEAP_SLOT 64
#define ZMM_FREE_MAP_BYTES (ZMM_PAGES / 8)
#define ZMM_MAP_BYTES (ZMM_PAGES * 4)
#define ZMM_FIRST_RUN 0x40000001u  /* map[0]: a large run of the header page */

typedef struct {
	uint64_t heap, next, prev;
	uint32_t free_pages, free_tail, num;
} zmm_chunk_head;

typedef struct {
	uint64_t ptr, size, next;
} zmm_huge_head;

typedef void (*emit_fn)(void *ctx, uint64_t start, uint64_t end);

static uint64_t page_size(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

void rdump_whole_roots_here(rdump_whole_roots *r)
{
	r->eg = RDUMP_GLOBALS_ADDR(EG, zend_executor_globals, symbol_table);
	r->cg = RDUMP_GLOBALS_ADDR(CG, zend_compiler_globals, function_table);
	r->bg = RDUMP_GLOBALS_ADDR(BG, php_basic_globals, user_shutdown_function_names);
	r->heap = (uint64_t)(uintptr_t)zend_mm_get_heap();
	r->zend_mm = is_zend_mm() ? 1 : 0;
}

/* Bits set in 64 bytes of page map. */
static int count_bits(const unsigned char *map)
{
	int n = 0, i;
	for (i = 0; i < ZMM_FREE_MAP_BYTES; i++) {
		n += __builtin_popcount(map[i]);
	}
	return n;
}

/* Does the page map at this offset of the chunk fit the chunk's head:
 * the header page allocated, as many pages allocated as the head says,
 * and map[0] the header page's run? */
static int page_map_fits(const unsigned char *chunk, size_t off)
{
	const zmm_chunk_head *h = (const zmm_chunk_head *)chunk;
	uint32_t first;

	if (!(chunk[off] & 1) || h->free_pages >= ZMM_PAGES) {
		return 0;
	}
	memcpy(&first, chunk + off + ZMM_FREE_MAP_BYTES, sizeof(first));
	return first == ZMM_FIRST_RUN && count_bits(chunk + off) == (int)(ZMM_PAGES - h->free_pages);
}

/* The page map's offset in a chunk, found once from the main chunk: the
 * first place after the heap's free lists that fits (the heap holds
 * sizes, counters and pointers, none of which fits by chance). 0 if none
 * does. */
static size_t find_page_map(const unsigned char *main_chunk)
{
	static size_t found;
	size_t off;

	if (found != 0 && page_map_fits(main_chunk, found)) {
		return found;
	}
	for (off = ZMM_HEAP_SLOT + 30 * sizeof(void *);
			off + ZMM_FREE_MAP_BYTES + ZMM_MAP_BYTES <= ZMM_PAGE_SIZE; off += sizeof(uint64_t)) {
		if (page_map_fits(main_chunk, off)) {
			found = off;
			return off;
		}
	}
	return 0;
}

/* A chunk's allocated pages, run by run; without its page map, the pages
 * below its free tail. */
static void walk_chunk(const unsigned char *chunk, size_t map_off, emit_fn emit, void *ctx)
{
	const zmm_chunk_head *h = (const zmm_chunk_head *)chunk;
	uint64_t base = (uint64_t)(uintptr_t)chunk;
	int i = 0;

	if (map_off == 0 || !page_map_fits(chunk, map_off)) {
		uint32_t used = h->free_tail < ZMM_PAGES ? ZMM_PAGES - h->free_tail : 1;
		emit(ctx, base, base + (uint64_t)used * ZMM_PAGE_SIZE);
		return;
	}
	while (i < ZMM_PAGES) {
		int j;
		if (!(chunk[map_off + i / 8] & (1u << (i % 8)))) {
			i++;
			continue;
		}
		for (j = i; j < ZMM_PAGES && (chunk[map_off + j / 8] & (1u << (j % 8))); j++) {
		}
		emit(ctx, base + (uint64_t)i * ZMM_PAGE_SIZE, base + (uint64_t)j * ZMM_PAGE_SIZE);
		i = j;
	}
}

/* The heap's huge list: the field just before the heap's main_chunk
 * pointer, the first word of the heap that holds the main chunk's
 * address (the free lists before it point past the header page). */
static void walk_huge(const unsigned char *heap, uint64_t main_chunk, emit_fn emit, void *ctx)
{
	size_t off;
	uint64_t word, list = 0;
	int n;

	for (off = sizeof(uint64_t); off + sizeof(word) <= ZMM_PAGE_SIZE - ZMM_HEAP_SLOT; off += sizeof(word)) {
		memcpy(&word, heap + off, sizeof(word));
		if (word == main_chunk) {
			memcpy(&list, heap + off - sizeof(word), sizeof(list));
			break;
		}
	}
	for (n = 0; list != 0 && n < RDUMP_WHOLE_CHAIN_MAX; n++) {
		const zmm_huge_head *b = (const zmm_huge_head *)(uintptr_t)list;
		if (b->ptr % ZMM_CHUNK_SIZE != 0 || b->size % ZMM_PAGE_SIZE != 0) {
			break;
		}
		emit(ctx, b->ptr, b->ptr + b->size);
		list = b->next;
	}
}

/* Every chunk of the heap, and its huge blocks. */
static void walk_heap(const rdump_whole_roots *r, emit_fn emit, void *ctx)
{
	const unsigned char *main_chunk = (const unsigned char *)(uintptr_t)(r->heap - ZMM_HEAP_SLOT);
	const unsigned char *chunk = main_chunk;
	size_t map_off;
	int n = 0;

	if (!r->zend_mm || r->heap % ZMM_CHUNK_SIZE != ZMM_HEAP_SLOT
		|| ((const zmm_chunk_head *)main_chunk)->heap != r->heap) {
		return;
	}
	map_off = find_page_map(main_chunk);
	do {
		walk_chunk(chunk, map_off, emit, ctx);
		chunk = (const unsigned char *)(uintptr_t)((const zmm_chunk_head *)chunk)->next;
	} while (chunk != NULL && chunk != main_chunk && (uint64_t)(uintptr_t)chunk % ZMM_CHUNK_SIZE == 0
		&& ++n < RDUMP_WHOLE_CHAIN_MAX);
	walk_huge(main_chunk + ZMM_HEAP_SLOT, (uint64_t)(uintptr_t)main_chunk, emit, ctx);
}

static void walk_arenas(zend_arena *a, emit_fn emit, void *ctx)
{
	int n;
	for (n = 0; a != NULL && n < RDUMP_WHOLE_CHAIN_MAX; a = a->prev, n++) {
		emit(ctx, (uint64_t)(uintptr_t)a, (uint64_t)(uintptr_t)a->end);
	}
}

/* What reli reads whole outside the Zend heap's page runs (most of these
 * lie inside them too; with USE_ZEND_ALLOC=0 none does). */
static void walk_globals(const rdump_whole_roots *r, emit_fn emit, void *ctx)
{
	const zend_executor_globals *eg = (const zend_executor_globals *)(uintptr_t)r->eg;
	const zend_compiler_globals *cg = (const zend_compiler_globals *)(uintptr_t)r->cg;
	zend_vm_stack s;
	uint64_t map_ptr;
	int n;

	emit(ctx, r->eg, r->eg + sizeof(zend_executor_globals));
	emit(ctx, r->cg, r->cg + sizeof(zend_compiler_globals));
	emit(ctx, r->bg, r->bg + sizeof(php_basic_globals));
	if (eg->objects_store.object_buckets != NULL) {
		uint64_t b = (uint64_t)(uintptr_t)eg->objects_store.object_buckets;
		emit(ctx, b, b + (uint64_t)eg->objects_store.size * sizeof(zend_object *));
	}
	for (s = eg->vm_stack, n = 0; s != NULL && n < RDUMP_WHOLE_CHAIN_MAX; s = s->prev, n++) {
		emit(ctx, (uint64_t)(uintptr_t)s, (uint64_t)(uintptr_t)s->end);
	}
	walk_arenas(cg->arena, emit, ctx);
	walk_arenas(cg->ast_arena, emit, ctx);
	map_ptr = RDUMP_MAP_PTR_TABLE(cg);
	if (map_ptr != 0) {
		emit(ctx, map_ptr, map_ptr + (uint64_t)cg->map_ptr_size * sizeof(void *));
	}
}

static void count_range(void *ctx, uint64_t start, uint64_t end)
{
	(void)start;
	(void)end;
	(*(size_t *)ctx)++;
}

typedef struct {
	rdump_whole *w;
	size_t capacity;
	uint64_t page;
} fill_ctx;

static void add_range(void *ctx, uint64_t start, uint64_t end)
{
	fill_ctx *f = ctx;
	if (end <= start || f->w->count == f->capacity) {
		return;
	}
	f->w->ranges[f->w->count].start = start & ~(f->page - 1);
	f->w->ranges[f->w->count].end = (end + f->page - 1) & ~(f->page - 1);
	f->w->count++;
}

static void sift_down(rdump_whole_range *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		rdump_whole_range t;
		if (child >= n) {
			return;
		}
		if (child + 1 < n && a[child + 1].start > a[child].start) {
			child++;
		}
		if (a[root].start >= a[child].start) {
			return;
		}
		t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

/* Heapsort by start (no allocation), then merge what overlaps or touches. */
static void sort_merge(rdump_whole *w)
{
	rdump_whole_range *a = w->ranges;
	size_t n = w->count, i, out;

	for (i = n / 2; i-- > 0;) {
		sift_down(a, i, n);
	}
	for (i = n; i-- > 1;) {
		rdump_whole_range t = a[0];
		a[0] = a[i];
		a[i] = t;
		sift_down(a, 0, i);
	}
	for (out = 0, i = 0; i < n; i++) {
		if (out > 0 && a[i].start <= a[out - 1].end) {
			if (a[i].end > a[out - 1].end) {
				a[out - 1].end = a[i].end;
			}
		} else {
			a[out++] = a[i];
		}
	}
	w->count = out;
}

void rdump_whole_init(rdump_whole *w)
{
	memset(w, 0, sizeof(*w));
}

int rdump_whole_collect(rdump_whole *w, const rdump_whole_roots *r)
{
	size_t n = 0;
	fill_ctx f;
	void *m;

	walk_globals(r, count_range, &n);
	walk_heap(r, count_range, &n);
	/* The walks count and fill the same structures: this thread is the
	 * one dumping, and no other thread allocates from its heap. */
	w->map_size = (n * sizeof(rdump_whole_range) + page_size() - 1) & ~(page_size() - 1);
	m = mmap(NULL, w->map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED) {
		w->map_size = 0;
		return -1;
	}
#ifdef MADV_DONTDUMP
	/* A flag of its own: no neighbouring mapping merges with it. */
	madvise(m, w->map_size, MADV_DONTDUMP);
#endif
	w->ranges = m;
	f.w = w;
	f.capacity = n;
	f.page = page_size();
	walk_globals(r, add_range, &f);
	walk_heap(r, add_range, &f);
	sort_merge(w);
	return 0;
}

uint64_t rdump_whole_skip(const rdump_whole *w, uint64_t addr)
{
	uint64_t start = (uint64_t)(uintptr_t)w->ranges;
	return w->map_size != 0 && addr >= start && addr < start + w->map_size ? start + w->map_size : addr;
}

void rdump_whole_free(rdump_whole *w)
{
	if (w->map_size != 0) {
		munmap(w->ranges, w->map_size);
	}
	rdump_whole_init(w);
}

/* ---- capture ------------------------------------------------------------ */

typedef struct {
	const rdump_whole *w;
	const rdump_vma *vma;
	int pagemap_fd, forked;
	rdump_opcache *oc;
	rdump_writer *out;
	rdump_error *err;
	size_t next;                /* the next range of the table to take */
	int open;                   /* a region is being put together */
	uint64_t start, end;        /* its extent */
	int holes;                  /* parts of it may be untouched */
	uint64_t cursor;            /* while writing it: bytes written up to */
	int failed;                 /* why take_run stopped the scan: an rdump_runs_rc */
} whole_ctx;

/* While writing a region with holes: a resident run inside it. */
static int write_run(void *arg, uint64_t start, uint64_t length)
{
	whole_ctx *c = arg;
	if (start > c->cursor && rdump_writer_region_zeros(c->out, start - c->cursor, c->err) != 0) {
		return -1;
	}
	if (rdump_writer_region_bytes(c->out, start, length, c->err) != 0) {
		return -1;
	}
	c->cursor = start + length;
	return 0;
}

/* The region put together is complete: write it, resident runs as
 * bytes and the rest as zeros (pagemap is asked again, over the region
 * only: the runs seen first were not kept). */
static int close_region(whole_ctx *c)
{
	rdump_vma part;
	int rc;

	if (!c->open) {
		return RDUMP_RUNS_DONE;
	}
	c->open = 0;
	if (!c->holes) {
		return rdump_writer_region(c->out, c->start, c->end - c->start, c->err) == 0 ? RDUMP_RUNS_DONE : RDUMP_RUNS_WRITE_FAILED;
	}
	if (rdump_writer_region_begin(c->out, c->start, c->end - c->start, c->err) != 0) {
		return RDUMP_RUNS_WRITE_FAILED;
	}
	part = *c->vma;
	part.start = c->start;
	part.end = c->end;
	c->cursor = c->start;
	rc = rdump_pagemap_runs(c->pagemap_fd, &part, c->forked, c->oc, write_run, c);
	if (rc != RDUMP_RUNS_DONE) {
		return rc;
	}
	if (c->cursor < c->end && rdump_writer_region_zeros(c->out, c->end - c->cursor, c->err) != 0) {
		return RDUMP_RUNS_WRITE_FAILED;
	}
	return RDUMP_RUNS_DONE;
}

/* Add [start, end) to the region being put together, or close that and
 * open another. Called in order of start. */
static int add_part(whole_ctx *c, uint64_t start, uint64_t end, int resident)
{
	int rc;
	if (c->open && start <= c->end) {
		if (end > c->end) {
			c->end = end;
		}
		c->holes |= !resident;
		return 0;
	}
	if ((rc = close_region(c)) != 0) {
		return rc;
	}
	c->open = 1;
	c->start = start;
	c->end = end;
	c->holes = !resident;
	return 0;
}

/* Ranges of the table that start below `limit`, clipped to the mapping. */
static int take_ranges(whole_ctx *c, uint64_t limit)
{
	while (c->next < c->w->count && c->w->ranges[c->next].start < limit) {
		const rdump_whole_range *r = &c->w->ranges[c->next++];
		uint64_t s = r->start > c->vma->start ? r->start : c->vma->start;
		uint64_t e = r->end < c->vma->end ? r->end : c->vma->end;
		int rc;
		if (s < e && (rc = add_part(c, s, e, 0)) != 0) {
			return rc;
		}
	}
	return 0;
}

static int take_run(void *arg, uint64_t start, uint64_t length)
{
	whole_ctx *c = arg;
	int rc = take_ranges(c, start);
	if (rc == 0) {
		rc = add_part(c, start, start + length, 1);
	}
	c->failed = rc;
	return rc;
}

/* The first range that ends above addr. */
static size_t first_range(const rdump_whole *w, uint64_t addr)
{
	size_t lo = 0, hi = w->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->ranges[mid].end <= addr) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

int rdump_whole_capture(const rdump_whole *w, int pagemap_fd, const rdump_vma *vma, int forked,
		rdump_opcache *oc, rdump_writer *out, rdump_error *err)
{
	whole_ctx c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.next = first_range(w, vma->start);
	if (c.next == w->count || w->ranges[c.next].start >= vma->end) {
		return RDUMP_RUNS_NOT_MINE;
	}
	c.w = w;
	c.vma = vma;
	c.pagemap_fd = pagemap_fd;
	c.forked = forked;
	c.oc = oc;
	c.out = out;
	c.err = err;
	rc = rdump_pagemap_runs(pagemap_fd, vma, forked, oc, take_run, &c);
	if (rc == RDUMP_RUNS_WRITE_FAILED) {
		return c.failed;
	}
	if (rc == RDUMP_RUNS_DONE) {
		rc = take_ranges(&c, vma->end);
	}
	if (rc == RDUMP_RUNS_DONE) {
		rc = close_region(&c);
	}
	return rc;
}
