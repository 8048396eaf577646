/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the files of block/ (and its ktests).
 */
#ifndef _BLOCK_BLK_H
#define _BLOCK_BLK_H

#include <exo/blk-mq.h>
#include <exo/percpu.h>
#include <exo/workqueue.h>

/* The default request timeout, as Linux's BLK_DEFAULT_SG_TIMEOUT. */
#define BLK_DEFAULT_TIMEOUT	(30 * HZ)
/* A queue answering BLK_STS_RESOURCE with nothing in flight is retried after it. */
#define BLK_MQ_RESOURCE_DELAY	3	/* ms */

/*
 * request.state packs a generation (bumped by each blk_mq_start_request())
 * above the MQ_RQ_* bits, so that the timeout handler's claim cannot
 * succeed on a request that completed and was reused meanwhile.  Two
 * states beyond Linux's: MQ_RQ_TIMED_OUT, a request of a queue without
 * ops->timeout whose bios the timeout handler ended, which keeps its tag
 * until the device's late completion; and MQ_RQ_RETIRED, a request whose
 * end was claimed (blk_mq_end_request(), the core ending it after
 * BLK_EH_DONE, the late completion, or the queue's tear-down): its bios
 * are ending and it is being freed, and any further completion, end or
 * requeue is refused with a log line.  MQ_RQ_COMPLETE only means that
 * blk_mq_complete_request() claimed it and ops->complete runs, which may
 * end it or requeue it.
 */
#define RQ_STATE_MASK		7
#define MQ_RQ_TIMED_OUT		3
#define MQ_RQ_RETIRED		4
#define RQ_GEN_ONE		8

/*
 * request.ref: the owner's reference (1 from allocation to the end) and
 * one per timeout scan looking at the request; the tag is freed when the
 * last goes, so a request the scan examines is never reused under it.
 */
static inline bool req_ref_inc_not_zero(struct request *rq)
{
	int old = atomic_read(&rq->ref);

	while (old)
		if (atomic_try_cmpxchg(&rq->ref, &old, old + 1))
			return true;
	return false;
}

static inline bool req_ref_put_and_test(struct request *rq)
{
	return atomic_add_return(-1, &rq->ref) == 0;
}

/* Flush sequence steps of a request (request.flush_seq bits). */
#define REQ_FSEQ_PREFLUSH	(1u << 0)
#define REQ_FSEQ_DATA		(1u << 1)
#define REQ_FSEQ_POSTFLUSH	(1u << 2)

extern atomic_long_t blk_nr_bios, blk_nr_requests, blk_nr_in_flight;
extern atomic_long_t blk_nr_timeouts, blk_nr_requeues, blk_nr_splits, blk_nr_merges;

extern struct workqueue_struct *kblockd_workqueue;

/* Set @rq's state (MQ_RQ_*), keeping its generation. */
static inline void rq_set_state(struct request *rq, int st)
{
	int old = READ_ONCE(rq->state);

	WRITE_ONCE(rq->state, (old & ~RQ_STATE_MASK) | st);
}

/*
 * Length of the segment that starts at physical address @pa, with @len
 * bytes of the bio_vec left: cut at max_segment_size and at the segment
 * boundary.
 */
static inline unsigned int blk_seg_len(const struct queue_limits *lim, phys_addr_t pa,
				       unsigned int len)
{
	unsigned long room = lim->seg_boundary_mask - (pa & lim->seg_boundary_mask) + 1;
	unsigned int seg = len < lim->max_segment_size ? len : lim->max_segment_size;

	/* room is 0 when the mask is ~0: no boundary. */
	if (room && seg > room)
		seg = (unsigned int)room;
	return seg;
}

/* blk-core.c */
bool blk_queue_enter(struct request_queue *q, bool nowait);
void blk_queue_exit(struct request_queue *q);
void blk_set_default_limits(struct queue_limits *lim);
unsigned int blk_bio_segments(struct request_queue *q, struct bio *bio, unsigned int max_bytes,
			      unsigned int *bytes);

/* blk-mq-submit.c */
void blk_mq_submit_bio(struct bio *bio);

/* blk-mq.c */
struct request_queue *blk_mq_init_queue_data(struct blk_mq_tag_set *set, void *queuedata);
void blk_mq_destroy_queue(struct request_queue *q);
void blk_mq_insert_request(struct request *rq, bool at_head);
void __blk_mq_end_request(struct request *rq, blk_status_t error);
void blk_mq_free_request(struct request *rq);
void __blk_mq_free_request(struct request *rq);
int blk_mq_tags_busy(struct blk_mq_tags *tags);

/* blk-mq-tag.c */
struct blk_mq_tags *blk_mq_alloc_tags(struct blk_mq_tag_set *set, unsigned int hctx_idx);
void blk_mq_free_tags(struct blk_mq_tag_set *set, struct blk_mq_tags *tags,
		      unsigned int hctx_idx);
int blk_mq_get_tag(struct blk_mq_tags *tags, bool nowait);
void blk_mq_put_tag(struct blk_mq_tags *tags, unsigned int tag);

/* blk-flush.c: true if the flush machinery took @rq (it is then queued). */
bool blk_insert_flush(struct request *rq);
/* True if @rq's next flush step was queued instead of ending it. */
bool blk_flush_complete_seq(struct request *rq, blk_status_t error);

/* blk-timeout.c */
void blk_add_timer(struct request *rq);
void blk_timeout_init(struct request_queue *q);
void blk_timeout_stop(struct request_queue *q);
#ifdef CONFIG_KTEST
/* Called by the timeout handler between its claim of a request and its end. */
extern void (*blk_timeout_test_hook)(struct request *rq);
/* Called by __blk_mq_free_request() between clearing rq->q and putting the tag. */
extern void (*blk_free_test_hook)(struct request *rq);
/* Called by blkdev_get_by_path() between the lookup and taking open_mutex. */
extern void (*blk_open_test_hook)(struct block_device *bdev);
#endif

/* genhd.c, partitions.c */
struct block_device *bdev_alloc(struct gendisk *disk, u8 partno);
int bdev_add(struct block_device *bdev, struct device *parent);
void bdev_del(struct block_device *bdev);
int blk_add_partitions(struct gendisk *disk);
void blk_drop_partitions(struct gendisk *disk);
int bdev_add_partition(struct gendisk *disk, int partno, sector_t start, sector_t length,
		       const char *type);

/*
 * `blk bench`: CPU cycles (instructions under -icount) spent in the core's
 * completion path, counted while blk_bench_active.
 */
extern bool blk_bench_active;
DECLARE_PER_CPU(u64, blk_bench_cycles);
DECLARE_PER_CPU(unsigned int, blk_bench_depth);
u64 blk_bench_enter(void);
void blk_bench_exit(u64 t0);

u32 blk_crc32_le(u32 crc, const void *buf, size_t len);

#endif /* _BLOCK_BLK_H */
