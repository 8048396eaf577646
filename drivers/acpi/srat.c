// SPDX-License-Identifier: GPL-2.0
/*
 * SRAT (System Resource Affinity Table) and SLIT (System Locality
 * Information Table) parsers: which proximity domain each CPU and memory
 * range belongs to, and the relative distances between domains.
 *
 * Like the MADT parser these are pure functions of the table bytes, so that
 * the same code runs in ktest with forged tables and in the hosted fuzzer
 * (tests/fuzz/fuzz_srat.c).  Anything inconsistent rejects the whole table:
 * the caller (arch/x86/mm/numa.c) then falls back to one node rather than
 * guess which half of a contradictory table is right.
 */
#define pr_fmt(fmt) "ACPI: " fmt

#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/string.h>

/* Architectural maximum physical address (as memblock's MEMBLOCK_MAX_PHYS). */
#define SRAT_MAX_PHYS	(1ULL << 52)

struct srat_cpu_affinity {
	struct acpi_madt_entry h;
	u8 pxm_lo;
	u8 apic_id;
	u32 flags;
	u8 sapic_eid;
	u8 pxm_hi[3];
	u32 clock_domain;
} __packed;

struct srat_mem_affinity {
	struct acpi_madt_entry h;
	u32 pxm;
	u16 reserved;
	u64 base;
	u64 length;
	u32 reserved1;
	u32 flags;
	u64 reserved2;
} __packed;

struct srat_x2apic_affinity {
	struct acpi_madt_entry h;
	u16 reserved;
	u32 pxm;
	u32 apic_id;
	u32 flags;
	u32 clock_domain;
	u32 reserved2;
} __packed;

static const u8 srat_min_len[] = {
	[ACPI_SRAT_TYPE_CPU_AFFINITY] = sizeof(struct srat_cpu_affinity),
	[ACPI_SRAT_TYPE_MEMORY_AFFINITY] = sizeof(struct srat_mem_affinity),
	[ACPI_SRAT_TYPE_X2APIC_AFFINITY] = sizeof(struct srat_x2apic_affinity),
};

/* Record @pxm in the sorted set; -EINVAL when there are too many. */
static int add_pxm(struct srat_info *info, u32 pxm)
{
	unsigned int i = 0;

	while (i < info->nr_pxms && info->pxms[i] < pxm)
		i++;
	if (i < info->nr_pxms && info->pxms[i] == pxm)
		return 0;
	if (info->nr_pxms >= SRAT_MAX_PXMS) {
		pr_err("SRAT: more than %u proximity domains\n", SRAT_MAX_PXMS);
		return -EINVAL;
	}
	memmove(&info->pxms[i + 1], &info->pxms[i], (info->nr_pxms - i) * sizeof(u32));
	info->pxms[i] = pxm;
	info->nr_pxms++;
	return 0;
}

static int add_cpu(struct srat_info *info, u32 apic_id, u32 pxm, u32 flags)
{
	if (!(flags & ACPI_SRAT_CPU_ENABLED)) {
		info->nr_disabled++;
		return 0;
	}
	for (unsigned int i = 0; i < info->nr_cpus; i++) {
		if (info->cpus[i].apic_id != apic_id)
			continue;
		if (info->cpus[i].pxm == pxm)
			return 0;
		pr_err("SRAT: APIC ID %u in domains %u and %u\n", apic_id, info->cpus[i].pxm, pxm);
		return -EINVAL;
	}
	if (info->nr_cpus >= NR_CPUS) {
		info->nr_cpus_ignored++;
		return 0;
	}
	info->cpus[info->nr_cpus++] = (struct srat_cpu){ apic_id, pxm };
	return add_pxm(info, pxm);
}

static int add_mem(struct srat_info *info, const struct srat_mem_affinity *m, u32 pxm)
{
	u64 base = m->base, size = m->length, end = base + size;

	if (!(m->flags & ACPI_SRAT_MEM_ENABLED)) {
		info->nr_disabled++;
		return 0;
	}
	if (!size)
		return 0;	/* QEMU pads with such entries; they describe nothing */
	if (end < base || end > SRAT_MAX_PHYS) {
		pr_err("SRAT: memory range %#llx+%#llx wraps or lies beyond 2^52\n",
		       (unsigned long long)base, (unsigned long long)size);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < info->nr_mems; i++) {
		const struct srat_mem *o = &info->mems[i];

		if (base < o->base + o->size && o->base < end && o->pxm != pxm) {
			pr_err("SRAT: memory %#llx-%#llx of domain %u overlaps domain %u's\n",
			       (unsigned long long)base, (unsigned long long)end - 1, pxm, o->pxm);
			return -EINVAL;
		}
	}
	if (info->nr_mems >= SRAT_MAX_MEMS) {
		pr_err("SRAT: more than %u memory ranges\n", SRAT_MAX_MEMS);
		return -EINVAL;
	}
	info->mems[info->nr_mems++] = (struct srat_mem){ base, size, pxm, m->flags };
	return add_pxm(info, pxm);
}

static int parse_srat_entry(struct srat_info *info, const struct acpi_madt_entry *e, u8 rev)
{
	switch (e->type) {
	case ACPI_SRAT_TYPE_CPU_AFFINITY: {
		const struct srat_cpu_affinity *c = (const void *)e;
		u32 pxm = c->pxm_lo;

		if (rev >= 2)
			pxm |= c->pxm_hi[0] << 8 | c->pxm_hi[1] << 16 | (u32)c->pxm_hi[2] << 24;
		return add_cpu(info, c->apic_id, pxm, c->flags);
	}
	case ACPI_SRAT_TYPE_X2APIC_AFFINITY: {
		const struct srat_x2apic_affinity *x = (const void *)e;

		return add_cpu(info, x->apic_id, x->pxm, x->flags);
	}
	case ACPI_SRAT_TYPE_MEMORY_AFFINITY: {
		const struct srat_mem_affinity *m = (const void *)e;

		return add_mem(info, m, rev >= 2 ? m->pxm : m->pxm & 0xff);
	}
	default:
		return 0;	/* GICC, GIC ITS, generic initiators: not ours */
	}
}

int acpi_parse_srat(const struct acpi_table_srat *srat, size_t len, struct srat_info *info)
{
	const u8 *p, *end;
	int err;

	memset(info, 0, sizeof(*info));
	if (acpi_table_check(&srat->header, len, "SRAT", sizeof(*srat), "SRAT"))
		return -EINVAL;
	p = (const u8 *)(srat + 1);
	end = (const u8 *)srat + srat->header.length;
	while (p < end) {
		const struct acpi_madt_entry *e = (const void *)p;

		if (end - p < (long)sizeof(*e) || e->length < sizeof(*e) || e->length > end - p) {
			pr_err("SRAT: entry at offset %ld overruns the table\n",
			       (long)(p - (const u8 *)srat));
			return -EINVAL;
		}
		if (e->type < sizeof(srat_min_len) && e->length < srat_min_len[e->type]) {
			pr_err("SRAT: type %u entry at offset %ld too short (%u < %u)\n", e->type,
			       (long)(p - (const u8 *)srat), e->length, srat_min_len[e->type]);
			return -EINVAL;
		}
		err = parse_srat_entry(info, e, srat->header.revision);
		if (err)
			return err;
		p += e->length;
	}
	if (!info->nr_pxms) {
		pr_err("SRAT: no enabled entry\n");
		return -EINVAL;
	}
	return 0;
}

long acpi_parse_slit(const struct acpi_table_slit *slit, size_t len)
{
	u64 n;

	if (acpi_table_check(&slit->header, len, "SLIT", sizeof(*slit), "SLIT"))
		return -EINVAL;
	n = slit->locality_count;
	/* The table is at most 4 GiB: a count above 2^16 cannot fit. */
	if (!n || n > 0xffff || n * n > slit->header.length - sizeof(*slit)) {
		pr_err("SLIT: %llu localities do not fit in %u bytes\n", (unsigned long long)n,
		       slit->header.length);
		return -EINVAL;
	}
	for (u64 i = 0; i < n; i++) {
		for (u64 j = 0; j < n; j++) {
			u8 d = slit->entry[i * n + j];

			if (i == j ? d != 10 : d <= 10) {
				pr_err("SLIT: distance %llu->%llu is %u\n", (unsigned long long)i,
				       (unsigned long long)j, d);
				return -EINVAL;
			}
		}
	}
	return (long)n;
}
