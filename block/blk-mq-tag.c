// SPDX-License-Identifier: GPL-2.0
/*
 * Tags: each hardware queue owns queue_depth requests, preallocated with
 * the driver's cmd_size bytes after each, and a bitmap of those in use.
 * A submitter that finds none free sleeps on the tags' wait queue until a
 * request is freed, which bounds the requests in flight per queue.
 */
#include <exo/bitmap.h>
#include <exo/blk-mq.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/slab.h>
#include <exo/wait.h>
#include "blk.h"

static size_t blk_mq_rq_size(const struct blk_mq_tag_set *set)
{
	return ALIGN(sizeof(struct request) + set->cmd_size, 64);
}

struct blk_mq_tags *blk_mq_alloc_tags(struct blk_mq_tag_set *set, unsigned int hctx_idx)
{
	unsigned int depth = set->queue_depth;
	size_t rq_size = blk_mq_rq_size(set);
	struct blk_mq_tags *tags;

	tags = kzalloc(sizeof(*tags), GFP_KERNEL);
	if (!tags)
		return NULL;
	tags->nr_tags = depth;
	tags->nr_free = depth;
	spin_lock_init(&tags->lock);
	init_waitqueue_head(&tags->wait);
	tags->bitmap = kcalloc(BITS_TO_LONGS(depth), sizeof(long), GFP_KERNEL);
	tags->rqs = kcalloc(depth, sizeof(*tags->rqs), GFP_KERNEL);
	/* Direct-map memory: drivers DMA from their per-request data. */
	tags->rq_mem = kcalloc(depth, rq_size, GFP_KERNEL);
	if (!tags->bitmap || !tags->rqs || !tags->rq_mem)
		goto fail;
	for (unsigned int i = 0; i < depth; i++) {
		struct request *rq = (struct request *)((u8 *)tags->rq_mem + i * rq_size);

		rq->tag = (int)i;
		INIT_LIST_HEAD(&rq->queuelist);
		tags->rqs[i] = rq;
		if (set->ops->init_request &&
		    set->ops->init_request(set, rq, hctx_idx, (unsigned int)set->numa_node)) {
			for (unsigned int j = 0; j < i && set->ops->exit_request; j++)
				set->ops->exit_request(set, tags->rqs[j], hctx_idx);
			goto fail;
		}
	}
	return tags;
fail:
	kfree(tags->rq_mem);
	kfree(tags->rqs);
	kfree(tags->bitmap);
	kfree(tags);
	return NULL;
}

void blk_mq_free_tags(struct blk_mq_tag_set *set, struct blk_mq_tags *tags,
		      unsigned int hctx_idx)
{
	if (!tags)
		return;
	if (set->ops->exit_request)
		for (unsigned int i = 0; i < tags->nr_tags; i++)
			set->ops->exit_request(set, tags->rqs[i], hctx_idx);
	kfree(tags->rq_mem);
	kfree(tags->rqs);
	kfree(tags->bitmap);
	kfree(tags);
}

static int __blk_mq_get_tag(struct blk_mq_tags *tags)
{
	unsigned long flags, tag;

	spin_lock_irqsave(&tags->lock, flags);
	if (!tags->nr_free) {
		spin_unlock_irqrestore(&tags->lock, flags);
		return -EAGAIN;
	}
	tag = find_next_zero_bit(tags->bitmap, tags->nr_tags, 0);
	__set_bit(tag, tags->bitmap);
	tags->nr_free--;
	spin_unlock_irqrestore(&tags->lock, flags);
	return (int)tag;
}

/* A free tag; sleeps for one unless @nowait (then -EAGAIN). */
int blk_mq_get_tag(struct blk_mq_tags *tags, bool nowait)
{
	int tag;

	for (;;) {
		tag = __blk_mq_get_tag(tags);
		if (tag >= 0 || nowait)
			return tag;
		wait_event(tags->wait, READ_ONCE(tags->nr_free) > 0);
	}
}

void blk_mq_put_tag(struct blk_mq_tags *tags, unsigned int tag)
{
	unsigned long flags;

	spin_lock_irqsave(&tags->lock, flags);
	__clear_bit(tag, tags->bitmap);
	tags->nr_free++;
	/* Under the lock: blk_mq_cancel_requests() takes it to know we are done. */
	wake_up(&tags->wait);
	spin_unlock_irqrestore(&tags->lock, flags);
}

int blk_mq_tags_busy(struct blk_mq_tags *tags)
{
	return (int)(tags->nr_tags - READ_ONCE(tags->nr_free));
}

struct request *blk_mq_tag_to_rq(struct blk_mq_tags *tags, unsigned int tag)
{
	return tag < tags->nr_tags ? tags->rqs[tag] : NULL;
}
EXPORT_SYMBOL_GPL(blk_mq_tag_to_rq);
