// SPDX-License-Identifier: GPL-2.0
/*
 * Raw packet taps (<exo/net_tap.h>): a packet_type for every frame of one
 * device that queues a reference to each, up to a bound.
 */
#include <exo/byteorder.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/net_tap.h>
#include <exo/slab.h>
#include "internal.h"

static int raw_tap_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		       struct net_device *orig_dev)
{
	struct net_raw_tap *tap = container_of(pt, struct net_raw_tap, pt);
	unsigned long flags;

	spin_lock_irqsave(&tap->queue.lock, flags);
	if (skb_queue_len(&tap->queue) >= tap->limit) {
		spin_unlock_irqrestore(&tap->queue.lock, flags);
		atomic_long_inc(&tap->drops);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	__skb_queue_tail(&tap->queue, skb);
	spin_unlock_irqrestore(&tap->queue.lock, flags);
	wake_up(&tap->wq);
	return NET_RX_SUCCESS;
}

/**
 * net_raw_tap_open() - start queueing @dev's frames
 * @dev: the device
 * @limit: queue bound
 *
 * Return: the tap or an ERR_PTR().
 */
struct net_raw_tap *net_raw_tap_open(struct net_device *dev, unsigned int limit)
{
	struct net_raw_tap *tap;

	if (!limit || limit > 65536) {
		pr_err("net_raw_tap_open: limit %u out of 1..65536\n", limit);
		return ERR_PTR(-EINVAL);
	}
	tap = kzalloc(sizeof(*tap), GFP_KERNEL);
	if (!tap)
		return ERR_PTR(-ENOMEM);
	skb_queue_head_init(&tap->queue);
	init_waitqueue_head(&tap->wq);
	tap->limit = limit;
	tap->pt.type = htons(ETH_P_ALL);
	tap->pt.dev = dev;
	tap->pt.func = raw_tap_rcv;
	/* The tap outlives a device unregistered under it. */
	dev_hold(dev);
	dev_add_pack(&tap->pt);
	return tap;
}
EXPORT_SYMBOL_GPL(net_raw_tap_open);

/**
 * net_raw_tap_recv() - the oldest frame, waiting up to @timeout jiffies
 * @tap: the tap
 * @timeout: jiffies
 *
 * Return: the skb or NULL.
 */
struct sk_buff *net_raw_tap_recv(struct net_raw_tap *tap, unsigned long timeout)
{
	struct sk_buff *skb = skb_dequeue(&tap->queue);

	if (skb || !timeout)
		return skb;
	wait_event_timeout(tap->wq, (skb = skb_dequeue(&tap->queue)) != NULL, (long)timeout);
	return skb;
}
EXPORT_SYMBOL_GPL(net_raw_tap_recv);

/**
 * net_raw_tap_close() - remove and free @tap
 * @tap: the tap
 */
void net_raw_tap_close(struct net_raw_tap *tap)
{
	dev_remove_pack(&tap->pt);
	skb_queue_purge(&tap->queue);
	dev_put(tap->pt.dev);
	kfree(tap);
}
EXPORT_SYMBOL_GPL(net_raw_tap_close);
