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
#include <exo/limits.h>
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
#define MB2_TAG_EFI32		11	/* EFI 32-bit system table pointer */
#define MB2_TAG_EFI64		12	/* EFI 64-bit system table pointer */
#define MB2_TAG_EFI_MMAP	17
#define MB2_TAG_EFI_BS		18	/* boot services not terminated */
#define MB2_TAG_EFI32_IH	19	/* EFI image handles */
#define MB2_TAG_EFI64_IH	20

#define MB2_FB_TYPE_RGB		1

/* UEFI 2.x EFI_MEMORY_TYPE and the attribute bit we look at. */
enum efi_memory_type {
	EFI_RESERVED_TYPE,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE,
	EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY,
	EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_MEMORY_NVS,
	EFI_MEMORY_MAPPED_IO,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE,
	EFI_PAL_CODE,
	EFI_PERSISTENT_MEMORY,
};
#define EFI_MEMORY_WB		0x8ULL
#define EFI_MEMORY_SP		0x40000ULL	/* specific purpose: soft-reserved */
#define EFI_MEMORY_DESCRIPTOR_VERSION	1
#define EFI_PAGE_SHIFT		12

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

/* EFI_MEMORY_DESCRIPTOR: the loader's stride (descriptor size) may be larger. */
struct efi_memory_desc {
	u32 type;
	u32 pad;
	u64 phys_addr;
	u64 virt_addr;
	u64 num_pages;
	u64 attribute;
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

/*
 * The E820 type of an EFI memory type, as Linux's do_add_efi_memmap():
 * what the loader and boot services used is free RAM once GRUB has called
 * ExitBootServices() (tag 18 absent), provided the firmware says it is
 * ordinary write-back memory.  Specific-purpose memory (EFI_MEMORY_SP) is
 * soft-reserved for its driver, never general RAM.
 */
static u32 efi_to_boot_type(const struct efi_memory_desc *d, bool bs_live)
{
	switch (d->type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
		if (bs_live)
			return BOOT_MEM_RESERVED;
		fallthrough;
	case EFI_CONVENTIONAL_MEMORY:
		if (d->attribute & EFI_MEMORY_SP)
			return BOOT_MEM_RESERVED;
		return d->attribute & EFI_MEMORY_WB ? BOOT_MEM_USABLE : BOOT_MEM_RESERVED;
	case EFI_ACPI_RECLAIM_MEMORY:
		return BOOT_MEM_ACPI;
	case EFI_ACPI_MEMORY_NVS:
		return BOOT_MEM_NVS;
	case EFI_UNUSABLE_MEMORY:
		return BOOT_MEM_BAD;
	default:	/* runtime services, MMIO, PAL code, persistent memory */
		return BOOT_MEM_RESERVED;
	}
}

/*
 * Append [addr, addr + len) of @type to @map (*@nr entries), merged with
 * the last entry if they touch.  Return: 0, -ENOSPC if @map is full.
 */
static int add_range(struct boot_mmap_entry *map, unsigned int *nr, u64 addr, u64 len,
		     u32 type)
{
	struct boot_mmap_entry *last = *nr ? &map[*nr - 1] : NULL;

	if (last && last->type == type && last->addr + last->len == addr) {
		last->len += len;
		return 0;
	}
	if (*nr == BOOT_MAX_MMAP)
		return -ENOSPC;
	map[*nr].addr = addr;
	map[*nr].len = len;
	map[*nr].type = type;
	(*nr)++;
	return 0;
}

/*
 * The EFI map converted, before it replaces bi->mmap: static, as it is
 * too big for the early boot stack; the parser runs on one CPU at a time.
 */
static struct boot_mmap_entry efi_conv[BOOT_MAX_MMAP];

/*
 * Convert @n descriptors of @desc_size bytes at @p into efi_conv, leaving
 * out MMIO descriptors if @skip_mmio (they are never RAM: what to drop
 * when the map does not fit).  *@usable counts the usable ranges.
 * Return: the number of ranges, -EINVAL for a wrapping descriptor,
 * -ENOSPC if they do not fit in BOOT_MAX_MMAP (efi_conv holds the first).
 */
static int convert_efi_mmap(const u8 *p, u32 desc_size, u32 n, bool bs_live, bool skip_mmio,
			    unsigned int *usable)
{
	unsigned int nr = 0;
	int err = 0;

	*usable = 0;
	for (u32 i = 0; i < n; i++) {
		const struct efi_memory_desc *d = (const void *)(p + i * desc_size);
		u64 len = d->num_pages << EFI_PAGE_SHIFT;
		u32 type;

		if (!d->num_pages)
			continue;
		if (d->num_pages > (U64_MAX >> EFI_PAGE_SHIFT) || d->phys_addr + len < d->phys_addr) {
			pr_err("multiboot2: EFI memory descriptor %u (%#llx, %llu pages) wraps\n",
			       i, d->phys_addr, d->num_pages);
			return -EINVAL;
		}
		if (skip_mmio && (d->type == EFI_MEMORY_MAPPED_IO ||
				  d->type == EFI_MEMORY_MAPPED_IO_PORT_SPACE))
			continue;
		type = efi_to_boot_type(d, bs_live);
		if (!err)
			err = add_range(efi_conv, &nr, d->phys_addr, len, type);
		if (!err && type == BOOT_MEM_USABLE)
			(*usable)++;
	}
	return err ? err : (int)nr;
}

/*
 * Tag 17: u32 descriptor size, u32 descriptor version, then the firmware's
 * descriptors.  It replaces the E820-style map (tag 6), which GRUB derives
 * from it with its own idea of the EFI types, if it has usable RAM in it:
 * a map of nothing usable keeps tag 6's.  Parsed after every other tag,
 * so that tag 18 (boot services alive) is known whatever the order.
 */
static int parse_efi_mmap(const struct mb2_tag *tag, struct boot_info *bi)
{
	const u8 *p = (const u8 *)tag;
	u32 desc_size, version, n;
	unsigned int usable;
	int nr;

	bi->efi = true;
	if (tag->size < 16) {
		pr_err("multiboot2: EFI memory map tag too short (%u bytes)\n", tag->size);
		return -EINVAL;
	}
	desc_size = *(const u32 *)(p + 8);
	version = *(const u32 *)(p + 12);
	if (desc_size < sizeof(struct efi_memory_desc) || desc_size % 8) {
		pr_err("multiboot2: bad EFI memory descriptor size %u\n", desc_size);
		return -EINVAL;
	}
	if (version != EFI_MEMORY_DESCRIPTOR_VERSION) {
		pr_warn("multiboot2: EFI memory descriptor version %u unknown, map ignored\n",
			version);
		return 0;
	}
	n = (tag->size - 16) / desc_size;
	nr = convert_efi_mmap(p + 16, desc_size, n, bi->efi_bs, false, &usable);
	if (nr == -ENOSPC) {
		pr_warn("multiboot2: EFI memory map needs more than %d ranges, MMIO left out\n",
			BOOT_MAX_MMAP);
		nr = convert_efi_mmap(p + 16, desc_size, n, bi->efi_bs, true, &usable);
		if (nr == -ENOSPC) {
			pr_warn("multiboot2: EFI memory map still too big, last ranges ignored\n");
			nr = BOOT_MAX_MMAP;
		}
	}
	if (nr < 0)
		return nr;
	if (!usable) {
		pr_warn("multiboot2: EFI memory map (%u descriptors) has no usable RAM, ignored\n",
			n);
		return 0;
	}
	memcpy(bi->mmap, efi_conv, nr * sizeof(efi_conv[0]));
	bi->nr_mmap = nr;
	bi->efi_mmap = true;
	bi->nr_efi_desc = n;
	return 0;
}

/* Largest framebuffer we map: 16384 x 16384 pixels, 256 MiB. */
#define FB_MAX_SIDE		16384
#define FB_MAX_BYTES		(256ULL << 20)
/* Padding a loader may put after a scan line's pixels. */
#define FB_MAX_PITCH_PAD	4096

/* A channel of @size bits at bit @pos, inside a @bpp-bit pixel. */
static bool channel_ok(u8 pos, u8 size, u8 bpp)
{
	return size >= 1 && size <= 8 && pos + size <= bpp;
}

/*
 * Whether fbcon can map and draw on @fb: bounded sides, a pitch that
 * holds a line's pixels with at most FB_MAX_PITCH_PAD bytes after them,
 * at most FB_MAX_BYTES in all, and every colour channel inside the pixel
 * (a channel past bit 31 would make its shift undefined).
 */
static bool framebuffer_usable(const struct boot_framebuffer *fb)
{
	u64 line = (u64)fb->width * ((fb->bpp + 7) / 8);

	if (!fb->addr || !fb->width || !fb->height ||
	    fb->width > FB_MAX_SIDE || fb->height > FB_MAX_SIDE)
		return false;
	if (fb->bpp != 15 && fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32)
		return false;
	if (fb->pitch < line || fb->pitch > line + FB_MAX_PITCH_PAD ||
	    (u64)fb->pitch * fb->height > FB_MAX_BYTES ||
	    fb->addr + (u64)fb->pitch * fb->height < fb->addr)
		return false;
	return channel_ok(fb->red_pos, fb->red_size, fb->bpp) &&
	       channel_ok(fb->green_pos, fb->green_size, fb->bpp) &&
	       channel_ok(fb->blue_pos, fb->blue_size, fb->bpp);
}

/*
 * Tag 8: u64 address, u32 pitch, width, height, u8 bpp, u8 type, u16
 * reserved, then for RGB the position and size of red, green and blue.
 * A framebuffer we cannot draw on is left out with a message, never fatal:
 * the serial console still works.
 */
static int parse_framebuffer(const struct mb2_tag *tag, struct boot_info *bi)
{
	const u8 *p = (const u8 *)tag;
	struct boot_framebuffer fb = { 0 };
	u8 type;

	if (tag->size < 32) {
		pr_err("multiboot2: framebuffer tag too short (%u bytes)\n", tag->size);
		return -EINVAL;
	}
	memcpy(&fb.addr, p + 8, 8);
	memcpy(&fb.pitch, p + 16, 4);
	memcpy(&fb.width, p + 20, 4);
	memcpy(&fb.height, p + 24, 4);
	fb.bpp = p[28];
	type = p[29];
	if (type != MB2_FB_TYPE_RGB) {
		pr_info("multiboot2: framebuffer type %u (not RGB direct colour) not used\n", type);
		return 0;
	}
	if (tag->size < 38) {
		pr_err("multiboot2: RGB framebuffer tag too short (%u bytes)\n", tag->size);
		return -EINVAL;
	}
	fb.red_pos = p[32];
	fb.red_size = p[33];
	fb.green_pos = p[34];
	fb.green_size = p[35];
	fb.blue_pos = p[36];
	fb.blue_size = p[37];
	if (!framebuffer_usable(&fb)) {
		pr_warn("multiboot2: unusable framebuffer %ux%u, %u bpp, pitch %u at %#llx\n",
			fb.width, fb.height, fb.bpp, fb.pitch, (u64)fb.addr);
		return 0;
	}
	bi->fb = fb;
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
	case MB2_TAG_EFI_MMAP:		/* after the walk: parse_efi_mmap() */
		return 0;
	case MB2_TAG_FRAMEBUFFER:
		return parse_framebuffer(tag, bi);
	case MB2_TAG_EFI_BS:
		pr_warn("multiboot2: EFI boot services not terminated, their memory kept reserved\n");
		bi->efi_bs = true;
		bi->efi = true;
		return 0;
	case MB2_TAG_EFI32:
	case MB2_TAG_EFI64:
	case MB2_TAG_EFI32_IH:
	case MB2_TAG_EFI64_IH:
		bi->efi = true;
		return 0;
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
		/* boot device, basic meminfo, ELF sections...: not needed */
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
	const struct mb2_tag *efi_mmap = NULL;
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
		if (tag->type == MB2_TAG_EFI_MMAP)
			efi_mmap = tag;
		off += (tag->size + 7) & ~7U;
	}
	if (!seen_end) {
		pr_err("multiboot2: no end tag\n");
		return -EINVAL;
	}
	if (efi_mmap) {
		int err = parse_efi_mmap(efi_mmap, bi);

		if (err)
			return err;
	}
	bi->protocol = "multiboot2";
	return 0;
}
