// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-pci transport, modern interface (virtio 1.x section 4.1).
 *
 * The device describes its register blocks with vendor-specific PCI
 * capabilities (cfg_type common, notify, ISR, device), each a window into
 * a memory BAR.  Interrupts: MSI-X with one vector for configuration
 * changes and one per queue; if the vectors are not there, two MSI-X
 * vectors (configuration, and every queue sharing the other); failing
 * that, the INTx line, shared, where reading the ISR register tells
 * queue from configuration interrupts and acknowledges (deasserts) it.
 *
 * Legacy-only devices (device ID 0x1000-0x103f without the modern
 * capabilities) are refused: the legacy I/O port interface is not
 * implemented.  Transitional devices (QEMU's default on `pc`) are driven
 * through their modern capabilities.
 */
#define pr_fmt(fmt) "virtio_pci: " fmt

#include <exo/dma-mapping.h>
#include <exo/errno.h>
#include <exo/interrupt.h>
#include <exo/module.h>
#include <exo/pci.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/virtio.h>
#include <exo/virtio_config.h>
#include <exo/virtio_ring.h>
#include <asm/io.h>
#include "virtio_pci.h"

bool virtio_pci_force_intx;
bool virtio_pci_force_shared;

#define to_vp_device(vd)	container_of(vd, struct virtio_pci_device, vdev)

static void __iomem *vp_common(struct virtio_pci_device *vp, unsigned int off)
{
	return (u8 __iomem *)vp->common + off;
}

static u64 vp_get_features(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp_device(vdev);
	u64 features;

	writel(0, vp_common(vp, VIRTIO_PCI_COMMON_DFSELECT));
	features = readl(vp_common(vp, VIRTIO_PCI_COMMON_DF));
	writel(1, vp_common(vp, VIRTIO_PCI_COMMON_DFSELECT));
	features |= (u64)readl(vp_common(vp, VIRTIO_PCI_COMMON_DF)) << 32;
	return features;
}

static int vp_finalize_features(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp_device(vdev);

	writel(0, vp_common(vp, VIRTIO_PCI_COMMON_GFSELECT));
	writel((u32)vdev->features, vp_common(vp, VIRTIO_PCI_COMMON_GF));
	writel(1, vp_common(vp, VIRTIO_PCI_COMMON_GFSELECT));
	writel(vdev->features >> 32, vp_common(vp, VIRTIO_PCI_COMMON_GF));
	return 0;
}

/* Device configuration: bounded by the window the capability gave. */
static bool vp_cfg_range_ok(struct virtio_pci_device *vp, unsigned int offset, unsigned int len)
{
	if (offset <= vp->device_len && len <= vp->device_len - offset)
		return true;
	dev_err(&vp->vdev.dev, "configuration access %u+%u beyond its %zu bytes\n", offset,
		len, vp->device_len);
	return false;
}

static void vp_get(struct virtio_device *vdev, unsigned int offset, void *buf, unsigned int len)
{
	struct virtio_pci_device *vp = to_vp_device(vdev);
	u8 __iomem *p = (u8 __iomem *)vp->device + offset;
	u32 l;
	u16 w;
	u8 b;

	if (!vp_cfg_range_ok(vp, offset, len)) {
		memset(buf, 0, len);
		return;
	}
	switch (len) {
	case 1:
		b = readb(p);
		memcpy(buf, &b, 1);
		break;
	case 2:
		w = readw(p);
		memcpy(buf, &w, 2);
		break;
	case 4:
		l = readl(p);
		memcpy(buf, &l, 4);
		break;
	default:	/* 8 and byte arrays: the generation check covers tearing */
		for (unsigned int i = 0; i < len; i++)
			((u8 *)buf)[i] = readb(p + i);
		break;
	}
}

static void vp_set(struct virtio_device *vdev, unsigned int offset, const void *buf,
		   unsigned int len)
{
	struct virtio_pci_device *vp = to_vp_device(vdev);
	u8 __iomem *p = (u8 __iomem *)vp->device + offset;
	u32 l;
	u16 w;

	if (!vp_cfg_range_ok(vp, offset, len))
		return;
	switch (len) {
	case 2:
		memcpy(&w, buf, 2);
		writew(w, p);
		break;
	case 4:
		memcpy(&l, buf, 4);
		writel(l, p);
		break;
	default:
		for (unsigned int i = 0; i < len; i++)
			writeb(((const u8 *)buf)[i], p + i);
		break;
	}
}

static u32 vp_generation(struct virtio_device *vdev)
{
	return readb(vp_common(to_vp_device(vdev), VIRTIO_PCI_COMMON_CFGGENERATION));
}

static u8 vp_get_status(struct virtio_device *vdev)
{
	return readb(vp_common(to_vp_device(vdev), VIRTIO_PCI_COMMON_STATUS));
}

static void vp_set_status(struct virtio_device *vdev, u8 status)
{
	/* 0 means reset, which must go through vp_reset() and its wait. */
	if (WARN_ON(!status))
		return;
	writeb(status, vp_common(to_vp_device(vdev), VIRTIO_PCI_COMMON_STATUS));
}

/*
 * Reset, then wait until the device reads back 0: only then has it
 * stopped using the rings (section 4.1.4.3.2).  Then no handler may still
 * be looking at them.
 */
static void vp_reset(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp_device(vdev);
	u64 deadline = ktime_get_ns() + VP_RESET_TIMEOUT_NS;

	writeb(0, vp_common(vp, VIRTIO_PCI_COMMON_STATUS));
	while (readb(vp_common(vp, VIRTIO_PCI_COMMON_STATUS))) {
		if (ktime_get_ns() > deadline) {
			dev_err(&vdev->dev, "device did not finish its reset\n");
			virtio_break_device(vdev);
			break;
		}
		msleep(1);
	}
	for (unsigned int i = 0; i < vp->nvecs; i++)
		synchronize_irq(pci_irq_vector(vp->pci_dev, i));
}

static const char *vp_bus_name(struct virtio_device *vdev)
{
	return dev_name(&to_vp_device(vdev)->pci_dev->dev);
}

static const struct virtio_config_ops virtio_pci_config_ops = {
	.get = vp_get,
	.set = vp_set,
	.generation = vp_generation,
	.get_status = vp_get_status,
	.set_status = vp_set_status,
	.reset = vp_reset,
	.find_vqs = vp_find_vqs,
	.del_vqs = vp_del_vqs,
	.get_features = vp_get_features,
	.finalize_features = vp_finalize_features,
	.bus_name = vp_bus_name,
};

/*
 * The first capability of @type whose window lies inside a memory BAR.
 * Return: 0 and the window, or -ENOENT (logged if one was malformed).
 */
static int vp_find_cap(struct virtio_pci_device *vp, u8 type, size_t min_len,
		       struct vp_window *w)
{
	struct pci_dev *pdev = vp->pci_dev;

	for (u8 pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR); pos;
	     pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR)) {
		u8 cfg_type, bar, cap_len;
		u32 offset, length;

		pci_read_config_byte(pdev, pos + VIRTIO_PCI_CAP_LEN, &cap_len);
		pci_read_config_byte(pdev, pos + VIRTIO_PCI_CAP_CFG_TYPE, &cfg_type);
		if (cfg_type != type)
			continue;
		pci_read_config_byte(pdev, pos + VIRTIO_PCI_CAP_BAR, &bar);
		pci_read_config_dword(pdev, pos + VIRTIO_PCI_CAP_OFFSET, &offset);
		pci_read_config_dword(pdev, pos + VIRTIO_PCI_CAP_LENGTH, &length);
		if (cap_len < VIRTIO_PCI_CAP_SIZE || bar >= PCI_NUM_BARS ||
		    !(pci_resource_flags(pdev, bar) & IORESOURCE_MEM) || length < min_len ||
		    (u64)offset + length > pci_resource_len(pdev, bar)) {
			dev_err(&pdev->dev, "virtio capability type %u at %#x is malformed (bar %u, %#x+%#x)\n",
				type, pos, bar, offset, length);
			continue;
		}
		w->pos = pos;
		w->bar = bar;
		w->offset = offset;
		w->length = length;
		return 0;
	}
	return -ENOENT;
}

/* Find and map the four register windows. */
static int vp_map_caps(struct virtio_pci_device *vp)
{
	struct pci_dev *pdev = vp->pci_dev;
	struct vp_window common, isr, notify, device;
	void __iomem *const *table;
	int mask, ret;
	u32 mult;

	if (vp_find_cap(vp, VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_COMMON_SIZE, &common))
		return -ENODEV;
	if (vp_find_cap(vp, VIRTIO_PCI_CAP_ISR_CFG, 1, &isr) ||
	    vp_find_cap(vp, VIRTIO_PCI_CAP_NOTIFY_CFG, 2, &notify)) {
		dev_err(&pdev->dev, "virtio device without ISR or notify capability\n");
		return -ENODEV;
	}
	/* Device configuration is optional (virtio-rng has none). */
	if (vp_find_cap(vp, VIRTIO_PCI_CAP_DEVICE_CFG, 0, &device))
		device.length = 0;
	pci_read_config_dword(pdev, notify.pos + VIRTIO_PCI_NOTIFY_CAP_MULT, &mult);
	mask = (1 << common.bar) | (1 << isr.bar) | (1 << notify.bar) |
	       (device.length ? 1 << device.bar : 0);
	ret = pcim_iomap_regions(pdev, mask, "virtio-pci");
	if (ret)
		return ret;
	table = pcim_iomap_table(pdev);
	if (!table)
		return -ENOMEM;
	vp->common = (u8 __iomem *)table[common.bar] + common.offset;
	vp->isr = (u8 __iomem *)table[isr.bar] + isr.offset;
	vp->notify_base = (u8 __iomem *)table[notify.bar] + notify.offset;
	vp->notify_len = notify.length;
	vp->notify_off_multiplier = mult;
	if (device.length)
		vp->device = (u8 __iomem *)table[device.bar] + device.offset;
	vp->device_len = device.length;
	return 0;
}

static void virtio_pci_release_dev(struct device *dev)
{
	kfree(to_vp_device(dev_to_virtio(dev)));
}

static void vp_disable(void *pdev)
{
	pci_disable_device(pdev);
}

static int virtio_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct virtio_pci_device *vp;
	int ret;

	if (pdev->device < 0x1000 || pdev->device > 0x107f)
		return -ENODEV;
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(&pdev->dev, vp_disable, pdev);
	if (ret)
		return ret;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;
	vp->pci_dev = pdev;
	ret = vp_map_caps(vp);
	if (ret == -ENODEV && pdev->device < 0x1040)
		dev_err(&pdev->dev, "legacy-only virtio device %04x (no virtio 1.x capabilities): not supported\n",
			pdev->device);
	if (ret) {
		kfree(vp);
		return ret;
	}
	pci_set_master(pdev);
	if (pdev->device < 0x1040)
		vp->vdev.id.device = pdev->subsystem_device;
	else
		vp->vdev.id.device = pdev->device - 0x1040;
	vp->vdev.id.vendor = pdev->subsystem_vendor;
	vp->vdev.config = &virtio_pci_config_ops;
	vp->vdev.dev.parent = &pdev->dev;
	vp->vdev.dev.release = virtio_pci_release_dev;
	pci_set_drvdata(pdev, vp);
	ret = register_virtio_device(&vp->vdev);
	if (ret) {
		put_device(&vp->vdev.dev);
		return ret;
	}
	return 0;
}

static void virtio_pci_remove(struct pci_dev *pdev)
{
	struct virtio_pci_device *vp = pci_get_drvdata(pdev);

	unregister_virtio_device(&vp->vdev);
	pci_clear_master(pdev);
}

static const struct pci_device_id virtio_pci_id_table[] = {
	{ PCI_DEVICE(VIRTIO_PCI_VENDOR, PCI_ANY_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, virtio_pci_id_table);

static struct pci_driver virtio_pci_driver = {
	.name = "virtio-pci",
	.id_table = virtio_pci_id_table,
	.probe = virtio_pci_probe,
	.remove = virtio_pci_remove,
};
module_pci_driver(virtio_pci_driver);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("virtio-pci modern transport");
