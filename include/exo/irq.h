/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IRQ core's descriptors, chips and flow handlers (kernel/irq/,
 * Documentation/irq.rst).  Drivers use <exo/interrupt.h>; this header is
 * for interrupt controller code (the I/O APIC, MSI glue, test chips).
 *
 * IRQ numbers: 0..NR_IRQS_LEGACY-1 are the ISA IRQs, every I/O APIC input
 * (GSI) has the IRQ number equal to its GSI, and irq_alloc_descs() hands
 * out numbers above the highest GSI (MSI).  Each IRQ has a struct irq_desc
 * with its chip, its flow handler (edge or fasteoi), its actions and, on
 * x86, the vector it is delivered on (struct irq_cfg, <asm/irq.h>).
 *
 * Message-based routing.  Every chip is told where to deliver through a
 * struct msi_msg: the x86 vector code picks a CPU and a vector, composes
 * the message (x86 MSI format: address_lo = 0xfee00000 | APIC ID << 12,
 * address_hi = APIC ID bits 8-31 << 8, data = vector, fixed, edge) and
 * calls the chip's irq_write_msi_msg() when the IRQ is started and each
 * time its affinity changes.  An MSI or MSI-X chip writes the message to
 * the device; the I/O APIC chip turns it into a redirection entry.
 *
 *	irq = irq_alloc_descs(-1, 0, nvec, NUMA_NO_NODE);  // nvec IRQs
 *	for (i = 0; i < nvec; i++) {
 *		irq_set_chip_and_handler_name(irq + i, &my_msi_chip,
 *					      handle_edge_irq, "edge");
 *		irq_set_chip_data(irq + i, my_vector_state);
 *	}
 *	irq_set_affinity_spread(irq, nvec);	// vectors over online CPUs
 *	request_irq(irq + i, ...);		// writes the message
 *	irq_get_msi_msg(irq + i, &msg);		// what it wrote
 *	...
 *	free_irq(...); irq_free_descs(irq, nvec);
 */
#ifndef _EXO_IRQ_H
#define _EXO_IRQ_H

#include <exo/atomic.h>
#include <exo/cpumask.h>
#include <exo/list.h>
#include <exo/mutex.h>
#include <exo/spinlock.h>
#include <exo/types.h>
#include <exo/wait.h>
#include <asm/irq.h>

#define NR_IRQS_LEGACY	16
#define NUMA_NO_NODE	(-1)

/* Trigger types (irq_set_irq_type(), acpi_register_gsi()); Linux's values. */
#define IRQ_TYPE_NONE		0x0
#define IRQ_TYPE_EDGE_RISING	0x1
#define IRQ_TYPE_EDGE_FALLING	0x2
#define IRQ_TYPE_EDGE_BOTH	(IRQ_TYPE_EDGE_FALLING | IRQ_TYPE_EDGE_RISING)
#define IRQ_TYPE_LEVEL_HIGH	0x4
#define IRQ_TYPE_LEVEL_LOW	0x8
#define IRQ_TYPE_LEVEL_MASK	(IRQ_TYPE_LEVEL_LOW | IRQ_TYPE_LEVEL_HIGH)
#define IRQ_TYPE_SENSE_MASK	0xf

/* ACPI's names for acpi_register_gsi() arguments (ACPI's, Linux's values). */
#define ACPI_LEVEL_SENSITIVE	0
#define ACPI_EDGE_SENSITIVE	1
#define ACPI_ACTIVE_HIGH	0
#define ACPI_ACTIVE_LOW		1

struct irq_desc;
struct irqaction;
struct device;

/**
 * struct msi_msg - where and what a message-signalled interrupt writes
 * @address_lo: low 32 bits of the address (0xfee00000 | APIC ID << 12)
 * @address_hi: high 32 bits (APIC ID bits 8-31 << 8)
 * @data: the payload (the vector)
 */
struct msi_msg {
	u32 address_lo;
	u32 address_hi;
	u32 data;
};

/* The x86 message's fields. */
static inline u32 msi_msg_dest_apicid(const struct msi_msg *m)
{
	return ((m->address_lo >> 12) & 0xff) | (m->address_hi & ~0xffu);
}

static inline unsigned int msi_msg_vector(const struct msi_msg *m)
{
	return m->data & 0xff;
}

/**
 * struct irq_data - what a chip callback gets
 * @irq: the IRQ number
 * @hwirq: the chip's own number for the line (I/O APIC: the GSI)
 * @chip: the chip
 * @chip_data: the chip's private data (irq_set_chip_data())
 * @msg: the last message written with irq_write_msi_msg()
 * @type: IRQ_TYPE_* of the line
 * @affinity: CPUs the IRQ may be delivered to (one is chosen)
 * @effective_cpu: the CPU it is delivered to now
 */
struct irq_data {
	unsigned int irq;
	unsigned long hwirq;
	struct irq_chip *chip;
	void *chip_data;
	struct msi_msg msg;
	unsigned int type;
	struct cpumask affinity;
	unsigned int effective_cpu;
};

/**
 * struct irq_chip - an interrupt controller's operations on one input
 * @name: shown by `interrupts`
 * @irq_startup: enable delivery (default: irq_unmask)
 * @irq_shutdown: stop delivery (default: irq_mask)
 * @irq_mask: mask the input
 * @irq_unmask: unmask it
 * @irq_ack: acknowledge an edge interrupt before its handlers run
 * @irq_eoi: end of interrupt, after the handlers (fasteoi flow)
 * @irq_set_affinity: route to a CPU of @dest; NULL: the x86 vector code
 *	moves the vector and rewrites the message (irq_write_msi_msg)
 * @irq_set_type: program the trigger/polarity (IRQ_TYPE_*)
 * @irq_compose_msi_msg: override of the x86 message format (rarely needed)
 * @irq_write_msi_msg: write the message to the hardware; called with the
 *	descriptor's lock held and interrupts off, may not sleep
 *
 * Every callback but irq_set_type is called with the descriptor's lock
 * held and interrupts off.
 */
struct irq_chip {
	const char *name;
	unsigned int (*irq_startup)(struct irq_data *d);
	void (*irq_shutdown)(struct irq_data *d);
	void (*irq_mask)(struct irq_data *d);
	void (*irq_unmask)(struct irq_data *d);
	void (*irq_ack)(struct irq_data *d);
	void (*irq_eoi)(struct irq_data *d);
	int (*irq_set_affinity)(struct irq_data *d, const struct cpumask *dest, bool force);
	int (*irq_set_type)(struct irq_data *d, unsigned int flow_type);
	void (*irq_compose_msi_msg)(struct irq_data *d, struct msi_msg *msg);
	void (*irq_write_msi_msg)(struct irq_data *d, struct msi_msg *msg);
};

typedef void (*irq_flow_handler_t)(struct irq_desc *desc);

/* desc->istate bits (internal; `interrupts` and tests read them). */
#define IRQS_INPROGRESS		0x01	/* handlers running on some CPU */
#define IRQS_DISABLED		0x02	/* disable_irq() depth > 0 or shut down */
#define IRQS_MASKED		0x04	/* the chip input is masked */
#define IRQS_PENDING		0x08	/* arrived while disabled */
#define IRQS_SPURIOUS_DISABLED	0x10	/* disabled by the stuck-line detector */
#define IRQS_STARTED		0x20	/* has a vector and is routed */
#define IRQS_ONESHOT		0x40	/* masked until the threads finished */

/**
 * struct irq_desc - one Linux IRQ number
 * @irq_data: what the chip sees
 * @handle_irq: the flow handler (handle_edge_irq(), handle_fasteoi_irq()...)
 * @action: the handlers, in request order (shared lines have several)
 * @lock: protects everything but the statistics
 * @request_mutex: serialises request_irq() and free_irq() of this IRQ
 * @istate: IRQS_* bits
 * @depth: disable_irq() nesting; 1 while no handler is installed
 * @kstat_irqs: interrupts taken, per CPU
 * @irq_count: interrupts since the stuck-line detector's last verdict
 * @irqs_unhandled: those nobody handled
 * @last_unhandled: ktime_get_ns() of the last unhandled one
 * @threads_oneshot: bit per action whose thread must finish before unmask
 * @threads_active: threads running or woken
 * @wait_for_threads: synchronize_irq() waits here
 * @name: flow name shown by `interrupts` ("edge", "fasteoi"...)
 * @cfg: the vector it is delivered on (arch)
 */
struct irq_desc {
	struct irq_data irq_data;
	irq_flow_handler_t handle_irq;
	struct irqaction *action;
	spinlock_t lock;
	struct mutex request_mutex;
	unsigned int istate;
	unsigned int depth;
	unsigned long kstat_irqs[NR_CPUS];
	unsigned int irq_count;
	unsigned int irqs_unhandled;
	u64 last_unhandled;
	unsigned long threads_oneshot;
	atomic_t threads_active;
	struct wait_queue_head wait_for_threads;
	const char *name;
	struct irq_cfg cfg;
};

/**
 * irq_to_desc() - the descriptor of IRQ @irq
 * Return: it, or NULL when @irq has none (never allocated, or freed).
 */
struct irq_desc *irq_to_desc(unsigned int irq);

/**
 * irq_alloc_descs() - allocate @cnt consecutive IRQ numbers with descriptors
 * @irq: a specific first number, or -1 for any free range
 * @from: lowest acceptable first number (raised to above the GSIs)
 * @cnt: how many, >= 1
 * @node: NUMA node (ignored; NUMA_NO_NODE)
 *
 * The descriptors have no chip and no flow handler yet.
 * Context: may sleep.  Return: the first IRQ number; -EINVAL for @cnt 0 or
 * a bad @irq; -EEXIST when @irq is taken; -ENOSPC without a free range;
 * -ENOMEM.
 */
int irq_alloc_descs(int irq, unsigned int from, unsigned int cnt, int node);

/**
 * irq_free_descs() - free @cnt descriptors from irq_alloc_descs()
 * @from: first IRQ number
 * @cnt: how many
 *
 * Each must have no action left (free_irq() first): one that has is kept
 * and logged.  Context: may sleep.
 */
void irq_free_descs(unsigned int from, unsigned int cnt);

/**
 * irq_set_chip_and_handler_name() - set the chip and flow of @irq
 * @irq: an allocated IRQ without actions
 * @chip: its chip
 * @handle: flow handler
 * @name: flow name for `interrupts`
 *
 * Return: 0, -EINVAL for an IRQ without descriptor, -EBUSY when it has actions.
 */
int irq_set_chip_and_handler_name(unsigned int irq, struct irq_chip *chip,
				  irq_flow_handler_t handle, const char *name);

/** irq_set_chip_data() - set irq_data.chip_data of @irq.  Return: 0 or -EINVAL. */
int irq_set_chip_data(unsigned int irq, void *data);

/** irq_get_chip_data() - irq_data.chip_data of @irq, NULL if none */
void *irq_get_chip_data(unsigned int irq);

/**
 * irq_set_irq_type() - set the trigger of @irq (IRQ_TYPE_*), calling irq_set_type
 * Return: 0, -EINVAL bad IRQ or type, -EBUSY the IRQ has actions.
 */
int irq_set_irq_type(unsigned int irq, unsigned int type);

/**
 * irq_get_msi_msg() - the message last written to @irq's chip
 * Return: 0, -EINVAL for an IRQ without descriptor, -ENOENT if not started.
 */
int irq_get_msi_msg(unsigned int irq, struct msi_msg *msg);

/**
 * irq_set_affinity_spread() - spread @cnt IRQs from @irq over the online CPUs
 *
 * The i-th IRQ's affinity becomes the i-th online CPU (modulo their
 * number); an IRQ already started moves at once.
 * Return: 0 or the first error of irq_set_affinity().
 */
int irq_set_affinity_spread(unsigned int irq, unsigned int cnt);

/*
 * Flow handlers, for irq_set_chip_and_handler_name().  The arch calls them
 * with interrupts off and the IRQ's vector in service; each ends the
 * interrupt at the chip in every case.
 */

/**
 * handle_edge_irq() - edge flow: irq_ack, then the actions
 * @desc: the IRQ
 *
 * An edge that arrives while the IRQ is disabled or runs on another CPU
 * is marked pending and replayed.  MSI and edge I/O APIC lines.
 */
void handle_edge_irq(struct irq_desc *desc);

/**
 * handle_level_irq() - level flow for ack-type chips: mask + ack, actions, unmask
 * @desc: the IRQ
 */
void handle_level_irq(struct irq_desc *desc);

/**
 * handle_fasteoi_irq() - level flow for EOI-type chips: actions, then irq_eoi
 * @desc: the IRQ
 *
 * With IRQF_ONESHOT the line stays masked until the woken threads finish.
 */
void handle_fasteoi_irq(struct irq_desc *desc);

/**
 * generic_handle_irq() - run @irq's flow handler now, as its vector would
 * Context: hard interrupt context (in_interrupt()), interrupts off.
 * Return: 0, -EINVAL for an IRQ without descriptor.
 */
int generic_handle_irq(unsigned int irq);

/** kstat_irqs_cpu() - interrupts @irq took on @cpu */
unsigned long kstat_irqs_cpu(unsigned int irq, unsigned int cpu);

/** kstat_irqs() - interrupts @irq took on all CPUs */
unsigned long kstat_irqs(unsigned int irq);

/**
 * acpi_register_gsi() - the IRQ number of GSI @gsi, set to @trigger/@polarity
 * @dev: the device that will use it (for log lines; may be NULL)
 * @gsi: global system interrupt (an I/O APIC input)
 * @trigger: ACPI_EDGE_SENSITIVE or ACPI_LEVEL_SENSITIVE
 * @polarity: ACPI_ACTIVE_HIGH or ACPI_ACTIVE_LOW
 *
 * A GSI registered twice must be given the same mode (a shared PCI line).
 * Context: may sleep.  Return: the IRQ number (== @gsi); -EINVAL for a
 * bad mode, or one that differs from the first registration while the
 * line is in use; -ENODEV when no I/O APIC serves @gsi.
 */
int acpi_register_gsi(struct device *dev, u32 gsi, int trigger, int polarity);

/** acpi_unregister_gsi() - counterpart of acpi_register_gsi() (nothing to undo) */
void acpi_unregister_gsi(u32 gsi);

#endif /* _EXO_IRQ_H */
