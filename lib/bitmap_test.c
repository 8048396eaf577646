// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of lib/bitmap.c, against a bit-by-bit reference; also run hosted.
 */
#include <exo/bitmap.h>
#include <exo/ktest.h>
#include <exo/string.h>

#define NBITS 300

static void test_set_clear_ranges(struct ktest *t)
{
	DECLARE_BITMAP(map, NBITS);
	bool ref[NBITS];
	u64 seed = 12345;

	memset(map, 0, sizeof(map));
	memset(ref, 0, sizeof(ref));
	for (int round = 0; round < 2000; round++) {
		unsigned long s, n;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		s = (seed >> 33) % NBITS;
		n = (seed >> 17) % (NBITS - s + 1);
		if (round & 1)
			bitmap_set(map, s, n);
		else
			bitmap_clear(map, s, n);
		for (unsigned long i = s; i < s + n; i++)
			ref[i] = round & 1;
		for (unsigned long i = 0; i < NBITS; i++)
			if (test_bit(i, map) != ref[i]) {
				KTEST_EXPECT_EQ(t, test_bit(i, map), ref[i]);
				return;
			}
	}
	/* The bits beyond NBITS in the last word are never touched. */
	KTEST_EXPECT_EQ(t, map[BITS_TO_LONGS(NBITS) - 1] >> (NBITS % 64), 0);
}

static void test_find_and_weight(struct ktest *t)
{
	DECLARE_BITMAP(map, NBITS);
	unsigned long bit, n = 0;

	memset(map, 0, sizeof(map));
	KTEST_EXPECT_EQ(t, find_next_bit(map, NBITS, 0), NBITS);
	KTEST_EXPECT_EQ(t, find_next_zero_bit(map, NBITS, 0), 0);
	__set_bit(0, map);
	__set_bit(63, map);
	__set_bit(64, map);
	__set_bit(NBITS - 1, map);
	KTEST_EXPECT_EQ(t, find_next_bit(map, NBITS, 1), 63);
	KTEST_EXPECT_EQ(t, find_next_bit(map, NBITS, 65), NBITS - 1);
	KTEST_EXPECT_EQ(t, find_next_bit(map, NBITS - 1, 65), NBITS - 1);
	KTEST_EXPECT_EQ(t, find_next_zero_bit(map, NBITS, 63), 65);
	KTEST_EXPECT_EQ(t, find_next_bit(map, NBITS, NBITS), NBITS);
	KTEST_EXPECT_EQ(t, bitmap_weight(map, NBITS), 4);
	KTEST_EXPECT_EQ(t, bitmap_weight(map, 64), 2);
	for_each_set_bit(bit, map, NBITS)
		n++;
	KTEST_EXPECT_EQ(t, n, 4);
	bitmap_set(map, 0, NBITS);
	KTEST_EXPECT_EQ(t, find_next_zero_bit(map, NBITS, 0), NBITS);
	KTEST_EXPECT_EQ(t, bitmap_weight(map, NBITS), NBITS);
}

static void test_atomic_ops(struct ktest *t)
{
	DECLARE_BITMAP(map, 128) = { 0 };

	KTEST_EXPECT_FALSE(t, test_and_set_bit(70, map));
	KTEST_EXPECT_TRUE(t, test_and_set_bit(70, map));
	KTEST_EXPECT_TRUE(t, test_bit(70, map));
	KTEST_EXPECT_TRUE(t, test_and_clear_bit(70, map));
	KTEST_EXPECT_FALSE(t, test_and_clear_bit(70, map));
	set_bit(127, map);
	clear_bit(127, map);
	KTEST_EXPECT_EQ(t, map[0] | map[1], 0);
}

static void test_free_region(struct ktest *t)
{
	DECLARE_BITMAP(map, 100) = { 0 };

	bitmap_set(map, 0, 10);
	bitmap_set(map, 15, 1);
	KTEST_EXPECT_EQ(t, bitmap_find_free_region(map, 100, 5), 10);
	KTEST_EXPECT_EQ(t, bitmap_find_free_region(map, 100, 5), 16);
	KTEST_EXPECT_EQ(t, bitmap_find_free_region(map, 100, 79), 21);
	KTEST_EXPECT_EQ(t, bitmap_find_free_region(map, 100, 1), -1UL);
	KTEST_EXPECT_EQ(t, bitmap_find_free_region(map, 100, 0), -1UL);
	KTEST_EXPECT_EQ(t, bitmap_weight(map, 100), 100);
}

static struct ktest_case bitmap_cases[] = {
	KTEST_CASE(test_set_clear_ranges),
	KTEST_CASE(test_find_and_weight),
	KTEST_CASE(test_atomic_ops),
	KTEST_CASE(test_free_region),
	{}
};

static struct ktest_suite bitmap_suite = {
	.name = "bitmap",
	.cases = bitmap_cases,
};
KTEST_SUITE(bitmap_suite);
