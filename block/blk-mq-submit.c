// SPDX-License-Identifier: GPL-2.0
/*
 * blk-mq's submission path: a bio is cut to the queue limits, appended to
 * a waiting request of the CPU's hardware queue when contiguous, or given
 * a request (and a tag) of its own and inserted; blk_rq_map_sg() maps a
 * request for the driver.  The rest of blk-mq is block/blk-mq.c.
 */
#include <exo/blk-mq.h>
#include <exo/errno.h>
#include <exo/err.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <asm/processor.h>
#include <trace/events/block.h>
#include "blk.h"

static struct request *blk_mq_get_request(struct request_queue *q, blk_opf_t opf)
{
	struct blk_mq_ctx *ctx = &q->queue_ctx[smp_processor_id()];
	struct blk_mq_hw_ctx *hctx = ctx->hctx;
	struct request *rq;
	int tag;

	tag = blk_mq_get_tag(hctx->tags, opf & REQ_NOWAIT);
	if (tag < 0)
		return NULL;
	rq = hctx->tags->rqs[tag];
	rq->q = q;
	rq->mq_ctx = ctx;
	rq->mq_hctx = hctx;
	rq->cmd_flags = opf;
	rq->rq_flags = 0;
	rq->__data_len = 0;
	rq->__sector = 0;
	rq->bio = rq->biotail = NULL;
	rq->nr_phys_segments = 0;
	rq->status = BLK_STS_OK;
	rq->timeout = q->rq_timeout;
	rq->flush_seq = 0;
	rq->flush_len = 0;
	rq->flush_segs = 0;
	rq->flush_bio = rq->flush_biotail = NULL;
	rq->submit_cpu = smp_processor_id();
	INIT_LIST_HEAD(&rq->queuelist);
	INIT_LIST_HEAD(&rq->ipi_list);
	rq_set_state(rq, MQ_RQ_IDLE);
	atomic_long_add_return(1, &blk_nr_requests);
	/* Initialised before a timeout scan can pin it. */
	smp_wmb();
	atomic_set(&rq->ref, 1);
	return rq;
}

/*
 * Append @bio to the last request waiting on the CPU's hardware queue when
 * it continues it on the disk and the merged request stays within the
 * queue limits.  True if merged.
 */
static bool blk_mq_attempt_merge(struct request_queue *q, struct bio *bio, unsigned int nsegs)
{
	struct blk_mq_hw_ctx *hctx = q->queue_ctx[smp_processor_id()].hctx;
	const struct queue_limits *lim = &q->limits;
	unsigned long flags;
	struct request *rq;
	bool merged = false;

	if (!(q->tag_set->flags & BLK_MQ_F_SHOULD_MERGE) || (bio->bi_opf & REQ_NOMERGE) ||
	    !op_has_data(bio_op(bio)) || list_empty(&hctx->dispatch))
		return false;
	spin_lock_irqsave(&hctx->lock, flags);
	if (list_empty(&hctx->dispatch))
		goto out;
	rq = list_last_entry(&hctx->dispatch, struct request, queuelist);
	if (rq->cmd_flags != bio->bi_opf || (rq->rq_flags & (RQF_FLUSH_SEQ | RQF_STARTED)) ||
	    !rq->bio || blk_rq_pos(rq) + blk_rq_sectors(rq) != bio->bi_iter.bi_sector ||
	    blk_rq_sectors(rq) + bio_sectors(bio) > lim->max_sectors ||
	    rq->nr_phys_segments + nsegs > lim->max_segments)
		goto out;
	rq->biotail->bi_next = bio;
	rq->biotail = bio;
	rq->__data_len += bio->bi_iter.bi_size;
	rq->nr_phys_segments += nsegs;
	atomic_long_add_return(1, &blk_nr_merges);
	merged = true;
out:
	spin_unlock_irqrestore(&hctx->lock, flags);
	return merged;
}

/*
 * The first piece of @bio that fits one request: @bio itself, or a split
 * chained to it.  NULL if a split could not be allocated; ERR_PTR(-EINVAL)
 * if the queue limits cannot hold even one logical block of it.
 */
static struct bio *blk_bio_fit(struct request_queue *q, struct bio *bio, unsigned int *nsegs)
{
	const struct queue_limits *lim = &q->limits;
	unsigned int lbs = lim->logical_block_size, max, bytes;
	struct bio *split;

	*nsegs = 0;
	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		*nsegs = blk_bio_segments(q, bio, lim->max_sectors << SECTOR_SHIFT, &bytes);
		break;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		max = bio_op(bio) == REQ_OP_DISCARD ? lim->max_discard_sectors :
			lim->max_write_zeroes_sectors;
		bytes = (unsigned int)min_t(u64, (u64)max << SECTOR_SHIFT, bio->bi_iter.bi_size);
		break;
	default:
		return bio;
	}
	if (bytes >= bio->bi_iter.bi_size)
		return bio;
	bytes = ALIGN_DOWN(bytes, lbs);
	if (!bytes) {
		/* Retrying cannot help: the limits never let one block through. */
		pr_err_ratelimited("block: %s: sector %llu: the %u segment(s) a request may hold carry less than one %u-byte block: I/O error\n",
				   q->disk ? q->disk->disk_name : "?",
				   (unsigned long long)bio->bi_iter.bi_sector, *nsegs, lbs);
		return ERR_PTR(-EINVAL);
	}
	split = bio_split(bio, (int)(bytes >> SECTOR_SHIFT), GFP_KERNEL);
	if (!split)
		return NULL;
	bio_chain(split, bio);
	atomic_long_add_return(1, &blk_nr_splits);
	if (op_has_data(bio_op(split)))
		*nsegs = blk_bio_segments(q, split, bytes, &bytes);
	return split;
}

void blk_mq_submit_bio(struct bio *bio)
{
	struct request_queue *q = bio->bi_bdev->bd_queue;
	bool nowait = bio->bi_opf & REQ_NOWAIT;
	struct bio *cur;

	/* Without a volatile cache there is nothing to flush. */
	if (!blk_queue_flag_test(QUEUE_FLAG_WC, q)) {
		if (bio_op(bio) == REQ_OP_FLUSH) {
			bio_endio(bio);
			return;
		}
		bio->bi_opf &= ~(REQ_PREFLUSH | REQ_FUA);
	}
	do {
		unsigned int nsegs;
		struct request *rq;

		if (!blk_queue_enter(q, nowait)) {
			bio->bi_status = nowait ? BLK_STS_AGAIN : BLK_STS_IOERR;
			bio_endio(bio);
			return;
		}
		cur = blk_bio_fit(q, bio, &nsegs);
		if (IS_ERR_OR_NULL(cur)) {
			blk_queue_exit(q);
			bio->bi_status = cur ? BLK_STS_IOERR : BLK_STS_RESOURCE;
			bio_endio(bio);
			return;
		}
		if (blk_mq_attempt_merge(q, cur, nsegs)) {
			blk_queue_exit(q);
			continue;
		}
		rq = blk_mq_get_request(q, cur->bi_opf);
		if (!rq) {
			blk_queue_exit(q);
			cur->bi_status = BLK_STS_AGAIN;
			bio_endio(cur);
			continue;
		}
		rq->__sector = cur->bi_iter.bi_sector;
		rq->__data_len = op_has_data(bio_op(cur)) || bio_op(cur) == REQ_OP_DISCARD ||
			bio_op(cur) == REQ_OP_WRITE_ZEROES ? cur->bi_iter.bi_size : 0;
		rq->bio = rq->biotail = cur;
		rq->nr_phys_segments = (unsigned short)nsegs;
		if (op_is_flush(rq->cmd_flags))
			blk_insert_flush(rq);
		blk_mq_insert_request(rq, false);
	} while (cur != bio);
}

int blk_rq_map_sg(struct request_queue *q, struct request *rq, struct scatterlist *sglist)
{
	const struct queue_limits *lim = &q->limits;
	struct scatterlist *sg = NULL;
	struct req_iterator iter;
	phys_addr_t end = 0;
	struct bio_vec bv;
	int nsegs = 0;

	if (!op_has_data(req_op(rq)) || !blk_rq_bytes(rq))
		return 0;
	rq_for_each_segment(bv, rq, iter) {
		phys_addr_t pa = page_to_phys(bv.bv_page) + bv.bv_offset;
		unsigned int len = bv.bv_len;

		while (len) {
			unsigned int seg = blk_seg_len(lim, pa, len);

			/* Physically adjacent: grow the last entry if it stays legal. */
			if (sg && pa == end && sg->length + seg <= lim->max_segment_size &&
			    ((pa - sg->length) | lim->seg_boundary_mask) ==
			    ((pa + seg - 1) | lim->seg_boundary_mask)) {
				sg->length += seg;
			} else {
				sg = sg ? sg + 1 : sglist;
				sg_unmark_end(sg);
				sg_set_page(sg, phys_to_page(pa & PAGE_MASK), seg,
					    (unsigned int)offset_in_page(pa));
				nsegs++;
			}
			end = pa + seg;
			pa += seg;
			len -= seg;
		}
	}
	if (sg)
		sg_mark_end(sg);
	return nsegs;
}
EXPORT_SYMBOL_GPL(blk_rq_map_sg);
