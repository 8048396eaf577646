// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel mappings of physical memory that is not RAM: device registers
 * (ioremap) and firmware tables (acpi_os_map).
 *
 * Goal: the direct map covers RAM only (arch/x86/mm/paging.c); every other
 * physical range -- the local APIC, the I/O APICs, PCI BARs and ECAM
 * windows, ACPI tables in reserved/NVS memory, the BIOS area -- is reached
 * through a mapping of its own, made on demand in the vmalloc area
 * (get_vm_area()), with an unmapped guard page on each side:
 *
 *  - ioremap(): uncached (PCD: UC-, which the MTRRs may only make
 *    stricter, as Linux's ioremap()), NX, read-write, global;
 *    ioremap_wc() the same but write-combining (PAT entry 4, see
 *    arch/x86/mm/pat.c), for memory written in bursts.  RAM is
 *    refused: a second, uncached alias of memory the direct map caches is
 *    exactly the attribute conflict the CPU manuals forbid.  Mappings of
 *    2 MiB or more start at a virtual address congruent to the physical
 *    one modulo 2 MiB, so map_range() can use 2 MiB pages (a 256 MiB ECAM
 *    window costs one page table, not 128).
 *  - acpi_os_map(): write-back, read-only, NX.  RAM is returned through
 *    the direct map (same attributes, no new mapping); anything else gets
 *    a window that is reference-counted, so that the table parser can map
 *    a header, then the table around it, without new page tables each
 *    time, and keep the tables it validated mapped for good.
 *
 * Nothing here runs before paging_init(): the boot-information parsers
 * use head.S's tables, and the first firmware table is looked at from
 * smp_init(), after mm_core_init().  So there is no early (fixmap) path.
 *
 * Invariants: every mapping made here lies in a VM_IOREMAP reservation;
 * iounmap()/acpi_os_unmap() unmap it in one shootdown round and free its
 * page tables and address space; a rejected call logs one line and
 * changes nothing.
 */
#define pr_fmt(fmt) "ioremap: " fmt

#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/spinlock.h>
#include <exo/vmalloc.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/pat.h>

/* Physical addresses the architecture can have (MAXPHYADDR <= 52). */
#define IO_MAX_PHYS	(1ULL << 52)
/* Simultaneous acpi_os_map() windows (tables kept mapped included). */
#define ACPI_MAX_WINDOWS 64

/* Whether some RAM (a memblock memory range) lies in [@pa, @end). */
static bool range_has_ram(phys_addr_t pa, phys_addr_t end)
{
	phys_addr_t base;
	u64 size;

	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++)
		if (base < end && pa < base + size)
			return true;
	return false;
}

/* Whether [@pa, @end) lies in one RAM range, i.e. in the direct map. */
static bool range_is_ram(phys_addr_t pa, phys_addr_t end)
{
	phys_addr_t base;
	u64 size;

	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++)
		if (base <= pa && end <= base + size)
			return true;
	return false;
}

static bool range_ok(phys_addr_t pa, size_t size)
{
	return size && pa + size > pa && pa + size <= IO_MAX_PHYS;
}

/*
 * Map the pages covering [@pa, @pa + @size) with @flags in a new
 * VM_IOREMAP reservation.  Return: the address of @pa in it, or 0.
 */
static unsigned long map_phys(phys_addr_t pa, size_t size, pgflags_t flags, const char *fn,
			      const void *caller)
{
	phys_addr_t first = ALIGN_DOWN(pa, PAGE_SIZE), last = ALIGN(pa + size, PAGE_SIZE);
	unsigned long len = last - first, align = PAGE_SIZE, phase = 0, va;
	int err;

	if (IS_ENABLED(CONFIG_HUGEPAGES_2M) && len >= PMD_SIZE) {
		align = PMD_SIZE;
		phase = first & (PMD_SIZE - 1);
	}
	va = __get_vm_area(len, align, phase, VM_IOREMAP, caller);
	if (!va)
		return 0;
	/* One page (the usual register block): map_page() skips the range walk. */
	if (len == PAGE_SIZE)
		err = map_page(va, first, flags | PAGE_GLOBAL);
	else
		err = map_range(va, first, len, flags | PAGE_GLOBAL);
	if (err) {
		pr_err_ratelimited("%s(%#llx, %#zx) from %pS: cannot map: %d\n", fn,
				   (unsigned long long)pa, size, caller, err);
		free_vm_area(va);
		return 0;
	}
	return va + (pa - first);
}

static void __iomem *__ioremap(phys_addr_t pa, size_t size, pgflags_t flags, const char *fn,
			       const void *caller)
{
	if (!range_ok(pa, size)) {
		pr_err_ratelimited("%s(%#llx, %#zx) from %pS: empty or impossible range (refused)\n",
				   fn, (unsigned long long)pa, size, caller);
		return NULL;
	}
	if (range_has_ram(ALIGN_DOWN(pa, PAGE_SIZE), ALIGN(pa + size, PAGE_SIZE))) {
		pr_err_ratelimited("%s(%#llx, %#zx) from %pS: range is RAM, use the direct map (refused)\n",
				   fn, (unsigned long long)pa, size, caller);
		return NULL;
	}
	return (void __iomem __force *)map_phys(pa, size, flags, fn, caller);
}

void __iomem *ioremap(phys_addr_t pa, size_t size)
{
	return __ioremap(pa, size, PAGE_WRITABLE | PAGE_NOCACHE, "ioremap",
			 __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(ioremap);

void __iomem *ioremap_wc(phys_addr_t pa, size_t size)
{
	return __ioremap(pa, size, PAGE_WRITABLE | (x86_pat_wc ? PAGE_WRITECOMBINE : PAGE_NOCACHE),
			 "ioremap_wc", __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(ioremap_wc);

void iounmap(volatile void __iomem *addr)
{
	/* An address in the first page of an ioremap() area, found and freed at once. */
	if (addr)
		__free_vm_area(ALIGN_DOWN((unsigned long __force)addr, PAGE_SIZE), VM_IOREMAP,
			       "iounmap");
}
EXPORT_SYMBOL_GPL(iounmap);

/* ---------------------------------------------------------------------
 * ACPI tables.
 */

struct acpi_window {
	phys_addr_t pa, end;	/* page-aligned physical range */
	unsigned long va;	/* where @pa is mapped */
	unsigned int refs;	/* 0: slot free */
};

static struct acpi_window acpi_windows[ACPI_MAX_WINDOWS];
static DEFINE_SPINLOCK(acpi_lock);	/* the table; never held across (un)mapping */

/* A live window covering [@pa, @end); acpi_lock held. */
static struct acpi_window *window_covering(phys_addr_t pa, phys_addr_t end)
{
	for (unsigned int i = 0; i < ACPI_MAX_WINDOWS; i++) {
		struct acpi_window *w = &acpi_windows[i];

		if (w->refs && w->pa <= pa && end <= w->end)
			return w;
	}
	return NULL;
}

void *acpi_os_map(phys_addr_t pa, size_t len)
{
	phys_addr_t first = ALIGN_DOWN(pa, PAGE_SIZE);
	struct acpi_window *w;
	unsigned long flags, va;

	if (!range_ok(pa, len)) {
		pr_err_ratelimited("acpi_os_map(%#llx, %#zx): empty or impossible range (refused)\n",
				   (unsigned long long)pa, len);
		return NULL;
	}
	if (range_is_ram(pa, pa + len))
		return phys_to_virt(pa);
	spin_lock_irqsave(&acpi_lock, flags);
	w = window_covering(pa, pa + len);
	if (w) {
		w->refs++;
		va = w->va + (pa - w->pa);
	}
	spin_unlock_irqrestore(&acpi_lock, flags);
	if (w)
		return (void *)va;
	va = map_phys(pa, len, 0, "acpi_os_map", __builtin_return_address(0));
	if (!va)
		return NULL;
	spin_lock_irqsave(&acpi_lock, flags);
	for (w = acpi_windows; w < acpi_windows + ACPI_MAX_WINDOWS && w->refs; w++)
		;
	if (w < acpi_windows + ACPI_MAX_WINDOWS) {
		w->pa = first;
		w->end = ALIGN(pa + len, PAGE_SIZE);
		w->va = ALIGN_DOWN(va, PAGE_SIZE);
		w->refs = 1;
	}
	spin_unlock_irqrestore(&acpi_lock, flags);
	if (w == acpi_windows + ACPI_MAX_WINDOWS) {
		pr_err_ratelimited("acpi_os_map(%#llx, %#zx): all %u windows in use (refused)\n",
				   (unsigned long long)pa, len, ACPI_MAX_WINDOWS);
		free_vm_area(ALIGN_DOWN(va, PAGE_SIZE));
		return NULL;
	}
	return (void *)va;
}

int acpi_os_unmap(const void *ptr, size_t len)
{
	unsigned long va = (unsigned long)ptr, flags, unmap = 0;
	struct acpi_window *w;

	if (!ptr)
		return 0;
	if (va - PAGE_OFFSET < DIRECT_MAP_SIZE)
		return 0;	/* RAM: acpi_os_map() returned the direct map */
	spin_lock_irqsave(&acpi_lock, flags);
	for (w = acpi_windows; w < acpi_windows + ACPI_MAX_WINDOWS; w++) {
		if (w->refs && w->va <= va && va - w->va < w->end - w->pa &&
		    len <= w->end - w->pa - (va - w->va))
			break;
	}
	if (w < acpi_windows + ACPI_MAX_WINDOWS && !--w->refs)
		unmap = w->va;
	spin_unlock_irqrestore(&acpi_lock, flags);
	if (w == acpi_windows + ACPI_MAX_WINDOWS) {
		pr_err_ratelimited("acpi_os_unmap(%p, %#zx) from %pS: not an acpi_os_map() mapping (ignored)\n",
				   ptr, len, __builtin_return_address(0));
		return -ENOENT;
	}
	return unmap ? free_vm_area(unmap) : 0;
}
