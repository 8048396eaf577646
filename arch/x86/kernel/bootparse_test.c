// SPDX-License-Identifier: GPL-2.0
/*
 * Regression tests of the boot-information parsers, for the bugs the
 * fuzzers (tests/fuzz/fuzz_pvh.c, fuzz_multiboot2.c) were written to find:
 * loader memory is read only as far as the map function allows (strings
 * included), structures may sit at misaligned addresses, a wrapping module
 * is rejected, a malformed Multiboot2 block is rejected.
 *
 * "Physical memory" is a buffer: the map function exposes only its first
 * `window` bytes, and the bytes after the window are non-zero, so a parser
 * that reads past what it was given copies them and the test sees it.
 */
#include <exo/bootparse.h>
#include <exo/errno.h>
#include <exo/ktest.h>
#include <exo/string.h>

#define FAKE_BASE	0x10000ULL

static u8 mem[4096] __aligned(8);
static size_t window;
static struct boot_info bi;

static const void *test_map(u64 pa, u64 len)
{
	if (pa < FAKE_BASE || pa - FAKE_BASE > window || len > window - (pa - FAKE_BASE))
		return NULL;
	return mem + (pa - FAKE_BASE);
}

static void put64(size_t off, u64 v)
{
	memcpy(mem + off, &v, 8);
}

static void put32(size_t off, u32 v)
{
	memcpy(mem + off, &v, 4);
}

/* A start info at offset 0: no modules, no memory map, command line at @cl. */
static void start_info(u64 cmdline_pa)
{
	memset(mem, 0, sizeof(mem));
	memset(&bi, 0, sizeof(bi));
	put32(0, PVH_START_MAGIC);
	put32(4, 1);
	put64(24, cmdline_pa);
	window = sizeof(mem);
}

static void test_pvh_cmdline_bounded(struct ktest *t)
{
	static const char text[] = "ktest=all";

	start_info(FAKE_BASE + 1000);
	memcpy(mem + 1000, text, 9);		/* no NUL inside the window... */
	memset(mem + 1009, 'X', sizeof(mem) - 1009);	/* ...but junk beyond it */
	window = 1009;
	KTEST_EXPECT_EQ(t, pvh_parse(FAKE_BASE, test_map, &bi), 0);
	KTEST_EXPECT_TRUE(t, !strcmp(bi.cmdline, text));
	/* A long one, up to the end of memory: cut, terminated, its length known. */
	start_info(FAKE_BASE + 64);
	memset(mem + 64, 'a', sizeof(mem) - 65);
	KTEST_EXPECT_EQ(t, pvh_parse(FAKE_BASE, test_map, &bi), 0);
	KTEST_EXPECT_EQ(t, strlen(bi.cmdline), (size_t)BOOT_CMDLINE_MAX - 1);
	KTEST_EXPECT_EQ(t, bi.cmdline_len, sizeof(mem) - 65);
	/* Unreachable command line: empty, not a fault. */
	start_info(0x7fff0000);
	KTEST_EXPECT_EQ(t, pvh_parse(FAKE_BASE, test_map, &bi), 0);
	KTEST_EXPECT_EQ(t, bi.cmdline[0], 0);
}

/*
 * Linux's x86 COMMAND_LINE_SIZE: 2047 characters are kept whole; one more
 * is cut, and the parser says how long the loader's line was.
 */
static void test_cmdline_size(struct ktest *t)
{
	const size_t max = BOOT_CMDLINE_MAX - 1;

	KTEST_EXPECT_GE(t, max, (size_t)2047);
	start_info(FAKE_BASE + 64);
	memset(mem + 64, 'b', max);
	KTEST_EXPECT_EQ(t, pvh_parse(FAKE_BASE, test_map, &bi), 0);
	KTEST_EXPECT_EQ(t, strlen(bi.cmdline), max);
	KTEST_EXPECT_EQ(t, bi.cmdline_len, max);
	KTEST_EXPECT_EQ(t, bi.cmdline[max - 1], 'b');
	mem[64 + max] = 'c';
	KTEST_EXPECT_EQ(t, pvh_parse(FAKE_BASE, test_map, &bi), 0);
	KTEST_EXPECT_EQ(t, strlen(bi.cmdline), max);
	KTEST_EXPECT_EQ(t, bi.cmdline_len, max + 1);
	KTEST_EXPECT_EQ(t, bi.cmdline[max - 1], 'b');

	/* Multiboot2: a 3000-character command line tag. */
	memset(mem, 0, sizeof(mem));
	memset(&bi, 0, sizeof(bi));
	put32(0, 8 + 3016 + 8);			/* header, cmdline tag, end tag */
	put32(8, 1);				/* MB2_TAG_CMDLINE */
	put32(12, 8 + 3001);
	memset(mem + 16, 'm', 3000);
	put32(8 + 3016, 0);			/* end tag, 8-byte aligned */
	put32(8 + 3016 + 4, 8);
	KTEST_EXPECT_EQ(t, multiboot2_parse(mem, 8 + 3016 + 8, &bi), 0);
	KTEST_EXPECT_EQ(t, strlen(bi.cmdline), max);
	KTEST_EXPECT_EQ(t, bi.cmdline_len, (size_t)3000);
}

static void test_pvh_misaligned_memmap(struct ktest *t)
{
	start_info(0);
	put64(40, FAKE_BASE + 101);		/* memmap_paddr: odd address */
	put32(48, 2);				/* memmap_entries */
	put64(101, 0x100000);
	put64(109, 0x7f00000);
	put32(117, BOOT_MEM_USABLE);
	put64(125, 0xfec00000);
	put64(133, 0x1000);
	put32(141, BOOT_MEM_RESERVED);
	KTEST_EXPECT_EQ(t, pvh_parse(FAKE_BASE, test_map, &bi), 0);
	KTEST_ASSERT_EQ(t, bi.nr_mmap, 2U);
	KTEST_EXPECT_EQ(t, bi.mmap[0].addr, 0x100000ULL);
	KTEST_EXPECT_EQ(t, bi.mmap[0].len, 0x7f00000ULL);
	KTEST_EXPECT_EQ(t, bi.mmap[1].addr, 0xfec00000ULL);
	KTEST_EXPECT_EQ(t, bi.mmap[1].type, (u32)BOOT_MEM_RESERVED);
	/* A map that runs past the window is refused. */
	put32(48, sizeof(mem) / 24);
	KTEST_EXPECT_EQ(t, pvh_parse(FAKE_BASE, test_map, &bi), -EINVAL);
}

static void test_pvh_modules(struct ktest *t)
{
	start_info(0);
	put32(12, 1);				/* nr_modules */
	put64(16, FAKE_BASE + 200);		/* modlist_paddr */
	put64(200, 0x400000);
	put64(208, 0x2000);
	put64(216, FAKE_BASE + 300);		/* its command line */
	memcpy(mem + 300, "initrd", 7);
	KTEST_EXPECT_EQ(t, pvh_parse(FAKE_BASE, test_map, &bi), 0);
	KTEST_ASSERT_EQ(t, bi.nr_modules, 1U);
	KTEST_EXPECT_EQ(t, bi.modules[0].end, 0x402000ULL);
	KTEST_EXPECT_TRUE(t, !strcmp(bi.modules[0].name, "initrd"));
	put64(208, ~0ULL - 0x1000);		/* end wraps around */
	KTEST_EXPECT_EQ(t, pvh_parse(FAKE_BASE, test_map, &bi), -EINVAL);
	put32(0, 0x12345678);			/* bad magic */
	KTEST_EXPECT_EQ(t, pvh_parse(FAKE_BASE, test_map, &bi), -EINVAL);
}

static void test_multiboot2(struct ktest *t)
{
	memset(mem, 0, sizeof(mem));
	memset(&bi, 0, sizeof(bi));
	put32(0, 8 + 16 + 8);			/* total: header, cmdline tag, end tag */
	put32(8, 1);				/* MB2_TAG_CMDLINE */
	put32(12, 8 + 5);
	memcpy(mem + 16, "abcd", 5);
	put32(24, 0);				/* end tag */
	put32(28, 8);
	KTEST_EXPECT_EQ(t, multiboot2_parse(mem, 32, &bi), 0);
	KTEST_EXPECT_TRUE(t, !strcmp(bi.cmdline, "abcd"));
	/* Declared bigger than what is readable. */
	KTEST_EXPECT_EQ(t, multiboot2_parse(mem, 24, &bi), -EINVAL);
	/* A tag that claims to run past the block. */
	put32(12, 100);
	KTEST_EXPECT_EQ(t, multiboot2_parse(mem, 32, &bi), -EINVAL);
	/* No end tag. */
	put32(12, 8 + 5);
	put32(24, 5);				/* a boot-device tag instead */
	put32(28, 8);
	KTEST_EXPECT_EQ(t, multiboot2_parse(mem, 32, &bi), -EINVAL);
}

static struct ktest_case bootparse_cases[] = {
	KTEST_CASE(test_pvh_cmdline_bounded),
	KTEST_CASE(test_cmdline_size),
	KTEST_CASE(test_pvh_misaligned_memmap),
	KTEST_CASE(test_pvh_modules),
	KTEST_CASE(test_multiboot2),
	{}
};

static struct ktest_suite bootparse_suite = {
	.name = "bootparse",
	.cases = bootparse_cases,
};
KTEST_SUITE(bootparse_suite);
