/* SPDX-License-Identifier: GPL-2.0 */
/* Interrupt vectors, the IDT and the handler table. */
#ifndef _ASM_X86_TRAPS_H
#define _ASM_X86_TRAPS_H

#include <asm/ptrace.h>

#define X86_TRAP_DE	0
#define X86_TRAP_DB	1
#define X86_TRAP_NMI	2
#define X86_TRAP_BP	3
#define X86_TRAP_UD	6
#define X86_TRAP_DF	8
#define X86_TRAP_GP	13
#define X86_TRAP_PF	14
#define X86_TRAP_MC	18

/*
 * System vectors, installed with set_irq_handler().  Device IRQs get
 * vectors from arch/x86/kernel/apic/vector.c in [0x30, 0xec), minus those
 * a set_irq_handler() holds.  The move cleanup vector has the lowest
 * priority so that a device vector pending beside it is served first.
 */
#define IRQ_MOVE_CLEANUP_VECTOR	0x20
#define LOCAL_TIMER_VECTOR	0xec
/* Where a device's MSI message points while it has no started IRQ (as Linux). */
#define MANAGED_IRQ_SHUTDOWN_VECTOR	0xef
#define TLB_FLUSH_VECTOR	0xf0
#define CALL_FUNCTION_VECTOR	0xfb
#define RESCHEDULE_VECTOR	0xfc
#define ERROR_APIC_VECTOR	0xfe
#define SPURIOUS_APIC_VECTOR	0xff

/* IST slots in the TSS. */
#define IST_DF		1
#define IST_NMI		2
#define IST_MC		3

#ifndef __ASSEMBLER__
#include <exo/percpu.h>
DECLARE_PER_CPU(unsigned long, irq_count);
#endif

typedef void (*sysvec_handler_t)(struct pt_regs *regs);

/**
 * set_irq_handler() - install the handler of a system vector (timer, IPIs, tests)
 * @vector: vector number, 32..255
 * @fn: handler, called with interrupts disabled; NULL to remove
 *
 * Device interrupts use request_irq() (<exo/interrupt.h>) instead.
 * Return: 0, -EINVAL for an exception vector, -EBUSY if one is installed
 * or a device IRQ holds the vector on some CPU.
 */
int set_irq_handler(unsigned int vector, sysvec_handler_t fn);

/* Run the handler of @vector (a constant) on this CPU now, as "int $vector" (tests). */
#define raise_vector(vector)	__asm__ __volatile__("int %0" : : "i"(vector) : "memory")

void idt_init(void);
void load_idt(void);
void show_regs(const struct pt_regs *regs);
void dump_stack(void);
void show_backtrace(unsigned long rbp, unsigned long rip);
bool fixup_exception(struct pt_regs *regs);

/* Optional hooks set by later subsystems (SMP stop-NMI, fault handling). */
extern bool (*nmi_handler_hook)(struct pt_regs *regs);
extern bool (*page_fault_hook)(struct pt_regs *regs, unsigned long addr);
/* #DB (single step, breakpoints): the tests' single-stepping. */
extern bool (*debug_trap_hook)(struct pt_regs *regs);

#endif
