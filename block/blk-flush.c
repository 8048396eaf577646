// SPDX-License-Identifier: GPL-2.0
/*
 * Flush and FUA on a queue with a volatile write cache.
 *
 * A write with REQ_PREFLUSH and/or REQ_FUA walks up to three steps with
 * the one request (and tag) it already holds: a cache flush (PREFLUSH),
 * the data, and, for FUA on a device without native FUA, a flush after
 * the data (POSTFLUSH).  During a flush step the request carries
 * REQ_OP_FLUSH and no bios; its data fields are parked in flush_*.  Each
 * step is queued at the head of the hardware queue once the previous one
 * completed, so the data never reaches the device before its pre-flush
 * completed, and the bios complete only after the post-flush.  An error
 * at any step ends the bios with it.
 */
#include <exo/blk-mq.h>
#include <exo/kernel.h>
#include "blk.h"

/* Exchange the request's data fields with their parked copies. */
static void blk_flush_swap(struct request *rq)
{
	swap(rq->cmd_flags, rq->flush_opf);
	swap(rq->__data_len, rq->flush_len);
	swap(rq->nr_phys_segments, rq->flush_segs);
	swap(rq->bio, rq->flush_bio);
	swap(rq->biotail, rq->flush_biotail);
}

/* A flush step: the data waits in flush_*, the request carries no bios. */
static void blk_flush_park(struct request *rq)
{
	if (!rq->bio)
		return;
	blk_flush_swap(rq);
	rq->cmd_flags = REQ_OP_FLUSH | (rq->flush_opf & REQ_SYNC);
}

static void blk_flush_restore(struct request *rq)
{
	if (rq->bio || !rq->flush_bio)
		return;
	blk_flush_swap(rq);
}

/* Set @rq up for its next step, the lowest REQ_FSEQ_* bit left. */
static void blk_flush_step(struct request *rq)
{
	if (rq->flush_seq & REQ_FSEQ_DATA && !(rq->flush_seq & REQ_FSEQ_PREFLUSH))
		blk_flush_restore(rq);
	else
		blk_flush_park(rq);
}

bool blk_insert_flush(struct request *rq)
{
	struct request_queue *q = rq->q;
	blk_opf_t opf = rq->cmd_flags;
	u8 seq = REQ_FSEQ_DATA;

	if (req_op(rq) == REQ_OP_FLUSH)
		return false;
	if (opf & REQ_PREFLUSH)
		seq |= REQ_FSEQ_PREFLUSH;
	if ((opf & REQ_FUA) && !blk_queue_flag_test(QUEUE_FLAG_FUA, q))
		seq |= REQ_FSEQ_POSTFLUSH;
	rq->cmd_flags &= ~REQ_PREFLUSH;
	if (!blk_queue_flag_test(QUEUE_FLAG_FUA, q))
		rq->cmd_flags &= ~REQ_FUA;
	if (seq == REQ_FSEQ_DATA)
		return false;
	rq->rq_flags |= RQF_FLUSH_SEQ;
	rq->flush_seq = seq;
	blk_flush_step(rq);
	return true;
}

bool blk_flush_complete_seq(struct request *rq, blk_status_t error)
{
	u8 done = rq->flush_seq & (u8)-rq->flush_seq;	/* the step that ended */

	rq->flush_seq &= (u8)~done;
	if (error || !rq->flush_seq) {
		blk_flush_restore(rq);
		rq->rq_flags &= ~RQF_FLUSH_SEQ;
		rq->flush_seq = 0;
		return false;
	}
	blk_flush_step(rq);
	rq->rq_flags &= ~RQF_STARTED;
	WRITE_ONCE(rq->state, READ_ONCE(rq->state) & ~RQ_STATE_MASK);	/* MQ_RQ_IDLE */
	blk_mq_insert_request(rq, true);
	return true;
}
