// SPDX-License-Identifier: GPL-2.0
/*
 * Local APIC: mode selection (x2APIC when CPUID and Kconfig allow, else
 * xAPIC MMIO), per-CPU enable, spurious and error vectors, LINT NMI wiring,
 * IPIs and the periodic timer that drives the scheduler.
 *
 * The timer is calibrated once against the TSC (itself calibrated against
 * the PIT), so under QEMU -icount both run on the same virtual clock.
 */
#define pr_fmt(fmt) "APIC: " fmt

#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/timer.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/io.h>
#include <asm/msr-index.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/traps.h>

bool x2apic_mode;
u64 apic_timer_hz;
static void __iomem *apic_mmio;
static u32 timer_initial_count;
static bool timer_oneshot;

/*
 * apic_timer=oneshot: drive the tick with one-shot countdowns re-armed by
 * each interrupt instead of the periodic mode (the base a tickless idle
 * would build on; make check runs one kernel this way).
 * apic_timer=periodic is the default.
 */
static int __init apic_timer_setup(const char *val)
{
	timer_oneshot = !strcmp(val, "oneshot");
	return 0;
}
early_param_choice("apic_timer=", apic_timer_setup, "periodic", "oneshot");

DEFINE_PER_CPU(unsigned long, apic_timer_ticks);
DEFINE_PER_CPU(unsigned long, apic_errors);
DEFINE_PER_CPU(unsigned long, apic_spurious);

u32 apic_read(u32 reg)
{
	if (x2apic_mode)
		return (u32)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return readl(apic_mmio + reg);
}

static void apic_write(u32 reg, u32 v)
{
	if (x2apic_mode)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		writel(v, apic_mmio + reg);
}

u32 read_apic_id(void)
{
	u32 id = apic_read(APIC_ID);

	return x2apic_mode ? id : id >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

void apic_send_ipi(u32 apic_id, u32 icr_low)
{
	unsigned long flags;

	if (x2apic_mode) {
		/* One MSR write; x2APIC ICR writes are not serializing: fence first. */
		__asm__ __volatile__("mfence" : : : "memory");
		wrmsr(MSR_X2APIC_ICR, ((u64)apic_id << 32) | icr_low);
		return;
	}
	/* ICR2 then ICR: an interrupt in between could send its own IPI. */
	flags = arch_local_irq_save();
	while (readl(apic_mmio + APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
	writel(apic_id << 24, apic_mmio + APIC_ICR2);
	writel(icr_low, apic_mmio + APIC_ICR);
	while (readl(apic_mmio + APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
	arch_local_irq_restore(flags);
}

static void spurious_interrupt(struct pt_regs *regs)
{
	/* No EOI for a spurious interrupt: it was never in service. */
	this_cpu_inc(apic_spurious);
}

static void error_interrupt(struct pt_regs *regs)
{
	u32 esr;

	apic_write(APIC_ESR, 0);	/* latch the error bits */
	esr = apic_read(APIC_ESR);
	apic_eoi();
	this_cpu_inc(apic_errors);
	pr_warn_ratelimited("CPU %u: APIC error, ESR %#x\n", smp_processor_id(), esr);
}

static void timer_interrupt(struct pt_regs *regs)
{
	if (timer_oneshot)
		apic_write(APIC_TMICT, timer_initial_count);
	apic_eoi();
	this_cpu_inc(apic_timer_ticks);
	scheduler_tick();
	run_local_timers();
}

/* Enable this CPU's APIC in the chosen mode; common to BSP and APs. */
static void apic_enable_local(void)
{
	u64 base = rdmsr(MSR_IA32_APICBASE);

	base |= MSR_IA32_APICBASE_ENABLE;
	if (x2apic_mode)
		base |= MSR_IA32_APICBASE_X2APIC;
	wrmsr(MSR_IA32_APICBASE, base);

	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVTT, APIC_LVT_MASKED);
	apic_write(APIC_LVT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT1, APIC_LVT_MASKED);
	apic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_APIC_VECTOR);
	apic_eoi();	/* nothing may be left in service from the firmware */
}

void apic_setup_lint_nmi(unsigned int acpi_uid)
{
	if (!acpi_madt_valid)
		return;
	for (unsigned int i = 0; i < acpi_madt.nr_nmis; i++) {
		const struct madt_lapic_nmi *n = &acpi_madt.nmis[i];

		if (n->acpi_uid != 0xffffffff && n->acpi_uid != acpi_uid)
			continue;
		apic_write(n->lint ? APIC_LVT1 : APIC_LVT0, APIC_DM_NMI);
	}
}

int __init apic_init_bsp(u64 madt_base)
{
	u64 base;

	if (!boot_cpu_has(X86_FEATURE_APIC)) {
		pr_err("this CPU has no local APIC: uniprocessor, no timer interrupt\n");
		return -ENODEV;
	}
	x2apic_mode = IS_ENABLED(CONFIG_X86_X2APIC) && boot_cpu_has(X86_FEATURE_X2APIC);
	base = rdmsr(MSR_IA32_APICBASE) & MSR_IA32_APICBASE_BASE;
	if (madt_base && madt_base != base)
		pr_warn("MADT says the APIC is at %#llx, the MSR %#llx: using the MSR\n",
			(unsigned long long)madt_base, (unsigned long long)base);
	if (!x2apic_mode)
		apic_mmio = ioremap(base, PAGE_SIZE);
	set_irq_handler(SPURIOUS_APIC_VECTOR, spurious_interrupt);
	set_irq_handler(ERROR_APIC_VECTOR, error_interrupt);
	set_irq_handler(LOCAL_TIMER_VECTOR, timer_interrupt);
	apic_enable_local();
	pr_info("%s mode, base %#llx, boot CPU APIC ID %u, version %#x\n",
		x2apic_mode ? "x2APIC" : "xAPIC", (unsigned long long)base, read_apic_id(),
		apic_read(APIC_LVR) & 0xff);
	return 0;
}

void apic_init_ap(void)
{
	apic_enable_local();
}

void __init apic_timer_calibrate(void)
{
	u64 t0, t1;
	u32 left;

	apic_write(APIC_TDCR, 0x3);		/* divide by 16 */
	apic_write(APIC_LVTT, APIC_LVT_MASKED);
	apic_write(APIC_TMICT, 0xffffffff);
	t0 = rdtsc();
	mdelay(10);
	left = apic_read(APIC_TMCCT);
	t1 = rdtsc();
	apic_write(APIC_TMICT, 0);
	/* ticks elapsed over the TSC-measured interval */
	apic_timer_hz = (u64)(0xffffffffu - left) * tsc_khz * 1000 / (t1 - t0 ? t1 - t0 : 1);
	if (!apic_timer_hz) {
		pr_warn("timer did not count: assuming 62.5 MHz\n");
		apic_timer_hz = 62500000;
	}
	timer_initial_count = (u32)(apic_timer_hz / APIC_TIMER_HZ);
	pr_info("timer: %llu.%03llu MHz, %u Hz tick (%s)\n", apic_timer_hz / 1000000,
		apic_timer_hz / 1000 % 1000, APIC_TIMER_HZ, timer_oneshot ? "one-shot" : "periodic");
}

void apic_timer_start(void)
{
	if (!timer_initial_count)
		return;
	apic_write(APIC_TDCR, 0x3);
	apic_write(APIC_LVTT, (timer_oneshot ? 0 : APIC_LVT_PERIODIC) | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, timer_initial_count);
}
