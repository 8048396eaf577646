// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: sequences of kernel-allocator calls (mm/slab*.c, all three
 * tiers) on the hosted arena: kmalloc / kzalloc / kcalloc / krealloc /
 * kfree / kfree_checked / ksize, typed caches (kmem_cache_create /
 * _alloc / _free / _destroy), bad frees, drains, and moves of the calling
 * thread between four hosted CPUs (tier 2 is per CPU) and thread exits
 * (tier 1 is per thread; an exit flushes it).
 *
 * One host thread plays every CPU in turn, which is a legal kernel
 * schedule (a thread migrating between calls) and keeps runs
 * deterministic for libFuzzer.  A model keeps every live object: its
 * address, size, class or cache and a tag written over it.  Checked after
 * every step:
 *  - kmem_check() finds the slab lists and counters consistent;
 *  - every kmalloc class's and typed cache's in-use count equals the
 *    model's (plus what the allocator itself kmalloc()ed: the typed caches'
 *    descriptors, modelled too), kmalloc_large_pages() equals the model's;
 *  - no object overlaps another, every object is aligned as the contract
 *    says and ksize() >= its size; each keeps its tag (checked at both ends
 *    after every step, entirely when it is freed or reallocated);
 *  - krealloc() keeps min(old, new) bytes; kzalloc()/kcalloc() memory is 0;
 *  - a bad free (foreign pointer, interior pointer, double free of a page
 *    block, object of another cache, krealloc of a foreign pointer) returns
 *    the documented error, counts exactly one report and changes nothing
 *    (every cache's counters, the free-frame count);
 * built as slab_debug (CONFIG_SLAB_DEBUG=1): a slab object freed twice is
 * refused with -ENOENT the same way, and an object whose red zone was
 * overwritten is freed with -EBADMSG and one report;
 * and at the end of the input everything is freed, the typed caches are
 * destroyed, every thread cache and CPU array drained: the free-frame count
 * is back at its value after initialisation (no leak).
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <asm/hosted.h>
#include <asm/page.h>
#include <asm/percpu.h>

#include "fuzz.h"

#define NR_FCPUS	4
#define MAX_OBJS	48
#define MAX_CACHES	4
#define NR_CLASSES	9		/* kmalloc-16 .. kmalloc-4k */
#define BIG_FILL	16384		/* objects larger are tagged sparsely */

struct obj {
	u8 *p;
	size_t size;		/* requested */
	int cache;		/* -1: kmalloc */
	u64 tag;
};

struct tcache {
	struct kmem_cache *c;
	size_t size, align;
	unsigned int live;
	int cls;		/* kmalloc class of the descriptor, -1: pages */
	size_t desc_pages;	/* pages of the descriptor if large */
};

static struct obj objs[MAX_OBJS];
static unsigned int nobjs;
static struct tcache caches[MAX_CACHES];
static unsigned long base_free;		/* free frames after init + drain */
static unsigned long base_inuse[NR_CLASSES];
static u64 tag_seq;
static int cur_cpu;
static u8 foreign_buf[256] __attribute__((aligned(4096)));
static phys_addr_t foreign_frame;

static const char *const cache_names[MAX_CACHES] = { "fz0", "fz1", "fz2", "fz3" };

static int class_of(size_t size)
{
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return -1;
	return (int)order_base_2(max_t(size_t, size, KMALLOC_MIN_SIZE)) - 4;
}

static size_t large_pages_of(size_t size)
{
	return 1UL << order_base_2(DIV_ROUND_UP(size, PAGE_SIZE));
}

static u8 tag_byte(u64 tag, size_t i)
{
	return (u8)(tag ^ (tag >> 8) ^ (i * 0x9d));
}

static void fill(struct obj *o)
{
	if (o->size <= BIG_FILL) {
		for (size_t i = 0; i < o->size; i++)
			o->p[i] = tag_byte(o->tag, i);
		return;
	}
	for (size_t i = 0; i < o->size; i += 509)
		o->p[i] = tag_byte(o->tag, i);
	o->p[o->size - 1] = tag_byte(o->tag, o->size - 1);
}

/* Bytes [from, to) of @o still hold its tag. */
static bool tagged(const struct obj *o, size_t from, size_t to)
{
	size_t step = o->size <= BIG_FILL ? 1 : 509;

	for (size_t i = from - from % step; i < to; i += step)
		if (i >= from && o->p[i] != tag_byte(o->tag, i))
			return false;
	if (step > 1 && to == o->size && to > from)
		return o->p[to - 1] == tag_byte(o->tag, to - 1);
	return true;
}

static bool ends_tagged(const struct obj *o)
{
	if (!o->size)
		return true;
	if (o->size <= BIG_FILL)
		return o->p[0] == tag_byte(o->tag, 0) &&
		       o->p[o->size - 1] == tag_byte(o->tag, o->size - 1);
	return tagged(o, 0, 1) && o->p[o->size - 1] == tag_byte(o->tag, o->size - 1);
}

static bool real_obj(const struct obj *o)
{
	return !ZERO_OR_NULL_PTR(o->p);
}

/* Alignment the contract promises for an object of @size. */
static size_t want_align(const struct obj *o)
{
	if (o->cache >= 0)
		return max_t(size_t, caches[o->cache].align, 8);
	if (o->size > KMALLOC_MAX_CACHE_SIZE)
		return PAGE_SIZE;
	if (is_power_of_2(o->size))
		return max_t(size_t, o->size, 16);
	return 16;
}

/* A new object: inside the arena, aligned, overlapping no live one. */
static void check_new(const struct obj *o)
{
	uintptr_t a = (uintptr_t)o->p;

	FUZZ_CHECK(a >= (uintptr_t)hosted_ram_base &&
		   a + o->size <= (uintptr_t)hosted_ram_base + hosted_arena_size);
	FUZZ_CHECK(!(a & (want_align(o) - 1)));
	for (unsigned int i = 0; i < nobjs; i++) {
		uintptr_t b = (uintptr_t)objs[i].p;

		if (&objs[i] == o || !real_obj(&objs[i]))
			continue;
		FUZZ_CHECK(a + max_t(size_t, o->size, 1) <= b ||
			   b + max_t(size_t, objs[i].size, 1) <= a);
	}
	if (o->cache < 0)
		FUZZ_CHECK(ksize(o->p) >= o->size);
}

static void add(u8 *p, size_t size, int cache, bool zeroed)
{
	struct obj *o = &objs[nobjs];

	*o = (struct obj){ p, size, cache, ++tag_seq * 0x9e3779b97f4a7c15ULL };
	if (!real_obj(o))
		FUZZ_CHECK(size == 0 && p == ZERO_SIZE_PTR);
	nobjs++;
	if (!real_obj(o))
		return;
	check_new(o);
	if (zeroed)
		for (size_t i = 0; i < size; i++)
			FUZZ_CHECK(!p[i]);
	fill(o);
	if (cache >= 0)
		caches[cache].live++;
}

static void drop(unsigned int i)
{
	if (real_obj(&objs[i])) {
		FUZZ_CHECK(tagged(&objs[i], 0, objs[i].size));
		if (objs[i].cache >= 0)
			caches[objs[i].cache].live--;
	}
	objs[i] = objs[--nobjs];
}

/* Everything the allocator exposes that a rejected call must not change. */
struct snapshot {
	unsigned long nfree, large, errors;
	struct { unsigned long slabs, slab_free, cached, inuse; } c[NR_CLASSES + MAX_CACHES];
};

static void snap_one(struct kmem_cache *c, struct snapshot *s, unsigned int i)
{
	struct kmem_cache_stats st;

	kmem_cache_get_stats(c, -1, &st);
	s->c[i].slabs = st.slabs;
	s->c[i].slab_free = st.objs_slab_free;
	s->c[i].cached = st.objs_cached;
	s->c[i].inuse = st.objs_inuse;
}

static void snap(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->nfree = nr_free_pages();
	s->large = kmalloc_large_pages();
	s->errors = kmem_error_count();
	for (unsigned int i = 0; i < NR_CLASSES; i++)
		snap_one(kmalloc_cache(16UL << i), s, i);
	for (unsigned int i = 0; i < MAX_CACHES; i++)
		if (caches[i].c)
			snap_one(caches[i].c, s, NR_CLASSES + i);
}

static void check(void)
{
	unsigned long want[NR_CLASSES], large = 0;
	unsigned int ctyped[MAX_CACHES] = { 0 };
	struct kmem_cache_stats st;

	FUZZ_CHECK(kmem_check() == 0);
	memcpy(want, base_inuse, sizeof(want));
	for (unsigned int i = 0; i < MAX_CACHES; i++) {
		if (!caches[i].c)
			continue;
		if (caches[i].cls >= 0)
			want[caches[i].cls]++;
		else
			large += caches[i].desc_pages;
	}
	for (unsigned int i = 0; i < nobjs; i++) {
		const struct obj *o = &objs[i];

		if (!real_obj(o))
			continue;
		FUZZ_CHECK(ends_tagged(o));
		/*
		 * By the usable size: krealloc() keeps an object whose
		 * block still fits, so its class is not the last size's.
		 */
		if (o->cache >= 0)
			ctyped[o->cache]++;
		else if (ksize(o->p) > KMALLOC_MAX_CACHE_SIZE)
			large += large_pages_of(ksize(o->p));
		else
			want[class_of(ksize(o->p))]++;
	}
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		kmem_cache_get_stats(kmalloc_cache(16UL << i), -1, &st);
		FUZZ_CHECK(st.objs_inuse == want[i]);
	}
	for (unsigned int i = 0; i < MAX_CACHES; i++) {
		if (!caches[i].c)
			continue;
		kmem_cache_get_stats(caches[i].c, -1, &st);
		FUZZ_CHECK(st.objs_inuse == ctyped[i] && ctyped[i] == caches[i].live);
	}
	FUZZ_CHECK(kmalloc_large_pages() == large);
}

/* A rejected call: exactly one report, nothing else changed. */
static void expect_refused(const struct snapshot *before)
{
	struct snapshot after;

	snap(&after);
	FUZZ_CHECK(after.errors == before->errors + 1);
	after.errors = before->errors;
	FUZZ_CHECK(!memcmp(before, &after, sizeof(after)));
}

static size_t pick_size(struct fuzz_stream *s)
{
	u8 mode = fuzz_u8(s);
	u16 r = fuzz_u16(s);

	switch (mode % 8) {
	case 0:
	case 1:
		return 1 + r % KMALLOC_TIER1_MAX;			/* tier 1 */
	case 2:
	case 3:
		return KMALLOC_TIER1_MAX + 1 + r % (KMALLOC_MAX_CACHE_SIZE - KMALLOC_TIER1_MAX);
	case 4:
		return KMALLOC_MAX_CACHE_SIZE + 1 + r % (60 * 1024);	/* tier 3 */
	case 5:
		return 1UL << (r % 17);				/* powers of two */
	case 6:
		return (1UL << (4 + r % 13)) + (r & 0x100 ? 1 : -1);	/* class edges */
	default:
		if (r % 8 == 0)
			return 0;
		if (r % 8 == 1)
			return (PAGE_SIZE << MAX_ORDER) + 1 + r;	/* absurd: NULL */
		if (r % 8 == 2)
			return SIZE_MAX - r;
		return 1 + r % 64;
	}
}

static bool absurd(size_t size)
{
	return size > (PAGE_SIZE << MAX_ORDER);
}

static void op_alloc(struct fuzz_stream *s, unsigned int how)
{
	size_t size = pick_size(s), n = 1;
	u8 *p;

	if (nobjs == MAX_OBJS)
		return;
	if (how == 2) {		/* kcalloc: split size into n * elem, or overflow */
		u8 k = fuzz_u8(s);

		if (k == 0xff) {
			FUZZ_CHECK(kcalloc(SIZE_MAX / 2, 3, GFP_KERNEL) == NULL);
			return;
		}
		n = 1 + k % 8;
		size = size / n;
		p = kcalloc(n, size, GFP_KERNEL);
		size *= n;
	} else {
		p = how ? kzalloc(size, GFP_KERNEL) : kmalloc(size, GFP_KERNEL);
	}
	if (absurd(size)) {
		FUZZ_CHECK(p == NULL);
		return;
	}
	FUZZ_CHECK(p != NULL);
	add(p, size, -1, how != 0);
}

static int pick_obj(struct fuzz_stream *s, bool typed)
{
	unsigned int r = fuzz_u8(s);

	for (unsigned int k = 0; k < nobjs; k++) {
		unsigned int i = (r + k) % nobjs;

		if ((objs[i].cache >= 0) == typed)
			return (int)i;
	}
	return -1;
}

static void op_free(struct fuzz_stream *s)
{
	int i = pick_obj(s, false);
	u8 *p;
	bool large;

	if (i < 0)
		return;
	p = objs[i].p;
	/* By the block, not the size: krealloc() may have shrunk it in place. */
	large = real_obj(&objs[i]) && ksize(p) > KMALLOC_MAX_CACHE_SIZE;
	drop((unsigned int)i);
	if (fuzz_u8(s) & 1) {
		kfree(p);
	} else {
		FUZZ_CHECK(kfree_checked(p) == 0);
	}
	if (IS_ENABLED(CONFIG_SLAB_DEBUG) && !large && !ZERO_OR_NULL_PTR(p)) {
		struct snapshot b;	/* slab_debug: a slab double free is caught too */

		snap(&b);
		FUZZ_CHECK(kfree_checked(p) == -ENOENT);
		expect_refused(&b);
	}
	if (large) {		/* a page block's double free is always caught */
		struct snapshot b;

		/*
		 * -EFAULT: a freed block is no longer a kmalloc block
		 * ("not a kmalloc/slab pointer (foreign, or already freed
		 * pages)").  <exo/slab.h> documents -ENOENT for this case.
		 */
		snap(&b);
		FUZZ_CHECK(kfree_checked(p) == -EFAULT);
		expect_refused(&b);
	}
}

static void op_realloc(struct fuzz_stream *s)
{
	int i = pick_obj(s, false);
	size_t size = pick_size(s);
	struct obj old;
	u8 *p;

	if (i < 0) {
		if (nobjs == MAX_OBJS)
			return;
		p = krealloc(NULL, size, GFP_KERNEL);	/* = kmalloc */
		if (absurd(size)) {
			FUZZ_CHECK(!p);
			return;
		}
		FUZZ_CHECK(p);
		add(p, size, -1, false);
		return;
	}
	old = objs[i];
	FUZZ_CHECK(tagged(&old, 0, old.size));
	p = krealloc(old.p, size, GFP_KERNEL);
	if (!size) {
		FUZZ_CHECK(p == ZERO_SIZE_PTR);
	} else if (absurd(size)) {
		FUZZ_CHECK(!p);		/* the old object is untouched */
		return;
	} else {
		FUZZ_CHECK(p);
	}
	if (old.cache >= 0)
		caches[old.cache].live--;
	objs[i] = objs[--nobjs];
	if (size) {
		/* The kept prefix holds the old tag where the old object had one. */
		size_t keep = min(size, old.size), step = old.size <= BIG_FILL ? 1 : 509;

		for (size_t k = 0; k < keep; k += step)
			FUZZ_CHECK(p[k] == tag_byte(old.tag, k));
	}
	add(p, size, -1, false);
}

static void op_cache_create(struct fuzz_stream *s)
{
	unsigned int slot = fuzz_u8(s) % MAX_CACHES;
	u16 r = fuzz_u16(s);
	size_t size = 1 + r % KMALLOC_MAX_CACHE_SIZE;
	size_t align = (r >> 12) < 13 ? 1UL << (r >> 12) : 0;
	unsigned int flags = fuzz_u8(s);
	bool bad = flags & 0x80;
	struct kmem_cache *c;
	struct snapshot b;

	if (caches[slot].c)
		return;
	if (bad) {		/* every bad argument: NULL, logged, nothing changed */
		snap(&b);
		switch (flags % 5) {
		case 0:
			c = kmem_cache_create(cache_names[slot], 0, 0, 0, NULL);
			break;
		case 1:
			c = kmem_cache_create(cache_names[slot], KMALLOC_MAX_CACHE_SIZE + 1 + r, 0, 0, NULL);
			break;
		case 2:
			c = kmem_cache_create(cache_names[slot], size, 3 + 2 * (r % 100), 0, NULL);
			break;
		case 3:
			c = kmem_cache_create(cache_names[slot], size, 0, 0x4u << (r % 28), NULL);
			break;
		default:
			c = kmem_cache_create(NULL, size, 0, 0, NULL);
			break;
		}
		FUZZ_CHECK(c == NULL);
		{
			struct snapshot a;

			snap(&a);
			FUZZ_CHECK(!memcmp(&a, &b, sizeof(a)));
		}
		return;
	}
	flags &= SLAB_HWCACHE_ALIGN | SLAB_NO_TIER2;
	c = kmem_cache_create(cache_names[slot], size, align, flags, NULL);
	FUZZ_CHECK(c != NULL);
	FUZZ_CHECK(kmem_cache_size(c) == size);
	caches[slot] = (struct tcache){ c, size, align, 0, class_of(ksize(c)), 0 };
	if (flags & SLAB_HWCACHE_ALIGN)
		caches[slot].align = max_t(size_t, align, 64);
	if (caches[slot].cls < 0)
		caches[slot].desc_pages = ksize(c) / PAGE_SIZE;
}

static void op_cache_alloc(struct fuzz_stream *s)
{
	unsigned int slot = fuzz_u8(s) % MAX_CACHES;
	u8 *p;

	if (!caches[slot].c || nobjs == MAX_OBJS)
		return;
	p = kmem_cache_alloc(caches[slot].c, GFP_KERNEL);
	FUZZ_CHECK(p != NULL);
	add(p, caches[slot].size, (int)slot, false);
}

static void op_cache_free(struct fuzz_stream *s)
{
	int i = pick_obj(s, true);
	struct kmem_cache *c;
	u8 *p;

	if (i < 0)
		return;
	c = caches[objs[i].cache].c;
	p = objs[i].p;
	drop((unsigned int)i);
	kmem_cache_free(c, p);
}

static void op_cache_destroy(struct fuzz_stream *s)
{
	unsigned int slot = fuzz_u8(s) % MAX_CACHES;
	int err;

	if (!caches[slot].c)
		return;
	err = kmem_cache_destroy(caches[slot].c);
	if (caches[slot].live) {
		FUZZ_CHECK(err == -EBUSY);
		return;
	}
	FUZZ_CHECK(err == 0);
	caches[slot].c = NULL;
}

/* Bad frees: the contract's error, one report, nothing changed. */
static void op_bad(struct fuzz_stream *s)
{
	u8 kind = fuzz_u8(s) % 7;
	u16 r = fuzz_u16(s);
	int i = pick_obj(s, kind == 5);
	struct snapshot b;
	const void *p;
	int want;

	switch (kind) {
	case 0:			/* a harness buffer: not in the arena */
		p = foreign_buf + (r % sizeof(foreign_buf));
		want = -EFAULT;
		break;
	case 1:			/* an arena frame the page allocator gave out */
		p = (u8 *)phys_to_virt(foreign_frame) + (r % 8) * 16;
		want = -EFAULT;
		break;
	case 2:			/* beyond RAM (never dereferenced) */
		p = (u8 *)hosted_ram_base + hosted_arena_size + (size_t)r * PAGE_SIZE;
		want = -EFAULT;
		break;
	case 3:			/* inside a live object */
	case 4:
		if (i < 0 || !real_obj(&objs[i]) || objs[i].size < 2)
			return;
		p = objs[i].p + 1 + r % (objs[i].size - 1);
		want = -EINVAL;
		if (objs[i].cache >= 0 && kind == 4)
			return;
		break;
	case 5: {		/* an object of a typed cache freed to another cache */
		unsigned int other;

		if (i < 0)
			return;
		other = (unsigned int)(objs[i].cache + 1 + r % (MAX_CACHES - 1)) % MAX_CACHES;
		if (!caches[other].c)
			return;
		snap(&b);
		kmem_cache_free(caches[other].c, objs[i].p);
		expect_refused(&b);
		return;
	}
	default:		/* krealloc of a foreign pointer: NULL, nothing freed */
		snap(&b);
		FUZZ_CHECK(krealloc(foreign_buf + (r & 0xf0), 1 + r % 5000, GFP_KERNEL) == NULL);
		expect_refused(&b);
		return;
	}
	snap(&b);
	if (r & 0x8000) {
		kfree(p);
	} else {
		FUZZ_CHECK(kfree_checked(p) == want);
	}
	expect_refused(&b);
	if (kind == 3) {	/* ksize of it: 0, reported, nothing changed */
		snap(&b);
		FUZZ_CHECK(ksize(p) == 0);
		expect_refused(&b);
	}
}

/*
 * slab_debug only: overwrite the red zone just past a slab object's class
 * size; the free reports it once, returns -EBADMSG, and frees the object.
 */
static void op_redzone(struct fuzz_stream *s)
{
	int i = pick_obj(s, false);
	u8 *p;
	size_t end;

	if (!IS_ENABLED(CONFIG_SLAB_DEBUG) || i < 0 || !real_obj(&objs[i]) ||
	    ksize(objs[i].p) > KMALLOC_MAX_CACHE_SIZE)
		return;
	p = objs[i].p;
	end = ksize(p);
	drop((unsigned int)i);
	p[end] ^= 0x5a;
	{
		unsigned long errors = kmem_error_count();

		FUZZ_CHECK(kfree_checked(p) == -EBADMSG);
		FUZZ_CHECK(kmem_error_count() == errors + 1);
	}
}

static void move_to(int cpu)
{
	cur_cpu = cpu;
	hosted_set_cpu(cpu);
}

/* The thread on this CPU exits (flushing tier 1) and a new one starts. */
static void thread_exit(void)
{
	hosted_task_end();
	hosted_task_begin("fuzz");
}

static void drain_everything(void)
{
	for (int cpu = NR_FCPUS - 1; cpu >= 0; cpu--) {
		move_to(cpu);
		thread_exit();
	}
	kmem_drain_all();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	console_loglevel = 0;
	/* Every CPU's area before the allocators have per-CPU state to copy. */
	for (int cpu = NR_FCPUS - 1; cpu >= 0; cpu--)
		hosted_set_cpu(cpu);
	FUZZ_CHECK(hosted_mm_init(NULL) == 0);
	kmem_cache_init();
	for (int cpu = NR_FCPUS - 1; cpu >= 0; cpu--) {
		move_to(cpu);
		hosted_task_begin("fuzz");
	}
	FUZZ_CHECK(alloc_frame(&foreign_frame) == 0);
	drain_everything();
	base_free = nr_free_pages();
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		struct kmem_cache_stats st;

		kmem_cache_get_stats(kmalloc_cache(16UL << i), -1, &st);
		base_inuse[i] = st.objs_inuse;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_stream s = { data, data + size };
	unsigned int steps = 0;

	nobjs = 0;
	memset(caches, 0, sizeof(caches));
	check();
	while (fuzz_more(&s) && steps++ < 1000) {
		u8 op = fuzz_u8(&s);

		switch (op % 16) {
		case 0:
		case 1:
		case 2:
			op_alloc(&s, 0);
			break;
		case 3:
			op_alloc(&s, 1 + (op >> 7));	/* kzalloc, kcalloc */
			break;
		case 4:
		case 5:
		case 6:
			op_free(&s);
			break;
		case 7:
			op_realloc(&s);
			break;
		case 8:
			op_cache_create(&s);
			break;
		case 9:
			op_cache_alloc(&s);
			break;
		case 10:
			op_cache_free(&s);
			break;
		case 11:
			op_cache_destroy(&s);
			break;
		case 12:
			op_bad(&s);
			break;
		case 13:
			move_to((op >> 4) % NR_FCPUS);
			break;
		case 14:
			if (IS_ENABLED(CONFIG_SLAB_DEBUG) && (op & 0x40))
				op_redzone(&s);
			else if (op & 0x80)
				thread_exit();
			else
				kmem_flush_current();
			break;
		default:
			if (op & 0x80) {
				kmem_drain_all();
			} else {
				int other = (cur_cpu + 1 + ((op >> 4) & 3) % (NR_FCPUS - 1)) % NR_FCPUS;

				kmem_drain_cpu((unsigned int)other);	/* no thread runs there now */
			}
			break;
		}
		check();
	}
	/* Tear down in a fuzzer-chosen order: the model's order. */
	while (nobjs) {
		struct obj o = objs[nobjs - 1];

		drop(nobjs - 1);
		if (o.cache >= 0)
			kmem_cache_free(caches[o.cache].c, o.p);
		else
			kfree(o.p);
	}
	for (unsigned int i = 0; i < MAX_CACHES; i++)
		if (caches[i].c)
			FUZZ_CHECK(kmem_cache_destroy(caches[i].c) == 0);
	memset(caches, 0, sizeof(caches));
	check();
	drain_everything();
	FUZZ_CHECK(nr_free_pages() == base_free);
	FUZZ_CHECK(kmem_check() == 0);
	return 0;
}
