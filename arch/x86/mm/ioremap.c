// SPDX-License-Identifier: GPL-2.0
/*
 * ioremap(): a kernel address for device memory (APIC, I/O APIC, PCI BARs).
 *
 * The boot page tables map the first 4 GiB of physical address space in the
 * direct map, MMIO holes included, which is where x86 puts the APICs and
 * 32-bit BARs; until device mappings get uncached pages of their own this
 * returns that alias (the MTRRs make those ranges uncached on real
 * hardware).  Anything above 4 GiB is refused rather than guessed.
 */
#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/printk.h>
#include <asm/io.h>
#include <asm/page.h>

void __iomem *ioremap(phys_addr_t pa, size_t size)
{
	if (!size || pa + size < pa || pa + size > (4ULL << 30)) {
		pr_err("ioremap(%#llx, %#zx): not in the mapped 4 GiB window\n",
		       (unsigned long long)pa, size);
		return NULL;
	}
	return (void __iomem __force *)phys_to_virt(pa);
}

void iounmap(volatile void __iomem *addr)
{
}

/*
 * ACPI tables live in RAM-like memory (ACPI reclaim/NVS or reserved
 * ranges), which the direct map covers below 4 GiB; that is where
 * firmware puts them on the machines we boot.
 */
void *acpi_os_map(phys_addr_t pa, size_t len)
{
	if (pa + len < pa || pa + len > (4ULL << 30)) {
		pr_err("ACPI: table at %#llx+%#zx is outside the mapped 4 GiB\n",
		       (unsigned long long)pa, len);
		return NULL;
	}
	return phys_to_virt(pa);
}
