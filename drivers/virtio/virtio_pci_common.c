// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-pci queues and interrupts: find_vqs() and del_vqs().
 *
 * Three interrupt layouts, tried in order:
 *  1. MSI-X, vector 0 for configuration changes and one per queue with a
 *     callback;
 *  2. MSI-X, vector 0 for configuration, vector 1 shared by the queues
 *     (each one's vring_interrupt() says whether it had work);
 *  3. INTx, shared with other functions: the ISR byte says what happened
 *     and reading it deasserts the line.
 * A vector the device does not accept (reads back VIRTIO_MSI_NO_VECTOR)
 * fails the layout and the next one is tried.
 */
#define pr_fmt(fmt) "virtio_pci: " fmt

#include <exo/errno.h>
#include <exo/interrupt.h>
#include <exo/pci.h>
#include <exo/slab.h>
#include <exo/virtio.h>
#include <exo/virtio_config.h>
#include <exo/virtio_ring.h>
#include <asm/io.h>
#include "virtio_pci.h"

static void __iomem *vp_common(struct virtio_pci_device *vp, unsigned int off)
{
	return (u8 __iomem *)vp->common + off;
}

static irqreturn_t vp_config_changed(int irq, void *opaque)
{
	virtio_config_changed(opaque);
	return IRQ_HANDLED;
}

/* Every queue sharing one vector: each says whether it had work. */
static irqreturn_t vp_vring_interrupt(int irq, void *opaque)
{
	struct virtio_pci_device *vp = opaque;
	irqreturn_t ret = IRQ_NONE;

	for (unsigned int i = 0; i < vp->nvqs; i++)
		if (vp->vqs[i] && vring_interrupt(irq, vp->vqs[i]) == IRQ_HANDLED)
			ret = IRQ_HANDLED;
	return ret;
}

/* INTx: the ISR byte tells, and reading it acknowledges the interrupt. */
static irqreturn_t vp_interrupt(int irq, void *opaque)
{
	struct virtio_pci_device *vp = opaque;
	u8 isr = readb(vp->isr);

	if (!isr)
		return IRQ_NONE;
	if (isr & VIRTIO_PCI_ISR_CONFIG)
		virtio_config_changed(&vp->vdev);
	vp_vring_interrupt(irq, vp);
	return IRQ_HANDLED;
}

static bool vp_notify(struct virtqueue *vq)
{
	struct virtio_pci_device *vp = container_of(vq->vdev, struct virtio_pci_device, vdev);

	writew(vq->index, vp->notify_addr[vq->index]);
	return true;
}

/* Write a vector register and check the device took it. */
static int vp_set_vector(struct virtio_pci_device *vp, unsigned int reg, u16 vector)
{
	writew(vector, vp_common(vp, reg));
	if (readw(vp_common(vp, reg)) != vector) {
		dev_info(&vp->vdev.dev, "device refused MSI-X vector %u\n", vector);
		return -EBUSY;
	}
	return 0;
}

static void vp_write64(struct virtio_pci_device *vp, unsigned int lo, u64 v)
{
	writel((u32)v, vp_common(vp, lo));
	writel(v >> 32, vp_common(vp, lo + 4));
}

/* Create queue @index and tell the device where it is (not yet enabled). */
static struct virtqueue *vp_setup_vq(struct virtio_pci_device *vp, unsigned int index,
				     vq_callback_t *callback, const char *name, u16 vector)
{
	struct virtqueue *vq;
	u16 num, off;

	writew(index, vp_common(vp, VIRTIO_PCI_COMMON_Q_SELECT));
	num = readw(vp_common(vp, VIRTIO_PCI_COMMON_Q_SIZE));
	if (!num || readw(vp_common(vp, VIRTIO_PCI_COMMON_Q_ENABLE))) {
		dev_err(&vp->vdev.dev, "queue %u: size %u%s\n", index, num,
			num ? ", already enabled" : "");
		return ERR_PTR(-ENOENT);
	}
	off = readw(vp_common(vp, VIRTIO_PCI_COMMON_Q_NOFF));
	if ((u64)off * vp->notify_off_multiplier + 2 > vp->notify_len) {
		dev_err(&vp->vdev.dev, "queue %u: notify offset %u beyond the window\n", index,
			off);
		return ERR_PTR(-EINVAL);
	}
	/* A power of 2 at most the device's size (which need not be one). */
	while (num & (num - 1))
		num &= num - 1;
	vq = vring_create_virtqueue(index, num, VP_VRING_ALIGN, &vp->vdev, true, true, false,
				    vp_notify, callback, name);
	if (!vq)
		return ERR_PTR(-ENOMEM);
	vp->notify_addr[index] = (u8 __iomem *)vp->notify_base + off * vp->notify_off_multiplier;
	writew(virtqueue_get_vring_size(vq), vp_common(vp, VIRTIO_PCI_COMMON_Q_SIZE));
	vp_write64(vp, VIRTIO_PCI_COMMON_Q_DESCLO, virtqueue_get_desc_addr(vq));
	vp_write64(vp, VIRTIO_PCI_COMMON_Q_AVAILLO, virtqueue_get_avail_addr(vq));
	vp_write64(vp, VIRTIO_PCI_COMMON_Q_USEDLO, virtqueue_get_used_addr(vq));
	if (vp->msix && vp_set_vector(vp, VIRTIO_PCI_COMMON_Q_MSIX, vector)) {
		vring_del_virtqueue(vq);
		return ERR_PTR(-EBUSY);
	}
	return vq;
}

/* Free every IRQ requested: no handler may run on a queue being freed. */
static void vp_free_irqs(struct virtio_pci_device *vp)
{
	for (unsigned int i = 0; i < vp->nvqs; i++) {
		if (vp->vq_irq[i])
			free_irq(vp->vq_irq[i], vp->vqs[i]);
		vp->vq_irq[i] = 0;
	}
	if (vp->config_irq)
		free_irq(vp->config_irq, &vp->vdev);
	if (vp->shared_irq)
		free_irq(vp->shared_irq, vp);
	if (vp->intx_irq)
		free_irq(vp->intx_irq, vp);
	vp->config_irq = vp->shared_irq = vp->intx_irq = 0;
}

void vp_del_vqs(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = container_of(vdev, struct virtio_pci_device, vdev);

	vp_free_irqs(vp);
	for (unsigned int i = 0; i < vp->nvqs; i++) {
		if (!vp->vqs[i])
			continue;
		if (vp->msix) {
			writew(i, vp_common(vp, VIRTIO_PCI_COMMON_Q_SELECT));
			writew(VIRTIO_MSI_NO_VECTOR, vp_common(vp, VIRTIO_PCI_COMMON_Q_MSIX));
		}
		vring_del_virtqueue(vp->vqs[i]);
	}
	if (vp->msix)
		writew(VIRTIO_MSI_NO_VECTOR, vp_common(vp, VIRTIO_PCI_COMMON_MSIX));
	if (vp->nvecs)
		pci_free_irq_vectors(vp->pci_dev);
	vp->nvecs = 0;
	vp->msix = false;
	kfree(vp->vqs);
	vp->vqs = NULL;
	vp->nvqs = 0;
}

/* MSI-X: configuration vector 0, then queues on 1 + i or all on 1. */
static int vp_request_msix(struct virtio_pci_device *vp, unsigned int nvqs,
			   vq_callback_t *callbacks[], bool per_vq)
{
	struct pci_dev *pdev = vp->pci_dev;
	unsigned int want = 1;
	int ret;

	for (unsigned int i = 0; i < nvqs; i++)
		if (callbacks[i])
			want += per_vq ? 1 : (want == 1);
	ret = pci_alloc_irq_vectors(pdev, want, want, PCI_IRQ_MSIX);
	if (ret < 0)
		return ret;
	vp->nvecs = ret;
	vp->msix = true;
	vp->per_vq_vectors = per_vq;
	ret = request_irq(pci_irq_vector(pdev, 0), vp_config_changed, 0, dev_name(&vp->vdev.dev),
			  &vp->vdev);
	if (ret)
		return ret;
	vp->config_irq = pci_irq_vector(pdev, 0);
	ret = vp_set_vector(vp, VIRTIO_PCI_COMMON_MSIX, 0);
	if (ret || per_vq || want == 1)
		return ret;
	ret = request_irq(pci_irq_vector(pdev, 1), vp_vring_interrupt, 0,
			  dev_name(&vp->vdev.dev), vp);
	if (!ret)
		vp->shared_irq = pci_irq_vector(pdev, 1);
	return ret;
}

static int vp_try_find_vqs(struct virtio_pci_device *vp, unsigned int nvqs,
			   struct virtqueue *vqs[], vq_callback_t *callbacks[],
			   const char * const names[], int layout)
{
	struct pci_dev *pdev = vp->pci_dev;
	unsigned int next_vec = 1;
	int ret;

	vp->vqs = kcalloc(nvqs, sizeof(*vp->vqs), GFP_KERNEL);
	if (!vp->vqs)
		return -ENOMEM;
	vp->nvqs = nvqs;
	if (layout < 2) {
		ret = vp_request_msix(vp, nvqs, callbacks, layout == 0);
	} else {
		ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_LEGACY);
		if (ret >= 0) {
			vp->nvecs = ret;
			ret = pci_irq_vector(pdev, 0);
		}
		if (ret >= 0 && !(ret = request_irq(ret, vp_interrupt, IRQF_SHARED,
						    dev_name(&vp->vdev.dev), vp)))
			vp->intx_irq = pci_irq_vector(pdev, 0);
	}
	if (ret < 0)
		return ret;
	for (unsigned int i = 0; i < nvqs; i++) {
		u16 vec = VIRTIO_MSI_NO_VECTOR;

		if (!names[i])
			continue;
		if (vp->msix && callbacks[i])
			vec = layout == 0 ? next_vec++ : 1;
		vqs[i] = vp_setup_vq(vp, i, callbacks[i], names[i], vec);
		if (IS_ERR(vqs[i]))
			return PTR_ERR(vqs[i]);
		vp->vqs[i] = vqs[i];
		if (layout == 0 && callbacks[i]) {
			ret = request_irq(pci_irq_vector(pdev, vec), vring_interrupt, 0,
					  names[i], vqs[i]);
			if (ret)
				return ret;
			vp->vq_irq[i] = pci_irq_vector(pdev, vec);
		}
	}
	return 0;
}

int vp_find_vqs(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
		vq_callback_t *callbacks[], const char * const names[])
{
	struct virtio_pci_device *vp = container_of(vdev, struct virtio_pci_device, vdev);
	int ret = -EINVAL;

	if (!nvqs || nvqs > VP_MAX_VQS ||
	    nvqs > readw(vp_common(vp, VIRTIO_PCI_COMMON_NUMQ))) {
		dev_err(&vdev->dev, "%u queues asked, the device has %u\n", nvqs,
			readw(vp_common(vp, VIRTIO_PCI_COMMON_NUMQ)));
		return -ENOENT;
	}
	for (int layout = 0; layout < 3; layout++) {
		if ((virtio_pci_force_intx && layout < 2) || (virtio_pci_force_shared && !layout))
			continue;
		ret = vp_try_find_vqs(vp, nvqs, vqs, callbacks, names, layout);
		if (!ret)
			break;
		vp_del_vqs(vdev);
	}
	if (ret) {
		dev_err(&vdev->dev, "no interrupt layout works: %d\n", ret);
		return ret;
	}
	/* Everything is in place: let the device use the queues. */
	for (unsigned int i = 0; i < nvqs; i++) {
		if (!vp->vqs[i])
			continue;
		writew(i, vp_common(vp, VIRTIO_PCI_COMMON_Q_SELECT));
		writew(1, vp_common(vp, VIRTIO_PCI_COMMON_Q_ENABLE));
	}
	dev_info(&vdev->dev, "%u queue(s), %s\n", nvqs,
		 !vp->msix ? "INTx" : vp->per_vq_vectors ? "MSI-X per queue" : "MSI-X shared");
	return 0;
}
