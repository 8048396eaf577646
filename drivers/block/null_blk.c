// SPDX-License-Identifier: GPL-2.0
/*
 * null_blk: a blk-mq disk in memory, after Linux's drivers/block/null_blk,
 * to test the block layer without hardware.  Data lives in pages
 * allocated on first write (memory_backed, default on); completion is
 * immediate, from an IPI on the next CPU or from a timer (irqmode); and
 * every Nth command can fail, vanish (and time out) or be refused for
 * lack of room (inject_*).  The device may also have fewer slots than
 * tags (ring_depth), so queue_rq stops its queue when they run out, as a
 * real driver with a full ring does.
 *
 *	insmod null_blk nr_devices=2 submit_queues=4 hw_queue_depth=32 irqmode=1
 *
 * The ktests create devices of their own through null_blk.h.
 */
#include <exo/blk-mq.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/timer.h>
#include "null_blk.h"

/* A uint parameter, read-only unless @perm says otherwise. */
#define NULLB_PARAM(name, def, perm, desc)				\
	static unsigned int name = def;					\
	module_param(name, uint, perm);					\
	MODULE_PARM_DESC(name, desc)

NULLB_PARAM(nr_devices, 1, 0444, "devices created at load (nullb0...), default 1");
NULLB_PARAM(submit_queues, 1, 0444, "hardware queues per device (1..NR_CPUS), default 1");
NULLB_PARAM(hw_queue_depth, 64, 0444, "tags per hardware queue (1..1024), default 64");
NULLB_PARAM(bs, 512, 0444, "logical block size, 512..4096, default 512");
NULLB_PARAM(size, 16, 0444, "capacity in MiB, default 16");
NULLB_PARAM(irqmode, NULL_IRQ_NONE, 0444,
	    "completion: 0 in queue_rq (default), 1 IPI to the next CPU, 2 timer");
NULLB_PARAM(inject_error, 0, 0644, "fail every Nth command with an I/O error (0: never)");
NULLB_PARAM(inject_timeout, 0, 0644, "drop every Nth command, so that it times out (0: never)");
NULLB_PARAM(inject_requeue, 0, 0644, "answer every Nth command BLK_STS_RESOURCE (0: never)");
static bool memory_backed = true;
module_param(memory_backed, bool, 0444);
MODULE_PARM_DESC(memory_backed, "keep written data (default y)");

struct nullb_cmd {
	blk_status_t error;
	bool dropped;
	bool requeued;			/* requeue_on_complete did, once */
	struct list_head list;		/* timer list or dropped list */
};

struct nullb_queue {
	struct nullb *dev;
	unsigned int index;
	atomic_t ring_used;		/* device slots taken */
	spinlock_t lock;		/* timer list */
	struct list_head timer_list;
	struct timer_list timer;
};

struct nullb {
	struct nullb_config cfg;
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
	struct nullb_queue *queues;
	struct page **pages;		/* one per 4 KiB of capacity, NULL until written */
	unsigned long nr_pages;
	spinlock_t lock;		/* pages[], dropped, log, stats */
	struct list_head dropped;
	atomic_t seq;			/* commands seen, for inject_* */
	struct nullb_log_entry log[NULLB_LOG_SIZE];
	unsigned int log_head, log_len;
	struct nullb_stats st;
	bool disk_removed;		/* null_blk_remove_disk() */
};

static struct nullb *boot_devs[8];

static struct page *null_page(struct nullb *nb, unsigned long idx, bool alloc)
{
	struct page *page = READ_ONCE(nb->pages[idx]), *fresh;
	unsigned long flags;

	if (page || !alloc)
		return page;
	fresh = alloc_page(GFP_ATOMIC);
	if (!fresh)
		return NULL;
	memset(page_address(fresh), 0, PAGE_SIZE);
	spin_lock_irqsave(&nb->lock, flags);
	page = nb->pages[idx];
	if (!page) {
		WRITE_ONCE(nb->pages[idx], fresh);
		nb->st.pages++;
		page = fresh;
		fresh = NULL;
	}
	spin_unlock_irqrestore(&nb->lock, flags);
	if (fresh)
		__free_page(fresh);
	return page;
}

/* Copy @len bytes between @buf and the device at byte @pos. */
static blk_status_t null_copy(struct nullb *nb, u8 *buf, u64 pos, unsigned int len, bool write)
{
	while (len) {
		unsigned long idx = (unsigned long)(pos >> PAGE_SHIFT);
		unsigned int off = (unsigned int)(pos & (PAGE_SIZE - 1));
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - off);
		struct page *page = nb->cfg.memory_backed ? null_page(nb, idx, write) : NULL;

		if (write && nb->cfg.memory_backed && !page)
			return BLK_STS_RESOURCE;
		if (write && page)
			memcpy((u8 *)page_address(page) + off, buf, n);
		else if (!write)
			page ? memcpy(buf, (u8 *)page_address(page) + off, n) : memset(buf, 0, n);
		buf += n;
		pos += n;
		len -= n;
	}
	return BLK_STS_OK;
}

static void null_zero(struct nullb *nb, u64 pos, unsigned int len)
{
	while (len) {
		unsigned long idx = (unsigned long)(pos >> PAGE_SHIFT);
		unsigned int off = (unsigned int)(pos & (PAGE_SIZE - 1));
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - off);
		struct page *page = nb->cfg.memory_backed ? null_page(nb, idx, false) : NULL;

		if (page)
			memset((u8 *)page_address(page) + off, 0, n);
		pos += n;
		len -= n;
	}
}

static blk_status_t null_handle_rq(struct nullb *nb, struct request *rq)
{
	u64 pos = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;
	struct req_iterator iter;
	struct bio_vec bv;
	blk_status_t err;

	switch (req_op(rq)) {
	case REQ_OP_FLUSH:
		return BLK_STS_OK;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		null_zero(nb, pos, blk_rq_bytes(rq));
		return BLK_STS_OK;
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	rq_for_each_segment(bv, rq, iter) {
		err = null_copy(nb, bvec_virt(&bv), pos, bv.bv_len, rq_data_dir(rq) == WRITE);
		if (err)
			return err;
		pos += bv.bv_len;
	}
	return BLK_STS_OK;
}

static void null_account(struct nullb *nb, struct request *rq)
{
	struct nullb_log_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&nb->lock, flags);
	e = &nb->log[(nb->log_head + nb->log_len) % NULLB_LOG_SIZE];
	if (nb->log_len < NULLB_LOG_SIZE)
		nb->log_len++;
	else
		nb->log_head = (nb->log_head + 1) % NULLB_LOG_SIZE;
	*e = (struct nullb_log_entry){ rq->cmd_flags, blk_rq_pos(rq), blk_rq_bytes(rq) };
	nb->st.queued++;
	switch (req_op(rq)) {
	case REQ_OP_FLUSH:
		nb->st.flushes++;
		break;
	case REQ_OP_READ:
		nb->st.reads++;
		break;
	case REQ_OP_WRITE:
		nb->st.writes++;
		nb->st.fua_writes += !!(rq->cmd_flags & REQ_FUA);
		break;
	case REQ_OP_DISCARD:
		nb->st.discards++;
		break;
	default:
		nb->st.write_zeroes++;
		break;
	}
	nb->st.max_segs_seen = max_t(unsigned int, nb->st.max_segs_seen,
				     blk_rq_nr_phys_segments(rq));
	nb->st.max_sectors_seen = max(nb->st.max_sectors_seen, blk_rq_sectors(rq));
	spin_unlock_irqrestore(&nb->lock, flags);
}

static void null_ipi_complete(void *info)
{
	blk_mq_complete_request(info);
}

static void null_timer_fn(struct timer_list *t)
{
	struct nullb_queue *nq = container_of(t, struct nullb_queue, timer);
	struct nullb_cmd *cmd, *tmp;
	unsigned long flags;
	LIST_HEAD(done);

	spin_lock_irqsave(&nq->lock, flags);
	list_for_each_entry_safe(cmd, tmp, &nq->timer_list, list)
		list_move_tail(&cmd->list, &done);
	spin_unlock_irqrestore(&nq->lock, flags);
	list_for_each_entry_safe(cmd, tmp, &done, list) {
		list_del_init(&cmd->list);
		blk_mq_complete_request(blk_mq_rq_from_pdu(cmd));
	}
}

static void null_complete_rq(struct request *rq);

static void null_complete(struct nullb_queue *nq, struct request *rq, struct nullb_cmd *cmd)
{
	unsigned int me = smp_processor_id(), cpu = me;
	unsigned long flags;

	/* The next online CPU (this one on a single-CPU machine). */
	for (unsigned int i = 1; i <= NR_CPUS; i++) {
		cpu = (me + i) % NR_CPUS;
		if (cpu_online(cpu))
			break;
	}

	switch (nq->dev->cfg.irqmode) {
	case NULL_IRQ_IPI:
		if (!smp_call_function_single(cpu, null_ipi_complete, rq, false))
			return;
		break;
	case NULL_IRQ_TIMER:
		spin_lock_irqsave(&nq->lock, flags);
		list_add_tail(&cmd->list, &nq->timer_list);
		spin_unlock_irqrestore(&nq->lock, flags);
		if (!timer_pending(&nq->timer))
			mod_timer(&nq->timer, jiffies + 1);
		return;
	}
	null_complete_rq(rq);
}

static bool null_inject(unsigned int every, unsigned int n)
{
	return every && n % every == 0;
}

static blk_status_t null_queue_rq(struct blk_mq_hw_ctx *hctx, const struct blk_mq_queue_data *bd)
{
	struct nullb_queue *nq = hctx->driver_data;
	struct nullb *nb = nq->dev;
	struct request *rq = bd->rq;
	struct nullb_cmd *cmd = blk_mq_rq_to_pdu(rq);
	unsigned int n = (unsigned int)atomic_add_return(1, &nb->seq);
	unsigned long flags;

	if (null_inject(nb->cfg.inject_requeue, n)) {
		nb->st.resource++;
		return BLK_STS_RESOURCE;
	}
	if (nb->cfg.ring_depth &&
	    atomic_add_return(1, &nq->ring_used) > (int)nb->cfg.ring_depth) {
		/* The ring is full: stop until a slot frees (null_end_slot). */
		atomic_add(-1, &nq->ring_used);
		blk_mq_stop_hw_queue(hctx);
		/* A slot freed meanwhile would not restart us: check again. */
		if (atomic_read(&nq->ring_used) < (int)nb->cfg.ring_depth)
			blk_mq_start_stopped_hw_queue(hctx, true);
		nb->st.resource++;
		return BLK_STS_DEV_RESOURCE;
	}
	blk_mq_start_request(rq);
	null_account(nb, rq);
	cmd->dropped = false;
	if (null_inject(nb->cfg.inject_timeout, n)) {
		cmd->dropped = true;
		spin_lock_irqsave(&nb->lock, flags);
		list_add_tail(&cmd->list, &nb->dropped);
		nb->st.dropped++;
		spin_unlock_irqrestore(&nb->lock, flags);
		return BLK_STS_OK;
	}
	cmd->error = null_handle_rq(nb, rq);
	if (!cmd->error && null_inject(nb->cfg.inject_error, n)) {
		cmd->error = BLK_STS_IOERR;
		nb->st.errors++;
	}
	null_complete(nq, rq, cmd);
	return BLK_STS_OK;
}

static void null_end_slot(struct request *rq)
{
	struct nullb_queue *nq = rq->mq_hctx->driver_data;

	if (!nq->dev->cfg.ring_depth)
		return;
	atomic_add(-1, &nq->ring_used);
	blk_mq_start_stopped_hw_queue(rq->mq_hctx, true);
}

static void null_complete_rq(struct request *rq)
{
	struct nullb_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct nullb *nb = rq->q->queuedata;
	unsigned long flags;

	null_end_slot(rq);
	if (nb->cfg.requeue_on_complete && !cmd->requeued) {
		/* A completion asking for a retry, as a SCSI sense code may. */
		cmd->requeued = true;
		spin_lock_irqsave(&nb->lock, flags);
		nb->st.requeued++;
		spin_unlock_irqrestore(&nb->lock, flags);
		blk_mq_requeue_request(rq, true);
		return;
	}
	cmd->requeued = false;
	blk_mq_end_request(rq, cmd->error);
}

/* A dropped request: forget it, the block layer ends it with BLK_STS_TIMEOUT. */
static enum blk_eh_timer_return null_timeout_rq(struct request *rq)
{
	struct nullb_queue *nq = rq->mq_hctx->driver_data;
	struct nullb_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct nullb *nb = nq->dev;
	unsigned long flags;
	bool forgot = false;

	spin_lock_irqsave(&nb->lock, flags);
	nb->st.timeouts++;
	if (cmd->dropped) {
		list_del_init(&cmd->list);
		cmd->dropped = false;
		forgot = true;
	}
	spin_unlock_irqrestore(&nb->lock, flags);
	if (!forgot)
		return BLK_EH_RESET_TIMER;
	null_end_slot(rq);
	if (nb->cfg.timeout_ends) {
		bool held;

		blk_mq_end_request(rq, BLK_STS_IOERR);
		/* The timeout scan pins the request: its tag cannot be reused yet. */
		held = test_bit(rq->tag, rq->mq_hctx->tags->bitmap);
		spin_lock_irqsave(&nb->lock, flags);
		nb->st.timeout_ended++;
		nb->st.timeout_tag_held += held;
		spin_unlock_irqrestore(&nb->lock, flags);
	}
	return BLK_EH_DONE;
}

static int null_init_hctx(struct blk_mq_hw_ctx *hctx, void *data, unsigned int idx)
{
	struct nullb *nb = data;

	hctx->driver_data = &nb->queues[idx];
	return 0;
}

static const struct blk_mq_ops null_mq_ops = {
	.queue_rq = null_queue_rq,
	.complete = null_complete_rq,
	.timeout = null_timeout_rq,
	.init_hctx = null_init_hctx,
};

/* Without ->timeout: the block layer ends timed-out requests and keeps their tags. */
static const struct blk_mq_ops null_mq_ops_notimeout = {
	.queue_rq = null_queue_rq,
	.complete = null_complete_rq,
	.init_hctx = null_init_hctx,
};

static const struct block_device_operations null_fops = {
	.owner = THIS_MODULE,
};

static void null_fill_config(struct nullb_config *c)
{
	c->submit_queues = c->submit_queues ?: submit_queues;
	c->hw_queue_depth = c->hw_queue_depth ?: hw_queue_depth;
	c->bs = c->bs ?: bs;
	c->size_mb = c->size_mb ?: size;
	c->inject_error = c->inject_error ?: inject_error;
	c->inject_timeout = c->inject_timeout ?: inject_timeout;
	c->inject_requeue = c->inject_requeue ?: inject_requeue;
}

static void null_free(struct nullb *nb)
{
	for (unsigned long i = 0; nb->pages && i < nb->nr_pages; i++)
		if (nb->pages[i])
			__free_page(nb->pages[i]);
	kfree(nb->pages);
	kfree(nb->queues);
	kfree(nb);
}

static void null_set_limits(struct nullb *nb, struct request_queue *q)
{
	const struct nullb_config *c = &nb->cfg;

	blk_queue_logical_block_size(q, c->bs);
	blk_queue_physical_block_size(q, c->bs);
	blk_queue_max_hw_sectors(q, c->max_sectors ?: 1024);
	if (c->max_segments)
		blk_queue_max_segments(q, (unsigned short)c->max_segments);
	if (c->max_segment_size)
		blk_queue_max_segment_size(q, c->max_segment_size);
	blk_queue_write_cache(q, c->cache, c->fua);
	if (c->discard) {
		blk_queue_max_discard_sectors(q, 1024);
		blk_queue_max_write_zeroes_sectors(q, 1024);
	}
	if (c->timeout_ms)
		blk_queue_rq_timeout(q, msecs_to_jiffies(c->timeout_ms));
}

struct nullb *null_blk_create(const struct nullb_config *cfg, const char *name)
{
	struct nullb *nb;
	int err = -ENOMEM;

	nb = kzalloc(sizeof(*nb), GFP_KERNEL);
	if (!nb)
		return ERR_PTR(-ENOMEM);
	nb->cfg = *cfg;
	null_fill_config(&nb->cfg);
	spin_lock_init(&nb->lock);
	INIT_LIST_HEAD(&nb->dropped);
	nb->nr_pages = ((unsigned long)nb->cfg.size_mb << 20) >> PAGE_SHIFT;
	nb->pages = kcalloc(nb->nr_pages, sizeof(*nb->pages), GFP_KERNEL);
	nb->queues = kcalloc(nb->cfg.submit_queues ?: 1, sizeof(*nb->queues), GFP_KERNEL);
	if (!nb->pages || !nb->queues || !nb->nr_pages)
		goto fail;
	for (unsigned int i = 0; i < nb->cfg.submit_queues; i++) {
		struct nullb_queue *nq = &nb->queues[i];

		nq->dev = nb;
		nq->index = i;
		spin_lock_init(&nq->lock);
		INIT_LIST_HEAD(&nq->timer_list);
		timer_setup(&nq->timer, null_timer_fn, 0);
	}
	nb->tag_set.ops = nb->cfg.timeout_handler ? &null_mq_ops : &null_mq_ops_notimeout;
	nb->tag_set.nr_hw_queues = nb->cfg.submit_queues;
	nb->tag_set.queue_depth = nb->cfg.hw_queue_depth;
	nb->tag_set.cmd_size = sizeof(struct nullb_cmd);
	nb->tag_set.numa_node = NUMA_NO_NODE;
	nb->tag_set.flags = BLK_MQ_F_SHOULD_MERGE;
	nb->tag_set.driver_data = nb;
	err = blk_mq_alloc_tag_set(&nb->tag_set);
	if (err)
		goto fail;
	nb->disk = blk_mq_alloc_disk(&nb->tag_set, nb);
	if (IS_ERR(nb->disk)) {
		err = (int)PTR_ERR(nb->disk);
		goto fail_set;
	}
	strlcpy(nb->disk->disk_name, name, DISK_NAME_LEN);
	nb->disk->fops = &null_fops;
	nb->disk->driver_name = "null_blk";
	null_set_limits(nb, nb->disk->queue);
	set_capacity(nb->disk, (sector_t)nb->cfg.size_mb << (20 - SECTOR_SHIFT));
	err = device_add_disk(NULL, nb->disk, NULL);
	if (err)
		goto fail_disk;
	return nb;
fail_disk:
	put_disk(nb->disk);
fail_set:
	blk_mq_free_tag_set(&nb->tag_set);
fail:
	null_free(nb);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(null_blk_create);

unsigned int null_blk_complete_dropped(struct nullb *nb, blk_status_t status)
{
	struct nullb_cmd *cmd, *tmp;
	unsigned int n = 0;
	unsigned long flags;
	LIST_HEAD(list);

	spin_lock_irqsave(&nb->lock, flags);
	list_for_each_entry_safe(cmd, tmp, &nb->dropped, list) {
		cmd->dropped = false;
		list_move_tail(&cmd->list, &list);
	}
	spin_unlock_irqrestore(&nb->lock, flags);
	list_for_each_entry_safe(cmd, tmp, &list, list) {
		list_del_init(&cmd->list);
		cmd->error = status;
		blk_mq_complete_request(blk_mq_rq_from_pdu(cmd));
		n++;
	}
	return n;
}
EXPORT_SYMBOL_GPL(null_blk_complete_dropped);

void null_blk_remove_disk(struct nullb *nb)
{
	if (nb->disk_removed)
		return;
	nb->disk_removed = true;
	del_gendisk(nb->disk);
	for (unsigned int i = 0; i < nb->cfg.submit_queues; i++) {
		del_timer_sync(&nb->queues[i].timer);
		null_timer_fn(&nb->queues[i].timer);
	}
	put_disk(nb->disk);
}
EXPORT_SYMBOL_GPL(null_blk_remove_disk);

void null_blk_destroy(struct nullb *nb)
{
	null_blk_complete_dropped(nb, BLK_STS_IOERR);
	null_blk_remove_disk(nb);
	blk_mq_free_tag_set(&nb->tag_set);
	null_free(nb);
}
EXPORT_SYMBOL_GPL(null_blk_destroy);

struct gendisk *null_blk_disk(struct nullb *nb)
{
	return nb->disk;
}
EXPORT_SYMBOL_GPL(null_blk_disk);

void null_blk_get_stats(struct nullb *nb, struct nullb_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&nb->lock, flags);
	*st = nb->st;
	spin_unlock_irqrestore(&nb->lock, flags);
}
EXPORT_SYMBOL_GPL(null_blk_get_stats);

unsigned int null_blk_log(struct nullb *nb, struct nullb_log_entry *out, unsigned int max)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&nb->lock, flags);
	n = min(max, nb->log_len);
	for (unsigned int i = 0; i < n; i++)
		out[i] = nb->log[(nb->log_head + nb->log_len - n + i) % NULLB_LOG_SIZE];
	spin_unlock_irqrestore(&nb->lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(null_blk_log);

void null_blk_log_reset(struct nullb *nb)
{
	unsigned long flags;

	spin_lock_irqsave(&nb->lock, flags);
	nb->log_head = nb->log_len = 0;
	spin_unlock_irqrestore(&nb->lock, flags);
}
EXPORT_SYMBOL_GPL(null_blk_log_reset);

static int __init null_init(void)
{
	if (!submit_queues || submit_queues > NR_CPUS || !hw_queue_depth ||
	    hw_queue_depth > BLK_MQ_MAX_DEPTH || irqmode > NULL_IRQ_TIMER || !size ||
	    nr_devices > ARRAY_SIZE(boot_devs)) {
		pr_err("null_blk: bad parameters: submit_queues 1..%d, hw_queue_depth 1..%d, irqmode 0..2, size > 0, nr_devices <= %zu\n",
		       NR_CPUS, BLK_MQ_MAX_DEPTH, ARRAY_SIZE(boot_devs));
		return -EINVAL;
	}
	for (unsigned int i = 0; i < nr_devices; i++) {
		struct nullb_config cfg = {
			.irqmode = irqmode, .memory_backed = memory_backed,
			.timeout_handler = true,
		};
		char name[DISK_NAME_LEN];
		struct nullb *nb;

		snprintf(name, sizeof(name), "nullb%u", i);
		nb = null_blk_create(&cfg, name);
		if (IS_ERR(nb)) {
			while (i--)
				null_blk_destroy(boot_devs[i]);
			return (int)PTR_ERR(nb);
		}
		boot_devs[i] = nb;
	}
	return 0;
}
module_init(null_init);

static void null_exit(void)
{
	for (unsigned int i = nr_devices; i--;)
		null_blk_destroy(boot_devs[i]);
}
module_exit(null_exit);

MODULE_DESCRIPTION("RAM-backed multi-queue block device for testing the block layer");
MODULE_LICENSE("GPL");
