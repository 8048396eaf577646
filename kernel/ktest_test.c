// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the test and benchmark runners' selection: a name that matches
 * nothing is an error (which prints the names that exist), never an empty
 * run that reports success; a list of items selects their union, less
 * the '-' ones.
 */
#include <exo/bench.h>
#include <exo/errno.h>
#include <exo/kmod.h>
#include <exo/ktest.h>
#include <exo/module.h>

#include "ktest-internal.h"

static void test_filter_unknown_suite(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, ktest_run("nosuch", false), -ENOENT);
	KTEST_EXPECT_EQ(t, ktest_run("nosuch.test_filter_unknown_suite", false), -ENOENT);
	/* A prefix of a suite's name is not its name. */
	KTEST_EXPECT_EQ(t, ktest_run("kte", false), -ENOENT);
}

static void test_filter_unknown_case(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, ktest_run("ktest.nosuch", false), -ENOENT);
	KTEST_EXPECT_EQ(t, ktest_run("ktest.", false), -ENOENT);
	KTEST_EXPECT_EQ(t, ktest_run("ktest.test_filter_unknown_cas", false), -ENOENT);
}

static void test_filter_list_unknown_item(struct ktest *t)
{
	/* One bad item spoils the list, whatever its sign or place. */
	KTEST_EXPECT_EQ(t, ktest_run("ktest,nosuch", false), -ENOENT);
	KTEST_EXPECT_EQ(t, ktest_run("-nosuch", false), -ENOENT);
	KTEST_EXPECT_EQ(t, ktest_run("-ktest.nosuch", false), -ENOENT);
	KTEST_EXPECT_EQ(t, ktest_run("ktest,", false), -ENOENT);
	KTEST_EXPECT_EQ(t, ktest_run(",ktest", false), -ENOENT);
	KTEST_EXPECT_EQ(t, ktest_run("-", false), -ENOENT);
}

static void noop_case(struct ktest *t)
{
}

static struct ktest_case fake_cases[] = {
	{ .name = "one", .run = noop_case },
	{ .name = "two", .run = noop_case },
	{}
};
static const struct ktest_suite fake_suite = { .name = "alpha", .cases = fake_cases };

/* Which of alpha's cases @filter selects: bit 0 "one", bit 1 "two", bit 2 the suite. */
static unsigned int selected(const char *filter)
{
	return ktest_filter_selects(filter, &fake_suite, &fake_cases[0]) |
	       ktest_filter_selects(filter, &fake_suite, &fake_cases[1]) << 1 |
	       ktest_filter_selects(filter, &fake_suite, NULL) << 2;
}

static void test_filter_list_selection(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, selected(NULL), 7u);
	KTEST_EXPECT_EQ(t, selected("alpha"), 7u);
	KTEST_EXPECT_EQ(t, selected("beta"), 0u);
	KTEST_EXPECT_EQ(t, selected("alph"), 0u);
	KTEST_EXPECT_EQ(t, selected("alpha.one"), 5u);
	KTEST_EXPECT_EQ(t, selected("alpha.on"), 0u);
	KTEST_EXPECT_EQ(t, selected("beta,alpha.two"), 6u);
	KTEST_EXPECT_EQ(t, selected("alpha.one,alpha.two"), 7u);
	KTEST_EXPECT_EQ(t, selected("-alpha"), 0u);
	KTEST_EXPECT_EQ(t, selected("-beta"), 7u);
	KTEST_EXPECT_EQ(t, selected("-alpha.one"), 6u);
	KTEST_EXPECT_EQ(t, selected("alpha,-alpha.two"), 5u);
	KTEST_EXPECT_EQ(t, selected("beta,-alpha.two"), 0u);
	KTEST_EXPECT_EQ(t, selected("-alpha.one,-alpha.two"), 4u);
}

static void test_bench_filter(struct ktest *t)
{
	if (!IS_ENABLED(CONFIG_BENCH))
		KTEST_SKIP(t, "CONFIG_BENCH=n");
	KTEST_EXPECT_EQ(t, bench_run("nosuch"), -ENOENT);
	/* "none" is the boot-and-stop of scripts/bench.sh, not a typo. */
	KTEST_EXPECT_EQ(t, bench_run("none"), 0);
}

/*
 * The timer tick's cost: the batches with ticks and no other interrupt
 * or pause, by their excess over the row's interrupt-free batches, when
 * those all took the same time and every tick batch took more.
 */
static void test_bench_tick_cost(struct ktest *t)
{
	/* 1757 a batch: not a multiple of 64 ops (a per-op median truncates). */
	static const u64 raw[12] = { 1757, 1757, 1757, 2257, 1757, 5000,
				     1757, 3157, 1757, 1757, 1757, 1757 };
	static const unsigned int ticks[12] = { 0, 0, 0, 1, 0, 1, 0, 2 };
	static const unsigned int irqs[12] = { 0, 0, 0, 1, 0, 2, 0, 2 };
	static const u64 below[12] = { 1757, 1757, 1757, 1700, 1757, 5000,
				       1757, 3157, 1757, 1757, 1757, 1757 };
	static const u64 uneven[12] = { 1757, 1758, 1757, 2257, 1757, 5000,
					1757, 3157, 1757, 1757, 1757, 1757 };
	static const u64 paused[12] = { 0, 0, 0, 0, 0, 0, 0, 9 };
	static const u64 paused_free[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9 };
	struct bench_tick_cost acc = { 0 };

	if (!IS_ENABLED(CONFIG_BENCH))
		KTEST_SKIP(t, "CONFIG_BENCH=n");
	/*
	 * Batch 3: one tick, 500 over; batch 7: two ticks, 1400 over;
	 * batch 5 also took another interrupt: not counted.  Exactly 500 +
	 * 1400 (a median of per-op hundredths times 64 made it 20 more a
	 * tick).
	 */
	bench_count_ticks(&acc, raw, NULL, ticks, irqs, 12);
	KTEST_EXPECT_EQ(t, acc.ticks, 3ul);
	KTEST_EXPECT_EQ(t, acc.excess, 1900ull);
	/* A tick batch below the interrupt-free ones: the row is left out. */
	bench_count_ticks(&acc, below, NULL, ticks, irqs, 12);
	KTEST_EXPECT_EQ(t, acc.ticks, 3ul);
	KTEST_EXPECT_EQ(t, acc.excess, 1900ull);
	/* Interrupt-free batches that differ (not exact): left out. */
	bench_count_ticks(&acc, uneven, NULL, ticks, irqs, 12);
	KTEST_EXPECT_EQ(t, acc.ticks, 3ul);
	KTEST_EXPECT_EQ(t, acc.excess, 1900ull);
	/* Batch 7 had paused time: its two ticks are not counted. */
	acc = (struct bench_tick_cost){ 0 };
	bench_count_ticks(&acc, raw, paused, ticks, irqs, 12);
	KTEST_EXPECT_EQ(t, acc.ticks, 1ul);
	KTEST_EXPECT_EQ(t, acc.excess, 500ull);
	/* A paused interrupt-free batch is no reference (9 ticks shorter). */
	acc = (struct bench_tick_cost){ 0 };
	{
		u64 r[12];

		for (unsigned int i = 0; i < 12; i++)
			r[i] = raw[i];
		r[11] -= 9;
		bench_count_ticks(&acc, r, paused_free, ticks, irqs, 12);
	}
	KTEST_EXPECT_EQ(t, acc.ticks, 3ul);
	KTEST_EXPECT_EQ(t, acc.excess, 1900ull);
}

static void bench_nop(struct bench *b, unsigned int ops)
{
}

/*
 * A module's benchmark: the runner loads the module, runs what it
 * registered and unloads it; registering needs a name and a run function
 * and takes a name once.
 */
static void test_bench_module(struct ktest *t)
{
	static const struct bench_def nameless = { .run = bench_nop };
	static const struct bench_def dup = { .name = "ktest_bench_dup", .run = bench_nop };

	if (!IS_ENABLED(CONFIG_BENCH))
		KTEST_SKIP(t, "CONFIG_BENCH=n");
	KTEST_EXPECT_EQ(t, bench_register(&nameless), -EINVAL);
	KTEST_ASSERT_EQ(t, bench_register(&dup), 0);
	KTEST_EXPECT_EQ(t, bench_register(&dup), -EBUSY);
	bench_unregister(&dup);
	KTEST_EXPECT_EQ(t, bench_register(&dup), 0);
	bench_unregister(&dup);
	if (!IS_ENABLED(CONFIG_SLAB_BENCH_MODULE))
		return;
	/* Built in or loaded at boot (modules=1): run, and left as it was. */
	KTEST_EXPECT_EQ(t, bench_run("kmalloc64_pair_module"), 1);
	if (!IS_MODULE(CONFIG_SLAB_BENCH_MODULE) || !find_module("slab_bench_module"))
		return;
	/* Not loaded: the runner loads it for the run and unloads it after. */
	KTEST_ASSERT_EQ(t, modprobe_remove("slab_bench_module"), 0);
	KTEST_EXPECT_EQ(t, bench_run("kmalloc64_pair_module"), 1);
	KTEST_EXPECT_TRUE(t, !find_module("slab_bench_module"));
	KTEST_EXPECT_EQ(t, request_module("slab_bench_module"), 0);
}

static struct ktest_case ktest_cases[] = {
	KTEST_CASE(test_filter_unknown_suite),
	KTEST_CASE(test_filter_unknown_case),
	KTEST_CASE(test_filter_list_unknown_item),
	KTEST_CASE(test_filter_list_selection),
	KTEST_CASE(test_bench_filter),
	KTEST_CASE(test_bench_module),
	KTEST_CASE(test_bench_tick_cost),
	{}
};

static struct ktest_suite ktest_suite = {
	.name = "ktest",
	.cases = ktest_cases,
};
KTEST_SUITE(ktest_suite);
