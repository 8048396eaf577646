/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 per-IRQ vector state and the vector allocator
 * (arch/x86/kernel/apic/vector.c, Documentation/irq.rst).
 */
#ifndef _ASM_X86_IRQ_H
#define _ASM_X86_IRQ_H

#include <exo/list.h>
#include <exo/types.h>

/* Device vectors are allocated in [FIRST_DEVICE_VECTOR, FIRST_SYSTEM_VECTOR). */
#define FIRST_DEVICE_VECTOR	0x30
#define FIRST_SYSTEM_VECTOR	0xec
#define NR_VECTORS		256

/**
 * struct irq_cfg - where an IRQ is delivered
 * @vector: its vector on @cpu (0: none)
 * @cpu: the CPU
 * @prev_vector: the vector it had before a move, kept until no
 *	interrupt can still arrive on it (0: none)
 * @prev_cpu: the CPU of @prev_vector
 * @move_in_progress: an interrupt has not yet arrived on the new vector
 * @cleanup_queued: @prev_vector waits on @prev_cpu's cleanup list
 * @cleanup: entry on that list
 */
struct irq_cfg {
	u8 vector;
	u8 prev_vector;
	u8 tramp_vector;	/* @vector, also held on @prev_cpu during a move */
	bool move_in_progress;
	bool cleanup_queued;
	unsigned int cpu;
	unsigned int prev_cpu;
	struct list_head cleanup;
};

struct irq_desc;
struct irq_data;
struct cpumask;
struct msi_msg;

/* The x86 vector layer, called by kernel/irq/ with the desc lock held, IRQs off. */
int x86_vector_activate(struct irq_desc *desc);
void x86_vector_deactivate(struct irq_desc *desc);
int x86_vector_set_affinity(struct irq_desc *desc, const struct cpumask *dest);
void irq_complete_move(struct irq_desc *desc);
/* The first dynamic IRQ number >= @from: above the GSIs (ioapic.c). */
unsigned int arch_dynirq_lower_bound(unsigned int from);
void x86_vector_init(void);
int x86_vector_reserve_system(unsigned int vector, bool reserve);
void x86_device_interrupt(unsigned int vector);
void x86_vector_retrigger(struct irq_desc *desc);

/**
 * x86_vector_shutdown_msg() - a harmless MSI message, for a device that
 * may signal while none of its IRQs is started: MANAGED_IRQ_SHUTDOWN_VECTOR
 * on the boot CPU, whose handler only signals EOI and logs (ratelimited).
 * @msg: filled in
 */
void x86_vector_shutdown_msg(struct msi_msg *msg);

/**
 * apic_ack_irq() - the irq_ack/irq_eoi of a chip whose IRQs arrive through
 * a local APIC vector (MSI, the I/O APIC's edge lines): completes a
 * pending vector move, then signals EOI to this CPU's local APIC.
 * @d: the IRQ
 */
void apic_ack_irq(struct irq_data *d);
/* Vectors allocated on @cpu (for `interrupts` and leak tests). */
unsigned int x86_vectors_used(unsigned int cpu);
/* The vector-table entry of @cpu for tests (NULL: free). */
struct irq_desc *x86_vector_desc(unsigned int cpu, unsigned int vector);

#endif /* _ASM_X86_IRQ_H */
