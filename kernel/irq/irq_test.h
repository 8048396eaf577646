/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The irq suite's fake MSI device (irq_test.c), shared by its case files
 * (irq_affinity_test.c: moves and MSI-style allocation).
 */
#ifndef _KERNEL_IRQ_IRQ_TEST_H
#define _KERNEL_IRQ_IRQ_TEST_H

#include <exo/atomic.h>
#include <exo/cpumask.h>
#include <exo/interrupt.h>
#include <exo/irq.h>
#include <exo/ktest.h>

#define TEST_MAX_IRQS	8

/* One test IRQ's "device": its message, mask and pending bit. */
struct tirq {
	struct msi_msg msg;
	bool masked;
	bool pending;
	unsigned int writes;	/* irq_write_msi_msg calls */
	unsigned int torn;	/* writes that changed destination and vector at once */
	unsigned int unmapped;	/* writes naming a vector not mapped to the IRQ */
};

extern struct tirq tirqs[TEST_MAX_IRQS];
extern unsigned int tirq_base;

/* Raise test IRQ @i (index from tirq_base) as its device would. */
void irqtest_tirq_raise(unsigned int i);
/* Forget a raise of test IRQ @i latched while masked. */
void irqtest_tirq_clear_pending(unsigned int i);
/* A mask of @cpu alone (one static mask per CPU). */
const struct cpumask *irqtest_one_cpu(unsigned int cpu);
/* Wait (sleeping) up to 2 s for *@v to reach @want. */
bool irqtest_wait_count(atomic_t *v, int want);
/* A handler that counts in the atomic_t @dev_id. */
irqreturn_t irqtest_count_handler(int irq, void *dev_id);

/* Cases in irq_affinity_test.c. */
void test_irq_affinity_flood(struct ktest *t);
void test_irq_move_one_register(struct ktest *t);
void test_irq_msi_spread(struct ktest *t);

#endif /* _KERNEL_IRQ_IRQ_TEST_H */
