// SPDX-License-Identifier: GPL-2.0
/*
 * panic(): print why, which CPU, and a backtrace; stop the other CPUs; end
 * the run.  A test harness sees a failing exit status; on hardware the
 * machine halts.
 */
#include <exo/bug.h>
#include <exo/console.h>
#include <exo/reboot.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <asm/traps.h>

static int panic_cpu = -1;

void __weak smp_send_stop(void)
{
}

__noreturn void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int me = (int)smp_processor_id(), old = -1;

	arch_local_irq_disable();
	/* Only the first CPU to panic reports; others just stop. */
	if (!__atomic_compare_exchange_n(&panic_cpu, &old, me, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) && old != me)
		machine_halt();
	console_force_unlock();
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic on CPU %d: %s\n", me, buf);
	dump_stack();
	smp_send_stop();
	printk(KERN_EMERG "---[ end Kernel panic: %s ]---\n", buf);
	emulator_exit(false);
}

void __warn(const char *file, int line, const char *cond)
{
	printk(KERN_WARNING "WARNING: CPU %u: %s at %s:%d\n",
	       smp_processor_id(), cond, file, line);
	dump_stack();
}
