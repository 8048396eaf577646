/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multi-queue block drivers, as in Linux 6.1's <linux/blk-mq.h>.
 *
 * A driver describes its hardware queues in a struct blk_mq_tag_set
 * (nr_hw_queues, queue_depth, cmd_size for its per-request data, ops),
 * calls blk_mq_alloc_tag_set() and blk_mq_alloc_disk(), and gets requests
 * in ops->queue_rq().  It starts each with blk_mq_start_request() and, when
 * the device is done, calls blk_mq_complete_request() (from its interrupt
 * handler: ops->complete then runs in a bottom half and ends the request
 * with blk_mq_end_request()) or blk_mq_end_request() directly.
 *
 *	static blk_status_t my_queue_rq(struct blk_mq_hw_ctx *hctx,
 *					const struct blk_mq_queue_data *bd)
 *	{
 *		struct request *rq = bd->rq;
 *		struct my_cmd *cmd = blk_mq_rq_to_pdu(rq);
 *
 *		if (device_full(hctx->driver_data))
 *			return BLK_STS_RESOURCE;	// requeued, retried later
 *		blk_mq_start_request(rq);
 *		... program the device from blk_rq_map_sg() or rq_for_each_segment()
 *		return BLK_STS_OK;
 *	}
 *
 * Each CPU submits into its software queue (struct blk_mq_ctx), mapped
 * onto one hardware queue (struct blk_mq_hw_ctx); set->map[cpu] holds the
 * hardware queue of each CPU (CPU modulo nr_hw_queues by default).  Each
 * hardware queue has queue_depth tags; a submitter with none sleeps until
 * a request completes.
 */
#ifndef _EXO_BLK_MQ_H
#define _EXO_BLK_MQ_H

#include <exo/blkdev.h>
#include <exo/list.h>
#include <exo/percpu.h>
#include <exo/scatterlist.h>
#include <exo/spinlock.h>
#include <exo/timer.h>
#include <exo/wait.h>
#include <exo/workqueue.h>

struct blk_mq_tags;

/* request.state */
enum mq_rq_state {
	MQ_RQ_IDLE		= 0,	/* allocated, not given to the driver */
	MQ_RQ_IN_FLIGHT		= 1,	/* blk_mq_start_request() was called */
	MQ_RQ_COMPLETE		= 2,	/* completed, in ops->complete */
};

/* request.rq_flags bits. */
#define RQF_STARTED		(1u << 0)
#define RQF_FLUSH_SEQ		(1u << 1)	/* part of a flush sequence */
#define RQF_TIMED_OUT		(1u << 2)	/* completed by the timeout handler */
#define RQF_SPECIAL_PAYLOAD	(1u << 3)

/*
 * One I/O the driver executes: one or more bios, contiguous on the disk,
 * that fit the queue limits.  The driver's per-request data (cmd_size
 * bytes) follows the structure: blk_mq_rq_to_pdu().
 */
struct request {
	struct request_queue *q;
	struct blk_mq_ctx *mq_ctx;
	struct blk_mq_hw_ctx *mq_hctx;
	blk_opf_t cmd_flags;		/* operation and REQ_* flags */
	unsigned int rq_flags;		/* RQF_* */
	int tag;			/* unique in its hardware queue */
	unsigned int __data_len;	/* bytes left */
	sector_t __sector;		/* disk sector */
	struct bio *bio;
	struct bio *biotail;
	struct list_head queuelist;	/* the driver may use it once started */
	unsigned short nr_phys_segments;

	/* Private to block/. */
	int state;			/* enum mq_rq_state, atomically */
	atomic_t ref;			/* owner + timeout scans (block/blk.h) */
	blk_status_t status;		/* for the completion bottom half */
	unsigned int timeout;		/* jiffies */
	unsigned long deadline;		/* jiffies */
	u64 start_tsc;			/* blk bench: rdtsc at submit */
	unsigned int submit_cpu;
	struct list_head ipi_list;	/* on the completion list */
	u8 flush_seq;			/* flush steps left (REQ_FSEQ_*) */
	blk_opf_t flush_opf;		/* the data step's, while flushing */
	unsigned int flush_len;
	unsigned short flush_segs;
	struct bio *flush_bio, *flush_biotail;
};

static inline enum req_op req_op(const struct request *rq)
{
	return (enum req_op)(rq->cmd_flags & REQ_OP_MASK);
}

static inline int rq_data_dir(const struct request *rq)
{
	return op_is_write(rq->cmd_flags) ? WRITE : READ;
}

/* First disk sector of what is left of @rq. */
static inline sector_t blk_rq_pos(const struct request *rq)
{
	return rq->__sector;
}

static inline unsigned int blk_rq_bytes(const struct request *rq)
{
	return rq->__data_len;
}

static inline unsigned int blk_rq_sectors(const struct request *rq)
{
	return rq->__data_len >> SECTOR_SHIFT;
}

static inline unsigned short blk_rq_nr_phys_segments(const struct request *rq)
{
	return rq->nr_phys_segments;
}

/* The driver's per-request data, cmd_size bytes after the request. */
static inline void *blk_mq_rq_to_pdu(struct request *rq)
{
	return rq + 1;
}

static inline struct request *blk_mq_rq_from_pdu(void *pdu)
{
	return (struct request *)pdu - 1;
}

static inline int blk_mq_rq_state(const struct request *rq)
{
	return READ_ONCE(rq->state);
}

/* Walks the segments of every bio of a request. */
struct req_iterator {
	struct bvec_iter iter;
	struct bio *bio;
};

#define __rq_for_each_bio(_bio, rq)	\
	if ((rq->bio))			\
		for (_bio = (rq)->bio; _bio; _bio = _bio->bi_next)

#define rq_for_each_segment(bvl, _rq, _iter)			\
	__rq_for_each_bio(_iter.bio, _rq)			\
		bio_for_each_segment(bvl, _iter.bio, _iter.iter)

#define rq_for_each_bvec(bvl, _rq, _iter)	rq_for_each_segment(bvl, _rq, _iter)

/* What queue_rq gets. */
struct blk_mq_queue_data {
	struct request *rq;
	bool last;		/* no more requests follow in this batch */
};

/* blk_mq_hw_ctx.state bits. */
#define BLK_MQ_S_STOPPED	0

/* A hardware queue. */
struct blk_mq_hw_ctx {
	void *driver_data;		/* init_hctx sets it */
	struct request_queue *queue;
	unsigned int queue_num;
	unsigned long state;		/* BLK_MQ_S_* */
	struct blk_mq_tags *tags;

	/* Private to block/. */
	spinlock_t lock;		/* dispatch list, running */
	struct list_head dispatch;	/* requests waiting for queue_rq */
	bool running;			/* one CPU dispatches at a time */
	bool rerun;			/* run again after the current pass */
	struct delayed_work run_work;
	unsigned long queued;		/* requests given to queue_rq */
	unsigned long dispatch_busy;	/* BLK_STS_RESOURCE answers */
	atomic_t nr_active;		/* started, not ended */
};

/* A CPU's software queue. */
struct blk_mq_ctx {
	spinlock_t lock;
	unsigned int cpu;
	struct blk_mq_hw_ctx *hctx;
	struct request_queue *queue;
	struct list_head complete_list;	/* requests completed for this CPU */
	struct work_struct complete_work;
	unsigned long rq_dispatched[2];	/* reads, writes */
	unsigned long rq_completed[2];
};

/*
 * Unlike Linux, BLK_EH_DONE hands the request back: the core ends it with
 * BLK_STS_TIMEOUT and frees its tag, unless the driver ended it already
 * (in ->timeout itself, as Linux drivers do: the timeout scan holds the
 * request, so it is ended once and not reused meanwhile; see
 * block/blk-timeout.c).  A driver that will end it later, after a reset
 * for instance, returns BLK_EH_RESET_TIMER.
 */
enum blk_eh_timer_return {
	BLK_EH_DONE,		/* the driver forgot it: the core ends it */
	BLK_EH_RESET_TIMER,	/* wait another timeout period */
};

struct blk_mq_ops {
	/* Required: start a request.  BLK_STS_OK, BLK_STS_RESOURCE, or an error. */
	blk_status_t (*queue_rq)(struct blk_mq_hw_ctx *hctx, const struct blk_mq_queue_data *bd);
	/* Optional: kick the device after a batch whose last request was not 'last'. */
	void (*commit_rqs)(struct blk_mq_hw_ctx *hctx);
	/* Required with blk_mq_complete_request(): runs in the bottom half. */
	void (*complete)(struct request *rq);
	/*
	 * Optional: the request did not complete in time.  BLK_EH_DONE: it is
	 * completed with BLK_STS_TIMEOUT (unless the driver already ended it).
	 */
	enum blk_eh_timer_return (*timeout)(struct request *rq);
	int (*init_hctx)(struct blk_mq_hw_ctx *hctx, void *data, unsigned int hctx_idx);
	void (*exit_hctx)(struct blk_mq_hw_ctx *hctx, unsigned int hctx_idx);
	int (*init_request)(struct blk_mq_tag_set *set, struct request *rq,
			    unsigned int hctx_idx, unsigned int numa_node);
	void (*exit_request)(struct blk_mq_tag_set *set, struct request *rq,
			     unsigned int hctx_idx);
};

/* blk_mq_tag_set.flags */
#define BLK_MQ_F_SHOULD_MERGE	(1u << 0)	/* merge adjacent bios */
#define BLK_MQ_F_BLOCKING	(1u << 5)	/* queue_rq may sleep */

#define BLK_MQ_MAX_DEPTH	1024
#define NUMA_NO_NODE		(-1)

/*
 * Hardware queues and tags, shared by the disks of one driver instance.
 * The driver fills ops, nr_hw_queues, queue_depth, cmd_size, numa_node,
 * flags and driver_data, then calls blk_mq_alloc_tag_set().
 */
struct blk_mq_tag_set {
	const struct blk_mq_ops *ops;
	unsigned int nr_hw_queues;	/* >= 1 */
	unsigned int queue_depth;	/* tags per hardware queue, 1 .. BLK_MQ_MAX_DEPTH */
	unsigned int reserved_tags;	/* unused, 0 */
	unsigned int cmd_size;		/* driver bytes per request */
	int numa_node;
	unsigned int timeout;		/* jiffies; 0: 30 s */
	unsigned int flags;		/* BLK_MQ_F_* */
	void *driver_data;

	/* Private to block/. */
	unsigned int map[NR_CPUS];	/* CPU -> hardware queue */
	struct blk_mq_tags **tags;	/* one per hardware queue */
	struct mutex tag_list_lock;
	struct list_head tag_list;	/* queues using the set */
};

/* A hardware queue's requests and the bitmap of their tags. */
struct blk_mq_tags {
	unsigned int nr_tags;
	spinlock_t lock;
	unsigned long *bitmap;		/* set: tag in use */
	unsigned int nr_free;
	struct wait_queue_head wait;	/* submitters out of tags */
	struct request **rqs;		/* by tag */
	void *rq_mem;
};

/**
 * blk_mq_alloc_tag_set() - allocate the requests of @set
 * @set: filled in by the driver
 *
 * Return: 0; -EINVAL for missing ops->queue_rq, nr_hw_queues 0 or above
 * NR_CPUS, or a queue_depth out of range; -ENOMEM.
 */
int blk_mq_alloc_tag_set(struct blk_mq_tag_set *set);

/**
 * blk_mq_free_tag_set() - free what blk_mq_alloc_tag_set() allocated
 * @set: a set no disk uses any more (put_disk() called)
 */
void blk_mq_free_tag_set(struct blk_mq_tag_set *set);

/**
 * blk_mq_alloc_disk() - allocate a disk and its queue on @set
 * @set: an allocated tag set
 * @queuedata: stored in disk->queue->queuedata
 *
 * The queue starts with 512-byte blocks, 128 segments of up to 64 KiB,
 * 255 sectors per request, no write cache, and set->timeout (30 s).
 *
 * Return: the disk, or ERR_PTR(-ENOMEM) / ERR_PTR(the init_hctx error).
 */
struct gendisk *blk_mq_alloc_disk(struct blk_mq_tag_set *set, void *queuedata);

/**
 * blk_mq_start_request() - tell the core the driver started @rq
 * @rq: the request queue_rq got
 *
 * Arms the request's timeout.  Call it before handing @rq to the device.
 */
void blk_mq_start_request(struct request *rq);

/**
 * blk_mq_end_request() - finish all of @rq with @error
 * @rq: a started request
 * @error: BLK_STS_OK or the error its bios complete with
 *
 * Completes the bios, frees the tag and wakes submitters waiting for one.
 * Any context.  Call it once per request: a second call, or one for a
 * request that is not allocated, is refused with a log line (it cannot
 * tell a request reused for new I/O since, so a driver must not rely on
 * that).  For a request the timeout handler already ended, it is the
 * late completion: it only frees the tag the core kept.
 */
void blk_mq_end_request(struct request *rq, blk_status_t error);

/**
 * blk_mq_complete_request() - the device finished @rq; end it in a bottom half
 * @rq: a started request
 *
 * For interrupt handlers: ops->complete(@rq) runs later, on the CPU that
 * submitted @rq (in a workqueue) or at once when that is this CPU outside
 * interrupt context.  For a request the timeout handler already ended it
 * is the late completion, as for blk_mq_end_request(): the tag the core
 * kept is freed, and a completion after that is refused with a log line.
 */
void blk_mq_complete_request(struct request *rq);

bool __blk_should_fake_timeout(struct request_queue *q);

/**
 * blk_should_fake_timeout() - drop this completion (fault injection)?
 * @q: the request's queue
 *
 * A driver asks before blk_mq_complete_request(), as in Linux:
 * ``if (likely(!blk_should_fake_timeout(req->q))) blk_mq_complete_request(req);``
 * True while blk_queue_fake_timeouts() has completions left to lose; the
 * request then stays in flight until it times out.
 */
static inline bool blk_should_fake_timeout(struct request_queue *q)
{
	return unlikely(atomic_read(&q->fake_timeouts) > 0) && __blk_should_fake_timeout(q);
}

bool __blk_should_fake_stall(struct request_queue *q);

/**
 * blk_should_fake_stall() - leave the device unaware of this request?
 * @q: the request's queue
 *
 * True while blk_queue_fake_stalls() has requests left to stall: the
 * driver then skips the notification that would make the device start
 * the request it just queued.
 */
static inline bool blk_should_fake_stall(struct request_queue *q)
{
	return unlikely(atomic_read(&q->fake_stalls) > 0) && __blk_should_fake_stall(q);
}

/**
 * blk_mq_requeue_request() - put a started request back on its queue
 * @rq: the request
 * @kick_requeue_list: dispatch it again now
 *
 * From queue_rq's context or from ops->complete (the request is COMPLETE
 * there, as in Linux); it is unstarted and dispatched again later.  A
 * request the timeout handler took meanwhile (its bios ended with
 * BLK_STS_TIMEOUT) is not requeued: the call is its late completion, as
 * blk_mq_end_request() would be, with a log line; one that is not
 * allocated any more is refused.
 */
void blk_mq_requeue_request(struct request *rq, bool kick_requeue_list);

/* Move requeued requests back to their hardware queues and run them. */
void blk_mq_kick_requeue_list(struct request_queue *q);

/**
 * blk_mq_stop_hw_queue() - stop calling queue_rq on @hctx
 *
 * For a full device: stop the queue in queue_rq, return BLK_STS_RESOURCE,
 * and call blk_mq_start_stopped_hw_queues() once there is room.
 */
void blk_mq_stop_hw_queue(struct blk_mq_hw_ctx *hctx);
/* blk_mq_stop_hw_queue() on every hardware queue of @q. */
void blk_mq_stop_hw_queues(struct request_queue *q);

/**
 * blk_mq_start_stopped_hw_queue() - restart a stopped queue and dispatch
 * @hctx: the queue
 * @async: dispatch from a workqueue (required in interrupt context)
 */
void blk_mq_start_stopped_hw_queue(struct blk_mq_hw_ctx *hctx, bool async);
/* blk_mq_start_stopped_hw_queue() on every hardware queue of @q. */
void blk_mq_start_stopped_hw_queues(struct request_queue *q, bool async);
/* Clear every queue's stopped state and dispatch now (thread context). */
void blk_mq_start_hw_queues(struct request_queue *q);

/**
 * blk_mq_run_hw_queue() - dispatch what waits on @hctx
 * @hctx: the queue
 * @async: from a workqueue (required in interrupt context)
 */
void blk_mq_run_hw_queue(struct blk_mq_hw_ctx *hctx, bool async);
/* blk_mq_run_hw_queue() on every hardware queue of @q. */
void blk_mq_run_hw_queues(struct request_queue *q, bool async);

static inline bool blk_mq_queue_stopped_hctx(const struct blk_mq_hw_ctx *hctx)
{
	return hctx->state & (1UL << BLK_MQ_S_STOPPED);
}

/**
 * blk_mq_tag_to_rq() - the request of @tag, for a device that reports tags
 * Return: the request, or NULL for a tag out of range.
 */
struct request *blk_mq_tag_to_rq(struct blk_mq_tags *tags, unsigned int tag);

/**
 * blk_mq_quiesce_queue() - stop dispatching and wait for queue_rq calls to end
 * @q: the queue
 *
 * After it returns no queue_rq call runs until blk_mq_unquiesce_queue();
 * requests submitted meanwhile wait on their hardware queue.  Stops the
 * hardware queues, so blk_mq_unquiesce_queue() restarts queues the driver
 * stopped too.  May sleep.
 */
void blk_mq_quiesce_queue(struct request_queue *q);
/* Restart the queues blk_mq_quiesce_queue() stopped (any context). */
void blk_mq_unquiesce_queue(struct request_queue *q);

/**
 * blk_mq_freeze_queue() - wait until no bio or request is inside @q
 *
 * New bios wait in submit_bio() until blk_mq_unfreeze_queue().
 */
void blk_mq_freeze_queue(struct request_queue *q);
/* Let bios in again after blk_mq_freeze_queue(). */
void blk_mq_unfreeze_queue(struct request_queue *q);

/**
 * blk_rq_map_sg() - fill @sglist with the segments of @rq
 * @q: the request's queue
 * @rq: the request
 * @sglist: at least queue_max_segments(q) entries
 *
 * Physically adjacent segments are merged up to max_segment_size; the last
 * entry used gets the end mark.
 *
 * Return: entries used (0 for a request without data).
 */
int blk_rq_map_sg(struct request_queue *q, struct request *rq, struct scatterlist *sglist);

/*
 * The queue depth the core uses for a given hardware queue, for drivers
 * that size device rings after it.
 */
static inline unsigned int blk_mq_queue_depth(const struct blk_mq_hw_ctx *hctx)
{
	return hctx->queue->tag_set->queue_depth;
}

#endif /* _EXO_BLK_MQ_H */
