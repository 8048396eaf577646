// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot2 information parser.  Every tag is bounds-checked against the
 * total size the loader declared before it is read; a malformed structure is
 * rejected with a message naming the tag, never followed.  Portable: the
 * hosted fuzzer (tests/fuzz/fuzz_multiboot2.c) drives multiboot2_parse()
 * with arbitrary bytes.
 */
#include <exo/bootinfo.h>
#include <exo/bootparse.h>
#include <exo/errno.h>
#include <exo/printk.h>
#include <exo/string.h>

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER		2
#define MB2_TAG_MODULE		3
#define MB2_TAG_MEMINFO		4
#define MB2_TAG_BOOTDEV		5
#define MB2_TAG_MMAP		6
#define MB2_TAG_FRAMEBUFFER	8
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15

struct mb2_tag {
	u32 type;
	u32 size;
};

struct mb2_mmap_entry {
	u64 addr;
	u64 len;
	u32 type;
	u32 reserved;
};

/* Copy what fits of the string (at most @max bytes), terminated; returns its length. */
static size_t copy_string(char *dst, size_t dstsz, const char *src, size_t max)
{
	size_t len = strnlen(src, max), n = len;

	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
	return len;
}

static int parse_mmap(const struct mb2_tag *tag, struct boot_info *bi)
{
	const u8 *p = (const u8 *)tag;
	u32 entry_size, n;

	if (tag->size < 16) {
		pr_err("multiboot2: memory map tag too short (%u bytes)\n", tag->size);
		return -EINVAL;
	}
	entry_size = *(const u32 *)(p + 8);
	if (entry_size < sizeof(struct mb2_mmap_entry) || entry_size % 8) {
		pr_err("multiboot2: bad memory map entry size %u\n", entry_size);
		return -EINVAL;
	}
	n = (tag->size - 16) / entry_size;
	for (u32 i = 0; i < n; i++) {
		const struct mb2_mmap_entry *e = (const void *)(p + 16 + i * entry_size);

		if (bi->nr_mmap == BOOT_MAX_MMAP) {
			pr_warn("multiboot2: more than %d memory map entries, rest ignored\n",
				BOOT_MAX_MMAP);
			break;
		}
		bi->mmap[bi->nr_mmap].addr = e->addr;
		bi->mmap[bi->nr_mmap].len = e->len;
		bi->mmap[bi->nr_mmap].type = e->type;
		bi->nr_mmap++;
	}
	return 0;
}

static int parse_module(const struct mb2_tag *tag, struct boot_info *bi)
{
	const u32 *w = (const u32 *)(tag + 1);
	struct boot_module *m;

	if (tag->size < 17) {
		pr_err("multiboot2: module tag too short (%u bytes)\n", tag->size);
		return -EINVAL;
	}
	if (w[1] < w[0]) {
		pr_err("multiboot2: module ends (%#x) before it starts (%#x)\n", w[1], w[0]);
		return -EINVAL;
	}
	if (bi->nr_modules == BOOT_MAX_MODULES) {
		pr_warn("multiboot2: more than %d modules, rest ignored\n", BOOT_MAX_MODULES);
		return 0;
	}
	m = &bi->modules[bi->nr_modules++];
	m->start = w[0];
	m->end = w[1];
	copy_string(m->name, sizeof(m->name), (const char *)(w + 2), tag->size - 16);
	return 0;
}

static int parse_tag(const struct mb2_tag *tag, struct boot_info *bi)
{
	const char *payload = (const char *)(tag + 1);
	u32 len = tag->size - sizeof(*tag);

	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		bi->cmdline_len = copy_string(bi->cmdline, sizeof(bi->cmdline), payload, len);
		return 0;
	case MB2_TAG_LOADER:
		copy_string(bi->loader_name, sizeof(bi->loader_name), payload, len);
		return 0;
	case MB2_TAG_MODULE:
		return parse_module(tag, bi);
	case MB2_TAG_MMAP:
		return parse_mmap(tag, bi);
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		if (len < 20) {
			pr_err("multiboot2: ACPI RSDP tag too short (%u bytes)\n", len);
			return -EINVAL;
		}
		/* Prefer the ACPI 2.0 copy (XSDT) when both are given. */
		if (!bi->has_rsdp_copy || tag->type == MB2_TAG_ACPI_NEW) {
			memset(bi->rsdp_copy, 0, sizeof(bi->rsdp_copy));
			memcpy(bi->rsdp_copy, payload,
			       len < sizeof(bi->rsdp_copy) ? len : sizeof(bi->rsdp_copy));
			bi->has_rsdp_copy = true;
		}
		return 0;
	default:
		/* framebuffer, boot device, basic meminfo, ELF sections...: not needed */
		return 0;
	}
}

/**
 * multiboot2_parse() - fill @bi from a Multiboot2 information block
 * @mbi: the block (total_size u32, reserved u32, then 8-byte aligned tags)
 * @avail: bytes readable at @mbi (the parser never reads past it)
 * @bi: filled in
 *
 * Return: 0, or -EINVAL for a malformed block (a message says which tag).
 */
int multiboot2_parse(const void *mbi, size_t avail, struct boot_info *bi)
{
	const u8 *base = mbi;
	u32 total, off = 8;
	bool seen_end = false;

	if (avail < 16) {
		pr_err("multiboot2: information block truncated\n");
		return -EINVAL;
	}
	total = *(const u32 *)base;
	if (total < 16 || total > avail || total > (16U << 20)) {
		pr_err("multiboot2: implausible total size %u\n", total);
		return -EINVAL;
	}
	while (off + sizeof(struct mb2_tag) <= total) {
		const struct mb2_tag *tag = (const void *)(base + off);
		int err;

		if (tag->size < sizeof(*tag) || tag->size > total - off) {
			pr_err("multiboot2: tag type %u at offset %u has bad size %u\n",
			       tag->type, off, tag->size);
			return -EINVAL;
		}
		if (tag->type == MB2_TAG_END) {
			seen_end = true;
			break;
		}
		err = parse_tag(tag, bi);
		if (err)
			return err;
		off += (tag->size + 7) & ~7U;
	}
	if (!seen_end) {
		pr_err("multiboot2: no end tag\n");
		return -EINVAL;
	}
	bi->protocol = "multiboot2";
	return 0;
}
