// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the PVH start-info parser (arch/x86/kernel/pvh.c).
 *
 * Input: an image of physical memory starting at IMAGE_BASE; the start
 * info is at its beginning and every physical address in it may point
 * anywhere, inside the image or not.  The map function only hands out
 * pointers to bytes inside the (exactly sized) image, like the kernel's
 * early map only hands out the first 4 GiB; ASan catches any read beyond.
 * Checked after every parse:
 *  - 0 or -EINVAL; counts within their arrays; every string terminated;
 *  - the copied memory map entries equal the image's; the command line
 *    and module names are exactly the source strings, truncated to fit or
 *    at the end of the image; no module ends before it starts;
 *  - a second parse gives a byte-identical result.
 */
#include <exo/bootinfo.h>
#include <exo/bootparse.h>
#include <exo/errno.h>
#include <exo/printk.h>
#include <exo/string.h>

#include "fuzz.h"

#define IMAGE_BASE	0x1000ULL

static const uint8_t *image;
static size_t image_size;

static const void *fuzz_map(u64 pa, u64 len)
{
	if (pa < IMAGE_BASE || pa - IMAGE_BASE > image_size ||
	    len > image_size - (pa - IMAGE_BASE))
		return NULL;
	return image + (pa - IMAGE_BASE);
}

static u64 rd64(u64 pa)
{
	const u8 *p = fuzz_map(pa, 8);
	u64 v;

	FUZZ_CHECK(p);
	memcpy(&v, p, 8);
	return v;
}

/* @s is what the parser should have copied from @pa into @dstsz bytes. */
static void check_string(const char *s, size_t dstsz, u64 pa)
{
	size_t n = 0;

	FUZZ_CHECK(memchr(s, 0, dstsz));
	for (; n + 1 < dstsz; n++) {
		const char *c = fuzz_map(pa + n, 1);

		if (!c || !*c)
			break;
		FUZZ_CHECK(s[n] == *c);
	}
	FUZZ_CHECK(s[n] == 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	console_loglevel = 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info a, b;
	int err;

	image = data;
	image_size = size;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	err = pvh_parse(IMAGE_BASE, fuzz_map, &a);
	FUZZ_CHECK(err == 0 || err == -EINVAL);
	FUZZ_CHECK(a.nr_mmap <= BOOT_MAX_MMAP && a.nr_modules <= BOOT_MAX_MODULES);
	FUZZ_CHECK(memchr(a.cmdline, 0, sizeof(a.cmdline)));
	/* The kept part is the whole line or its first BOOT_CMDLINE_MAX - 1 bytes. */
	FUZZ_CHECK(strlen(a.cmdline) == (a.cmdline_len < sizeof(a.cmdline) ?
					 a.cmdline_len : sizeof(a.cmdline) - 1));
	FUZZ_CHECK(memchr(a.loader_name, 0, sizeof(a.loader_name)));
	if (!err) {
		u32 hdr[4];
		u64 cmdline = rd64(IMAGE_BASE + 24), memmap = rd64(IMAGE_BASE + 40);
		u64 modlist = rd64(IMAGE_BASE + 16);

		memcpy(hdr, data, sizeof(hdr));
		FUZZ_CHECK(hdr[0] == PVH_START_MAGIC);
		FUZZ_CHECK(!strcmp(a.protocol, "pvh"));
		FUZZ_CHECK(a.info_start == IMAGE_BASE && a.info_end == IMAGE_BASE + 56);
		if (cmdline)
			check_string(a.cmdline, sizeof(a.cmdline), cmdline);
		u32 version = hdr[1], nmap;

		memcpy(&nmap, data + 48, 4);
		if (version >= 1)
			FUZZ_CHECK(a.nr_mmap == (nmap < BOOT_MAX_MMAP ? nmap : BOOT_MAX_MMAP));
		else
			FUZZ_CHECK(a.nr_mmap == 0);
		for (unsigned int i = 0; i < a.nr_mmap; i++) {
			FUZZ_CHECK(a.mmap[i].addr == rd64(memmap + 24 * i));
			FUZZ_CHECK(a.mmap[i].len == rd64(memmap + 24 * i + 8));
			FUZZ_CHECK(a.mmap[i].type == (u32)rd64(memmap + 24 * i + 16));
		}
		FUZZ_CHECK(a.nr_modules == (hdr[3] < BOOT_MAX_MODULES ? hdr[3] : BOOT_MAX_MODULES));
		for (unsigned int i = 0; i < a.nr_modules; i++) {
			const struct boot_module *m = &a.modules[i];
			u64 name = rd64(modlist + 32 * i + 16);

			FUZZ_CHECK(m->start == rd64(modlist + 32 * i));
			FUZZ_CHECK(m->start <= m->end);
			FUZZ_CHECK(m->end - m->start == rd64(modlist + 32 * i + 8));
			if (name)
				check_string(m->name, sizeof(m->name), name);
			else
				FUZZ_CHECK(!m->name[0]);
		}
	}
	FUZZ_CHECK(pvh_parse(IMAGE_BASE, fuzz_map, &b) == err);
	FUZZ_CHECK(!memcmp(&a, &b, sizeof(a)));
	return 0;
}
