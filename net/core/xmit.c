// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: dev_queue_xmit(), the per-queue backlog and the NET_TX softirq.
 *
 * Each TX queue has a lock (_xmit_lock) that serialises the driver's
 * ndo_start_xmit() on it and protects the queue's backlog.  A packet goes
 * straight to the driver when the queue runs and its backlog is empty;
 * otherwise it joins the backlog (at most dev->tx_queue_len skbs), so the
 * order of one queue's packets is the order of their dev_queue_xmit()
 * calls.  netif_tx_wake_queue() puts the queue on the CPU's output list
 * and raises NET_TX_SOFTIRQ; net_tx_action() sends the backlog under the
 * same lock until it is empty or the driver stops the queue again.
 *
 * A queue is on at most one CPU's output list (the `scheduled` bit), and
 * holds a reference to its device while there.
 *
 * The driver sees transmits only between the end of its ndo_open() and
 * the start of its ndo_stop(): dev_open() sets __LINK_STATE_START before
 * ndo_open() (the driver may test netif_running() there), but a queue
 * passes packets on only once dev_activate() has marked it activated,
 * after ndo_open() returned, as Linux swaps noop_qdisc for the real one
 * in dev_activate().  Until then a transmit is dropped and counted in
 * tx_dropped.  dev_close() clears __LINK_STATE_START, then
 * dev_deactivate_queues() takes every queue lock (in-flight transmits
 * finish), clears activated and drops the backlogs.
 */
#include <exo/errno.h>
#include <exo/etherdevice.h>
#include <exo/export.h>
#include <exo/jiffies.h>
#include <exo/netdevice.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <trace/events/net.h>
#include "internal.h"

#define TXQ_SCHEDULED	0

void netdev_init_queues(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *q = &dev->_tx[i];

		q->dev = dev;
		q->index = i;
		q->xmit_lock_owner = -1;
		spin_lock_init(&q->_xmit_lock);
		skb_queue_head_init(&q->backlog);
	}
}

/* Put @q on this CPU's output list and raise NET_TX (once). */
static void netif_schedule_queue(struct netdev_queue *q)
{
	struct softnet_data *sd;
	unsigned long flags;

	if (test_and_set_bit(TXQ_SCHEDULED, &q->scheduled))
		return;
	/* The output list's reference: the device outlives its visit there. */
	dev_hold(q->dev);
	local_irq_save(flags);
	sd = this_cpu_ptr(&softnet_data);
	q->sched_next = NULL;
	*sd->output_queue_tailp = q;
	sd->output_queue_tailp = &q->sched_next;
	raise_softirq_irqoff(NET_TX_SOFTIRQ);
	local_irq_restore(flags);
}

/**
 * netif_tx_wake_queue() - restart @q and send its backlog
 * @q: the queue
 */
void netif_tx_wake_queue(struct netdev_queue *q)
{
	if (test_and_clear_bit(__QUEUE_STATE_DRV_XOFF, &q->state))
		netif_schedule_queue(q);
}
EXPORT_SYMBOL_GPL(netif_tx_wake_queue);

/**
 * netif_tx_start_all_queues() - start every TX queue of @dev
 * @dev: the device
 */
void netif_tx_start_all_queues(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		netif_tx_start_queue(&dev->_tx[i]);
}
EXPORT_SYMBOL_GPL(netif_tx_start_all_queues);

/**
 * netif_tx_wake_all_queues() - wake every TX queue of @dev
 * @dev: the device
 */
void netif_tx_wake_all_queues(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		netif_tx_wake_queue(&dev->_tx[i]);
}
EXPORT_SYMBOL_GPL(netif_tx_wake_all_queues);

/**
 * netif_tx_stop_all_queues() - stop every TX queue of @dev
 * @dev: the device
 */
void netif_tx_stop_all_queues(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		netif_tx_stop_queue(&dev->_tx[i]);
}
EXPORT_SYMBOL_GPL(netif_tx_stop_all_queues);

/**
 * __netif_tx_lock_bh() - disable bottom halves and take @txq's lock
 * @txq: the queue
 */
void __netif_tx_lock_bh(struct netdev_queue *txq) __acquires(&txq->_xmit_lock)
{
	local_bh_disable();
	__netif_tx_lock(txq, (int)smp_processor_id());
}
EXPORT_SYMBOL_GPL(__netif_tx_lock_bh);

/**
 * __netif_tx_unlock_bh() - release @txq's lock and enable bottom halves
 * @txq: the queue
 */
void __netif_tx_unlock_bh(struct netdev_queue *txq) __releases(&txq->_xmit_lock)
{
	__netif_tx_unlock(txq);
	local_bh_enable();
}
EXPORT_SYMBOL_GPL(__netif_tx_unlock_bh);

static void tx_drop(struct net_device *dev, struct sk_buff *skb)
{
	atomic_long_inc(&dev->tx_dropped);
	kfree_skb(skb);
}

/*
 * Hand @skb to the driver; @q's lock held, bottom halves off.
 * Return: true if the driver took it, false if it said busy (the skb is
 * still the caller's).
 */
static bool xmit_one(struct net_device *dev, struct netdev_queue *q, struct sk_buff *skb)
{
	unsigned int len;
	netdev_tx_t rc;

	skb->queue_mapping = (u16)q->index;
	len = skb->len;
	rc = dev->netdev_ops->ndo_start_xmit(skb, dev);
	trace_net_dev_xmit(skb, rc, dev, len);
	if (likely(rc == NETDEV_TX_OK)) {
		WRITE_ONCE(q->trans_start, jiffies);
		return true;
	}
	if (rc != NETDEV_TX_BUSY && net_ratelimit())
		pr_err("net: %s: ndo_start_xmit returned %d\n", dev->name, (int)rc);
	return false;
}

/* Send @q's backlog; its lock held.  Return: packets sent. */
static unsigned int txq_run_backlog(struct net_device *dev, struct netdev_queue *q)
{
	unsigned int sent = 0;
	struct sk_buff *skb;

	while (!netif_xmit_stopped(q) && (skb = __skb_dequeue(&q->backlog))) {
		if (!xmit_one(dev, q, skb)) {
			/* Busy without stopping: net_tx_action() retries. */
			__skb_queue_head(&q->backlog, skb);
			break;
		}
		sent++;
	}
	return sent;
}

static struct netdev_queue *pick_tx_queue(struct net_device *dev, struct sk_buff *skb)
{
	unsigned int n = READ_ONCE(dev->real_num_tx_queues), idx;

	if (skb->queue_mapping_set)
		idx = skb->queue_mapping;
	else if (dev->netdev_ops->ndo_select_queue)
		idx = dev->netdev_ops->ndo_select_queue(dev, skb, NULL);
	else
		idx = smp_processor_id();
	return netdev_get_tx_queue(dev, idx % n);
}

/**
 * dev_queue_xmit() - transmit @skb on skb->dev
 * @skb: the packet, starting with its link-layer header; consumed
 *
 * Return: NET_XMIT_SUCCESS, NET_XMIT_DROP, or -EINVAL without a device.
 */
int dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct netdev_queue *q;
	int ret = NET_XMIT_SUCCESS;

	if (unlikely(!dev)) {
		pr_err("dev_queue_xmit: skb without a device\n");
		kfree_skb(skb);
		return -EINVAL;
	}
	if (unlikely(skb->len < dev->hard_header_len ||
		     skb->len > dev->mtu + dev->hard_header_len)) {
		if (net_ratelimit())
			pr_err("net: %s: dropping a %u-byte frame (MTU %u)\n", dev->name,
			       skb->len, dev->mtu);
		tx_drop(dev, skb);
		return NET_XMIT_DROP;
	}
	local_bh_disable();
	q = pick_tx_queue(dev, skb);
	__netif_tx_lock(q, (int)smp_processor_id());
	/*
	 * Checked under the lock: dev_activate() and dev_deactivate_queues()
	 * change activated under it, so ndo_open() has returned and
	 * ndo_stop() has not begun while the driver is called.
	 */
	if (unlikely(!q->activated || !netif_running(dev) || !netif_carrier_ok(dev))) {
		tx_drop(dev, skb);
		ret = NET_XMIT_DROP;
	} else if (likely(skb_queue_empty(&q->backlog) && !netif_xmit_stopped(q))) {
		if (unlikely(!xmit_one(dev, q, skb))) {
			__skb_queue_tail(&q->backlog, skb);
			if (!netif_xmit_stopped(q))
				netif_schedule_queue(q);
		}
	} else if (skb_queue_len(&q->backlog) < dev->tx_queue_len) {
		__skb_queue_tail(&q->backlog, skb);
		/* Woken since the check (the wake does not take the lock)? */
		smp_mb();
		if (!netif_xmit_stopped(q))
			netif_schedule_queue(q);
	} else {
		tx_drop(dev, skb);
		ret = NET_XMIT_DROP;
	}
	__netif_tx_unlock(q);
	local_bh_enable();
	return ret;
}
EXPORT_SYMBOL_GPL(dev_queue_xmit);

/**
 * net_tx_action() - NET_TX_SOFTIRQ: send the backlogs of the woken queues
 * @h: the vector
 */
void net_tx_action(struct softirq_action *h)
{
	struct softnet_data *sd = this_cpu_ptr(&softnet_data);
	struct netdev_queue *head;

	local_irq_disable();
	head = sd->output_queue;
	sd->output_queue = NULL;
	sd->output_queue_tailp = &sd->output_queue;
	local_irq_enable();
	while (head) {
		struct netdev_queue *q = head;
		struct net_device *dev = q->dev;

		head = head->sched_next;
		__netif_tx_lock(q, (int)smp_processor_id());
		if (q->activated && netif_running(dev))
			txq_run_backlog(dev, q);
		else
			__skb_queue_purge(&q->backlog);
		__netif_tx_unlock(q);
		/*
		 * A wake while we ran found the bit set and scheduled nothing:
		 * after clearing it, look again (the wake's test_and_clear and
		 * this clear_bit + smp_mb order the two sides).
		 */
		clear_bit(TXQ_SCHEDULED, &q->scheduled);
		smp_mb();
		if (netif_running(dev) && !netif_xmit_stopped(q) && skb_queue_len(&q->backlog))
			netif_schedule_queue(q);
		dev_put(dev);
	}
}

/* dev_open(), after ndo_open() returned: let transmits reach the driver. */
void dev_activate(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *q = &dev->_tx[i];

		__netif_tx_lock_bh(q);
		q->activated = true;
		__netif_tx_unlock_bh(q);
	}
}

/* dev_close(): START is clear; finish in-flight transmits, drop backlogs. */
void dev_deactivate_queues(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *q = &dev->_tx[i];
		unsigned int drops;

		__netif_tx_lock_bh(q);
		q->activated = false;
		drops = skb_queue_len(&q->backlog);
		__skb_queue_purge(&q->backlog);
		__netif_tx_unlock_bh(q);
		atomic_long_add(drops, &dev->tx_dropped);
	}
}
