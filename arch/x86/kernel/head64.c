// SPDX-License-Identifier: GPL-2.0
/*
 * First C code on the boot CPU, entered from head.S in long mode on the
 * temporary page tables.  Sets up what every later line relies on: the
 * per-CPU base, a console, the boot information, descriptor tables.
 */
#include <exo/bootinfo.h>
#include <exo/init.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/msr-index.h>
#include <asm/page.h>
#include <asm/preempt.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/stackprotector.h>
#include <asm/traps.h>

extern char __per_cpu_load[], __per_cpu_start[], __per_cpu_end[], __per_cpu_bsp[];
extern char _boot_start[], _end[];

/* Must be first in the per-CPU area: this_cpu_ptr() reads it. */
__section(".data..percpu.first") unsigned long __percpu this_cpu_off;
DEFINE_PER_CPU(unsigned int, __preempt_count) = PREEMPT_NEED_RESCHED;
DEFINE_PER_CPU(unsigned int, cpu_number);
unsigned long __per_cpu_offset[NR_CPUS];

struct boot_info boot_info;

phys_addr_t kernel_phys_start(void)
{
	return (phys_addr_t)(unsigned long)_boot_start;
}

phys_addr_t kernel_phys_end(void)
{
	return virt_to_phys(_end);
}

/**
 * setup_percpu_base() - point %gs at @base and record it as CPU @cpu's area
 * @cpu: logical CPU number
 * @base: the area (a copy of the per-CPU template)
 */
void setup_percpu_base(unsigned int cpu, unsigned long base)
{
	__per_cpu_offset[cpu] = base;
	wrmsr(MSR_GS_BASE, base);
	this_cpu_write(this_cpu_off, base);
	this_cpu_write(cpu_number, cpu);
}

void __init __noreturn x86_64_start_kernel(u32 magic, u32 info_phys);

/*
 * Built without the stack protector (arch/x86/kernel/Makefile): it sets the
 * canary, so a copy saved in its own frame would be stale.
 */
void __init __noreturn x86_64_start_kernel(u32 magic, u32 info_phys)
{
	early_cpu_init();
#ifdef CONFIG_STACKPROTECTOR
	boot_init_stack_canary();
#endif
	/*
	 * The boot CPU's area is the copy in .bss (head.S zeroed it); the
	 * template itself stays pristine for the APs.
	 */
	memcpy(__per_cpu_bsp, __per_cpu_load, __per_cpu_end - __per_cpu_start);
	setup_percpu_base(0, (unsigned long)__per_cpu_bsp);
	identify_boot_cpu();
	early_console_init();
	parse_boot_info(magic, info_phys);
	idt_init();
	cpu_init_descriptors(0);
	start_kernel();
}
