// SPDX-License-Identifier: GPL-2.0
/*
 * virtio network device driver (virtio 1.x section 5.1), shaped like
 * Linux's drivers/net/virtio_net.c in its "small buffers" mode.
 *
 * Queues: receiveq0, transmitq0, ..., receiveqN, transmitqN, then the
 * control queue when VIRTIO_NET_F_CTRL_VQ is negotiated.  With
 * VIRTIO_NET_F_MQ the device offers max_virtqueue_pairs pairs; the driver
 * creates them all and asks (VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET) for as many
 * as there are online CPUs, so that each CPU transmits on its own queue.
 *
 * Every frame has a 12-byte struct virtio_net_hdr_v1 in front of it.  No
 * offload is negotiated, so the header is all zeroes both ways.
 *
 * RX: every buffer is an skb with room for the header and a 1518-byte
 * frame, posted whole; the device writes header and frame into it and
 * the driver pulls the header off and hands the same skb up (no copy).
 * One NAPI context per receive queue: the interrupt disables the queue's
 * callback and schedules the poll, which takes at most @budget frames,
 * refills the ring and re-enables the callback (checking for a frame
 * that arrived in between).  When skbs cannot be allocated in the poll
 * (GFP_ATOMIC) the refill is retried from a delayed work with GFP_KERNEL,
 * every half second while memory stays short.
 *
 * TX: each transmit queue's ring is serialised by its lock (xmit, the
 * completion poll, the interrupt).  The header goes into the skb's
 * headroom where there is room, so frame and header are one descriptor;
 * otherwise it is taken from skb->cb.  Used buffers are freed by the
 * queue's NAPI poll (scheduled by the TX interrupt) and at each xmit; a
 * full ring stops the queue, and the poll wakes it.
 *
 * Carrier: VIRTIO_NET_F_STATUS's link bit, re-read from a work item on
 * each configuration interrupt; up when the device has no status.
 *
 * remove() unregisters the net_device (which stops the queues), resets
 * the device and frees every buffer still in a ring.
 */
#define pr_fmt(fmt) "virtio_net: " fmt

#include <exo/bottom_half.h>
#include <exo/byteorder.h>
#include <exo/completion.h>
#include <exo/errno.h>
#include <exo/etherdevice.h>
#include <exo/jiffies.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/netdevice.h>
#include <exo/scatterlist.h>
#include <exo/skbuff.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/virtio.h>
#include <exo/virtio_config.h>
#include <exo/virtio_net.h>
#include <exo/workqueue.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("virtio network driver");

static int napi_weight = NAPI_POLL_WEIGHT;
module_param(napi_weight, int, 0444);
MODULE_PARM_DESC(napi_weight, "frames a receive poll takes at most (1-256, default 64)");

#define VIRTNET_HDR_LEN		sizeof(struct virtio_net_hdr_v1)
/* A full-size frame with a VLAN tag: the device never sends more. */
#define GOOD_PACKET_LEN		(ETH_HLEN + 4 + ETH_DATA_LEN)
#define VIRTNET_RX_BUF_LEN	(VIRTNET_HDR_LEN + GOOD_PACKET_LEN)
/* A frame needs two descriptors at most (header and data, chained). */
#define VIRTNET_TX_DESCS	2
#define VIRTNET_CTRL_TIMEOUT_MS	2000

/**
 * struct send_queue - one transmit queue
 * @vq: its virtqueue
 * @napi: frees used buffers after a TX interrupt
 * @lock: serialises the ring: xmit, the poll and the interrupt
 * @sg: the frame's scatterlist (under @lock)
 * @packets: frames sent (@lock)
 * @bytes: their bytes, without the header (@lock)
 * @errors: frames the ring refused (@lock)
 * @kicks: device notifications (@lock)
 * @name: the virtqueue's name
 */
struct send_queue {
	struct virtqueue *vq;
	struct napi_struct napi;
	spinlock_t lock;
	struct scatterlist sg[VIRTNET_TX_DESCS];
	u64 packets;
	u64 bytes;
	u64 errors;
	u64 kicks;
	char name[16];
};

/**
 * struct receive_queue - one receive queue
 * @vq: its virtqueue
 * @napi: its poll; owns the ring while scheduled (or disabled by the refill)
 * @sg: a buffer's scatterlist
 * @packets: frames received
 * @bytes: their bytes, without the header
 * @drops: frames dropped (too short)
 * @kicks: device notifications
 * @name: the virtqueue's name
 */
struct receive_queue {
	struct virtqueue *vq;
	struct napi_struct napi;
	struct scatterlist sg[1];
	u64 packets;
	u64 bytes;
	u64 drops;
	u64 kicks;
	char name[16];
};

/* Control commands' buffers, DMA-able (kmalloc'd), under cvq_lock. */
struct control_buf {
	struct virtio_net_ctrl_hdr hdr;
	virtio_net_ctrl_ack status;
	struct virtio_net_ctrl_mq mq;
};

/**
 * struct virtnet_info - the driver's state, the net_device's private area
 * @vdev: the virtio device
 * @cvq: the control queue, or NULL
 * @dev: the net_device
 * @sq: max_queue_pairs transmit queues
 * @rq: max_queue_pairs receive queues
 * @max_queue_pairs: pairs the device has
 * @curr_queue_pairs: pairs in use
 * @has_cvq: VIRTIO_NET_F_CTRL_VQ was negotiated
 * @cvq_lock: one control command at a time
 * @cvq_done: the device answered the control command
 * @cvq_broken: a command timed out; its buffer is still in flight
 * @ctrl: the command's buffers
 * @refill: refills the receive rings when the poll could not
 * @refill_lock: protects @refill_enabled
 * @refill_enabled: @refill may be scheduled (the device is open)
 * @config_work: re-reads the link status
 * @config_lock: protects @config_enabled
 * @config_enabled: @config_work may be scheduled
 * @refill_runs: times @refill ran (for tests)
 */
struct virtnet_info {
	struct virtio_device *vdev;
	struct virtqueue *cvq;
	struct net_device *dev;
	struct send_queue *sq;
	struct receive_queue *rq;
	u16 max_queue_pairs;
	u16 curr_queue_pairs;
	bool has_cvq;
	struct mutex cvq_lock;
	struct completion cvq_done;
	bool cvq_broken;
	struct control_buf *ctrl;
	struct delayed_work refill;
	spinlock_t refill_lock;
	bool refill_enabled;
	struct work_struct config_work;
	spinlock_t config_lock;
	bool config_enabled;
	unsigned long refill_runs;
};

/* Queue index <-> virtqueue index: rx0 tx0 rx1 tx1 ... ctrl. */
static int vq2txq(struct virtqueue *vq)
{
	return (vq->index - 1) / 2;
}

static int txq2vq(int txq)
{
	return txq * 2 + 1;
}

static int vq2rxq(struct virtqueue *vq)
{
	return vq->index / 2;
}

static int rxq2vq(int rxq)
{
	return rxq * 2;
}

static void enable_delayed_refill(struct virtnet_info *vi)
{
	spin_lock_bh(&vi->refill_lock);
	vi->refill_enabled = true;
	spin_unlock_bh(&vi->refill_lock);
}

static void disable_delayed_refill(struct virtnet_info *vi)
{
	spin_lock_bh(&vi->refill_lock);
	vi->refill_enabled = false;
	spin_unlock_bh(&vi->refill_lock);
}

/* Retry the refill from thread context after @delay, unless closing. */
static void schedule_refill(struct virtnet_info *vi, unsigned long delay)
{
	spin_lock_bh(&vi->refill_lock);
	if (vi->refill_enabled)
		schedule_delayed_work(&vi->refill, delay);
	spin_unlock_bh(&vi->refill_lock);
}

/*
 * Schedule @napi from @vq's interrupt: the callback is disabled only by
 * the side that wins the NAPI_STATE_SCHED bit, so it never races with a
 * poll re-enabling it.
 */
static void virtqueue_napi_schedule(struct napi_struct *napi, struct virtqueue *vq)
{
	if (napi_schedule_prep(napi)) {
		virtqueue_disable_cb(vq);
		__napi_schedule(napi);
	}
}

/*
 * End a receive poll: re-enable the callback, then look again, since a
 * buffer used between the last get_buf and the re-enable raises no
 * interrupt.
 */
static void virtqueue_napi_complete(struct napi_struct *napi, struct virtqueue *vq,
				    int processed)
{
	unsigned int opaque = virtqueue_enable_cb_prepare(vq);

	if (napi_complete_done(napi, processed)) {
		if (unlikely(virtqueue_poll(vq, opaque)))
			virtqueue_napi_schedule(napi, vq);
	} else {
		virtqueue_disable_cb(vq);
	}
}

/*
 * Enable @napi and poll once: buffers may have been used while it was
 * off, and their interrupt found it disabled.  Bottom halves are off
 * around the schedule so that the poll runs when they are enabled again.
 */
static void virtnet_napi_enable(struct virtqueue *vq, struct napi_struct *napi)
{
	napi_enable(napi);
	local_bh_disable();
	virtqueue_napi_schedule(napi, vq);
	local_bh_enable();
}

static void skb_recv_done(struct virtqueue *rvq)
{
	struct virtnet_info *vi = rvq->vdev->priv;

	virtqueue_napi_schedule(&vi->rq[vq2rxq(rvq)].napi, rvq);
}

static void skb_xmit_done(struct virtqueue *vq)
{
	struct virtnet_info *vi = vq->vdev->priv;
	struct send_queue *sq = &vi->sq[vq2txq(vq)];

	if (napi_schedule_prep(&sq->napi)) {
		spin_lock(&sq->lock);
		virtqueue_disable_cb(vq);
		spin_unlock(&sq->lock);
		__napi_schedule(&sq->napi);
	}
}

static void virtnet_cvq_done(struct virtqueue *cvq)
{
	struct virtnet_info *vi = cvq->vdev->priv;

	complete(&vi->cvq_done);
}

/* RX ------------------------------------------------------------------- */

static int add_recvbuf_small(struct virtnet_info *vi, struct receive_queue *rq, gfp_t gfp)
{
	struct sk_buff *skb;
	int err;

	skb = __netdev_alloc_skb(vi->dev, VIRTNET_RX_BUF_LEN, gfp);
	if (unlikely(!skb))
		return -ENOMEM;
	sg_init_one(rq->sg, skb->data, VIRTNET_RX_BUF_LEN);
	err = virtqueue_add_inbuf(rq->vq, rq->sg, 1, skb, gfp);
	if (err < 0)
		dev_kfree_skb(skb);
	return err;
}

/*
 * Fill @rq's ring with buffers; the caller owns the ring (its NAPI is
 * scheduled or disabled).  Return: false if memory ran short (the ring
 * may be partly filled), true otherwise.
 */
static bool try_fill_recv(struct virtnet_info *vi, struct receive_queue *rq, gfp_t gfp)
{
	int err;
	bool oom;

	do {
		err = add_recvbuf_small(vi, rq, gfp);
		oom = err == -ENOMEM;
		if (err)
			break;
	} while (rq->vq->num_free);
	if (virtqueue_kick_prepare(rq->vq) && virtqueue_notify(rq->vq))
		rq->kicks++;
	return !oom;
}

static void receive_buf(struct virtnet_info *vi, struct receive_queue *rq, struct sk_buff *skb,
			unsigned int len)
{
	struct net_device *dev = vi->dev;

	if (unlikely(len < VIRTNET_HDR_LEN + ETH_HLEN)) {
		netdev_dbg(dev, "short frame: %u bytes\n", len);
		rq->drops++;
		dev_kfree_skb(skb);
		return;
	}
	skb_put(skb, len);
	__skb_pull(skb, VIRTNET_HDR_LEN);
	rq->packets++;
	rq->bytes += skb->len;
	skb_record_rx_queue(skb, vq2rxq(rq->vq));
	skb->protocol = eth_type_trans(skb, dev);
	napi_gro_receive(&rq->napi, skb);
}

static int virtnet_receive(struct receive_queue *rq, int budget)
{
	struct virtnet_info *vi = rq->vq->vdev->priv;
	struct sk_buff *skb;
	unsigned int len;
	int received = 0;

	while (received < budget && (skb = virtqueue_get_buf(rq->vq, &len))) {
		receive_buf(vi, rq, skb, len);
		received++;
	}
	/*
	 * Refill in batches of half a budget while busy (Linux's rule), and
	 * all of it when the poll is about to end: an idle ring is full, so
	 * its skbs count the same before and after traffic.
	 */
	if (rq->vq->num_free > min_t(unsigned int, budget, virtqueue_get_vring_size(rq->vq)) / 2 ||
	    (received < budget && rq->vq->num_free)) {
		if (!try_fill_recv(vi, rq, GFP_ATOMIC))
			schedule_refill(vi, 0);
	}
	return received;
}

static int virtnet_poll(struct napi_struct *napi, int budget)
{
	struct receive_queue *rq = container_of(napi, struct receive_queue, napi);
	int received;

	received = virtnet_receive(rq, budget);
	if (received < budget)
		virtqueue_napi_complete(napi, rq->vq, received);
	return received;
}

/*
 * The poll could not allocate: fill the rings here, where allocations may
 * sleep, with each queue's NAPI disabled so that the ring is ours.
 */
static void refill_work(struct work_struct *work)
{
	struct virtnet_info *vi = container_of(work, struct virtnet_info, refill.work);
	bool still_empty;

	WRITE_ONCE(vi->refill_runs, vi->refill_runs + 1);
	for (int i = 0; i < vi->curr_queue_pairs; i++) {
		struct receive_queue *rq = &vi->rq[i];

		napi_disable(&rq->napi);
		still_empty = !try_fill_recv(vi, rq, GFP_KERNEL);
		virtnet_napi_enable(rq->vq, &rq->napi);
		if (still_empty)
			schedule_refill(vi, HZ / 2);
	}
}

/* TX ------------------------------------------------------------------- */

/* Free the buffers the device has sent; sq->lock held. */
static unsigned int free_old_xmit_skbs(struct send_queue *sq)
{
	struct sk_buff *skb;
	unsigned int len, n = 0;

	while ((skb = virtqueue_get_buf(sq->vq, &len))) {
		sq->packets++;
		sq->bytes += skb->len;
		dev_kfree_skb_any(skb);
		n++;
	}
	return n;
}

/*
 * Queue @skb on @sq's ring; sq->lock held.  The header goes into the
 * headroom when there is room for it, aligned, so that the frame is one
 * descriptor; else into skb->cb (two).
 */
static int xmit_skb(struct send_queue *sq, struct sk_buff *skb)
{
	struct virtio_net_hdr_v1 *hdr;
	bool can_push = skb_headroom(skb) >= VIRTNET_HDR_LEN &&
			!((unsigned long)(skb->data - VIRTNET_HDR_LEN) & (__alignof__(*hdr) - 1));
	int num_sg, err;

	BUILD_BUG_ON(sizeof(*hdr) > sizeof(skb->cb));
	sg_init_table(sq->sg, VIRTNET_TX_DESCS);
	if (can_push) {
		hdr = skb_push(skb, VIRTNET_HDR_LEN);
		memset(hdr, 0, sizeof(*hdr));
		sg_set_buf(sq->sg, skb->data, skb->len);
		sg_mark_end(sq->sg);
		num_sg = 1;
	} else {
		hdr = (struct virtio_net_hdr_v1 *)skb->cb;
		memset(hdr, 0, sizeof(*hdr));
		sg_set_buf(&sq->sg[0], hdr, VIRTNET_HDR_LEN);
		sg_set_buf(&sq->sg[1], skb->data, skb->len);
		num_sg = 2;
	}
	err = virtqueue_add_outbuf(sq->vq, sq->sg, num_sg, skb, GFP_ATOMIC);
	/* skb->len counts the frame only, in the statistics and for the caller. */
	if (can_push)
		__skb_pull(skb, VIRTNET_HDR_LEN);
	return err;
}

static netdev_tx_t start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct virtnet_info *vi = netdev_priv(dev);
	int qnum = skb_get_queue_mapping(skb);
	struct send_queue *sq;
	unsigned long flags;
	int err;

	if (unlikely(qnum >= vi->curr_queue_pairs))
		qnum %= vi->curr_queue_pairs;
	sq = &vi->sq[qnum];
	spin_lock_irqsave(&sq->lock, flags);
	/*
	 * Reclaim sent buffers first, then leave the callback on: this
	 * frame's completion interrupts and the TX poll frees it.
	 */
	do {
		virtqueue_disable_cb(sq->vq);
		free_old_xmit_skbs(sq);
	} while (unlikely(!virtqueue_enable_cb(sq->vq)));

	err = xmit_skb(sq, skb);
	if (unlikely(err)) {
		sq->errors++;
		spin_unlock_irqrestore(&sq->lock, flags);
		netdev_warn(dev, "TX queue %d: cannot queue a frame: %d\n", qnum, err);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	/*
	 * Stop the queue before the ring is full, so the next xmit has
	 * room; the TX poll wakes it when buffers come back.  Re-check
	 * after enabling the callback: a completion in between raised no
	 * interrupt.
	 */
	if (sq->vq->num_free < VIRTNET_TX_DESCS) {
		netif_stop_subqueue(dev, qnum);
		while (unlikely(!virtqueue_enable_cb(sq->vq))) {
			virtqueue_disable_cb(sq->vq);
			free_old_xmit_skbs(sq);
		}
		if (sq->vq->num_free >= VIRTNET_TX_DESCS)
			netif_tx_start_queue(netdev_get_tx_queue(dev, qnum));
	}
	if (virtqueue_kick_prepare(sq->vq) && virtqueue_notify(sq->vq))
		sq->kicks++;
	spin_unlock_irqrestore(&sq->lock, flags);
	return NETDEV_TX_OK;
}

static int virtnet_poll_tx(struct napi_struct *napi, int budget)
{
	struct send_queue *sq = container_of(napi, struct send_queue, napi);
	struct virtnet_info *vi = sq->vq->vdev->priv;
	int index = vq2txq(sq->vq);
	unsigned long flags;
	unsigned int opaque;
	bool done;

	spin_lock_irqsave(&sq->lock, flags);
	virtqueue_disable_cb(sq->vq);
	free_old_xmit_skbs(sq);
	if (__netif_subqueue_stopped(vi->dev, index) && sq->vq->num_free >= VIRTNET_TX_DESCS)
		netif_wake_subqueue(vi->dev, index);
	opaque = virtqueue_enable_cb_prepare(sq->vq);
	done = napi_complete_done(napi, 0);
	if (!done)
		virtqueue_disable_cb(sq->vq);
	spin_unlock_irqrestore(&sq->lock, flags);

	if (done && unlikely(virtqueue_poll(sq->vq, opaque))) {
		if (napi_schedule_prep(napi)) {
			spin_lock_irqsave(&sq->lock, flags);
			virtqueue_disable_cb(sq->vq);
			spin_unlock_irqrestore(&sq->lock, flags);
			__napi_schedule(napi);
		}
	}
	(void)budget;
	return 0;
}

/* Control queue -------------------------------------------------------- */

/*
 * Send a command (class, cmd, @out) and wait for the device's ack.  The
 * answer comes by interrupt; a device that does not answer in
 * VIRTNET_CTRL_TIMEOUT_MS leaves the command in flight, so the control
 * queue is not used again (its buffer is the device's until the reset).
 * Context: may sleep.
 * Return: 0; -EIO the device refused or the queue is broken; -ETIMEDOUT.
 */
static int virtnet_send_command(struct virtnet_info *vi, u8 class, u8 cmd,
				struct scatterlist *out)
{
	struct scatterlist hdr, stat, *sgs[3];
	unsigned int out_num = 0, len;
	int ret;

	mutex_lock(&vi->cvq_lock);
	if (vi->cvq_broken || virtqueue_is_broken(vi->cvq)) {
		ret = -EIO;
		goto out;
	}
	vi->ctrl->status = ~0;
	vi->ctrl->hdr.class = class;
	vi->ctrl->hdr.cmd = cmd;
	sg_init_one(&hdr, &vi->ctrl->hdr, sizeof(vi->ctrl->hdr));
	sgs[out_num++] = &hdr;
	if (out)
		sgs[out_num++] = out;
	sg_init_one(&stat, &vi->ctrl->status, sizeof(vi->ctrl->status));
	sgs[out_num] = &stat;

	reinit_completion(&vi->cvq_done);
	ret = virtqueue_add_sgs(vi->cvq, sgs, out_num, 1, vi, GFP_KERNEL);
	if (ret < 0) {
		dev_warn(&vi->vdev->dev, "cannot add control command %u.%u: %d\n", class, cmd, ret);
		goto out;
	}
	if (!virtqueue_kick(vi->cvq)) {
		ret = -EIO;
		vi->cvq_broken = true;
		goto out;
	}
	if (!wait_for_completion_timeout(&vi->cvq_done, msecs_to_jiffies(VIRTNET_CTRL_TIMEOUT_MS))) {
		dev_err(&vi->vdev->dev, "control command %u.%u timed out\n", class, cmd);
		vi->cvq_broken = true;
		ret = -ETIMEDOUT;
		goto out;
	}
	if (!virtqueue_get_buf(vi->cvq, &len)) {
		vi->cvq_broken = true;
		ret = -EIO;
		goto out;
	}
	ret = vi->ctrl->status == VIRTIO_NET_OK ? 0 : -EIO;
out:
	mutex_unlock(&vi->cvq_lock);
	return ret;
}

/*
 * Use @queue_pairs queue pairs.  Context: may sleep.
 * Return: 0, or -errno (the device keeps its previous number).
 */
static int virtnet_set_queues(struct virtnet_info *vi, u16 queue_pairs)
{
	struct scatterlist sg;
	int ret;

	if (!vi->cvq || !virtio_has_feature(vi->vdev, VIRTIO_NET_F_MQ))
		return 0;
	vi->ctrl->mq.virtqueue_pairs = cpu_to_le16(queue_pairs);
	sg_init_one(&sg, &vi->ctrl->mq, sizeof(vi->ctrl->mq));
	ret = virtnet_send_command(vi, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &sg);
	if (ret) {
		netdev_warn(vi->dev, "failed to set the number of queue pairs to %u: %d\n",
			 queue_pairs, ret);
		return ret;
	}
	vi->curr_queue_pairs = queue_pairs;
	return 0;
}

/* net_device_ops ------------------------------------------------------- */

static int virtnet_open(struct net_device *dev)
{
	struct virtnet_info *vi = netdev_priv(dev);

	enable_delayed_refill(vi);
	for (int i = 0; i < vi->max_queue_pairs; i++) {
		if (i < vi->curr_queue_pairs && !try_fill_recv(vi, &vi->rq[i], GFP_KERNEL))
			schedule_refill(vi, 0);
		virtnet_napi_enable(vi->rq[i].vq, &vi->rq[i].napi);
		napi_enable(&vi->sq[i].napi);
	}
	netif_tx_start_all_queues(dev);
	return 0;
}

static int virtnet_close(struct net_device *dev)
{
	struct virtnet_info *vi = netdev_priv(dev);

	/* No refill may start once NAPI is off: it would enable it again. */
	disable_delayed_refill(vi);
	cancel_delayed_work_sync(&vi->refill);
	for (int i = 0; i < vi->max_queue_pairs; i++) {
		napi_disable(&vi->rq[i].napi);
		napi_disable(&vi->sq[i].napi);
	}
	return 0;
}

static void virtnet_stats(struct net_device *dev, struct rtnl_link_stats64 *tot)
{
	struct virtnet_info *vi = netdev_priv(dev);

	for (int i = 0; i < vi->max_queue_pairs; i++) {
		struct receive_queue *rq = &vi->rq[i];
		struct send_queue *sq = &vi->sq[i];

		tot->rx_packets += READ_ONCE(rq->packets);
		tot->rx_bytes += READ_ONCE(rq->bytes);
		tot->rx_length_errors += READ_ONCE(rq->drops);
		tot->rx_errors += READ_ONCE(rq->drops);
		tot->tx_packets += READ_ONCE(sq->packets);
		tot->tx_bytes += READ_ONCE(sq->bytes);
		tot->tx_errors += READ_ONCE(sq->errors);
		tot->tx_dropped += READ_ONCE(sq->errors);
	}
}

static const struct net_device_ops virtnet_netdev = {
	.ndo_open = virtnet_open,
	.ndo_stop = virtnet_close,
	.ndo_start_xmit = start_xmit,
	.ndo_get_stats64 = virtnet_stats,
};

/* Configuration changes ------------------------------------------------ */

static void virtnet_config_changed_work(struct work_struct *work)
{
	struct virtnet_info *vi = container_of(work, struct virtnet_info, config_work);
	__le16 v;

	virtio_cread(vi->vdev, struct virtio_net_config, status, &v);
	/* The layer logs the change. */
	if (le16_to_cpu(v) & VIRTIO_NET_S_LINK_UP)
		netif_carrier_on(vi->dev);
	else
		netif_carrier_off(vi->dev);
}

static void virtnet_config_changed(struct virtio_device *vdev)
{
	struct virtnet_info *vi = vdev->priv;
	unsigned long flags;

	spin_lock_irqsave(&vi->config_lock, flags);
	if (vi->config_enabled && virtio_has_feature(vdev, VIRTIO_NET_F_STATUS))
		schedule_work(&vi->config_work);
	spin_unlock_irqrestore(&vi->config_lock, flags);
}

static void virtnet_config_enable(struct virtnet_info *vi, bool on)
{
	unsigned long flags;

	spin_lock_irqsave(&vi->config_lock, flags);
	vi->config_enabled = on;
	spin_unlock_irqrestore(&vi->config_lock, flags);
}

/* Setup and teardown --------------------------------------------------- */

static void virtnet_free_queues(struct virtnet_info *vi)
{
	for (int i = 0; i < vi->max_queue_pairs; i++) {
		netif_napi_del(&vi->rq[i].napi);
		netif_napi_del(&vi->sq[i].napi);
	}
	kfree(vi->rq);
	kfree(vi->sq);
	kfree(vi->ctrl);
}

static int virtnet_alloc_queues(struct virtnet_info *vi)
{
	vi->ctrl = kzalloc(sizeof(*vi->ctrl), GFP_KERNEL);
	vi->sq = kcalloc(vi->max_queue_pairs, sizeof(*vi->sq), GFP_KERNEL);
	vi->rq = kcalloc(vi->max_queue_pairs, sizeof(*vi->rq), GFP_KERNEL);
	if (!vi->ctrl || !vi->sq || !vi->rq) {
		kfree(vi->rq);
		kfree(vi->sq);
		kfree(vi->ctrl);
		return -ENOMEM;
	}
	for (int i = 0; i < vi->max_queue_pairs; i++) {
		netif_napi_add_weight(vi->dev, &vi->rq[i].napi, virtnet_poll, napi_weight);
		netif_napi_add(vi->dev, &vi->sq[i].napi, virtnet_poll_tx);
		spin_lock_init(&vi->sq[i].lock);
		sg_init_table(vi->rq[i].sg, 1);
		sg_init_table(vi->sq[i].sg, VIRTNET_TX_DESCS);
	}
	return 0;
}

/* Create the queues: a pair per queue pair, then the control queue. */
static int virtnet_find_vqs(struct virtnet_info *vi)
{
	unsigned int total = vi->max_queue_pairs * 2 + vi->has_cvq;
	struct virtqueue **vqs;
	vq_callback_t **callbacks;
	const char **names;
	int ret = -ENOMEM;

	vqs = kcalloc(total, sizeof(*vqs), GFP_KERNEL);
	callbacks = kcalloc(total, sizeof(*callbacks), GFP_KERNEL);
	names = kcalloc(total, sizeof(*names), GFP_KERNEL);
	if (!vqs || !callbacks || !names)
		goto out;
	for (int i = 0; i < vi->max_queue_pairs; i++) {
		snprintf(vi->rq[i].name, sizeof(vi->rq[i].name), "input.%d", i);
		snprintf(vi->sq[i].name, sizeof(vi->sq[i].name), "output.%d", i);
		callbacks[rxq2vq(i)] = skb_recv_done;
		callbacks[txq2vq(i)] = skb_xmit_done;
		names[rxq2vq(i)] = vi->rq[i].name;
		names[txq2vq(i)] = vi->sq[i].name;
	}
	if (vi->has_cvq) {
		callbacks[total - 1] = virtnet_cvq_done;
		names[total - 1] = "control";
	}
	ret = virtio_find_vqs(vi->vdev, total, vqs, callbacks, names);
	if (ret)
		goto out;
	for (int i = 0; i < vi->max_queue_pairs; i++) {
		vi->rq[i].vq = vqs[rxq2vq(i)];
		vi->sq[i].vq = vqs[txq2vq(i)];
	}
	vi->cvq = vi->has_cvq ? vqs[total - 1] : NULL;
out:
	kfree(names);
	kfree(callbacks);
	kfree(vqs);
	return ret;
}

/* Take back every buffer still in a ring, after the reset. */
static void free_unused_bufs(struct virtnet_info *vi)
{
	struct sk_buff *skb;

	for (int i = 0; i < vi->max_queue_pairs; i++) {
		while ((skb = virtqueue_detach_unused_buf(vi->sq[i].vq)))
			dev_kfree_skb(skb);
		while ((skb = virtqueue_detach_unused_buf(vi->rq[i].vq)))
			dev_kfree_skb(skb);
	}
	/* A timed-out command's buffer is vi->ctrl itself: nothing to free. */
	if (vi->cvq)
		while (virtqueue_detach_unused_buf(vi->cvq))
			;
}

/* Read the MAC address, or make one up; the device gets no say then. */
static void virtnet_init_mac(struct virtnet_info *vi)
{
	u8 addr[ETH_ALEN];

	if (virtio_has_feature(vi->vdev, VIRTIO_NET_F_MAC)) {
		virtio_cread_bytes(vi->vdev, offsetof(struct virtio_net_config, mac), addr,
				   ETH_ALEN);
		if (is_valid_ether_addr(addr)) {
			eth_hw_addr_set(vi->dev, addr);
			return;
		}
		dev_warn(&vi->vdev->dev, "invalid MAC address %02x:%02x:%02x:%02x:%02x:%02x: using a random one\n",
			 addr[0], addr[1], addr[2], addr[3], addr[4], addr[5]);
	}
	eth_hw_addr_random(vi->dev);
}

/* Queue pairs the device offers: 1 without MQ (or an unusable MQ). */
static u16 virtnet_max_queue_pairs(struct virtio_device *vdev)
{
	__le16 v;
	u16 n;

	if (!virtio_has_feature(vdev, VIRTIO_NET_F_MQ))
		return 1;
	virtio_cread(vdev, struct virtio_net_config, max_virtqueue_pairs, &v);
	n = le16_to_cpu(v);
	if (n < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || n > VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX) {
		dev_warn(&vdev->dev, "max_virtqueue_pairs %u out of range: using 1\n", n);
		return 1;
	}
	return n;
}

static int virtnet_validate(struct virtio_device *vdev)
{
	/* MQ needs the control queue to switch the queue pairs on. */
	if (!virtio_has_feature(vdev, VIRTIO_NET_F_CTRL_VQ))
		__virtio_clear_bit(vdev, VIRTIO_NET_F_MQ);
	return 0;
}

static int virtnet_probe(struct virtio_device *vdev)
{
	u16 max_queue_pairs = virtnet_max_queue_pairs(vdev);
	struct virtnet_info *vi;
	struct net_device *dev;
	int err;

	if (napi_weight < 1 || napi_weight > 256) {
		dev_err(&vdev->dev, "napi_weight=%d: not in 1..256\n", napi_weight);
		return -EINVAL;
	}
	dev = alloc_etherdev_mq(sizeof(struct virtnet_info), max_queue_pairs);
	if (!dev)
		return -ENOMEM;
	dev->netdev_ops = &virtnet_netdev;
	SET_NETDEV_DEV(dev, &vdev->dev);
	vi = netdev_priv(dev);
	vi->dev = dev;
	vi->vdev = vdev;
	vdev->priv = vi;
	vi->max_queue_pairs = max_queue_pairs;
	vi->curr_queue_pairs = 1;
	vi->has_cvq = virtio_has_feature(vdev, VIRTIO_NET_F_CTRL_VQ);
	mutex_init(&vi->cvq_lock);
	init_completion(&vi->cvq_done);
	INIT_DELAYED_WORK(&vi->refill, refill_work);
	spin_lock_init(&vi->refill_lock);
	INIT_WORK(&vi->config_work, virtnet_config_changed_work);
	spin_lock_init(&vi->config_lock);
	virtnet_init_mac(vi);

	err = virtnet_alloc_queues(vi);
	if (err)
		goto free_netdev;
	err = virtnet_find_vqs(vi);
	if (err)
		goto free_queues;
	/* The control queue answers only once the device is live. */
	virtio_device_ready(vdev);
	/* As Linux, also for one pair: the device then knows the driver uses MQ. */
	virtnet_set_queues(vi, min_t(u16, max_queue_pairs, num_online_cpus()));
	netif_set_real_num_tx_queues(dev, vi->curr_queue_pairs);
	netif_set_real_num_rx_queues(dev, vi->curr_queue_pairs);

	/* Carrier off until the status says up; no status: always up. */
	if (virtio_has_feature(vdev, VIRTIO_NET_F_STATUS))
		netif_carrier_off(dev);
	else
		netif_carrier_on(dev);
	err = register_netdev(dev);
	if (err) {
		dev_err(&vdev->dev, "registering the net device failed: %d\n", err);
		goto reset;
	}
	virtnet_config_enable(vi, true);
	if (virtio_has_feature(vdev, VIRTIO_NET_F_STATUS))
		schedule_work(&vi->config_work);
	netdev_info(dev, "%s, MAC %02x:%02x:%02x:%02x:%02x:%02x, %u of %u queue pairs%s\n",
		    dev_name(&vdev->dev), dev->dev_addr[0], dev->dev_addr[1], dev->dev_addr[2],
		    dev->dev_addr[3], dev->dev_addr[4], dev->dev_addr[5], vi->curr_queue_pairs,
		    max_queue_pairs, vi->has_cvq ? ", control queue" : "");
	return 0;

reset:
	virtio_reset_device(vdev);
	free_unused_bufs(vi);
	vdev->config->del_vqs(vdev);
free_queues:
	virtnet_free_queues(vi);
free_netdev:
	vdev->priv = NULL;
	free_netdev(dev);
	return err;
}

static void virtnet_remove(struct virtio_device *vdev)
{
	struct virtnet_info *vi = vdev->priv;

	virtnet_config_enable(vi, false);
	cancel_work_sync(&vi->config_work);
	/* Closes the device: NAPI off, the refill work cancelled. */
	unregister_netdev(vi->dev);
	/* Until the reset the device may still write into the buffers. */
	virtio_reset_device(vdev);
	free_unused_bufs(vi);
	vdev->config->del_vqs(vdev);
	virtnet_free_queues(vi);
	vdev->priv = NULL;
	free_netdev(vi->dev);
}

static const unsigned int features[] = {
	VIRTIO_NET_F_MAC,
	VIRTIO_NET_F_STATUS,
	VIRTIO_NET_F_CTRL_VQ,
	VIRTIO_NET_F_MQ,
};

static const struct virtio_device_id id_table[] = {
	{ VIRTIO_ID_NET, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, id_table);

static struct virtio_driver virtio_net_driver = {
	.driver.name = "virtio_net",
	.id_table = id_table,
	.feature_table = features,
	.feature_table_size = ARRAY_SIZE(features),
	.validate = virtnet_validate,
	.probe = virtnet_probe,
	.remove = virtnet_remove,
	.config_changed = virtnet_config_changed,
};
module_virtio_driver(virtio_net_driver);
