/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message Signalled Interrupts: the raw capability layer.
 *
 * An MSI or MSI-X interrupt is a memory write of msg.data to the 64-bit
 * address address_hi:address_lo, which the device makes when it wants to
 * interrupt.  The IRQ core composes the message (destination APIC ID and
 * vector, include/exo/irq.h); this layer only reads the capabilities and
 * programs messages, masks and enables into the device:
 *
 *  - MSI: one message in config space, 1-32 vectors (power of two) that
 *    differ in the low bits of data; optional 64-bit address and optional
 *    per-vector mask bits.
 *  - MSI-X: a table in a memory BAR, one 16-byte entry (address, data,
 *    vector control with a mask bit) per vector, up to 2048.
 *
 * Nothing here allocates IRQ numbers: pci_alloc_irq_vectors() in the IRQ
 * core does, on top of these calls.  The callers serialise per device (a
 * driver's probe/remove, or the IRQ core's per-IRQ lock).
 */
#ifndef _EXO_MSI_H
#define _EXO_MSI_H

#include <exo/irq.h>		/* struct msi_msg */
#include <exo/types.h>

struct pci_dev;

/**
 * struct pci_msi_info - a function's MSI capability, decoded
 * @nvec_capable: vectors the function can use (1, 2, 4, ..., 32)
 * @nvec_enabled: vectors enabled in the Multiple Message Enable field
 * @is_64bit: the address register is 64 bits wide
 * @maskable: per-vector mask and pending bits exist
 * @enabled: the MSI Enable bit is set
 */
struct pci_msi_info {
	unsigned int nvec_capable, nvec_enabled;
	bool is_64bit, maskable, enabled;
};

/**
 * struct pci_msix_info - a function's MSI-X capability, decoded
 * @table_size: entries in the table (1-2048)
 * @table_bir: the BAR holding the table
 * @table_offset: its offset in that BAR (8-byte aligned)
 * @pba_bir: the BAR holding the pending bit array
 * @pba_offset: its offset
 * @enabled: the MSI-X Enable bit is set
 * @masked_all: the Function Mask bit is set
 */
struct pci_msix_info {
	unsigned int table_size;
	u8 table_bir, pba_bir;
	u32 table_offset, pba_offset;
	bool enabled, masked_all;
};

/**
 * pci_msi_read_info() - decode @pdev's MSI capability into @info
 * Return: 0, or -EINVAL if the function has no MSI capability.
 */
int pci_msi_read_info(struct pci_dev *pdev, struct pci_msi_info *info);

/**
 * pci_msix_read_info() - decode @pdev's MSI-X capability into @info
 * Return: 0, or -EINVAL if the function has no MSI-X capability.
 */
int pci_msix_read_info(struct pci_dev *pdev, struct pci_msix_info *info);

/**
 * pci_msi_vec_count() - vectors the MSI capability offers
 * Return: 1-32, or -EINVAL without MSI.
 */
int pci_msi_vec_count(struct pci_dev *pdev);

/**
 * pci_msix_vec_count() - entries in the MSI-X table
 * Return: 1-2048, or -EINVAL without MSI-X.
 */
int pci_msix_vec_count(struct pci_dev *pdev);

/**
 * pci_msi_write_msg() - program the MSI message (vector N of a multi-
 * message MSI signals with data + N)
 * Return: 0; -EINVAL without MSI, or (logged) a 32-bit capability given
 * a non-zero @msg->address_hi.
 */
int pci_msi_write_msg(struct pci_dev *pdev, const struct msi_msg *msg);

/** pci_msi_read_msg() - read back the MSI message.  Return: as above. */
int pci_msi_read_msg(struct pci_dev *pdev, struct msi_msg *msg);

/**
 * pci_msi_set_mask() - set (@mask true) or clear MSI vector @nr's mask bit
 * Return: 0; -EINVAL without MSI or @nr >= the vectors capable;
 * -EOPNOTSUPP without per-vector masking (logged).
 */
int pci_msi_set_mask(struct pci_dev *pdev, unsigned int nr, bool mask);

/**
 * pci_msi_masked() - whether MSI vector @nr is masked
 * Return: 1 masked, 0 not (or no masking), or -EINVAL as above.
 */
int pci_msi_masked(struct pci_dev *pdev, unsigned int nr);

/**
 * pci_msi_set_enable() - enable MSI with @nvec vectors, or disable it
 * (@nvec 0)
 *
 * @nvec must be a power of two no larger than pci_msi_vec_count().
 * Program the message first.  Enabling MSI disables INTx (pci_intx()),
 * disabling re-enables it, as Linux does.
 *
 * Return: 0; -EINVAL without MSI, with a bad @nvec (logged), or while
 * MSI-X is enabled (logged: the two are exclusive).
 */
int pci_msi_set_enable(struct pci_dev *pdev, unsigned int nvec);

/**
 * pci_msix_map_table() - map @pdev's MSI-X table (pdev->msix_base)
 *
 * Refused (logged) when the table's BAR is not a memory BAR or the table
 * does not fit inside it.  Mapping twice returns the same mapping.
 *
 * Return: 0; -EINVAL without MSI-X or with a bad table location;
 * -ENOMEM if ioremap() fails.
 */
int pci_msix_map_table(struct pci_dev *pdev);

/** pci_msix_unmap_table() - undo pci_msix_map_table() (no-op if unmapped) */
void pci_msix_unmap_table(struct pci_dev *pdev);

/**
 * pci_msix_write_msg() - program table entry @entry with @msg
 *
 * The PCI spec lets a device act on a half-written entry that is not
 * masked: mask the entry (or the function) around the write.
 *
 * Return: 0; -EINVAL if the table is not mapped or @entry is out of range
 * (logged).
 */
int pci_msix_write_msg(struct pci_dev *pdev, unsigned int entry, const struct msi_msg *msg);

/** pci_msix_read_msg() - read table entry @entry.  Return: as above. */
int pci_msix_read_msg(struct pci_dev *pdev, unsigned int entry, struct msi_msg *msg);

/**
 * pci_msix_set_mask() - set or clear the mask bit of table entry @entry
 * (read back, so the write has reached the device on return)
 * Return: 0, or -EINVAL as pci_msix_write_msg().
 */
int pci_msix_set_mask(struct pci_dev *pdev, unsigned int entry, bool mask);

/**
 * pci_msix_masked() - whether table entry @entry is masked
 * Return: 1, 0, or -EINVAL as pci_msix_write_msg().
 */
int pci_msix_masked(struct pci_dev *pdev, unsigned int entry);

/**
 * pci_msix_set_enable() - set or clear the MSI-X Enable bit
 *
 * Enabling disables INTx, disabling re-enables it.
 *
 * Return: 0; -EINVAL without MSI-X, or while MSI is enabled (logged).
 */
int pci_msix_set_enable(struct pci_dev *pdev, bool enable);

/**
 * pci_msix_set_maskall() - set or clear the Function Mask bit, which
 * masks every vector whatever the entries' own mask bits say
 * Return: 0, or -EINVAL without MSI-X.
 */
int pci_msix_set_maskall(struct pci_dev *pdev, bool mask);

#endif /* _EXO_MSI_H */
