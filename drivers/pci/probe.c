// SPDX-License-Identifier: GPL-2.0
/*
 * PCI enumeration: every bus reachable from the host bridges, every
 * device, every function; each function becomes a struct pci_dev on the
 * "pci" bus of the device model, named "SSSS:BB:DD.F".
 *
 * Bus numbers are the firmware's (SeaBIOS and the Bochs BIOS assign them
 * and program the bridges); we follow each PCI-PCI bridge's secondary bus
 * and never scan a bus twice, so a bridge misprogrammed into a loop cannot
 * hang the scan.  If 00:00.0 is multi-function, function N is the host
 * bridge of root bus N (the classic brute-force rule).
 *
 * BAR sizing: with decoding turned off in the command register (so the
 * all-ones value is never decoded as an address), write all ones, read the
 * mask, restore the original value, and only then restore decoding.  A
 * 64-bit memory BAR sizes both halves.  The result is a struct resource
 * per BAR plus one for the legacy IRQ line (firmware-routed, read from
 * config offset 0x3c; no interrupt is enabled here).
 */
#define pr_fmt(fmt) "pci: " fmt

#include <exo/bitmap.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/mutex.h>
#include <exo/pci.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "pci.h"

void pci_ecam_init(void);

static DECLARE_BITMAP(scanned, 256);
static unsigned int nr_functions;

static struct device pci_host = {
	.name = "pci0000:00",
};

static void pci_host_release(struct device *dev)
{
	/* Static: never freed. */
}

static u32 cfg_read(struct pci_dev *p, unsigned int where, unsigned int size)
{
	u32 v = ~0u;

	pci_bus_read_config(p->segment, p->bus, p->devfn, where, size, &v);
	return v;
}

static void cfg_write(struct pci_dev *p, unsigned int where, unsigned int size, u32 v)
{
	pci_bus_write_config(p->segment, p->bus, p->devfn, where, size, v);
}

/* Size BAR @i; return the number of BAR slots it used (2 for 64-bit). */
static unsigned int pci_read_bar(struct pci_dev *p, unsigned int i)
{
	unsigned int reg = PCI_BASE_ADDRESS_0 + 4 * i;
	struct resource *r = &p->resource[i];
	u32 lo = cfg_read(p, reg, 4), mask_lo, hi = 0, mask_hi = ~0u;
	bool is64 = !(lo & 1) && ((lo >> 1) & 3) == 2;
	u64 base, mask;

	cfg_write(p, reg, 4, ~0u);
	mask_lo = cfg_read(p, reg, 4);
	cfg_write(p, reg, 4, lo);
	if (is64 && i + 1 < PCI_NUM_BARS) {
		hi = cfg_read(p, reg + 4, 4);
		cfg_write(p, reg + 4, 4, ~0u);
		mask_hi = cfg_read(p, reg + 4, 4);
		cfg_write(p, reg + 4, 4, hi);
	}
	snprintf(p->res_names[i], sizeof(p->res_names[i]), "BAR%u", i);
	r->name = p->res_names[i];
	if (lo & 1) {			/* I/O space */
		mask = mask_lo & ~3u & 0xffff;
		if (!mask)
			return 1;
		base = lo & ~3u;
		r->flags = IORESOURCE_IO;
		r->start = base;
		r->end = base + ((~mask + 1) & 0xffff) - 1;
		return 1;
	}
	mask = ((u64)mask_hi << 32 | (mask_lo & ~0xfu));
	if (!is64)
		mask |= 0xffffffff00000000ULL;
	if (!(mask_lo & ~0xfu) && !(is64 && mask_hi))
		return is64 ? 2 : 1;
	base = ((u64)hi << 32) | (lo & ~0xfu);
	r->flags = IORESOURCE_MEM | (lo & 8 ? IORESOURCE_PREFETCH : 0) |
		   (is64 ? IORESOURCE_MEM_64 : 0);
	r->start = base;
	r->end = base + (~mask + 1) - 1;
	return is64 ? 2 : 1;
}

static void pci_read_bases(struct pci_dev *p, unsigned int nbars)
{
	u16 cmd = cfg_read(p, PCI_COMMAND, 2);

	if (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY))
		cfg_write(p, PCI_COMMAND, 2, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned int i = 0; i < nbars;)
		i += pci_read_bar(p, i);
	if (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY))
		cfg_write(p, PCI_COMMAND, 2, cmd);
}

static void pci_release_dev(struct device *dev)
{
	struct pci_dev *p = to_pci_dev(dev);
	bool pinned = false;

	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		if (!p->resource[i].parent || !release_resource(&p->resource[i]))
			continue;
		/*
		 * A claim below the BAR was never released: the BAR stays
		 * linked in the tree and lives in *p, so freeing p would leave
		 * the tree pointing at freed memory.  Leak it instead.
		 */
		dev_err(dev, "BAR%u still has claims below it: the device is leaked\n", i);
		pinned = true;
	}
	if (!pinned)
		kfree(p);
}

/*
 * Enter each assigned BAR in the resource tree, so drivers' claims nest
 * under it.  A BAR that overlaps another (firmware error) stays out of the
 * tree, with the resource tree's log line.
 */
static void pci_claim_bars(struct pci_dev *p)
{
	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		struct resource *r = &p->resource[i];

		/* Unset, or already entered by pci_assign_resource(). */
		if (!r->flags || !r->start || r->parent)
			continue;
		r->name = dev_name(&p->dev);
		if (request_resource(resource_type(r) == IORESOURCE_IO ? &ioport_resource :
				     &iomem_resource, r))
			dev_warn(&p->dev, "BAR%u [%#llx-%#llx] not entered in the resource tree\n",
				 i, r->start, r->end);
	}
}

static void pci_scan_bus(u8 bus, struct device *parent);

/* A new function's pci_dev, initialised but not added; NULL without memory. */
static struct pci_dev *pci_scan_single_device(u8 bus, u8 devfn, struct device *parent)
{
	struct pci_dev *p = kzalloc(sizeof(*p), GFP_KERNEL);
	u32 class_rev;

	if (!p) {
		pr_err("%02x:%02x.%u: out of memory, skipped\n", bus, PCI_SLOT(devfn),
		       PCI_FUNC(devfn));
		return NULL;
	}
	p->bus = bus;
	p->devfn = devfn;
	spin_lock_init(&p->msi_lock);
	p->vendor = cfg_read(p, PCI_VENDOR_ID, 2);
	p->device = cfg_read(p, PCI_DEVICE_ID, 2);
	class_rev = cfg_read(p, PCI_CLASS_REVISION, 4);
	p->class = class_rev >> 8;
	p->revision = class_rev & 0xff;
	p->hdr_type = cfg_read(p, PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MASK;
	p->irq_pin = cfg_read(p, PCI_INTERRUPT_PIN, 1);
	p->irq_line = cfg_read(p, PCI_INTERRUPT_LINE, 1);
	if (p->hdr_type == PCI_HEADER_TYPE_NORMAL) {
		p->subsystem_vendor = cfg_read(p, PCI_SUBSYSTEM_VENDOR_ID, 2);
		p->subsystem_device = cfg_read(p, PCI_SUBSYSTEM_ID, 2);
		pci_read_bases(p, 6);
	} else if (p->hdr_type == PCI_HEADER_TYPE_BRIDGE) {
		pci_read_bases(p, 2);
		p->secondary = cfg_read(p, PCI_SECONDARY_BUS, 1);
		p->subordinate = cfg_read(p, PCI_SUBORDINATE_BUS, 1);
	}
	if (p->irq_pin && p->irq_line && p->irq_line != 0xff) {
		struct resource *r = &p->resource[PCI_IRQ_RESOURCE];

		strlcpy(p->res_names[PCI_IRQ_RESOURCE], "INTx", 8);
		r->name = p->res_names[PCI_IRQ_RESOURCE];
		r->start = r->end = p->irq_line;
		r->flags = IORESOURCE_IRQ;
	}
	device_initialize(&p->dev);
	p->dev.bus = &pci_bus_type;
	p->dev.parent = parent;
	p->dev.release = pci_release_dev;
	/* Linux's default: a function can address 32 bits until its driver says more. */
	p->dma_mask = 0xffffffffULL;
	p->dev.dma_mask = &p->dma_mask;
	p->dev.coherent_dma_mask = 0xffffffffULL;
	dev_set_name(&p->dev, "%04x:%02x:%02x.%u", p->segment, bus, PCI_SLOT(devfn),
		     PCI_FUNC(devfn));
	pci_setup_caps(p);
	return p;
}

/* Enter @p's BARs and add it (drivers probe): 0, or its reference is dropped. */
static int pci_bus_add_device(struct pci_dev *p)
{
	int ret;

	/*
	 * Before device_add(), which probes drivers: their region claims
	 * must nest under the BARs, not land under the root and block them.
	 */
	pci_claim_bars(p);
	ret = device_add(&p->dev);
	if (ret) {
		put_device(&p->dev);
		return ret;
	}
	nr_functions++;
	return 0;
}

static void pci_scan_function(u8 bus, u8 devfn, struct device *parent)
{
	struct pci_dev *p = pci_scan_single_device(bus, devfn, parent);

	if (!p || pci_bus_add_device(p))
		return;
	if (p->hdr_type == PCI_HEADER_TYPE_BRIDGE && p->secondary > bus)
		pci_scan_bus(p->secondary, &p->dev);
}

static void pci_scan_bus(u8 bus, struct device *parent)
{
	if (test_bit(bus, scanned)) {
		pr_warn("bus %02x reached twice: bridge loop ignored\n", bus);
		return;
	}
	__set_bit(bus, scanned);
	for (u8 slot = 0; slot < 32; slot++) {
		u32 vendor, hdr;

		pci_bus_read_config(0, bus, PCI_DEVFN(slot, 0), PCI_VENDOR_ID, 2, &vendor);
		if (vendor == 0xffff || vendor == 0)
			continue;
		pci_bus_read_config(0, bus, PCI_DEVFN(slot, 0), PCI_HEADER_TYPE, 1, &hdr);
		for (u8 fn = 0; fn < ((hdr & PCI_HEADER_MULTIFUNC) ? 8 : 1); fn++) {
			if (fn) {
				pci_bus_read_config(0, bus, PCI_DEVFN(slot, fn), PCI_VENDOR_ID,
						    2, &vendor);
				if (vendor == 0xffff || vendor == 0)
					continue;
			}
			pci_scan_function(bus, PCI_DEVFN(slot, fn), parent);
		}
	}
}

/* Serialises hot-add and hot-removal with each other. */
static DEFINE_MUTEX(pci_rescan_remove_lock);

/* Is function @devfn of @bus a registered pci_dev already? */
static bool pci_function_known(u8 bus, u8 devfn)
{
	char name[DEVICE_NAME_LEN];
	struct device *dev;

	snprintf(name, sizeof(name), "%04x:%02x:%02x.%u", 0, bus, PCI_SLOT(devfn),
		 PCI_FUNC(devfn));
	dev = bus_find_device_by_name(&pci_bus_type, name);
	put_device(dev);
	return dev;
}

/* Take @dev's BARs out of the resource tree (no driver holds a claim now). */
static void pci_release_bars(struct pci_dev *dev)
{
	for (unsigned int i = 0; i < PCI_NUM_BARS; i++)
		if (dev->resource[i].parent && release_resource(&dev->resource[i]))
			dev_err(&dev->dev, "BAR%u still claimed after removal\n", i);
}

/* Function @devfn present (vendor ID readable)? */
static bool pci_function_present(u8 bus, u8 devfn)
{
	u32 vendor = 0xffff;

	pci_bus_read_config(0, bus, devfn, PCI_VENDOR_ID, 2, &vendor);
	return vendor != 0xffff && vendor != 0;
}

int pci_scan_slot(struct pci_dev *bridge, int devfn)
{
	u8 bus = bridge->secondary;
	unsigned int nfn = 1;
	int added = 0;
	u32 hdr = 0;

	if (bridge->hdr_type != PCI_HEADER_TYPE_BRIDGE || !bus || PCI_FUNC(devfn)) {
		dev_err(&bridge->dev, "pci_scan_slot: not a bridge with a secondary bus, or devfn %#x is not function 0\n",
			devfn);
		return -EINVAL;
	}
	mutex_lock(&pci_rescan_remove_lock);
	if (pci_function_present(bus, devfn)) {
		pci_bus_read_config(0, bus, devfn, PCI_HEADER_TYPE, 1, &hdr);
		nfn = (hdr & PCI_HEADER_MULTIFUNC) ? 8 : 1;
	} else {
		nfn = 0;
	}
	for (unsigned int fn = 0; fn < nfn; fn++) {
		u8 df = devfn | fn;
		struct pci_dev *p;

		if (!pci_function_present(bus, df) || pci_function_known(bus, df))
			continue;
		p = pci_scan_single_device(bus, df, &bridge->dev);
		if (!p)
			break;
		/* A bridge below would need bus numbers too: not supported. */
		if (p->hdr_type != PCI_HEADER_TYPE_NORMAL) {
			dev_err(&p->dev, "hot-added function is not a type 0 endpoint: ignored\n");
			put_device(&p->dev);
			continue;
		}
		/*
		 * A BAR left without an address would still decode its old one
		 * once the driver enables memory or I/O: no such function.
		 */
		if (pci_assign_unassigned_resources(p)) {
			dev_err(&p->dev, "hot-added function has unassigned BARs: ignored\n");
			pci_release_bars(p);
			put_device(&p->dev);
			continue;
		}
		if (!pci_bus_add_device(p))
			added++;
	}
	mutex_unlock(&pci_rescan_remove_lock);
	return added;
}
EXPORT_SYMBOL_GPL(pci_scan_slot);

void pci_stop_and_remove_bus_device(struct pci_dev *dev)
{
	mutex_lock(&pci_rescan_remove_lock);
	if (!dev->dev.registered) {
		mutex_unlock(&pci_rescan_remove_lock);
		dev_err(&dev->dev, "pci_stop_and_remove_bus_device: not registered\n");
		return;
	}
	/*
	 * As Linux's pci_stop_dev() then pci_destroy_dev(): the driver goes
	 * first, so that its remove() deletes the child devices it created
	 * (a virtio device), then the function itself, with its uevents.
	 */
	device_release_driver(&dev->dev);
	device_del(&dev->dev);
	/*
	 * The address ranges are free for the next device in the slot at
	 * once; the struct lives on while users hold references.
	 */
	pci_release_bars(dev);
	nr_functions--;
	mutex_unlock(&pci_rescan_remove_lock);
	put_device(&dev->dev);
}
EXPORT_SYMBOL_GPL(pci_stop_and_remove_bus_device);

unsigned int pci_nr_devices(void)
{
	return nr_functions;
}
EXPORT_SYMBOL_GPL(pci_nr_devices);

static int __init pci_subsys_init(void)
{
	u32 v, hdr;
	int ret;

	ret = bus_register(&pci_bus_type);
	if (ret)
		return ret;
	pci_ecam_init();
	pci_conf1_read(0, 0, PCI_VENDOR_ID, 2, &v);
	if (v == 0xffff && !pci_ecam_active()) {
		pr_info("no host bridge answers at 00:00.0: no PCI\n");
		return -ENODEV;
	}
	device_initialize(&pci_host);
	pci_host.release = pci_host_release;
	ret = device_add(&pci_host);
	if (ret)
		return ret;
	pci_bus_read_config(0, 0, 0, PCI_HEADER_TYPE, 1, &hdr);
	pci_scan_bus(0, &pci_host);
	if (hdr & PCI_HEADER_MULTIFUNC)
		for (u8 fn = 1; fn < 8; fn++) {
			pci_bus_read_config(0, 0, PCI_DEVFN(0, fn), PCI_VENDOR_ID, 2, &v);
			if (v != 0xffff && !test_bit(fn, scanned))
				pci_scan_bus(fn, &pci_host);
		}
	pr_info("%u functions found%s\n", nr_functions,
		pci_ecam_active() ? " (ECAM)" : " (mechanism #1)");
	return 0;
}
subsys_initcall(pci_subsys_init);
