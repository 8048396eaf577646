// SPDX-License-Identifier: GPL-2.0
/*
 * The `interrupts` shell command, laid out as Linux's /proc/interrupts:
 * per IRQ with an action, its count on each online CPU, its chip, its
 * hardware number and flow, and its handlers' names; then the local APIC
 * timer, spurious and error counts.  The descriptors are walked under
 * sparse_irq_lock, so that pci_free_irq_vectors() cannot free one (and its
 * chip) meanwhile; what an action or the chip names is copied under the
 * descriptor's lock.
 */
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <asm/apic.h>
#include "internal.h"

static void show_irq(struct irq_desc *desc)
{
	unsigned int cpu, len = 0;
	char names[96], chip[32], flow[16];
	unsigned long flags, hwirq;
	bool nobody_cared;

	names[0] = 0;
	spin_lock_irqsave(&desc->lock, flags);
	if (!desc->action) {
		spin_unlock_irqrestore(&desc->lock, flags);
		return;
	}
	for (struct irqaction *a = desc->action; a && len < sizeof(names); a = a->next)
		len += snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "",
				a->name ? a->name : "?");
	snprintf(chip, sizeof(chip), "%s",
		 desc->irq_data.chip && desc->irq_data.chip->name ? desc->irq_data.chip->name : "?");
	snprintf(flow, sizeof(flow), "%s", desc->name ? desc->name : "?");
	hwirq = desc->irq_data.hwirq;
	nobody_cared = desc->istate & IRQS_SPURIOUS_DISABLED;
	spin_unlock_irqrestore(&desc->lock, flags);
	printk("%4u: ", desc->irq_data.irq);
	for_each_online_cpu(cpu)
		printk(KERN_CONT "%10lu ", READ_ONCE(desc->kstat_irqs[cpu]));
	printk(KERN_CONT " %-8s %4lu-%-8s %s%s\n", chip, hwirq, flow, names,
	       nobody_cared ? " (disabled: nobody cared)" : "");
}

static void show_percpu(const char *label, unsigned long __percpu *counter, const char *what)
{
	unsigned int cpu;

	printk("%4s: ", label);
	for_each_online_cpu(cpu)
		printk(KERN_CONT "%10lu ", *per_cpu_ptr(counter, cpu));
	printk(KERN_CONT " %s\n", what);
}

int irq_find_action(bool (*match)(const struct irqaction *action, void *arg), void *arg,
		    char *name, size_t size)
{
	int found = -ENOENT;

	irq_lock_sparse();
	for (unsigned int irq = irq_get_next_desc(0); irq < NR_IRQS && found < 0;
	     irq = irq_get_next_desc(irq + 1)) {
		struct irq_desc *desc = irq_to_desc(irq);
		unsigned long flags;

		if (!desc)
			continue;
		spin_lock_irqsave(&desc->lock, flags);
		for (struct irqaction *a = desc->action; a; a = a->next)
			if (match(a, arg)) {
				strlcpy(name, a->name ? a->name : "?", size);
				found = irq;
				break;
			}
		spin_unlock_irqrestore(&desc->lock, flags);
	}
	irq_unlock_sparse();
	return found;
}
EXPORT_SYMBOL_GPL(irq_find_action);

static int cmd_interrupts(int argc, char **argv)
{
	unsigned int cpu;

	(void)argc;
	(void)argv;
	printk("      ");
	for_each_online_cpu(cpu) {
		char label[16];

		snprintf(label, sizeof(label), "CPU%u", cpu);
		printk(KERN_CONT "%10s ", label);
	}
	printk(KERN_CONT "\n");
	irq_lock_sparse();
	for (unsigned int irq = irq_get_next_desc(0); irq < NR_IRQS; irq = irq_get_next_desc(irq + 1)) {
		struct irq_desc *desc = irq_to_desc(irq);

		if (desc)
			show_irq(desc);
	}
	irq_unlock_sparse();
	show_percpu("LOC", &apic_timer_ticks, "Local timer interrupts");
	show_percpu("SPU", &apic_spurious, "Spurious interrupts");
	show_percpu("ERR", &apic_errors, "APIC errors");
	return 0;
}
DEFINE_SHELL_CMD(interrupts, "IRQ counts per CPU, chips, triggers, handlers", cmd_interrupts);
