// SPDX-License-Identifier: GPL-2.0
/*
 * The raw MSI/MSI-X capability layer (include/exo/msi.h): decode the
 * capabilities, program messages, per-vector masks and the enable bits.
 * IRQ numbers and vectors are the IRQ core's business.
 *
 * The MSI-X table lives in a BAR the device chose; where it says the table
 * is comes from the device, so it is checked against the BAR's size
 * before anything is mapped.
 */
#define pr_fmt(fmt) "pci: " fmt

#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/msi.h>
#include <exo/pci.h>
#include <asm/io.h>

static u16 msi_flags(struct pci_dev *pdev)
{
	u16 flags = 0;

	pci_read_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS, &flags);
	return flags;
}

static u16 msix_flags(struct pci_dev *pdev)
{
	u16 flags = 0;

	pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS, &flags);
	return flags;
}

int pci_msi_read_info(struct pci_dev *pdev, struct pci_msi_info *info)
{
	u16 flags;

	if (!pdev->msi_cap)
		return -EINVAL;
	flags = msi_flags(pdev);
	/* Encodings above 32 vectors are reserved: clamp as Linux does. */
	info->nvec_capable = 1u << min(((flags & PCI_MSI_FLAGS_QMASK) >> 1), 5);
	info->nvec_enabled = 1u << min(((flags & PCI_MSI_FLAGS_QSIZE) >> 4), 5);
	info->is_64bit = flags & PCI_MSI_FLAGS_64BIT;
	info->maskable = flags & PCI_MSI_FLAGS_MASKBIT;
	info->enabled = flags & PCI_MSI_FLAGS_ENABLE;
	return 0;
}
EXPORT_SYMBOL_GPL(pci_msi_read_info);

int pci_msix_read_info(struct pci_dev *pdev, struct pci_msix_info *info)
{
	u32 table = 0, pba = 0;
	u16 flags;

	if (!pdev->msix_cap)
		return -EINVAL;
	flags = msix_flags(pdev);
	pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_TABLE, &table);
	pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_PBA, &pba);
	info->table_size = (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
	info->table_bir = table & PCI_MSIX_TABLE_BIR;
	info->table_offset = table & PCI_MSIX_TABLE_OFFSET;
	info->pba_bir = pba & PCI_MSIX_PBA_BIR;
	info->pba_offset = pba & PCI_MSIX_PBA_OFFSET;
	info->enabled = flags & PCI_MSIX_FLAGS_ENABLE;
	info->masked_all = flags & PCI_MSIX_FLAGS_MASKALL;
	return 0;
}
EXPORT_SYMBOL_GPL(pci_msix_read_info);

int pci_msi_vec_count(struct pci_dev *pdev)
{
	struct pci_msi_info info;
	int ret = pci_msi_read_info(pdev, &info);

	return ret ? ret : (int)info.nvec_capable;
}
EXPORT_SYMBOL_GPL(pci_msi_vec_count);

int pci_msix_vec_count(struct pci_dev *pdev)
{
	if (!pdev->msix_cap)
		return -EINVAL;
	return (msix_flags(pdev) & PCI_MSIX_FLAGS_QSIZE) + 1;
}
EXPORT_SYMBOL_GPL(pci_msix_vec_count);

int pci_msi_write_msg(struct pci_dev *pdev, const struct msi_msg *msg)
{
	unsigned int pos = pdev->msi_cap;
	u16 flags;

	if (!pos)
		return -EINVAL;
	flags = msi_flags(pdev);
	pci_write_config_dword(pdev, pos + PCI_MSI_ADDRESS_LO, msg->address_lo);
	if (flags & PCI_MSI_FLAGS_64BIT) {
		pci_write_config_dword(pdev, pos + PCI_MSI_ADDRESS_HI, msg->address_hi);
		pci_write_config_word(pdev, pos + PCI_MSI_DATA_64, msg->data);
	} else {
		if (msg->address_hi) {
			dev_err(&pdev->dev, "MSI: address %#x%08x beyond a 32-bit capability\n",
				msg->address_hi, msg->address_lo);
			return -EINVAL;
		}
		pci_write_config_word(pdev, pos + PCI_MSI_DATA_32, msg->data);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(pci_msi_write_msg);

int pci_msi_read_msg(struct pci_dev *pdev, struct msi_msg *msg)
{
	unsigned int pos = pdev->msi_cap;
	u16 data = 0;

	if (!pos)
		return -EINVAL;
	msg->address_hi = 0;
	pci_read_config_dword(pdev, pos + PCI_MSI_ADDRESS_LO, &msg->address_lo);
	if (msi_flags(pdev) & PCI_MSI_FLAGS_64BIT) {
		pci_read_config_dword(pdev, pos + PCI_MSI_ADDRESS_HI, &msg->address_hi);
		pci_read_config_word(pdev, pos + PCI_MSI_DATA_64, &data);
	} else {
		pci_read_config_word(pdev, pos + PCI_MSI_DATA_32, &data);
	}
	msg->data = data;
	return 0;
}
EXPORT_SYMBOL_GPL(pci_msi_read_msg);

/* Offset of the mask register, 0 without masking, -EINVAL for a bad @nr. */
static int msi_mask_reg(struct pci_dev *pdev, unsigned int nr, const char *what)
{
	struct pci_msi_info info;

	if (pci_msi_read_info(pdev, &info))
		return -EINVAL;
	if (nr >= info.nvec_capable) {
		dev_err(&pdev->dev, "MSI %s: vector %u of %u\n", what, nr, info.nvec_capable);
		return -EINVAL;
	}
	if (!info.maskable)
		return 0;
	return pdev->msi_cap + (info.is_64bit ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);
}

int pci_msi_set_mask(struct pci_dev *pdev, unsigned int nr, bool mask)
{
	int reg = msi_mask_reg(pdev, nr, "mask");
	unsigned long flags;
	u32 bits;
	int ret;

	if (reg < 0)
		return reg;
	if (!reg) {
		dev_err(&pdev->dev, "MSI: no per-vector masking\n");
		return -EOPNOTSUPP;
	}
	/* One register for all the function's vectors, each with its own IRQ lock. */
	spin_lock_irqsave(&pdev->msi_lock, flags);
	ret = pci_read_config_dword(pdev, reg, &bits);
	if (!ret) {
		bits = mask ? bits | 1u << nr : bits & ~(1u << nr);
		ret = pci_write_config_dword(pdev, reg, bits);
	}
	spin_unlock_irqrestore(&pdev->msi_lock, flags);
	return ret ? -EINVAL : 0;
}
EXPORT_SYMBOL_GPL(pci_msi_set_mask);

int pci_msi_masked(struct pci_dev *pdev, unsigned int nr)
{
	int reg = msi_mask_reg(pdev, nr, "mask state");
	u32 bits = 0;

	if (reg <= 0)
		return reg;
	pci_read_config_dword(pdev, reg, &bits);
	return !!(bits & 1u << nr);
}
EXPORT_SYMBOL_GPL(pci_msi_masked);

int pci_msi_set_enable(struct pci_dev *pdev, unsigned int nvec)
{
	int max = pci_msi_vec_count(pdev);
	u16 flags;

	if (max < 0)
		return max;
	if (nvec > (unsigned int)max || (nvec & (nvec - 1))) {
		dev_err(&pdev->dev, "MSI: cannot enable %u vectors (capable of %d)\n", nvec, max);
		return -EINVAL;
	}
	if (nvec && pdev->msix_cap && (msix_flags(pdev) & PCI_MSIX_FLAGS_ENABLE)) {
		dev_err(&pdev->dev, "MSI: MSI-X is enabled\n");
		return -EINVAL;
	}
	flags = msi_flags(pdev) & ~(PCI_MSI_FLAGS_QSIZE | PCI_MSI_FLAGS_ENABLE);
	if (nvec)
		flags |= (__builtin_ctz(nvec) << 4) | PCI_MSI_FLAGS_ENABLE;
	pci_write_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS, flags);
	pdev->msi_enabled = nvec;
	pci_intx(pdev, !nvec);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_msi_set_enable);

int pci_msix_map_table(struct pci_dev *pdev)
{
	struct pci_msix_info info;
	u64 len, size;

	if (pdev->msix_base)
		return 0;
	if (pci_msix_read_info(pdev, &info))
		return -EINVAL;
	size = (u64)info.table_size * PCI_MSIX_ENTRY_SIZE;
	len = info.table_bir < PCI_NUM_BARS ? pci_resource_len(pdev, info.table_bir) : 0;
	if (!len || !(pci_resource_flags(pdev, info.table_bir) & IORESOURCE_MEM) ||
	    info.table_offset > len || size > len - info.table_offset) {
		dev_err(&pdev->dev, "MSI-X table (BAR%u + %#x, %u entries) not inside a memory BAR of %#llx bytes\n",
			info.table_bir, info.table_offset, info.table_size, len);
		return -EINVAL;
	}
	pdev->msix_base = ioremap(pci_resource_start(pdev, info.table_bir) + info.table_offset,
				  size);
	return pdev->msix_base ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_GPL(pci_msix_map_table);

void pci_msix_unmap_table(struct pci_dev *pdev)
{
	if (pdev->msix_base)
		iounmap(pdev->msix_base);
	pdev->msix_base = NULL;
}
EXPORT_SYMBOL_GPL(pci_msix_unmap_table);

static void __iomem *msix_entry(struct pci_dev *pdev, unsigned int entry, const char *what)
{
	int n = pci_msix_vec_count(pdev);

	if (!pdev->msix_base || n < 0 || entry >= (unsigned int)n) {
		dev_err(&pdev->dev, "MSI-X %s: entry %u %s\n", what, entry,
			!pdev->msix_base ? "(table not mapped)" : "out of range");
		return NULL;
	}
	return (u8 __iomem *)pdev->msix_base + entry * PCI_MSIX_ENTRY_SIZE;
}

int pci_msix_write_msg(struct pci_dev *pdev, unsigned int entry, const struct msi_msg *msg)
{
	u8 __iomem *e = msix_entry(pdev, entry, "write");

	if (!e)
		return -EINVAL;
	writel(msg->address_lo, e + PCI_MSIX_ENTRY_LOWER_ADDR);
	writel(msg->address_hi, e + PCI_MSIX_ENTRY_UPPER_ADDR);
	writel(msg->data, e + PCI_MSIX_ENTRY_DATA);
	readl(e + PCI_MSIX_ENTRY_DATA);		/* flush the posted writes */
	return 0;
}
EXPORT_SYMBOL_GPL(pci_msix_write_msg);

int pci_msix_read_msg(struct pci_dev *pdev, unsigned int entry, struct msi_msg *msg)
{
	u8 __iomem *e = msix_entry(pdev, entry, "read");

	if (!e)
		return -EINVAL;
	msg->address_lo = readl(e + PCI_MSIX_ENTRY_LOWER_ADDR);
	msg->address_hi = readl(e + PCI_MSIX_ENTRY_UPPER_ADDR);
	msg->data = readl(e + PCI_MSIX_ENTRY_DATA);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_msix_read_msg);

int pci_msix_set_mask(struct pci_dev *pdev, unsigned int entry, bool mask)
{
	u8 __iomem *e = msix_entry(pdev, entry, "mask");
	u32 ctrl;

	if (!e)
		return -EINVAL;
	ctrl = readl(e + PCI_MSIX_ENTRY_VECTOR_CTRL);
	ctrl = mask ? ctrl | PCI_MSIX_ENTRY_CTRL_MASKBIT : ctrl & ~PCI_MSIX_ENTRY_CTRL_MASKBIT;
	writel(ctrl, e + PCI_MSIX_ENTRY_VECTOR_CTRL);
	readl(e + PCI_MSIX_ENTRY_VECTOR_CTRL);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_msix_set_mask);

int pci_msix_masked(struct pci_dev *pdev, unsigned int entry)
{
	u8 __iomem *e = msix_entry(pdev, entry, "mask state");

	if (!e)
		return -EINVAL;
	return !!(readl(e + PCI_MSIX_ENTRY_VECTOR_CTRL) & PCI_MSIX_ENTRY_CTRL_MASKBIT);
}
EXPORT_SYMBOL_GPL(pci_msix_masked);

static int msix_update_flags(struct pci_dev *pdev, u16 clear, u16 set)
{
	if (!pdev->msix_cap)
		return -EINVAL;
	return pci_write_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS,
				     (msix_flags(pdev) & ~clear) | set) ? -EINVAL : 0;
}

int pci_msix_set_enable(struct pci_dev *pdev, bool enable)
{
	int ret;

	if (!pdev->msix_cap)
		return -EINVAL;
	if (enable && pdev->msi_cap && (msi_flags(pdev) & PCI_MSI_FLAGS_ENABLE)) {
		dev_err(&pdev->dev, "MSI-X: MSI is enabled\n");
		return -EINVAL;
	}
	ret = msix_update_flags(pdev, enable ? 0 : PCI_MSIX_FLAGS_ENABLE,
				enable ? PCI_MSIX_FLAGS_ENABLE : 0);
	if (ret)
		return ret;
	pdev->msix_enabled = enable;
	pci_intx(pdev, !enable);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_msix_set_enable);

int pci_msix_set_maskall(struct pci_dev *pdev, bool mask)
{
	return msix_update_flags(pdev, mask ? 0 : PCI_MSIX_FLAGS_MASKALL,
				 mask ? PCI_MSIX_FLAGS_MASKALL : 0);
}
EXPORT_SYMBOL_GPL(pci_msix_set_maskall);
