// SPDX-License-Identifier: GPL-2.0
/* Tests for lib/string.c and lib/vsprintf.c. */
#include <exo/errno.h>
#include <exo/ktest.h>
#include <exo/printk.h>
#include <exo/string.h>

static void test_mem_functions(struct ktest *t)
{
	char a[32], b[32];

	memset(a, 'x', sizeof(a));
	KTEST_EXPECT_EQ(t, a[0], 'x');
	KTEST_EXPECT_EQ(t, a[31], 'x');
	KTEST_EXPECT_NULL(t, memchr_inv(a, 'x', sizeof(a)));
	a[17] = 'y';
	KTEST_EXPECT_TRUE(t, memchr_inv(a, 'x', sizeof(a)) == &a[17]);
	KTEST_EXPECT_TRUE(t, memchr(a, 'y', sizeof(a)) == &a[17]);
	KTEST_EXPECT_NULL(t, memchr(a, 'y', 17));
	KTEST_EXPECT_NULL(t, memchr(a, 'y', 0));
	memcpy(b, a, sizeof(a));
	KTEST_EXPECT_EQ(t, memcmp(a, b, sizeof(a)), 0);
	b[3] = 'a';
	KTEST_EXPECT_GT(t, memcmp(a, b, sizeof(a)), 0);
	memcpy(a, "0123456789", 11);
	memmove(a + 2, a, 8);	/* overlapping, forward */
	KTEST_EXPECT_EQ(t, memcmp(a, "0101234567", 10), 0);
	memcpy(a, "0123456789", 11);
	memmove(a, a + 2, 8);	/* overlapping, backward */
	KTEST_EXPECT_EQ(t, memcmp(a, "23456789", 8), 0);
}

static void test_str_functions(struct ktest *t)
{
	char buf[8];

	KTEST_EXPECT_EQ(t, strlen("hello"), 5UL);
	KTEST_EXPECT_EQ(t, strnlen("hello", 3), 3UL);
	KTEST_EXPECT_EQ(t, strcmp("abc", "abc"), 0);
	KTEST_EXPECT_LT(t, strcmp("abc", "abd"), 0);
	KTEST_EXPECT_EQ(t, strncmp("abcX", "abcY", 3), 0);
	KTEST_EXPECT_TRUE(t, strchr("a=b", '=') != NULL);
	KTEST_EXPECT_NULL(t, strchr("ab", 'z'));
	KTEST_EXPECT_EQ(t, strlcpy(buf, "truncate me", sizeof(buf)), 11UL);
	KTEST_EXPECT_EQ(t, strcmp(buf, "truncat"), 0);
	KTEST_EXPECT_TRUE(t, strstr("needle in hay", "in") != NULL);
}

static void test_kstrtoul(struct ktest *t)
{
	unsigned long v = 0;

	KTEST_EXPECT_EQ(t, kstrtoul("1234", 10, &v), 0);
	KTEST_EXPECT_EQ(t, v, 1234UL);
	KTEST_EXPECT_EQ(t, kstrtoul("0x1f", 0, &v), 0);
	KTEST_EXPECT_EQ(t, v, 31UL);
	KTEST_EXPECT_EQ(t, kstrtoul("12a", 10, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoul("", 10, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoul("0x", 0, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoul("99999999999999999999999", 10, &v), -ERANGE);
}

static void test_snprintf(struct ktest *t)
{
	char buf[64];
	const char *volatile null_str = NULL;	/* hide NULL from gcc's format checks */

	snprintf(buf, sizeof(buf), "%d %u %x %X %5d|%-5d|%05d", -42, 42u, 255u, 255u, 7, 7, 7);
	KTEST_EXPECT_EQ(t, strcmp(buf, "-42 42 ff FF     7|7    |00007"), 0);
	snprintf(buf, sizeof(buf), "%lld %llx %zu %#lx %s %c %%", -1LL, 0xdeadbeefULL,
		 (size_t)12, 0x10UL, "str", 'c');
	KTEST_EXPECT_EQ(t, strcmp(buf, "-1 deadbeef 12 0x10 str c %"), 0);
	snprintf(buf, sizeof(buf), "%.3s|%8.3s|%s", "abcdef", "abcdef", null_str);
	KTEST_EXPECT_EQ(t, strcmp(buf, "abc|     abc|(null)"), 0);
	/* Truncation: NUL-terminated, returns the untruncated length. */
	KTEST_EXPECT_EQ(t, snprintf(buf, 4, "%s", "overflow"), 8);
	KTEST_EXPECT_EQ(t, strcmp(buf, "ove"), 0);
	snprintf(buf, sizeof(buf), "%016lx", 0xabcUL);
	KTEST_EXPECT_EQ(t, strcmp(buf, "0000000000000abc"), 0);
}

static struct ktest_case lib_cases[] = {
	KTEST_CASE(test_mem_functions),
	KTEST_CASE(test_str_functions),
	KTEST_CASE(test_kstrtoul),
	KTEST_CASE(test_snprintf),
	{}
};

static struct ktest_suite lib_suite = {
	.name = "lib",
	.cases = lib_cases,
};
KTEST_SUITE(lib_suite);
