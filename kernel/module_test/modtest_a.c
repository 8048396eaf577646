// SPDX-License-Identifier: GPL-2.0
/*
 * Loader test module A: exports (plain and GPL-only) for module B, every
 * relocation type the loader supports, .data/.rodata/.bss, and memory held
 * from init to exit: a page from the page allocator, a kmalloc() buffer and
 * a frame mapped with map_page() at MODTEST_VA (unmapped again at exit).
 *
 *   R_X86_64_64    pointer tables (modtest_a_names[], modtest_a_printk_ptr)
 *   R_X86_64_PC32  rip-relative data accesses
 *   R_X86_64_PLT32 calls into the kernel
 *   R_X86_64_32S   absolute addresses (-mcmodel=kernel), %gs:cpu_number
 *   R_X86_64_32    .long cpu_number (a per-CPU offset: small)
 */
#include <exo/errno.h>
#include <exo/module.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include "modtest.h"

/* Global, so the compiler cannot fold them: the loader must relocate them. */
const char *modtest_a_names[] = { "alpha", "beta", "gamma" };
int (*modtest_a_printk_ptr)(const char *, ...) = printk;
static int counter = 5;
static unsigned long zeroed[64];
static struct page *page;
static char *buf;
static phys_addr_t frame;

/* Lower half of the kernel's own address space: nothing else maps it. */
#define MODTEST_VA	0x00007e0000000000UL
#define BUF_SIZE	200

asm(".pushsection .data.modtest, \"aw\"\n"
    ".balign 4\n"
    ".globl modtest_a_cpu_off32\n"
    "modtest_a_cpu_off32: .long cpu_number\n"
    ".popsection");

int modtest_a_add(int a, int b)
{
	return a + b + counter - 5;
}
EXPORT_SYMBOL(modtest_a_add);

int modtest_a_gpl_value(void)
{
	return 42;
}
EXPORT_SYMBOL_GPL(modtest_a_gpl_value);

/* 0 if everything the loader relocated reads back right; else which check. */
int modtest_a_selftest(void)
{
	int (*volatile direct)(const char *, ...) = printk;

	if (strcmp(modtest_a_names[1], "beta") || modtest_a_names[2][0] != 'g')
		return 1;
	for (unsigned int i = 0; i < ARRAY_SIZE(zeroed); i++)
		if (zeroed[i])
			return 2;
	if (modtest_a_printk_ptr != direct)
		return 3;
	if (modtest_a_cpu_off32 != (u32)(__force unsigned long)&cpu_number)
		return 4;
	if (smp_processor_id() >= NR_CPUS)
		return 5;
	if (!page || *(u32 *)page_address(page) != 0xfeedf00d)
		return 6;
	if (counter != 5)
		return 7;
	for (unsigned int i = 0; i < BUF_SIZE; i++)
		if (buf[i] != (char)i)
			return 8;
	{
		phys_addr_t pa;

		if (translate(MODTEST_VA + 12, &pa) || pa != frame + 12)
			return 9;
		if (*(volatile u32 *)MODTEST_VA != 0xc0ffee || *(u32 *)phys_to_virt(frame) != 0xc0ffee)
			return 10;
	}
	return 0;
}
EXPORT_SYMBOL(modtest_a_selftest);

static int __init modtest_a_init(void)
{
	int err = -ENOMEM;

	page = alloc_pages(GFP_KERNEL, 0);
	if (!page)
		return -ENOMEM;
	*(u32 *)page_address(page) = 0xfeedf00d;
	buf = kmalloc(BUF_SIZE, GFP_KERNEL);
	if (!buf)
		goto free_page;
	for (unsigned int i = 0; i < BUF_SIZE; i++)
		buf[i] = (char)i;
	err = alloc_frame(&frame);
	if (err)
		goto free_buf;
	err = map_page(MODTEST_VA, frame, PAGE_WRITABLE);
	if (err)
		goto free_frame;
	*(volatile u32 *)MODTEST_VA = 0xc0ffee;
	return 0;

free_frame:
	free_frame(frame);
free_buf:
	kfree(buf);
free_page:
	__free_pages(page, 0);
	return err;
}

static void modtest_a_exit(void)
{
	unmap_page(MODTEST_VA);
	free_frame(frame);
	kfree(buf);
	__free_pages(page, 0);
}

module_init(modtest_a_init);
module_exit(modtest_a_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("loader test: exports, relocations, pages, kmalloc, map_page");
