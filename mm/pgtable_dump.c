// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump: the current address space's mappings as ranges, like Linux's
 * kernel_page_tables.  Adjacent leaves with the same page size and
 * permissions merge into one line:
 *
 *	---[ Kernel image ]---
 *	0xffffffff80100000-0xffffffff80112000   72K  4K  ro  x   GLB
 *
 * "ptdump all" also lists the lower half.  The vm_oracle boot parameter
 * feeds scripts/check-pgtables.py (see the end of the file): translate()
 * of fixed addresses (holes of the direct map and an ioremap() of the
 * LAPIC included) and the RAM ranges the direct map must cover.
 */
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include <asm/io.h>

struct dump_state {
	unsigned long start, end;	/* current run */
	unsigned long size;		/* its page size */
	pgflags_t bits;			/* its PAGE_* flags, without the size */
	unsigned long lines, leaves;
	int marker;
};

static const struct {
	unsigned long start;
	const char *name;
} markers[] = {
	{ 0, "User half" },
	{ KERNEL_HALF_START, "Kernel half" },
	{ PAGE_OFFSET, "Direct map" },
	{ VMALLOC_START, "vmalloc area" },
	{ IOREMAP_START, "ioremap area" },
	{ SLAB_CLASS_MAP_START, "Slab class map" },
	{ SLAB_CLASS_MAP_END, "Kernel half" },
	{ VMEMMAP_START, "mem_map" },
	{ VMEMMAP_END, "Kernel half" },
	{ KERNEL_VMA, "Kernel image" },
	{ MODULES_VADDR, "Modules" },
	{ MODULES_END, "Kernel half" },
};

/*
 * Memory type of a run: its PAT index (WRITECOMBINE, NOCACHE and
 * WRITETHROUGH are its three bits), in the PAT the architecture sets up.
 */
static const char *mem_type(pgflags_t bits)
{
	static const char *const types[8] = { "WB", "WT", "UC-", "UC", "WC", "WT", "UC-", "UC" };

	return types[(bits & PAGE_WRITECOMBINE ? 4 : 0) | (bits & PAGE_NOCACHE ? 2 : 0) |
		     (bits & PAGE_WRITETHROUGH ? 1 : 0)];
}

static void human(char *buf, size_t len, unsigned long v)
{
	static const char units[] = "KMGT";
	int u = 0;

	v >>= 10;
	while (v >= 1024 && !(v & 1023) && u < 3) {
		v >>= 10;
		u++;
	}
	snprintf(buf, len, "%lu%c", v, units[u]);
}

static void flush_run(struct dump_state *s)
{
	char sz[16], psz[16];

	if (s->end == s->start)
		return;
	human(sz, sizeof(sz), s->end - s->start);
	human(psz, sizeof(psz), s->size);
	printk(KERN_INFO "%#018lx-%#018lx %6s %3s  %s %s %s %s %s\n", s->start, s->end, sz, psz,
	       s->bits & PAGE_WRITABLE ? "RW" : "ro", s->bits & PAGE_EXEC ? "x " : "NX",
	       s->bits & PAGE_GLOBAL ? "GLB" : "   ", s->bits & PAGE_USER ? "USR" : "   ",
	       mem_type(s->bits));
	s->lines++;
	s->start = s->end;
}

static void print_markers(struct dump_state *s, unsigned long va)
{
	while (s->marker + 1 < (int)ARRAY_SIZE(markers) && va >= markers[s->marker + 1].start) {
		s->marker++;
		if (s->marker + 1 < (int)ARRAY_SIZE(markers) && va >= markers[s->marker + 1].start)
			continue;
		printk(KERN_INFO "---[ %s ]---\n", markers[s->marker].name);
	}
}

static int dump_leaf(const struct pt_leaf *l, void *arg)
{
	struct dump_state *s = arg;
	pgflags_t bits = pte_pgflags(l->entry, l->size) & ~(PAGE_HUGE_2M | PAGE_HUGE_1G);

	s->leaves++;
	if (l->virt == s->end && l->size == s->size && bits == s->bits) {
		int m = s->marker;

		print_markers(s, l->virt);
		if (m == s->marker) {
			s->end += l->size;
			return 0;
		}
	}
	flush_run(s);
	print_markers(s, l->virt);
	s->start = l->virt;
	s->end = l->virt + l->size;
	s->size = l->size;
	s->bits = bits;
	return 0;
}

static int cmd_ptdump(int argc, char **argv)
{
	struct dump_state s = { .marker = 0 };
	bool all = argc > 1;
	struct mm_struct *mm = current_mm();

	if (all && shell_arg_choice(argv[0], argv[1], "all") < 0)
		return -EINVAL;
	if (all)
		printk(KERN_INFO "---[ %s ]---\n", markers[0].name);
	else
		s.marker = 1;
	if (!all)
		printk(KERN_INFO "---[ %s ]---\n", markers[1].name);
	mm_walk(mm, all ? 0 : KERNEL_HALF_START, 0, dump_leaf, &s);
	flush_run(&s);
	printk(KERN_INFO "---[ end: %lu ranges, %lu leaves, %lu page-table pages ]---\n", s.lines,
	       s.leaves, nr_pgtable_pages());
	return 0;
}
DEFINE_SHELL_CMD_ARGS(ptdump, "[all]", 0, 1,
		      "page-table dump: ranges, page sizes, permissions (all: the lower half too)",
		      cmd_ptdump);

/*
 * vm_oracle (boot parameter): print translate() for addresses whose
 * mapping the layout fixes, so that scripts/check-pgtables.py can compare
 * them with what QEMU's monitor walks out of CR3, then "vm_oracle: ready".
 */
extern char _text[], _etext[], _rodata[], _erodata[], _data[], init_stack_guard[],
	__bss_end[], _end[];

static bool oracle_requested;

static int __init oracle_setup(const char *val)
{
	oracle_requested = true;
	return 0;
}
__setup("vm_oracle", oracle_setup);

static void oracle_line(const char *name, unsigned long va)
{
	phys_addr_t pa;

	if (translate(va, &pa) == 0)
		printk(KERN_NOTICE "vm_oracle: %s %#lx %#llx\n", name, va, pa);
	else
		printk(KERN_NOTICE "vm_oracle: %s %#lx -\n", name, va);
}

static int __init oracle_run(void)
{
	void __iomem *io;
	phys_addr_t base;
	u64 size;
	u8 *buf;

	if (!oracle_requested)
		return 0;
	buf = vmalloc(3 * PAGE_SIZE);	/* kept: the script looks at it and its guards */
	io = ioremap(0xfee00000, PAGE_SIZE);	/* kept: the LAPIC, uncached */
	oracle_line("text", (unsigned long)_text);
	oracle_line("text_end", (unsigned long)_etext - 1);
	oracle_line("rodata", (unsigned long)_rodata);
	oracle_line("rodata_end", (unsigned long)_erodata - 1);
	oracle_line("data", (unsigned long)_data);
	oracle_line("bss_end", (unsigned long)__bss_end - 1);
	oracle_line("stack_guard", (unsigned long)init_stack_guard);
	oracle_line("image_below", KERNEL_VMA);
	oracle_line("image_above", ALIGN((unsigned long)_end, PAGE_SIZE) + PAGE_SIZE);
	oracle_line("direct0", PAGE_OFFSET);
	oracle_line("direct16m", PAGE_OFFSET + (16UL << 20) + 0x123);
	oracle_line("direct_hole", PAGE_OFFSET + 0xb8000);
	oracle_line("direct_bios", PAGE_OFFSET + 0xf0000);
	oracle_line("direct_lapic", PAGE_OFFSET + 0xfee00000);
	oracle_line("identity", 0x100000);
	oracle_line("null", 0);
	oracle_line("modules", MODULES_VADDR);
	if (buf) {
		oracle_line("vmalloc", (unsigned long)buf + 5);
		oracle_line("vmalloc_last", (unsigned long)buf + 3 * PAGE_SIZE - 1);
		oracle_line("vmalloc_guard_after", (unsigned long)buf + 3 * PAGE_SIZE);
		oracle_line("vmalloc_guard_before", (unsigned long)buf - 1);
	}
	if (io)
		oracle_line("ioremap", (unsigned long __force)io + 0x30);
	/* What the direct map must cover, exactly. */
	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++)
		printk(KERN_NOTICE "vm_oracle_ram: %#llx %#llx\n", base, base + size);
	printk(KERN_NOTICE "vm_oracle: ready\n");
	return 0;
}
late_initcall(oracle_run);
