/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Local APIC, in xAPIC (MMIO at the APIC base) or x2APIC (MSR) mode, and
 * the I/O APIC.  The mode is chosen once on the boot CPU from CPUID and
 * CONFIG_X86_X2APIC; every AP then switches to the same mode.
 */
#ifndef _ASM_X86_APIC_H
#define _ASM_X86_APIC_H

#include <exo/percpu.h>
#include <exo/types.h>

/* Register offsets (xAPIC MMIO); the x2APIC MSR is MSR_X2APIC_BASE + (reg >> 4). */
#define APIC_ID		0x020
#define APIC_LVR	0x030
#define APIC_TPR	0x080
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR	0x300
#define APIC_ICR2	0x310
#define APIC_LVTT	0x320
#define APIC_LVT0	0x350
#define APIC_LVT1	0x360
#define APIC_LVTERR	0x370
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0

#define APIC_SVR_ENABLE		0x100
#define APIC_LVT_MASKED		0x10000
#define APIC_LVT_PERIODIC	0x20000
#define APIC_DM_FIXED		0x000
#define APIC_DM_NMI		0x400
#define APIC_DM_INIT		0x500
#define APIC_DM_STARTUP		0x600
#define APIC_ICR_BUSY		0x1000
#define APIC_ICR_ASSERT		0x4000
#define APIC_ICR_LEVEL		0x8000
#define APIC_DEST_ALLBUT	0xc0000	/* shorthand: every APIC but the sender's */

#define APIC_TIMER_HZ		100

/* True when the local APICs run in x2APIC mode. */
extern bool x2apic_mode;
/* Local APIC timer ticks per second (bus clock / 16), measured at boot. */
extern u64 apic_timer_hz;

/**
 * apic_init_bsp() - pick the APIC mode and enable the boot CPU's local APIC
 * @madt_base: local APIC physical base from the MADT (0: use the MSR)
 *
 * Return: 0, or -ENODEV when the CPU has no local APIC.
 */
int apic_init_bsp(u64 madt_base);

/** apic_init_ap() - enable this AP's local APIC in the boot CPU's mode */
void apic_init_ap(void);

/** apic_setup_lint_nmi() - program LINT0/LINT1 as the MADT says (NMI, else masked) */
void apic_setup_lint_nmi(unsigned int acpi_uid);

/** read_apic_id() - this CPU's APIC ID (32 bits in x2APIC mode, 8 in xAPIC) */
u32 read_apic_id(void);

/** apic_eoi() - signal end of interrupt to this CPU's local APIC */
void apic_eoi(void);

/**
 * apic_send_ipi() - send an inter-processor interrupt
 * @apic_id: destination (physical mode)
 * @icr_low: vector | delivery mode | level/trigger bits
 *
 * Safe with interrupts enabled or disabled; returns once the local APIC has
 * accepted the command (xAPIC delivery status clear).
 */
void apic_send_ipi(u32 apic_id, u32 icr_low);

/** apic_timer_calibrate() - measure the timer's tick rate against the TSC (boot CPU) */
void apic_timer_calibrate(void);

/**
 * apic_timer_start() - APIC_TIMER_HZ tick on this CPU, calling scheduler_tick()
 *
 * Periodic mode, or one-shot countdowns re-armed by each tick with
 * apic_timer=oneshot.
 */
void apic_timer_start(void);

/* Per-CPU interrupt counters for `cpus`. */
DECLARE_PER_CPU(unsigned long, apic_timer_ticks);
DECLARE_PER_CPU(unsigned long, apic_errors);
DECLARE_PER_CPU(unsigned long, apic_spurious);

/** apic_read() - read a local APIC register of this CPU (xAPIC offset) */
u32 apic_read(u32 reg);

/**
 * ioapic_init() - find the I/O APICs in the MADT, mask every input
 *
 * Creates the IRQ descriptor of every input (ISA IRQs through the MADT
 * overrides, GSI n as IRQ n; arch/x86/kernel/ioapic.c).
 * Return: number of I/O APICs set up (0: no device IRQs).
 */
int ioapic_init(void);

/**
 * ioapic_gsi_valid() - is @gsi an input of an I/O APIC that ioapic_init() set up
 * @gsi: global system interrupt number
 *
 * Return: true if an I/O APIC serves @gsi.
 */
bool ioapic_gsi_valid(u32 gsi);

#endif /* _ASM_X86_APIC_H */
