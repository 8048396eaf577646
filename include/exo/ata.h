/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ATA protocol as a host sees it (ATA/ATAPI-8 ACS, the parts Linux's
 * <linux/ata.h> has and the IDE driver uses): taskfile register offsets
 * and bits, command opcodes, device signatures, IDENTIFY DEVICE words, and
 * the SFF-8038i bus-master DMA (BMDMA) registers and PRD entries.  Names
 * and values are Linux's.  Used by drivers/ata/ (Documentation/block.rst,
 * "ATA").
 */
#ifndef _EXO_ATA_H
#define _EXO_ATA_H

#include <exo/types.h>

#define ATA_SECT_SIZE		512
#define ATA_ID_WORDS		256
#define ATA_MAX_SECTORS		256		/* LBA28: a count of 0 means 256 */
#define ATA_MAX_SECTORS_LBA48	65535		/* 0 means 65536; Linux uses 65535 */

/* Taskfile registers: offsets from the command block base (0x1f0, 0x170). */
enum {
	ATA_REG_DATA	= 0x00,
	ATA_REG_ERR	= 0x01,		/* read */
	ATA_REG_FEATURE	= 0x01,		/* write */
	ATA_REG_NSECT	= 0x02,
	ATA_REG_LBAL	= 0x03,
	ATA_REG_LBAM	= 0x04,
	ATA_REG_LBAH	= 0x05,
	ATA_REG_DEVICE	= 0x06,
	ATA_REG_STATUS	= 0x07,		/* read: clears the device's interrupt */
	ATA_REG_CMD	= 0x07,		/* write */
};

/* Status register (and alternate status, which leaves the interrupt alone). */
enum {
	ATA_ERR		= 0x01,		/* the command failed: see the error register */
	ATA_DRQ		= 0x08,		/* data request: a block may be transferred */
	ATA_DF		= 0x20,		/* device fault */
	ATA_DRDY	= 0x40,		/* device ready */
	ATA_BUSY	= 0x80,		/* the other bits are not valid */
};

/* Error register. */
enum {
	ATA_AMNF	= 0x01,
	ATA_ABORTED	= 0x04,		/* command aborted (bad command or argument) */
	ATA_IDNF	= 0x10,		/* address not found (beyond the end) */
	ATA_UNC		= 0x40,		/* uncorrectable data error */
	ATA_ICRC	= 0x80,
};

/* Device register. */
enum {
	ATA_DEVICE_OBS	= 0xa0,		/* obsolete bits, set by convention */
	ATA_LBA		= 0x40,
	ATA_DEV1	= 0x10,		/* select device 1 (slave) */
};

/* Device control register (write; at the control block, 0x3f6 / 0x376). */
enum {
	ATA_NIEN	= 0x02,		/* interrupts disabled */
	ATA_SRST	= 0x04,		/* software reset of both devices */
	ATA_HOB		= 0x80,		/* read back the previous (high) LBA48 bytes */
};

/* Commands. */
enum {
	ATA_CMD_READ		= 0xc8,	/* READ DMA */
	ATA_CMD_READ_EXT	= 0x25,
	ATA_CMD_WRITE		= 0xca,	/* WRITE DMA */
	ATA_CMD_WRITE_EXT	= 0x35,
	ATA_CMD_WRITE_FUA_EXT	= 0x3d,
	ATA_CMD_PIO_READ	= 0x20,	/* READ SECTOR(S) */
	ATA_CMD_PIO_READ_EXT	= 0x24,
	ATA_CMD_PIO_WRITE	= 0x30,	/* WRITE SECTOR(S) */
	ATA_CMD_PIO_WRITE_EXT	= 0x34,
	ATA_CMD_FLUSH		= 0xe7,	/* FLUSH CACHE */
	ATA_CMD_FLUSH_EXT	= 0xea,
	ATA_CMD_ID_ATA		= 0xec,	/* IDENTIFY DEVICE */
	ATA_CMD_ID_ATAPI	= 0xa1,	/* IDENTIFY PACKET DEVICE */
	ATA_CMD_SET_FEATURES	= 0xef,
	ATA_CMD_CHK_POWER	= 0xe5,	/* CHECK POWER MODE: no data, an interrupt */
};

/* SET FEATURES subcommands. */
#define SETFEATURES_XFER	0x03	/* transfer mode in the sector count */
#define XFER_PIO_0		0x08
#define XFER_MW_DMA_0		0x20
#define XFER_UDMA_0		0x40

/* IDENTIFY DEVICE words. */
enum {
	ATA_ID_CONFIG		= 0,	/* bit 15 clear: ATA device */
	ATA_ID_SERNO		= 10,	/* 20 characters */
	ATA_ID_FW_REV		= 23,	/* 8 characters */
	ATA_ID_PROD		= 27,	/* 40 characters */
	ATA_ID_CAPABILITY	= 49,	/* bit 9 LBA, bit 8 DMA */
	ATA_ID_LBA_CAPACITY	= 60,	/* 2 words: LBA28 sectors */
	ATA_ID_MWDMA_MODES	= 63,
	ATA_ID_COMMAND_SET_1	= 82,	/* bit 5 write cache */
	ATA_ID_COMMAND_SET_2	= 83,	/* bit 10 LBA48, 12 FLUSH, 13 FLUSH EXT */
	ATA_ID_CFSSE		= 84,	/* bit 6 WRITE DMA FUA EXT */
	ATA_ID_CFS_ENABLE_1	= 85,	/* bit 5 write cache enabled */
	ATA_ID_UDMA_MODES	= 88,
	ATA_ID_LBA_CAPACITY_2	= 100,	/* 4 words: LBA48 sectors */
	ATA_ID_SECTOR_SIZE	= 106,
	ATA_ID_LOGICAL_SECTOR_SIZE = 117,
};

#define ATA_ID_PROD_LEN		40
#define ATA_ID_SERNO_LEN	20

/* Signatures in LBA mid/high after a reset (or an aborted IDENTIFY). */
enum ata_dev_class {
	ATA_DEV_UNKNOWN,
	ATA_DEV_ATA,		/* 0x00 0x00 */
	ATA_DEV_ATAPI,		/* 0x14 0xeb (and SATA's 0x69 0x96) */
	ATA_DEV_SEMB,		/* 0x3c 0xc3 */
	ATA_DEV_NONE,		/* nothing answers */
};

/* Bus-master DMA (SFF-8038i): per channel 8 bytes at BAR4 + 8 * channel. */
enum {
	ATA_DMA_CMD		= 0,
	ATA_DMA_STATUS		= 2,
	ATA_DMA_TABLE_OFS	= 4,	/* 32-bit PRD table address */

	ATA_DMA_START		= 0x01,	/* command: start the engine */
	ATA_DMA_WR		= 0x08,	/* command: the engine writes memory (a read) */

	ATA_DMA_ACTIVE		= 0x01,	/* status */
	ATA_DMA_ERR		= 0x02,	/* status, write 1 to clear */
	ATA_DMA_INTR		= 0x04,	/* status, write 1 to clear: the device interrupted */
	ATA_DMA_DMA0_CAP	= 0x20,
	ATA_DMA_DMA1_CAP	= 0x40,
};

/*
 * A PRD entry: a physically contiguous piece of at most 64 KiB that does
 * not cross a 64 KiB boundary (a length of 0 means 64 KiB); the table
 * itself is 4-byte aligned and must not cross a 64 KiB boundary either.
 */
struct ata_bmdma_prd {
	u32 addr;		/* little-endian, as the CPU */
	u32 flags_len;
};

#define ATA_PRD_EOT		(1u << 31)	/* last entry */
#define ATA_DMA_BOUNDARY	0xffffu
#define ATA_MAX_PRD		256
#define ATA_PRD_TBL_SZ		(ATA_MAX_PRD * sizeof(struct ata_bmdma_prd))

static inline bool ata_id_is_ata(const u16 *id)
{
	return !(id[ATA_ID_CONFIG] & (1 << 15));
}

static inline bool ata_id_has_lba(const u16 *id)
{
	return id[ATA_ID_CAPABILITY] & (1 << 9);
}

static inline bool ata_id_has_dma(const u16 *id)
{
	return id[ATA_ID_CAPABILITY] & (1 << 8);
}

/* Words 82-87 are valid when bit 14 is set and bit 15 clear. */
static inline bool ata_id_cmdset_valid(u16 w)
{
	return (w & 0xc000) == 0x4000;
}

static inline bool ata_id_has_lba48(const u16 *id)
{
	return ata_id_cmdset_valid(id[ATA_ID_COMMAND_SET_2]) &&
	       (id[ATA_ID_COMMAND_SET_2] & (1 << 10)) &&
	       (id[ATA_ID_LBA_CAPACITY_2] | id[ATA_ID_LBA_CAPACITY_2 + 1] |
		id[ATA_ID_LBA_CAPACITY_2 + 2] | id[ATA_ID_LBA_CAPACITY_2 + 3]);
}

static inline bool ata_id_has_flush(const u16 *id)
{
	return ata_id_cmdset_valid(id[ATA_ID_COMMAND_SET_2]) &&
	       (id[ATA_ID_COMMAND_SET_2] & (1 << 12));
}

static inline bool ata_id_has_flush_ext(const u16 *id)
{
	return ata_id_cmdset_valid(id[ATA_ID_COMMAND_SET_2]) &&
	       (id[ATA_ID_COMMAND_SET_2] & (1 << 13));
}

static inline bool ata_id_has_fua(const u16 *id)
{
	return ata_id_cmdset_valid(id[ATA_ID_CFSSE]) && (id[ATA_ID_CFSSE] & (1 << 6));
}

static inline bool ata_id_has_wcache(const u16 *id)
{
	return ata_id_cmdset_valid(id[ATA_ID_COMMAND_SET_2]) &&
	       (id[ATA_ID_COMMAND_SET_1] & (1 << 5));
}

/* Logical sectors other than 512 bytes (word 106 bit 12, words 117-118). */
static inline bool ata_id_has_large_logical_sector(const u16 *id)
{
	return (id[ATA_ID_SECTOR_SIZE] & 0xc000) == 0x4000 &&
	       (id[ATA_ID_SECTOR_SIZE] & (1 << 12));
}

static inline u64 ata_id_u32(const u16 *id, unsigned int n)
{
	return (u32)id[n + 1] << 16 | id[n];
}

static inline u64 ata_id_u64(const u16 *id, unsigned int n)
{
	return (u64)id[n + 3] << 48 | (u64)id[n + 2] << 32 | (u64)id[n + 1] << 16 | id[n];
}

/* Addressable sectors: the LBA48 count where supported, else LBA28's. */
static inline u64 ata_id_n_sectors(const u16 *id)
{
	if (!ata_id_has_lba(id))
		return 0;	/* CHS-only devices are not supported */
	if (ata_id_has_lba48(id))
		return ata_id_u64(id, ATA_ID_LBA_CAPACITY_2);
	return ata_id_u32(id, ATA_ID_LBA_CAPACITY);
}

#endif /* _EXO_ATA_H */
