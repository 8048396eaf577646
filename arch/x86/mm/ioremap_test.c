// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the RAM-only direct map and of the mappings that replace the
 * hole aliases: get_vm_area()/free_vm_area(), ioremap()/iounmap() and
 * acpi_os_map()/acpi_os_unmap().  Kernel only (they read device registers
 * and firmware memory).
 *
 * Every case checks the free-frame and page-table counts against a
 * baseline taken with ktest_settled_free_pages(), error paths included.
 */
#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/memblock.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/msr-index.h>
#include <asm/page.h>
#include <asm/pat.h>
#include <asm/processor.h>

extern char _text[];

struct iobase {
	unsigned long free, tables, vpages;
};

static void iobase_take(struct iobase *b)
{
	b->free = ktest_settled_free_pages();
	b->tables = nr_pgtable_pages();
	b->vpages = vmalloc_nr_pages();
}

#define EXPECT_IOBASE(t, b) do {					\
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), (b)->free);	\
	KTEST_EXPECT_EQ(t, nr_pgtable_pages(), (b)->tables);		\
	KTEST_EXPECT_EQ(t, vmalloc_nr_pages(), (b)->vpages);		\
} while (0)

static int leaf_cb(const struct pt_leaf *l, void *arg)
{
	*(struct pt_leaf *)arg = *l;
	return 1;
}

/* The leaf mapping @va in init_mm; false if none. */
static bool leaf_of(unsigned long va, struct pt_leaf *l)
{
	return mm_walk(&init_mm, va & PAGE_MASK, (va & PAGE_MASK) + PAGE_SIZE, leaf_cb, l) == 1;
}

static phys_addr_t lapic_phys(void)
{
	return rdmsr(MSR_IA32_APICBASE) & MSR_IA32_APICBASE_BASE;
}

/* A page-aligned physical range of @size above all RAM: no device, no RAM. */
static phys_addr_t phys_above_ram(void)
{
	return ALIGN(memblock_end_of_ram(), PUD_SIZE) + PUD_SIZE;
}

struct direct_scan {
	unsigned long leaves, not_ram, uncached;
};

static bool pa_range_is_ram(phys_addr_t pa, u64 len)
{
	phys_addr_t base;
	u64 size;

	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++)
		if (base <= pa && pa + len <= base + size)
			return true;
	return false;
}

static int direct_leaf(const struct pt_leaf *l, void *arg)
{
	struct direct_scan *st = arg;

	st->leaves++;
	st->not_ram += !pa_range_is_ram(l->phys, l->size);
	st->uncached += !!(pte_val(l->entry) & (_PAGE_PCD | _PAGE_PWT)) ||
			(pte_pgflags(l->entry, l->size) & PAGE_WRITECOMBINE);
	return 0;
}

/* The direct map holds RAM exactly: every leaf is RAM (WB), every RAM byte mapped. */
static void test_direct_map_is_ram(struct ktest *t)
{
	struct direct_scan st = { 0 };
	phys_addr_t base, next, pa;
	u64 size, nsize;
	unsigned int i;

	for (i = 0; memblock_memory_region(i, &base, &size); i++) {
		KTEST_EXPECT_EQ(t, translate((unsigned long)phys_to_virt(base), &pa), 0);
		KTEST_EXPECT_EQ(t, pa, base);
		KTEST_EXPECT_EQ(t, translate((unsigned long)phys_to_virt(base + size - 1), &pa), 0);
		KTEST_EXPECT_EQ(t, pa, base + size - 1);
		/* The byte after a range is mapped only if the next range starts there. */
		if (!memblock_memory_region(i + 1, &next, &nsize) || next != base + size)
			KTEST_EXPECT_EQ(t, translate((unsigned long)phys_to_virt(base + size), &pa),
					-ENOENT);
	}
	KTEST_EXPECT_GT(t, i, 0U);
	mm_walk(&init_mm, PAGE_OFFSET, PAGE_OFFSET + DIRECT_MAP_SIZE, direct_leaf, &st);
	KTEST_EXPECT_GT(t, st.leaves, 0UL);
	KTEST_EXPECT_EQ(t, st.not_ram, 0UL);
	KTEST_EXPECT_EQ(t, st.uncached, 0UL);
}

/* The holes below 4 GiB are gone from the direct map: translate fails, access faults. */
static void test_holes_unmapped(struct ktest *t)
{
	static const phys_addr_t holes[] = { 0xb8000, 0xe0000, 0xfec00000, 0xfee00000 };
	phys_addr_t pa;

	for (unsigned int i = 0; i < ARRAY_SIZE(holes); i++) {
		unsigned long va = (unsigned long)phys_to_virt(holes[i]);

		KTEST_EXPECT_EQ(t, translate(va, &pa), -ENOENT);
		KTEST_EXPECT_FAULT_READ(t, va);
		KTEST_EXPECT_FAULT_WRITE(t, va);
	}
	/* The LAPIC wherever the MSR puts it. */
	KTEST_EXPECT_EQ(t, translate((unsigned long)phys_to_virt(lapic_phys()), &pa), -ENOENT);
	KTEST_EXPECT_FAULT_READ(t, phys_to_virt(lapic_phys() + APIC_LVR));
}

static void test_vm_area(struct ktest *t)
{
	unsigned long va, start;
	struct iobase b;
	phys_addr_t pa;
	size_t size;
	void *v;

	iobase_take(&b);
	va = get_vm_area(3 * PAGE_SIZE + 1, 0);
	KTEST_ASSERT_NE(t, va, 0UL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr((void *)va));
	KTEST_EXPECT_GE(t, va, IOREMAP_START);
	KTEST_EXPECT_EQ(t, va & (PAGE_SIZE - 1), 0UL);
	KTEST_EXPECT_TRUE(t, vm_area_lookup(va + 2 * PAGE_SIZE, &start, &size));
	KTEST_EXPECT_EQ(t, start, va);
	KTEST_EXPECT_EQ(t, size, 4 * PAGE_SIZE);
	KTEST_EXPECT_FALSE(t, vm_area_lookup(va + 4 * PAGE_SIZE, NULL, NULL));	/* guard */
	KTEST_EXPECT_EQ(t, translate(va, &pa), -ENOENT);	/* nothing mapped yet */
	/* The owner maps; free_vm_area() unmaps, frees the tables, not the frame. */
	KTEST_ASSERT_EQ(t, alloc_frame(&pa), 0);
	KTEST_EXPECT_EQ(t, map_page(va + PAGE_SIZE, pa, PAGE_WRITABLE), 0);
	KTEST_EXPECT_NO_FAULT_READ(t, va + PAGE_SIZE);
	/* Not an ioremap() area: iounmap() refuses it, whatever its check costs. */
	iounmap((void __iomem __force *)va);
	KTEST_EXPECT_TRUE(t, vm_area_lookup(va, NULL, NULL));
	KTEST_EXPECT_NO_FAULT_READ(t, va + PAGE_SIZE);
	KTEST_EXPECT_EQ(t, free_vm_area(va), 0);
	KTEST_EXPECT_FAULT_READ(t, va + PAGE_SIZE);
	KTEST_EXPECT_FALSE(t, vm_area_lookup(va, NULL, NULL));
	KTEST_EXPECT_EQ(t, free_frame(pa), 0);		/* still ours: not freed twice */
	/* Errors: logged, nothing changes. */
	KTEST_EXPECT_EQ(t, free_vm_area(va), -ENOENT);	/* double free */
	KTEST_EXPECT_EQ(t, free_vm_area(va + 1), -EINVAL);
	KTEST_EXPECT_EQ(t, free_vm_area(0), -EINVAL);
	KTEST_EXPECT_EQ(t, free_vm_area((unsigned long)_text), -EINVAL);
	KTEST_EXPECT_EQ(t, get_vm_area(0, 0), 0UL);
	KTEST_EXPECT_EQ(t, get_vm_area(PAGE_SIZE, 0x80), 0UL);	/* unknown flag */
	KTEST_EXPECT_EQ(t, get_vm_area(1UL << 50, 0), 0UL);	/* larger than the area */
	KTEST_EXPECT_EQ(t, get_vm_area(~0UL, 0), 0UL);		/* would round to 0 pages */
	KTEST_EXPECT_EQ(t, __get_vm_area(PAGE_SIZE, 3 * PAGE_SIZE, 0, 0, NULL), 0UL);
	KTEST_EXPECT_EQ(t, __get_vm_area(PAGE_SIZE, PMD_SIZE, PMD_SIZE, 0, NULL), 0UL);
	KTEST_EXPECT_EQ(t, __get_vm_area(PAGE_SIZE, PMD_SIZE, 0x800, 0, NULL), 0UL);
	/* A vmalloc() buffer is not a reservation: refused, stays mapped. */
	v = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, v);
	KTEST_EXPECT_FALSE(t, vm_area_lookup((unsigned long)v, NULL, NULL));
	KTEST_EXPECT_EQ(t, free_vm_area((unsigned long)v), -ENOENT);
	KTEST_EXPECT_NO_FAULT_READ(t, v);
	vfree(v);
	/* Phase: the start is congruent to the physical address modulo 2 MiB. */
	va = __get_vm_area(5 * PAGE_SIZE, PMD_SIZE, 0x1ff000, VM_IOREMAP, NULL);
	KTEST_ASSERT_NE(t, va, 0UL);
	KTEST_EXPECT_EQ(t, va & (PMD_SIZE - 1), 0x1ff000UL);
	KTEST_EXPECT_EQ(t, free_vm_area(va), 0);
	EXPECT_IOBASE(t, &b);
}

static void test_ioremap_lapic(struct ktest *t)
{
	phys_addr_t base = lapic_phys(), pa;
	u32 __iomem *lvr;
	u8 __iomem *page;
	struct pt_leaf l;
	struct iobase b;

	iobase_take(&b);
	/* Unaligned start and size: the offset in the page is kept. */
	lvr = ioremap(base + APIC_LVR, 4);
	KTEST_ASSERT_NOT_NULL(t, lvr);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr((__force void *)lvr));
	KTEST_EXPECT_GE(t, (unsigned long __force)lvr, IOREMAP_START);	/* its own arena */
	KTEST_EXPECT_EQ(t, (unsigned long __force)lvr & (PAGE_SIZE - 1), (unsigned long)APIC_LVR);
	KTEST_EXPECT_EQ(t, translate((unsigned long __force)lvr, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, base + APIC_LVR);
	KTEST_ASSERT_TRUE(t, leaf_of((unsigned long __force)lvr, &l));
	KTEST_EXPECT_EQ(t, l.size, PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, pte_val(l.entry) & _PAGE_PCD);	/* uncached */
	KTEST_EXPECT_TRUE(t, pte_val(l.entry) & _PAGE_NX);
	KTEST_EXPECT_TRUE(t, pte_val(l.entry) & _PAGE_RW);
	KTEST_EXPECT_TRUE(t, pte_val(l.entry) & _PAGE_GLOBAL);
	/* The guard pages around it. */
	KTEST_EXPECT_FAULT_READ(t, (unsigned long __force)lvr - APIC_LVR - 1);
	KTEST_EXPECT_FAULT_READ(t, (unsigned long __force)lvr - APIC_LVR + PAGE_SIZE);
	/* In xAPIC mode the register reads what the APIC driver reads. */
	if (!x2apic_mode)
		KTEST_EXPECT_EQ(t, readl(lvr), apic_read(APIC_LVR));
	/* A second mapping of the same page is a separate one. */
	page = ioremap(base, PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, page);
	KTEST_EXPECT_NE(t, (unsigned long __force)page,
			(unsigned long __force)lvr - APIC_LVR);
	if (!x2apic_mode)
		KTEST_EXPECT_EQ(t, readl(page + APIC_LVR) & 0xff, apic_read(APIC_LVR) & 0xff);
	iounmap(lvr);
	KTEST_EXPECT_FAULT_READ(t, (unsigned long __force)lvr);
	KTEST_EXPECT_EQ(t, translate((unsigned long __force)lvr, &pa), -ENOENT);
	iounmap(page);
	KTEST_EXPECT_FAULT_READ(t, (unsigned long __force)page);
	EXPECT_IOBASE(t, &b);
}

/* A 6 MiB range with an unaligned start: 2 MiB pages in the middle, 4 KiB at the edges. */
static void test_ioremap_huge(struct ktest *t)
{
	phys_addr_t pa = phys_above_ram() + PMD_SIZE - 2 * PAGE_SIZE + 0x10, got;
	const size_t size = 6UL << 20;
	unsigned long va, huge = 0, small = 0;
	void __iomem *p;
	struct pt_leaf l;
	struct iobase b;

	iobase_take(&b);
	p = ioremap(pa, size);
	KTEST_ASSERT_NOT_NULL(t, p);
	va = (unsigned long __force)p;
	KTEST_EXPECT_EQ(t, (va - pa) & (PMD_SIZE - 1), 0UL);	/* congruent: huge pages fit */
	for (unsigned long off = 0; off < size; off += PAGE_SIZE) {
		KTEST_ASSERT_EQ(t, translate(va + off, &got), 0);
		KTEST_EXPECT_EQ(t, got, pa + off);
		KTEST_ASSERT_TRUE(t, leaf_of(va + off, &l));
		KTEST_EXPECT_TRUE(t, (pte_val(l.entry) & (_PAGE_PCD | _PAGE_NX)) ==
				  (_PAGE_PCD | _PAGE_NX));
		if (l.size == PMD_SIZE)
			huge++;
		else
			small++;
	}
	if (IS_ENABLED(CONFIG_HUGEPAGES_2M))
		KTEST_EXPECT_EQ(t, huge, 2 * (PMD_SIZE / PAGE_SIZE));	/* two whole 2 MiB pages */
	else
		KTEST_EXPECT_EQ(t, huge, 0UL);
	KTEST_EXPECT_GT(t, small, 0UL);
	iounmap(p);
	KTEST_EXPECT_EQ(t, translate(va + (2UL << 20), &got), -ENOENT);
	EXPECT_IOBASE(t, &b);
}

static void pat_check(void *arg)
{
	if (rdmsr(MSR_IA32_PAT) != pat_msr_value())
		__atomic_fetch_add((unsigned long *)arg, 1, __ATOMIC_RELAXED);
}

/*
 * ioremap_wc(): every CPU has the same PAT, entry 4 write-combining and
 * 0-3 at their power-on values; the mapping's leaves select entry 4 (the
 * PAT bit alone) at 4 KiB and 2 MiB, with the right physical addresses.
 * Without a PAT (make check boots a CPU without one) the leaves are UC-.
 */
static void test_ioremap_wc(struct ktest *t)
{
	phys_addr_t pa = phys_above_ram() + PMD_SIZE - PAGE_SIZE, got;
	const size_t size = 5UL << 20;
	unsigned long va, bad = 0, huge = 0;
	void __iomem *p;
	struct pt_leaf l;
	struct iobase b;

	pgflags_t want = x86_pat_wc ? PAGE_WRITECOMBINE : PAGE_NOCACHE;

	ktest_log(t, "PAT %s", x86_pat_wc ? "programmed" : "absent: ioremap_wc() maps UC-");
	KTEST_EXPECT_EQ(t, pat_msr_value() & 0xffffffffULL, 0x00070406ULL);	/* UC UC- WT WB */
	KTEST_EXPECT_EQ(t, (pat_msr_value() >> 32) & 0xff, 0x01ULL);		/* WC */
	if (x86_pat_wc) {
		on_each_cpu(pat_check, &bad, true);
		KTEST_EXPECT_EQ(t, bad, 0UL);
	}
	iobase_take(&b);
	p = ioremap_wc(pa, size);
	KTEST_ASSERT_NOT_NULL(t, p);
	va = (unsigned long __force)p;
	for (unsigned long off = 0; off < size; off += PAGE_SIZE) {
		KTEST_ASSERT_EQ(t, translate(va + off, &got), 0);
		KTEST_EXPECT_EQ(t, got, pa + off);
		KTEST_ASSERT_TRUE(t, leaf_of(va + off, &l));
		/* Entry 4: the PAT bit alone (its place per size: pgtable.test_write_combine). */
		KTEST_EXPECT_EQ(t, pte_pgflags(l.entry, l.size) &
				(PAGE_WRITECOMBINE | PAGE_NOCACHE | PAGE_WRITETHROUGH | PAGE_EXEC),
				want);
		huge += l.size == PMD_SIZE;
	}
	if (IS_ENABLED(CONFIG_HUGEPAGES_2M))
		KTEST_EXPECT_EQ(t, huge, PMD_SIZE / PAGE_SIZE * 2);
	iounmap(p);
	KTEST_EXPECT_EQ(t, translate(va, &got), -ENOENT);
	/* The RAM rule and the argument checks are ioremap()'s. */
	KTEST_EXPECT_NULL(t, ioremap_wc(virt_to_phys(_text), PAGE_SIZE));
	KTEST_EXPECT_NULL(t, ioremap_wc(pa, 0));
	EXPECT_IOBASE(t, &b);
}

static void test_ioremap_errors(struct ktest *t)
{
	phys_addr_t frame, base, hole = phys_above_ram();
	void __iomem *p;
	struct iobase b;
	u64 size;
	void *v;

	iobase_take(&b);
	KTEST_EXPECT_NULL(t, ioremap(hole, 0));
	KTEST_EXPECT_NULL(t, ioremap(~0ULL - 0x10, 0x100));		/* wraps */
	KTEST_EXPECT_NULL(t, ioremap(1ULL << 52, PAGE_SIZE));		/* beyond MAXPHYADDR */
	KTEST_EXPECT_NULL(t, ioremap((1ULL << 52) - PAGE_SIZE, 2 * PAGE_SIZE));
	/* RAM is refused: a free frame, the kernel image, a range ending in RAM. */
	KTEST_ASSERT_EQ(t, alloc_frame(&frame), 0);
	KTEST_EXPECT_NULL(t, ioremap(frame, PAGE_SIZE));
	KTEST_EXPECT_NULL(t, ioremap(frame + 0x800, 4));
	KTEST_EXPECT_EQ(t, free_frame(frame), 0);
	KTEST_EXPECT_NULL(t, ioremap(virt_to_phys(_text), PAGE_SIZE));
	KTEST_ASSERT_TRUE(t, memblock_memory_region(0, &base, &size));
	KTEST_EXPECT_NULL(t, ioremap(base + size - 1, 2));		/* last RAM byte + hole */
	/* iounmap of what ioremap did not return: refused, mappings unchanged. */
	p = ioremap(hole, 2 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, p);
	iounmap(NULL);
	iounmap((u8 __iomem *)p + PAGE_SIZE);				/* interior page */
	iounmap((void __iomem __force *)phys_to_virt(frame));		/* direct map */
	iounmap((void __iomem __force *)_text);
	v = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, v);
	iounmap((void __iomem __force *)v);				/* not an ioremap area */
	KTEST_EXPECT_NO_FAULT_READ(t, v);
	vfree(v);
	KTEST_EXPECT_TRUE(t, vm_area_lookup((unsigned long __force)p + PAGE_SIZE, NULL, NULL));
	iounmap(p);
	KTEST_EXPECT_FALSE(t, vm_area_lookup((unsigned long __force)p, NULL, NULL));
	iounmap(p);							/* double iounmap */
	EXPECT_IOBASE(t, &b);
}

static void test_acpi_os_map(struct ktest *t)
{
	const struct acpi_table_header *madt = acpi_get_table("APIC", 0);
	phys_addr_t frame, pa;
	const u8 *bios, *again, *ram;
	struct pt_leaf l;
	struct iobase b;

	iobase_take(&b);
	/* RAM comes from the direct map: no new mapping. */
	KTEST_ASSERT_EQ(t, alloc_frame(&frame), 0);
	ram = acpi_os_map(frame + 8, 16);
	KTEST_EXPECT_EQ(t, (unsigned long)ram, (unsigned long)phys_to_virt(frame + 8));
	KTEST_EXPECT_EQ(t, acpi_os_unmap(ram, 16), 0);
	KTEST_EXPECT_EQ(t, free_frame(frame), 0);
	/* The BIOS area is not RAM: a read-only, cached, NX window. */
	bios = acpi_os_map(0xf0010, 0x20);
	KTEST_ASSERT_NOT_NULL(t, bios);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(bios));
	KTEST_EXPECT_EQ(t, (unsigned long)bios & (PAGE_SIZE - 1), 0x10UL);
	KTEST_EXPECT_EQ(t, translate((unsigned long)bios, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, 0xf0010ULL);
	KTEST_ASSERT_TRUE(t, leaf_of((unsigned long)bios, &l));
	KTEST_EXPECT_FALSE(t, pte_val(l.entry) & (_PAGE_RW | _PAGE_PCD | _PAGE_PWT));
	KTEST_EXPECT_TRUE(t, pte_val(l.entry) & _PAGE_NX);
	KTEST_EXPECT_NO_FAULT_READ(t, bios);
	KTEST_EXPECT_FAULT_WRITE(t, bios);
	/* A range inside it shares the window (reference-counted). */
	again = acpi_os_map(0xf0100, 8);
	KTEST_EXPECT_EQ(t, (unsigned long)again, (unsigned long)bios + 0xf0);
	KTEST_EXPECT_EQ(t, acpi_os_unmap(bios, 0x20), 0);
	KTEST_EXPECT_NO_FAULT_READ(t, again);			/* still referenced */
	KTEST_EXPECT_EQ(t, acpi_os_unmap(again, 8), 0);
	KTEST_EXPECT_FAULT_READ(t, again);
	/* Errors. */
	KTEST_EXPECT_EQ(t, acpi_os_unmap(again, 8), -ENOENT);	/* double unmap */
	KTEST_EXPECT_EQ(t, acpi_os_unmap(_text, 8), -ENOENT);
	KTEST_EXPECT_EQ(t, acpi_os_unmap(NULL, 8), 0);
	KTEST_EXPECT_NULL(t, acpi_os_map(0xf0000, 0));
	KTEST_EXPECT_NULL(t, acpi_os_map(~0ULL - 4, 16));
	EXPECT_IOBASE(t, &b);
	/* The tables the parser kept: mapped, and read-only unless in RAM. */
	if (!madt)
		KTEST_SKIP(t, "no MADT (acpi=off?)");
	KTEST_EXPECT_TRUE(t, acpi_checksum_ok(madt, madt->length));
	if (is_vmalloc_addr(madt))
		KTEST_EXPECT_FAULT_WRITE(t, madt);
}

static struct ktest_case ioremap_cases[] = {
	KTEST_CASE(test_direct_map_is_ram),
	KTEST_CASE(test_holes_unmapped),
	KTEST_CASE(test_vm_area),
	KTEST_CASE(test_ioremap_lapic),
	KTEST_CASE(test_ioremap_huge),
	KTEST_CASE(test_ioremap_wc),
	KTEST_CASE(test_ioremap_errors),
	KTEST_CASE(test_acpi_os_map),
	{}
};

static struct ktest_suite ioremap_suite = {
	.name = "ioremap",
	.cases = ioremap_cases,
};
KTEST_SUITE(ioremap_suite);
