// SPDX-License-Identifier: GPL-2.0
/*
 * The MP table (Intel MultiProcessor Specification 1.4): find the floating
 * pointer, validate the configuration table and keep its buses, I/O APICs
 * and I/O interrupt assignments.  The PCI INTx routing code
 * (arch/x86/pci/irq.c) is the only user: the MADT already gives the CPUs
 * and I/O APICs, but only the MP table gives, without an AML interpreter,
 * the I/O APIC input of a PCI device's interrupt pin.
 *
 * Firmware memory is read through acpi_os_map(), so the file is portable
 * and tests/fuzz/fuzz_mpparse.c fuzzes it hosted.  Everything is checked
 * before use: a malformed table is refused with a log line as a whole,
 * never half-trusted.
 */
#define pr_fmt(fmt) "MPS: " fmt

#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/mpspec.h>
#include <exo/printk.h>
#include <exo/string.h>

struct mp_config_info mp_config;

static u8 mp_sum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 s = 0;

	while (len--)
		s += *b++;
	return s;
}

bool mpf_checksum_ok(const struct mpf_intel *mpf)
{
	return !memcmp(mpf->signature, "_MP_", 4) && mpf->length == 1 &&
	       (mpf->specification == 1 || mpf->specification == 4) &&
	       !mp_sum(mpf, sizeof(*mpf));
}

static int mp_add_bus(const struct mpc_bus *b, struct mp_config_info *info)
{
	u8 type;

	if (info->bus_type[b->busid] != MP_BUS_NONE) {
		pr_err("bus ID %u declared twice: table refused\n", b->busid);
		return -EINVAL;
	}
	if (!memcmp(b->bustype, "PCI", 3))
		type = MP_BUS_PCI;
	else if (!memcmp(b->bustype, "ISA", 3))
		type = MP_BUS_ISA;
	else
		type = MP_BUS_OTHER;
	info->bus_type[b->busid] = type;
	return 0;
}

static int mp_add_ioapic(const struct mpc_ioapic *m, struct mp_config_info *info)
{
	struct mp_ioapic_info *io;

	for (unsigned int i = 0; i < info->nr_ioapics; i++)
		if (info->ioapics[i].id == m->apicid) {
			pr_err("I/O APIC ID %u declared twice: table refused\n", m->apicid);
			return -EINVAL;
		}
	if (info->nr_ioapics == MP_MAX_IOAPICS || m->apicid == MP_APIC_ALL) {
		pr_err("I/O APIC ID %u: more than %u I/O APICs or a reserved ID: table refused\n",
		       m->apicid, MP_MAX_IOAPICS);
		return -EINVAL;
	}
	io = &info->ioapics[info->nr_ioapics++];
	io->id = m->apicid;
	io->version = m->apicver;
	io->usable = m->flags & MPC_APIC_USABLE;
	io->address = m->apicaddr;
	return 0;
}

static int mp_add_irq(const struct mpc_intsrc *m, struct mp_config_info *info)
{
	if ((m->irqflag & MP_IRQPOL_MASK) == MP_IRQPOL_RESERVED ||
	    (m->irqflag & MP_IRQTRIG_MASK) == MP_IRQTRIG_RESERVED) {
		pr_err("interrupt assignment with reserved flags %#x: table refused\n", m->irqflag);
		return -EINVAL;
	}
	if (info->nr_irqs == MP_MAX_IRQS) {
		pr_err("more than %u interrupt assignments: table refused\n", MP_MAX_IRQS);
		return -EINVAL;
	}
	info->irqs[info->nr_irqs++] = *m;
	return 0;
}

/*
 * Assignments may precede the bus and I/O APIC entries they name (the
 * specification only recommends the order), so they are checked once the
 * whole table has been read.
 */
static int mp_check_irqs(const struct mp_config_info *info)
{
	for (unsigned int i = 0; i < info->nr_irqs; i++) {
		const struct mpc_intsrc *irq = &info->irqs[i];
		bool apic_ok = irq->dstapic == MP_APIC_ALL;

		for (unsigned int j = 0; j < info->nr_ioapics; j++)
			apic_ok |= info->ioapics[j].id == irq->dstapic;
		if (info->bus_type[irq->srcbus] == MP_BUS_NONE || !apic_ok) {
			pr_err("interrupt assignment %u names bus %u / I/O APIC %u, undeclared: table refused\n",
			       i, irq->srcbus, irq->dstapic);
			return -EINVAL;
		}
		if (info->bus_type[irq->srcbus] == MP_BUS_PCI && (irq->srcbusirq & 0x80)) {
			pr_err("PCI source IRQ %#x has reserved bit 7 set: table refused\n",
			       irq->srcbusirq);
			return -EINVAL;
		}
	}
	return 0;
}

/* Walk the base entries of a table whose header has been checked. */
static int mp_walk_entries(const u8 *base, size_t len, unsigned int count,
			   struct mp_config_info *info)
{
	unsigned int n = 0;
	size_t off;
	int err = 0;

	for (off = sizeof(struct mpc_table); off < len && !err; n++) {
		const u8 *e = base + off;
		size_t need = e[0] == MP_PROCESSOR ? 20 : 8;

		if (e[0] > MP_LINTSRC) {
			pr_err("entry %u at offset %zu has unknown type %u: table refused\n", n, off,
			       e[0]);
			return -EINVAL;
		}
		if (need > len - off) {
			pr_err("entry %u at offset %zu crosses the end (%zu): table refused\n", n, off,
			       len);
			return -EINVAL;
		}
		switch (e[0]) {
		case MP_PROCESSOR:
			info->nr_cpus += e[3] & 1;	/* cpuflag bit 0: enabled */
			break;
		case MP_BUS:
			err = mp_add_bus((const struct mpc_bus *)e, info);
			break;
		case MP_IOAPIC:
			err = mp_add_ioapic((const struct mpc_ioapic *)e, info);
			break;
		case MP_INTSRC:
			err = mp_add_irq((const struct mpc_intsrc *)e, info);
			break;
		default:	/* local interrupt assignments: the MADT's job */
			break;
		}
		off += need;
	}
	if (err)
		return err;
	if (n != count) {
		pr_err("%u entries in %zu bytes, the header says %u: table refused\n", n, len, count);
		return -EINVAL;
	}
	return mp_check_irqs(info);
}

int mp_parse_config(const struct mpc_table *mpc, size_t avail, struct mp_config_info *info)
{
	int err;

	memset(info, 0, sizeof(*info));
	if (avail < sizeof(*mpc) || memcmp(mpc->signature, "PCMP", 4)) {
		pr_err("no \"PCMP\" configuration table header: refused\n");
		return -EINVAL;
	}
	if (mpc->length < sizeof(*mpc) || mpc->length > avail) {
		pr_err("configuration table length %u outside [%zu, %zu]: refused\n", mpc->length,
		       sizeof(*mpc), avail);
		return -EINVAL;
	}
	if (mp_sum(mpc, mpc->length)) {
		pr_err("configuration table checksum wrong: refused\n");
		return -EINVAL;
	}
	if (mpc->spec != 1 && mpc->spec != 4) {
		pr_err("configuration table revision %u unknown: refused\n", mpc->spec);
		return -EINVAL;
	}
	info->lapic = mpc->lapic;
	err = mp_walk_entries((const u8 *)mpc, mpc->length, mpc->oemcount, info);
	if (err)
		memset(info, 0, sizeof(*info));
	return err;
}

/* The physical address of a valid floating pointer in [@pa, @pa + @len), or 0. */
static phys_addr_t mpf_scan(phys_addr_t pa, size_t len)
{
	const u8 *area = acpi_os_map(pa, len);
	phys_addr_t found = 0;

	if (!area)
		return 0;
	for (size_t off = 0; off + sizeof(struct mpf_intel) <= len; off += 16)
		if (mpf_checksum_ok((const struct mpf_intel *)(area + off))) {
			found = pa + off;
			break;
		}
	acpi_os_unmap(area, len);
	return found;
}

/* Read the BIOS data area word at @pa (0 if it cannot be mapped); 0x413 is odd. */
static u16 bda_word(phys_addr_t pa)
{
	const u8 *p = acpi_os_map(pa, 2);
	u16 v = p ? p[0] | p[1] << 8 : 0;

	acpi_os_unmap(p, 2);
	return v;
}

static phys_addr_t mpf_find(void)
{
	phys_addr_t ebda = (phys_addr_t)bda_word(0x40e) << 4;
	phys_addr_t basemem = (phys_addr_t)bda_word(0x413) << 10;
	phys_addr_t found = 0;

	/* Below 0x80000 or past 640 KiB: not an EBDA, not base memory. */
	if (ebda >= 0x80000 && ebda + 1024 <= 0xa0000)
		found = mpf_scan(ebda, 1024);
	if (!found && basemem >= 0x80000 + 1024 && basemem <= 0xa0000)
		found = mpf_scan(basemem - 1024, 1024);
	if (!found)
		found = mpf_scan(0xf0000, 0x10000);
	return found;
}

int mp_find_config(struct mp_config_info *info)
{
	const struct mpf_intel *mpf;
	const struct mpc_table *mpc;
	phys_addr_t pa = mpf_find();
	u32 table;
	u16 len;
	int err;

	memset(info, 0, sizeof(*info));
	if (!pa)
		return -ENOENT;
	mpf = acpi_os_map(pa, sizeof(*mpf));
	if (!mpf)
		return -ENOENT;
	table = mpf->physptr;
	pr_info("floating pointer at %#llx, revision 1.%u, configuration table at %#x\n",
		(unsigned long long)pa, mpf->specification, table);
	acpi_os_unmap(mpf, sizeof(*mpf));
	if (!table) {
		pr_info("default configuration, no table: not used\n");
		return -ENOENT;
	}
	mpc = acpi_os_map(table, sizeof(*mpc));
	if (!mpc) {
		pr_err("configuration table at %#x cannot be mapped\n", table);
		return -EINVAL;
	}
	len = mpc->length;
	acpi_os_unmap(mpc, sizeof(*mpc));
	if (len < sizeof(*mpc))
		len = sizeof(*mpc);	/* mp_parse_config() refuses it with a reason */
	mpc = acpi_os_map(table, len);
	if (!mpc) {
		pr_err("configuration table at %#x (%u bytes) cannot be mapped\n", table, len);
		return -EINVAL;
	}
	err = mp_parse_config(mpc, len, info);
	acpi_os_unmap(mpc, len);
	return err;
}

int mp_table_init(void)
{
	static int result = 1;

	if (result <= 0)
		return result;
	result = mp_find_config(&mp_config);
	if (!result)
		pr_info("%u CPUs, %u I/O APICs, %u interrupt assignments\n", mp_config.nr_cpus,
			mp_config.nr_ioapics, mp_config.nr_irqs);
	else if (result == -ENOENT)
		pr_info("no MP table\n");
	return result;
}
