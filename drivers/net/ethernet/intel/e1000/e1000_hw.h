/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel 8254x (82540EM) registers and descriptors, as the "PCI/PCI-X
 * Family of Gigabit Ethernet Controllers Software Developer's Manual"
 * (8254x SDM, rev. 4.0) names them: section 13 for the registers, 3.2.3
 * and 3.3.3 for the legacy receive and transmit descriptors.  Only what
 * the driver uses.  Registers are 32 bits wide and little endian, in BAR0
 * (128 KiB of memory space).  The descriptors are little endian like the
 * CPU (x86), so they are plain integers here.
 */
#ifndef _E1000_HW_H
#define _E1000_HW_H

#include <exo/types.h>

/* General */
#define E1000_CTRL	0x00000	/* device control */
#define E1000_STATUS	0x00008	/* device status, read only */
#define E1000_EECD	0x00010	/* EEPROM control */
#define E1000_EERD	0x00014	/* EEPROM read */
#define E1000_MDIC	0x00020	/* MDI (PHY) control */
#define E1000_ICR	0x000C0	/* interrupt cause, clear on read */
#define E1000_ITR	0x000C4	/* interrupt throttling */
#define E1000_ICS	0x000C8	/* interrupt cause set */
#define E1000_IMS	0x000D0	/* interrupt mask set (read: the mask) */
#define E1000_IMC	0x000D8	/* interrupt mask clear */
#define E1000_RCTL	0x00100	/* receive control */
#define E1000_TCTL	0x00400	/* transmit control */
#define E1000_TIPG	0x00410	/* transmit inter-packet gap */
/* Receive ring 0 */
#define E1000_RDBAL	0x02800
#define E1000_RDBAH	0x02804
#define E1000_RDLEN	0x02808	/* bytes, a multiple of 128 */
#define E1000_RDH	0x02810
#define E1000_RDT	0x02818
#define E1000_RDTR	0x02820	/* receive delay timer */
/* Transmit ring 0 */
#define E1000_TDBAL	0x03800
#define E1000_TDBAH	0x03804
#define E1000_TDLEN	0x03808
#define E1000_TDH	0x03810
#define E1000_TDT	0x03818
#define E1000_TIDV	0x03820	/* transmit interrupt delay */
/* Statistics, clear on read (13.7) */
#define E1000_CRCERRS	0x04000	/* CRC errors */
#define E1000_MPC	0x04010	/* missed packets (no descriptor, FIFO full) */
#define E1000_RNBC	0x040A0	/* receive no buffers */
#define E1000_GPRC	0x04074	/* good packets received */
#define E1000_GPTC	0x04080	/* good packets transmitted */
#define E1000_TPR	0x040D0	/* total packets received */
#define E1000_TPT	0x040D4	/* total packets transmitted */
/* Filters */
#define E1000_MTA	0x05200	/* multicast table, 128 words */
#define E1000_MTA_WORDS	128
#define E1000_RAL(n)	(0x05400 + 8 * (n))	/* receive address low */
#define E1000_RAH(n)	(0x05404 + 8 * (n))	/* receive address high */
#define E1000_RAR_ENTRIES 16

/* CTRL */
#define E1000_CTRL_FD		0x00000001	/* full duplex */
#define E1000_CTRL_ASDE		0x00000020	/* auto-speed detection */
#define E1000_CTRL_SLU		0x00000040	/* set link up */
#define E1000_CTRL_RST		0x04000000	/* global reset, self clearing */
#define E1000_CTRL_PHY_RST	0x80000000
/* STATUS */
#define E1000_STATUS_FD		0x00000001
#define E1000_STATUS_LU		0x00000002	/* link up */
#define E1000_STATUS_SPEED_MASK	0x000000C0
#define E1000_STATUS_SPEED_SHIFT 6		/* 0: 10, 1: 100, 2/3: 1000 Mb/s */
/* EERD (82540EM layout: start bit 0, done bit 4) */
#define E1000_EERD_START	0x00000001
#define E1000_EERD_DONE		0x00000010
#define E1000_EERD_ADDR_SHIFT	8
#define E1000_EERD_DATA_SHIFT	16
#define E1000_EEPROM_MAC	0		/* words 0..2: the MAC address */
/* MDIC */
#define E1000_MDIC_DATA_MASK	0x0000FFFF
#define E1000_MDIC_REG_SHIFT	16
#define E1000_MDIC_PHY_SHIFT	21
#define E1000_MDIC_OP_WRITE	0x04000000
#define E1000_MDIC_OP_READ	0x08000000
#define E1000_MDIC_READY	0x10000000
#define E1000_MDIC_ERROR	0x40000000
#define E1000_PHY_ADDR		1		/* the internal PHY's MDIO address */
#define E1000_PHY_CTRL		0		/* PHY control (MII BMCR) */
#define E1000_PHY_CTRL_LOOPBACK	0x4000
/* ICR / ICS / IMS / IMC */
#define E1000_ICR_TXDW		0x00000001	/* transmit descriptor written back */
#define E1000_ICR_TXQE		0x00000002	/* transmit queue empty */
#define E1000_ICR_LSC		0x00000004	/* link status change */
#define E1000_ICR_RXSEQ		0x00000008	/* receive sequence error */
#define E1000_ICR_RXDMT0	0x00000010	/* receive descriptors below threshold */
#define E1000_ICR_RXO		0x00000040	/* receiver overrun */
#define E1000_ICR_RXT0		0x00000080	/* receive timer */
#define E1000_ICR_MDAC		0x00000200	/* MDI access complete */
#define E1000_ICR_INT_ASSERTED	0x80000000
/* What the driver takes: receive, transmit done, link. */
#define E1000_IMS_ENABLE_MASK	(E1000_ICR_RXT0 | E1000_ICR_RXO | E1000_ICR_RXDMT0 | \
				 E1000_ICR_RXSEQ | E1000_ICR_LSC | E1000_ICR_TXDW)
/* RCTL */
#define E1000_RCTL_EN		0x00000002
#define E1000_RCTL_SBP		0x00000004	/* store bad packets */
#define E1000_RCTL_UPE		0x00000008	/* unicast promiscuous */
#define E1000_RCTL_MPE		0x00000010	/* multicast promiscuous */
#define E1000_RCTL_LPE		0x00000020	/* long packets */
#define E1000_RCTL_LBM_MAC	0x00000040	/* MAC loopback (not in QEMU's model) */
#define E1000_RCTL_RDMTS_HALF	0x00000000	/* RXDMT0 at half the ring free */
#define E1000_RCTL_BAM		0x00008000	/* accept broadcast */
#define E1000_RCTL_SZ_2048	0x00000000	/* buffer size, BSEX = 0 */
#define E1000_RCTL_SECRC	0x04000000	/* strip the Ethernet CRC */
/* TCTL */
#define E1000_TCTL_EN		0x00000002
#define E1000_TCTL_PSP		0x00000008	/* pad short packets */
#define E1000_TCTL_CT_SHIFT	4		/* collision threshold */
#define E1000_TCTL_COLD_SHIFT	12		/* collision distance */
#define E1000_COLLISION_THRESHOLD 15
#define E1000_COLLISION_DISTANCE_FD 63	/* full duplex */
/* TIPG for the copper 82540EM: IPGT 10, IPGR1 8, IPGR2 6 (13.4.34). */
#define E1000_TIPG_DEFAULT	(10 | (8 << 10) | (6 << 20))

/**
 * struct e1000_rx_desc - legacy receive descriptor (8254x SDM 3.2.3)
 * @buffer_addr: bus address of a buffer of the RCTL.BSIZE bytes
 * @length: bytes the device wrote
 * @csum: packet checksum
 * @status: E1000_RXD_STAT_*, written by the device last
 * @errors: E1000_RXD_ERR_*
 * @special: VLAN tag
 */
struct e1000_rx_desc {
	u64 buffer_addr;
	u16 length;
	u16 csum;
	u8 status;
	u8 errors;
	u16 special;
};

#define E1000_RXD_STAT_DD	0x01	/* descriptor done */
#define E1000_RXD_STAT_EOP	0x02	/* end of packet */
#define E1000_RXD_ERR_FRAME_ERR_MASK 0x97	/* CE | SE | SEQ | CXE | RXE */

/**
 * struct e1000_tx_desc - legacy transmit descriptor (8254x SDM 3.3.3)
 * @buffer_addr: bus address of the data
 * @lower: length (bits 0-15), CSO (16-23), CMD (24-31): E1000_TXD_CMD_*
 * @upper: STA (bits 0-3, E1000_TXD_STAT_*), CSS (8-15), special (16-31)
 */
struct e1000_tx_desc {
	u64 buffer_addr;
	u32 lower;
	u32 upper;
};

#define E1000_TXD_CMD_EOP	0x01000000	/* end of packet */
#define E1000_TXD_CMD_IFCS	0x02000000	/* insert the FCS */
#define E1000_TXD_CMD_RS	0x08000000	/* report status (DD) */
#define E1000_TXD_STAT_DD	0x00000001

#endif /* _E1000_HW_H */
