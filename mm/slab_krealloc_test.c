// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of krealloc()'s own paths (mm/slab_krealloc.c): the frameless
 * krealloc() that keeps a kmalloc object which still fits and moves one
 * that grows (krealloc_move(), which gives the old object straight to its
 * tier), and krealloc_slow(), which takes everything else and refuses bad
 * pointers.  Cases of the slab suite (mm/slab_test.c).
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/page.h>

#include "slab.h"
#include "slab_test.h"

/* Every kmalloc class's size, and the sizes just past a tier's last class. */
static const size_t kr_sizes[] = { 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 };
#define KR_OBJS		200

static void kr_fill(u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(i * 13 + seed);
}

static bool kr_intact(const u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (u8)(i * 13 + seed))
			return false;
	return true;
}

/*
 * Growing moves the object to the next class (across the tier-1/tier-2
 * and tier-2/large boundaries too) with its contents, and frees the old
 * one to its tier: KR_OBJS objects of each class at once, more than a
 * tier-2 array or a thread list holds, so that the frees also overflow
 * into the slabs.  Nothing leaks and the slab lists stay consistent;
 * shrinking and growing within the class keep the object.
 */
void test_krealloc_move_tiers(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), err0 = kmem_error_count();
	static u8 *obj[KR_OBJS];

	for (unsigned int k = 0; k < ARRAY_SIZE(kr_sizes); k++) {
		size_t size = kr_sizes[k];
		unsigned int bad = 0, moved = 0, kept = 0;

		memset(obj, 0, sizeof(obj));
		for (unsigned int i = 0; i < KR_OBJS; i++) {
			obj[i] = kmalloc(size, GFP_KERNEL);
			KTEST_EXPECT_NOT_NULL(t, obj[i]);
			if (!obj[i])
				goto out;
			kr_fill(obj[i], size, (u8)(i + k));
		}
		for (unsigned int i = 0; i < KR_OBJS; i++) {
			u8 *p = obj[i], *q;

			/* Within the class, down and back up: the same object. */
			kept += krealloc(p, size / 2 + 1, GFP_KERNEL) == p;
			kept += krealloc(p, size, GFP_ATOMIC) == p;
			/* One byte more: the next class (or a large block). */
			q = krealloc(p, size + 1, i & 1 ? GFP_ATOMIC : GFP_KERNEL);
			KTEST_EXPECT_NOT_NULL(t, q);
			if (!q)
				goto out;	/* @p is intact and still obj[i] */
			moved += q != p;
			if (!kr_intact(q, size, (u8)(i + k)) || ksize(q) < size + 1)
				bad++;
			obj[i] = q;
		}
		KTEST_EXPECT_EQ(t, kept, 2U * KR_OBJS);
		KTEST_EXPECT_EQ(t, moved, (unsigned int)KR_OBJS);
		KTEST_EXPECT_EQ(t, bad, 0U);
		/* From the next class (or a large block) to 3 pages, then back down in place. */
		for (unsigned int i = 0; i < KR_OBJS; i += 50) {
			u8 *q = krealloc(obj[i], 3 * PAGE_SIZE, GFP_KERNEL);

			KTEST_EXPECT_NOT_NULL(t, q);
			if (!q)
				goto out;
			KTEST_EXPECT_TRUE(t, kr_intact(q, size, (u8)(i + k)));
			KTEST_EXPECT_TRUE(t, krealloc(q, 8, GFP_KERNEL) == q);
			obj[i] = q;
		}
		for (unsigned int i = 0; i < KR_OBJS; i++)
			kfree(obj[i]);
		if (t->failures)
			ktest_log(t, "size %zu: %u kept, %u moved, %u bad", size, kept, moved, bad);
	}
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
	return;
out:
	/* Out of memory: give back what the round holds, leak nothing. */
	for (unsigned int i = 0; i < KR_OBJS; i++)
		kfree(obj[i]);
}

#ifndef __HOSTED__
/* Skip the log up to its end; return the position after it. */
static u64 kr_log_end(void)
{
	static char line[256];
	u64 pos = log_buf_first_line();

	while (log_buf_read_line(&pos, line, sizeof(line)) >= 0)
		;
	return pos;
}

/* Is there a line from @pos on with both @a and @b? */
static bool kr_log_has(u64 pos, const char *a, const char *b)
{
	static char line[256];
	bool found = false;

	while (log_buf_read_line(&pos, line, sizeof(line)) >= 0)
		found |= strstr(line, a) && strstr(line, b);
	return found;
}
#endif

/*
 * krealloc() of a bad pointer returns NULL, counts one error and logs
 * "krealloc(<p>) from <caller>: <why>, refused", whatever path the
 * pointer takes: an interior pointer of a tier-1, tier-2 or large object
 * (not the start of an object), a typed cache's object (a kmem_cache
 * object, not from kmalloc), a stack or global address, a page of the page allocator, a large block freed
 * before (foreign, or already freed pages).  The objects are untouched.
 */
void test_krealloc_refused(struct ktest *t)
{
	static const char not_start[] = "not the start of an object";
	static const char foreign[] = "not a kmalloc/slab pointer";
	static const char typed_obj[] = "a kmem_cache object, not from kmalloc";
	unsigned long err0 = kmem_error_count(), base;
	static u64 global[4];
	u64 on_stack[2] = { 0, 0 };
	struct kmem_cache *c;
	struct page *pg;
	u8 *small, *mid, *big, *gone, *typed;
	struct {
		void *p;
		const char *why;
	} cases[9];
	unsigned int n = 0;
	unsigned int rs0 = slab_rs.count;
#ifndef __HOSTED__
	static char want[64];
	u64 pos = kr_log_end();
#endif

	if (IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "KASAN reports a freed block its own way");
	c = kmem_cache_create("kr_typed", 40, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	small = kmalloc(64, GFP_KERNEL);
	mid = kmalloc(1024, GFP_KERNEL);
	big = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	gone = kmalloc(5 * PAGE_SIZE, GFP_KERNEL);
	typed = kmem_cache_alloc(c, GFP_KERNEL);
	pg = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, small);
	KTEST_ASSERT_NOT_NULL(t, mid);
	KTEST_ASSERT_NOT_NULL(t, big);
	KTEST_ASSERT_NOT_NULL(t, gone);
	KTEST_ASSERT_NOT_NULL(t, typed);
	KTEST_ASSERT_NOT_NULL(t, pg);
	kfree(gone);
	memset(small, 0x5a, 64);
	memset(mid, 0x5a, 1024);
	base = ktest_settled_free_pages();

	cases[n].p = small + 16, cases[n++].why = not_start;
	cases[n].p = mid + 8, cases[n++].why = not_start;
	cases[n].p = mid + 512, cases[n++].why = not_start;
	cases[n].p = big + PAGE_SIZE, cases[n++].why = not_start;
	cases[n].p = typed, cases[n++].why = typed_obj;
	cases[n].p = on_stack, cases[n++].why = foreign;
	cases[n].p = global, cases[n++].why = foreign;
	cases[n].p = page_address(pg), cases[n++].why = foreign;
	cases[n].p = gone, cases[n++].why = foreign;	/* a double free */
	/* Every report must be logged (earlier cases report too). */
	WRITE_ONCE(slab_rs.count, 0);
	for (unsigned int i = 0; i < n; i++) {
		KTEST_EXPECT_NULL(t, krealloc(cases[i].p, 2000, GFP_KERNEL));
		KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + i + 1);
#ifndef __HOSTED__
		snprintf(want, sizeof(want), "krealloc(%p) from %s+", cases[i].p, __func__);
		if (!kr_log_has(pos, want, cases[i].why)) {
			KTEST_EXPECT_TRUE(t, false);
			ktest_log(t, "case %u: no report with \"%s\" and \"%s\"", i, want,
				  cases[i].why);
		}
		pos = kr_log_end();
#endif
	}
	WRITE_ONCE(slab_rs.count, rs0 + n);
	KTEST_EXPECT_TRUE(t, !memchr_inv(small, 0x5a, 64));
	KTEST_EXPECT_TRUE(t, !memchr_inv(mid, 0x5a, 1024));
	KTEST_EXPECT_EQ(t, ksize(small), 64UL);
	KTEST_EXPECT_EQ(t, ksize(mid), 1024UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
	__free_page(pg);
	kmem_cache_free(c, typed);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
	kfree(small);
	kfree(mid);
	kfree(big);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}
