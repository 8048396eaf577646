// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the hwrng core with fake sources: registration errors, the
 * best-quality source becoming current and the previous one coming back
 * when it leaves, reads spanning several short answers, and faulty
 * sources (errors, empty answers, answers longer than asked).
 */
#include <exo/hw_random.h>
#include <exo/ktest.h>
#include <exo/string.h>

static int fake_mode;		/* 0 fill 3 bytes, 1 error, 2 empty, 3 too long */
static unsigned int fake_calls, fake_inits, fake_cleanups;

static int fake_read(struct hwrng *rng, void *data, size_t max, bool wait)
{
	fake_calls++;
	switch (fake_mode) {
	case 0:
		max = max < 3 ? max : 3;
		memset(data, (int)rng->priv, max);
		return max;
	case 1:
		return -EIO;
	case 2:
		return 0;
	default:
		return max + 1;
	}
}

static int fake_init(struct hwrng *rng)
{
	fake_inits++;
	return 0;
}

static void fake_cleanup(struct hwrng *rng)
{
	fake_cleanups++;
}

static struct hwrng fake_a = {
	.name = "fake_a", .read = fake_read, .init = fake_init, .cleanup = fake_cleanup,
	.priv = 0xa5, .quality = 1023,
};
static struct hwrng fake_b = {
	.name = "fake_b", .read = fake_read, .priv = 0x5a, .quality = 1024,
};

static void test_hwrng_register(struct ktest *t)
{
	struct hwrng noname = { .read = fake_read }, noread = { .name = "x" };
	struct hwrng dup = { .name = "fake_a", .read = fake_read };
	char name[16];

	KTEST_EXPECT_EQ(t, hwrng_register(&noname), -EINVAL);
	KTEST_EXPECT_EQ(t, hwrng_register(&noread), -EINVAL);
	fake_inits = fake_cleanups = 0;
	KTEST_ASSERT_EQ(t, hwrng_register(&fake_a), 0);
	KTEST_EXPECT_EQ(t, hwrng_register(&dup), -EEXIST);
	/* Quality 1023 beats any real source here (virtio-rng says 1000). */
	KTEST_ASSERT_EQ(t, hwrng_current_name(name, sizeof(name)), 0);
	KTEST_EXPECT_EQ(t, strcmp(name, "fake_a"), 0);
	KTEST_EXPECT_EQ(t, fake_inits, 1u);
	KTEST_ASSERT_EQ(t, hwrng_register(&fake_b), 0);
	KTEST_ASSERT_EQ(t, hwrng_current_name(name, sizeof(name)), 0);
	KTEST_EXPECT_EQ(t, strcmp(name, "fake_b"), 0);
	KTEST_EXPECT_EQ(t, fake_cleanups, 1u);
	hwrng_unregister(&fake_b);
	KTEST_ASSERT_EQ(t, hwrng_current_name(name, sizeof(name)), 0);
	KTEST_EXPECT_EQ(t, strcmp(name, "fake_a"), 0);
	KTEST_EXPECT_EQ(t, fake_inits, 2u);
	hwrng_unregister(&fake_a);
	KTEST_EXPECT_EQ(t, fake_cleanups, 2u);
	if (!hwrng_current_name(name, sizeof(name)))
		KTEST_EXPECT_NE(t, strcmp(name, "fake_a"), 0);
}

static void test_hwrng_read_faults(struct ktest *t)
{
	u8 buf[10];

	KTEST_ASSERT_EQ(t, hwrng_register(&fake_b), 0);
	/* Short answers add up. */
	fake_mode = 0;
	fake_calls = 0;
	memset(buf, 0, sizeof(buf));
	KTEST_EXPECT_EQ(t, hwrng_read(buf, sizeof(buf)), (ssize_t)sizeof(buf));
	KTEST_EXPECT_EQ(t, fake_calls, 4u);
	KTEST_EXPECT_EQ(t, buf[0], 0x5a);
	KTEST_EXPECT_EQ(t, buf[9], 0x5a);
	KTEST_EXPECT_EQ(t, hwrng_read(buf, 0), -EINVAL);
	fake_mode = 1;
	KTEST_EXPECT_EQ(t, hwrng_read(buf, 4), -EIO);
	/* Empty answers are tolerated a few times in a row, then an error. */
	fake_mode = 2;
	fake_calls = 0;
	KTEST_EXPECT_EQ(t, hwrng_read(buf, 4), -EIO);
	KTEST_EXPECT_EQ(t, fake_calls, 9u);
	fake_mode = 3;
	KTEST_EXPECT_EQ(t, hwrng_read(buf, 4), -EIO);
	fake_mode = 0;
	hwrng_unregister(&fake_b);
}

static struct ktest_case hwrng_cases[] = {
	KTEST_CASE(test_hwrng_register),
	KTEST_CASE(test_hwrng_read_faults),
	{}
};

static struct ktest_suite hwrng_suite = {
	.name = "hwrng",
	.cases = hwrng_cases,
};
KTEST_SUITE(hwrng_suite);
