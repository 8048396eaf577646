// SPDX-License-Identifier: GPL-2.0
/*
 * MADT parser tests on forged tables: a good table with every entry kind,
 * and each way a table can be broken (checksum, truncation, zero-length
 * and overrunning entries, too-short entries, no CPU), plus duplicate and
 * excess CPUs.  The machine's own MADT is checked against the online CPUs.
 */
#include <exo/acpi.h>
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/ktest.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <asm/smp.h>

/* Room for test_madt_limits(): NR_CPUS + 4 entries of up to 16 bytes. */
#define FORGE_BYTES	(sizeof(struct acpi_table_madt) + (NR_CPUS + 4) * 16)

struct forge {
	u8 buf[FORGE_BYTES > 512 ? FORGE_BYTES : 512];
	size_t len;
};

static void forge_init(struct forge *f)
{
	struct acpi_table_madt *m = (void *)f->buf;

	memset(f, 0, sizeof(*f));
	memcpy(m->header.signature, "APIC", 4);
	m->lapic_address = 0xfee00000;
	m->flags = 1;
	f->len = sizeof(*m);
}

static void forge_add(struct forge *f, u8 type, u8 len, const void *body)
{
	BUG_ON(f->len + len > sizeof(f->buf));
	f->buf[f->len] = type;
	f->buf[f->len + 1] = len;
	if (len > 2)
		memcpy(f->buf + f->len + 2, body, len - 2);
	f->len += len;
}

static void forge_lapic(struct forge *f, u8 uid, u8 id, u32 flags)
{
	u8 b[6] = { uid, id };

	memcpy(b + 2, &flags, 4);
	forge_add(f, ACPI_MADT_LAPIC, 8, b);
}

/* An x2APIC entry: 32-bit APIC ID and UID. */
static void forge_x2apic(struct forge *f, u32 uid, u32 id, u32 flags)
{
	u8 b[14] = { 0, 0 };

	memcpy(b + 2, &id, 4);
	memcpy(b + 6, &flags, 4);
	memcpy(b + 10, &uid, 4);
	forge_add(f, ACPI_MADT_X2APIC, 16, b);
}

static const struct acpi_table_madt *forge_done(struct forge *f)
{
	struct acpi_table_madt *m = (void *)f->buf;
	u8 sum = 0;

	m->header.length = f->len;
	m->header.checksum = 0;
	for (size_t i = 0; i < f->len; i++)
		sum += f->buf[i];
	m->header.checksum = -sum;
	return m;
}

static void test_madt_good(struct ktest *t)
{
	struct forge f;
	struct madt_info info;
	u8 ioapic[10] = { 7, 0 }, iso[8] = { 0, 0 }, nmi[4] = { 0xff, 5, 0, 1 };
	u32 v = 0xfec00000, gsi = 2, x2[3];
	u16 isoflags = 0xf;

	forge_init(&f);
	forge_lapic(&f, 0, 0, ACPI_MADT_ENABLED);
	forge_lapic(&f, 1, 2, ACPI_MADT_ENABLED);
	forge_lapic(&f, 2, 4, 0);				/* disabled */
	forge_lapic(&f, 3, 6, ACPI_MADT_ONLINE_CAPABLE);	/* hot-plug only */
	memcpy(ioapic + 2, &v, 4);
	memset(ioapic + 6, 0, 4);
	forge_add(&f, ACPI_MADT_IOAPIC, 12, ioapic);
	memcpy(iso + 2, &gsi, 4);
	memcpy(iso + 6, &isoflags, 2);
	forge_add(&f, ACPI_MADT_INT_OVERRIDE, 10, iso);
	forge_add(&f, ACPI_MADT_LAPIC_NMI, 6, nmi);
	x2[0] = 300;				/* x2APIC entry: id 300, enabled */
	x2[1] = ACPI_MADT_ENABLED;
	x2[2] = 9;
	{
		u8 b[14] = { 0, 0 };

		memcpy(b + 2, x2, 12);
		forge_add(&f, ACPI_MADT_X2APIC, 16, b);
	}
	forge_add(&f, 0x7f, 4, "\0\0");		/* unknown type: skipped */

	KTEST_ASSERT_EQ(t, acpi_parse_madt(forge_done(&f), f.len, &info), 0);
	KTEST_EXPECT_EQ(t, info.lapic_address, 0xfee00000);
	KTEST_EXPECT_TRUE(t, info.has_8259);
	KTEST_EXPECT_EQ(t, info.nr_cpus, NR_CPUS >= 3 ? 3 : NR_CPUS);
	KTEST_EXPECT_EQ(t, info.apic_ids[0], 0);
	if (NR_CPUS >= 3) {
		KTEST_EXPECT_EQ(t, info.apic_ids[1], 2);
		KTEST_EXPECT_EQ(t, info.apic_ids[2], 300);
	}
	KTEST_EXPECT_EQ(t, info.nr_disabled, 2);
	KTEST_ASSERT_EQ(t, info.nr_ioapics, 1);
	KTEST_EXPECT_EQ(t, info.ioapics[0].id, 7);
	KTEST_EXPECT_EQ(t, info.ioapics[0].address, 0xfec00000);
	KTEST_ASSERT_EQ(t, info.nr_overrides, 1);
	KTEST_EXPECT_EQ(t, info.overrides[0].bus_irq, 0);
	KTEST_EXPECT_EQ(t, info.overrides[0].gsi, 2);
	KTEST_EXPECT_EQ(t, info.overrides[0].flags, 0xf);
	KTEST_ASSERT_EQ(t, info.nr_nmis, 1);
	KTEST_EXPECT_EQ(t, info.nmis[0].acpi_uid, 0xffffffff);
	KTEST_EXPECT_EQ(t, info.nmis[0].lint, 1);
}

static void test_madt_malformed(struct ktest *t)
{
	struct forge f;
	struct madt_info info;
	const struct acpi_table_madt *m;

	/* Bad checksum. */
	forge_init(&f);
	forge_lapic(&f, 0, 0, ACPI_MADT_ENABLED);
	m = forge_done(&f);
	f.buf[9] ^= 1;
	KTEST_EXPECT_EQ(t, acpi_parse_madt(m, f.len, &info), -EINVAL);

	/* Header length beyond what is readable. */
	forge_init(&f);
	forge_lapic(&f, 0, 0, ACPI_MADT_ENABLED);
	m = forge_done(&f);
	KTEST_EXPECT_EQ(t, acpi_parse_madt(m, f.len - 1, &info), -EINVAL);
	KTEST_EXPECT_EQ(t, acpi_parse_madt(m, 10, &info), -EINVAL);

	/* Zero-length entry (would loop forever if trusted). */
	forge_init(&f);
	forge_lapic(&f, 0, 0, ACPI_MADT_ENABLED);
	forge_add(&f, ACPI_MADT_LAPIC, 0, NULL);
	f.len += 2;
	KTEST_EXPECT_EQ(t, acpi_parse_madt(forge_done(&f), f.len, &info), -EINVAL);

	/* Entry running past the end of the table. */
	forge_init(&f);
	forge_lapic(&f, 0, 0, ACPI_MADT_ENABLED);
	f.buf[f.len] = ACPI_MADT_IOAPIC;
	f.buf[f.len + 1] = 40;
	f.len += 4;
	KTEST_EXPECT_EQ(t, acpi_parse_madt(forge_done(&f), f.len, &info), -EINVAL);

	/* Entry shorter than its type needs. */
	forge_init(&f);
	forge_lapic(&f, 0, 0, ACPI_MADT_ENABLED);
	forge_add(&f, ACPI_MADT_IOAPIC, 6, "\1\0\0\0");
	KTEST_EXPECT_EQ(t, acpi_parse_madt(forge_done(&f), f.len, &info), -EINVAL);

	/* No enabled CPU, wrong signature. */
	forge_init(&f);
	forge_lapic(&f, 0, 0, 0);
	KTEST_EXPECT_EQ(t, acpi_parse_madt(forge_done(&f), f.len, &info), -EINVAL);
	forge_init(&f);
	forge_lapic(&f, 0, 0, ACPI_MADT_ENABLED);
	memcpy(f.buf, "FACP", 4);
	KTEST_EXPECT_EQ(t, acpi_parse_madt(forge_done(&f), f.len, &info), -EINVAL);
}

static void test_madt_limits(struct ktest *t)
{
	static struct forge f;		/* NR_CPUS-sized: off the stack */
	struct madt_info info;

	forge_init(&f);
	/* xAPIC entries while 8-bit IDs last (255 is broadcast), then x2APIC. */
	for (unsigned int i = 0; i < NR_CPUS + 3; i++) {
		if (i < 0xff)
			forge_lapic(&f, i, i, ACPI_MADT_ENABLED);
		else
			forge_x2apic(&f, i, i, ACPI_MADT_ENABLED);
	}
	forge_lapic(&f, 99, 1, ACPI_MADT_ENABLED);	/* duplicate APIC ID 1 */
	KTEST_ASSERT_EQ(t, acpi_parse_madt(forge_done(&f), f.len, &info), 0);
	KTEST_EXPECT_EQ(t, info.nr_cpus, NR_CPUS);
	KTEST_EXPECT_EQ(t, info.nr_ignored, 3);
	/* What smpboot reports as left out. */
	KTEST_EXPECT_EQ(t, info.ignored_apic_min, NR_CPUS);
	KTEST_EXPECT_EQ(t, info.ignored_apic_max, NR_CPUS + 2);
}

/* The machine's own table agrees with what came online. */
static void test_madt_matches_online(struct ktest *t)
{
	unsigned int dead = 0;

	if (!acpi_madt_valid)
		KTEST_SKIP(t, "no valid MADT on this machine");
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		dead += cpu_data[cpu].state == CPU_STATE_DEAD;	/* did not answer */
	/* The others are online or were left out for lack of memory. */
	KTEST_EXPECT_EQ(t, num_online_cpus() + dead + smp_cpus_without_memory(),
			acpi_madt.nr_cpus);
	KTEST_EXPECT_LE(t, nr_cpu_ids, acpi_madt.nr_cpus);
	KTEST_EXPECT_GE(t, acpi_madt.nr_ioapics, 1);
	KTEST_EXPECT_NOT_NULL(t, acpi_get_table("APIC", 0));
	KTEST_EXPECT_NULL(t, acpi_get_table("APIC", 1));
	KTEST_EXPECT_NULL(t, acpi_get_table("ZZZZ", 0));
}

static void rsdp_fix(struct acpi_rsdp *r)
{
	u8 sum = 0;

	r->checksum = 0;
	for (int i = 0; i < 20; i++)
		sum += ((u8 *)r)[i];
	r->checksum = -sum;
	r->extended_checksum = 0;
	sum = 0;
	for (size_t i = 0; i < sizeof(*r); i++)
		sum += ((u8 *)r)[i];
	r->extended_checksum = -sum;
}

static void test_rsdp_validation(struct ktest *t)
{
	struct acpi_rsdp r;

	memset(&r, 0, sizeof(r));
	memcpy(r.signature, "RSD PTR ", 8);
	r.revision = 2;
	r.length = sizeof(r);
	r.xsdt_address = 0x1000;
	rsdp_fix(&r);
	KTEST_EXPECT_EQ(t, acpi_validate_rsdp(&r, sizeof(r)), 0);
	KTEST_EXPECT_EQ(t, acpi_validate_rsdp(&r, 20), -EINVAL);	/* rev 2 needs 36 bytes */
	r.revision = 0;
	rsdp_fix(&r);
	KTEST_EXPECT_EQ(t, acpi_validate_rsdp(&r, 20), 0);		/* ACPI 1.0: 20 bytes */
	r.rsdt_address ^= 1;					/* checksum now wrong */
	KTEST_EXPECT_EQ(t, acpi_validate_rsdp(&r, 20), -EINVAL);
	r.revision = 2;
	rsdp_fix(&r);
	r.extended_checksum ^= 0xff;
	KTEST_EXPECT_EQ(t, acpi_validate_rsdp(&r, sizeof(r)), -EINVAL);
	rsdp_fix(&r);
	r.length = 1000;					/* longer than readable */
	KTEST_EXPECT_EQ(t, acpi_validate_rsdp(&r, sizeof(r)), -EINVAL);
	rsdp_fix(&r);
	r.signature[0] = 'X';
	KTEST_EXPECT_EQ(t, acpi_validate_rsdp(&r, sizeof(r)), -EINVAL);
}

static struct ktest_case madt_cases[] = {
	KTEST_CASE(test_rsdp_validation),
	KTEST_CASE(test_madt_good),
	KTEST_CASE(test_madt_malformed),
	KTEST_CASE(test_madt_limits),
	KTEST_CASE_FLAGS(test_madt_matches_online, KTEST_F_NOHOST),
	{}
};

static struct ktest_suite madt_suite = {
	.name = "acpi_madt",
	.cases = madt_cases,
};
KTEST_SUITE(madt_suite);
