// SPDX-License-Identifier: GPL-2.0
/*
 * Request timeouts.  blk_mq_start_request() sets the request's deadline
 * (the queue's rq_timeout, 30 s unless the driver set one) and arms the
 * queue's timer for the earliest deadline; the timer's work scans the
 * started requests of every hardware queue.
 *
 * An expired request goes to the driver's ops->timeout if it has one:
 * BLK_EH_RESET_TIMER gives it another period; BLK_EH_DONE means the
 * driver will not complete it any more, and the core ends it with
 * BLK_STS_TIMEOUT and frees its tag.  Without ops->timeout the core ends
 * the bios with BLK_STS_TIMEOUT at once, so the submitter never hangs,
 * but keeps the tag until the device's late completion arrives (a tag
 * reused while the device still owns the request would let that
 * completion end the wrong request).
 */
#include <exo/blk-mq.h>
#include <exo/bitmap.h>
#include <exo/jiffies.h>
#include <exo/printk.h>
#include "blk.h"

void blk_add_timer(struct request *rq)
{
	struct request_queue *q = rq->q;
	unsigned long expiry;

	rq->deadline = jiffies + rq->timeout;
	expiry = rq->deadline;
	if (!timer_pending(&q->timeout) || time_before(expiry, READ_ONCE(q->timeout.expires)))
		mod_timer(&q->timeout, expiry);
}

/* End @rq (claimed from IN_FLIGHT into TIMED_OUT) with BLK_STS_TIMEOUT. */
static void blk_mq_end_timed_out(struct request *rq, bool free_tag)
{
	struct request_queue *q = rq->q;

	atomic_add(-1, &rq->mq_hctx->nr_active);
	atomic_long_add_return(-1, &blk_nr_in_flight);
	atomic_long_add_return(1, &blk_nr_timeouts);
	pr_err_ratelimited("block: %s: request %d (sector %llu, %u sectors) timed out\n",
			   q->disk ? q->disk->disk_name : "?", rq->tag,
			   (unsigned long long)blk_rq_pos(rq), blk_rq_sectors(rq));
	if (free_tag) {
		/* The driver gave it up: end and free it as any other. */
		__blk_mq_end_request(rq, BLK_STS_TIMEOUT);
		return;
	}
	rq->rq_flags &= ~RQF_FLUSH_SEQ;
	if (!rq->bio && rq->flush_bio) {
		rq->bio = rq->flush_bio;
		rq->flush_bio = rq->flush_biotail = NULL;
	}
	rq->rq_flags |= RQF_TIMED_OUT;
	for (struct bio *bio = rq->bio, *next; bio; bio = next) {
		next = bio->bi_next;
		bio->bi_next = NULL;
		bio->bi_status = BLK_STS_TIMEOUT;
		bio_endio(bio);
	}
	rq->bio = rq->biotail = NULL;
	/* Its bios are done: del_gendisk() must not wait for the tag. */
	blk_queue_exit(q);
}

static void blk_mq_rq_timed_out(struct request *rq, int state)
{
	const struct blk_mq_ops *ops = rq->q->tag_set->ops;

	if (ops->timeout) {
		if (ops->timeout(rq) == BLK_EH_RESET_TIMER) {
			blk_add_timer(rq);
			return;
		}
		/* Unless the driver ended it meanwhile, or it was reused. */
		if (__atomic_compare_exchange_n(&rq->state, &state,
						(state & ~RQ_STATE_MASK) | MQ_RQ_TIMED_OUT, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			blk_mq_end_timed_out(rq, true);
		return;
	}
	if (__atomic_compare_exchange_n(&rq->state, &state, (state & ~RQ_STATE_MASK) | MQ_RQ_TIMED_OUT,
					false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		blk_mq_end_timed_out(rq, false);
}

static void blk_mq_timeout_work(struct work_struct *work)
{
	struct request_queue *q = container_of(work, struct request_queue, timeout_work);
	unsigned long now = jiffies, next = 0;
	bool pending = false;

	for (unsigned int i = 0; i < q->nr_hw_queues; i++) {
		struct blk_mq_tags *tags = q->queue_hw_ctx[i]->tags;
		unsigned long tag;

		for_each_set_bit(tag, tags->bitmap, tags->nr_tags) {
			struct request *rq = tags->rqs[tag];
			int state = READ_ONCE(rq->state);

			if ((state & RQ_STATE_MASK) != MQ_RQ_IN_FLIGHT || rq->q != q)
				continue;
			if (time_after_eq(now, READ_ONCE(rq->deadline))) {
				blk_mq_rq_timed_out(rq, state);
			} else if (!pending || time_before(rq->deadline, next)) {
				next = rq->deadline;
				pending = true;
			}
		}
	}
	if (pending)
		mod_timer(&q->timeout, next);
}

static void blk_rq_timed_out_timer(struct timer_list *t)
{
	struct request_queue *q = container_of(t, struct request_queue, timeout);

	queue_work(kblockd_workqueue, &q->timeout_work);
}

void blk_timeout_init(struct request_queue *q)
{
	timer_setup(&q->timeout, blk_rq_timed_out_timer, 0);
	INIT_WORK(&q->timeout_work, blk_mq_timeout_work);
}

/*
 * With nothing in flight (the queue is frozen or unused) the work re-arms
 * nothing, so timer, work, timer leaves neither pending.
 */
void blk_timeout_stop(struct request_queue *q)
{
	del_timer_sync(&q->timeout);
	cancel_work_sync(&q->timeout_work);
	del_timer_sync(&q->timeout);
}
