// SPDX-License-Identifier: GPL-2.0
/*
 * MADT ("APIC" table) parser: the CPUs' local APIC IDs, the I/O APICs, the
 * ISA interrupt source overrides and the LINT NMI wiring.
 *
 * The parser is a pure function of the table bytes (no globals, no
 * hardware), so it runs unchanged in ktest with forged tables and in the
 * hosted build under ASan.  Every entry is bounds-checked against the
 * table length before any field is read.
 */
#define pr_fmt(fmt) "ACPI: MADT: " fmt

#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/string.h>

struct madt_lapic {
	struct acpi_madt_entry h;
	u8 acpi_uid;
	u8 apic_id;
	u32 flags;
} __packed;

struct madt_x2apic {
	struct acpi_madt_entry h;
	u16 reserved;
	u32 apic_id;
	u32 flags;
	u32 acpi_uid;
} __packed;

struct madt_ioapic_entry {
	struct acpi_madt_entry h;
	u8 id;
	u8 reserved;
	u32 address;
	u32 gsi_base;
} __packed;

struct madt_iso {
	struct acpi_madt_entry h;
	u8 bus;
	u8 source;
	u32 gsi;
	u16 flags;
} __packed;

struct madt_lapic_nmi_entry {
	struct acpi_madt_entry h;
	u8 acpi_uid;
	u16 flags;
	u8 lint;
} __packed;

struct madt_x2apic_nmi_entry {
	struct acpi_madt_entry h;
	u16 flags;
	u32 acpi_uid;
	u8 lint;
	u8 reserved[3];
} __packed;

struct madt_lapic_override {
	struct acpi_madt_entry h;
	u16 reserved;
	u64 address;
} __packed;

static const u8 min_len[] = {
	[ACPI_MADT_LAPIC] = sizeof(struct madt_lapic),
	[ACPI_MADT_IOAPIC] = sizeof(struct madt_ioapic_entry),
	[ACPI_MADT_INT_OVERRIDE] = sizeof(struct madt_iso),
	[ACPI_MADT_LAPIC_NMI] = sizeof(struct madt_lapic_nmi_entry),
	[ACPI_MADT_LAPIC_OVERRIDE] = sizeof(struct madt_lapic_override),
	[ACPI_MADT_X2APIC] = sizeof(struct madt_x2apic),
	[ACPI_MADT_X2APIC_NMI] = sizeof(struct madt_x2apic_nmi_entry),
};

static void add_cpu(struct madt_info *info, u32 apic_id, u32 flags)
{
	if (!(flags & (ACPI_MADT_ENABLED | ACPI_MADT_ONLINE_CAPABLE))) {
		info->nr_disabled++;
		return;
	}
	if (!(flags & ACPI_MADT_ENABLED)) {
		/* Online-capable means hot-pluggable later: not present now. */
		info->nr_disabled++;
		return;
	}
	for (unsigned int i = 0; i < info->nr_cpus; i++) {
		if (info->apic_ids[i] == apic_id) {
			pr_warn("APIC ID %u listed twice, ignoring the second entry\n", apic_id);
			return;
		}
	}
	if (info->nr_cpus >= NR_CPUS) {
		if (!info->nr_ignored++) {
			pr_warn("more than NR_CPUS=%u CPUs: APIC ID %u and later are ignored\n",
				NR_CPUS, apic_id);
			info->ignored_apic_min = info->ignored_apic_max = apic_id;
		}
		info->ignored_apic_min = min(info->ignored_apic_min, apic_id);
		info->ignored_apic_max = max(info->ignored_apic_max, apic_id);
		return;
	}
	info->apic_ids[info->nr_cpus++] = apic_id;
}

static void add_nmi(struct madt_info *info, u32 uid, u8 lint, u16 flags)
{
	if (lint > 1) {
		pr_warn("LAPIC NMI on LINT%u does not exist, ignored\n", lint);
		return;
	}
	if (info->nr_nmis < MADT_MAX_NMIS)
		info->nmis[info->nr_nmis++] = (struct madt_lapic_nmi){ uid, lint, flags };
}

static void parse_entry(struct madt_info *info, const struct acpi_madt_entry *e)
{
	switch (e->type) {
	case ACPI_MADT_LAPIC: {
		const struct madt_lapic *l = (const void *)e;

		add_cpu(info, l->apic_id, l->flags);
		break;
	}
	case ACPI_MADT_X2APIC: {
		const struct madt_x2apic *x = (const void *)e;

		add_cpu(info, x->apic_id, x->flags);
		break;
	}
	case ACPI_MADT_IOAPIC: {
		const struct madt_ioapic_entry *io = (const void *)e;

		if (info->nr_ioapics >= MADT_MAX_IOAPICS) {
			pr_warn("more than %u I/O APICs, ignoring ID %u\n", MADT_MAX_IOAPICS, io->id);
			break;
		}
		info->ioapics[info->nr_ioapics++] =
			(struct madt_ioapic){ io->id, io->address, io->gsi_base };
		break;
	}
	case ACPI_MADT_INT_OVERRIDE: {
		const struct madt_iso *iso = (const void *)e;

		if (iso->bus != 0 || iso->source >= 16) {
			pr_warn("override of bus %u IRQ %u ignored (ISA only)\n", iso->bus, iso->source);
			break;
		}
		if (info->nr_overrides < MADT_MAX_OVERRIDES)
			info->overrides[info->nr_overrides++] =
				(struct madt_override){ iso->source, iso->gsi, iso->flags };
		break;
	}
	case ACPI_MADT_LAPIC_NMI: {
		const struct madt_lapic_nmi_entry *n = (const void *)e;

		add_nmi(info, n->acpi_uid == 0xff ? 0xffffffff : n->acpi_uid, n->lint, n->flags);
		break;
	}
	case ACPI_MADT_X2APIC_NMI: {
		const struct madt_x2apic_nmi_entry *n = (const void *)e;

		add_nmi(info, n->acpi_uid, n->lint, n->flags);
		break;
	}
	case ACPI_MADT_LAPIC_OVERRIDE: {
		const struct madt_lapic_override *o = (const void *)e;

		info->lapic_address = o->address;
		break;
	}
	default:
		break;	/* NMI sources, GIC, ... : not ours */
	}
}

int acpi_parse_madt(const struct acpi_table_madt *madt, size_t len, struct madt_info *info)
{
	const u8 *p, *end;

	memset(info, 0, sizeof(*info));
	if (acpi_table_check(&madt->header, len, "APIC", sizeof(*madt), "MADT"))
		return -EINVAL;
	info->lapic_address = madt->lapic_address;
	info->has_8259 = madt->flags & 1;
	p = (const u8 *)(madt + 1);
	end = (const u8 *)madt + madt->header.length;
	while (p < end) {
		const struct acpi_madt_entry *e = (const void *)p;

		if (end - p < (long)sizeof(*e) || e->length < sizeof(*e) || e->length > end - p) {
			pr_err("entry at offset %ld overruns the table (length %u)\n",
			       (long)(p - (const u8 *)madt), end - p >= 2 ? e->length : 0);
			return -EINVAL;
		}
		if (e->type < sizeof(min_len) && min_len[e->type] && e->length < min_len[e->type]) {
			pr_err("type %u entry at offset %ld too short (%u < %u)\n", e->type,
			       (long)(p - (const u8 *)madt), e->length, min_len[e->type]);
			return -EINVAL;
		}
		parse_entry(info, e);
		p += e->length;
	}
	if (!info->nr_cpus) {
		pr_err("lists no enabled CPU\n");
		return -EINVAL;
	}
	return 0;
}
