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
 * completion end the wrong request).  That late completion only frees the
 * tag; blk_mq_destroy_queue() frees the tags still kept, and a completion
 * after it is refused with a log line.
 *
 * The scan pins each request it looks at (a reference, as Linux's
 * req_ref_inc_not_zero()), so one that completes meanwhile is not freed
 * and reused under the handler; the state machine of block/blk.h lets
 * exactly one of the handler and the completion end it.
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

	expiry = jiffies + rq->timeout;
	WRITE_ONCE(rq->deadline, expiry);
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

/* Move @rq from @state (IN_FLIGHT, generation included) to @to. */
static bool blk_mq_claim_timed_out(struct request *rq, int state, int to)
{
	return __atomic_compare_exchange_n(&rq->state, &state, (state & ~RQ_STATE_MASK) | to,
					   false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

#ifdef CONFIG_KTEST
void (*blk_timeout_test_hook)(struct request *rq);
#endif

/*
 * @rq, pinned by the scan, was IN_FLIGHT in @state past its deadline.
 * Exactly one of the timeout handler and the completion ends its bios:
 * whoever moves it out of IN_FLIGHT of this generation.
 */
static void blk_mq_rq_timed_out(struct request *rq, int state)
{
	const struct blk_mq_ops *ops = rq->q->tag_set->ops;
	bool free_tag = ops->timeout;

	if (ops->timeout && ops->timeout(rq) == BLK_EH_RESET_TIMER) {
		if (READ_ONCE(rq->state) == state)
			blk_add_timer(rq);
		return;
	}
	/* Unless the driver ended it meanwhile. */
	if (!blk_mq_claim_timed_out(rq, state, free_tag ? MQ_RQ_RETIRED : MQ_RQ_TIMED_OUT))
		return;
#ifdef CONFIG_KTEST
	/* A ktest delivers a late completion here, in the window it must survive. */
	if (READ_ONCE(blk_timeout_test_hook))
		blk_timeout_test_hook(rq);
#endif
	blk_mq_end_timed_out(rq, free_tag);
}

/*
 * Look at one started request of @q, pinned (req_ref_inc_not_zero(), as
 * Linux's blk_mq_check_expired()) so that it cannot be freed and reused
 * while the handler looks at it.  Returns true with *@next set if it
 * expires later.
 */
static bool blk_mq_check_expired(struct request_queue *q, struct request *rq,
				 unsigned long now, unsigned long *next)
{
	bool pending = false;
	int state;

	if (!req_ref_inc_not_zero(rq))
		return false;
	/* Acquire: pairs with blk_mq_start_request(), which set the deadline first. */
	state = smp_load_acquire(&rq->state);
	if ((state & RQ_STATE_MASK) == MQ_RQ_IN_FLIGHT && READ_ONCE(rq->q) == q) {
		if (time_after_eq(now, READ_ONCE(rq->deadline))) {
			blk_mq_rq_timed_out(rq, state);
		} else {
			*next = rq->deadline;
			pending = true;
		}
	}
	if (req_ref_put_and_test(rq))
		__blk_mq_free_request(rq);
	return pending;
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
			unsigned long deadline;

			if (!blk_mq_check_expired(q, tags->rqs[tag], now, &deadline))
				continue;
			if (!pending || time_before(deadline, next))
				next = deadline;
			pending = true;
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
