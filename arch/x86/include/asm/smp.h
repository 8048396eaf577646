/* SPDX-License-Identifier: GPL-2.0 */
/* x86 side of SMP: logical CPU number <-> APIC ID, AP bring-up. */
#ifndef _ASM_X86_SMP_H
#define _ASM_X86_SMP_H

#include <exo/percpu.h>
#include <exo/types.h>

/* APIC ID of each logical CPU (index 0 = the boot CPU). */
extern u32 x86_cpu_to_apicid[NR_CPUS];

static inline u32 cpu_to_apicid(unsigned int cpu)
{
	return x86_cpu_to_apicid[cpu];
}

/* NOMEM: a possible CPU that got no stack or idle thread, never started. */
enum cpu_state {
	CPU_STATE_ABSENT, CPU_STATE_BOOTING, CPU_STATE_ONLINE, CPU_STATE_DEAD, CPU_STATE_NOMEM
};

/* What `cpus` shows of each CPU (its features: per-CPU cpu_info). */
struct cpu_info {
	u32 apic_id;
	enum cpu_state state;
	u64 tsc_khz;
};

extern struct cpu_info cpu_data[NR_CPUS];

unsigned int smp_cpus_stood_down(void);
unsigned int smp_stood_down_wakeups(void);
bool smp_stood_down_stray_stack(void);
unsigned int smp_test_late_cpu_nr(void);
unsigned int smp_test_wrong_apic_cpu_nr(void);

/** smp_ipi_init() - install the IPI and stop-NMI handlers (once, boot CPU) */
void smp_ipi_init(void);

/**
 * smp_prepare_boot_cpu() - ACPI tables, MADT, boot CPU's APIC, I/O APIC
 *
 * Called once from start_kernel() after memory is up.  Never fails: without
 * a usable MADT or APIC the kernel stays on one CPU.
 */
void smp_prepare_boot_cpu(void);

/**
 * smp_boot_cpus() - start every CPU the MADT lists (INIT-SIPI-SIPI)
 *
 * A CPU that does not answer in time is reported and skipped.
 */
void smp_boot_cpus(void);

unsigned int smp_cpus_without_memory(void);
void *smp_boot_stack(unsigned int cpu);

/**
 * smp_ipi_shorthand_setup() - allow the all-but-self IPI shorthand
 * @cpus: the online CPU count it is valid for (0: never use it)
 *
 * Called once by smp_boot_cpus() with the number of CPUs online when every
 * CPU of the MADT came up, 0 otherwise.
 */
void smp_ipi_shorthand_setup(unsigned int cpus);

#endif /* _ASM_X86_SMP_H */
