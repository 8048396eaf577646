/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU features, read from CPUID once per CPU at bring-up into that CPU's
 * capability words (struct cpuinfo_x86), then tested by name.  Nothing
 * outside arch/x86/kernel/cpu/ executes CPUID to learn a feature: the
 * boot CPU's words are boot_cpu_data, filled before anything else runs in
 * C (the stack canary already wants RDRAND), and each CPU's own are its
 * per-CPU cpu_info, filled first thing when it starts.
 *
 * A feature number is word * 32 + bit, as in Linux; each word is one
 * CPUID output register (enum cpuid_leafs).  Only features the kernel
 * uses or shows have a name.
 */
#ifndef _ASM_X86_CPUFEATURE_H
#define _ASM_X86_CPUFEATURE_H

#include <exo/percpu.h>
#include <exo/types.h>

enum cpuid_leafs {
	CPUID_1_EDX,
	CPUID_1_ECX,
	CPUID_7_0_EBX,
	CPUID_7_0_ECX,
	CPUID_8000_0001_EDX,
	CPUID_8000_0001_ECX,
	NCAPINTS
};

#define X86_FEATURE(word, bit)	((word) * 32 + (bit))

/* CPUID 1, EDX */
#define X86_FEATURE_FPU		X86_FEATURE(CPUID_1_EDX, 0)
#define X86_FEATURE_TSC		X86_FEATURE(CPUID_1_EDX, 4)
#define X86_FEATURE_MSR		X86_FEATURE(CPUID_1_EDX, 5)
#define X86_FEATURE_APIC	X86_FEATURE(CPUID_1_EDX, 9)
#define X86_FEATURE_PGE		X86_FEATURE(CPUID_1_EDX, 13)
#define X86_FEATURE_PAT		X86_FEATURE(CPUID_1_EDX, 16)
/* CPUID 1, ECX */
#define X86_FEATURE_PCID	X86_FEATURE(CPUID_1_ECX, 17)
#define X86_FEATURE_X2APIC	X86_FEATURE(CPUID_1_ECX, 21)
#define X86_FEATURE_RDRAND	X86_FEATURE(CPUID_1_ECX, 30)
#define X86_FEATURE_HYPERVISOR	X86_FEATURE(CPUID_1_ECX, 31)
/* CPUID 7 subleaf 0, EBX */
#define X86_FEATURE_SMEP	X86_FEATURE(CPUID_7_0_EBX, 7)
#define X86_FEATURE_INVPCID	X86_FEATURE(CPUID_7_0_EBX, 10)
#define X86_FEATURE_SMAP	X86_FEATURE(CPUID_7_0_EBX, 20)
/* CPUID 7 subleaf 0, ECX */
#define X86_FEATURE_UMIP	X86_FEATURE(CPUID_7_0_ECX, 2)
/* CPUID 0x80000001, EDX */
#define X86_FEATURE_NX		X86_FEATURE(CPUID_8000_0001_EDX, 20)
#define X86_FEATURE_GBPAGES	X86_FEATURE(CPUID_8000_0001_EDX, 26)
#define X86_FEATURE_RDTSCP	X86_FEATURE(CPUID_8000_0001_EDX, 27)
#define X86_FEATURE_LM		X86_FEATURE(CPUID_8000_0001_EDX, 29)
/* CPUID 0x80000001, ECX */
#define X86_FEATURE_LAHF_LM	X86_FEATURE(CPUID_8000_0001_ECX, 0)

/**
 * struct cpuinfo_x86 - what CPUID told one CPU about itself
 * @x86_capability: the feature words, indexed by enum cpuid_leafs (a word
 *	whose leaf is above the CPU's maximum stays 0)
 * @cpuid_level: highest basic CPUID leaf
 * @extended_cpuid_level: highest extended leaf (0x8000xxxx), 0 if none
 * @x86: family (with the extended family folded in)
 * @x86_model: model (with the extended model folded in)
 */
struct cpuinfo_x86 {
	u32 x86_capability[NCAPINTS];
	u32 cpuid_level;
	u32 extended_cpuid_level;
	u8 x86;
	u8 x86_model;
};

/* The boot CPU's: valid from the first line of C on. */
extern struct cpuinfo_x86 boot_cpu_data;
/* Each CPU's own, valid once it has started (identify_secondary_cpu()). */
DECLARE_PER_CPU(struct cpuinfo_x86, cpu_info);

/*
 * Names as Linux's /proc/cpuinfo spells them, for the features above;
 * NULL for a bit with no name.
 */
extern const char *const x86_cap_flags[NCAPINTS * 32];

static __always_inline bool cpu_has(const struct cpuinfo_x86 *c, unsigned int bit)
{
	return (c->x86_capability[bit / 32] >> (bit % 32)) & 1;
}

/* Does the boot CPU have @bit (X86_FEATURE_*)?  What feature policy reads. */
#define boot_cpu_has(bit)	cpu_has(&boot_cpu_data, (bit))
/* Does the CPU running this have @bit?  Call with preemption disabled. */
#define this_cpu_has(bit)	cpu_has(this_cpu_ptr(&cpu_info), (bit))

/**
 * early_cpu_init() - fill boot_cpu_data from CPUID
 *
 * The first C the boot CPU runs (before the per-CPU base and the stack
 * canary are set): touches only boot_cpu_data.
 */
void early_cpu_init(void);

/**
 * identify_boot_cpu() - copy boot_cpu_data into the boot CPU's cpu_info
 *
 * Once its per-CPU base is set: from then on this_cpu_has() works there.
 */
void identify_boot_cpu(void);

/**
 * identify_secondary_cpu() - fill this AP's cpu_info from CPUID
 *
 * First thing an AP does once its per-CPU base is set; differences from
 * the boot CPU in a feature the kernel relies on are reported.
 */
void identify_secondary_cpu(void);

#endif /* _ASM_X86_CPUFEATURE_H */
