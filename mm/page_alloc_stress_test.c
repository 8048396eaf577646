// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the frame allocator under load: drains of long runs, random
 * sequences with the invariants checked as they go, every CPU allocating
 * and freeing at once, and racing double frees.  Cases of the page_alloc suite
 * (mm/page_alloc_test.c), kernel and hosted alike.
 */
#include <exo/atomic.h>
#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/memblock.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/vmalloc.h>
#include <asm/page.h>

#include "page_alloc_test.h"

#ifdef __HOSTED__
#include <asm/hosted.h>
#define RANDOM_OPS	2000000UL
#define RANDOM_CHECK	8192UL		/* full consistency check period */
#define STRESS_NS	(1000 * NSEC_PER_MSEC)
#define STRESS_CPUS	{ 2, NR_CPUS - 1 }
#define STRESS_NCPU(n)	(n)
#else
#define RANDOM_OPS	20000UL
#define RANDOM_CHECK	1000UL
#define STRESS_NS	(3000 * NSEC_PER_MSEC)
#define STRESS_CPUS	{ 0 }		/* every online CPU */
#define STRESS_PER_CPU	2		/* threads per CPU */
#define STRESS_NCPU(n)	num_online_cpus()
#endif

#define PA_BAD	((phys_addr_t)0x123)	/* an address nobody allocates */

/* ---------------------------------------------------------------------
 * Random sequences with invariants checked after every step
 */

struct live_block {
	phys_addr_t base;
	unsigned int count;	/* frames */
	unsigned int kind;	/* how it was allocated */
};

enum { K_FRAME, K_PAGES, K_CONTIG };

/* Live blocks (~34 frames each on average): keep a kernel's RAM mostly free. */
#ifdef __HOSTED__
#define MAX_LIVE	4096
#else
#define MAX_LIVE	512
#endif

/*
 * The shadow bitmap has a bit per frame of [0, max_pfn): above 512 GiB of
 * address space that is more than one buddy block, so the kernel maps it
 * with vmalloc(); hosted machines are small.
 */
static unsigned long *shadow_alloc(size_t bytes)
{
#ifdef __HOSTED__
	phys_addr_t pa;

	return alloc_contiguous(DIV_ROUND_UP(bytes, PAGE_SIZE), &pa) ? NULL : phys_to_virt(pa);
#else
	return vmalloc(bytes);
#endif
}

static void shadow_free(unsigned long *shadow, size_t bytes)
{
#ifdef __HOSTED__
	free_contiguous(virt_to_phys(shadow), DIV_ROUND_UP(bytes, PAGE_SIZE));
#else
	(void)bytes;
	vfree(shadow);
#endif
}

/*
 * A drain finds runs of neighbouring blocks, ascending four at a time or
 * one at a time, and descending the same way, and stops at the end of its
 * batch.  Free a whole instance of blocks of @order in runs of 1 to 9
 * blocks, alternately ascending and descending, so that runs start, turn
 * and break at every position of a group of four.  There are more blocks
 * than the ring's high-water mark plus two batches, so most frees push
 * the ring past its mark and drain a batch whose end cuts a run.  Then
 * drain the rest: every frame must be back exactly once, merged as before.
 */
/* Free blocks of @order on the lists of all the zones of @fp. */
static unsigned long fp_order_nr(const struct free_area_fingerprint *fp, unsigned int order)
{
	unsigned long nr = 0;

	for (unsigned int z = 0; z < MAX_NR_ZONES; z++)
		nr += fp->nr[z][order];
	return nr;
}

static void drain_runs_in(struct ktest *t, struct buddy_test_instance *bi, unsigned int order)
{
	unsigned int r = pcp_ring(order);
	unsigned long n = 1UL << order_base_2(PCP_RING_HIGH(r) + 2 * PCP_BATCH_BLOCKS(order));
	unsigned long size = 1UL << order, base = ~0UL, i, j, len;
	struct free_area_fingerprint before, after;
	struct page_alloc_cpu_stats s0, s1;
	bool down = false;
	phys_addr_t f;

	if (order_base_2(n) + order > MAX_ORDER)
		KTEST_SKIP(t, "PCP_HIGH too large for one instance");
	KTEST_ASSERT_EQ(t, buddy_test_init(bi, order_base_2(n) + order), 0);
	buddy_test_fingerprint(bi, &before);
	for (i = 0; i < n; i++) {
		KTEST_ASSERT_EQ(t, buddy_test_alloc_contiguous(bi, size, &f), 0);
		base = min(base, (unsigned long)f);
	}
	buddy_test_stats(bi, &s0);
	for (i = 0, len = 1; i < n; i += len, len = len % 9 + 1, down = !down) {
		len = min(len, n - i);
		for (j = 0; j < len; j++) {
			unsigned long k = down ? i + len - 1 - j : i + j;

			KTEST_EXPECT_EQ(t, buddy_test_free_contiguous(bi, base + PFN_PHYS(k * size),
								      size), 0);
		}
	}
	buddy_test_stats(bi, &s1);
	/* The ring stopped at its mark: the frees drained batches. */
	KTEST_EXPECT_GE(t, s1.pcp_drains - s0.pcp_drains, 2);
	KTEST_EXPECT_LE(t, buddy_test_pcp_count(bi, order), PCP_RING_HIGH(r));
	KTEST_EXPECT_EQ(t, buddy_test_nr_free(bi), n * size);
	KTEST_EXPECT_EQ(t, buddy_test_check(bi), 0);
	buddy_test_drain(bi);
	buddy_test_fingerprint(bi, &after);
	KTEST_EXPECT_TRUE(t, fp_equal(&before, &after));
	KTEST_EXPECT_EQ(t, buddy_test_nr_free(bi), n * size);
	KTEST_EXPECT_EQ(t, buddy_test_check(bi), 0);
	KTEST_EXPECT_EQ(t, buddy_test_destroy(bi), 0);
}

/*
 * A drain that reads past its batch's end can never stop: it walks on
 * from the ring through whatever follows, freeing what it reads.  The
 * ring's slots end the instance, placed at the end of its mapping (in
 * the kernel a vmalloc() guard page follows): such a walk faults at once.
 */
static void drain_runs(struct ktest *t, unsigned int order)
{
	size_t bytes = ALIGN(sizeof(struct buddy_test_instance), PAGE_SIZE);
	unsigned long *mem = shadow_alloc(bytes);

	BUILD_BUG_ON(sizeof(struct buddy_test_instance) -
		     offsetof(struct buddy_test_instance, pageset.pcp.slots[PCP_SLOTS]) > 16);
	KTEST_ASSERT_NOT_NULL(t, mem);
	drain_runs_in(t, (void *)((char *)mem + bytes - sizeof(struct buddy_test_instance)), order);
	shadow_free(mem, bytes);
}

void test_pcp_drain_runs(struct ktest *t)
{
	for (unsigned int order = 0; order <= PCP_MAX_ORDER; order++)
		drain_runs(t, order);
}

/*
 * A refill's block freed back in any order is still one block: when it is
 * the oldest in the ring, the drain at the ring's mark takes all of it
 * (the batch and the one block after it) and the zone gets it whole, as
 * for blocks freed in address order.  Here the i-th free of each block is
 * its frame i * 5 % refill, so that no two frames freed in a row are
 * neighbours.  The oldest frames of two refills interleaved are not one
 * block: that drain takes its batch and what continues its last run.
 * Every frame comes back exactly once, the zone merged as before.
 */
void test_pcp_drain_shuffled(struct ktest *t)
{
	static struct buddy_test_instance bi;
	const unsigned long refill = PCP_REFILL_BLOCKS(0), half = refill / 2;
	unsigned long n = 1UL << order_base_2(PCP_HIGH + 3 * refill), base = ~0UL, i, k, nb;
	const unsigned int ro = order_base_2(refill);
	struct free_area_fingerprint before, after, f0, f1;
	struct page_alloc_cpu_stats s0, s1, sd;
	phys_addr_t f;

	if (order_base_2(n) > MAX_ORDER)
		KTEST_SKIP(t, "PCP_HIGH too large for one instance");
	/* The first drain must come after the three blocks freed first. */
	if (PCP_HIGH <= 3 * refill)
		KTEST_SKIP(t, "PCP_HIGH not above three refill blocks");
	KTEST_ASSERT_EQ(t, buddy_test_init(&bi, order_base_2(n)), 0);
	buddy_test_fingerprint(&bi, &before);
	for (i = 0; i < n; i++) {
		KTEST_ASSERT_EQ(t, buddy_test_alloc_frame(&bi, &f), 0);
		base = min(base, (unsigned long)PHYS_PFN(f));
	}
	KTEST_EXPECT_EQ(t, base & (refill - 1), 0);
	nb = n / refill;
	buddy_test_stats(&bi, &s0);
	/* Block 0 shuffled, then blocks 1 and 2 interleaved by halves, then the rest. */
	for (i = 0; i < refill; i++)
		KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, PFN_PHYS(base + i * 5 % refill)), 0);
	for (k = 0; k < 2 * refill; k++) {
		unsigned long blk = 1 + (k / half) % 2, off = (k / refill) * half + k % half;

		KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, PFN_PHYS(base + blk * refill + off)), 0);
	}
	for (k = 3; k < nb; k++) {
		for (i = 0; i < refill; i++) {
			unsigned long pfn = base + k * refill + i * 5 % refill;
			bool first_drain = k * refill + i + 1 == PCP_HIGH;

			if (first_drain) {
				buddy_test_stats(&bi, &sd);
				buddy_test_fingerprint(&bi, &f0);
			}
			KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, PFN_PHYS(pfn)), 0);
			if (!first_drain)
				continue;
			/* The first drain: block 0, all of it, one free block of the zone. */
			buddy_test_stats(&bi, &s1);
			buddy_test_fingerprint(&bi, &f1);
			KTEST_EXPECT_EQ(t, s1.pcp_drains - s0.pcp_drains, 1);
			KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), PCP_HIGH - refill);
			KTEST_EXPECT_EQ(t, s1.merges - sd.merges, refill - 1);
			for (unsigned int o = 0; o <= MAX_ORDER; o++)
				KTEST_EXPECT_EQ(t, fp_order_nr(&f1, o) - fp_order_nr(&f0, o),
						o == ro ? 1 : 0);
			KTEST_EXPECT_EQ(t, buddy_test_check(&bi), 0);
		}
	}
	/* Still a double free once drained, and once cached. */
	KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, PFN_PHYS(base + 3)), -ENOENT);
	KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, PFN_PHYS(base + n - 1)), -ENOENT);
	buddy_test_stats(&bi, &s1);
	KTEST_EXPECT_GE(t, s1.pcp_drains - s0.pcp_drains, 2);
	KTEST_EXPECT_EQ(t, buddy_test_nr_free(&bi), n);
	KTEST_EXPECT_EQ(t, buddy_test_check(&bi), 0);
	buddy_test_drain(&bi);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), 0);
	buddy_test_fingerprint(&bi, &after);
	KTEST_EXPECT_TRUE(t, fp_equal(&before, &after));
	KTEST_EXPECT_EQ(t, buddy_test_check(&bi), 0);
	KTEST_EXPECT_EQ(t, buddy_test_destroy(&bi), 0);
}

/*
 * free_frame() filling this CPU's real cache to its mark drains it there
 * (frame_ring_full()): the ring stays under the mark, every frame comes
 * back once (double frees still -ENOENT, drained or cached), and the
 * cache empties on a drain.
 */
void test_pcp_local_mark(struct ktest *t)
{
	static phys_addr_t frames[PCP_HIGH + PCP_REFILL_BLOCKS(0)];
	const unsigned int n = ARRAY_SIZE(frames);
	struct page_alloc_cpu_stats s0, s1;
	unsigned long flags, cached;
	unsigned int cpu, i;

	local_irq_save(flags);
	cpu = smp_processor_id();
	drain_local_pages();
	for (i = 0; i < n; i++)
		if (alloc_frame(&frames[i]))
			break;
	if (i < n) {
		while (i)
			free_frame(frames[--i]);
		local_irq_restore(flags);
		KTEST_SKIP(t, "not enough free frames");
	}
	drain_local_pages();
	page_alloc_cpu_stats(cpu, &s0);
	for (i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, free_frame(frames[i]), 0);
	cached = page_alloc_cpu_stats(cpu, &s1);
	KTEST_EXPECT_GE(t, s1.pcp_drains - s0.pcp_drains, 1);
	KTEST_EXPECT_LT(t, cached, PCP_HIGH);
	KTEST_EXPECT_EQ(t, s1.frees - s0.frees, n);
	KTEST_EXPECT_EQ(t, free_frame(frames[0]), -ENOENT);
	KTEST_EXPECT_EQ(t, free_frame(frames[n - 1]), -ENOENT);
	drain_local_pages();
	KTEST_EXPECT_EQ(t, page_alloc_cpu_stats(cpu, &s1), 0);
	local_irq_restore(flags);
}

#ifndef __HOSTED__	/* hosted CPUs take no cross-CPU calls */
/*
 * test_pcp_local_mark() with interrupts on and another CPU looping
 * drain_remote_pages(): its IPIs drain worker 0's rings at any point of
 * its frees, also between the push that filled the ring and
 * frame_ring_full(), whose re-read of the ring then finds it drained.
 * No counter tells whether that window was hit (coverage, not proof):
 * every free must succeed, every frame come back exactly once (double
 * frees -ENOENT, the free count back to its baseline) and the
 * allocator stay consistent.
 */
#define MARK_SMP_FRAMES	(PCP_HIGH + 2 * PCP_REFILL_BLOCKS(0))
#define MARK_SMP_ROUNDS	8
#define MARK_SMP_DRAINS	16

struct mark_smp_ctx {
	phys_addr_t frames[MARK_SMP_FRAMES];
	atomic_t errors;
	atomic_long_t drains;
	unsigned int rounds;
	bool ready, stop;
};

static void mark_smp_worker(void *arg, unsigned int id)
{
	struct mark_smp_ctx *c = arg;

	if (id == 1) {
		smp_store_release(&c->ready, true);
		while (!READ_ONCE(c->stop)) {
			drain_remote_pages();
			atomic_long_inc(&c->drains);
		}
		return;
	}
	while (!smp_load_acquire(&c->ready))
		cpu_relax();
	/* MARK_SMP_ROUNDS rounds, and more until the other CPU drained enough. */
	for (c->rounds = 0; c->rounds < MARK_SMP_ROUNDS ||
	     (atomic_long_read(&c->drains) < MARK_SMP_DRAINS && c->rounds < 1000 * MARK_SMP_ROUNDS);
	     c->rounds++) {
		unsigned int i, n;

		for (n = 0; n < MARK_SMP_FRAMES; n++)
			if (alloc_frame(&c->frames[n]))
				break;
		for (i = 0; i < n; i++)
			if (free_frame(c->frames[i]))
				atomic_inc(&c->errors);
		if (n && (free_frame(c->frames[0]) != -ENOENT ||
			  free_frame(c->frames[n - 1]) != -ENOENT))
			atomic_inc(&c->errors);
		if (n < MARK_SMP_FRAMES) {
			atomic_inc(&c->errors);
			break;
		}
	}
	WRITE_ONCE(c->stop, true);
}

void test_pcp_local_mark_smp(struct ktest *t)
{
	static struct mark_smp_ctx c;
	unsigned long baseline;
	int n;

	memset(&c, 0, sizeof(c));
	drain_all_pages();
	baseline = nr_free_pages();
	if (baseline < 2 * MARK_SMP_FRAMES)
		KTEST_SKIP(t, "not enough free frames");
	n = ktest_run_on_cpus(2, mark_smp_worker, &c);
	KTEST_ASSERT_GE(t, n, 2);
	drain_all_pages();
	KTEST_EXPECT_GE(t, c.rounds, MARK_SMP_ROUNDS);
	KTEST_EXPECT_EQ(t, atomic_read(&c.errors), 0);
	KTEST_EXPECT_GE(t, atomic_long_read(&c.drains), (long)MARK_SMP_DRAINS);
	KTEST_EXPECT_EQ(t, nr_free_pages(), baseline);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	ktest_log(t, "%u rounds of %u frees, %ld remote drains", c.rounds,
		  (unsigned int)MARK_SMP_FRAMES, atomic_long_read(&c.drains));
}
#endif

/*
 * Random allocations and frees of every kind, each checked against a
 * shadow bitmap and the local invariants as it happens.  One function on
 * purpose (longer than 80 lines): the KTEST_ASSERT_*() calls end the case
 * from where a step went wrong, which a helper function could not do.
 */
void test_random_sequence(struct ktest *t)
{
	unsigned long baseline, held = 0, shadow_bytes, steps = 0, failures = 0;
	struct free_area_fingerprint before, after;
	struct live_block *live;
	unsigned long *shadow;
	unsigned int nlive = 0;
	phys_addr_t live_pa;
	u64 seed = 0x5eed5eed12345678ULL;
	bool poison = page_poison_enable(true);

	/* The test's own bookkeeping comes from the allocator, before the baseline. */
	shadow_bytes = ALIGN(DIV_ROUND_UP(max_pfn, 8), PAGE_SIZE);
	shadow = shadow_alloc(shadow_bytes);
	KTEST_ASSERT_NOT_NULL(t, shadow);
	if (alloc_contiguous(DIV_ROUND_UP(MAX_LIVE * sizeof(*live), PAGE_SIZE), &live_pa)) {
		shadow_free(shadow, shadow_bytes);
		KTEST_ASSERT_TRUE(t, false);
	}
	live = phys_to_virt(live_pa);
	memset(shadow, 0, shadow_bytes);
	settle();
	baseline = nr_free_pages();
	page_alloc_fingerprint(&before);

	for (unsigned long i = 0; i < RANDOM_OPS && !t->failures; i++) {
		unsigned long r = rnd_below(&seed, 100);

		steps++;
		/* Poisoning is checked on the first stretch; then speed. */
		if (i == RANDOM_OPS / 20)
			page_poison_enable(false);
		if (nlive < MAX_LIVE && (!nlive || r < 52)) {
			struct live_block b = { 0 };
			unsigned long pfn, align;
			int err = 0;

			r = rnd_below(&seed, 100);
			if (r < 60) {
				b.kind = K_FRAME;
				b.count = 1;
				err = alloc_frame(&b.base);
			} else if (r < 95) {
				unsigned int o = r < 85 ? 1 + rnd_below(&seed, 3) : 4 + rnd_below(&seed, 6);
				struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);

				b.kind = K_PAGES;
				b.count = 1U << o;
				if (page)
					b.base = page_to_phys(page);
				else
					err = -ENOMEM;
			} else {
				b.kind = K_CONTIG;
				b.count = 2 + rnd_below(&seed, 600);
				err = alloc_contiguous(b.count, &b.base);
			}
			if (err) {
				/* Refused: nothing changed (checked below). */
				KTEST_ASSERT_EQ(t, err, -ENOMEM);
				failures++;
				goto check;
			}
			pfn = PHYS_PFN(b.base);
			align = 1UL << ilog2(b.count);
			KTEST_ASSERT_EQ(t, pfn & (align - 1), 0);
			for (unsigned long p = pfn; p < pfn + b.count; p++) {
				/* No overlap with anything handed out before. */
				KTEST_ASSERT_FALSE(t, (shadow[p / 64] >> (p % 64)) & 1);
				KTEST_ASSERT_TRUE(t, pfn_allocated(p));
				shadow[p / 64] |= 1UL << (p % 64);
			}
			if (b.kind != K_CONTIG)
				KTEST_ASSERT_TRUE(t, pfn_is_block_head(pfn));
			/* The halves a split gave back: aligned, listed, not mergeable. */
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn - 1), 0);
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn + b.count), 0);
			live[nlive++] = b;
			held += b.count;
		} else {
			unsigned int idx = rnd_below(&seed, nlive);
			struct live_block b = live[idx];
			unsigned long pfn = PHYS_PFN(b.base);

			live[idx] = live[--nlive];
			r = rnd_below(&seed, 4);
			if (b.kind == K_FRAME) {
				KTEST_ASSERT_EQ(t, free_frame(b.base), 0);
			} else if (b.kind == K_PAGES && r) {
				__free_pages(phys_to_page(b.base), ilog2(b.count));
			} else if (r == 1 && b.count > 2) {
				/* Two pieces, the second one first. */
				unsigned int cut = 1 + rnd_below(&seed, b.count - 1);

				KTEST_ASSERT_EQ(t, free_contiguous(b.base + PFN_PHYS(cut), b.count - cut), 0);
				KTEST_ASSERT_EQ(t, free_contiguous(b.base, cut), 0);
			} else {
				KTEST_ASSERT_EQ(t, free_contiguous(b.base, b.count), 0);
			}
			for (unsigned long p = pfn; p < pfn + b.count; p++) {
				KTEST_ASSERT_FALSE(t, pfn_allocated(p));
				shadow[p / 64] &= ~(1UL << (p % 64));
			}
			held -= b.count;
			/* The block each freed end went to, and their neighbours. */
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn - 1), 0);
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn), 0);
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn + b.count - 1), 0);
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn + b.count), 0);
			/* Now and then, a double free must be refused. */
			if (!(i & 255))
				KTEST_ASSERT_EQ(t, free_frame(b.base), -ENOENT);
		}
check:
		KTEST_ASSERT_EQ(t, nr_free_pages(), baseline - held);
		if (!(steps % RANDOM_CHECK))
			KTEST_ASSERT_EQ(t, page_alloc_check(), 0);
	}
	while (nlive) {
		struct live_block *b = &live[--nlive];

		KTEST_EXPECT_EQ(t, free_contiguous(b->base, b->count), 0);
	}
	page_poison_enable(poison);
	settle();
	page_alloc_fingerprint(&after);
	KTEST_EXPECT_EQ(t, nr_free_pages(), baseline);
	KTEST_EXPECT_TRUE(t, fp_equal(&before, &after));
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	ktest_log(t, "%lu operations, %lu allocation failures", steps, failures);
	free_contiguous(live_pa, DIV_ROUND_UP(MAX_LIVE * sizeof(*live), PAGE_SIZE));
	shadow_free(shadow, shadow_bytes);
}

/* ---------------------------------------------------------------------
 * SMP stress: every CPU allocates, signs, verifies and frees
 */

struct stress_ctx {
	u64 deadline;
	atomic_t errors;
	atomic_long_t ops;
};

#define STRESS_SLOTS	64

/* What a frame of a block owned by stress worker @id must hold at both ends. */
static u64 stress_sig(phys_addr_t frame, unsigned int id)
{
	return frame ^ ((u64)id << 56) ^ 0x5ca1ab1e00000000ULL;
}

static void stress_sign(phys_addr_t base, unsigned int count, unsigned int id)
{
	for (unsigned int i = 0; i < count; i++) {
		u64 *va = phys_to_virt(base + PFN_PHYS(i));

		va[0] = va[PAGE_SIZE / 8 - 1] = stress_sig(base + PFN_PHYS(i), id);
	}
}

static bool stress_verify(phys_addr_t base, unsigned int count, unsigned int id)
{
	for (unsigned int i = 0; i < count; i++) {
		u64 *va = phys_to_virt(base + PFN_PHYS(i));
		u64 sig = stress_sig(base + PFN_PHYS(i), id);

		if (va[0] != sig || va[PAGE_SIZE / 8 - 1] != sig)
			return false;
	}
	return true;
}

/*
 * One worker: random allocations of every shape (frames, powers of two up
 * to order 3, odd runs), each frame signed with the worker's id, verified
 * before it is freed.  Another worker writing into our frames, or a frame
 * handed out twice, breaks a signature.
 */
static void stress_worker(struct stress_ctx *ctx, unsigned int id)
{
	struct live_block slot[STRESS_SLOTS] = { { 0 } };
	u64 seed = 0x1234567ULL * (id + 1);
	long ops = 0;

	while (ktime_get_ns() < ctx->deadline) {
		for (unsigned int k = 0; k < 64; k++, ops++) {
			struct live_block *b = &slot[rnd_below(&seed, STRESS_SLOTS)];
			unsigned long r = rnd_below(&seed, 16);

			if (b->count) {
				if (!stress_verify(b->base, b->count, id))
					atomic_inc(&ctx->errors);
				if ((b->kind == K_FRAME ? free_frame(b->base) :
				     free_contiguous(b->base, b->count)))
					atomic_inc(&ctx->errors);
				b->count = 0;
				continue;
			}
			b->kind = r < 10 ? K_FRAME : K_CONTIG;
			b->count = r < 10 ? 1 : r < 14 ? 1U << (r - 10) : 1 + rnd_below(&seed, 40);
			if (b->kind == K_FRAME ? alloc_frame(&b->base) :
			    alloc_contiguous(b->count, &b->base)) {
				b->count = 0;
				continue;
			}
			stress_sign(b->base, b->count, id);
		}
	}
	for (unsigned int i = 0; i < STRESS_SLOTS; i++) {
		struct live_block *b = &slot[i];

		if (!b->count)
			continue;
		if (!stress_verify(b->base, b->count, id) ||
		    free_contiguous(b->base, b->count))
			atomic_inc(&ctx->errors);
	}
	atomic_long_add(ops, &ctx->ops);
}

#ifdef __HOSTED__
/* A hosted CPU thread: worker id = CPU number. */
static void stress_cpu(void *arg)
{
	stress_worker(arg, smp_processor_id());
}

/* @nr CPU threads (CPUs 1..nr) for @ns; their caches drained afterwards. */
static int stress_run(struct stress_ctx *ctx, unsigned int nr, u64 ns)
{
	int err;

	ctx->deadline = ktime_get_ns() + ns;
	err = hosted_run_on_cpus(1, nr, stress_cpu, ctx);
	for (unsigned int cpu = 1; cpu <= nr; cpu++)
		drain_cpu_pages(cpu);
	return err;
}
#else
struct stress_thread {
	struct stress_ctx *ctx;
	unsigned int id;
};

static int stress_thread_fn(void *arg)
{
	struct stress_thread *st = arg;

	stress_worker(st->ctx, st->id);
	return 0;
}

/*
 * STRESS_PER_CPU kernel threads bound to every online CPU, in process
 * context with interrupts on: they preempt each other on their CPU, the
 * timer interrupt lands in the middle of the fast paths, and every CPU
 * allocates and frees at once.  @nr is unused (all online CPUs).
 */
static int stress_run(struct stress_ctx *ctx, unsigned int nr, u64 ns)
{
	static struct stress_thread args[STRESS_PER_CPU * NR_CPUS];
	static struct task_struct *threads[STRESS_PER_CPU * NR_CPUS];
	unsigned int n = 0, cpu;
	int err = 0;

	(void)nr;
	ctx->deadline = ktime_get_ns() + ns;
	for_each_online_cpu(cpu) {
		for (unsigned int k = 0; k < STRESS_PER_CPU; k++) {
			struct task_struct *th;

			args[n] = (struct stress_thread){ .ctx = ctx, .id = n };
			th = kthread_create(stress_thread_fn, &args[n], "pa-stress/%u", cpu);
			if (!th) {
				err = -ENOMEM;
				continue;
			}
			/* Unbound it still runs (and is joined), but the test fails. */
			if (kthread_bind(th, cpu))
				err = -EINVAL;
			wake_up_process(th);
			threads[n++] = th;
		}
	}
	for (unsigned int i = 0; i < n; i++)
		if (kthread_join(threads[i]))
			err = -EIO;
	return err;
}
#endif

/*
 * SMP stress: every CPU allocates, signs every frame, verifies and frees
 * for several seconds; then the free count is back at its baseline and
 * every invariant holds.  Hosted: 2 CPU threads, then 7 (every hosted
 * CPU slot but the test's own).
 */
void test_smp_stress(struct ktest *t)
{
	static const unsigned int cpus[] = STRESS_CPUS;
	struct stress_ctx ctx;
	unsigned long baseline;
	bool poison = page_poison_enable(true);

	for (unsigned int i = 0; i < ARRAY_SIZE(cpus); i++) {
		settle();
		baseline = nr_free_pages();
		atomic_set(&ctx.errors, 0);
		atomic_long_set(&ctx.ops, 0);
		KTEST_EXPECT_EQ(t, stress_run(&ctx, cpus[i], STRESS_NS), 0);
		settle();
		KTEST_EXPECT_EQ(t, atomic_read(&ctx.errors), 0);
		KTEST_EXPECT_GT(t, atomic_long_read(&ctx.ops), 1000);
		KTEST_EXPECT_EQ(t, nr_free_pages(), baseline);
		KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
		ktest_log(t, "%u CPUs: %ld operations", STRESS_NCPU(cpus[i]),
			  atomic_long_read(&ctx.ops));
	}
	page_poison_enable(poison);
}

/* ---------------------------------------------------------------------
 * Racing double frees
 */

/* Rounds of a race test, and the time budget that may cut it short. */
#ifdef __HOSTED__
#define RACE_ROUNDS	50000U
#define RACE_NS		(2000 * NSEC_PER_MSEC)
#else
#define RACE_ROUNDS	20000U
#define RACE_NS		(1000 * NSEC_PER_MSEC)
#endif

/*
 * Round r: worker 0 allocates a run, publishes it, and both freers free
 * it at the same moment, in one of four shapes (nr % 4): both
 * free_contiguous(base, 3) (slow path twice); both free_contiguous(base,
 * 4) of one order-2 block (fast path twice); free_contiguous(base, 2) of an
 * order-1 block against free_frame(base) (fast path against the slow
 * path's carving); free_contiguous(base, 2) against free_contiguous(base,
 * 3) of a 3-frame run.  Exactly one of the two may succeed; the other gets
 * -ENOENT and changes nothing, and what the winner did not cover is still
 * allocated.  The other workers allocate, sign and free in ZONE_DMA
 * meanwhile: memory the runs (from the preferred zone) can never reuse,
 * so a stray free or poisoning of theirs is a bug, not a reuse.
 */
struct dfree_ctx {
	u64 deadline;
	unsigned int rounds;		/* the last round, once worker 0 knows it */
	unsigned int round;		/* published by worker 0 */
	unsigned int ready;		/* worker 1 has seen the round */
	unsigned int done;		/* rounds worker 1 has finished */
	phys_addr_t base;
	int res[2];
	bool stop;
	atomic_t both_won, none_won, bad_err, leftover, bystander_errors;
	atomic_long_t bystander_ops;
};

/* What worker @w does to the run of round @r (shape r % 4). */
static int dfree_one(phys_addr_t base, unsigned int r, unsigned int w)
{
	switch (r % 4) {
	case 0: return free_contiguous(base, 3);
	case 1: return free_contiguous(base, 4);
	case 2: return w ? free_frame(base) : free_contiguous(base, 2);
	default: return free_contiguous(base, w ? 3 : 2);
	}
}

/*
 * Wait until *@p reaches @v; its value.  A short tight spin first, so that
 * two workers leave a handshake within nanoseconds of each other, then
 * cpu_relax() (which yields to other threads in the hosted build).
 */
static unsigned int dfree_wait(unsigned int *p, unsigned int v)
{
	unsigned int x, spins = 0;

	while ((x = smp_load_acquire(p)) < v)
		if (++spins > 4096)
			cpu_relax();
	return x;
}

static void dfree_worker(void *arg, unsigned int id)
{
	struct dfree_ctx *c = arg;

	if (id == 0) {
		for (unsigned int r = 1; r <= c->rounds; r++) {
			static const size_t count[4] = { 3, 4, 2, 3 };
			phys_addr_t base;
			int a, b;

			if (alloc_contiguous(count[r % 4], &base)) {
				atomic_inc(&c->bad_err);
				base = PA_BAD;
			}
			/* Out of memory, or of time after 100 rounds: the last round. */
			if (base == PA_BAD || (r >= 100 && ktime_get_ns() > c->deadline))
				WRITE_ONCE(c->rounds, r);
			c->base = base;
			smp_store_release(&c->round, r);
			dfree_wait(&c->ready, r);
			a = base == PA_BAD ? -ENOENT : dfree_one(base, r, 0);
			dfree_wait(&c->done, r);
			b = c->res[1];
			if (!a && !b)
				atomic_inc(&c->both_won);
			else if (a && b && base != PA_BAD)
				atomic_inc(&c->none_won);
			else if ((a && a != -ENOENT) || (b && b != -ENOENT))
				atomic_inc(&c->bad_err);
			/* What the winner did not cover is still allocated. */
			if (r % 4 == 2 && !b && free_frame(base + PAGE_SIZE))
				atomic_inc(&c->leftover);
			if (r % 4 == 3 && !a && free_frame(base + 2 * PAGE_SIZE))
				atomic_inc(&c->leftover);
		}
		WRITE_ONCE(c->stop, true);
	} else if (id == 1) {
		for (unsigned int r = 1; r <= READ_ONCE(c->rounds); r++) {
			dfree_wait(&c->round, r);
			smp_store_release(&c->ready, r);
			c->res[1] = c->base == PA_BAD ? -ENOENT : dfree_one(c->base, r, 1);
			smp_store_release(&c->done, r);
		}
	} else {
		struct page *held[16] = { NULL };
		unsigned int order[16] = { 0 };
		u64 seed = 0xd0ab1efULL + id;
		long ops = 0;

		while (!READ_ONCE(c->stop)) {
			unsigned int i = rnd_below(&seed, 16);

			if (held[i]) {
				if (!stress_verify(page_to_phys(held[i]), 1U << order[i], id))
					atomic_inc(&c->bystander_errors);
				__free_pages(held[i], order[i]);
				held[i] = NULL;
			} else {
				order[i] = rnd_below(&seed, 3);
				held[i] = alloc_pages(GFP_DMA | __GFP_NOWARN, order[i]);
				if (held[i])
					stress_sign(page_to_phys(held[i]), 1U << order[i], id);
			}
			ops++;
			cpu_relax();	/* hosted: leave the host CPUs to the freers */
		}
		for (unsigned int i = 0; i < 16; i++) {
			if (!held[i])
				continue;
			if (!stress_verify(page_to_phys(held[i]), 1U << order[i], id) ||
			    free_contiguous(page_to_phys(held[i]), 1U << order[i]))
				atomic_inc(&c->bystander_errors);
		}
		atomic_long_add(ops, &c->bystander_ops);
	}
}

/*
 * Issue 15 item 1: two CPUs freeing the same run both got 0 when the
 * slow path validated the run without the zone lock.
 */
void test_double_free_race(struct ktest *t)
{
	struct dfree_ctx c = { .rounds = RACE_ROUNDS };
	unsigned long baseline;
	int n;

	settle();
	baseline = nr_free_pages();
	c.deadline = ktime_get_ns() + RACE_NS;
	n = ktest_run_on_cpus(3, dfree_worker, &c);
	KTEST_ASSERT_GE(t, n, 2);
	settle();
	KTEST_EXPECT_EQ(t, READ_ONCE(c.round), c.rounds);
	KTEST_EXPECT_GE(t, c.rounds, 100U);
	KTEST_EXPECT_EQ(t, atomic_read(&c.both_won), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.none_won), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.bad_err), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.leftover), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.bystander_errors), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), baseline);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	ktest_log(t, "%d CPUs, %u rounds, %ld bystander operations", n, c.rounds,
		  atomic_long_read(&c.bystander_ops));
}

/*
 * Rightful frees of different frames of one order-3 block, at the same
 * moment: free_frame(base) on worker 0, free_frame() of base + 4 .. 7
 * pages on worker 1, for SFREE_RUNS blocks a round.  All must succeed,
 * and frames 1 .. 3 stay allocated.  The fast path once cleared the
 * head's alloc bit before seeing that the block was not of the order
 * freed, so for a moment the block looked free to the other CPU, whose
 * free failed with -ENOENT and leaked its frame.
 */
#define SFREE_RUNS	16

struct sfree_ctx {
	struct dfree_ctx d;		/* rounds, handshakes, counters */
	phys_addr_t base[SFREE_RUNS];
	unsigned int nr;
};

static void sfree_worker0(struct sfree_ctx *c)
{
	for (unsigned int r = 1; r <= c->d.rounds; r++) {
		unsigned int nr = 0;

		while (nr < SFREE_RUNS && !alloc_contiguous(8, &c->base[nr]))
			nr++;
		if (nr < SFREE_RUNS)
			atomic_inc(&c->d.bad_err);
		if (!nr || (r >= 20 && ktime_get_ns() > c->d.deadline))
			WRITE_ONCE(c->d.rounds, r);
		c->nr = nr;
		smp_store_release(&c->d.round, r);
		dfree_wait(&c->d.ready, r);
		for (unsigned int i = 0; i < nr; i++)
			if (free_frame(c->base[i]))
				atomic_inc(&c->d.none_won);
		dfree_wait(&c->d.done, r);
		/* The frames nobody freed are still allocated. */
		for (unsigned int i = 0; i < nr; i++)
			for (unsigned int f = 1; f < 4; f++)
				if (free_frame(c->base[i] + f * PAGE_SIZE))
					atomic_inc(&c->d.leftover);
		if (!nr)
			break;
	}
}

static void sfree_worker(void *arg, unsigned int id)
{
	struct sfree_ctx *c = arg;

	if (id == 0) {
		sfree_worker0(c);
		return;
	}
	for (unsigned int r = 1; r <= READ_ONCE(c->d.rounds); r++) {
		dfree_wait(&c->d.round, r);
		smp_store_release(&c->d.ready, r);
		for (unsigned int i = 0; i < c->nr; i++)
			for (unsigned int f = 4; f < 8; f++)
				if (free_frame(c->base[i] + f * PAGE_SIZE))
					atomic_inc(&c->d.none_won);
		smp_store_release(&c->d.done, r);
	}
}

void test_split_free_race(struct ktest *t)
{
	struct sfree_ctx c = { .d.rounds = RACE_ROUNDS };
	unsigned long baseline;
	int n;

	settle();
	baseline = nr_free_pages();
	c.d.deadline = ktime_get_ns() + RACE_NS;
	n = ktest_run_on_cpus(2, sfree_worker, &c);
	KTEST_ASSERT_GE(t, n, 2);
	settle();
	KTEST_EXPECT_EQ(t, READ_ONCE(c.d.round), c.d.rounds);
	KTEST_EXPECT_GE(t, c.d.rounds, 20U);
	KTEST_EXPECT_EQ(t, atomic_read(&c.d.bad_err), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.d.none_won), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.d.leftover), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), baseline);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	ktest_log(t, "%u rounds of %d blocks", c.d.rounds, SFREE_RUNS);
}
