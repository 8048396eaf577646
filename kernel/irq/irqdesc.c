// SPDX-License-Identifier: GPL-2.0
/*
 * IRQ descriptors: one struct irq_desc per IRQ number, allocated on
 * demand.  The I/O APIC code allocates the GSIs' (IRQ number == GSI);
 * irq_alloc_descs() hands out ranges above them for MSI.
 *
 * irq_desc_table[] entries are written under sparse_irq_lock and read
 * without it (READ_ONCE): a descriptor is freed only once it has no
 * action, hence no vector, and every CPU went through an interrupt-enabled
 * point since (irq_free_descs()).
 */
#define pr_fmt(fmt) "irq: " fmt

#include <exo/bitmap.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include "internal.h"

static struct irq_desc *irq_desc_table[NR_IRQS];
static DEFINE_MUTEX(sparse_irq_lock);

struct irq_desc *irq_to_desc(unsigned int irq)
{
	return irq < NR_IRQS ? READ_ONCE(irq_desc_table[irq]) : NULL;
}
EXPORT_SYMBOL_GPL(irq_to_desc);

unsigned int irq_get_next_desc(unsigned int from)
{
	while (from < NR_IRQS && !READ_ONCE(irq_desc_table[from]))
		from++;
	return from;
}

static struct irq_desc *desc_alloc(unsigned int irq)
{
	struct irq_desc *desc = kzalloc(sizeof(*desc), GFP_KERNEL);

	if (!desc)
		return NULL;
	desc->irq_data.irq = irq;
	desc->irq_data.hwirq = irq;
	spin_lock_init(&desc->lock);
	mutex_init(&desc->request_mutex);
	init_waitqueue_head(&desc->wait_for_threads);
	desc->depth = 1;
	desc->istate = IRQS_DISABLED | IRQS_MASKED;
	memset(&desc->irq_data.affinity, 0xff, sizeof(desc->irq_data.affinity));
	INIT_LIST_HEAD(&desc->cfg.cleanup);
	return desc;
}

/* Under sparse_irq_lock: are [@from, @from + @cnt) all free? */
static bool range_free(unsigned int from, unsigned int cnt)
{
	for (unsigned int i = from; i < from + cnt; i++)
		if (irq_desc_table[i])
			return false;
	return true;
}

int irq_alloc_descs(int irq, unsigned int from, unsigned int cnt, int node)
{
	unsigned int start, i;
	int ret;

	(void)node;
	if (!cnt || cnt > NR_IRQS || (irq >= 0 && (unsigned int)irq + cnt > NR_IRQS) || irq < -1) {
		pr_err("irq_alloc_descs(%d, %u, %u): bad range\n", irq, from, cnt);
		return -EINVAL;
	}
	mutex_lock(&sparse_irq_lock);
	if (irq >= 0) {
		start = irq;
		ret = range_free(start, cnt) ? 0 : -EEXIST;
	} else {
		ret = -ENOSPC;
		for (start = arch_dynirq_lower_bound(from); start + cnt <= NR_IRQS; start++) {
			if (range_free(start, cnt)) {
				ret = 0;
				break;
			}
		}
	}
	for (i = 0; !ret && i < cnt; i++) {
		struct irq_desc *desc = desc_alloc(start + i);

		if (!desc) {
			while (i--) {
				kfree(irq_desc_table[start + i]);
				irq_desc_table[start + i] = NULL;
			}
			ret = -ENOMEM;
			break;
		}
		WRITE_ONCE(irq_desc_table[start + i], desc);
	}
	mutex_unlock(&sparse_irq_lock);
	if (ret) {
		pr_err("irq_alloc_descs(%d, %u, %u): %d\n", irq, from, cnt, ret);
		return ret;
	}
	return start;
}
EXPORT_SYMBOL_GPL(irq_alloc_descs);

/* Hold off irq_alloc_descs()/irq_free_descs(): a descriptor read now stays valid. */
void irq_lock_sparse(void)
{
	mutex_lock(&sparse_irq_lock);
}

void irq_unlock_sparse(void)
{
	mutex_unlock(&sparse_irq_lock);
}

static void sync_nop(void *info)
{
	(void)info;
}

void irq_free_descs(unsigned int from, unsigned int cnt)
{
	struct irq_desc *gone[16];
	unsigned int n = 0;

	if (from >= NR_IRQS || cnt > NR_IRQS - from) {
		pr_err("irq_free_descs(%u, %u): bad range\n", from, cnt);
		return;
	}
	while (cnt) {
		mutex_lock(&sparse_irq_lock);
		for (n = 0; cnt && n < ARRAY_SIZE(gone); from++, cnt--) {
			struct irq_desc *desc = irq_desc_table[from];

			if (!desc)
				continue;
			if (READ_ONCE(desc->action)) {
				pr_err("irq_free_descs: IRQ %u still has an action (%s): kept\n",
				       from, desc->action->name);
				continue;
			}
			WRITE_ONCE(irq_desc_table[from], NULL);
			gone[n++] = desc;
		}
		mutex_unlock(&sparse_irq_lock);
		/*
		 * A CPU that read the descriptor out of its vector table before
		 * the last free_irq() runs with interrupts off until it is done
		 * with it: once every CPU took this IPI, nobody holds it.
		 */
		on_each_cpu(sync_nop, NULL, true);
		while (n)
			kfree(gone[--n]);
	}
}
EXPORT_SYMBOL_GPL(irq_free_descs);

int irq_set_chip_and_handler_name(unsigned int irq, struct irq_chip *chip,
				  irq_flow_handler_t handle, const char *name)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;
	int ret = 0;

	if (!desc || !chip || !handle) {
		pr_err("irq_set_chip_and_handler_name(%u): no descriptor, chip or flow\n", irq);
		return -EINVAL;
	}
	spin_lock_irqsave(&desc->lock, flags);
	if (desc->action) {
		ret = -EBUSY;
	} else {
		desc->irq_data.chip = chip;
		desc->handle_irq = handle;
		desc->name = name;
	}
	spin_unlock_irqrestore(&desc->lock, flags);
	if (ret)
		pr_err("irq_set_chip_and_handler_name(%u): the IRQ is in use\n", irq);
	return ret;
}
EXPORT_SYMBOL_GPL(irq_set_chip_and_handler_name);

int irq_set_chip_data(unsigned int irq, void *data)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc)
		return -EINVAL;
	desc->irq_data.chip_data = data;
	return 0;
}
EXPORT_SYMBOL_GPL(irq_set_chip_data);

void *irq_get_chip_data(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	return desc ? desc->irq_data.chip_data : NULL;
}
EXPORT_SYMBOL_GPL(irq_get_chip_data);

int irq_set_irq_type(unsigned int irq, unsigned int type)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;
	int ret;

	if (!desc || (type & ~IRQ_TYPE_SENSE_MASK)) {
		pr_err("irq_set_irq_type(%u, %#x): bad IRQ or type\n", irq, type);
		return -EINVAL;
	}
	spin_lock_irqsave(&desc->lock, flags);
	ret = desc->action ? -EBUSY : __irq_set_trigger(desc, type);
	spin_unlock_irqrestore(&desc->lock, flags);
	if (ret)
		pr_err("irq_set_irq_type(%u, %#x): %d\n", irq, type, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(irq_set_irq_type);

int irq_get_msi_msg(unsigned int irq, struct msi_msg *msg)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;
	int ret = 0;

	if (!desc)
		return -EINVAL;
	spin_lock_irqsave(&desc->lock, flags);
	if (desc->istate & IRQS_STARTED)
		*msg = desc->irq_data.msg;
	else
		ret = -ENOENT;
	spin_unlock_irqrestore(&desc->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(irq_get_msi_msg);

unsigned long kstat_irqs_cpu(unsigned int irq, unsigned int cpu)
{
	struct irq_desc *desc = irq_to_desc(irq);

	return desc && cpu < NR_CPUS ? READ_ONCE(desc->kstat_irqs[cpu]) : 0;
}
EXPORT_SYMBOL_GPL(kstat_irqs_cpu);

unsigned long kstat_irqs(unsigned int irq)
{
	unsigned long sum = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		sum += kstat_irqs_cpu(irq, cpu);
	return sum;
}
EXPORT_SYMBOL_GPL(kstat_irqs);

int generic_handle_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc || !desc->handle_irq)
		return -EINVAL;
	desc->kstat_irqs[smp_processor_id()]++;
	desc->handle_irq(desc);
	return 0;
}
EXPORT_SYMBOL_GPL(generic_handle_irq);
