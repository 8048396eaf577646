// SPDX-License-Identifier: GPL-2.0
/*
 * Driver for QEMU's educational PCI device "edu" (vendor 0x1234, device
 * 0x11e8; docs/specs/edu.txt in QEMU).  BAR0 is 1 MiB of MMIO:
 *
 *   0x00 identification 0xRRrr00ed    0x04 liveness: reads back ~written
 *   0x08 factorial: write n, read n!  0x20 status: bit 0 = computing
 *   0x80 DMA source  0x88 DMA dest    0x90 DMA count  0x98 DMA command
 *        (bit 0 start/busy, bit 1 direction 1 = device to RAM)
 *   the device's DMA buffer is at 0x40000 in its own address space.
 *
 * Everything is polled: interrupts are not routed yet.  Only 32-bit MMIO
 * accesses are used (the device ignores other sizes below 0x80).  The
 * device masks DMA addresses to 28 bits, so bounce buffers come from
 * ZONE_DMA (below 16 MiB).  One lock per device serialises register
 * sequences (factorial and DMA are multi-step).  All resources are devm_
 * managed: remove() has nothing to undo by hand.
 */
#define pr_fmt(fmt) "edu: " fmt

#include <exo/edu.h>
#include <exo/errno.h>
#include <exo/module.h>
#include <exo/mm.h>
#include <exo/page_alloc.h>
#include <exo/pci.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/processor.h>

#define EDU_IDENT	0x00
#define EDU_LIVENESS	0x04
#define EDU_FACTORIAL	0x08
#define EDU_STATUS	0x20
#define  EDU_STATUS_COMPUTING	0x01
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define  EDU_DMA_START		0x01
#define  EDU_DMA_TO_RAM		0x02
#define EDU_DMA_BUF	0x40000
#define EDU_DMA_MASK	((1ULL << 28) - 1)
#define EDU_TIMEOUT_NS	(2 * NSEC_PER_SEC)	/* DMA takes 100 ms of virtual time */

struct edu {
	struct edu_drvdata drvdata;	/* first: see include/exo/edu.h */
	struct pci_dev *pdev;
	void __iomem *mmio;
	spinlock_t lock;
};

static u32 edu_read(struct edu *edu, unsigned int reg)
{
	return readl((u8 __iomem *)edu->mmio + reg);
}

static void edu_write(struct edu *edu, unsigned int reg, u32 v)
{
	writel(v, (u8 __iomem *)edu->mmio + reg);
}

static struct edu *to_edu(struct device *dev)
{
	return dev_get_drvdata(dev);
}

/* Poll @reg until @bit clears.  Return: 0 or -ETIMEDOUT. */
static int edu_wait(struct edu *edu, unsigned int reg, u32 bit)
{
	u64 deadline = ktime_get_ns() + EDU_TIMEOUT_NS;

	while (edu_read(edu, reg) & bit) {
		if (ktime_get_ns() > deadline) {
			dev_err(&edu->pdev->dev, "register %#x bit %#x stuck\n", reg, bit);
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
	return 0;
}

static u32 edu_ident(struct device *dev)
{
	return edu_read(to_edu(dev), EDU_IDENT);
}

static u32 edu_liveness(struct device *dev, u32 v)
{
	struct edu *edu = to_edu(dev);
	unsigned long flags;
	u32 r;

	spin_lock_irqsave(&edu->lock, flags);
	edu_write(edu, EDU_LIVENESS, v);
	r = edu_read(edu, EDU_LIVENESS);
	spin_unlock_irqrestore(&edu->lock, flags);
	return r;
}

static int edu_factorial(struct device *dev, u32 n, u32 *result)
{
	struct edu *edu = to_edu(dev);
	int ret;

	spin_lock(&edu->lock);
	ret = edu_wait(edu, EDU_STATUS, EDU_STATUS_COMPUTING);
	if (!ret) {
		edu_write(edu, EDU_FACTORIAL, n);
		ret = edu_wait(edu, EDU_STATUS, EDU_STATUS_COMPUTING);
	}
	if (!ret)
		*result = edu_read(edu, EDU_FACTORIAL);
	spin_unlock(&edu->lock);
	return ret;
}

static int edu_dma(struct edu *edu, u64 src, u64 dst, u32 len, u32 dir)
{
	int ret = edu_wait(edu, EDU_DMA_CMD, EDU_DMA_START);

	if (ret)
		return ret;
	edu_write(edu, EDU_DMA_SRC, src);
	edu_write(edu, EDU_DMA_SRC + 4, src >> 32);
	edu_write(edu, EDU_DMA_DST, dst);
	edu_write(edu, EDU_DMA_DST + 4, dst >> 32);
	edu_write(edu, EDU_DMA_COUNT, len);
	edu_write(edu, EDU_DMA_CMD, EDU_DMA_START | dir);
	return edu_wait(edu, EDU_DMA_CMD, EDU_DMA_START);
}

static int edu_dma_roundtrip(struct device *dev, const void *src, void *dst, size_t len)
{
	struct edu *edu = to_edu(dev);
	struct page *page;
	phys_addr_t pa;
	u8 *buf;
	int ret;

	if (!len || len > EDU_DMA_SIZE) {
		dev_err(dev, "DMA length %zu not in 1..%d\n", len, EDU_DMA_SIZE);
		return -EINVAL;
	}
	page = alloc_pages(GFP_DMA, 0);
	if (!page)
		return -ENOMEM;
	pa = page_to_phys(page);
	buf = page_address(page);
	if (pa + PAGE_SIZE - 1 > EDU_DMA_MASK) {
		dev_err(dev, "bounce page %#llx beyond the device's 28-bit DMA reach\n", pa);
		ret = -ENOMEM;
		goto out;
	}
	memcpy(buf, src, len);
	spin_lock(&edu->lock);
	ret = edu_dma(edu, pa, EDU_DMA_BUF, len, 0);
	if (!ret) {
		memset(buf, 0, PAGE_SIZE);	/* prove the data comes back from the device */
		ret = edu_dma(edu, EDU_DMA_BUF, pa, len, EDU_DMA_TO_RAM);
	}
	spin_unlock(&edu->lock);
	if (!ret)
		memcpy(dst, buf, len);
out:
	__free_pages(page, 0);
	return ret;
}

static const struct edu_ops edu_ops = {
	.ident = edu_ident,
	.liveness = edu_liveness,
	.factorial = edu_factorial,
	.dma_roundtrip = edu_dma_roundtrip,
};

static void edu_disable(void *data)
{
	pci_disable_device(data);
}

static void edu_unmap(void *data)
{
	struct edu *edu = data;

	pci_iounmap(edu->pdev, edu->mmio);
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu *edu;
	u32 ident;
	int ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(&pdev->dev, edu_disable, pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	edu->mmio = pci_iomap(pdev, 0);
	if (!edu->mmio)
		return -ENODEV;
	edu->pdev = pdev;
	ret = devm_add_action_or_reset(&pdev->dev, edu_unmap, edu);
	if (ret)
		return ret;
	edu->drvdata.ops = &edu_ops;
	spin_lock_init(&edu->lock);
	ident = edu_read(edu, EDU_IDENT);
	if ((ident & 0xff) != 0xed) {
		dev_err(&pdev->dev, "identification %#x is not an edu device\n", ident);
		return -ENODEV;
	}
	pci_set_drvdata(pdev, edu);
	if (edu_liveness(&pdev->dev, 0x12345678) != ~0x12345678u) {
		dev_err(&pdev->dev, "liveness check failed\n");
		return -EIO;
	}
	dev_info(&pdev->dev, "edu v%u.%u, MMIO at %#llx\n", ident >> 24, (ident >> 16) & 0xff,
		 pci_resource_start(pdev, 0));
	return 0;
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = "edu",
	.id_table = edu_ids,
	.probe = edu_probe,
};
module_pci_driver(edu_driver);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("QEMU edu educational PCI device");
