// SPDX-License-Identifier: GPL-2.0
/*
 * Partition tables: MBR (four primary entries, and logical partitions in
 * the chain of extended boot records of an extended partition, numbered
 * from 5 as Linux does) and GPT (a protective MBR, the primary header at
 * LBA 1 with its CRC32 and that of its entry array checked; the backup
 * header is not read).  Each partition found becomes a block_device named
 * after the disk ("vda1", or "nullb0p1" for a name ending in a digit).
 * A malformed table is logged and gives no partitions; an entry pointing
 * outside the disk is logged and skipped.
 */
#include <exo/blkdev.h>
#include <exo/crc32.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "blk.h"

#define MBR_SIGNATURE_OFF	510
#define MBR_PART_OFF		446
#define MBR_TYPE_GPT		0xee
#define GPT_ENTRIES_MAX		1024

struct mbr_entry {
	u8 boot;
	u8 chs_start[3];
	u8 type;
	u8 chs_end[3];
	u32 lba_start;
	u32 nr_sectors;
} __packed;

struct gpt_header {
	u64 signature;
	u32 revision;
	u32 header_size;
	u32 header_crc32;
	u32 reserved;
	u64 my_lba;
	u64 alternate_lba;
	u64 first_usable_lba;
	u64 last_usable_lba;
	u8 disk_guid[16];
	u64 partition_entry_lba;
	u32 num_partition_entries;
	u32 sizeof_partition_entry;
	u32 partition_entry_array_crc32;
} __packed;

struct gpt_entry {
	u8 type_guid[16];
	u8 unique_guid[16];
	u64 first_lba;
	u64 last_lba;
	u64 attributes;
	u16 name[36];
} __packed;

#define GPT_SIGNATURE	0x5452415020494645ULL	/* "EFI PART" */

u32 blk_crc32_le(u32 crc, const void *buf, size_t len)
{
	return ~crc32_le(~crc, buf, len);
}

int bdev_add_partition(struct gendisk *disk, int partno, sector_t start, sector_t length,
		       const char *type)
{
	sector_t cap = get_capacity(disk);
	const char *name = disk->disk_name;
	size_t len = strlen(name);
	struct block_device *bdev;
	int err;

	if (partno <= 0 || partno >= DISK_MAX_PARTS) {
		pr_warn("block: %s: partition %d skipped: at most %d partitions\n", name, partno,
			DISK_MAX_PARTS - 1);
		return -EINVAL;
	}
	if (!length || start >= cap || length > cap - start) {
		pr_warn("block: %s: partition %d (sectors %llu+%llu) lies outside the disk (%llu sectors): skipped\n",
			name, partno, (unsigned long long)start, (unsigned long long)length,
			(unsigned long long)cap);
		return -EINVAL;
	}
	bdev = bdev_alloc(disk, (u8)partno);
	if (!bdev)
		return -ENOMEM;
	bdev->bd_start_sect = start;
	bdev->bd_nr_sectors = length;
	bdev->bd_read_only = disk->part0->bd_read_only;
	strlcpy(bdev->bd_part_type, type, sizeof(bdev->bd_part_type));
	dev_set_name(&bdev->bd_device, "%s%s%d", name,
		     len && name[len - 1] >= '0' && name[len - 1] <= '9' ? "p" : "", partno);
	err = bdev_add(bdev, &disk->part0->bd_device);
	if (err) {
		put_device(&bdev->bd_device);
		return err;
	}
	disk->parts[partno] = bdev;
	return 0;
}

void blk_drop_partitions(struct gendisk *disk)
{
	for (int i = 1; i < DISK_MAX_PARTS; i++) {
		struct block_device *bdev = disk->parts[i];

		if (!bdev)
			continue;
		disk->parts[i] = NULL;
		bdev_del(bdev);
		put_device(&bdev->bd_device);
	}
}

/* Read @nr logical blocks from @lba (in logical blocks) of the whole disk. */
static void *read_blocks(struct gendisk *disk, u64 lba, u32 nr)
{
	unsigned int lbs = queue_logical_block_size(disk->queue);
	void *buf;
	int err;

	buf = kmalloc((size_t)nr * lbs, GFP_KERNEL);
	if (!buf)
		return NULL;
	err = blkdev_rw(disk->part0, REQ_OP_READ, lba * (lbs >> SECTOR_SHIFT), buf,
			(size_t)nr * lbs);
	if (err) {
		pr_err("block: %s: reading the partition table at block %llu: error %d\n",
		       disk->disk_name, (unsigned long long)lba, err);
		kfree(buf);
		return NULL;
	}
	return buf;
}

static bool mbr_is_extended(u8 type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/* The logical partitions in the EBR chain of the extended one at @ext. */
static void mbr_scan_extended(struct gendisk *disk, sector_t ext, sector_t ext_len, int *next)
{
	unsigned int per = queue_logical_block_size(disk->queue) >> SECTOR_SHIFT;
	sector_t ebr = ext;
	unsigned int steps = 0;

	/*
	 * A chain longer than the slots is a loop; links through EBRs with no
	 * logical partition count too, or a self-link would spin for ever.
	 */
	while (*next < DISK_MAX_PARTS && steps++ < DISK_MAX_PARTS) {
		struct mbr_entry e[2];
		u8 *buf = read_blocks(disk, ebr / per, 1);

		if (!buf)
			return;
		if (buf[MBR_SIGNATURE_OFF] != 0x55 || buf[MBR_SIGNATURE_OFF + 1] != 0xaa) {
			pr_warn("block: %s: extended boot record at %llu has no signature\n",
				disk->disk_name, (unsigned long long)ebr);
			kfree(buf);
			return;
		}
		memcpy(e, buf + MBR_PART_OFF, sizeof(e));
		kfree(buf);
		if (e[0].type && e[0].nr_sectors)
			bdev_add_partition(disk, (*next)++, ebr + e[0].lba_start * (sector_t)per,
					   e[0].nr_sectors * (sector_t)per, "mbr");
		if (!mbr_is_extended(e[1].type) || !e[1].lba_start ||
		    e[1].lba_start * (sector_t)per >= ext_len)
			return;
		ebr = ext + e[1].lba_start * (sector_t)per;
	}
}

static int gpt_scan(struct gendisk *disk);

static int mbr_scan(struct gendisk *disk)
{
	unsigned int per = queue_logical_block_size(disk->queue) >> SECTOR_SHIFT;
	struct mbr_entry e[4];
	int next = 5;
	u8 *buf;

	buf = read_blocks(disk, 0, 1);
	if (!buf)
		return -EIO;
	if (buf[MBR_SIGNATURE_OFF] != 0x55 || buf[MBR_SIGNATURE_OFF + 1] != 0xaa) {
		kfree(buf);
		return 0;
	}
	memcpy(e, buf + MBR_PART_OFF, sizeof(e));
	kfree(buf);
	for (int i = 0; i < 4; i++)
		if (e[i].type == MBR_TYPE_GPT)
			return gpt_scan(disk);
	for (int i = 0; i < 4; i++) {
		sector_t start = e[i].lba_start * (sector_t)per, len = e[i].nr_sectors * (sector_t)per;

		if (!e[i].type || !len)
			continue;
		if (mbr_is_extended(e[i].type)) {
			mbr_scan_extended(disk, start, len, &next);
			continue;
		}
		bdev_add_partition(disk, i + 1, start, len, "mbr");
	}
	return 0;
}

/* The GPT header at LBA 1, checked; NULL (and a log line) if invalid. */
static struct gpt_header *gpt_read_header(struct gendisk *disk, u64 last_lba)
{
	unsigned int lbs = queue_logical_block_size(disk->queue);
	struct gpt_header *h = read_blocks(disk, 1, 1);
	const char *why = NULL;
	u32 crc, size;

	if (!h)
		return NULL;
	size = h->header_size;
	if (h->signature != GPT_SIGNATURE)
		why = "no signature";
	else if (size < sizeof(*h) || size > lbs)
		why = "bad header size";
	if (!why) {
		crc = h->header_crc32;
		h->header_crc32 = 0;
		if (blk_crc32_le(0, h, size) != crc)
			why = "header CRC32 mismatch";
		h->header_crc32 = crc;
	}
	if (!why && h->my_lba != 1)
		why = "header not at LBA 1";
	else if (!why && (h->first_usable_lba > h->last_usable_lba || h->last_usable_lba > last_lba))
		why = "usable range outside the disk";
	else if (!why && (h->sizeof_partition_entry < sizeof(struct gpt_entry) ||
			  h->sizeof_partition_entry % 8 || h->sizeof_partition_entry > 512 ||
			  !h->num_partition_entries || h->num_partition_entries > GPT_ENTRIES_MAX))
		why = "bad partition entry array size";
	else if (!why && (h->partition_entry_lba < 2 || h->partition_entry_lba > last_lba))
		why = "entry array outside the disk";
	if (why) {
		pr_warn("block: %s: invalid GPT: %s\n", disk->disk_name, why);
		kfree(h);
		return NULL;
	}
	return h;
}

static int gpt_scan(struct gendisk *disk)
{
	unsigned int lbs = queue_logical_block_size(disk->queue), per = lbs >> SECTOR_SHIFT;
	u64 last_lba = get_capacity(disk) / per - 1;
	static const u8 zero_guid[16];
	struct gpt_header *h;
	size_t bytes;
	u8 *entries;

	h = gpt_read_header(disk, last_lba);
	if (!h)
		return 0;
	bytes = (size_t)h->num_partition_entries * h->sizeof_partition_entry;
	entries = read_blocks(disk, h->partition_entry_lba, (u32)DIV_ROUND_UP(bytes, lbs));
	if (!entries) {
		kfree(h);
		return -EIO;
	}
	if (blk_crc32_le(0, entries, bytes) != h->partition_entry_array_crc32) {
		pr_warn("block: %s: invalid GPT: entry array CRC32 mismatch\n", disk->disk_name);
		goto out;
	}
	for (u32 i = 0; i < h->num_partition_entries; i++) {
		struct gpt_entry e;

		memcpy(&e, entries + (size_t)i * h->sizeof_partition_entry, sizeof(e));
		if (!memcmp(e.type_guid, zero_guid, sizeof(zero_guid)))
			continue;
		if (e.first_lba > e.last_lba || e.first_lba < h->first_usable_lba ||
		    e.last_lba > h->last_usable_lba) {
			pr_warn("block: %s: GPT entry %u (LBA %llu..%llu) outside the usable range: skipped\n",
				disk->disk_name, i + 1, (unsigned long long)e.first_lba,
				(unsigned long long)e.last_lba);
			continue;
		}
		bdev_add_partition(disk, (int)i + 1, e.first_lba * per,
				   (e.last_lba - e.first_lba + 1) * per, "gpt");
	}
out:
	kfree(entries);
	kfree(h);
	return 0;
}

int blk_add_partitions(struct gendisk *disk)
{
	int err = mbr_scan(disk), n = 0;

	for (int i = 1; i < DISK_MAX_PARTS; i++)
		n += disk->parts[i] != NULL;
	if (n)
		pr_info("block: %s: %d partition%s\n", disk->disk_name, n, n > 1 ? "s" : "");
	return err;
}
