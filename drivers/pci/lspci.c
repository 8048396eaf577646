// SPDX-License-Identifier: GPL-2.0
/*
 * The lspci shell command.  Plain: one line per function.  -v: as Linux's
 * `lspci -v`: subsystem, state (bus master, D-state, IRQ), every BAR with
 * its type and size, every capability decoded (read live from config
 * space, so enable bits are current), and the bound driver.
 */
#include <exo/errno.h>
#include <exo/msi.h>
#include <exo/pci.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include "pci.h"

static void lspci_bars(struct pci_dev *p)
{
	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		const struct resource *r = &p->resource[i];

		if (!r->flags)
			continue;
		if (resource_type(r) == IORESOURCE_IO)
			printk("\tRegion %u: I/O ports at %04llx [size=%llu]\n", i, r->start,
			       resource_size(r));
		else
			printk("\tRegion %u: Memory at %08llx (%s-bit, %sprefetchable) [size=%#llx]\n",
			       i, r->start, r->flags & IORESOURCE_MEM_64 ? "64" : "32",
			       r->flags & IORESOURCE_PREFETCH ? "" : "non-", resource_size(r));
	}
}

static const char *const pcie_types[] = {
	[PCI_EXP_TYPE_ENDPOINT] = "Endpoint", [PCI_EXP_TYPE_LEG_END] = "Legacy Endpoint",
	[PCI_EXP_TYPE_ROOT_PORT] = "Root Port", [PCI_EXP_TYPE_UPSTREAM] = "Upstream Port",
	[PCI_EXP_TYPE_DOWNSTREAM] = "Downstream Port",
	[PCI_EXP_TYPE_PCI_BRIDGE] = "PCI-Express to PCI/PCI-X Bridge",
	[PCI_EXP_TYPE_PCIE_BRIDGE] = "PCI/PCI-X to PCI-Express Bridge",
	[PCI_EXP_TYPE_RC_END] = "Root Complex Integrated Endpoint",
	[PCI_EXP_TYPE_RC_EC] = "Root Complex Event Collector",
};

static const char *en(bool b)
{
	return b ? "+" : "-";
}

/* End a capability's line with the IRQs of its vectors in use. */
static void lspci_vectors(struct pci_dev *p, bool enabled)
{
	unsigned int first, n = enabled ? pci_irq_vectors_info(p, &first) : 0;

	if (n == 1)
		printk(KERN_CONT " IRQ %u\n", first);
	else if (n)
		printk(KERN_CONT " IRQs %u-%u\n", first, first + n - 1);
	else
		printk(KERN_CONT "\n");
}

static void lspci_cap(struct pci_dev *p, u8 pos)
{
	u8 id = 0, len = 0;
	u16 flags = 0;

	pci_read_config_byte(p, pos + PCI_CAP_LIST_ID, &id);
	pci_read_config_word(p, pos + PCI_CAP_FLAGS, &flags);
	printk("\tCapabilities: [%02x] ", pos);
	switch (id) {
	case PCI_CAP_ID_PM: {
		u16 pmcsr = 0;

		pci_read_config_word(p, pos + PCI_PM_CTRL, &pmcsr);
		printk(KERN_CONT "Power Management version %u, current D%u\n",
		       flags & PCI_PM_CAP_VER_MASK, pmcsr & PCI_PM_CTRL_STATE_MASK);
		break;
	}
	case PCI_CAP_ID_MSI: {
		struct pci_msi_info mi;

		pci_msi_read_info(p, &mi);
		printk(KERN_CONT "MSI: Enable%s Count=%u/%u Maskable%s 64bit%s", en(mi.enabled),
		       mi.nvec_enabled, mi.nvec_capable, en(mi.maskable),
		       en(mi.is_64bit));
		lspci_vectors(p, mi.enabled);
		break;
	}
	case PCI_CAP_ID_MSIX: {
		struct pci_msix_info xi;

		pci_msix_read_info(p, &xi);
		printk(KERN_CONT "MSI-X: Enable%s Count=%u Masked%s Vector table: BAR=%u offset=%08x PBA: BAR=%u offset=%08x",
		       en(xi.enabled), xi.table_size, en(xi.masked_all), xi.table_bir,
		       xi.table_offset, xi.pba_bir, xi.pba_offset);
		lspci_vectors(p, xi.enabled);
		break;
	}
	case PCI_CAP_ID_EXP: {
		unsigned int type = (flags & PCI_EXP_FLAGS_TYPE) >> 4;

		printk(KERN_CONT "Express %s, version %u\n",
		       type < ARRAY_SIZE(pcie_types) && pcie_types[type] ? pcie_types[type] :
		       "(unknown type)", flags & PCI_EXP_FLAGS_VERS);
		if (flags & PCI_EXP_FLAGS_SLOT) {
			u32 cap = 0;
			u16 ctl = 0, sta = 0;

			/* What pciehp sees, as lspci -vv's SltCap/SltCtl/SltSta. */
			pci_read_config_dword(p, pos + PCI_EXP_SLTCAP, &cap);
			pci_read_config_word(p, pos + PCI_EXP_SLTCTL, &ctl);
			pci_read_config_word(p, pos + PCI_EXP_SLTSTA, &sta);
			printk("\t\tSlot #%u: HotPlug%s AttnBtn%s PwrCtrl%s SltCtl %#06x SltSta %#06x (Presence%s)\n",
			       cap >> 19, en(cap & PCI_EXP_SLTCAP_HPC), en(cap & PCI_EXP_SLTCAP_ABP),
			       en(cap & PCI_EXP_SLTCAP_PCP), ctl, sta, en(sta & PCI_EXP_SLTSTA_PDS));
		}
		break;
	}
	case PCI_CAP_ID_VNDR:
		pci_read_config_byte(p, pos + PCI_CAP_VNDR_LEN, &len);
		printk(KERN_CONT "Vendor Specific Information: Len=%02x\n", len);
		break;
	default:
		printk(KERN_CONT "Capability ID %#04x\n", id);
	}
}

/*
 * Each find call bounds its own walk, but this loop takes one hop per call,
 * so a looping list needs a budget of its own: no list holds more entries
 * than its space can.  Without it `lspci -v` would spin with dm_mutex held.
 */
unsigned int lspci_caps(struct pci_dev *p)
{
	unsigned int n = 0, budget = PCI_FIND_CAP_TTL;
	u8 pos;
	u16 epos;

	for (pos = pci_find_capability(p, PCI_CAP_ANY); pos && budget;
	     pos = pci_find_next_capability(p, pos, PCI_CAP_ANY), budget--, n++)
		lspci_cap(p, pos);
	if (pos)
		printk("\tCapabilities: list longer than %d entries (a loop?): ended\n",
		       PCI_FIND_CAP_TTL);
	budget = PCI_EXT_CAP_TTL;
	for (epos = pci_find_ext_capability(p, PCI_CAP_ANY); epos && budget;
	     epos = pci_find_next_ext_capability(p, epos, PCI_CAP_ANY), budget--, n++) {
		u32 header = 0;

		pci_read_config_dword(p, epos, &header);
		printk("\tCapabilities: [%03x v%u] Extended Capability ID %#06x\n", epos,
		       PCI_EXT_CAP_VER(header), PCI_EXT_CAP_ID(header));
	}
	if (epos)
		printk("\tCapabilities: extended list longer than %d entries (a loop?): ended\n",
		       (int)PCI_EXT_CAP_TTL);
	return n;
}

static int lspci_one(struct device *dev, void *data)
{
	struct pci_dev *p = to_pci_dev(dev);
	const char *cn = pci_class_name(p->class >> 8);
	bool verbose = *(bool *)data;
	u16 cmd = 0;

	printk("%02x:%02x.%u %04x: %04x:%04x (rev %02x) %s%s%s\n", p->bus, PCI_SLOT(p->devfn),
	       PCI_FUNC(p->devfn), p->class >> 8, p->vendor, p->device, p->revision,
	       cn ? cn : "Class", dev->driver ? ", driver " : "",
	       dev->driver ? dev->driver->name : "");
	if (!verbose)
		return 0;
	if (p->hdr_type == PCI_HEADER_TYPE_NORMAL)
		printk("\tSubsystem: %04x:%04x\n", p->subsystem_vendor, p->subsystem_device);
	pci_read_config_word(p, PCI_COMMAND, &cmd);
	printk("\tFlags: %s%s, D%u", cmd & PCI_COMMAND_MASTER ? "bus master, " : "",
	       cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY) ? "decoding" : "not decoding",
	       p->current_state);
	/* The routed IRQ (pdev->irq, MSI's first vector while on), as Linux shows. */
	if (p->irq_pin > 4)
		printk(KERN_CONT ", invalid interrupt pin %u", p->irq_pin);
	else if (p->irq_pin && p->irq)
		printk(KERN_CONT ", IRQ %u (INT%c#)%s", p->irq, 'A' + p->irq_pin - 1,
		       cmd & PCI_COMMAND_INTX_DISABLE ? " disabled" : "");
	else if (p->irq_pin)
		printk(KERN_CONT ", INT%c# not routed", 'A' + p->irq_pin - 1);
	else if (p->irq)
		printk(KERN_CONT ", IRQ %u", p->irq);
	printk(KERN_CONT "%s%s\n", p->msi_enabled ? ", MSI on" : "",
	       p->msix_enabled ? ", MSI-X on" : "");
	lspci_bars(p);
	if (p->hdr_type == PCI_HEADER_TYPE_BRIDGE)
		printk("\tBus: secondary=%02x, subordinate=%02x\n", p->secondary, p->subordinate);
	lspci_caps(p);
	if (dev->driver)
		printk("\tKernel driver in use: %s\n", dev->driver->name);
	return 0;
}

struct lspci_list {
	struct device **devs;
	unsigned int n, max;
};

static int lspci_count(struct device *dev, void *data)
{
	(*(unsigned int *)data)++;
	return 0;
}

static int lspci_collect(struct device *dev, void *data)
{
	struct lspci_list *l = data;

	if (l->n == l->max)	/* added since the count: left out */
		return 1;
	l->devs[l->n++] = get_device(dev);
	return 0;
}

/*
 * dm_mutex only keeps the bus's list stable; what lspci -v reads of a
 * device (its driver, its MSI vectors) changes at bind and unbind, under
 * device_lock().  So take a reference on each device under dm_mutex, then
 * print each under its own lock, as a probe or remove would hold it.
 */
static int cmd_lspci(int argc, char **argv)
{
	bool verbose = argc > 1;
	struct lspci_list l = { 0 };

	if (verbose && shell_arg_choice(argv[0], argv[1], "-v") < 0)
		return -EINVAL;
	if (!pci_bus_type.registered) {
		printk("lspci: no PCI bus\n");
		return -ENODEV;
	}
	bus_for_each_dev(&pci_bus_type, &l.max, lspci_count);
	l.devs = kcalloc(l.max ?: 1, sizeof(*l.devs), GFP_KERNEL);
	if (!l.devs) {
		printk("lspci: out of memory\n");
		return -ENOMEM;
	}
	bus_for_each_dev(&pci_bus_type, &l, lspci_collect);
	for (unsigned int i = 0; i < l.n; i++) {
		device_lock(l.devs[i]);
		lspci_one(l.devs[i], &verbose);
		device_unlock(l.devs[i]);
		put_device(l.devs[i]);
	}
	kfree(l.devs);
	return 0;
}
DEFINE_SHELL_CMD_ARGS(lspci, "[-v]", 0, 1,
		      "PCI functions and their drivers (-v: BARs, IRQ, capabilities)", cmd_lspci);
