// SPDX-License-Identifier: GPL-2.0
/*
 * Bio submission (checks, partition remapping), queue usage and freezing,
 * queue limits and the synchronous helpers built on bios.
 */
#include <exo/atomic.h>
#include <exo/blk-mq.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/limits.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/wait.h>
#include "blk.h"

static const char *const blk_op_names[REQ_OP_LAST] = {
	[REQ_OP_READ] = "READ", [REQ_OP_WRITE] = "WRITE", [REQ_OP_FLUSH] = "FLUSH",
	[REQ_OP_DISCARD] = "DISCARD", [REQ_OP_WRITE_ZEROES] = "WRITE_ZEROES",
};

static const char *blk_op_str(enum req_op op)
{
	return op < REQ_OP_LAST && blk_op_names[op] ? blk_op_names[op] : "UNKNOWN";
}

/*
 * Take a usage reference on @q for one request; false if the queue is
 * dying (or frozen and @nowait).  A frozen queue makes the caller wait.
 */
bool blk_queue_enter(struct request_queue *q, bool nowait)
{
	for (;;) {
		atomic_add(1, &q->q_usage);
		/* Pairs with blk_mq_freeze_queue(): depth first, then usage. */
		smp_mb();
		if (blk_queue_flag_test(QUEUE_FLAG_DYING, q)) {
			blk_queue_exit(q);
			return false;
		}
		if (!atomic_read(&q->mq_freeze_depth))
			return true;
		blk_queue_exit(q);
		if (nowait)
			return false;
		wait_event(q->mq_freeze_wq, !atomic_read(&q->mq_freeze_depth) ||
			   blk_queue_flag_test(QUEUE_FLAG_DYING, q));
	}
}

void blk_queue_exit(struct request_queue *q)
{
	if (atomic_add_return(-1, &q->q_usage) == 0)
		wake_up_all(&q->mq_freeze_wq);
}

void blk_mq_freeze_queue(struct request_queue *q)
{
	atomic_add(1, &q->mq_freeze_depth);
	smp_mb();
	wait_event(q->mq_freeze_wq, atomic_read(&q->q_usage) == 0);
}
EXPORT_SYMBOL_GPL(blk_mq_freeze_queue);

void blk_mq_unfreeze_queue(struct request_queue *q)
{
	atomic_add(-1, &q->mq_freeze_depth);
	wake_up_all(&q->mq_freeze_wq);
}
EXPORT_SYMBOL_GPL(blk_mq_unfreeze_queue);

/* Reject @bio with @status and a log line naming the device and the reason. */
static void bio_reject(struct bio *bio, blk_status_t status, const char *why)
{
	pr_err_ratelimited("block: %s: %s %s, sector %llu, %u bytes: %s\n",
			   bio->bi_bdev ? bdev_name(bio->bi_bdev) : "(no device)",
			   blk_op_str(bio_op(bio)), status == BLK_STS_NOTSUPP ? "not supported" :
			   "refused", (unsigned long long)bio->bi_iter.bi_sector,
			   bio->bi_iter.bi_size, why);
	bio->bi_status = status;
	bio_endio(bio);
}

/* Data buffers: each segment aligned as the queue's DMA alignment asks. */
static bool bio_buffers_aligned(struct request_queue *q, struct bio *bio)
{
	unsigned int mask = q->limits.dma_alignment;
	struct bvec_iter iter;
	struct bio_vec bv;

	bio_for_each_segment(bv, bio, iter) {
		if (((page_to_phys(bv.bv_page) + bv.bv_offset) & mask) || (bv.bv_len & mask))
			return false;
	}
	return true;
}

/* Checks common to every operation; NULL if @bio may go on, else why not. */
static const char *bio_check(struct bio *bio, blk_status_t *status)
{
	struct block_device *bdev = bio->bi_bdev;
	struct request_queue *q = bdev->bd_queue;
	enum req_op op = bio_op(bio);
	sector_t nr = bio_sectors(bio);
	unsigned int lbs;

	*status = BLK_STS_IOERR;
	if (test_bit(GD_DEAD, &bdev->bd_disk->state))
		return "the disk is gone";
	lbs = q->limits.logical_block_size;
	switch (op) {
	case REQ_OP_FLUSH:
		return bio->bi_iter.bi_size ? "a flush carries no data" : NULL;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		if (!(op == REQ_OP_DISCARD ? q->limits.max_discard_sectors :
		      q->limits.max_write_zeroes_sectors)) {
			*status = BLK_STS_NOTSUPP;
			return "the device does not offer it";
		}
		break;
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		break;
	default:
		*status = BLK_STS_NOTSUPP;
		return "unknown operation";
	}
	if (op_is_write(bio->bi_opf) && bdev->bd_read_only)
		return "the device is read-only";
	if (!bio->bi_iter.bi_size)
		return "zero length";
	if ((bio->bi_iter.bi_size & (lbs - 1)) ||
	    (bio->bi_iter.bi_sector & ((lbs >> SECTOR_SHIFT) - 1)))
		return "not a multiple of the logical block size";
	if (bio->bi_iter.bi_sector > bdev->bd_nr_sectors ||
	    nr > bdev->bd_nr_sectors - bio->bi_iter.bi_sector)
		return "beyond the end of the device";
	if (op_has_data(op) && !bio_buffers_aligned(q, bio))
		return "misaligned buffer";
	return NULL;
}

void submit_bio(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	blk_status_t status;
	const char *why;

	if (!bdev) {
		bio_reject(bio, BLK_STS_IOERR, "no block device");
		return;
	}
	/* An empty write with a pre-flush is a flush, as in Linux. */
	if (bio_op(bio) == REQ_OP_WRITE && !bio->bi_iter.bi_size && (bio->bi_opf & REQ_PREFLUSH))
		bio->bi_opf = REQ_OP_FLUSH | (bio->bi_opf & ~(REQ_OP_MASK | REQ_PREFLUSH | REQ_FUA));
	why = bio_check(bio, &status);
	if (why) {
		bio_reject(bio, status, why);
		return;
	}
	if (bdev->bd_partno) {
		bio->bi_iter.bi_sector += bdev->bd_start_sect;
		bio->bi_bdev = bdev->bd_disk->part0;
	}
	blk_mq_submit_bio(bio);
}
EXPORT_SYMBOL_GPL(submit_bio);

/*
 * Count the segments of @bio from its position, each bio_vec cut at the
 * queue's max_segment_size and segment boundary, up to max_segments
 * segments and @max_bytes bytes; *@bytes gets the bytes they cover.
 */
unsigned int blk_bio_segments(struct request_queue *q, struct bio *bio, unsigned int max_bytes,
			      unsigned int *bytes)
{
	const struct queue_limits *lim = &q->limits;
	unsigned int nsegs = 0, total = 0;
	struct bvec_iter iter;
	struct bio_vec bv;

	bio_for_each_segment(bv, bio, iter) {
		phys_addr_t pa = page_to_phys(bv.bv_page) + bv.bv_offset;
		unsigned int len = bv.bv_len;

		while (len) {
			unsigned int seg = blk_seg_len(lim, pa, len);

			if (nsegs == lim->max_segments || total == max_bytes)
				goto out;
			seg = min(seg, max_bytes - total);
			nsegs++;
			total += seg;
			pa += seg;
			len -= seg;
		}
	}
out:
	*bytes = total;
	return nsegs;
}

void blk_set_default_limits(struct queue_limits *lim)
{
	lim->max_hw_sectors = 255;
	lim->max_sectors = 255;
	lim->max_segment_size = 65536;
	lim->max_segments = 128;
	lim->logical_block_size = 512;
	lim->physical_block_size = 512;
	lim->max_discard_sectors = 0;
	lim->max_write_zeroes_sectors = 0;
	lim->dma_alignment = 511;
	lim->seg_boundary_mask = ~0UL;
}

void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int max_hw_sectors)
{
	unsigned int min_sectors = PAGE_SIZE >> SECTOR_SHIFT;

	if (max_hw_sectors < min_sectors) {
		pr_warn("block: max_hw_sectors %u below a page: using %u\n", max_hw_sectors,
			min_sectors);
		max_hw_sectors = min_sectors;
	}
	q->limits.max_hw_sectors = max_hw_sectors;
	q->limits.max_sectors = min(max_hw_sectors, BLK_DEF_MAX_SECTORS);
}
EXPORT_SYMBOL_GPL(blk_queue_max_hw_sectors);

void blk_queue_max_segments(struct request_queue *q, unsigned short max_segments)
{
	if (!max_segments) {
		pr_warn("block: max_segments 0: using 1\n");
		max_segments = 1;
	}
	q->limits.max_segments = max_segments;
}
EXPORT_SYMBOL_GPL(blk_queue_max_segments);

void blk_queue_max_segment_size(struct request_queue *q, unsigned int max_size)
{
	if (max_size < PAGE_SIZE) {
		pr_warn("block: max_segment_size %u below a page: using %lu\n", max_size, PAGE_SIZE);
		max_size = PAGE_SIZE;
	}
	q->limits.max_segment_size = max_size;
}
EXPORT_SYMBOL_GPL(blk_queue_max_segment_size);

void blk_queue_logical_block_size(struct request_queue *q, unsigned int size)
{
	if (size < SECTOR_SIZE || size > PAGE_SIZE || !is_power_of_2(size)) {
		pr_warn("block: logical block size %u not a power of 2 in 512..4096: using 512\n",
			size);
		size = SECTOR_SIZE;
	}
	q->limits.logical_block_size = size;
	if (q->limits.physical_block_size < size)
		q->limits.physical_block_size = size;
	/* A whole block per request at least, and requests in whole blocks. */
	if (q->limits.max_hw_sectors < (size >> SECTOR_SHIFT))
		q->limits.max_hw_sectors = size >> SECTOR_SHIFT;
	q->limits.max_sectors = max(min(q->limits.max_hw_sectors, BLK_DEF_MAX_SECTORS),
				    size >> SECTOR_SHIFT);
}
EXPORT_SYMBOL_GPL(blk_queue_logical_block_size);

void blk_queue_physical_block_size(struct request_queue *q, unsigned int size)
{
	if (size < q->limits.logical_block_size || !is_power_of_2(size)) {
		pr_warn("block: physical block size %u refused\n", size);
		return;
	}
	q->limits.physical_block_size = size;
}
EXPORT_SYMBOL_GPL(blk_queue_physical_block_size);

void blk_queue_max_discard_sectors(struct request_queue *q, unsigned int max_discard_sectors)
{
	q->limits.max_discard_sectors = max_discard_sectors;
}
EXPORT_SYMBOL_GPL(blk_queue_max_discard_sectors);

void blk_queue_max_write_zeroes_sectors(struct request_queue *q, unsigned int max_sectors)
{
	q->limits.max_write_zeroes_sectors = max_sectors;
}
EXPORT_SYMBOL_GPL(blk_queue_max_write_zeroes_sectors);

void blk_queue_dma_alignment(struct request_queue *q, int mask)
{
	if (mask < 0 || !is_power_of_2((unsigned int)mask + 1)) {
		pr_warn("block: dma alignment mask %#x refused\n", mask);
		return;
	}
	q->limits.dma_alignment = (unsigned int)mask;
}
EXPORT_SYMBOL_GPL(blk_queue_dma_alignment);

void blk_queue_segment_boundary(struct request_queue *q, unsigned long mask)
{
	if (mask < PAGE_SIZE - 1) {
		pr_warn("block: segment boundary %#lx below a page: using %#lx\n", mask,
			PAGE_SIZE - 1);
		mask = PAGE_SIZE - 1;
	}
	q->limits.seg_boundary_mask = mask;
}
EXPORT_SYMBOL_GPL(blk_queue_segment_boundary);

void blk_queue_write_cache(struct request_queue *q, bool wc, bool fua)
{
	unsigned long flags = q->queue_flags & ~((1UL << QUEUE_FLAG_WC) | (1UL << QUEUE_FLAG_FUA));

	if (wc)
		flags |= 1UL << QUEUE_FLAG_WC;
	if (fua)
		flags |= 1UL << QUEUE_FLAG_FUA;
	WRITE_ONCE(q->queue_flags, flags);
}
EXPORT_SYMBOL_GPL(blk_queue_write_cache);

void blk_queue_rq_timeout(struct request_queue *q, unsigned int timeout)
{
	q->rq_timeout = timeout ? timeout : 1;
}
EXPORT_SYMBOL_GPL(blk_queue_rq_timeout);

void blk_queue_fake_timeouts(struct request_queue *q, unsigned int n)
{
	atomic_set(&q->fake_timeouts, (int)min(n, (unsigned int)INT_MAX));
}
EXPORT_SYMBOL_GPL(blk_queue_fake_timeouts);

void blk_queue_fake_stalls(struct request_queue *q, unsigned int n)
{
	atomic_set(&q->fake_stalls, (int)min(n, (unsigned int)INT_MAX));
}
EXPORT_SYMBOL_GPL(blk_queue_fake_stalls);

/* Take one of the faults left in @left, if another CPU did not; log it. */
static bool blk_take_fake(struct request_queue *q, atomic_t *left_p, const char *what)
{
	int left = atomic_read(left_p);

	while (left > 0) {
		if (atomic_try_cmpxchg(left_p, &left, left - 1)) {
			pr_warn_ratelimited("block: %s: %s\n", q->disk ? q->disk->disk_name : "?",
					    what);
			return true;
		}
	}
	return false;
}

bool __blk_should_fake_timeout(struct request_queue *q)
{
	return blk_take_fake(q, &q->fake_timeouts, "completion dropped (fake timeout)");
}
EXPORT_SYMBOL_GPL(__blk_should_fake_timeout);

bool __blk_should_fake_stall(struct request_queue *q)
{
	return blk_take_fake(q, &q->fake_stalls, "device not told of a request (fake stall)");
}
EXPORT_SYMBOL_GPL(__blk_should_fake_stall);

int blkdev_issue_flush(struct block_device *bdev)
{
	struct bio bio;

	bio_init(&bio, bdev, NULL, 0, REQ_OP_WRITE | REQ_PREFLUSH);
	return submit_bio_wait(&bio);
}
EXPORT_SYMBOL_GPL(blkdev_issue_flush);

/* One bio per chunk: a direct-map buffer is physically contiguous. */
#define BLKDEV_RW_CHUNK	(1U << 30)

int blkdev_rw(struct block_device *bdev, blk_opf_t op, sector_t sector, void *buf, size_t len)
{
	u8 *p = buf;

	if (!len) {
		pr_err("block: %s: zero-length %s refused\n", bdev_name(bdev),
		       blk_op_str(op & REQ_OP_MASK));
		return -EINVAL;
	}
	while (len) {
		unsigned int n = (unsigned int)min_t(size_t, len, BLKDEV_RW_CHUNK);
		struct bio_vec bv;
		struct bio bio;
		int err;

		bio_init(&bio, bdev, &bv, 1, op);
		bio.bi_iter.bi_sector = sector;
		if (bio_add_virt(&bio, p, n) != (int)n)
			return -EINVAL;
		err = submit_bio_wait(&bio);
		if (err)
			return err;
		/* Pre-flush once, before the first chunk. */
		op &= ~REQ_PREFLUSH;
		p += n;
		sector += n >> SECTOR_SHIFT;
		len -= n;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(blkdev_rw);
