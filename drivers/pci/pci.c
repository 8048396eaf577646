// SPDX-License-Identifier: GPL-2.0
/*
 * PCI function setup, as Linux's drivers/pci/pci.c shapes it: capability
 * list walks, power state, enable/disable with a count, bus mastering,
 * INTx disable, BAR claims in the resource tree, and the managed (pcim_,
 * devm_) variants.
 *
 * Capability lists come from the device, so they are not trusted: a walk
 * stops after as many entries as the space can hold (a loop ends), and a
 * pointer into the header ends it with a log line.  Bits 1:0 of a pointer
 * are reserved (the spec and Linux mask them), so they are ignored.
 */
#define pr_fmt(fmt) "pci: " fmt

#include <exo/errno.h>
#include <exo/export.h>
#include <exo/pci.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/time.h>
#include <asm/io.h>
#include "pci.h"

#define PCI_STD_HEADER_END	0x40

/* Follow the next pointer stored at @where until capability @cap. */
static u8 find_next_cap_ttl(struct pci_dev *pdev, unsigned int where, int cap)
{
	int ttl = PCI_FIND_CAP_TTL;
	u8 pos;

	if (pci_read_config_byte(pdev, where, &pos))
		return 0;
	while (ttl--) {
		u16 ent;

		pos &= ~3;
		if (!pos)
			return 0;
		if (pos < PCI_STD_HEADER_END) {
			dev_err(&pdev->dev, "capability pointer %#x at %#x into the header: list ignored\n",
				pos, where);
			return 0;
		}
		if (pci_read_config_word(pdev, pos, &ent))
			return 0;
		if ((ent & 0xff) == 0xff)	/* the function went away */
			return 0;
		if (cap == PCI_CAP_ANY || (ent & 0xff) == cap)
			return pos;
		where = pos + PCI_CAP_LIST_NEXT;
		pos = ent >> 8;
	}
	dev_err(&pdev->dev, "capability list longer than %d entries (a loop?): ended\n",
		PCI_FIND_CAP_TTL);
	return 0;
}

u8 pci_find_next_capability(struct pci_dev *pdev, u8 pos, int cap)
{
	return find_next_cap_ttl(pdev, pos + PCI_CAP_LIST_NEXT, cap);
}
EXPORT_SYMBOL_GPL(pci_find_next_capability);

u8 pci_find_capability(struct pci_dev *pdev, int cap)
{
	u16 status;

	if (pci_read_config_word(pdev, PCI_STATUS, &status) || status == 0xffff ||
	    !(status & PCI_STATUS_CAP_LIST))
		return 0;
	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL && pdev->hdr_type != PCI_HEADER_TYPE_BRIDGE)
		return 0;
	return find_next_cap_ttl(pdev, PCI_CAPABILITY_LIST, cap);
}
EXPORT_SYMBOL_GPL(pci_find_capability);

u16 pci_find_next_ext_capability(struct pci_dev *pdev, u16 start, int cap)
{
	int ttl = PCI_EXT_CAP_TTL;
	u16 pos = start ? start : PCI_CFG_SPACE_SIZE;
	u32 header;

	if (pdev->cfg_size <= PCI_CFG_SPACE_SIZE)
		return 0;
	if (pos < PCI_CFG_SPACE_SIZE || pos >= pdev->cfg_size || (pos & 3)) {
		dev_err(&pdev->dev, "extended capability offset %#x out of range\n", pos);
		return 0;
	}
	if (pci_read_config_dword(pdev, pos, &header) || !header || header == ~0u)
		return 0;
	while (ttl-- > 0) {
		u32 next = (header >> 20) & ~3u;	/* bits 1:0 reserved */

		if ((cap == PCI_CAP_ANY || (int)PCI_EXT_CAP_ID(header) == cap) && pos != start)
			return pos;
		if (!next)
			return 0;
		if (next < PCI_CFG_SPACE_SIZE) {
			dev_err(&pdev->dev, "extended capability pointer %#x at %#x below 0x100: list ignored\n",
				next, pos);
			return 0;
		}
		pos = next;
		if (pci_read_config_dword(pdev, pos, &header) || header == ~0u)
			return 0;
	}
	dev_err(&pdev->dev, "extended capability list longer than %d entries (a loop?): ended\n",
		PCI_EXT_CAP_TTL);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_find_next_ext_capability);

u16 pci_find_ext_capability(struct pci_dev *pdev, int cap)
{
	return pci_find_next_ext_capability(pdev, 0, cap);
}
EXPORT_SYMBOL_GPL(pci_find_ext_capability);

int pci_pcie_type(struct pci_dev *pdev)
{
	u16 flags;

	if (!pdev->pcie_cap || pci_read_config_word(pdev, pdev->pcie_cap + PCI_EXP_FLAGS, &flags))
		return -EINVAL;
	return (flags & PCI_EXP_FLAGS_TYPE) >> 4;
}
EXPORT_SYMBOL_GPL(pci_pcie_type);

void pci_setup_caps(struct pci_dev *pdev)
{
	u32 header;
	u16 pmcsr;

	pdev->cfg_size = PCI_CFG_SPACE_SIZE;
	pdev->current_state = PCI_D0;
	pdev->pm_cap = pci_find_capability(pdev, PCI_CAP_ID_PM);
	pdev->msi_cap = pci_find_capability(pdev, PCI_CAP_ID_MSI);
	pdev->msix_cap = pci_find_capability(pdev, PCI_CAP_ID_MSIX);
	pdev->pcie_cap = pci_find_capability(pdev, PCI_CAP_ID_EXP);
	/* Extended space only answers through ECAM, and only on PCIe functions. */
	if (pdev->pcie_cap && !pci_bus_read_config(pdev->segment, pdev->bus, pdev->devfn,
						  PCI_CFG_SPACE_SIZE, 4, &header) &&
	    header != ~0u)
		pdev->cfg_size = PCI_CFG_SPACE_EXP_SIZE;
	if (pdev->pm_cap && !pci_read_config_word(pdev, pdev->pm_cap + PCI_PM_CTRL, &pmcsr))
		pdev->current_state = pmcsr & PCI_PM_CTRL_STATE_MASK;
}

int pci_set_power_state(struct pci_dev *pdev, int state)
{
	u16 pmcsr, cur;

	if (state < PCI_D0 || state > PCI_D3hot) {
		dev_err(&pdev->dev, "no power state D%d\n", state);
		return -EINVAL;
	}
	if (!pdev->pm_cap) {
		if (state == PCI_D0)
			return 0;
		dev_err(&pdev->dev, "no PM capability: cannot enter D%d\n", state);
		return -EIO;
	}
	if (pci_read_config_word(pdev, pdev->pm_cap + PCI_PM_CTRL, &pmcsr))
		return -EIO;
	cur = pmcsr & PCI_PM_CTRL_STATE_MASK;
	if (cur != state) {
		/* Bit 15 (PME_Status) is write-one-to-clear: leave it alone. */
		pmcsr = (pmcsr & ~(PCI_PM_CTRL_STATE_MASK | 0x8000)) | state;
		if (pci_write_config_word(pdev, pdev->pm_cap + PCI_PM_CTRL, pmcsr))
			return -EIO;
		/* PCI PM 1.2 table 5-6: recovery times before the next access. */
		if (cur == PCI_D3hot || state == PCI_D3hot)
			msleep(PCI_PM_D3HOT_WAIT);
		else if (cur == PCI_D2 || state == PCI_D2)
			udelay(PCI_PM_D2_DELAY);
		if (pci_read_config_word(pdev, pdev->pm_cap + PCI_PM_CTRL, &pmcsr))
			return -EIO;
		if ((pmcsr & PCI_PM_CTRL_STATE_MASK) != state) {
			pdev->current_state = pmcsr & PCI_PM_CTRL_STATE_MASK;
			dev_err(&pdev->dev, "refused D%u -> D%d (stays in D%u)\n", cur, state,
				pdev->current_state);
			return -EIO;
		}
	}
	pdev->current_state = state;
	return 0;
}
EXPORT_SYMBOL_GPL(pci_set_power_state);

static int update_command(struct pci_dev *pdev, u16 clear, u16 set)
{
	u16 cmd;

	if (pci_read_config_word(pdev, PCI_COMMAND, &cmd) ||
	    pci_write_config_word(pdev, PCI_COMMAND, (cmd & ~clear) | set)) {
		dev_err(&pdev->dev, "cannot write the command register\n");
		return -EIO;
	}
	return 0;
}

static int do_pci_enable_device(struct pci_dev *pdev)
{
	u16 want = 0;

	if (pci_set_power_state(pdev, PCI_D0))
		return -EIO;
	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		if (pdev->resource[i].flags & IORESOURCE_IO)
			want |= PCI_COMMAND_IO;
		if (pdev->resource[i].flags & IORESOURCE_MEM)
			want |= PCI_COMMAND_MEMORY;
	}
	return update_command(pdev, 0, want);
}

int pci_enable_device(struct pci_dev *pdev)
{
	int ret;

	if (atomic_inc_return(&pdev->enable_cnt) > 1)
		return 0;
	ret = do_pci_enable_device(pdev);
	if (ret)
		atomic_dec(&pdev->enable_cnt);
	return ret;
}
EXPORT_SYMBOL_GPL(pci_enable_device);

void pci_disable_device(struct pci_dev *pdev)
{
	int cnt = atomic_dec_return(&pdev->enable_cnt);

	if (cnt < 0) {
		atomic_inc(&pdev->enable_cnt);
		dev_err(&pdev->dev, "pci_disable_device() without pci_enable_device()\n");
		return;
	}
	if (cnt == 0)
		pci_clear_master(pdev);
}
EXPORT_SYMBOL_GPL(pci_disable_device);

static void pcim_disable(void *data)
{
	struct pci_dev *pdev = data;

	/*
	 * A managed function's plain pci_request_region() claims end with the
	 * binding, as in Linux.  This action was added first, so it runs last:
	 * pcim_iomap_regions() has released its own claims by now.
	 */
	pci_release_regions(pdev);
	if (pci_is_enabled(pdev))
		pci_disable_device(pdev);
	pdev->is_managed = false;
}

int pcim_enable_device(struct pci_dev *pdev)
{
	int ret = pci_enable_device(pdev);

	if (ret)
		return ret;
	ret = devm_add_action_or_reset(&pdev->dev, pcim_disable, pdev);
	if (!ret)
		pdev->is_managed = true;
	return ret;
}
EXPORT_SYMBOL_GPL(pcim_enable_device);

void pci_set_master(struct pci_dev *pdev)
{
	if (!update_command(pdev, 0, PCI_COMMAND_MASTER))
		pdev->is_busmaster = true;
}
EXPORT_SYMBOL_GPL(pci_set_master);

void pci_clear_master(struct pci_dev *pdev)
{
	if (!update_command(pdev, PCI_COMMAND_MASTER, 0))
		pdev->is_busmaster = false;
}
EXPORT_SYMBOL_GPL(pci_clear_master);

void pci_intx(struct pci_dev *pdev, int enable)
{
	if (enable)
		update_command(pdev, PCI_COMMAND_INTX_DISABLE, 0);
	else
		update_command(pdev, 0, PCI_COMMAND_INTX_DISABLE);
}
EXPORT_SYMBOL_GPL(pci_intx);
