// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk (virtio 1.x section 5.2), driven through blk-mq as in Linux:
 * one hardware queue per virtqueue, one virtqueue per CPU where the device
 * offers VIRTIO_BLK_F_MQ.  A request is a chain of a header the device
 * reads (type, sector), the data segments and one status byte the device
 * writes.  Completions arrive in the queue's interrupt and finish through
 * blk_mq_complete_request(); a full ring stops the hardware queue, which
 * the next completion restarts.  A request that times out resets the
 * device: every request it still held completes with an error, once.
 * See Documentation/block.rst, "virtio-blk".
 */
#define pr_fmt(fmt) "virtio_blk: " fmt

#include <exo/blk-mq.h>
#include <exo/blkdev.h>
#include <exo/errno.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/scatterlist.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/virtio.h>
#include <exo/virtio_config.h>
#include <exo/workqueue.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("virtio block driver");

/* Feature bits (section 5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX		1
#define VIRTIO_BLK_F_SEG_MAX		2
#define VIRTIO_BLK_F_GEOMETRY		4
#define VIRTIO_BLK_F_RO			5
#define VIRTIO_BLK_F_BLK_SIZE		6
#define VIRTIO_BLK_F_FLUSH		9
#define VIRTIO_BLK_F_TOPOLOGY		10
#define VIRTIO_BLK_F_CONFIG_WCE		11
#define VIRTIO_BLK_F_MQ			12
#define VIRTIO_BLK_F_DISCARD		13
#define VIRTIO_BLK_F_WRITE_ZEROES	14

/* Request types and status values (section 5.2.6). */
#define VIRTIO_BLK_T_IN			0
#define VIRTIO_BLK_T_OUT		1
#define VIRTIO_BLK_T_FLUSH		4
#define VIRTIO_BLK_T_GET_ID		8
#define VIRTIO_BLK_T_DISCARD		11
#define VIRTIO_BLK_T_WRITE_ZEROES	13

#define VIRTIO_BLK_S_OK			0
#define VIRTIO_BLK_S_IOERR		1
#define VIRTIO_BLK_S_UNSUPP		2

/* The device's configuration (section 5.2.4), little-endian. */
struct virtio_blk_config {
	u64 capacity;			/* in 512-byte sectors */
	u32 size_max;
	u32 seg_max;
	struct {
		u16 cylinders;
		u8 heads;
		u8 sectors;
	} geometry;
	u32 blk_size;
	u8 physical_block_exp;
	u8 alignment_offset;
	u16 min_io_size;
	u32 opt_io_size;
	u8 wce;
	u8 unused;
	u16 num_queues;
	u32 max_discard_sectors;
	u32 max_discard_seg;
	u32 discard_sector_alignment;
	u32 max_write_zeroes_sectors;
	u32 max_write_zeroes_seg;
	u8 write_zeroes_may_unmap;
	u8 unused1[3];
} __packed;

struct virtio_blk_outhdr {
	u32 type;
	u32 ioprio;
	u64 sector;
};

struct virtio_blk_discard_write_zeroes {
	u64 sector;
	u32 num_sectors;
	u32 flags;
};

#define VIRTBLK_MINORS		16	/* the disk and 15 partitions */
#define VIRTBLK_MAX_DISKS	256
#define VIRTBLK_TIMEOUT_S	30
/*
 * Data segments per request.  Each request carries its scatterlist inline
 * (no allocation when submitting), so this bounds the memory of a tag set
 * (ring size x hardware queues x this); 32 covers a maximal request of
 * the default limits in separate pages.
 */
#define VIRTBLK_MAX_SEGS	32

struct virtio_blk_vq {
	struct virtqueue *vq;
	spinlock_t lock;		/* the virtqueue: submit against completion */
	char name[16];
};

struct virtio_blk {
	struct mutex vdev_mutex;	/* vdev against remove */
	struct virtio_device *vdev;
	struct gendisk *disk;
	struct blk_mq_tag_set tag_set;
	struct work_struct reset_work;	/* a request timed out */
	bool reset_pending;		/* reset_work queued; under vqs[0].lock */
	bool dead;			/* reset after a timeout: fail everything */
	int index;			/* vda = 0, vdb = 1, ... */
	unsigned int num_vqs;
	struct virtio_blk_vq *vqs;
	unsigned int sg_elems;		/* data segments per request */
};

/*
 * The per-request driver data (tag_set.cmd_size): the header, the status
 * byte, a discard/write-zeroes range and the data's scatterlist.  All of
 * it lives in the request's pdu, allocated once with the tag set, so the
 * submit path allocates nothing.
 */
struct virtblk_req {
	struct virtio_blk_outhdr out_hdr;
	u8 status;
	bool in_flight;			/* on a ring; under the vq lock */
	bool lost;			/* its completion was dropped (fake timeout) */
	struct virtio_blk_discard_write_zeroes range;
	unsigned int sg_nents;
	struct scatterlist sg[];
};

/* As Linux's: 0 = one queue per CPU (as many as the device offers). */
static unsigned int num_request_queues;
module_param(num_request_queues, uint, 0644);
MODULE_PARM_DESC(num_request_queues,
		 "Limit the number of request queues (0: one per CPU, as many as the device offers)");

/* 0 = the ring size; larger lets the ring fill (queue_rq then stops the queue). */
static unsigned int virtblk_queue_depth;
module_param_named(queue_depth, virtblk_queue_depth, uint, 0444);
MODULE_PARM_DESC(queue_depth, "Requests per hardware queue (0: the ring size), at most 1024");

static DEFINE_MUTEX(vd_index_lock);
static bool vd_index_used[VIRTBLK_MAX_DISKS];	/* under vd_index_lock */

static blk_status_t virtblk_result(u8 status)
{
	switch (status) {
	case VIRTIO_BLK_S_OK:
		return BLK_STS_OK;
	case VIRTIO_BLK_S_UNSUPP:
		return BLK_STS_NOTSUPP;
	default:
		return BLK_STS_IOERR;
	}
}

static inline struct virtio_blk_vq *get_virtio_blk_vq(struct blk_mq_hw_ctx *hctx)
{
	struct virtio_blk *vblk = hctx->queue->queuedata;

	return &vblk->vqs[hctx->queue_num];
}

/* Fill the header (and the range of a discard/write-zeroes) for @req. */
static blk_status_t virtblk_setup_cmd(struct virtio_blk *vblk, struct request *req,
				      struct virtblk_req *vbr)
{
	u32 type;

	vbr->out_hdr.ioprio = 0;
	vbr->out_hdr.sector = 0;
	switch (req_op(req)) {
	case REQ_OP_READ:
		type = VIRTIO_BLK_T_IN;
		vbr->out_hdr.sector = blk_rq_pos(req);
		break;
	case REQ_OP_WRITE:
		type = VIRTIO_BLK_T_OUT;
		vbr->out_hdr.sector = blk_rq_pos(req);
		break;
	case REQ_OP_FLUSH:
		type = VIRTIO_BLK_T_FLUSH;
		break;
	case REQ_OP_DISCARD:
		type = VIRTIO_BLK_T_DISCARD;
		break;
	case REQ_OP_WRITE_ZEROES:
		type = VIRTIO_BLK_T_WRITE_ZEROES;
		break;
	default:
		dev_err(&vblk->vdev->dev, "unsupported request op %d\n", req_op(req));
		return BLK_STS_NOTSUPP;
	}
	if (type == VIRTIO_BLK_T_DISCARD || type == VIRTIO_BLK_T_WRITE_ZEROES) {
		/* A request's bios are contiguous on the disk: one range. */
		vbr->range.sector = blk_rq_pos(req);
		vbr->range.num_sectors = blk_rq_sectors(req);
		/* Write zeroes keeps the blocks allocated (no unmap flag). */
		vbr->range.flags = 0;
	}
	vbr->out_hdr.type = type;
	return BLK_STS_OK;
}

/*
 * Queue header, data and status on @vq: the device reads the header and,
 * for a write or a range command, the payload, then writes the data of a
 * read and the status.  Called with the queue's lock held.
 * Return: as virtqueue_add_sgs().
 */
static int virtblk_add_req(struct virtqueue *vq, struct request *req, struct virtblk_req *vbr)
{
	struct scatterlist hdr, status, range, *sgs[4];
	unsigned int num_out = 0, num_in = 0;

	sg_init_one(&hdr, &vbr->out_hdr, sizeof(vbr->out_hdr));
	sgs[num_out++] = &hdr;
	if (vbr->out_hdr.type == VIRTIO_BLK_T_DISCARD ||
	    vbr->out_hdr.type == VIRTIO_BLK_T_WRITE_ZEROES) {
		sg_init_one(&range, &vbr->range, sizeof(vbr->range));
		sgs[num_out++] = &range;
	} else if (vbr->sg_nents) {
		if (vbr->out_hdr.type == VIRTIO_BLK_T_OUT)
			sgs[num_out++] = vbr->sg;
		else
			sgs[num_out + num_in++] = vbr->sg;
	}
	sg_init_one(&status, &vbr->status, sizeof(vbr->status));
	sgs[num_out + num_in++] = &status;
	return virtqueue_add_sgs(vq, sgs, num_out, num_in, vbr, GFP_ATOMIC);
}

static blk_status_t virtblk_prep_rq(struct virtio_blk *vblk, struct request *req,
				    struct virtblk_req *vbr)
{
	blk_status_t status;
	int nents = 0;

	status = virtblk_setup_cmd(vblk, req, vbr);
	if (status)
		return status;
	if (vbr->out_hdr.type == VIRTIO_BLK_T_IN || vbr->out_hdr.type == VIRTIO_BLK_T_OUT) {
		sg_init_table(vbr->sg, vblk->sg_elems);
		nents = blk_rq_map_sg(req->q, req, vbr->sg);
		if (nents <= 0) {
			dev_err(&vblk->vdev->dev, "request without data segments\n");
			return BLK_STS_IOERR;
		}
	}
	vbr->sg_nents = nents;
	vbr->status = VIRTIO_BLK_S_IOERR;	/* unless the device says otherwise */
	blk_mq_start_request(req);
	return BLK_STS_OK;
}

static blk_status_t virtio_queue_rq(struct blk_mq_hw_ctx *hctx, const struct blk_mq_queue_data *bd)
{
	struct virtio_blk *vblk = hctx->queue->queuedata;
	struct virtio_blk_vq *vbq = get_virtio_blk_vq(hctx);
	struct request *req = bd->rq;
	struct virtblk_req *vbr = blk_mq_rq_to_pdu(req);
	unsigned long flags;
	bool notify = false, stall;
	blk_status_t status;
	int err;

	status = virtblk_prep_rq(vblk, req, vbr);
	if (status)
		return status;

	spin_lock_irqsave(&vbq->lock, flags);
	if (READ_ONCE(vblk->dead)) {
		/* Reset after a timeout; said once, by virtblk_reset_work(). */
		spin_unlock_irqrestore(&vbq->lock, flags);
		return BLK_STS_IOERR;
	}
	err = virtblk_add_req(vbq->vq, req, vbr);
	if (err) {
		virtqueue_kick(vbq->vq);
		/*
		 * A full ring: stop the queue; the completion that frees a
		 * descriptor restarts it (virtblk_done()), and blk-mq
		 * resubmits this request then.  Nothing was added.
		 */
		if (err == -ENOSPC)
			blk_mq_stop_hw_queue(hctx);
		spin_unlock_irqrestore(&vbq->lock, flags);
		switch (err) {
		case -ENOSPC:
			return BLK_STS_DEV_RESOURCE;
		case -ENOMEM:
			return BLK_STS_RESOURCE;
		default:
			dev_err(&vblk->vdev->dev, "cannot queue a request: %d\n", err);
			return BLK_STS_IOERR;
		}
	}
	vbr->in_flight = true;
	vbr->lost = false;
	/*
	 * Fault injection: the device is not told, the request times out on
	 * the ring.  Asked for every request, so that n stalls hold back n
	 * requests however blk-mq batches them.
	 */
	stall = blk_should_fake_stall(req->q);
	if (bd->last && !stall && virtqueue_kick_prepare(vbq->vq))
		notify = true;
	spin_unlock_irqrestore(&vbq->lock, flags);

	if (notify)
		virtqueue_notify(vbq->vq);
	return BLK_STS_OK;
}

static void virtio_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct virtio_blk_vq *vbq = get_virtio_blk_vq(hctx);
	unsigned long flags;
	bool kick;

	spin_lock_irqsave(&vbq->lock, flags);
	kick = virtqueue_kick_prepare(vbq->vq);
	spin_unlock_irqrestore(&vbq->lock, flags);
	if (kick)
		virtqueue_notify(vbq->vq);
}

static void virtblk_request_done(struct request *req)
{
	struct virtblk_req *vbr = blk_mq_rq_to_pdu(req);

	blk_mq_end_request(req, virtblk_result(vbr->status));
}

/* The queue's interrupt: complete what the device used, restart the queue. */
static void virtblk_done(struct virtqueue *vq)
{
	struct virtio_blk *vblk = vq->vdev->priv;
	struct virtio_blk_vq *vbq = &vblk->vqs[vq->index];
	bool req_done = false;
	struct virtblk_req *vbr;
	unsigned long flags;
	unsigned int len;

	spin_lock_irqsave(&vbq->lock, flags);
	do {
		virtqueue_disable_cb(vq);
		while ((vbr = virtqueue_get_buf(vq, &len)) != NULL) {
			struct request *req = blk_mq_rq_from_pdu(vbr);

			vbr->in_flight = false;
			vbr->lost = blk_should_fake_timeout(req->q);
			if (likely(!vbr->lost))
				blk_mq_complete_request(req);
			req_done = true;
		}
		if (unlikely(virtqueue_is_broken(vq)))
			break;
	} while (!virtqueue_enable_cb(vq));
	spin_unlock_irqrestore(&vbq->lock, flags);

	/* A request stopped the queue on a full ring: there is room now. */
	if (req_done)
		blk_mq_start_stopped_hw_queues(vblk->disk->queue, true);
}

/*
 * A request the device did not complete in time.  The device may still
 * write into it, so it cannot simply be ended: reset the device (from a
 * work item, the reset sleeps), which takes every buffer back, and end
 * each of those requests with an error exactly once.  The disk then fails
 * every further request; the driver must be rebound to use it again.
 */
static enum blk_eh_timer_return virtblk_timeout(struct request *req)
{
	struct virtio_blk *vblk = req->q->queuedata;
	struct virtblk_req *vbr = blk_mq_rq_to_pdu(req);
	struct virtio_blk_vq *vbq = get_virtio_blk_vq(req->mq_hctx);
	unsigned long flags;
	bool lost, dump = false;

	/*
	 * The device is done with it and only its completion was dropped
	 * (blk_should_fake_timeout()): the core ends it.  Any other request,
	 * on a ring or being taken back by the reset work, is the reset's to
	 * end (so never twice).
	 */
	spin_lock_irqsave(&vbq->lock, flags);
	lost = vbr->lost;
	vbr->lost = false;
	spin_unlock_irqrestore(&vbq->lock, flags);
	if (lost) {
		dev_err(&vblk->vdev->dev, "request at sector %llu lost its completion\n",
			(unsigned long long)blk_rq_pos(req));
		return BLK_EH_DONE;
	}
	spin_lock_irqsave(&vblk->vqs[0].lock, flags);
	if (!vblk->reset_pending) {
		vblk->reset_pending = true;
		schedule_work(&vblk->reset_work);
		dev_err(&vblk->vdev->dev,
			"request at sector %llu timed out: resetting the device\n",
			(unsigned long long)blk_rq_pos(req));
		dump = true;
	}
	spin_unlock_irqrestore(&vblk->vqs[0].lock, flags);
	if (dump) {
		/* Lost interrupt or lost notification: the indices tell. */
		spin_lock_irqsave(&vbq->lock, flags);
		virtqueue_dump(vbq->vq);
		spin_unlock_irqrestore(&vbq->lock, flags);
	}
	/* The reset work ends it (with the others still on the rings). */
	return BLK_EH_RESET_TIMER;
}

/* End every request still on a ring with @status; the device is reset. */
static void virtblk_reclaim(struct virtio_blk *vblk, blk_status_t status)
{
	struct virtblk_req *vbr;
	unsigned long flags;

	for (unsigned int i = 0; i < vblk->num_vqs; i++) {
		struct virtio_blk_vq *vbq = &vblk->vqs[i];

		spin_lock_irqsave(&vbq->lock, flags);
		while ((vbr = virtqueue_detach_unused_buf(vbq->vq)) != NULL) {
			struct request *req = blk_mq_rq_from_pdu(vbr);

			vbr->in_flight = false;
			spin_unlock_irqrestore(&vbq->lock, flags);
			blk_mq_end_request(req, status);
			spin_lock_irqsave(&vbq->lock, flags);
		}
		spin_unlock_irqrestore(&vbq->lock, flags);
	}
}

static void virtblk_reset_work(struct work_struct *work)
{
	struct virtio_blk *vblk = container_of(work, struct virtio_blk, reset_work);

	mutex_lock(&vblk->vdev_mutex);
	if (vblk->vdev && !vblk->dead) {
		WRITE_ONCE(vblk->dead, true);
		virtio_break_device(vblk->vdev);
		virtio_reset_device(vblk->vdev);
		virtblk_reclaim(vblk, BLK_STS_TIMEOUT);
		dev_err(&vblk->vdev->dev, "device reset after a timeout: %s fails all I/O\n",
			vblk->disk->disk_name);
	}
	mutex_unlock(&vblk->vdev_mutex);
	/* Waiters stopped on a full ring see the disk dead now. */
	blk_mq_start_stopped_hw_queues(vblk->disk->queue, true);
}

static int virtblk_init_request(struct blk_mq_tag_set *set, struct request *rq,
				unsigned int hctx_idx, unsigned int numa_node)
{
	struct virtio_blk *vblk = set->driver_data;
	struct virtblk_req *vbr = blk_mq_rq_to_pdu(rq);

	sg_init_table(vbr->sg, vblk->sg_elems);
	return 0;
}

static const struct blk_mq_ops virtio_mq_ops = {
	.queue_rq	= virtio_queue_rq,
	.commit_rqs	= virtio_commit_rqs,
	.complete	= virtblk_request_done,
	.init_request	= virtblk_init_request,
	.timeout	= virtblk_timeout,
};

static const struct block_device_operations virtblk_fops = {
	.owner = THIS_MODULE,
};

static int init_vq(struct virtio_blk *vblk)
{
	struct virtio_device *vdev = vblk->vdev;
	vq_callback_t **callbacks;
	const char **names;
	struct virtqueue **vqs;
	unsigned int num_vqs;
	u16 num_queues = 1;
	int err = -ENOMEM;

	if (virtio_has_feature(vdev, VIRTIO_BLK_F_MQ))
		virtio_cread(vdev, struct virtio_blk_config, num_queues, &num_queues);
	num_vqs = num_queues;
	if (!num_vqs) {
		dev_err(&vdev->dev, "MQ advertised but zero queues reported\n");
		return -EINVAL;
	}
	num_vqs = min_t(unsigned int, num_vqs, nr_cpu_ids);
	if (num_request_queues)
		num_vqs = min(num_vqs, num_request_queues);

	vblk->vqs = kcalloc(num_vqs, sizeof(*vblk->vqs), GFP_KERNEL);
	callbacks = kcalloc(num_vqs, sizeof(*callbacks), GFP_KERNEL);
	names = kcalloc(num_vqs, sizeof(*names), GFP_KERNEL);
	vqs = kcalloc(num_vqs, sizeof(*vqs), GFP_KERNEL);
	if (!vblk->vqs || !callbacks || !names || !vqs)
		goto out;

	for (unsigned int i = 0; i < num_vqs; i++) {
		callbacks[i] = virtblk_done;
		snprintf(vblk->vqs[i].name, sizeof(vblk->vqs[i].name), "req.%u", i);
		names[i] = vblk->vqs[i].name;
	}
	err = virtio_find_vqs(vdev, num_vqs, vqs, callbacks, names);
	if (err)
		goto out;
	for (unsigned int i = 0; i < num_vqs; i++) {
		spin_lock_init(&vblk->vqs[i].lock);
		vblk->vqs[i].vq = vqs[i];
	}
	vblk->num_vqs = num_vqs;
out:
	kfree(vqs);
	kfree(callbacks);
	kfree(names);
	if (err) {
		kfree(vblk->vqs);
		vblk->vqs = NULL;
	}
	return err;
}

/*
 * Name a disk like Linux's sd/vd: vda..vdz, vdaa..vdzz, ...
 * Return: 0, or -EINVAL if @buf is too short.
 */
static int virtblk_name_format(const char *prefix, int index, char *buf, int buflen)
{
	const int base = 'z' - 'a' + 1;
	char *begin = buf + strlen(prefix);
	char *end = buf + buflen;
	char *p = end - 1;
	int unit = base;

	*p = '\0';
	do {
		if (p == begin)
			return -EINVAL;
		*--p = 'a' + (index % unit);
		index = (index / unit) - 1;
	} while (index >= 0);
	memmove(begin, p, end - p);
	memcpy(buf, prefix, strlen(prefix));
	return 0;
}

static void virtblk_update_capacity(struct virtio_blk *vblk)
{
	struct virtio_device *vdev = vblk->vdev;
	u64 capacity;

	virtio_cread(vdev, struct virtio_blk_config, capacity, &capacity);

	set_capacity(vblk->disk, capacity);
	dev_info(&vdev->dev, "[%s] %llu 512-byte logical blocks (%llu MiB)\n",
		 vblk->disk->disk_name, (unsigned long long)capacity,
		 (unsigned long long)(capacity >> 11));
}

#define VBLK_CREAD32(vdev, member) ({					\
	u32 __v;							\
	virtio_cread(vdev, struct virtio_blk_config, member, &__v);	\
	__v;								\
})

/* Queue limits from the device's configuration. */
static int virtblk_set_limits(struct virtio_blk *vblk, struct request_queue *q)
{
	struct virtio_device *vdev = vblk->vdev;
	u32 v, blk_size = SECTOR_SIZE;

	blk_queue_max_segments(q, vblk->sg_elems);
	blk_queue_max_hw_sectors(q, -1U);
	v = -1U;
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_SIZE_MAX))
		v = VBLK_CREAD32(vdev, size_max);
	if (!v) {
		dev_err(&vdev->dev, "size_max 0 is invalid\n");
		return -EINVAL;
	}
	blk_queue_max_segment_size(q, v);

	if (virtio_has_feature(vdev, VIRTIO_BLK_F_BLK_SIZE)) {
		blk_size = VBLK_CREAD32(vdev, blk_size);
		if (blk_size < SECTOR_SIZE || blk_size > PAGE_SIZE ||
		    (blk_size & (blk_size - 1))) {
			dev_err(&vdev->dev, "block size %u is invalid\n", blk_size);
			return -EINVAL;
		}
		blk_queue_logical_block_size(q, blk_size);
	}

	if (virtio_has_feature(vdev, VIRTIO_BLK_F_DISCARD)) {
		v = VBLK_CREAD32(vdev, max_discard_sectors);
		blk_queue_max_discard_sectors(q, v ? v : UINT_MAX);
	}
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_WRITE_ZEROES)) {
		v = VBLK_CREAD32(vdev, max_write_zeroes_sectors);
		blk_queue_max_write_zeroes_sectors(q, v ? v : UINT_MAX);
	}
	return 0;
}

/* The lowest free disk index (vda = 0), taken.  Return: it, or -ENOSPC. */
static int virtblk_get_index(void)
{
	int index;

	mutex_lock(&vd_index_lock);
	for (index = 0; index < VIRTBLK_MAX_DISKS && vd_index_used[index]; index++)
		;
	if (index < VIRTBLK_MAX_DISKS)
		vd_index_used[index] = true;
	mutex_unlock(&vd_index_lock);
	return index < VIRTBLK_MAX_DISKS ? index : -ENOSPC;
}

static void virtblk_put_index(int index)
{
	mutex_lock(&vd_index_lock);
	vd_index_used[index] = false;
	mutex_unlock(&vd_index_lock);
}

/*
 * The tag set: a hardware queue per virtqueue, as deep as the ring (half
 * without indirect descriptors, where a request takes a chain of up to
 * 2 + sg_elems).  As Linux's blk-mq does, a depth whose requests do not
 * fit in memory is halved until they do (down to 16).
 * Return: 0 or the error of blk_mq_alloc_tag_set().
 */
static int virtblk_alloc_tag_set(struct virtio_blk *vblk)
{
	struct blk_mq_tag_set *set = &vblk->tag_set;
	int err;

	memset(set, 0, sizeof(*set));
	set->ops = &virtio_mq_ops;
	set->queue_depth = virtqueue_get_vring_size(vblk->vqs[0].vq);
	if (!virtio_has_feature(vblk->vdev, VIRTIO_RING_F_INDIRECT_DESC))
		set->queue_depth /= 2;
	if (virtblk_queue_depth)
		set->queue_depth = min(virtblk_queue_depth, BLK_MQ_MAX_DEPTH);
	set->numa_node = NUMA_NO_NODE;
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	set->cmd_size = sizeof(struct virtblk_req) + sizeof(struct scatterlist) * vblk->sg_elems;
	set->driver_data = vblk;
	set->nr_hw_queues = vblk->num_vqs;
	set->timeout = VIRTBLK_TIMEOUT_S * HZ;
	for (;;) {
		err = blk_mq_alloc_tag_set(set);
		if (err != -ENOMEM || set->queue_depth <= 16)
			return err;
		set->queue_depth /= 2;
		dev_warn(&vblk->vdev->dev, "out of memory for the requests: depth %u\n",
			 set->queue_depth);
	}
}

static int virtblk_probe(struct virtio_device *vdev)
{
	struct virtio_blk *vblk;
	struct request_queue *q;
	u32 sg_elems;
	int err, index;

	index = virtblk_get_index();
	if (index < 0) {
		dev_err(&vdev->dev, "too many virtio disks\n");
		return index;
	}

	/* seg_max counts the data segments; header and status come on top. */
	sg_elems = 1;
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_SEG_MAX))
		sg_elems = VBLK_CREAD32(vdev, seg_max);
	sg_elems = clamp(sg_elems, 1U, (u32)VIRTBLK_MAX_SEGS);

	err = -ENOMEM;
	vblk = kzalloc(sizeof(*vblk), GFP_KERNEL);
	if (!vblk)
		goto out_free_index;
	mutex_init(&vblk->vdev_mutex);
	INIT_WORK(&vblk->reset_work, virtblk_reset_work);
	vblk->vdev = vdev;
	vblk->index = index;
	vblk->sg_elems = sg_elems;
	vdev->priv = vblk;

	err = init_vq(vblk);
	if (err)
		goto out_free_vblk;

	err = virtblk_alloc_tag_set(vblk);
	if (err)
		goto out_free_vq;

	vblk->disk = blk_mq_alloc_disk(&vblk->tag_set, vblk);
	if (IS_ERR(vblk->disk)) {
		err = PTR_ERR(vblk->disk);
		goto out_free_tags;
	}
	q = vblk->disk->queue;
	err = virtblk_name_format("vd", index, vblk->disk->disk_name, DISK_NAME_LEN);
	if (err)
		goto out_cleanup_disk;
	vblk->disk->major = 0;
	vblk->disk->first_minor = index * VIRTBLK_MINORS;
	vblk->disk->minors = VIRTBLK_MINORS;
	vblk->disk->private_data = vblk;
	vblk->disk->fops = &virtblk_fops;

	/* The write cache is on unless the device lacks FLUSH (write-through). */
	blk_queue_write_cache(q, virtio_has_feature(vdev, VIRTIO_BLK_F_FLUSH), false);
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_RO))
		set_disk_ro(vblk->disk, true);
	err = virtblk_set_limits(vblk, q);
	if (err)
		goto out_cleanup_disk;
	virtblk_update_capacity(vblk);

	virtio_device_ready(vdev);
	err = device_add_disk(&vdev->dev, vblk->disk, NULL);
	if (err)
		goto out_reset;
	return 0;

out_reset:
	virtio_reset_device(vdev);
out_cleanup_disk:
	put_disk(vblk->disk);
out_free_tags:
	blk_mq_free_tag_set(&vblk->tag_set);
out_free_vq:
	vdev->config->del_vqs(vdev);
	kfree(vblk->vqs);
out_free_vblk:
	kfree(vblk);
out_free_index:
	virtblk_put_index(index);
	return err;
}

static void virtblk_remove(struct virtio_device *vdev)
{
	struct virtio_blk *vblk = vdev->priv;

	/* Waits for every request in flight; later ones fail in the core. */
	del_gendisk(vblk->disk);
	cancel_work_sync(&vblk->reset_work);

	mutex_lock(&vblk->vdev_mutex);
	virtio_reset_device(vdev);
	/* Nothing is left after del_gendisk(), unless the device was dead. */
	virtblk_reclaim(vblk, BLK_STS_IOERR);
	vblk->vdev = NULL;
	vdev->config->del_vqs(vdev);
	kfree(vblk->vqs);
	mutex_unlock(&vblk->vdev_mutex);

	put_disk(vblk->disk);
	blk_mq_free_tag_set(&vblk->tag_set);
	virtblk_put_index(vblk->index);
	kfree(vblk);
}

static const struct virtio_device_id id_table[] = {
	{ VIRTIO_ID_BLOCK, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, id_table);

static const unsigned int features[] = {
	VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_F_SIZE_MAX, VIRTIO_BLK_F_GEOMETRY,
	VIRTIO_BLK_F_RO, VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_FLUSH,
	VIRTIO_BLK_F_MQ, VIRTIO_BLK_F_DISCARD, VIRTIO_BLK_F_WRITE_ZEROES,
};

static struct virtio_driver virtio_blk = {
	.driver.name = "virtio_blk",
	.id_table = id_table,
	.feature_table = features,
	.feature_table_size = ARRAY_SIZE(features),
	.probe = virtblk_probe,
	.remove = virtblk_remove,
};
module_virtio_driver(virtio_blk);
