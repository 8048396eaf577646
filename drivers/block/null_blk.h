/* SPDX-License-Identifier: GPL-2.0 */
/*
 * null_blk's interface to its ktests (drivers/block/null_blk_test.c):
 * create a device with a given configuration, read its counters and the
 * log of the commands it received, and complete the requests it dropped.
 */
#ifndef _DRIVERS_BLOCK_NULL_BLK_H
#define _DRIVERS_BLOCK_NULL_BLK_H

#include <exo/blk-mq.h>

/* How a request completes. */
enum {
	NULL_IRQ_NONE = 0,	/* at once, in queue_rq (blk_mq_end_request) */
	NULL_IRQ_IPI = 1,	/* blk_mq_complete_request() from an IPI on the next CPU */
	NULL_IRQ_TIMER = 2,	/* blk_mq_complete_request() from a timer, next tick */
};

struct nullb_config {
	unsigned int submit_queues;	/* hardware queues */
	unsigned int hw_queue_depth;	/* tags per hardware queue */
	unsigned int ring_depth;	/* device slots per queue; 0: as many as tags */
	unsigned int bs;		/* logical block size */
	unsigned int size_mb;		/* capacity, MiB */
	unsigned int irqmode;		/* NULL_IRQ_* */
	bool memory_backed;		/* keep the data (else reads return zeroes) */
	bool cache;			/* a volatile write cache (flushes reach queue_rq) */
	bool fua;			/* native FUA */
	bool timeout_handler;		/* offer ops->timeout */
	bool discard;			/* offer discard and write zeroes */
	unsigned int max_sectors, max_segments, max_segment_size;	/* 0: defaults */
	unsigned int timeout_ms;	/* request timeout; 0: the block layer's */
	/*
	 * ->timeout ends a dropped request itself (BLK_STS_IOERR) and answers
	 * BLK_EH_DONE, as Linux drivers that abort a command do.
	 */
	bool timeout_ends;
	bool requeue_on_complete;	/* ops->complete requeues each request once */
	/* Every Nth command (0: never): */
	unsigned int inject_error;	/* completes with BLK_STS_IOERR */
	unsigned int inject_timeout;	/* is dropped: never completes */
	unsigned int inject_requeue;	/* is answered BLK_STS_RESOURCE */
};

/* One command as queue_rq saw it, in arrival order. */
struct nullb_log_entry {
	blk_opf_t opf;
	sector_t sector;
	unsigned int bytes;
};

#define NULLB_LOG_SIZE	64

struct nullb_stats {
	unsigned long queued;		/* queue_rq calls answered BLK_STS_OK */
	unsigned long resource;		/* answered BLK_STS_RESOURCE */
	unsigned long flushes, fua_writes, reads, writes, discards, write_zeroes;
	unsigned long errors, dropped, timeouts;	/* injected, dropped, ->timeout calls */
	unsigned long requeued;		/* requeued from ops->complete */
	/* Ended by ->timeout (timeout_ends); of those, their tag still held right after. */
	unsigned long timeout_ended, timeout_tag_held;
	unsigned int max_segs_seen, max_sectors_seen;
	unsigned long pages;		/* memory pages in use */
};

struct nullb;

/**
 * null_blk_create() - add a null_blk disk
 * @cfg: its configuration (zeroes take the module parameters' values)
 * @name: disk name ("nullb7")
 *
 * Return: the device, or ERR_PTR(negative errno).
 */
struct nullb *null_blk_create(const struct nullb_config *cfg, const char *name);

/* del_gendisk(), then free everything; dropped requests are completed first. */
void null_blk_destroy(struct nullb *nb);

/*
 * Tear the disk down (del_gendisk(), put_disk()) but keep the device and
 * its dropped requests, whose completion then comes after the teardown;
 * null_blk_destroy() frees the rest.
 */
void null_blk_remove_disk(struct nullb *nb);

struct gendisk *null_blk_disk(struct nullb *nb);
void null_blk_get_stats(struct nullb *nb, struct nullb_stats *st);

/**
 * null_blk_log() - copy the last commands seen (oldest first)
 * Return: the number copied, at most @max and NULLB_LOG_SIZE.
 */
unsigned int null_blk_log(struct nullb *nb, struct nullb_log_entry *out, unsigned int max);
void null_blk_log_reset(struct nullb *nb);

/* Complete the requests the device dropped (late completions). Returns how many. */
unsigned int null_blk_complete_dropped(struct nullb *nb, blk_status_t status);

#endif /* _DRIVERS_BLOCK_NULL_BLK_H */
