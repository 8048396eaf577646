// SPDX-License-Identifier: GPL-2.0
/*
 * MSI/MSI-X on the IRQ core: pci_alloc_irq_vectors() and friends
 * (include/exo/pci.h, Documentation/pci.rst "Interrupt vectors").
 *
 * Each device with vectors gets a struct pci_irq_vecs with its own
 * irq_chip, named like Linux's per-device MSI domains ("PCI-MSI-<dev>",
 * "PCI-MSIX-<dev>"), so `interrupts` shows whose vectors they are; the
 * hardware number of an IRQ is its vector index.  The chip programs the
 * device through the raw layer (drivers/pci/msi.c):
 *
 *  - irq_write_msi_msg: the MSI capability or the MSI-X table entry, with
 *    the vector masked around the write when it can be (the spec lets a
 *    device use a half-written unmasked entry; the pending bit latches
 *    meanwhile);
 *  - irq_mask/irq_unmask: the MSI-X vector control bit, or the MSI
 *    per-vector mask bit.  An MSI capability without mask bits cannot be
 *    masked: as Linux, mask and unmask do nothing and the IRQ core's lazy
 *    disable (an edge that arrives while disabled is marked pending and
 *    replayed by enable_irq()) loses nothing;
 *  - irq_ack: apic_ack_irq.
 *
 * alloc/free are serialised by one mutex; the chip's callbacks run under
 * the descriptor's lock.
 */
#define pr_fmt(fmt) "pci: " fmt

#include <exo/device.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/irq.h>
#include <exo/kernel.h>
#include <exo/msi.h>
#include <exo/mutex.h>
#include <exo/pci.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include "pci.h"

/**
 * struct pci_irq_vecs - the vectors pci_alloc_irq_vectors() gave a device
 * @pdev: the device
 * @type: PCI_IRQ_MSIX, PCI_IRQ_MSI or PCI_IRQ_LEGACY
 * @base: first IRQ number (MSI/MSI-X), or the INTx IRQ
 * @nvec: how many
 * @default_irq: pdev->irq before MSI replaced it
 * @maskable: MSI with per-vector mask bits (MSI-X: always)
 * @chip: this device's chip
 * @name: its name
 */
struct pci_irq_vecs {
	struct pci_dev *pdev;
	unsigned int type;
	unsigned int base, nvec;
	unsigned int default_irq;
	bool maskable;
	struct irq_chip chip;
	char name[32];
};

static DEFINE_MUTEX(pci_msi_mutex);

static struct pci_irq_vecs *irqd_vecs(struct irq_data *d, unsigned int *nr)
{
	struct pci_irq_vecs *v = d->chip_data;

	*nr = d->irq - v->base;
	return v;
}

static void pci_msi_mask_irq(struct irq_data *d)
{
	unsigned int nr;
	struct pci_irq_vecs *v = irqd_vecs(d, &nr);

	if (v->maskable)
		pci_msi_set_mask(v->pdev, nr, true);
}

static void pci_msi_unmask_irq(struct irq_data *d)
{
	unsigned int nr;
	struct pci_irq_vecs *v = irqd_vecs(d, &nr);

	if (v->maskable)
		pci_msi_set_mask(v->pdev, nr, false);
}

static void pci_msi_write_irq_msg(struct irq_data *d, struct msi_msg *msg)
{
	unsigned int nr;
	struct pci_irq_vecs *v = irqd_vecs(d, &nr);
	bool unmasked = v->maskable && pci_msi_masked(v->pdev, nr) == 0;

	/* Address and data are separate config writes: mask between, if we can. */
	if (unmasked)
		pci_msi_set_mask(v->pdev, nr, true);
	pci_msi_write_msg(v->pdev, msg);
	if (unmasked)
		pci_msi_set_mask(v->pdev, nr, false);
}

/*
 * free_irq() of an MSI without mask bits: the device could still signal,
 * to a vector that is freed and may be reused.  Its message is parked on
 * the shutdown vector instead (irq_startup() writes the real one again).
 */
static void pci_msi_shutdown_irq(struct irq_data *d)
{
	struct msi_msg msg;

	pci_msi_mask_irq(d);
	x86_vector_shutdown_msg(&msg);
	pci_msi_write_irq_msg(d, &msg);
}

static void pci_msix_mask_irq(struct irq_data *d)
{
	unsigned int nr;
	struct pci_irq_vecs *v = irqd_vecs(d, &nr);

	pci_msix_set_mask(v->pdev, nr, true);
}

static void pci_msix_unmask_irq(struct irq_data *d)
{
	unsigned int nr;
	struct pci_irq_vecs *v = irqd_vecs(d, &nr);

	pci_msix_set_mask(v->pdev, nr, false);
}

static void pci_msix_write_irq_msg(struct irq_data *d, struct msi_msg *msg)
{
	unsigned int nr;
	struct pci_irq_vecs *v = irqd_vecs(d, &nr);
	bool unmasked = pci_msix_masked(v->pdev, nr) == 0;

	if (unmasked)
		pci_msix_set_mask(v->pdev, nr, true);
	pci_msix_write_msg(v->pdev, nr, msg);
	if (unmasked)
		pci_msix_set_mask(v->pdev, nr, false);
}

static struct pci_irq_vecs *vecs_alloc(struct pci_dev *dev, unsigned int type)
{
	struct pci_irq_vecs *v = kzalloc(sizeof(*v), GFP_KERNEL);

	if (!v)
		return NULL;
	v->pdev = dev;
	v->type = type;
	v->default_irq = dev->irq;
	v->chip.name = v->name;
	v->chip.irq_ack = apic_ack_irq;
	if (type == PCI_IRQ_MSIX) {
		snprintf(v->name, sizeof(v->name), "PCI-MSIX-%s", dev_name(&dev->dev));
		v->maskable = true;
		v->chip.irq_mask = pci_msix_mask_irq;
		v->chip.irq_unmask = pci_msix_unmask_irq;
		v->chip.irq_write_msi_msg = pci_msix_write_irq_msg;
	} else {
		struct pci_msi_info info = {};

		pci_msi_read_info(dev, &info);
		snprintf(v->name, sizeof(v->name), "PCI-MSI-%s", dev_name(&dev->dev));
		v->maskable = info.maskable;
		v->chip.irq_mask = pci_msi_mask_irq;
		v->chip.irq_unmask = pci_msi_unmask_irq;
		v->chip.irq_shutdown = pci_msi_shutdown_irq;
		v->chip.irq_write_msi_msg = pci_msi_write_irq_msg;
	}
	return v;
}

/* IRQ descriptors for @v->nvec vectors on @v's chip, spread over the CPUs. */
static int vecs_setup_irqs(struct pci_irq_vecs *v)
{
	int base = irq_alloc_descs(-1, 0, v->nvec, NUMA_NO_NODE);
	int ret = 0;

	if (base < 0)
		return base == -ENOMEM ? base : -ENOSPC;
	v->base = base;
	for (unsigned int i = 0; i < v->nvec && !ret; i++) {
		ret = irq_set_chip_and_handler_name(base + i, &v->chip, handle_edge_irq, "edge");
		if (!ret)
			ret = irq_set_chip_data(base + i, v);
		if (!ret)
			irq_to_desc(base + i)->irq_data.hwirq = i;
	}
	if (!ret)
		ret = irq_set_affinity_spread(base, v->nvec);
	if (ret)
		irq_free_descs(base, v->nvec);
	return ret;
}

/*
 * MSI-X with @nvec entries: every entry masked before the enable bit (with
 * the function masked meanwhile, as Linux does), so nothing fires before
 * request_irq() unmasks its entry.
 */
static int msix_enable(struct pci_irq_vecs *v)
{
	struct pci_dev *dev = v->pdev;
	int ret = pci_msix_map_table(dev);

	if (ret)
		return ret;
	ret = pci_msix_set_maskall(dev, true);
	for (int i = 0; !ret && i < pci_msix_vec_count(dev); i++)
		ret = pci_msix_set_mask(dev, i, true);
	if (!ret)
		ret = vecs_setup_irqs(v);
	if (ret) {
		pci_msix_set_maskall(dev, false);
		pci_msix_unmap_table(dev);
		return ret;
	}
	pci_msix_set_enable(dev, true);
	pci_msix_set_maskall(dev, false);
	return 0;
}

/*
 * MSI: the message is written at request_irq(); until then a device
 * without mask bits that signals would write to whatever its capability
 * held, so it is parked on the shutdown vector before the enable bit.
 */
static int msi_enable(struct pci_irq_vecs *v)
{
	struct pci_dev *dev = v->pdev;
	struct msi_msg msg;
	int ret;

	if (v->maskable)
		pci_msi_set_mask(dev, 0, true);
	ret = vecs_setup_irqs(v);
	if (ret)
		return ret;
	x86_vector_shutdown_msg(&msg);
	pci_msi_write_msg(dev, &msg);
	pci_msi_set_enable(dev, 1);
	dev->irq = v->base;
	return 0;
}

static void pcim_msi_release(void *data)
{
	struct pci_dev *dev = data;

	dev->is_msi_managed = false;
	if (READ_ONCE(dev->irq_vecs))
		pci_free_irq_vectors(dev);
}

/* Try one type; the count, or a negative errno (-ENODEV: @dev lacks it). */
static int try_type(struct pci_dev *dev, unsigned int type, unsigned int min_vecs,
		    unsigned int max_vecs)
{
	struct pci_irq_vecs *v;
	int avail, ret;

	if (type == PCI_IRQ_MSIX)
		avail = dev->msix_cap ? pci_msix_vec_count(dev) : -ENODEV;
	else if (type == PCI_IRQ_MSI)
		avail = dev->msi_cap ? 1 : -ENODEV;	/* x86 without remapping */
	else
		avail = dev->irq ? 1 : -ENODEV;
	if (avail < 0)
		return avail;
	if ((unsigned int)avail < min_vecs)
		return -ENOSPC;
	v = vecs_alloc(dev, type);
	if (!v)
		return -ENOMEM;
	v->nvec = min_t(unsigned int, avail, max_vecs);
	if (type == PCI_IRQ_MSIX)
		ret = msix_enable(v);
	else if (type == PCI_IRQ_MSI)
		ret = msi_enable(v);
	else
		ret = 0;
	if (ret) {
		kfree(v);
		return ret;
	}
	if (type == PCI_IRQ_LEGACY) {
		v->base = dev->irq;
		pci_intx(dev, 1);
	}
	WRITE_ONCE(dev->irq_vecs, v);
	return v->nvec;
}

static const char *const type_names[] = {
	[PCI_IRQ_LEGACY] = "INTx", [PCI_IRQ_MSI] = "MSI", [PCI_IRQ_MSIX] = "MSI-X",
};

int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs,
			  unsigned int max_vecs, unsigned int flags)
{
	static const unsigned int order[] = { PCI_IRQ_MSIX, PCI_IRQ_MSI, PCI_IRQ_LEGACY };
	int ret = -ENODEV;

	if (!min_vecs || max_vecs < min_vecs ||
	    !(flags & PCI_IRQ_ALL_TYPES) || (flags & ~(PCI_IRQ_ALL_TYPES | PCI_IRQ_AFFINITY))) {
		dev_err(&dev->dev, "pci_alloc_irq_vectors(%u, %u, %#x): bad arguments\n",
			min_vecs, max_vecs, flags);
		return -EINVAL;
	}
	mutex_lock(&pci_msi_mutex);
	if (dev->irq_vecs || pci_dev_msi_enabled(dev)) {
		mutex_unlock(&pci_msi_mutex);
		dev_err(&dev->dev, "pci_alloc_irq_vectors: vectors already allocated\n");
		return -EINVAL;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(order); i++) {
		int r;

		if (!(flags & order[i]))
			continue;
		r = try_type(dev, order[i], min_vecs, max_vecs);
		if (r > 0) {
			ret = r;
			break;
		}
		/* Report the most telling failure: a type that exists beats one that does not. */
		if (r != -ENODEV)
			ret = r;
	}
	if (ret > 0 && dev->is_managed && !dev->is_msi_managed &&
	    !devm_add_action(&dev->dev, pcim_msi_release, dev))
		dev->is_msi_managed = true;
	mutex_unlock(&pci_msi_mutex);
	if (ret < 0)
		dev_err(&dev->dev, "pci_alloc_irq_vectors(%u, %u, %#x) failed: %d\n",
			min_vecs, max_vecs, flags, ret);
	else
		dev_info(&dev->dev, "%d %s vector%s, IRQ %u%s\n", ret,
			 type_names[dev->irq_vecs->type], ret > 1 ? "s" : "",
			 dev->irq_vecs->base, dev->is_msi_managed ? " (managed)" : "");
	return ret;
}
EXPORT_SYMBOL_GPL(pci_alloc_irq_vectors);

int pci_irq_vector(struct pci_dev *dev, unsigned int nr)
{
	struct pci_irq_vecs *v = READ_ONCE(dev->irq_vecs);

	if (v && nr < v->nvec)
		return v->base + nr;
	if (!v && !nr && dev->irq)
		return dev->irq;
	dev_err(&dev->dev, "pci_irq_vector(%u): %u vectors allocated\n", nr, v ? v->nvec : 0);
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(pci_irq_vector);

unsigned int pci_irq_vectors_info(struct pci_dev *dev, unsigned int *first)
{
	struct pci_irq_vecs *v = READ_ONCE(dev->irq_vecs);

	if (!v || v->type == PCI_IRQ_LEGACY)
		return 0;
	*first = v->base;
	return v->nvec;
}
EXPORT_SYMBOL_GPL(pci_irq_vectors_info);

/*
 * A vector whose handler is still requested, or -1.  Read under each
 * descriptor's lock, which request_irq()/free_irq() hold while they
 * change the action list.
 */
static int vecs_busy(struct pci_irq_vecs *v)
{
	for (unsigned int i = 0; i < v->nvec; i++) {
		struct irq_desc *desc = irq_to_desc(v->base + i);
		bool busy = false;
		unsigned long flags;

		if (desc) {
			spin_lock_irqsave(&desc->lock, flags);
			busy = desc->action;
			spin_unlock_irqrestore(&desc->lock, flags);
		}
		if (busy)
			return i;
	}
	return -1;
}

void pci_free_irq_vectors(struct pci_dev *dev)
{
	struct pci_irq_vecs *v;
	int busy;

	mutex_lock(&pci_msi_mutex);
	v = dev->irq_vecs;
	if (!v) {
		mutex_unlock(&pci_msi_mutex);
		dev_err(&dev->dev, "pci_free_irq_vectors: no vectors allocated\n");
		return;
	}
	busy = v->type == PCI_IRQ_LEGACY ? -1 : vecs_busy(v);
	if (busy >= 0) {
		mutex_unlock(&pci_msi_mutex);
		dev_err(&dev->dev, "pci_free_irq_vectors: IRQ %u still requested, nothing freed\n",
			v->base + busy);
		return;
	}
	if (v->type == PCI_IRQ_MSIX) {
		for (unsigned int i = 0; i < v->nvec; i++)
			pci_msix_set_mask(dev, i, true);
		pci_msix_set_enable(dev, false);
		pci_msix_unmap_table(dev);
	} else if (v->type == PCI_IRQ_MSI) {
		pci_msi_set_enable(dev, 0);
		dev->irq = v->default_irq;
	}
	if (v->type != PCI_IRQ_LEGACY)
		irq_free_descs(v->base, v->nvec);
	WRITE_ONCE(dev->irq_vecs, NULL);
	mutex_unlock(&pci_msi_mutex);
	kfree(v);
}
EXPORT_SYMBOL_GPL(pci_free_irq_vectors);
