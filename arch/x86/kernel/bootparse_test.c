// SPDX-License-Identifier: GPL-2.0
/*
 * Regression tests of the boot-information parsers, for the bugs the
 * fuzzers (tests/fuzz/fuzz_pvh.c, fuzz_multiboot2.c) were written to find:
 * loader memory is read only as far as the map function allows (strings
 * included), structures may sit at misaligned addresses, a wrapping module
 * is rejected, a malformed Multiboot2 block is rejected; and what the
 * Multiboot2 parser makes of GRUB's UEFI tags: the EFI memory map's types
 * converted and merged, the framebuffer kept only when it can be drawn on.
 *
 * "Physical memory" is a buffer: the map function exposes only its first
 * `window` bytes, and the bytes after the window are non-zero, so a parser
 * that reads past what it was given copies them and the test sees it.
 */
#include <exo/bootparse.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/string.h>

#define FAKE_BASE	0x10000ULL

static u8 mem[8192] __aligned(8);
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

/*
 * A Multiboot2 block at mem[0]: tags appended by mb2_tag(), ended and
 * sized by mb2_end().  Returns the offset of the tag's payload.
 */
static size_t mb2_off;

static void mb2_begin(void)
{
	memset(mem, 0, sizeof(mem));
	memset(&bi, 0, sizeof(bi));
	mb2_off = 8;
}

static size_t mb2_tag(u32 type, u32 size)
{
	size_t at = mb2_off;

	put32(at, type);
	put32(at + 4, size);
	mb2_off += (size + 7) & ~7U;
	return at + 8;
}

static int mb2_end(void)
{
	mb2_tag(0, 8);
	put32(0, mb2_off);
	return multiboot2_parse(mem, mb2_off, &bi);
}

/* Tag 6, GRUB's E820-style map: one usable range. */
static void mb2_e820_ram(u64 addr, u64 len)
{
	size_t p = mb2_tag(6, 16 + 24);

	put32(p, 24);
	put64(p + 8, addr);
	put64(p + 16, len);
	put32(p + 24, 1);
}

/* One EFI_MEMORY_DESCRIPTOR of @stride bytes at @at. */
static void efi_desc(size_t at, u32 type, u64 start, u64 pages, u64 attr)
{
	put32(at, type);
	put64(at + 8, start);
	put64(at + 24, pages);
	put64(at + 32, attr);
}

#define EFI_WB	0x8ULL

static void test_multiboot2_efi_mmap(struct ktest *t)
{
	static const struct { u32 type; u64 start, pages, attr; } d[] = {
		{ 7, 0, 0xa0, EFI_WB },			/* conventional */
		{ 3, 0x100000, 0x100, EFI_WB },		/* boot services code: RAM */
		{ 4, 0x200000, 0x100, EFI_WB },		/* boot services data: RAM, merged */
		{ 9, 0x300000, 0x10, EFI_WB },		/* ACPI reclaim */
		{ 10, 0x310000, 0x10, EFI_WB },		/* ACPI NVS */
		{ 5, 0x320000, 0x10, EFI_WB },		/* runtime services code */
		{ 2, 0x330000, 0x10, 0 },		/* loader data, not WB: reserved */
		{ 8, 0x340000, 0x10, EFI_WB },		/* unusable */
		{ 11, 0xfec00000, 1, 0 },		/* MMIO */
		{ 7, 0x400000, 0, EFI_WB },		/* empty: skipped */
	};
	const u32 stride = 48;
	size_t p;

	mb2_begin();
	/* GRUB's E820-style map first: the EFI one replaces it. */
	mb2_e820_ram(0x1000, 0x1000);
	p = mb2_tag(17, 16 + stride * ARRAY_SIZE(d));
	put32(p, stride);
	put32(p + 4, 1);
	for (unsigned int i = 0; i < ARRAY_SIZE(d); i++)
		efi_desc(p + 8 + i * stride, d[i].type, d[i].start, d[i].pages, d[i].attr);
	KTEST_ASSERT_EQ(t, mb2_end(), 0);
	KTEST_EXPECT_TRUE(t, bi.efi && bi.efi_mmap);
	KTEST_EXPECT_EQ(t, bi.nr_efi_desc, (unsigned int)ARRAY_SIZE(d));
	KTEST_ASSERT_EQ(t, bi.nr_mmap, 7U);
	KTEST_EXPECT_EQ(t, bi.mmap[0].len, 0xa0000ULL);
	KTEST_EXPECT_EQ(t, bi.mmap[1].addr, 0x100000ULL);
	KTEST_EXPECT_EQ(t, bi.mmap[1].len, 0x200000ULL);
	KTEST_EXPECT_EQ(t, bi.mmap[1].type, (u32)BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, bi.mmap[2].type, (u32)BOOT_MEM_ACPI);
	KTEST_EXPECT_EQ(t, bi.mmap[3].type, (u32)BOOT_MEM_NVS);
	/* Runtime code and the non-WB loader data: both reserved, merged. */
	KTEST_EXPECT_EQ(t, bi.mmap[4].type, (u32)BOOT_MEM_RESERVED);
	KTEST_EXPECT_EQ(t, bi.mmap[4].len, 0x20000ULL);
	KTEST_EXPECT_EQ(t, bi.mmap[5].type, (u32)BOOT_MEM_BAD);
	KTEST_EXPECT_EQ(t, bi.mmap[6].addr, 0xfec00000ULL);
	KTEST_EXPECT_EQ(t, bi.mmap[6].type, (u32)BOOT_MEM_RESERVED);

	/* The E820-style map after the EFI one is ignored. */
	mb2_begin();
	p = mb2_tag(17, 16 + stride);
	put32(p, stride);
	put32(p + 4, 1);
	efi_desc(p + 8, 7, 0x100000, 1, EFI_WB);
	mb2_e820_ram(0x5000, 0x1000);
	KTEST_ASSERT_EQ(t, mb2_end(), 0);
	KTEST_ASSERT_EQ(t, bi.nr_mmap, 1U);
	KTEST_EXPECT_EQ(t, bi.mmap[0].addr, 0x100000ULL);

	/* Unknown descriptor version: map ignored, tag 6's kept, still UEFI. */
	put32(16 + 4, 2);
	memset(&bi, 0, sizeof(bi));
	KTEST_EXPECT_EQ(t, mb2_end(), 0);
	KTEST_EXPECT_FALSE(t, bi.efi_mmap);
	KTEST_EXPECT_TRUE(t, bi.efi);
	KTEST_ASSERT_EQ(t, bi.nr_mmap, 1U);
	KTEST_EXPECT_EQ(t, bi.mmap[0].addr, 0x5000ULL);
	/* Descriptor smaller than EFI_MEMORY_DESCRIPTOR, or a wrapping range. */
	mb2_begin();
	p = mb2_tag(17, 16 + stride);
	put32(p, 32);
	put32(p + 4, 1);
	KTEST_EXPECT_EQ(t, mb2_end(), -EINVAL);
	mb2_begin();
	p = mb2_tag(17, 16 + stride);
	put32(p, stride);
	put32(p + 4, 1);
	efi_desc(p + 8, 7, ~0ULL - 0xfff, 2, EFI_WB);
	KTEST_EXPECT_EQ(t, mb2_end(), -EINVAL);
}

/* An EFI map of nothing usable, or of no descriptor, keeps tag 6's map. */
static void test_multiboot2_efi_mmap_unusable(struct ktest *t)
{
	const u32 stride = 48;
	size_t p;

	for (unsigned int nr_desc = 0; nr_desc < 2; nr_desc++) {
		mb2_begin();
		mb2_e820_ram(0x100000, 0x100000);
		p = mb2_tag(17, 16 + stride * nr_desc);
		put32(p, stride);
		put32(p + 4, 1);
		if (nr_desc)				/* reserved only */
			efi_desc(p + 8, 0, 0x100000, 0x100, EFI_WB);
		KTEST_ASSERT_EQ(t, mb2_end(), 0);
		KTEST_EXPECT_TRUE(t, bi.efi);
		KTEST_EXPECT_FALSE(t, bi.efi_mmap);
		KTEST_ASSERT_EQ(t, bi.nr_mmap, 1U);
		KTEST_EXPECT_EQ(t, bi.mmap[0].type, (u32)BOOT_MEM_USABLE);
	}
}

#define EFI_SP	0x40000ULL

/*
 * Tag 18 (boot services alive), before or after the map: loader and
 * boot services memory stays reserved.  EFI_MEMORY_SP is never RAM.
 */
static void test_multiboot2_efi_bs_sp(struct ktest *t)
{
	const u32 stride = 48;
	size_t p;

	for (unsigned int bs_first = 0; bs_first < 2; bs_first++) {
		mb2_begin();
		if (bs_first)
			mb2_tag(18, 8);
		p = mb2_tag(17, 16 + stride * 3);
		put32(p, stride);
		put32(p + 4, 1);
		efi_desc(p + 8, 7, 0x100000, 0x100, EFI_WB);		/* conventional */
		efi_desc(p + 8 + stride, 4, 0x200000, 0x100, EFI_WB);	/* BS data */
		efi_desc(p + 8 + 2 * stride, 2, 0x300000, 0x100, EFI_WB); /* loader */
		if (!bs_first)
			mb2_tag(18, 8);
		KTEST_ASSERT_EQ(t, mb2_end(), 0);
		KTEST_EXPECT_TRUE(t, bi.efi_bs);
		KTEST_ASSERT_EQ(t, bi.nr_mmap, 2U);
		KTEST_EXPECT_EQ(t, bi.mmap[0].type, (u32)BOOT_MEM_USABLE);
		KTEST_EXPECT_EQ(t, bi.mmap[1].type, (u32)BOOT_MEM_RESERVED);
		KTEST_EXPECT_EQ(t, bi.mmap[1].len, 0x200000ULL);
	}
	mb2_begin();
	p = mb2_tag(17, 16 + stride * 2);
	put32(p, stride);
	put32(p + 4, 1);
	efi_desc(p + 8, 7, 0x100000, 0x100, EFI_WB);
	efi_desc(p + 8 + stride, 7, 0x200000, 0x100, EFI_WB | EFI_SP);
	KTEST_ASSERT_EQ(t, mb2_end(), 0);
	KTEST_EXPECT_FALSE(t, bi.efi_bs);
	KTEST_ASSERT_EQ(t, bi.nr_mmap, 2U);
	KTEST_EXPECT_EQ(t, bi.mmap[1].addr, 0x200000ULL);
	KTEST_EXPECT_EQ(t, bi.mmap[1].type, (u32)BOOT_MEM_RESERVED);
}

/*
 * More ranges than BOOT_MAX_MMAP: MMIO goes first, so the RAM above
 * 4 GiB at the end of the map is kept.
 */
static void test_multiboot2_efi_mmap_full(struct ktest *t)
{
	const u32 stride = 40, n = BOOT_MAX_MMAP + 1;
	size_t p;

	mb2_begin();
	p = mb2_tag(17, 16 + stride * n);
	put32(p, stride);
	put32(p + 4, 1);
	for (u32 i = 0; i + 1 < n; i++)		/* RAM and MMIO, none touching */
		efi_desc(p + 8 + i * stride, i % 2 ? 11 : 7, 0x100000ULL * (2 * i + 1), 1,
			 i % 2 ? 0 : EFI_WB);
	efi_desc(p + 8 + (n - 1) * stride, 7, 0x100000000ULL, 0x40000, EFI_WB);
	KTEST_ASSERT_EQ(t, mb2_end(), 0);
	KTEST_EXPECT_TRUE(t, bi.efi_mmap);
	KTEST_EXPECT_EQ(t, bi.nr_efi_desc, n);
	KTEST_ASSERT_EQ(t, bi.nr_mmap, (unsigned int)(BOOT_MAX_MMAP / 2 + 1));
	KTEST_EXPECT_EQ(t, bi.mmap[bi.nr_mmap - 1].addr, 0x100000000ULL);
	KTEST_EXPECT_EQ(t, bi.mmap[bi.nr_mmap - 1].type, (u32)BOOT_MEM_USABLE);
}

/* A framebuffer tag: 1024x768, 32 bpp x8r8g8b8 unless changed after. */
static size_t fb_tag(u32 size)
{
	size_t p = mb2_tag(8, size);

	put64(p, 0x80000000);
	put32(p + 8, 4096);
	put32(p + 12, 1024);
	put32(p + 16, 768);
	mem[p + 20] = 32;
	mem[p + 21] = 1;			/* RGB */
	mem[p + 24] = 16;
	mem[p + 25] = 8;
	mem[p + 26] = 8;
	mem[p + 27] = 8;
	mem[p + 28] = 0;
	mem[p + 29] = 8;
	return p;
}

/*
 * Changes to fb_tag()'s framebuffer that make it unusable: one or two
 * fields (@off2 0: none), u32 below offset 20, bytes from there on (bpp
 * at 20, the colour channels at 24-29).
 */
static const struct { size_t off; u32 val; size_t off2; u32 val2; } fb_bad[] = {
	{ 8, 1024 },			/* pitch under width * 4 */
	{ 8, 4096 + 4097 },		/* pitch: more than 4 KiB of padding */
	{ 20, 16 },			/* 16 bpp: red (bits 16-23) outside */
	{ 12, 16385, 8, 16385 * 4 },	/* width */
	{ 16, 16385 },			/* height */
	{ 27, 0 },			/* a green channel of no bits */
	{ 24, 25 },			/* red ending at bit 33 (shift by 32) */
};

static void fb_set(size_t p, size_t off, u32 val)
{
	if (off >= 20)
		mem[p + off] = val;
	else
		put32(p + off, val);
}

static void test_multiboot2_framebuffer(struct ktest *t)
{
	size_t p;

	mb2_begin();
	fb_tag(38);
	mb2_tag(12, 16);			/* EFI 64-bit system table */
	KTEST_ASSERT_EQ(t, mb2_end(), 0);
	KTEST_EXPECT_TRUE(t, bi.efi);
	KTEST_EXPECT_FALSE(t, bi.efi_mmap);
	KTEST_EXPECT_EQ(t, bi.fb.addr, 0x80000000ULL);
	KTEST_EXPECT_EQ(t, bi.fb.width, 1024U);
	KTEST_EXPECT_EQ(t, bi.fb.pitch, 4096U);
	KTEST_EXPECT_EQ(t, bi.fb.red_pos, 16);
	KTEST_EXPECT_EQ(t, bi.fb.blue_size, 8);
	/* EGA text (type 2): no framebuffer, not an error. */
	mb2_begin();
	p = fb_tag(38);
	mem[p + 21] = 2;
	KTEST_EXPECT_EQ(t, mb2_end(), 0);
	KTEST_EXPECT_EQ(t, bi.fb.addr, 0ULL);
	KTEST_EXPECT_FALSE(t, bi.efi);
	/*
	 * Geometry the console cannot use: ignored (a log line each).  Byte
	 * fields are the tag's bpp (20) and colour channels (24-29).
	 */
	for (unsigned int i = 0; i < ARRAY_SIZE(fb_bad); i++) {
		mb2_begin();
		p = fb_tag(38);
		fb_set(p, fb_bad[i].off, fb_bad[i].val);
		if (fb_bad[i].off2)
			fb_set(p, fb_bad[i].off2, fb_bad[i].val2);
		KTEST_EXPECT_EQ(t, mb2_end(), 0);
		KTEST_EXPECT_EQ(t, bi.fb.addr, 0ULL);
	}
	/* 16384 x 16384 x 4 bytes is 1 GiB, over 256 MiB; 8192 x 8192 x 4 is 256 MiB. */
	for (u32 side = 16384; side >= 8192; side /= 2) {
		mb2_begin();
		p = fb_tag(38);
		put32(p + 8, side * 4);
		put32(p + 12, side);
		put32(p + 16, side);
		KTEST_EXPECT_EQ(t, mb2_end(), 0);
		KTEST_EXPECT_EQ(t, bi.fb.addr, side == 8192 ? 0x80000000ULL : 0ULL);
	}
	/* An RGB tag without its colour fields is malformed. */
	mb2_begin();
	fb_tag(32);
	KTEST_EXPECT_EQ(t, mb2_end(), -EINVAL);
}

static struct ktest_case bootparse_cases[] = {
	KTEST_CASE(test_pvh_cmdline_bounded),
	KTEST_CASE(test_cmdline_size),
	KTEST_CASE(test_pvh_misaligned_memmap),
	KTEST_CASE(test_pvh_modules),
	KTEST_CASE(test_multiboot2),
	KTEST_CASE(test_multiboot2_efi_mmap),
	KTEST_CASE(test_multiboot2_efi_mmap_unusable),
	KTEST_CASE(test_multiboot2_efi_bs_sp),
	KTEST_CASE(test_multiboot2_efi_mmap_full),
	KTEST_CASE(test_multiboot2_framebuffer),
	{}
};

static struct ktest_suite bootparse_suite = {
	.name = "bootparse",
	.cases = bootparse_cases,
};
KTEST_SUITE(bootparse_suite);
