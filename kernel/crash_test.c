// SPDX-License-Identifier: GPL-2.0
/*
 * crash_test=panic|oops|overflow|shootdown_irq|module: end the boot in a
 * deliberate crash (module: an oops inside a module's text), so
 * scripts/check.sh can check what a crash prints (the CPU, registers, a
 * symbolised backtrace, every other CPU stopped by NMI with its own state)
 * and that the emulator reports a failure.  Each other CPU first runs a
 * spinning thread, so the NMI interrupts real work.
 */
#include <exo/bug.h>
#include <exo/init.h>
#include <exo/kthread.h>
#include <exo/module.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/tlb.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include "module-internal.h"

static const char *crash_mode;

static int __init crash_test_setup(const char *val)
{
	crash_mode = val;
	return 0;
}
__setup_choice("crash_test=", crash_test_setup, "oops", "panic", "overflow", "shootdown_irq",
	       "module");

static noinline int crash_spinner(void *unused)
{
	for (;;)
		cpu_relax();
	return 0;
}

static noinline void crash_oops(void)
{
	/* Canonical, in the user half, never mapped by the kernel: a #PF. */
	volatile unsigned long *bad = (volatile unsigned long *)0x8000000000UL;

	*bad = 0x0bad;
}

static noinline unsigned long crash_recurse(unsigned long depth)
{
	volatile char pad[256];

	pad[0] = (char)depth;
	if (depth == ~0UL)	/* never: keeps the compiler from seeing endless recursion */
		return 0;
	return crash_recurse(depth + 1) + pad[0];
}

/* crash_oops()'s fault, in a module's text (kernel/module_test/modtest_oops.c). */
static noinline void crash_module(void)
{
#if defined(CONFIG_MODULES)
	const struct modtest_blob *b = modtest_blob("modtest_oops");
	void (*fault)(volatile unsigned long *p);

	if (!b) {
		pr_emerg("crash_test: no modtest_oops module in this kernel\n");
		return;
	}
	if (load_module(b->start, b->end - b->start, NULL))
		return;	/* the loader said why */
	fault = (void *)find_exported_symbol("modtest_oops_fault");
	if (fault)
		fault((volatile unsigned long *)0x8000000000UL);
	/* Not reached; also keeps the call from becoming a frameless jump. */
	pr_emerg("crash_test: the fault in modtest_oops returned\n");
#endif
}

/*
 * A TLB shootdown from an interrupt handler cannot reach the other CPUs
 * and must stop the kernel, not return as if the flush had been done.
 */
#define CRASH_VECTOR	0x9b

static void crash_shootdown_irq(struct pt_regs *regs)
{
	apic_eoi();
	flush_tlb_all();
}

static noinline void crash_shootdown(void)
{
	if (set_irq_handler(CRASH_VECTOR, crash_shootdown_irq))
		return;
	apic_send_ipi(cpu_to_apicid(smp_processor_id()), APIC_DM_FIXED | CRASH_VECTOR);
	msleep(100);
	set_irq_handler(CRASH_VECTOR, NULL);
	pr_emerg("crash_test: the shootdown from an interrupt handler returned\n");
}

static int __init crash_test(void)
{
	unsigned int cpu;

	if (!crash_mode)
		return 0;
	for_each_online_cpu(cpu) {
		struct task_struct *k;

		if (cpu == smp_processor_id())
			continue;
		k = kthread_create(crash_spinner, NULL, "crash-spin%u", cpu);
		if (k) {
			kthread_bind(k, cpu);
			wake_up_process(k);
		}
	}
	msleep(20);
	pr_emerg("crash_test: %s on CPU %u\n", crash_mode, smp_processor_id());
	if (!strcmp(crash_mode, "oops"))
		crash_oops();
	else if (!strcmp(crash_mode, "overflow"))
		crash_recurse(0);
	else if (!strcmp(crash_mode, "module"))
		crash_module();
	else if (!strcmp(crash_mode, "shootdown_irq"))
		crash_shootdown();
	panic("crash_test=%s", crash_mode);
	return 0;
}
late_initcall(crash_test);
