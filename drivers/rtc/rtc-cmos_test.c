// SPDX-License-Identifier: GPL-2.0
/* Tests of the CMOS RTC driver: date arithmetic, range checks, a live read. */
#include <exo/errno.h>
#include <exo/ktest.h>
#include <exo/rtc.h>
#include <exo/time.h>

static void test_rtc_time64(struct ktest *t)
{
	struct rtc_time a = { 0, 0, 0, 1, 1, 1970 }, b = { 0, 0, 0, 1, 1, 2000 };
	struct rtc_time c = { 56, 34, 12, 29, 2, 2024 }, d = { 8, 14, 3, 19, 1, 2038 };

	KTEST_EXPECT_EQ(t, rtc_tm_to_time64(&a), 0ll);
	KTEST_EXPECT_EQ(t, rtc_tm_to_time64(&b), 946684800ll);
	KTEST_EXPECT_EQ(t, rtc_tm_to_time64(&c), 1709210096ll);
	KTEST_EXPECT_EQ(t, rtc_tm_to_time64(&d), 2147483648ll);
}

static void test_rtc_valid(struct ktest *t)
{
	struct rtc_time ok = { 59, 59, 23, 29, 2, 2024 }, bad = ok;

	KTEST_EXPECT_EQ(t, rtc_valid_tm(&ok), 0);
	bad.tm_year = 2023;			/* not a leap year */
	KTEST_EXPECT_EQ(t, rtc_valid_tm(&bad), -EINVAL);
	bad = ok;
	bad.tm_mon = 13;
	KTEST_EXPECT_EQ(t, rtc_valid_tm(&bad), -EINVAL);
	bad = ok;
	bad.tm_hour = 24;
	KTEST_EXPECT_EQ(t, rtc_valid_tm(&bad), -EINVAL);
	bad = ok;
	bad.tm_mday = 0;
	KTEST_EXPECT_EQ(t, rtc_valid_tm(&bad), -EINVAL);
}

static void test_rtc_live(struct ktest *t)
{
	struct rtc_time a, b;
	s64 t0, t1 = 0;

	KTEST_ASSERT_EQ(t, rtc_read_time(&a), 0);
	KTEST_EXPECT_GE(t, a.tm_year, 2024);
	KTEST_EXPECT_EQ(t, rtc_valid_tm(&a), 0);
	t0 = rtc_tm_to_time64(&a);
	/* The clock ticks: within 3 s (emulated) the seconds move on. */
	for (int i = 0; i < 30; i++) {
		mdelay(100);
		KTEST_ASSERT_EQ(t, rtc_read_time(&b), 0);
		t1 = rtc_tm_to_time64(&b);
		if (t1 != t0)
			break;
	}
	KTEST_EXPECT_GT(t, t1, t0);
	KTEST_EXPECT_LE(t, t1, t0 + 4);
}

static struct ktest_case rtc_cases[] = {
	KTEST_CASE(test_rtc_time64),
	KTEST_CASE(test_rtc_valid),
	KTEST_CASE_FLAGS(test_rtc_live, KTEST_F_SLOW),
	{}
};

static struct ktest_suite rtc_suite = {
	.name = "rtc_cmos",
	.cases = rtc_cases,
};
KTEST_SUITE(rtc_suite);
