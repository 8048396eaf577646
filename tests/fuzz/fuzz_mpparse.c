// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the MP table code, arch/x86/kernel/mpparse.c
 * (mp_parse_config(), mp_find_config()), compiled unchanged: the harness
 * supplies acpi_os_map() over an image of low memory.
 *
 * Input: a mode byte, then
 *  - mode bit 0 clear (a table alone): the table bytes, in a buffer of
 *    exactly their size (ASan catches any read past it).  Bit 7 fixes the
 *    checksum and bit 6 the entry count first, so that the fuzzer gets past
 *    them to the entries.
 *  - mode bit 0 set (firmware): the EBDA segment and the base memory size
 *    in KiB (BIOS data area words 0x40e and 0x413), then the image: 4 KiB
 *    at 0x9f000 followed by 64 KiB at 0xf0000 (zero past the input).  Bit
 *    7 makes every floating pointer and table checksum in it right.
 * Checked:
 *  - mp_parse_config() returns 0 or -EINVAL; refused leaves @info empty;
 *    accepted agrees with an independent walk (header length within the
 *    buffer, checksum, revision, entry count and per-type counts), every
 *    assignment names a declared bus and I/O APIC, I/O APIC IDs are
 *    unique, and a second parse is identical;
 *  - mp_find_config() returns 0, -ENOENT or -EINVAL, unmaps exactly what
 *    it mapped, and what it accepts passes the checks above on the table
 *    it mapped last (the configuration table).
 */
#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/mpspec.h>
#include <exo/printk.h>

#include "fuzz.h"

#define LOW_BASE	0x9f000ULL
#define LOW_LEN		0x1000
#define BIOS_BASE	0xf0000ULL
#define BIOS_LEN	0x10000

/* FUZZ_VERBOSE=1: print the parser's messages (when replaying an input). */
FUZZ_DEFINE_QUIET_INIT()

static u8 bda[0x20];			/* 0x400-0x41f: the words at 0x40e, 0x413 */
static u8 *low, *bios;			/* the two image regions, or NULL */
static int nr_mapped;
static const u8 *last_map;		/* the last mapping: the table, on success */
static size_t last_len;

static u8 *region(phys_addr_t pa, size_t len)
{
	if (pa >= 0x400 && pa - 0x400 <= sizeof(bda) && len <= sizeof(bda) - (pa - 0x400))
		return bda + (pa - 0x400);
	if (low && pa >= LOW_BASE && pa - LOW_BASE <= LOW_LEN && len <= LOW_LEN - (pa - LOW_BASE))
		return low + (pa - LOW_BASE);
	if (bios && pa >= BIOS_BASE && pa - BIOS_BASE <= BIOS_LEN &&
	    len <= BIOS_LEN - (pa - BIOS_BASE))
		return bios + (pa - BIOS_BASE);
	return NULL;
}

void *acpi_os_map(phys_addr_t pa, size_t len)
{
	u8 *p = len ? region(pa, len) : NULL;

	nr_mapped += p != NULL;
	last_map = p;
	last_len = len;
	return p;
}

int acpi_os_unmap(const void *ptr, size_t len)
{
	const u8 *p = ptr;

	if (!p)
		return 0;
	FUZZ_CHECK((p >= bda && p + len <= bda + sizeof(bda)) ||
		   (low && p >= low && p + len <= low + LOW_LEN) ||
		   (bios && p >= bios && p + len <= bios + BIOS_LEN));
	nr_mapped--;
	return 0;
}

/* The independent walk: entry count, or -1 if an entry is unknown or crosses the end. */
static int ref_walk(const u8 *t, size_t len, unsigned int per_type[5], unsigned int *cpus)
{
	int n = 0;

	memset(per_type, 0, 5 * sizeof(per_type[0]));
	*cpus = 0;
	for (size_t off = 44; off < len; n++) {
		size_t need = t[off] == 0 ? 20 : 8;

		if (t[off] > 4 || need > len - off)
			return -1;
		per_type[t[off]]++;
		if (t[off] == 0)
			*cpus += t[off + 3] & 1;
		off += need;
	}
	return n;
}

static void check_accepted(const u8 *t, size_t avail, const struct mp_config_info *info)
{
	u32 len = fuzz_le(t + 4, 2);
	unsigned int per_type[5], cpus;

	FUZZ_CHECK(avail >= 44 && !memcmp(t, "PCMP", 4));
	FUZZ_CHECK(len >= 44 && len <= avail && fuzz_sum8(t, len) == 0);
	FUZZ_CHECK(t[6] == 1 || t[6] == 4);
	FUZZ_CHECK(ref_walk(t, len, per_type, &cpus) == (int)fuzz_le(t + 34, 2));
	FUZZ_CHECK(info->nr_irqs == per_type[MP_INTSRC] && info->nr_ioapics == per_type[MP_IOAPIC]);
	FUZZ_CHECK(info->nr_cpus == cpus && info->lapic == fuzz_le(t + 36, 4));
	FUZZ_CHECK(info->nr_irqs <= MP_MAX_IRQS && info->nr_ioapics <= MP_MAX_IOAPICS);
	for (unsigned int i = 0; i < info->nr_ioapics; i++)
		for (unsigned int j = 0; j < i; j++)
			FUZZ_CHECK(info->ioapics[i].id != info->ioapics[j].id);
	for (unsigned int i = 0; i < info->nr_irqs; i++) {
		const struct mpc_intsrc *irq = &info->irqs[i];
		bool apic = irq->dstapic == MP_APIC_ALL;

		for (unsigned int j = 0; j < info->nr_ioapics; j++)
			apic |= info->ioapics[j].id == irq->dstapic;
		FUZZ_CHECK(apic && info->bus_type[irq->srcbus] != MP_BUS_NONE);
		FUZZ_CHECK((irq->irqflag & 3) != 2 && (irq->irqflag & 0xc) != 8);
		FUZZ_CHECK(info->bus_type[irq->srcbus] != MP_BUS_PCI || !(irq->srcbusirq & 0x80));
	}
}

static struct mp_config_info info, again;

static void check_table(const u8 *t, size_t len)
{
	int err = mp_parse_config((const void *)t, len, &info);

	FUZZ_CHECK(err == 0 || err == -EINVAL);
	FUZZ_CHECK(mp_parse_config((const void *)t, len, &again) == err);
	FUZZ_CHECK(!memcmp(&info, &again, sizeof(info)));
	if (err) {
		FUZZ_CHECK(info.nr_irqs == 0 && info.nr_ioapics == 0 && info.nr_cpus == 0);
		return;
	}
	check_accepted(t, len, &info);
}

/* Make every floating pointer and configuration table checksum in @img right. */
static void fix_image(u8 *img, size_t len)
{
	for (size_t off = 0; off + 16 <= len; off += 16) {
		u8 *p = img + off;

		if (!memcmp(p, "_MP_", 4)) {
			p[10] = 0;
			p[10] = (u8)-fuzz_sum8(p, 16);
		} else if (off + 44 <= len && !memcmp(p, "PCMP", 4)) {
			u32 l = fuzz_le(p + 4, 2);

			if (l >= 44 && l <= len - off) {
				p[7] = 0;
				p[7] = (u8)-fuzz_sum8(p, l);
			}
		}
	}
}

static void run_firmware(struct fuzz_stream *s, bool fix)
{
	size_t n;
	int err;

	memset(bda, 0, sizeof(bda));
	bda[0xe] = fuzz_u8(s);
	bda[0xf] = fuzz_u8(s);
	bda[0x13] = fuzz_u8(s);
	bda[0x14] = fuzz_u8(s);
	low = calloc(1, LOW_LEN);
	bios = calloc(1, BIOS_LEN);
	FUZZ_CHECK(low && bios);
	n = (size_t)(s->end - s->p);
	memcpy(low, s->p, n < LOW_LEN ? n : LOW_LEN);
	if (n > LOW_LEN)
		memcpy(bios, s->p + LOW_LEN, n - LOW_LEN < BIOS_LEN ? n - LOW_LEN : BIOS_LEN);
	if (fix) {
		fix_image(low, LOW_LEN);
		fix_image(bios, BIOS_LEN);
	}
	nr_mapped = 0;
	err = mp_find_config(&info);
	FUZZ_CHECK(err == 0 || err == -ENOENT || err == -EINVAL);
	FUZZ_CHECK(nr_mapped == 0);
	if (!err) {
		/* The last mapping was the whole table: the same verdict on it. */
		struct mp_config_info found = info;

		FUZZ_CHECK(last_map && last_len >= 44);
		check_table(last_map, last_len);
		FUZZ_CHECK(!memcmp(&found, &info, sizeof(info)));
	}
	free(low);
	free(bios);
	low = bios = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_stream s = { data, data + size };
	u8 mode = fuzz_u8(&s);
	size_t len;
	u8 *t;

	if (mode & 1) {
		run_firmware(&s, mode & 0x80);
		return 0;
	}
	len = (size_t)(s.end - s.p);
	t = malloc(len ? len : 1);
	FUZZ_CHECK(t);
	memcpy(t, s.p, len);
	if (len >= 44) {
		u32 l = fuzz_le(t + 4, 2);
		unsigned int per_type[5], cpus;

		if (l > len)
			l = len;
		if (mode & 0x40) {
			int n = ref_walk(t, l, per_type, &cpus);

			t[34] = n < 0 ? 0 : n;
			t[35] = n < 0 ? 0 : n >> 8;
		}
		if (mode & 0x80) {
			t[7] = 0;
			t[7] = (u8)-fuzz_sum8(t, l);
		}
	}
	check_table(t, len);
	free(t);
	return 0;
}
