// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the test and benchmark runners' selection: a name that matches
 * nothing is an error (which prints the names that exist), never an empty
 * run that reports success.
 */
#include <exo/bench.h>
#include <exo/errno.h>
#include <exo/ktest.h>

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

static void test_bench_filter(struct ktest *t)
{
	if (!IS_ENABLED(CONFIG_BENCH))
		KTEST_SKIP(t, "CONFIG_BENCH=n");
	KTEST_EXPECT_EQ(t, bench_run("nosuch"), -ENOENT);
	/* "none" is the boot-and-stop of scripts/bench.sh, not a typo. */
	KTEST_EXPECT_EQ(t, bench_run("none"), 0);
}

static struct ktest_case ktest_cases[] = {
	KTEST_CASE(test_filter_unknown_suite),
	KTEST_CASE(test_filter_unknown_case),
	KTEST_CASE(test_bench_filter),
	{}
};

static struct ktest_suite ktest_suite = {
	.name = "ktest",
	.cases = ktest_cases,
};
KTEST_SUITE(ktest_suite);
