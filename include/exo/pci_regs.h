/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI configuration space registers beyond the header's first fields:
 * the capability lists and the capabilities the kernel decodes (power
 * management, MSI, MSI-X, PCI Express, vendor-specific).  Names and values
 * are the PCI Local Bus, PCI PM and PCIe specifications' (and Linux's).
 */
#ifndef _EXO_PCI_REGS_H
#define _EXO_PCI_REGS_H

#define PCI_CFG_SPACE_SIZE	256
#define PCI_CFG_SPACE_EXP_SIZE	4096

#define  PCI_COMMAND_INTX_DISABLE 0x400	/* INTx# emulation disabled */
#define  PCI_STATUS_CAP_LIST	0x10	/* a capability list is present */
#define PCI_CAPABILITY_LIST	0x34	/* first capability (types 0 and 1) */

/* Standard capability header: ID, next pointer, then capability data. */
#define PCI_CAP_LIST_ID		0
#define PCI_CAP_LIST_NEXT	1
#define PCI_CAP_FLAGS		2
#define  PCI_CAP_ID_PM		0x01
#define  PCI_CAP_ID_MSI		0x05
#define  PCI_CAP_ID_VNDR	0x09
#define  PCI_CAP_ID_EXP		0x10
#define  PCI_CAP_ID_MSIX	0x11
#define PCI_FIND_CAP_TTL	48	/* at most 48 capabilities of 4 bytes */

/* Power management (PCI PM 1.2). */
#define PCI_PM_PMC		2
#define  PCI_PM_CAP_VER_MASK	0x0007
#define PCI_PM_CTRL		4
#define  PCI_PM_CTRL_STATE_MASK	0x0003	/* D0..D3hot */
#define  PCI_PM_CTRL_NO_SOFT_RESET 0x0008
#define PCI_D0			0
#define PCI_D1			1
#define PCI_D2			2
#define PCI_D3hot		3
#define PCI_PM_D3HOT_WAIT	10	/* ms after D3hot -> D0 */
#define PCI_PM_D2_DELAY		200	/* us after D2 -> D0 */

/* MSI. */
#define PCI_MSI_FLAGS		2
#define  PCI_MSI_FLAGS_ENABLE	0x0001
#define  PCI_MSI_FLAGS_QMASK	0x000e	/* log2 of the vectors capable */
#define  PCI_MSI_FLAGS_QSIZE	0x0070	/* log2 of the vectors enabled */
#define  PCI_MSI_FLAGS_64BIT	0x0080
#define  PCI_MSI_FLAGS_MASKBIT	0x0100	/* per-vector masking */
#define PCI_MSI_ADDRESS_LO	4
#define PCI_MSI_ADDRESS_HI	8	/* 64-bit only */
#define PCI_MSI_DATA_32		8
#define PCI_MSI_DATA_64		12
#define PCI_MSI_MASK_32		12
#define PCI_MSI_MASK_64		16
#define PCI_MSI_PENDING_32	16
#define PCI_MSI_PENDING_64	20

/* MSI-X. */
#define PCI_MSIX_FLAGS		2
#define  PCI_MSIX_FLAGS_QSIZE	0x07ff	/* table size - 1 */
#define  PCI_MSIX_FLAGS_MASKALL	0x4000
#define  PCI_MSIX_FLAGS_ENABLE	0x8000
#define PCI_MSIX_TABLE		4
#define  PCI_MSIX_TABLE_BIR	0x00000007
#define  PCI_MSIX_TABLE_OFFSET	0xfffffff8
#define PCI_MSIX_PBA		8
#define  PCI_MSIX_PBA_BIR	0x00000007
#define  PCI_MSIX_PBA_OFFSET	0xfffffff8
#define PCI_MSIX_ENTRY_SIZE		16
#define PCI_MSIX_ENTRY_LOWER_ADDR	0
#define PCI_MSIX_ENTRY_UPPER_ADDR	4
#define PCI_MSIX_ENTRY_DATA		8
#define PCI_MSIX_ENTRY_VECTOR_CTRL	12
#define  PCI_MSIX_ENTRY_CTRL_MASKBIT	0x1

/* PCI Express capability. */
#define PCI_EXP_FLAGS		2
#define  PCI_EXP_FLAGS_VERS	0x000f
#define  PCI_EXP_FLAGS_TYPE	0x00f0
#define  PCI_EXP_TYPE_ENDPOINT	0x0
#define  PCI_EXP_TYPE_LEG_END	0x1
#define  PCI_EXP_TYPE_ROOT_PORT	0x4
#define  PCI_EXP_TYPE_UPSTREAM	0x5
#define  PCI_EXP_TYPE_DOWNSTREAM 0x6
#define  PCI_EXP_TYPE_PCI_BRIDGE 0x7
#define  PCI_EXP_TYPE_PCIE_BRIDGE 0x8
#define  PCI_EXP_TYPE_RC_END	0x9
#define  PCI_EXP_TYPE_RC_EC	0xa
#define  PCI_EXP_FLAGS_SLOT	0x0100	/* slot implemented */
#define  PCI_EXP_FLAGS_IRQ	0x3e00	/* interrupt message number */
#define PCI_EXP_LNKCAP		0x0c
#define  PCI_EXP_LNKCAP_DLLLARC	0x00100000 /* link active reporting capable */
#define PCI_EXP_LNKSTA		0x12
#define  PCI_EXP_LNKSTA_DLLLA	0x2000	/* data link layer link active */
#define PCI_EXP_SLTCAP		0x14	/* slot capabilities */
#define  PCI_EXP_SLTCAP_ABP	0x00000001 /* attention button present */
#define  PCI_EXP_SLTCAP_PCP	0x00000002 /* power controller present */
#define  PCI_EXP_SLTCAP_MRLSP	0x00000004 /* MRL sensor present */
#define  PCI_EXP_SLTCAP_AIP	0x00000008 /* attention indicator present */
#define  PCI_EXP_SLTCAP_PIP	0x00000010 /* power indicator present */
#define  PCI_EXP_SLTCAP_HPS	0x00000020 /* hot-plug surprise */
#define  PCI_EXP_SLTCAP_HPC	0x00000040 /* hot-plug capable */
#define  PCI_EXP_SLTCAP_EIP	0x00020000 /* electromechanical interlock present */
#define  PCI_EXP_SLTCAP_NCCS	0x00040000 /* no command completed support */
#define  PCI_EXP_SLTCAP_PSN	0xfff80000 /* physical slot number */
#define PCI_EXP_SLTCTL		0x18	/* slot control */
#define  PCI_EXP_SLTCTL_ABPE	0x0001	/* attention button pressed enable */
#define  PCI_EXP_SLTCTL_PFDE	0x0002	/* power fault detected enable */
#define  PCI_EXP_SLTCTL_MRLSCE	0x0004	/* MRL sensor changed enable */
#define  PCI_EXP_SLTCTL_PDCE	0x0008	/* presence detect changed enable */
#define  PCI_EXP_SLTCTL_CCIE	0x0010	/* command completed interrupt enable */
#define  PCI_EXP_SLTCTL_HPIE	0x0020	/* hot-plug interrupt enable */
#define  PCI_EXP_SLTCTL_AIC	0x00c0	/* attention indicator control */
#define  PCI_EXP_SLTCTL_ATTN_IND_ON	0x0040
#define  PCI_EXP_SLTCTL_ATTN_IND_BLINK	0x0080
#define  PCI_EXP_SLTCTL_ATTN_IND_OFF	0x00c0
#define  PCI_EXP_SLTCTL_PIC	0x0300	/* power indicator control */
#define  PCI_EXP_SLTCTL_PWR_IND_ON	0x0100
#define  PCI_EXP_SLTCTL_PWR_IND_BLINK	0x0200
#define  PCI_EXP_SLTCTL_PWR_IND_OFF	0x0300
#define  PCI_EXP_SLTCTL_PCC	0x0400	/* power controller control: 1 off */
#define  PCI_EXP_SLTCTL_PWR_ON	0x0000
#define  PCI_EXP_SLTCTL_PWR_OFF	0x0400
#define  PCI_EXP_SLTCTL_EIC	0x0800	/* electromechanical interlock control */
#define  PCI_EXP_SLTCTL_DLLSCE	0x1000	/* data link layer state changed enable */
#define PCI_EXP_SLTSTA		0x1a	/* slot status */
#define  PCI_EXP_SLTSTA_ABP	0x0001	/* attention button pressed */
#define  PCI_EXP_SLTSTA_PFD	0x0002	/* power fault detected */
#define  PCI_EXP_SLTSTA_MRLSC	0x0004	/* MRL sensor changed */
#define  PCI_EXP_SLTSTA_PDC	0x0008	/* presence detect changed */
#define  PCI_EXP_SLTSTA_CC	0x0010	/* command completed */
#define  PCI_EXP_SLTSTA_MRLSS	0x0020	/* MRL sensor state */
#define  PCI_EXP_SLTSTA_PDS	0x0040	/* presence detect state */
#define  PCI_EXP_SLTSTA_EIS	0x0080	/* electromechanical interlock status */
#define  PCI_EXP_SLTSTA_DLLSC	0x0100	/* data link layer state changed */

/* Extended capabilities (PCIe, offsets 0x100-0xfff). */
#define PCI_EXT_CAP_ID(header)		((header) & 0x0000ffff)
#define PCI_EXT_CAP_VER(header)		(((header) >> 16) & 0xf)
#define PCI_EXT_CAP_NEXT(header)	(((header) >> 20) & 0xffc)
#define  PCI_EXT_CAP_ID_ERR	0x01	/* advanced error reporting */
#define  PCI_EXT_CAP_ID_VNDR	0x0b
#define  PCI_EXT_CAP_ID_DSN	0x03	/* device serial number */

/* Vendor-specific capability: its length byte follows the header. */
#define PCI_CAP_VNDR_LEN	2

#endif /* _EXO_PCI_REGS_H */
