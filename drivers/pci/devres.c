// SPDX-License-Identifier: GPL-2.0
/*
 * BAR claims in the resource tree (pci_request_region() and friends) and
 * the managed variants a driver's probe uses so that its remove has
 * nothing to undo: devm_ioremap(), pcim_iomap_table(),
 * pcim_iomap_regions().
 *
 * The pcim table is one allocation per function, hung off pdev->iomap
 * and released (every mapping unmapped, every claim it made released) by
 * one devres action when the binding ends.
 */
#define pr_fmt(fmt) "pci: " fmt

#include <exo/errno.h>
#include <exo/export.h>
#include <exo/pci.h>
#include <exo/slab.h>
#include <asm/io.h>

struct pcim_iomap_devres {
	void __iomem *table[PCI_NUM_BARS];
	u8 regions;			/* BARs pcim_iomap_regions() claimed */
};

int pci_request_region(struct pci_dev *pdev, int bar, const char *name)
{
	const struct resource *r;
	struct resource *res;

	if (bar < 0 || bar >= PCI_NUM_BARS || !pci_resource_len(pdev, bar)) {
		dev_err(&pdev->dev, "no BAR%d to claim for %s\n", bar, name);
		return -EINVAL;
	}
	r = &pdev->resource[bar];
	if (resource_type(r) == IORESOURCE_IO)
		res = request_region(r->start, resource_size(r), name);
	else
		res = request_mem_region(r->start, resource_size(r), name);
	if (!res) {
		dev_err(&pdev->dev, "BAR%d [%#llx-%#llx]: cannot claim for %s\n", bar, r->start,
			r->end, name);
		return -EBUSY;
	}
	pdev->regions_requested |= (1 << (bar));
	return 0;
}
EXPORT_SYMBOL_GPL(pci_request_region);

void pci_release_region(struct pci_dev *pdev, int bar)
{
	const struct resource *r;

	if (bar < 0 || bar >= PCI_NUM_BARS || !(pdev->regions_requested & (1 << (bar))))
		return;
	r = &pdev->resource[bar];
	if (resource_type(r) == IORESOURCE_IO)
		release_region(r->start, resource_size(r));
	else
		release_mem_region(r->start, resource_size(r));
	pdev->regions_requested &= ~(1 << (bar));
}
EXPORT_SYMBOL_GPL(pci_release_region);

int pci_request_regions(struct pci_dev *pdev, const char *name)
{
	int bar, ret;

	for (bar = 0; bar < PCI_NUM_BARS; bar++) {
		if (!pci_resource_len(pdev, bar))
			continue;
		ret = pci_request_region(pdev, bar, name);
		if (ret)
			goto undo;
	}
	return 0;
undo:
	while (--bar >= 0)
		pci_release_region(pdev, bar);
	return ret;
}
EXPORT_SYMBOL_GPL(pci_request_regions);

void pci_release_regions(struct pci_dev *pdev)
{
	for (int bar = 0; bar < PCI_NUM_BARS; bar++)
		pci_release_region(pdev, bar);
}
EXPORT_SYMBOL_GPL(pci_release_regions);

static void devm_ioremap_release(void *addr)
{
	iounmap((void __iomem __force *)addr);
}

void __iomem *devm_ioremap(struct device *dev, resource_size_t offset, resource_size_t size)
{
	void __iomem *addr = ioremap(offset, size);

	if (!addr) {
		dev_err(dev, "devm_ioremap: cannot map %#llx+%#llx\n", offset, size);
		return NULL;
	}
	if (devm_add_action_or_reset(dev, devm_ioremap_release, (void __force *)addr))
		return NULL;
	return addr;
}
EXPORT_SYMBOL_GPL(devm_ioremap);

void devm_iounmap(struct device *dev, void __iomem *addr)
{
	devm_release_action(dev, devm_ioremap_release, (void __force *)addr);
}
EXPORT_SYMBOL_GPL(devm_iounmap);

void pcim_iounmap_regions(struct pci_dev *pdev, int mask)
{
	struct pcim_iomap_devres *dr = pdev->iomap;

	if (!dr)
		return;
	for (int bar = 0; bar < PCI_NUM_BARS; bar++) {
		if (!(mask & (1 << (bar))))
			continue;
		if (dr->table[bar]) {
			pci_iounmap(pdev, dr->table[bar]);
			dr->table[bar] = NULL;
		}
		if (dr->regions & (1 << (bar))) {
			pci_release_region(pdev, bar);
			dr->regions &= ~(1 << (bar));
		}
	}
}
EXPORT_SYMBOL_GPL(pcim_iounmap_regions);

static void pcim_iomap_release(void *data)
{
	struct pci_dev *pdev = data;

	pcim_iounmap_regions(pdev, (1 << (PCI_NUM_BARS)) - 1);
	kfree(pdev->iomap);
	pdev->iomap = NULL;
}

void __iomem *const *pcim_iomap_table(struct pci_dev *pdev)
{
	if (pdev->iomap)
		return pdev->iomap->table;
	pdev->iomap = kzalloc(sizeof(*pdev->iomap), GFP_KERNEL);
	if (!pdev->iomap) {
		dev_err(&pdev->dev, "pcim_iomap_table: out of memory\n");
		return NULL;
	}
	if (devm_add_action_or_reset(&pdev->dev, pcim_iomap_release, pdev))
		return NULL;
	return pdev->iomap->table;
}
EXPORT_SYMBOL_GPL(pcim_iomap_table);

int pcim_iomap_regions(struct pci_dev *pdev, int mask, const char *name)
{
	struct pcim_iomap_devres *dr;
	int bar, ret, done = 0;

	if (mask & ~((1 << (PCI_NUM_BARS)) - 1)) {
		dev_err(&pdev->dev, "pcim_iomap_regions: bad BAR mask %#x\n", mask);
		return -EINVAL;
	}
	if (!pcim_iomap_table(pdev))
		return -ENOMEM;
	dr = pdev->iomap;
	for (bar = 0; bar < PCI_NUM_BARS; bar++) {
		if (!(mask & (1 << (bar))) || !pci_resource_len(pdev, bar))
			continue;
		if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM) || dr->table[bar]) {
			dev_err(&pdev->dev, "pcim_iomap_regions: BAR%d is %s\n", bar,
				dr->table[bar] ? "already mapped" : "not memory");
			ret = -EINVAL;
			goto undo;
		}
		ret = pci_request_region(pdev, bar, name);
		if (ret)
			goto undo;
		dr->regions |= (1 << (bar));
		done |= (1 << (bar));
		dr->table[bar] = pci_iomap(pdev, bar);
		if (!dr->table[bar]) {
			ret = -ENOMEM;
			goto undo;
		}
	}
	return 0;
undo:
	pcim_iounmap_regions(pdev, done);
	return ret;
}
EXPORT_SYMBOL_GPL(pcim_iomap_regions);
