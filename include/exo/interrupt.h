/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device interrupts: legacy (ISA) IRQ lines routed through the I/O APIC.
 * A handler runs in interrupt context with interrupts disabled; the
 * dispatcher acknowledges the local APIC after it returns.
 */
#ifndef _EXO_INTERRUPT_H
#define _EXO_INTERRUPT_H

#include <exo/types.h>

typedef void (*irq_fn_t)(unsigned int irq, void *dev_id);

#define NR_LEGACY_IRQS	16

/**
 * request_irq() - route ISA IRQ @irq to the boot CPU and call @fn on it
 * @irq: 0-15 (the MADT's interrupt source overrides are applied)
 * @fn: handler
 * @name: shown by `cpus`/logs
 * @dev_id: passed to @fn
 *
 * Return: 0; -EINVAL bad IRQ or handler; -EBUSY the IRQ has a handler;
 * -ENODEV no I/O APIC serves it.
 */
int request_irq(unsigned int irq, irq_fn_t fn, const char *name, void *dev_id);

/** free_irq() - mask @irq and remove its handler (@dev_id must match) */
void free_irq(unsigned int irq, void *dev_id);

/** irq_count() - interrupts delivered on @irq since boot */
unsigned long irq_stat(unsigned int irq);

#endif /* _EXO_INTERRUPT_H */
