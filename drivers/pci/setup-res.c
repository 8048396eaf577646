// SPDX-License-Identifier: GPL-2.0
/*
 * BAR assignment for functions the firmware never saw (hot-added), as
 * Linux's pci_assign_resource(): a BAR goes into the window its upstream
 * bridge forwards for its type (I/O; non-prefetchable memory; prefetchable
 * memory, which 64-bit prefetchable BARs prefer), at the first address
 * aligned to its size that no other BAR holds.  The windows are the ones
 * the firmware programmed into the bridge at boot (SeaBIOS reserves some
 * for each hotplug-capable port); they are read, never resized.
 */
#define pr_fmt(fmt) "pci: " fmt

#include <exo/errno.h>
#include <exo/export.h>
#include <exo/ioport.h>
#include <exo/pci.h>
#include "pci.h"

enum { WIN_IO, WIN_MEM, WIN_PREF, NR_WIN };

/* Type 1 header: the bridge's forwarding windows. */
#define PCI_IO_BASE		0x1c
#define PCI_IO_LIMIT		0x1d
#define PCI_MEMORY_BASE		0x20
#define PCI_MEMORY_LIMIT	0x22
#define PCI_PREF_MEMORY_BASE	0x24
#define PCI_PREF_MEMORY_LIMIT	0x26
#define PCI_PREF_BASE_UPPER32	0x28
#define PCI_PREF_LIMIT_UPPER32	0x2c
#define PCI_IO_BASE_UPPER16	0x30
#define PCI_IO_LIMIT_UPPER16	0x32

/* @bridge's windows; an empty one (base above limit) has end < start. */
static void pci_read_bridge_windows(struct pci_dev *bridge, struct resource win[NR_WIN])
{
	u32 base, limit, bhi = 0, lhi = 0;

	pci_read_config_dword(bridge, PCI_IO_BASE, &base);
	limit = (base >> 8) & 0xff;
	base &= 0xff;
	if ((base & 0xf) == 1) {
		pci_read_config_dword(bridge, PCI_IO_BASE_UPPER16, &bhi);
		lhi = bhi >> 16;
		bhi &= 0xffff;
	}
	win[WIN_IO].start = (bhi << 16) | ((base & 0xf0) << 8);
	win[WIN_IO].end = (lhi << 16) | ((limit & 0xf0) << 8) | 0xfff;
	win[WIN_IO].flags = IORESOURCE_IO;

	pci_read_config_dword(bridge, PCI_MEMORY_BASE, &base);
	win[WIN_MEM].start = (u64)(base & 0xfff0) << 16;
	win[WIN_MEM].end = ((u64)(base >> 16 & 0xfff0) << 16) | 0xfffff;
	win[WIN_MEM].flags = IORESOURCE_MEM;

	pci_read_config_dword(bridge, PCI_PREF_MEMORY_BASE, &base);
	bhi = lhi = 0;
	if ((base & 0xf) == 1) {
		pci_read_config_dword(bridge, PCI_PREF_BASE_UPPER32, &bhi);
		pci_read_config_dword(bridge, PCI_PREF_LIMIT_UPPER32, &lhi);
	}
	win[WIN_PREF].start = (u64)bhi << 32 | (u64)(base & 0xfff0) << 16;
	win[WIN_PREF].end = (u64)lhi << 32 | ((u64)(base >> 16 & 0xfff0) << 16) | 0xfffff;
	win[WIN_PREF].flags = IORESOURCE_MEM | IORESOURCE_PREFETCH | IORESOURCE_MEM_64;
}

static bool win_usable(const struct resource *w, const struct resource *bar)
{
	if (w->end < w->start)
		return false;
	/* A 32-bit BAR cannot reach a window above 4 GiB. */
	return (bar->flags & IORESOURCE_MEM_64) || w->end <= 0xffffffffULL;
}

/* Place @r (its size set) in @w: 0 and entered in the resource tree, or -ENOSPC. */
static int place_in_window(struct resource *r, const struct resource *w)
{
	u64 size = resource_size(r);
	struct resource *root = resource_type(r) == IORESOURCE_IO ? &ioport_resource :
				&iomem_resource;

	for (u64 at = (w->start + size - 1) & ~(size - 1); at + size - 1 <= w->end && at >= w->start;
	     at += size) {
		r->start = at;
		r->end = at + size - 1;
		if (!request_resource(root, r))
			return 0;
	}
	return -ENOSPC;
}

static void pci_write_bar(struct pci_dev *dev, int resno)
{
	struct resource *r = &dev->resource[resno];
	unsigned int reg = PCI_BASE_ADDRESS_0 + 4 * resno;

	pci_write_config_dword(dev, reg, (u32)r->start);
	if (r->flags & IORESOURCE_MEM_64)
		pci_write_config_dword(dev, reg + 4, (u32)(r->start >> 32));
}

/**
 * pci_assign_resource() - give BAR @resno of @dev an address in its bridge's window
 * @dev: a function below a PCI-PCI bridge, not yet added
 * @resno: the BAR (0-5) with its size and type read by enumeration
 *
 * The BAR is entered in the resource tree and written to the function;
 * decoding stays off until pci_enable_device().  A prefetchable 64-bit
 * BAR tries the prefetchable window first, then the memory window.
 * Return: 0; -EINVAL no such BAR, or @dev is not below a bridge;
 * -ENOSPC no window of its type has room (logged: the BAR stays unset,
 * its flags cleared, so that no driver uses it).
 */
int pci_assign_resource(struct pci_dev *dev, int resno)
{
	struct resource win[NR_WIN];
	struct pci_dev *bridge;
	int order[2] = { WIN_MEM, -1 };
	int ret = -ENOSPC;
	struct resource *r;

	if (resno < 0 || resno >= PCI_NUM_BARS)
		return -EINVAL;
	r = &dev->resource[resno];
	if (!r->flags || !dev->dev.parent || dev->dev.parent->bus != &pci_bus_type)
		return -EINVAL;
	bridge = to_pci_dev(dev->dev.parent);
	if (bridge->hdr_type != PCI_HEADER_TYPE_BRIDGE)
		return -EINVAL;
	pci_read_bridge_windows(bridge, win);
	if (resource_type(r) == IORESOURCE_IO)
		order[0] = WIN_IO;
	else if (r->flags & IORESOURCE_PREFETCH)
		order[0] = WIN_PREF, order[1] = WIN_MEM;
	for (int i = 0; i < 2 && order[i] >= 0 && ret; i++)
		if (win_usable(&win[order[i]], r))
			ret = place_in_window(r, &win[order[i]]);
	if (ret) {
		dev_err(&dev->dev, "BAR%d: no room for %#llx bytes of %s behind %s\n", resno,
			resource_size(r), resource_type(r) == IORESOURCE_IO ? "I/O" : "memory",
			dev_name(&bridge->dev));
		r->flags = 0;
		r->start = r->end = 0;
		return ret;
	}
	pci_write_bar(dev, resno);
	dev_info(&dev->dev, "BAR%d: assigned [%#llx-%#llx]\n", resno, r->start, r->end);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_assign_resource);

/*
 * Every BAR of a hot-added @dev.  Return: how many could not be placed;
 * those are cleared (see pci_assign_resource()).
 */
unsigned int pci_assign_unassigned_resources(struct pci_dev *dev)
{
	unsigned int failed = 0;

	for (int i = 0; i < PCI_NUM_BARS; i++) {
		struct resource *r = &dev->resource[i];

		if (r->flags && !r->parent && pci_assign_resource(dev, i))
			failed++;
	}
	return failed;
}
