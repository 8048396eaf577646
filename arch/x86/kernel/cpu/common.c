// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU x86 setup: what CPUID says the CPU has (cpufeature.h), the
 * control-register and EFER features the kernel turns on from that, and
 * the descriptor tables.
 *
 * Each CPU has its own GDT (the TSS descriptor differs) and TSS, whose IST
 * stacks give #DF, NMI and #MC a known-good stack even when the kernel
 * stack has overflowed into its guard page.
 */
#define pr_fmt(fmt) "cpu: " fmt

#include <exo/export.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/pgtable.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/irqflags.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/traps.h>

struct cpuinfo_x86 boot_cpu_data;
DEFINE_PER_CPU(struct cpuinfo_x86, cpu_info);

const char *const x86_cap_flags[NCAPINTS * 32] = {
	[X86_FEATURE_FPU] = "fpu",
	[X86_FEATURE_TSC] = "tsc",
	[X86_FEATURE_MSR] = "msr",
	[X86_FEATURE_APIC] = "apic",
	[X86_FEATURE_PGE] = "pge",
	[X86_FEATURE_PAT] = "pat",
	[X86_FEATURE_PCID] = "pcid",
	[X86_FEATURE_X2APIC] = "x2apic",
	[X86_FEATURE_RDRAND] = "rdrand",
	[X86_FEATURE_HYPERVISOR] = "hypervisor",
	[X86_FEATURE_SMEP] = "smep",
	[X86_FEATURE_INVPCID] = "invpcid",
	[X86_FEATURE_SMAP] = "smap",
	[X86_FEATURE_UMIP] = "umip",
	[X86_FEATURE_NX] = "nx",
	[X86_FEATURE_GBPAGES] = "pdpe1gb",
	[X86_FEATURE_RDTSCP] = "rdtscp",
	[X86_FEATURE_LM] = "lm",
	[X86_FEATURE_LAHF_LM] = "lahf_lm",
};

/* @c from this CPU's CPUID; words of leaves beyond its maximum stay 0. */
static void get_cpu_cap(struct cpuinfo_x86 *c)
{
	u32 a, b, cx, d;

	memset(c, 0, sizeof(*c));
	cpuid_count(0, 0, &c->cpuid_level, &b, &cx, &d);
	if (c->cpuid_level >= 1) {
		cpuid_count(1, 0, &a, &b, &cx, &d);
		c->x86 = (a >> 8) & 0xf;
		if (c->x86 == 0xf)
			c->x86 += (a >> 20) & 0xff;
		c->x86_model = ((a >> 4) & 0xf) | ((a >> 12) & 0xf0);
		c->x86_capability[CPUID_1_EDX] = d;
		c->x86_capability[CPUID_1_ECX] = cx;
	}
	if (c->cpuid_level >= 7) {
		cpuid_count(7, 0, &a, &b, &cx, &d);
		c->x86_capability[CPUID_7_0_EBX] = b;
		c->x86_capability[CPUID_7_0_ECX] = cx;
	}
	cpuid_count(0x80000000, 0, &a, &b, &cx, &d);
	if ((a & 0xffff0000) != 0x80000000)
		return;
	c->extended_cpuid_level = a;
	if (a >= 0x80000001) {
		cpuid_count(0x80000001, 0, &a, &b, &cx, &d);
		c->x86_capability[CPUID_8000_0001_EDX] = d;
		c->x86_capability[CPUID_8000_0001_ECX] = cx;
	}
}

bool virt_spin_lock_enabled;
EXPORT_SYMBOL_GPL(virt_spin_lock_enabled);

/*
 * "nopvspin" (Linux's name) keeps ticket locks under a hypervisor.  Early
 * parameters are parsed before the APs start, so no lock changes mode
 * while another CPU waits on it.
 */
static int __init nopvspin_setup(const char *arg)
{
	(void)arg;
	virt_spin_lock_enabled = false;
	return 0;
}
early_param("nopvspin", nopvspin_setup);

void __init early_cpu_init(void)
{
	get_cpu_cap(&boot_cpu_data);
	virt_spin_lock_enabled = boot_cpu_has(X86_FEATURE_HYPERVISOR);
}

void __init identify_boot_cpu(void)
{
	*this_cpu_ptr(&cpu_info) = boot_cpu_data;
}

void identify_secondary_cpu(void)
{
	struct cpuinfo_x86 *c = this_cpu_ptr(&cpu_info);

	get_cpu_cap(c);
	for (unsigned int i = 0; i < NCAPINTS * 32; i++) {
		if (x86_cap_flags[i] && cpu_has(c, i) != boot_cpu_has(i))
			pr_warn("CPU %u %s %s but the boot CPU %s\n", smp_processor_id(),
				cpu_has(c, i) ? "has" : "lacks", x86_cap_flags[i],
				boot_cpu_has(i) ? "has" : "does not");
	}
}

/**
 * cr4_init() - turn on this CPU's paging and protection features
 *
 * NX in EFER; global pages, SMEP, SMAP and UMIP in CR4 when the CPU has
 * them; PCIDs when it has them and CONFIG_X86_PCID is set
 * (arch/x86/mm/tlb.c reads CR4.PCIDE back through tlb_cpu_has_pcid()).
 * Loads init_mm's tables as PCID 0 on the way.
 * Called on every CPU before tlb_cpu_init(), after identify_*_cpu().
 */
void cr4_init(void)
{
	unsigned long irqflags = arch_local_irq_save();
	unsigned long cr4 = read_cr4();
	bool pge = this_cpu_has(X86_FEATURE_PGE);

	if (this_cpu_has(X86_FEATURE_NX))
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	if (pge)
		cr4 |= X86_CR4_PGE;
	if (this_cpu_has(X86_FEATURE_SMEP))
		cr4 |= X86_CR4_SMEP;
	if (this_cpu_has(X86_FEATURE_SMAP))
		cr4 |= X86_CR4_SMAP;
	if (this_cpu_has(X86_FEATURE_UMIP))
		cr4 |= X86_CR4_UMIP;
	/* PCIDE may only be set with CR3[11:0] == 0: load init_mm as PCID 0 first. */
	write_cr3(init_mm.pgd_phys);
	if (IS_ENABLED(CONFIG_X86_PCID) && pge && this_cpu_has(X86_FEATURE_PCID))
		cr4 |= X86_CR4_PCIDE;
	write_cr4(cr4);
	arch_local_irq_restore(irqflags);
}

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
