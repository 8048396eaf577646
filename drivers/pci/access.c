// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration space access.
 *
 * Mechanism #1: write 0x80000000 | bus << 16 | devfn << 8 | (where & 0xfc)
 * to port 0xCF8, then access 0xCFC + (where & 3).  The address/data pair is
 * two separate port accesses, so one spinlock (IRQs off) makes each access
 * atomic against every other CPU and interrupt handler.  256 bytes per
 * function.
 *
 * ECAM (PCIe enhanced configuration): every function's 4 KiB lies at
 * base + (bus - start_bus) << 20 | devfn << 12 in memory, regions listed in
 * ACPI's MCFG table.  A plain MMIO access is atomic by itself: no lock.  A
 * region is ioremap()ed once (the direct map covers RAM only; 2 MiB pages,
 * so 256 buses cost one page table) and used only when segment 0 bus 0
 * reads the same vendor ID through it as through mechanism #1, so a bogus
 * table cannot blind us.
 */
#define pr_fmt(fmt) "pci: " fmt

#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/pci.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/io.h>

#define CONF1_ADDR	0xcf8
#define CONF1_DATA	0xcfc
#define MAX_MCFG	4

static DEFINE_SPINLOCK(conf1_lock);
static struct pci_mcfg_region mcfg[MAX_MCFG];
static u8 __iomem *mcfg_virt[MAX_MCFG];		/* ioremap() of each region */
static unsigned int nr_mcfg;

static int check_access(unsigned int where, unsigned int size, unsigned int limit)
{
	if ((size != 1 && size != 2 && size != 4) || (where & (size - 1)) ||
	    where + size > limit)
		return -EINVAL;
	return 0;
}

int pci_conf1_read(u8 bus, u8 devfn, unsigned int where, unsigned int size, u32 *val)
{
	unsigned long flags;
	u16 port = CONF1_DATA + (where & 3);

	if (check_access(where, size, 256))
		return -EINVAL;
	spin_lock_irqsave(&conf1_lock, flags);
	outl(CONF1_ADDR, 0x80000000u | bus << 16 | devfn << 8 | (where & 0xfc));
	*val = size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
	spin_unlock_irqrestore(&conf1_lock, flags);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_conf1_read);

static int conf1_write(u8 bus, u8 devfn, unsigned int where, unsigned int size, u32 val)
{
	unsigned long flags;
	u16 port = CONF1_DATA + (where & 3);

	if (check_access(where, size, 256))
		return -EINVAL;
	spin_lock_irqsave(&conf1_lock, flags);
	outl(CONF1_ADDR, 0x80000000u | bus << 16 | devfn << 8 | (where & 0xfc));
	if (size == 1)
		outb(port, val);
	else if (size == 2)
		outw(port, val);
	else
		outl(port, val);
	spin_unlock_irqrestore(&conf1_lock, flags);
	return 0;
}

static volatile void __iomem *ecam_addr(u16 seg, u8 bus, u8 devfn, unsigned int where)
{
	for (unsigned int i = 0; i < nr_mcfg; i++) {
		const struct pci_mcfg_region *r = &mcfg[i];

		if (r->segment == seg && bus >= r->start_bus && bus <= r->end_bus)
			return mcfg_virt[i] + ((u64)(bus - r->start_bus) << 20 |
					       (u64)devfn << 12 | where);
	}
	return NULL;
}

int pci_bus_read_config(u16 seg, u8 bus, u8 devfn, unsigned int where, unsigned int size,
			u32 *val)
{
	volatile void __iomem *p = ecam_addr(seg, bus, devfn, where);

	if (!p) {
		if (seg)
			return -ENODEV;
		return pci_conf1_read(bus, devfn, where, size, val);
	}
	if (check_access(where, size, 4096))
		return -EINVAL;
	if (size == 1)
		*val = readb(p);
	else if (size == 2)
		*val = *(const volatile u16 __force *)p;
	else
		*val = readl(p);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_bus_read_config);

int pci_bus_write_config(u16 seg, u8 bus, u8 devfn, unsigned int where, unsigned int size,
			 u32 val)
{
	volatile void __iomem *p = ecam_addr(seg, bus, devfn, where);

	if (!p) {
		if (seg)
			return -ENODEV;
		return conf1_write(bus, devfn, where, size, val);
	}
	if (check_access(where, size, 4096))
		return -EINVAL;
	if (size == 1)
		*(volatile u8 __force *)p = val;
	else if (size == 2)
		*(volatile u16 __force *)p = val;
	else
		writel(val, p);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_bus_write_config);

bool pci_ecam_active(void)
{
	return nr_mcfg > 0;
}
EXPORT_SYMBOL_GPL(pci_ecam_active);

#define MCFG_HDR	44	/* ACPI header (36) + 8 reserved bytes */
#define MCFG_ENTRY	16

int pci_mcfg_parse(const void *table, size_t len, struct pci_mcfg_region *out,
		   unsigned int max)
{
	const u8 *t = table;
	u32 tlen;
	u8 sum = 0;
	int n = 0;

	if (len < MCFG_HDR || memcmp(t, "MCFG", 4)) {
		pr_err("MCFG: not an MCFG table\n");
		return -EINVAL;
	}
	memcpy(&tlen, t + 4, 4);
	if (tlen < MCFG_HDR || tlen > len || (tlen - MCFG_HDR) % MCFG_ENTRY) {
		pr_err("MCFG: bad length %u\n", tlen);
		return -EINVAL;
	}
	for (u32 i = 0; i < tlen; i++)
		sum += t[i];
	if (sum) {
		pr_err("MCFG: bad checksum\n");
		return -EINVAL;
	}
	for (u32 off = MCFG_HDR; off < tlen && (unsigned int)n < max; off += MCFG_ENTRY) {
		struct pci_mcfg_region r;

		memcpy(&r.base, t + off, 8);
		memcpy(&r.segment, t + off + 8, 2);
		r.start_bus = t[off + 10];
		r.end_bus = t[off + 11];
		if (r.end_bus < r.start_bus || !r.base || !IS_ALIGNED(r.base, 1 << 20)) {
			pr_err("MCFG: bad region %#llx buses %u-%u\n", r.base, r.start_bus,
			       r.end_bus);
			return -EINVAL;
		}
		out[n++] = r;
	}
	return n;
}
EXPORT_SYMBOL_GPL(pci_mcfg_parse);

/* Called by enumeration before the first scan. */
void pci_ecam_init(void);

void __init pci_ecam_init(void)
{
	struct pci_mcfg_region regs[MAX_MCFG];
	const struct acpi_table_header *table = acpi_get_table("MCFG", 0);
	u32 len, v1, ve;
	int n;

	if (!table) {
		pr_info("no MCFG table: configuration mechanism #1\n");
		return;
	}
	len = table->length;
	n = pci_mcfg_parse(table, len, regs, MAX_MCFG);
	for (int i = 0; i < n; i++) {
		size_t size = (size_t)(regs[i].end_bus - regs[i].start_bus + 1) << 20;
		u8 __iomem *virt = ioremap(regs[i].base, size);

		if (!virt) {
			pr_warn("ECAM %#llx: cannot map, not used\n", regs[i].base);
			continue;
		}
		mcfg_virt[nr_mcfg] = virt;
		mcfg[nr_mcfg++] = regs[i];
	}
	if (!nr_mcfg)
		return;
	/* Cross-check: 00:00.0 must read the same both ways. */
	pci_conf1_read(0, 0, PCI_VENDOR_ID, 4, &v1);
	pci_bus_read_config(0, 0, 0, PCI_VENDOR_ID, 4, &ve);
	if (v1 != ve) {
		pr_err("ECAM reads %#x at 00:00.0, mechanism #1 %#x: ECAM disabled\n", ve, v1);
		while (nr_mcfg)
			iounmap(mcfg_virt[--nr_mcfg]);
		return;
	}
	pr_info("ECAM at %#llx, buses %u-%u\n", mcfg[0].base, mcfg[0].start_bus,
		mcfg[0].end_bus);
}
