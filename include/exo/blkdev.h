/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block devices, as in Linux 6.1's <linux/blkdev.h>: the request queue and
 * its limits, struct gendisk (a disk a driver registers) and struct
 * block_device (the whole disk, or one of its partitions).
 *
 * A blk-mq driver (see <exo/blk-mq.h> and Documentation/block.rst):
 *
 *	disk = blk_mq_alloc_disk(&dev->tag_set, dev);
 *	snprintf(disk->disk_name, DISK_NAME_LEN, "vd%c", 'a' + index);
 *	disk->fops = &my_fops;
 *	blk_queue_logical_block_size(disk->queue, 512);
 *	blk_queue_max_segments(disk->queue, 64);
 *	set_capacity(disk, nr_sectors);
 *	err = device_add_disk(&pdev->dev, disk, NULL);	// scans partitions
 *	...
 *	del_gendisk(disk);
 *	put_disk(disk);
 *	blk_mq_free_tag_set(&dev->tag_set);
 */
#ifndef _EXO_BLKDEV_H
#define _EXO_BLKDEV_H

#include <exo/bio.h>
#include <exo/bitmap.h>
#include <exo/blk_types.h>
#include <exo/device.h>
#include <exo/fs.h>		/* dev_t, fmode_t, FMODE_READ/WRITE */
#include <exo/list.h>
#include <exo/mutex.h>
#include <exo/spinlock.h>
#include <exo/types.h>
#include <exo/timer.h>
#include <exo/wait.h>
#include <exo/workqueue.h>

struct blk_mq_ctx;
struct blk_mq_hw_ctx;
struct blk_mq_tag_set;
struct gendisk;
struct module;
struct request;

#define DISK_NAME_LEN		32
/* Partitions per disk, the whole disk (number 0) included. */
#define DISK_MAX_PARTS		16

/* What a device can take in one request; see the blk_queue_*() setters. */
/*
 * Requests are built up to this size even where the device takes more
 * (Linux's default): it bounds a request's byte count well inside 32 bits
 * and a request's time on the device.
 */
#define BLK_DEF_MAX_SECTORS	2560U

struct queue_limits {
	unsigned int max_hw_sectors;		/* device maximum, sectors */
	unsigned int max_sectors;		/* used maximum, <= max_hw_sectors */
	unsigned int max_segment_size;		/* bytes per segment */
	unsigned int logical_block_size;	/* bytes, power of 2, >= 512 */
	unsigned int physical_block_size;
	unsigned int max_discard_sectors;	/* 0: no REQ_OP_DISCARD */
	unsigned int max_write_zeroes_sectors;	/* 0: no REQ_OP_WRITE_ZEROES */
	unsigned int dma_alignment;		/* buffer address mask */
	unsigned long seg_boundary_mask;	/* segments never cross it */
	unsigned short max_segments;		/* segments per request */
};

/* request_queue.queue_flags bits. */
#define QUEUE_FLAG_WC		0	/* volatile write cache: honour flushes */
#define QUEUE_FLAG_FUA		1	/* device does FUA writes natively */
#define QUEUE_FLAG_DYING	2	/* del_gendisk() started: refuse bios */

/*
 * A disk's queue.  Drivers read queuedata and set the limits through the
 * blk_queue_*() helpers; the rest belongs to the block layer.
 */
struct request_queue {
	void *queuedata;			/* the driver's */
	struct queue_limits limits;
	unsigned long queue_flags;
	unsigned int rq_timeout;		/* jiffies; blk_queue_rq_timeout() */
	struct gendisk *disk;

	/* Private to block/. */
	struct blk_mq_tag_set *tag_set;
	struct blk_mq_hw_ctx **queue_hw_ctx;
	unsigned int nr_hw_queues;
	struct blk_mq_ctx *queue_ctx;		/* one per possible CPU */
	atomic_t q_usage;			/* bios and requests inside */
	struct wait_queue_head mq_freeze_wq;	/* waits for q_usage to drop */
	atomic_t mq_freeze_depth;
	spinlock_t requeue_lock;
	struct list_head requeue_list;
	struct list_head tag_set_list;		/* on tag_set->tag_list */
	struct timer_list timeout;		/* earliest request deadline */
	struct work_struct timeout_work;	/* scans for expired requests */
	atomic_t fake_timeouts;			/* blk_queue_fake_timeouts() */
	atomic_t fake_stalls;			/* blk_queue_fake_stalls() */
};

static inline bool blk_queue_flag_test(unsigned int flag, const struct request_queue *q)
{
	return q->queue_flags & (1UL << flag);
}

/* What a driver may set for its disk; optional in Exo's raw interface. */
struct block_device_operations {
	struct module *owner;
};

/*
 * A disk or a partition: something I/O is issued to.  bd_start_sect is the
 * first sector on the disk (0 for the whole disk) and bd_nr_sectors its
 * size; submit_bio() refuses bios beyond it.
 */
struct block_device {
	sector_t bd_start_sect;
	sector_t bd_nr_sectors;
	struct gendisk *bd_disk;
	struct request_queue *bd_queue;
	u8 bd_partno;				/* 0: the whole disk */
	dev_t bd_dev;				/* of its /dev node; 0: no node */
	bool bd_read_only;
	atomic_t bd_openers;			/* blkdev_get_by_path() holders */
	struct device bd_device;		/* "vda", "vda1" on the block class */
	/* Private to block/. */
	struct list_head bd_list;		/* on the registry */
	char bd_part_type[8];			/* "mbr", "gpt", "" */
};

static inline const char *bdev_name(const struct block_device *bdev)
{
	return bdev->bd_device.name;
}

/* gendisk.state bits. */
#define GD_ADDED	0			/* device_add_disk() succeeded */
#define GD_DEAD		1			/* del_gendisk() started */

/* A disk a driver registers.  The driver sets the name, fops, private data. */
struct gendisk {
	int major;
	int first_minor;
	int minors;
	char disk_name[DISK_NAME_LEN];		/* "vda"; the driver's choice */
	const struct block_device_operations *fops;
	struct request_queue *queue;
	void *private_data;
	unsigned long state;			/* GD_* bits */
	struct block_device *part0;		/* the whole disk */
	/* Shown by lsblk when the disk has no parent device with a driver. */
	const char *driver_name;
	/* Private to block/. */
	struct block_device *parts[DISK_MAX_PARTS];	/* [0] == part0 */
	struct mutex open_mutex;		/* partitions (re)scan */
	struct mutex rmw_mutex;			/* /dev node writes (fs/block_dev.c) */
};

static inline sector_t get_capacity(const struct gendisk *disk)
{
	return disk->part0->bd_nr_sectors;
}

static inline sector_t bdev_nr_sectors(const struct block_device *bdev)
{
	return bdev->bd_nr_sectors;
}

static inline struct request_queue *bdev_get_queue(const struct block_device *bdev)
{
	return bdev->bd_queue;
}

static inline struct device *disk_to_dev(struct gendisk *disk)
{
	return &disk->part0->bd_device;
}

/**
 * set_capacity() - set the size of @disk
 * @disk: the disk
 * @size: sectors (512 bytes each)
 */
void set_capacity(struct gendisk *disk, sector_t size);

/**
 * set_disk_ro() - make @disk (and its partitions found later) read-only, or not
 * @disk: the disk
 * @read_only: true: writes fail with BLK_STS_IOERR and a log line
 */
void set_disk_ro(struct gendisk *disk, bool read_only);

static inline bool get_disk_ro(const struct gendisk *disk)
{
	return disk->part0->bd_read_only;
}

/**
 * device_add_disk() - register @disk and scan its partitions
 * @parent: the device the disk belongs to (the driver's PCI device), or NULL
 * @disk: from blk_mq_alloc_disk(), with name, capacity and limits set
 * @groups: attribute groups; must be NULL (no sysfs in Exo)
 *
 * Adds the disk and each partition found (MBR, GPT) to the block class,
 * named disk_name and disk_name<N> ("vda1", or "nvme0n1p1" when the name
 * ends in a digit).
 *
 * Return: 0; -EINVAL for an empty or malformed name or a capacity of 0;
 * -EEXIST if a block device of that name exists; -ENOMEM.
 */
int device_add_disk(struct device *parent, struct gendisk *disk, const void *groups);

static inline int add_disk(struct gendisk *disk)
{
	return device_add_disk(NULL, disk, NULL);
}

/**
 * del_gendisk() - take @disk away
 * @disk: an added disk
 *
 * Refuses new bios, waits for those in flight, and removes the disk and
 * its partitions from the block class.  The driver's queue_rq is not
 * called after it returns.
 */
void del_gendisk(struct gendisk *disk);

/**
 * put_disk() - free a disk from blk_mq_alloc_disk(), with its queue
 * @disk: the disk, deleted with del_gendisk() if it was added
 */
void put_disk(struct gendisk *disk);

/**
 * bdev_disk_changed() - rescan the partitions of @disk
 * @disk: an added disk
 *
 * Drops the old partitions (refused while one is open) and adds the ones
 * the partition table now describes, under the disk's open_mutex, which
 * blkdev_get_by_path() takes too.
 *
 * Return: 0; -EBUSY if a partition is open; -ENODEV for a disk not added
 * or being deleted; -EIO if the table could not be read.  A malformed
 * table is logged and gives no partitions.
 */
int bdev_disk_changed(struct gendisk *disk);

/**
 * blkdev_get_by_path() - look a block device up by name and hold it
 * @path: "vda", "vda1", or with a "/dev/" prefix
 * @mode: FMODE_READ and/or FMODE_WRITE
 * @holder: unused (exclusive opens are not supported)
 *
 * The open counts under the disk's open_mutex, as a partition rescan
 * runs, so an open never returns a partition a concurrent rescan dropped.
 * Context: may sleep.
 *
 * Return: the device, held until blkdev_put(); ERR_PTR(-ENODEV) if there
 * is none (or its disk is being deleted, or a rescan dropped it);
 * ERR_PTR(-EACCES) for a write open of a read-only device.
 */
struct block_device *blkdev_get_by_path(const char *path, fmode_t mode, void *holder);

/**
 * blkdev_get_by_dev() - blkdev_get_by_path() by device number, as the
 * open of a /dev node does (whatever the node is called)
 * @dev: the number of its /dev node (bd_dev)
 * @mode: FMODE_READ and/or FMODE_WRITE
 * @holder: unused
 *
 * Context: may sleep.
 * Return: as blkdev_get_by_path(); ERR_PTR(-ENODEV) for no such number
 * (0 included: a bd_dev of 0 means the device has no node).
 */
struct block_device *blkdev_get_by_dev(dev_t dev, fmode_t mode, void *holder);

/**
 * blkdev_put() - release a device from blkdev_get_by_path()
 * Context: may sleep (takes the disk's open_mutex).
 */
void blkdev_put(struct block_device *bdev, fmode_t mode);

/**
 * blkdev_for_each() - call @fn for each registered block device, in order
 * @fn: returns non-zero to stop
 * @data: passed to @fn
 *
 * Return: what @fn returned to stop, else 0.
 */
int blkdev_for_each(int (*fn)(struct block_device *bdev, void *data), void *data);

/**
 * blkdev_issue_flush() - flush the write cache of @bdev's disk, and wait
 *
 * Return: 0 or a negative errno.
 */
int blkdev_issue_flush(struct block_device *bdev);

/**
 * blkdev_rw() - read or write whole sectors synchronously
 * @bdev: the device
 * @op: REQ_OP_READ or REQ_OP_WRITE, with REQ_FUA/REQ_PREFLUSH if wanted
 * @sector: first sector, relative to @bdev
 * @buf: direct-map buffer
 * @len: bytes, a multiple of the logical block size
 *
 * The buffer is split into bios of at most BIO_MAX_VECS pages.
 *
 * Return: 0 or a negative errno (see submit_bio_wait()).
 */
int blkdev_rw(struct block_device *bdev, blk_opf_t op, sector_t sector, void *buf, size_t len);

/*
 * Queue limits, set by the driver before device_add_disk().  A value out
 * of range is logged and replaced by the nearest legal one (or, where
 * none is, ignored), as Linux does.
 */

/**
 * blk_queue_max_hw_sectors() - most 512-byte sectors in one request
 * @q: the queue
 * @max_hw_sectors: at least a page's worth (8); smaller is raised to it
 */
void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int max_hw_sectors);

/**
 * blk_queue_max_segments() - most scatter-gather segments in one request
 * @q: the queue
 * @max_segments: at least 1 (0 is raised to 1)
 */
void blk_queue_max_segments(struct request_queue *q, unsigned short max_segments);

/**
 * blk_queue_max_segment_size() - longest segment, in bytes
 * @q: the queue
 * @max_size: at least PAGE_SIZE (smaller is raised to it)
 */
void blk_queue_max_segment_size(struct request_queue *q, unsigned int max_size);

/**
 * blk_queue_logical_block_size() - the device's addressing unit
 * @q: the queue
 * @size: a power of 2 from 512 to 4096 (else 512 is used); bios must
 *	start and end on it
 */
void blk_queue_logical_block_size(struct request_queue *q, unsigned int size);

/**
 * blk_queue_physical_block_size() - the device's internal block size
 * @q: the queue
 * @size: a power of 2, at least the logical block size (else ignored)
 */
void blk_queue_physical_block_size(struct request_queue *q, unsigned int size);

/**
 * blk_queue_max_discard_sectors() - offer REQ_OP_DISCARD
 * @q: the queue
 * @max_discard_sectors: most sectors per discard request; 0: not offered
 */
void blk_queue_max_discard_sectors(struct request_queue *q, unsigned int max_discard_sectors);

/**
 * blk_queue_max_write_zeroes_sectors() - offer REQ_OP_WRITE_ZEROES
 * @q: the queue
 * @max_sectors: most sectors per request; 0: not offered
 */
void blk_queue_max_write_zeroes_sectors(struct request_queue *q, unsigned int max_sectors);

/**
 * blk_queue_dma_alignment() - alignment of data buffers
 * @q: the queue
 * @mask: address mask, a power of 2 minus 1 (511 by default; else ignored)
 */
void blk_queue_dma_alignment(struct request_queue *q, int mask);

/**
 * blk_queue_segment_boundary() - a boundary no segment may cross
 * @q: the queue
 * @mask: boundary - 1 (0xffff: 64 KiB, as IDE bus-master DMA needs);
 *	at least PAGE_SIZE - 1
 */
void blk_queue_segment_boundary(struct request_queue *q, unsigned long mask);

/**
 * blk_queue_write_cache() - say whether the device caches writes
 * @q: the queue
 * @wc: a volatile write cache: REQ_OP_FLUSH and REQ_PREFLUSH reach the driver
 * @fua: native FUA writes (else emulated with a flush after the write)
 */
void blk_queue_write_cache(struct request_queue *q, bool wc, bool fua);

/**
 * blk_queue_rq_timeout() - the request timeout
 * @q: the queue
 * @timeout: jiffies (0 is taken as 1)
 */
void blk_queue_rq_timeout(struct request_queue *q, unsigned int timeout);

/**
 * blk_queue_fake_timeouts() - lose the next completions of a queue's device
 * @q: the queue
 * @n: how many completions blk_should_fake_timeout() swallows from now on
 *
 * Fault injection for tests, Linux's fail_io_timeout without the debugfs
 * knob: the driver sees its device complete a request but, asked
 * blk_should_fake_timeout(), does not pass it on, so the request times out
 * as if the interrupt had been lost.
 */
void blk_queue_fake_timeouts(struct request_queue *q, unsigned int n);

/**
 * blk_queue_fake_stalls() - let a queue's device sit on the next requests
 * @q: the queue
 * @n: how many device notifications blk_should_fake_stall() holds back
 *	from now on (a driver asking for each request it queues, as
 *	virtio_blk does, holds back that many requests)
 *
 * Fault injection for tests: a driver asks blk_should_fake_stall() when it
 * has put a request on the device's queue and would tell the device; for
 * a stalled one it does not, so the device holds the request until the
 * timeout handler deals with it (or another request's notification), as
 * a hung device would.  Unlike blk_queue_fake_timeouts(), the device still
 * owns the request when it times out.
 */
void blk_queue_fake_stalls(struct request_queue *q, unsigned int n);

static inline unsigned int queue_logical_block_size(const struct request_queue *q)
{
	return q->limits.logical_block_size;
}

static inline unsigned short queue_max_segments(const struct request_queue *q)
{
	return q->limits.max_segments;
}

static inline unsigned int queue_max_hw_sectors(const struct request_queue *q)
{
	return q->limits.max_hw_sectors;
}

static inline unsigned int bdev_logical_block_size(const struct block_device *bdev)
{
	return queue_logical_block_size(bdev->bd_queue);
}

/*
 * The integrity pattern every block test writes and checks: each 512-byte
 * sector holds 64 little-endian u64 words, word 0 the sector's LBA (on the
 * whole disk), word 1 the seed, word k (2..63) LBA * BLK_PAT_A + seed *
 * BLK_PAT_B + k * BLK_PAT_C modulo 2^64, so a sector written at the wrong
 * place, twice, shifted or torn is caught.  scripts/blkimage.py is the
 * host's copy.
 */
#define BLK_PAT_A	0x9e3779b97f4a7c15ULL
#define BLK_PAT_B	0xc2b2ae3d27d4eb4fULL
#define BLK_PAT_C	0x165667b19e3779f9ULL

/**
 * blk_pattern_fill() - write the pattern of @nr sectors from @lba into @buf
 * @buf: @nr * 512 bytes
 * @lba: first sector's LBA
 * @seed: the seed
 * @nr: sectors
 */
void blk_pattern_fill(void *buf, sector_t lba, u64 seed, unsigned int nr);

/**
 * blk_pattern_check() - check @nr sectors of @buf against the pattern
 * @buf: @nr * 512 bytes
 * @lba: first sector's LBA
 * @seed: the seed
 * @nr: sectors
 *
 * Return: -1 if every byte matches, else the offset of the first bad byte.
 */
long blk_pattern_check(const void *buf, sector_t lba, u64 seed, unsigned int nr);

/**
 * blk_integrity_run() - write or verify the pattern on a range of @bdev
 * @bdev: the device
 * @write: write the pattern (with pre-flushes, FUA writes and a final
 *	flush), else read it back and check every byte
 * @seed: the pattern's seed
 * @first: first sector, relative to @bdev (the pattern holds disk LBAs)
 * @nr: sectors
 * @nr_threads: concurrent submitters, one per online CPU in turn
 *	(0: one per online CPU)
 *
 * Return: 0; -EINVAL for a range outside @bdev; -EIO for a mismatch (the
 * first bad LBA is logged); or an I/O error.
 */
int blk_integrity_run(struct block_device *bdev, bool write, u64 seed, sector_t first,
		      sector_t nr, unsigned int nr_threads);

/*
 * Live block layer objects, for leak checks: each count goes back to its
 * baseline once the I/O it belongs to completed.
 */
struct blk_counters {
	long bios;		/* bio_alloc()ed, not freed */
	long requests;		/* tags held */
	long in_flight;		/* started, not ended */
	long timeouts;		/* requests ended by the timeout handler (total) */
	long requeues;		/* BLK_STS_RESOURCE answers and requeues (total) */
	long splits;		/* bios split to fit the limits (total) */
	long merges;		/* bios merged into a waiting request (total) */
};

/**
 * blk_get_counters() - a snapshot of the block layer's counters
 */
void blk_get_counters(struct blk_counters *c);

#endif /* _EXO_BLKDEV_H */
