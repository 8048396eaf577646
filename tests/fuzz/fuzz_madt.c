// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the ACPI table code, drivers/acpi/madt.c (acpi_parse_madt())
 * and drivers/acpi/tables.c (RSDP discovery, XSDT/RSDT walk, table lookup),
 * both compiled unchanged: the harness supplies acpi_os_map() over an
 * image of physical memory and the loader's struct boot_info.
 *
 * Input: a mode byte, then
 *  - mode 0 (MADT alone): the table bytes, in a buffer of exactly their
 *    size (ASan catches any read past it).  Mode bit 7 fixes the checksum
 *    first so that the fuzzer gets past it to the entries.
 *  - mode 1 (firmware): the RSDP source (bits 0-1: loader copy of the
 *    image's first 36 bytes, loader pointer to image offset 16 * bits 2-7,
 *    BIOS scan), a 16-bit EBDA segment, then an image of physical memory at
 *    0xE0000 (the BIOS area, 128 KiB, zero past the input).  Bit 7 recomputes every checksum in the image
 *    (RSDPs on 16-byte boundaries, tables on 4-byte ones).
 * Checked:
 *  - acpi_parse_madt() returns 0 or -EINVAL and agrees exactly with an
 *    independent reference parser (written from the ACPI specification's
 *    entry layouts): accepted or not, every CPU (enabled, de-duplicated,
 *    at most NR_CPUS kept, the rest counted), disabled count, I/O APICs,
 *    ISA overrides, LINT NMIs, local APIC address, 8259 flag; all counts
 *    within their arrays; a second parse is identical;
 *  - acpi_table_init() returns 0, -ENOENT or -EINVAL; every table
 *    acpi_get_table() returns lies wholly inside the mapped image, has the
 *    asked signature, a sane length and a good checksum; every MADT found
 *    is then parsed as above.
 */
#include <exo/acpi.h>
#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/printk.h>

#include "fuzz.h"

#define IMAGE_BASE	0xe0000ULL
#define EBDA_PTR	0x40eULL

struct boot_info boot_info;

static const u8 *image;
static size_t image_len;
static u8 ebda_word[2];

void *acpi_os_map(phys_addr_t pa, size_t len)
{
	if (pa == EBDA_PTR && len <= 2)
		return ebda_word;
	if (pa < IMAGE_BASE || pa - IMAGE_BASE > image_len || len > image_len - (pa - IMAGE_BASE))
		return NULL;
	return (void *)(image + (pa - IMAGE_BASE));
}

/*
 * Firmware mappings are dropped again by newer tables.c; any pointer
 * acpi_os_map() handed out may come back, nothing else.
 */
int acpi_os_unmap(const void *ptr, size_t len);

int acpi_os_unmap(const void *ptr, size_t len)
{
	const u8 *p = ptr;

	FUZZ_CHECK(p == ebda_word ||
		   (p >= image && p <= image + image_len && len <= image_len - (size_t)(p - image)));
	return 0;
}

/* ---- reference MADT parser ---- */

static void ref_cpu(struct madt_info *m, u32 id, u32 flags)
{
	if (!(flags & ACPI_MADT_ENABLED)) {
		m->nr_disabled++;
		return;
	}
	for (unsigned int i = 0; i < m->nr_cpus; i++)
		if (m->apic_ids[i] == id)
			return;
	if (m->nr_cpus == NR_CPUS)
		m->nr_ignored++;
	else
		m->apic_ids[m->nr_cpus++] = id;
}

static void ref_nmi(struct madt_info *m, u32 uid, u8 lint, u16 flags)
{
	if (lint <= 1 && m->nr_nmis < MADT_MAX_NMIS)
		m->nmis[m->nr_nmis++] = (struct madt_lapic_nmi){ uid, lint, flags };
}

static int ref_parse(const u8 *t, size_t len, struct madt_info *m)
{
	static const u8 need[11] = { 8, 12, 10, 0, 6, 12, 0, 0, 0, 16, 12 };
	u32 tlen;
	size_t off;

	memset(m, 0, sizeof(*m));
	if (len < 44 || memcmp(t, "APIC", 4))
		return -EINVAL;
	tlen = fuzz_le(t + 4, 4);
	if (tlen < 44 || tlen > len || fuzz_sum8(t, tlen))
		return -EINVAL;
	m->lapic_address = fuzz_le(t + 36, 4);
	m->has_8259 = t[40] & 1;
	for (off = 44; off < tlen;) {
		const u8 *e = t + off;
		u8 type, elen;

		if (tlen - off < 2 || e[1] < 2 || e[1] > tlen - off)
			return -EINVAL;
		type = e[0];
		elen = e[1];
		if (type < sizeof(need) && elen < need[type])
			return -EINVAL;
		switch (type) {
		case 0:
			ref_cpu(m, e[3], fuzz_le(e + 4, 4));
			break;
		case 9:
			ref_cpu(m, fuzz_le(e + 4, 4), fuzz_le(e + 8, 4));
			break;
		case 1:
			if (m->nr_ioapics < MADT_MAX_IOAPICS)
				m->ioapics[m->nr_ioapics++] =
					(struct madt_ioapic){ e[2], fuzz_le(e + 4, 4), fuzz_le(e + 8, 4) };
			break;
		case 2:
			if (e[2] == 0 && e[3] < 16 && m->nr_overrides < MADT_MAX_OVERRIDES)
				m->overrides[m->nr_overrides++] =
					(struct madt_override){ e[3], fuzz_le(e + 4, 4), (u16)fuzz_le(e + 8, 2) };
			break;
		case 4:
			ref_nmi(m, e[2] == 0xff ? 0xffffffff : e[2], e[5], (u16)fuzz_le(e + 3, 2));
			break;
		case 10:
			ref_nmi(m, fuzz_le(e + 4, 4), e[8], (u16)fuzz_le(e + 2, 2));
			break;
		case 5:
			m->lapic_address = fuzz_le(e + 4, 4) | (u64)fuzz_le(e + 8, 4) << 32;
			break;
		default:
			break;
		}
		off += elen;
	}
	return m->nr_cpus ? 0 : -EINVAL;
}

static void same_info(const struct madt_info *a, const struct madt_info *b)
{
	FUZZ_CHECK(a->nr_cpus == b->nr_cpus && a->nr_ignored == b->nr_ignored &&
		   a->nr_disabled == b->nr_disabled);
	FUZZ_CHECK(!memcmp(a->apic_ids, b->apic_ids, a->nr_cpus * sizeof(a->apic_ids[0])));
	FUZZ_CHECK(a->lapic_address == b->lapic_address && a->has_8259 == b->has_8259);
	FUZZ_CHECK(a->nr_ioapics == b->nr_ioapics && a->nr_overrides == b->nr_overrides &&
		   a->nr_nmis == b->nr_nmis);
	for (unsigned int i = 0; i < a->nr_ioapics; i++)
		FUZZ_CHECK(a->ioapics[i].id == b->ioapics[i].id &&
			   a->ioapics[i].address == b->ioapics[i].address &&
			   a->ioapics[i].gsi_base == b->ioapics[i].gsi_base);
	for (unsigned int i = 0; i < a->nr_overrides; i++)
		FUZZ_CHECK(a->overrides[i].bus_irq == b->overrides[i].bus_irq &&
			   a->overrides[i].gsi == b->overrides[i].gsi &&
			   a->overrides[i].flags == b->overrides[i].flags);
	for (unsigned int i = 0; i < a->nr_nmis; i++)
		FUZZ_CHECK(a->nmis[i].acpi_uid == b->nmis[i].acpi_uid &&
			   a->nmis[i].lint == b->nmis[i].lint && a->nmis[i].flags == b->nmis[i].flags);
}

static void check_madt(const u8 *t, size_t len)
{
	struct madt_info got, again, want;
	int err = acpi_parse_madt((const void *)t, len, &got);
	int ref = ref_parse(t, len, &want);

	FUZZ_CHECK(err == 0 || err == -EINVAL);
	FUZZ_CHECK(err == ref);
	FUZZ_CHECK(acpi_parse_madt((const void *)t, len, &again) == err);
	if (err)
		return;
	FUZZ_CHECK(got.nr_cpus >= 1 && got.nr_cpus <= NR_CPUS);
	FUZZ_CHECK(got.nr_ioapics <= MADT_MAX_IOAPICS && got.nr_overrides <= MADT_MAX_OVERRIDES &&
		   got.nr_nmis <= MADT_MAX_NMIS);
	for (unsigned int i = 0; i < got.nr_cpus; i++)
		for (unsigned int j = 0; j < i; j++)
			FUZZ_CHECK(got.apic_ids[i] != got.apic_ids[j]);
	for (unsigned int i = 0; i < got.nr_overrides; i++)
		FUZZ_CHECK(got.overrides[i].bus_irq < 16);
	for (unsigned int i = 0; i < got.nr_nmis; i++)
		FUZZ_CHECK(got.nmis[i].lint <= 1);
	same_info(&got, &want);
	same_info(&got, &again);
}

/* ---- mode 1: firmware image ---- */

static bool table_sig(const u8 *p)
{
	static const char *const sigs[] = { "APIC", "XSDT", "RSDT", "FACP", "HPET", "MCFG" };

	for (unsigned int i = 0; i < ARRAY_SIZE(sigs); i++)
		if (!memcmp(p, sigs[i], 4))
			return true;
	return false;
}

/* Make every checksum in the image right (the fuzzer's input rarely is). */
static void fix_checksums(u8 *img, size_t len)
{
	for (size_t off = 0; off + 8 <= len; off += 4) {
		u8 *p = img + off;

		if (!(off & 15) && off + 20 <= len && !memcmp(p, "RSD PTR ", 8)) {
			u32 l = off + 24 <= len ? fuzz_le(p + 20, 4) : 0;

			p[8] = 0;
			p[8] = (u8)-fuzz_sum8(p, 20);
			if (p[15] >= 2 && l >= 33 && l <= len - off) {
				p[32] = 0;
				p[32] = (u8)-fuzz_sum8(p, l);
			}
		} else if (off + 36 <= len && table_sig(p)) {
			u32 l = fuzz_le(p + 4, 4);

			if (l >= 36 && l <= len - off) {
				p[9] = 0;
				p[9] = (u8)-fuzz_sum8(p, l);
			}
		}
	}
}

static bool in_image(const void *p, size_t len)
{
	const u8 *b = p;

	return b >= image && b <= image + image_len && len <= (size_t)(image + image_len - b);
}

static void check_lookup(const char *sig)
{
	const struct acpi_table_header *h;
	unsigned int i;

	for (i = 0; (h = acpi_get_table(sig, i)); i++) {
		FUZZ_CHECK(i < 64);
		FUZZ_CHECK(in_image(h, sizeof(*h)) && in_image(h, h->length));
		FUZZ_CHECK(!memcmp(h->signature, sig, 4) && h->length >= sizeof(*h));
		FUZZ_CHECK(fuzz_sum8((const u8 *)h, h->length) == 0);
		if (!memcmp(sig, "APIC", 4))
			check_madt((const u8 *)h, h->length);
	}
}

static void run_firmware(struct fuzz_stream *s, bool fix)
{
	u8 srcb = fuzz_u8(s), src = (srcb & 3) % 3;
	size_t len;
	u8 *img;
	int err;

	ebda_word[0] = fuzz_u8(s);
	ebda_word[1] = fuzz_u8(s);
	memset(&boot_info, 0, sizeof(boot_info));
	len = (size_t)(s->end - s->p);
	if (len > 0x20000)
		len = 0x20000;
	/*
	 * The whole BIOS area (0xE0000-0xFFFFF), zero beyond the input: the
	 * RSDP scan may map all of it at once.
	 */
	img = calloc(1, 0x20000);
	FUZZ_CHECK(img);
	memcpy(img, s->p, len);
	if (fix)		/* the input's part only: the rest is zero */
		fix_checksums(img, len);
	len = 0x20000;
	image = img;
	image_len = len;
	if (src == 0 && len >= 36) {		/* the loader's copy: the image's first 36 bytes */
		memcpy(boot_info.rsdp_copy, img, 36);
		boot_info.has_rsdp_copy = true;
	} else if (src == 1) {			/* the loader's pointer: somewhere in the image */
		boot_info.rsdp_phys = IMAGE_BASE + (srcb >> 2) * 16UL;
	}
	err = acpi_table_init();
	FUZZ_CHECK(err == 0 || err == -ENOENT || err == -EINVAL);
	check_lookup("APIC");
	check_lookup("FACP");
	check_lookup("HPET");
	check_lookup("XSDT");
	free(img);
	image = NULL;
	image_len = 0;
}

FUZZ_DEFINE_QUIET_INIT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_stream s = { data, data + size };
	u8 mode = fuzz_u8(&s);

	if (mode & 1) {
		run_firmware(&s, mode & 0x80);
	} else {
		size_t len;
		u8 *t = fuzz_acpi_table(&s, mode & 0x80, &len);

		check_madt(t, len);
		free(t);
	}
	return 0;
}
