// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the SRAT and SLIT parsers, drivers/acpi/srat.c
 * (acpi_parse_srat(), acpi_parse_slit()), compiled unchanged.
 *
 * Input: a mode byte, then the table bytes in a buffer of exactly their
 * size (ASan catches any read past it).  Mode bit 0 picks the SLIT (set) or
 * the SRAT (clear); bit 7 fixes the header checksum first so that the
 * fuzzer gets past it to the entries.
 * Checked:
 *  - the result is 0 or -EINVAL, and a second parse gives the same result
 *    and the same information;
 *  - an accepted SRAT: counts within their arrays; domains distinct and
 *    ascending, and every CPU's and range's domain among them; APIC IDs
 *    distinct; every range non-empty, below 2^52, and overlapping no range
 *    of another domain; at least one domain;
 *  - the SLIT against a reference written from the specification: the
 *    count fits the table, the diagonal is 10 and the rest above 10.
 */
#include <exo/acpi.h>
#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/printk.h>

#include "fuzz.h"

static struct srat_info got, again;

/*
 * tables.c (acpi_table_check()) comes with table discovery, which this
 * target does not drive: no firmware memory to map.
 */
struct boot_info boot_info;

void *acpi_os_map(phys_addr_t pa, size_t len)
{
	return NULL;
}

int acpi_os_unmap(const void *ptr, size_t len)
{
	return 0;
}

static bool has_pxm(const struct srat_info *s, u32 pxm)
{
	for (unsigned int i = 0; i < s->nr_pxms; i++)
		if (s->pxms[i] == pxm)
			return true;
	return false;
}

static void check_srat(const u8 *t, size_t len)
{
	int err = acpi_parse_srat((const void *)t, len, &got);

	FUZZ_CHECK(err == 0 || err == -EINVAL);
	FUZZ_CHECK(acpi_parse_srat((const void *)t, len, &again) == err);
	if (err)
		return;
	FUZZ_CHECK(!memcmp(&got, &again, sizeof(got)));
	FUZZ_CHECK(got.nr_pxms >= 1 && got.nr_pxms <= SRAT_MAX_PXMS);
	FUZZ_CHECK(got.nr_cpus <= NR_CPUS && got.nr_mems <= SRAT_MAX_MEMS);
	FUZZ_CHECK(got.nr_cpus_ignored == 0 || got.nr_cpus == NR_CPUS);
	for (unsigned int i = 1; i < got.nr_pxms; i++)
		FUZZ_CHECK(got.pxms[i - 1] < got.pxms[i]);
	for (unsigned int i = 0; i < got.nr_cpus; i++) {
		FUZZ_CHECK(has_pxm(&got, got.cpus[i].pxm));
		for (unsigned int j = 0; j < i; j++)
			FUZZ_CHECK(got.cpus[i].apic_id != got.cpus[j].apic_id);
	}
	for (unsigned int i = 0; i < got.nr_mems; i++) {
		const struct srat_mem *m = &got.mems[i];

		FUZZ_CHECK(has_pxm(&got, m->pxm));
		FUZZ_CHECK(m->flags & ACPI_SRAT_MEM_ENABLED);
		FUZZ_CHECK(m->size && m->base + m->size > m->base &&
			   m->base + m->size <= (1ULL << 52));
		for (unsigned int j = 0; j < i; j++) {
			const struct srat_mem *o = &got.mems[j];

			FUZZ_CHECK(o->pxm == m->pxm || m->base >= o->base + o->size ||
				   o->base >= m->base + m->size);
		}
	}
}

static long ref_slit(const u8 *t, size_t len)
{
	u32 tlen;
	u64 n;

	if (len < 44 || memcmp(t, "SLIT", 4))
		return -EINVAL;
	tlen = fuzz_le(t + 4, 4);
	if (tlen < 44 || tlen > len || fuzz_sum8(t, tlen))
		return -EINVAL;
	n = fuzz_le(t + 36, 4) | (u64)fuzz_le(t + 40, 4) << 32;
	if (!n || n > 0xffff || n * n > tlen - 44)
		return -EINVAL;
	for (u64 i = 0; i < n * n; i++) {
		u8 d = t[44 + i];

		if (i / n == i % n ? d != 10 : d <= 10)
			return -EINVAL;
	}
	return (long)n;
}

static void check_slit(const u8 *t, size_t len)
{
	long n = acpi_parse_slit((const void *)t, len);

	FUZZ_CHECK(n == ref_slit(t, len));
	FUZZ_CHECK(n == -EINVAL || (n >= 1 && (u64)n * n + 44 <= len));
	FUZZ_CHECK(acpi_parse_slit((const void *)t, len) == n);
}

FUZZ_DEFINE_QUIET_INIT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_stream s = { data, data + size };
	u8 mode = fuzz_u8(&s);
	size_t len;
	u8 *t = fuzz_acpi_table(&s, mode & 0x80, &len);

	if (mode & 1)
		check_slit(t, len);
	else
		check_srat(t, len);
	free(t);
	return 0;
}
