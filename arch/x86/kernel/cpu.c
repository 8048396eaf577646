// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU descriptor tables: each CPU has its own GDT (the TSS descriptor
 * differs) and TSS, whose IST stacks give #DF, NMI and #MC a known-good
 * stack even when the kernel stack has overflowed into its guard page.
 */
#include <exo/init.h>
#include <exo/percpu.h>
#include <exo/string.h>
#include <asm/desc.h>
#include <asm/traps.h>

static DEFINE_PER_CPU_ALIGNED(u64 [8], cpu_gdt);
static DEFINE_PER_CPU_ALIGNED(struct tss64, cpu_tss);
static DEFINE_PER_CPU_ALIGNED(u8 [3][IST_STACK_SIZE], ist_stacks);

static void set_tss_desc(u64 *gdt, struct tss64 *tss)
{
	unsigned long base = (unsigned long)tss;
	u64 limit = sizeof(*tss) - 1;

	gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
		 (((base >> 24) & 0xff) << 56);
	gdt[6] = base >> 32;
}

void cpu_init_descriptors(unsigned int cpu)
{
	u64 *gdt = *per_cpu_ptr(&cpu_gdt, cpu);
	struct tss64 *tss = per_cpu_ptr(&cpu_tss, cpu);
	u8 (*ist)[IST_STACK_SIZE] = *per_cpu_ptr(&ist_stacks, cpu);
	struct desc_ptr p = { 7 * 8 - 1, (unsigned long)gdt };

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffULL;	/* KERNEL_CS: 64-bit code */
	gdt[2] = 0x00cf92000000ffffULL;	/* KERNEL_DS */
	gdt[3] = 0;
	gdt[4] = 0;
	memset(tss, 0, sizeof(*tss));
	tss->ist[IST_DF] = (unsigned long)ist[0] + IST_STACK_SIZE;
	tss->ist[IST_NMI] = (unsigned long)ist[1] + IST_STACK_SIZE;
	tss->ist[IST_MC] = (unsigned long)ist[2] + IST_STACK_SIZE;
	tss->iomap_base = sizeof(*tss);
	set_tss_desc(gdt, tss);

	/*
	 * Reloading GS would clear the GS base, so only DS/ES/SS/CS are
	 * reloaded; GS keeps the per-CPU base set through the MSR.
	 */
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"movl %1, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"pushq %2\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %3, %%ax\n\t"
		"ltr %%ax"
		: : "m"(p), "i"(KERNEL_DS), "i"(KERNEL_CS), "i"(TSS_SEL)
		: "rax", "memory");
	load_idt();
}
