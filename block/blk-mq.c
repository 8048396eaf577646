// SPDX-License-Identifier: GPL-2.0
/*
 * blk-mq: bios become requests on the submitting CPU's software queue,
 * which feeds one hardware queue; the driver's queue_rq gets them from
 * the hardware queue's dispatch list, directly in the submitter's context
 * when nobody else is dispatching, and completions come back through
 * blk_mq_complete_request() (bottom half on the submitting CPU) or
 * blk_mq_end_request().  Documentation/block.rst has the whole picture;
 * the bio-to-request path (merge, split, submit) is block/blk-mq-submit.c.
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

struct workqueue_struct *kblockd_workqueue;

bool blk_bench_active;
DEFINE_PER_CPU(u64, blk_bench_cycles);
DEFINE_PER_CPU(unsigned int, blk_bench_depth);

/*
 * Completion-path cycle counting for `blk bench`: only the outermost of
 * nested entries (complete -> ops->complete -> end_request) counts.
 * 0: not counting; 1: nested; else the entry's timestamp.
 */
u64 blk_bench_enter(void)
{
	if (!READ_ONCE(blk_bench_active))
		return 0;
	if ((*this_cpu_ptr(&blk_bench_depth))++)
		return 1;
	return rdtsc() | 2;
}

void blk_bench_exit(u64 t0)
{
	if (!t0)
		return;
	(*this_cpu_ptr(&blk_bench_depth))--;
	if (t0 > 1)
		*this_cpu_ptr(&blk_bench_cycles) += rdtsc() - t0;
}

/* Move all of @from, guarded by @lock, onto the empty @to. */
static void blk_list_take(spinlock_t *lock, struct list_head *from, struct list_head *to)
{
	unsigned long flags;

	spin_lock_irqsave(lock, flags);
	if (!list_empty(from)) {
		to->next = from->next;
		to->prev = from->prev;
		to->next->prev = to;
		to->prev->next = to;
		INIT_LIST_HEAD(from);
	}
	spin_unlock_irqrestore(lock, flags);
}

static bool blk_mq_in_atomic(void)
{
	return in_interrupt() || irqs_disabled() || preempt_count();
}

/* Move @rq from @from to @to (MQ_RQ_*), keeping its generation. */
static bool rq_claim(struct request *rq, int from, int to)
{
	int old = READ_ONCE(rq->state);

	if ((old & RQ_STATE_MASK) != from)
		return false;
	return __atomic_compare_exchange_n(&rq->state, &old, (old & ~RQ_STATE_MASK) | to, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static void rq_leave_flight(struct request *rq)
{
	atomic_add(-1, &rq->mq_hctx->nr_active);
	atomic_long_add_return(-1, &blk_nr_in_flight);
}

void blk_mq_start_request(struct request *rq)
{
	int old = READ_ONCE(rq->state);

	if ((old & RQ_STATE_MASK) != MQ_RQ_IDLE) {
		pr_err("block: request %d started twice\n", rq->tag);
		return;
	}
	rq->rq_flags |= RQF_STARTED;
	trace_block_rq_issue(rq);
	atomic_add(1, &rq->mq_hctx->nr_active);
	atomic_long_add_return(1, &blk_nr_in_flight);
	blk_add_timer(rq);
	/*
	 * A new generation: a stale timeout claim on the old one fails.
	 * Release: the scan that reads IN_FLIGHT (acquire) sees the deadline.
	 */
	smp_store_release(&rq->state, (old & ~RQ_STATE_MASK) + RQ_GEN_ONE + MQ_RQ_IN_FLIGHT);
}
EXPORT_SYMBOL_GPL(blk_mq_start_request);

#ifdef CONFIG_KTEST
void (*blk_free_test_hook)(struct request *rq);
#endif

/*
 * The last reference to @rq went: give its tag back.  The hardware
 * context is touched before the tag is freed, and the queue's usage is
 * dropped only after, so that del_gendisk()'s freeze implies the tag is
 * back.  blk_mq_cancel_requests() waits for the tag bit of every request
 * of its queue (rq->q already NULL counts as its own), and
 * blk_mq_put_tag() clears the bit and wakes waiters under tags->lock,
 * which blk_mq_cancel_requests() takes once after the wait: the tags
 * are not touched any more when blk_mq_free_tag_set() frees them.
 */
void __blk_mq_free_request(struct request *rq)
{
	struct blk_mq_hw_ctx *hctx = rq->mq_hctx;
	struct blk_mq_tags *tags = hctx->tags;
	struct request_queue *q = rq->q;
	bool timed_out = rq->rq_flags & RQF_TIMED_OUT;

	rq->bio = rq->biotail = NULL;
	rq->rq_flags = 0;
	atomic_long_add_return(-1, &blk_nr_requests);
	/* A request waits for room the freed one leaves. */
	if (!list_empty(&hctx->dispatch))
		blk_mq_run_hw_queue(hctx, true);
	/* Not allocated any more: a completion now is refused (blk_mq_claim_end()). */
	WRITE_ONCE(rq->q, NULL);
	rq_set_state(rq, MQ_RQ_IDLE);
#ifdef CONFIG_KTEST
	if (READ_ONCE(blk_free_test_hook))
		blk_free_test_hook(rq);
#endif
	blk_mq_put_tag(tags, (unsigned int)rq->tag);
	/* The timeout handler dropped a timed-out request's usage already. */
	if (!timed_out)
		blk_queue_exit(q);
}

/* Drop the owner's reference; a timeout scan may hold the request a little longer. */
void blk_mq_free_request(struct request *rq)
{
	if (req_ref_put_and_test(rq))
		__blk_mq_free_request(rq);
}

static void blk_mq_end_bios(struct request *rq, blk_status_t error)
{
	struct bio *bio = rq->bio, *next;

	if (error && error != BLK_STS_TIMEOUT)
		pr_err_ratelimited("block: %s: %s error, sector %llu, %u sectors\n",
				   rq->q->disk ? rq->q->disk->disk_name : "?", blk_status_name(error),
				   (unsigned long long)blk_rq_pos(rq), blk_rq_sectors(rq));
	rq->bio = rq->biotail = NULL;
	for (; bio; bio = next) {
		next = bio->bi_next;
		bio->bi_next = NULL;
		if (error && !bio->bi_status)
			bio->bi_status = error;
		bio_endio(bio);
	}
}

void __blk_mq_end_request(struct request *rq, blk_status_t error)
{
	trace_block_rq_complete(rq, blk_status_to_errno(error));
	if ((rq->rq_flags & RQF_FLUSH_SEQ) && blk_flush_complete_seq(rq, error))
		return;
	blk_mq_end_bios(rq, error);
	blk_mq_free_request(rq);
}

/*
 * The request's end is claimed by whoever moves it to RETIRED: from
 * IN_FLIGHT, from COMPLETE (inside ops->complete), or from IDLE (a driver
 * ending a request it never started).  A completion arriving after the
 * timeout handler ended the bios (TIMED_OUT) frees the tag the core kept
 * for it (see blk_mq_rq_timed_out()); any completion after that, a second
 * end, or one of a request that is not allocated (ended already, or its
 * queue torn down), is refused with a log line.  True: go on ending it.
 */
static bool blk_mq_claim_end(struct request *rq)
{
	for (;;) {
		int old = READ_ONCE(rq->state), st = old & RQ_STATE_MASK;

		switch (st) {
		case MQ_RQ_TIMED_OUT:
			if (!rq_claim(rq, MQ_RQ_TIMED_OUT, MQ_RQ_RETIRED))
				continue;
			pr_warn_ratelimited("block: late completion of timed-out request %d\n",
					    rq->tag);
			blk_mq_free_request(rq);
			return false;
		case MQ_RQ_IDLE:
			if (!READ_ONCE(rq->q))
				goto refuse;
			fallthrough;
		case MQ_RQ_IN_FLIGHT:
		case MQ_RQ_COMPLETE:
			if (!rq_claim(rq, st, MQ_RQ_RETIRED))
				continue;
			if (st == MQ_RQ_IN_FLIGHT)
				rq_leave_flight(rq);
			return true;
		default:
			goto refuse;
		}
	}
refuse:
	pr_err_ratelimited("block: completion of request %d refused: it ended already, or its queue is gone\n",
			   rq->tag);
	return false;
}

void blk_mq_end_request(struct request *rq, blk_status_t error)
{
	u64 t0 = blk_bench_enter();

	if (blk_mq_claim_end(rq))
		__blk_mq_end_request(rq, error);
	blk_bench_exit(t0);
}
EXPORT_SYMBOL_GPL(blk_mq_end_request);

static void blk_mq_call_complete(struct request *rq)
{
	const struct blk_mq_ops *ops = rq->q->tag_set->ops;

	if (ops->complete)
		ops->complete(rq);
	else
		blk_mq_end_request(rq, BLK_STS_OK);
}

/* Bottom half: the requests other CPUs completed for this one. */
static void blk_mq_complete_work(struct work_struct *work)
{
	struct blk_mq_ctx *ctx = container_of(work, struct blk_mq_ctx, complete_work);
	u64 t0 = blk_bench_enter();
	struct request *rq, *tmp;
	LIST_HEAD(list);

	blk_list_take(&ctx->lock, &ctx->complete_list, &list);
	list_for_each_entry_safe(rq, tmp, &list, ipi_list) {
		list_del_init(&rq->ipi_list);
		blk_mq_call_complete(rq);
	}
	blk_bench_exit(t0);
}

void blk_mq_complete_request(struct request *rq)
{
	u64 t0 = blk_bench_enter();
	struct blk_mq_ctx *ctx;
	unsigned long flags;

	for (;;) {
		int st = READ_ONCE(rq->state) & RQ_STATE_MASK;

		if (st == MQ_RQ_IN_FLIGHT) {
			if (rq_claim(rq, MQ_RQ_IN_FLIGHT, MQ_RQ_COMPLETE))
				break;
			continue;
		}
		/* A late completion after a timeout frees the tag; others are refused. */
		if (st == MQ_RQ_TIMED_OUT || st == MQ_RQ_RETIRED || !READ_ONCE(rq->q))
			blk_mq_claim_end(rq);
		else
			pr_err_ratelimited("block: completing request %d not in flight\n", rq->tag);
		goto out;
	}
	rq_leave_flight(rq);
	if (rq->submit_cpu == smp_processor_id()) {
		/* The submitter's CPU: its caches are warm, end it here. */
		blk_mq_call_complete(rq);
		goto out;
	}
	ctx = &rq->q->queue_ctx[rq->submit_cpu];
	spin_lock_irqsave(&ctx->lock, flags);
	list_add_tail(&rq->ipi_list, &ctx->complete_list);
	spin_unlock_irqrestore(&ctx->lock, flags);
	queue_work_on(rq->submit_cpu, kblockd_workqueue, &ctx->complete_work);
out:
	blk_bench_exit(t0);
}
EXPORT_SYMBOL_GPL(blk_mq_complete_request);

/*
 * A request queue_rq refused for lack of room, or the driver requeues,
 * goes back unstarted: from IN_FLIGHT, or from COMPLETE (a driver's
 * ops->complete may requeue, as in Linux), whose flight accounting
 * blk_mq_complete_request() ended already.  False if the timeout handler
 * claimed it meanwhile (TIMED_OUT, RETIRED) or it is not allocated: it
 * must not be queued again.
 */
static bool blk_mq_unstart(struct request *rq)
{
	for (;;) {
		int st = READ_ONCE(rq->state) & RQ_STATE_MASK;

		if (!READ_ONCE(rq->q))
			return false;
		if (st == MQ_RQ_IDLE)
			break;
		if (st != MQ_RQ_IN_FLIGHT && st != MQ_RQ_COMPLETE)
			return false;
		if (rq_claim(rq, st, MQ_RQ_IDLE)) {
			if (st == MQ_RQ_IN_FLIGHT)
				rq_leave_flight(rq);
			break;
		}
	}
	rq->rq_flags &= ~RQF_STARTED;
	return true;
}

/*
 * @rq cannot be requeued (blk_mq_unstart() failed): the timeout handler
 * ended its bios, so this is its late completion, or it is not allocated.
 */
static void blk_mq_requeue_refused(struct request *rq)
{
	pr_warn_ratelimited("block: requeue of timed-out or ended request %d: ending it\n",
			    rq->tag);
	blk_mq_claim_end(rq);
}

/*
 * Hand the dispatch list to queue_rq, with hctx->lock held (dropped around
 * each call).  True if the driver answered BLK_STS_RESOURCE.
 */
static bool blk_mq_dispatch_locked(struct blk_mq_hw_ctx *hctx, unsigned long *flags)
	__must_hold(&hctx->lock)
{
	const struct blk_mq_ops *ops = hctx->queue->tag_set->ops;
	bool queued = false, sent_last = true, busy = false;

	while (!list_empty(&hctx->dispatch) && !blk_mq_queue_stopped_hctx(hctx)) {
		struct request *rq = list_first_entry(&hctx->dispatch, struct request, queuelist);
		struct blk_mq_queue_data bd = { .rq = rq };
		blk_status_t ret;

		list_del_init(&rq->queuelist);
		bd.last = list_empty(&hctx->dispatch);
		spin_unlock_irqrestore(&hctx->lock, *flags);
		ret = ops->queue_rq(hctx, &bd);
		spin_lock_irqsave(&hctx->lock, *flags);
		if (ret == BLK_STS_OK) {
			hctx->queued++;
			queued = true;
			sent_last = bd.last;
			continue;
		}
		if (ret == BLK_STS_RESOURCE || ret == BLK_STS_DEV_RESOURCE) {
			if (!blk_mq_unstart(rq)) {
				spin_unlock_irqrestore(&hctx->lock, *flags);
				blk_mq_requeue_refused(rq);
				spin_lock_irqsave(&hctx->lock, *flags);
				continue;
			}
			list_add(&rq->queuelist, &hctx->dispatch);
			hctx->dispatch_busy++;
			atomic_long_add_return(1, &blk_nr_requeues);
			busy = true;
			break;
		}
		spin_unlock_irqrestore(&hctx->lock, *flags);
		blk_mq_end_request(rq, ret);
		spin_lock_irqsave(&hctx->lock, *flags);
	}
	if (queued && !sent_last && ops->commit_rqs) {
		spin_unlock_irqrestore(&hctx->lock, *flags);
		ops->commit_rqs(hctx);
		spin_lock_irqsave(&hctx->lock, *flags);
	}
	return busy;
}

/*
 * One CPU dispatches a hardware queue at a time; others leave their
 * requests on the list and ask it to run again (rerun).  A driver that
 * answers BLK_STS_RESOURCE is retried when one of its requests ends, or
 * after BLK_MQ_RESOURCE_DELAY when none is in flight to end.
 */
static void __blk_mq_run_hw_queue(struct blk_mq_hw_ctx *hctx)
{
	unsigned long flags;
	bool busy = false;

	spin_lock_irqsave(&hctx->lock, flags);
	if (hctx->running) {
		hctx->rerun = true;
		spin_unlock_irqrestore(&hctx->lock, flags);
		return;
	}
	hctx->running = true;
	do {
		hctx->rerun = false;
		busy = blk_mq_dispatch_locked(hctx, &flags);
	} while (hctx->rerun && !blk_mq_queue_stopped_hctx(hctx));
	hctx->running = false;
	spin_unlock_irqrestore(&hctx->lock, flags);
	if (busy && !atomic_read(&hctx->nr_active))
		mod_delayed_work(kblockd_workqueue, &hctx->run_work,
				 msecs_to_jiffies(BLK_MQ_RESOURCE_DELAY));
}

static void blk_mq_run_work_fn(struct work_struct *work)
{
	struct blk_mq_hw_ctx *hctx = container_of(to_delayed_work(work), struct blk_mq_hw_ctx,
						  run_work);

	__blk_mq_run_hw_queue(hctx);
}

void blk_mq_run_hw_queue(struct blk_mq_hw_ctx *hctx, bool async)
{
	if (blk_mq_queue_stopped_hctx(hctx))
		return;
	if (async || blk_mq_in_atomic() ||
	    ((hctx->queue->tag_set->flags & BLK_MQ_F_BLOCKING) && preempt_count()))
		mod_delayed_work(kblockd_workqueue, &hctx->run_work, 0);
	else
		__blk_mq_run_hw_queue(hctx);
}
EXPORT_SYMBOL_GPL(blk_mq_run_hw_queue);

/* @fn(hctx, @async) for every hardware queue of @q. */
static void blk_mq_for_each_hctx(struct request_queue *q,
				 void (*fn)(struct blk_mq_hw_ctx *hctx, bool async), bool async)
{
	for (unsigned int i = 0; i < q->nr_hw_queues; i++)
		fn(q->queue_hw_ctx[i], async);
}

void blk_mq_run_hw_queues(struct request_queue *q, bool async)
{
	blk_mq_for_each_hctx(q, blk_mq_run_hw_queue, async);
}
EXPORT_SYMBOL_GPL(blk_mq_run_hw_queues);

void blk_mq_stop_hw_queue(struct blk_mq_hw_ctx *hctx)
{
	set_bit(BLK_MQ_S_STOPPED, &hctx->state);
}
EXPORT_SYMBOL_GPL(blk_mq_stop_hw_queue);

static void blk_mq_stop_one(struct blk_mq_hw_ctx *hctx, bool unused)
{
	(void)unused;
	blk_mq_stop_hw_queue(hctx);
}

void blk_mq_stop_hw_queues(struct request_queue *q)
{
	blk_mq_for_each_hctx(q, blk_mq_stop_one, false);
}
EXPORT_SYMBOL_GPL(blk_mq_stop_hw_queues);

void blk_mq_start_stopped_hw_queue(struct blk_mq_hw_ctx *hctx, bool async)
{
	if (!blk_mq_queue_stopped_hctx(hctx))
		return;
	clear_bit(BLK_MQ_S_STOPPED, &hctx->state);
	blk_mq_run_hw_queue(hctx, async);
}
EXPORT_SYMBOL_GPL(blk_mq_start_stopped_hw_queue);

void blk_mq_start_stopped_hw_queues(struct request_queue *q, bool async)
{
	blk_mq_for_each_hctx(q, blk_mq_start_stopped_hw_queue, async);
}
EXPORT_SYMBOL_GPL(blk_mq_start_stopped_hw_queues);

static void blk_mq_start_one(struct blk_mq_hw_ctx *hctx, bool async)
{
	clear_bit(BLK_MQ_S_STOPPED, &hctx->state);
	blk_mq_run_hw_queue(hctx, async);
}

void blk_mq_start_hw_queues(struct request_queue *q)
{
	blk_mq_for_each_hctx(q, blk_mq_start_one, false);
}
EXPORT_SYMBOL_GPL(blk_mq_start_hw_queues);

void blk_mq_quiesce_queue(struct request_queue *q)
{
	blk_mq_stop_hw_queues(q);
	for (unsigned int i = 0; i < q->nr_hw_queues; i++) {
		struct blk_mq_hw_ctx *hctx = q->queue_hw_ctx[i];

		/* A dispatcher sees the stop bit after its current queue_rq. */
		while (READ_ONCE(hctx->running))
			msleep(1);
	}
}
EXPORT_SYMBOL_GPL(blk_mq_quiesce_queue);

void blk_mq_unquiesce_queue(struct request_queue *q)
{
	blk_mq_start_stopped_hw_queues(q, true);
}
EXPORT_SYMBOL_GPL(blk_mq_unquiesce_queue);

void blk_mq_insert_request(struct request *rq, bool at_head)
{
	struct blk_mq_hw_ctx *hctx = rq->mq_hctx;
	unsigned long flags;

	spin_lock_irqsave(&hctx->lock, flags);
	if (at_head)
		list_add(&rq->queuelist, &hctx->dispatch);
	else
		list_add_tail(&rq->queuelist, &hctx->dispatch);
	spin_unlock_irqrestore(&hctx->lock, flags);
	blk_mq_run_hw_queue(hctx, false);
}

void blk_mq_requeue_request(struct request *rq, bool kick_requeue_list)
{
	struct request_queue *q = READ_ONCE(rq->q);
	unsigned long flags;

	if (!blk_mq_unstart(rq)) {
		blk_mq_requeue_refused(rq);
		return;
	}
	atomic_long_add_return(1, &blk_nr_requeues);
	spin_lock_irqsave(&q->requeue_lock, flags);
	list_add_tail(&rq->queuelist, &q->requeue_list);
	spin_unlock_irqrestore(&q->requeue_lock, flags);
	if (kick_requeue_list)
		blk_mq_kick_requeue_list(q);
}
EXPORT_SYMBOL_GPL(blk_mq_requeue_request);

void blk_mq_kick_requeue_list(struct request_queue *q)
{
	struct request *rq, *tmp;
	unsigned long flags;
	LIST_HEAD(list);

	blk_list_take(&q->requeue_lock, &q->requeue_list, &list);
	list_for_each_entry_safe(rq, tmp, &list, queuelist) {
		struct blk_mq_hw_ctx *hctx = rq->mq_hctx;

		list_del_init(&rq->queuelist);
		spin_lock_irqsave(&hctx->lock, flags);
		list_add(&rq->queuelist, &hctx->dispatch);
		spin_unlock_irqrestore(&hctx->lock, flags);
	}
	blk_mq_run_hw_queues(q, true);
}
EXPORT_SYMBOL_GPL(blk_mq_kick_requeue_list);

int blk_mq_alloc_tag_set(struct blk_mq_tag_set *set)
{
	if (!set->ops || !set->ops->queue_rq || !set->nr_hw_queues ||
	    set->nr_hw_queues > NR_CPUS || !set->queue_depth ||
	    set->queue_depth > BLK_MQ_MAX_DEPTH) {
		pr_err("block: tag set refused: %u hw queues, depth %u%s\n", set->nr_hw_queues,
		       set->queue_depth, set->ops && set->ops->queue_rq ? "" : ", no queue_rq");
		return -EINVAL;
	}
	if (!set->timeout)
		set->timeout = BLK_DEFAULT_TIMEOUT;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		set->map[cpu] = cpu % set->nr_hw_queues;
	set->tags = kcalloc(set->nr_hw_queues, sizeof(*set->tags), GFP_KERNEL);
	if (!set->tags)
		return -ENOMEM;
	for (unsigned int i = 0; i < set->nr_hw_queues; i++) {
		set->tags[i] = blk_mq_alloc_tags(set, i);
		if (!set->tags[i]) {
			blk_mq_free_tag_set(set);
			return -ENOMEM;
		}
	}
	mutex_init(&set->tag_list_lock);
	INIT_LIST_HEAD(&set->tag_list);
	return 0;
}
EXPORT_SYMBOL_GPL(blk_mq_alloc_tag_set);

void blk_mq_free_tag_set(struct blk_mq_tag_set *set)
{
	if (!set->tags)
		return;
	for (unsigned int i = 0; i < set->nr_hw_queues; i++)
		blk_mq_free_tags(set, set->tags[i], i);
	kfree(set->tags);
	set->tags = NULL;
}
EXPORT_SYMBOL_GPL(blk_mq_free_tag_set);

static void blk_mq_exit_hctxs(struct request_queue *q, unsigned int nr)
{
	const struct blk_mq_ops *ops = q->tag_set->ops;

	for (unsigned int i = 0; i < nr; i++) {
		struct blk_mq_hw_ctx *hctx = q->queue_hw_ctx[i];

		cancel_delayed_work_sync(&hctx->run_work);
		if (ops->exit_hctx)
			ops->exit_hctx(hctx, i);
		kfree(hctx);
	}
}

static int blk_mq_init_hctxs(struct request_queue *q)
{
	struct blk_mq_tag_set *set = q->tag_set;

	for (unsigned int i = 0; i < q->nr_hw_queues; i++) {
		struct blk_mq_hw_ctx *hctx = kzalloc(sizeof(*hctx), GFP_KERNEL);
		int err;

		if (!hctx) {
			blk_mq_exit_hctxs(q, i);
			return -ENOMEM;
		}
		hctx->queue = q;
		hctx->queue_num = i;
		hctx->tags = set->tags[i];
		spin_lock_init(&hctx->lock);
		INIT_LIST_HEAD(&hctx->dispatch);
		INIT_DELAYED_WORK(&hctx->run_work, blk_mq_run_work_fn);
		q->queue_hw_ctx[i] = hctx;
		err = set->ops->init_hctx ? set->ops->init_hctx(hctx, set->driver_data, i) : 0;
		if (err) {
			kfree(hctx);
			blk_mq_exit_hctxs(q, i);
			return err;
		}
	}
	return 0;
}

static void blk_mq_init_ctxs(struct request_queue *q)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct blk_mq_ctx *ctx = &q->queue_ctx[cpu];

		spin_lock_init(&ctx->lock);
		ctx->cpu = cpu;
		ctx->queue = q;
		ctx->hctx = q->queue_hw_ctx[q->tag_set->map[cpu]];
		INIT_LIST_HEAD(&ctx->complete_list);
		INIT_WORK(&ctx->complete_work, blk_mq_complete_work);
	}
}

struct request_queue *blk_mq_init_queue_data(struct blk_mq_tag_set *set, void *queuedata)
{
	struct request_queue *q;
	int err = -ENOMEM;

	if (!set->tags)
		return ERR_PTR(-EINVAL);
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return ERR_PTR(-ENOMEM);
	q->queuedata = queuedata;
	q->tag_set = set;
	q->nr_hw_queues = set->nr_hw_queues;
	q->rq_timeout = set->timeout;
	blk_set_default_limits(&q->limits);
	atomic_set(&q->q_usage, 0);
	atomic_set(&q->mq_freeze_depth, 0);
	init_waitqueue_head(&q->mq_freeze_wq);
	spin_lock_init(&q->requeue_lock);
	INIT_LIST_HEAD(&q->requeue_list);
	q->queue_hw_ctx = kcalloc(q->nr_hw_queues, sizeof(*q->queue_hw_ctx), GFP_KERNEL);
	q->queue_ctx = kcalloc(NR_CPUS, sizeof(*q->queue_ctx), GFP_KERNEL);
	if (!q->queue_hw_ctx || !q->queue_ctx)
		goto fail;
	err = blk_mq_init_hctxs(q);
	if (err)
		goto fail;
	blk_mq_init_ctxs(q);
	blk_timeout_init(q);
	mutex_lock(&set->tag_list_lock);
	list_add_tail(&q->tag_set_list, &set->tag_list);
	mutex_unlock(&set->tag_list_lock);
	return q;
fail:
	kfree(q->queue_ctx);
	kfree(q->queue_hw_ctx);
	kfree(q);
	return ERR_PTR(err);
}

/*
 * Whether @tag is held by a request of @q, or by one being freed (rq->q
 * is cleared before the tag is put; with a shared tag set it may be
 * another queue's, which costs a short wait only).
 */
static bool blk_mq_rq_of_queue(struct blk_mq_tags *tags, unsigned int tag,
			       struct request_queue *q)
{
	struct request_queue *rq_q;

	if (!test_bit(tag, tags->bitmap))
		return false;
	rq_q = READ_ONCE(tags->rqs[tag]->q);
	return rq_q == q || !rq_q;
}

/*
 * Free the tags @q's timed-out requests still hold (queues without
 * ops->timeout keep them for the device's late completion): the device
 * was reset or is gone, and a completion from now on is refused.  Then
 * wait until no request of @q holds a tag, so that a completion freeing
 * one right now is done with the hardware contexts before they go.
 */
static void blk_mq_cancel_requests(struct request_queue *q)
{
	for (unsigned int i = 0; i < q->nr_hw_queues; i++) {
		struct blk_mq_tags *tags = q->queue_hw_ctx[i]->tags;
		unsigned long tag;

		for_each_set_bit(tag, tags->bitmap, tags->nr_tags) {
			struct request *rq = tags->rqs[tag];

			if (!req_ref_inc_not_zero(rq))
				continue;
			if (READ_ONCE(rq->q) == q && rq_claim(rq, MQ_RQ_TIMED_OUT, MQ_RQ_RETIRED)) {
				pr_warn("block: %s: request %d timed out and never completed: freed; a later completion is refused\n",
					q->disk ? q->disk->disk_name : "?", rq->tag);
				blk_mq_free_request(rq);
			}
			if (req_ref_put_and_test(rq))
				__blk_mq_free_request(rq);
		}
	}
	for (unsigned int i = 0; i < q->nr_hw_queues; i++) {
		struct blk_mq_tags *tags = q->queue_hw_ctx[i]->tags;

		unsigned long flags;

		for (unsigned int tag = 0; tag < tags->nr_tags; tag++)
			while (blk_mq_rq_of_queue(tags, tag, q))
				msleep(1);
		/* A blk_mq_put_tag() that cleared a bit above is done with the tags. */
		spin_lock_irqsave(&tags->lock, flags);
		spin_unlock_irqrestore(&tags->lock, flags);
	}
}

/*
 * Tear down what @q holds of the driver (hardware contexts, tag set link,
 * work, timers); no bio may be inside it (del_gendisk() froze it and
 * marked it dying).  Dispatch is quiesced and the timeout handler
 * stopped first; requests that timed out and never completed are freed
 * (blk_mq_cancel_requests()).  The structure itself stays for late
 * submitters holding a block_device, which find it dying: the disk frees
 * it.
 */
void blk_mq_destroy_queue(struct request_queue *q)
{
	struct blk_mq_tag_set *set = q->tag_set;

	set_bit(QUEUE_FLAG_DYING, &q->queue_flags);
	blk_mq_quiesce_queue(q);
	blk_timeout_stop(q);
	blk_mq_cancel_requests(q);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		cancel_work_sync(&q->queue_ctx[cpu].complete_work);
	blk_mq_exit_hctxs(q, q->nr_hw_queues);
	mutex_lock(&set->tag_list_lock);
	list_del(&q->tag_set_list);
	mutex_unlock(&set->tag_list_lock);
	kfree(q->queue_ctx);
	kfree(q->queue_hw_ctx);
	q->queue_ctx = NULL;
	q->queue_hw_ctx = NULL;
	q->nr_hw_queues = 0;
}

static int __init blk_mq_init(void)
{
	kblockd_workqueue = alloc_workqueue("kblockd", 0, 0);
	return kblockd_workqueue ? 0 : -ENOMEM;
}
subsys_initcall(blk_mq_init);
