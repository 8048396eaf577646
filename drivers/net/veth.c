// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual Ethernet pairs, shaped like Linux's drivers/net/veth.c in its
 * NAPI mode: TX queue i of one device puts the skb on RX queue i of the
 * peer and schedules that queue's NAPI context; the peer's poll hands it
 * up.  The skb itself moves (no copy).
 *
 * Flow control works like a NIC's ring: an RX queue holding ring_size
 * packets stops the peer's TX queue (the layer keeps the backlog), and
 * the poll wakes it once the queue is half empty.  The ring's lock
 * orders the two, so a wake is never lost.
 */
#include <exo/errno.h>
#include <exo/etherdevice.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/netdevice.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "veth.h"

struct veth_rq {
	struct napi_struct napi;
	struct sk_buff_head ring;	/* its lock orders stop and wake */
	struct net_device *dev;
	unsigned int index;
	u64 rx_packets, rx_bytes;	/* written by the poll only */
};

struct veth_tq_stats {
	u64 packets, bytes;		/* written under the TX queue lock */
};

struct veth_priv {
	struct net_device *peer;
	struct veth_rq *rq;
	struct veth_tq_stats *tq;
	unsigned int ring_size;
	atomic_long_t drops;		/* sent while the peer was down */
};

static void veth_drop(struct net_device *dev, struct sk_buff *skb)
{
	struct veth_priv *priv = netdev_priv(dev);

	atomic_long_inc(&priv->drops);
	dev_kfree_skb_any(skb);
}

static netdev_tx_t veth_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev), *rpriv;
	struct net_device *rcv = READ_ONCE(priv->peer);
	unsigned int qi = skb_get_queue_mapping(skb), len = skb->len;
	struct netdev_queue *txq = netdev_get_tx_queue(dev, qi);
	struct veth_rq *rq;

	if (unlikely(!rcv || !netif_running(rcv) || !netif_carrier_ok(rcv))) {
		veth_drop(dev, skb);
		return NETDEV_TX_OK;
	}
	rpriv = netdev_priv(rcv);
	rq = &rpriv->rq[qi % rcv->real_num_rx_queues];
	spin_lock(&rq->ring.lock);
	if (unlikely(skb_queue_len(&rq->ring) >= rpriv->ring_size)) {
		netif_tx_stop_queue(txq);
		spin_unlock(&rq->ring.lock);
		return NETDEV_TX_BUSY;
	}
	skb->dev = rcv;
	__skb_queue_tail(&rq->ring, skb);
	if (skb_queue_len(&rq->ring) >= rpriv->ring_size)
		netif_tx_stop_queue(txq);
	spin_unlock(&rq->ring.lock);
	priv->tq[qi].packets++;
	priv->tq[qi].bytes += len;
	napi_schedule(&rq->napi);
	return NETDEV_TX_OK;
}

static int veth_poll(struct napi_struct *napi, int budget)
{
	struct veth_rq *rq = container_of(napi, struct veth_rq, napi);
	struct veth_priv *priv = netdev_priv(rq->dev);
	struct net_device *peer = READ_ONCE(priv->peer);
	int done = 0;

	while (done < budget) {
		struct sk_buff *skb;

		spin_lock(&rq->ring.lock);
		skb = __skb_dequeue(&rq->ring);
		/* The peer's queue rq->index sends here (same queue counts). */
		if (peer && rq->index < peer->num_tx_queues &&
		    skb_queue_len(&rq->ring) <= priv->ring_size / 2 &&
		    netif_tx_queue_stopped(netdev_get_tx_queue(peer, rq->index)))
			netif_tx_wake_queue(netdev_get_tx_queue(peer, rq->index));
		spin_unlock(&rq->ring.lock);
		if (!skb)
			break;
		rq->rx_packets++;
		rq->rx_bytes += skb->len;
		skb->protocol = eth_type_trans(skb, rq->dev);
		skb_record_rx_queue(skb, (u16)rq->index);
		napi_gro_receive(napi, skb);
		done++;
	}
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

static int veth_open(struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev);
	struct net_device *peer = priv->peer;

	for (unsigned int i = 0; i < dev->num_rx_queues; i++)
		napi_enable(&priv->rq[i].napi);
	netif_tx_start_all_queues(dev);
	if (peer && (peer->flags & IFF_UP)) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

static int veth_stop(struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev);

	netif_carrier_off(dev);
	if (priv->peer)
		netif_carrier_off(priv->peer);
	netif_tx_stop_all_queues(dev);
	for (unsigned int i = 0; i < dev->num_rx_queues; i++) {
		struct veth_rq *rq = &priv->rq[i];

		napi_disable(&rq->napi);
		atomic_long_add((long)skb_queue_len(&rq->ring), &dev->rx_dropped);
		skb_queue_purge(&rq->ring);
	}
	return 0;
}

static void veth_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	struct veth_priv *priv = netdev_priv(dev);

	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		s->tx_packets += READ_ONCE(priv->tq[i].packets);
		s->tx_bytes += READ_ONCE(priv->tq[i].bytes);
	}
	for (unsigned int i = 0; i < dev->num_rx_queues; i++) {
		s->rx_packets += READ_ONCE(priv->rq[i].rx_packets);
		s->rx_bytes += READ_ONCE(priv->rq[i].rx_bytes);
	}
	s->tx_dropped = (u64)atomic_long_read(&priv->drops);
}

static const struct net_device_ops veth_ops = {
	.ndo_open = veth_open,
	.ndo_stop = veth_stop,
	.ndo_start_xmit = veth_xmit,
	.ndo_get_stats64 = veth_get_stats64,
};

static void veth_free(struct net_device *dev)
{
	struct veth_priv *priv;
	struct veth_rq *rq;
	void *tq;

	if (!dev)
		return;
	priv = netdev_priv(dev);
	rq = priv->rq;
	tq = priv->tq;
	/*
	 * The NAPI contexts live in rq: off the device's list before it goes.
	 * A peer's transmit that raced with our close may have queued a frame
	 * after veth_stop() purged: both are closed now, so purge again.
	 */
	for (unsigned int i = 0; rq && i < dev->num_rx_queues; i++) {
		netif_napi_del(&rq[i].napi);
		skb_queue_purge(&rq[i].ring);
	}
	free_netdev(dev);
	kfree(tq);
	kfree(rq);
}

static struct net_device *veth_alloc(const char *name, unsigned int queues)
{
	struct net_device *dev = alloc_netdev_mqs(sizeof(struct veth_priv), name,
						  NET_NAME_ENUM, ether_setup, queues, queues);
	struct veth_priv *priv;

	if (!dev)
		return NULL;
	priv = netdev_priv(dev);
	priv->rq = kcalloc(queues, sizeof(*priv->rq), GFP_KERNEL);
	priv->tq = kcalloc(queues, sizeof(*priv->tq), GFP_KERNEL);
	if (!priv->rq || !priv->tq) {
		veth_free(dev);
		return NULL;
	}
	priv->ring_size = VETH_RING_SIZE;
	dev->netdev_ops = &veth_ops;
	dev->max_mtu = ETH_MAX_MTU;
	eth_hw_addr_random(dev);
	netif_carrier_off(dev);
	for (unsigned int i = 0; i < queues; i++) {
		struct veth_rq *rq = &priv->rq[i];

		rq->dev = dev;
		rq->index = i;
		skb_queue_head_init(&rq->ring);
		netif_napi_add(dev, &rq->napi, veth_poll);
	}
	return dev;
}

/**
 * veth_create_pair() - create, register and open a pair
 * @name_a: first name
 * @name_b: second name
 * @queues: queues of each
 * @pa: first device
 * @pb: second device
 *
 * Return: 0 or a negative errno.
 */
int veth_create_pair(const char *name_a, const char *name_b, unsigned int queues,
		     struct net_device **pa, struct net_device **pb)
{
	struct net_device *a, *b;
	int err;

	if (!queues || queues > NETDEV_MAX_QUEUES) {
		pr_err("veth: %u queues (1..%u)\n", queues, NETDEV_MAX_QUEUES);
		return -EINVAL;
	}
	a = veth_alloc(name_a, queues);
	b = veth_alloc(name_b, queues);
	if (!a || !b) {
		veth_free(a);
		veth_free(b);
		return -ENOMEM;
	}
	((struct veth_priv *)netdev_priv(a))->peer = b;
	((struct veth_priv *)netdev_priv(b))->peer = a;
	err = register_netdev(a);
	if (err)
		goto free;
	err = register_netdev(b);
	if (err) {
		unregister_netdev(a);
		goto free;
	}
	rtnl_lock();
	err = dev_open(a, NULL);
	if (!err)
		err = dev_open(b, NULL);
	rtnl_unlock();
	if (err) {
		unregister_netdev(a);
		unregister_netdev(b);
		goto free;
	}
	*pa = a;
	*pb = b;
	return 0;
free:
	veth_free(a);
	veth_free(b);
	return err;
}
EXPORT_SYMBOL_GPL(veth_create_pair);

/**
 * veth_destroy_pair() - unregister and free a pair
 * @dev: either device
 */
void veth_destroy_pair(struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev);
	struct net_device *peer = priv->peer;

	unregister_netdev(dev);
	if (peer)
		unregister_netdev(peer);
	veth_free(dev);
	veth_free(peer);
}
EXPORT_SYMBOL_GPL(veth_destroy_pair);

/**
 * veth_set_ring_size() - RX queue capacity before the peer is stopped
 * @dev: a veth device
 * @size: packets, at least 2
 */
void veth_set_ring_size(struct net_device *dev, unsigned int size)
{
	struct veth_priv *priv = netdev_priv(dev);

	WRITE_ONCE(priv->ring_size, size < 2 ? 2 : size);
}
EXPORT_SYMBOL_GPL(veth_set_ring_size);

/* `veth add NAME PEER [QUEUES]` / `veth del NAME` */
static int cmd_veth(int argc, char **argv)
{
	struct net_device *a, *b;
	unsigned long queues = 1;
	int err;

	if (!strcmp(argv[1], "add") && (argc == 4 || argc == 5)) {
		if (argc == 5 && shell_arg_ulong(argv[0], argv[4], 1, NETDEV_MAX_QUEUES, &queues))
			return -EINVAL;
		err = veth_create_pair(argv[2], argv[3], (unsigned int)queues, &a, &b);
		if (err)
			printk("veth: cannot create %s/%s: %s\n", argv[2], argv[3], errname(err));
		else
			printk("%s <-> %s, %lu queues\n", a->name, b->name, queues);
		return err;
	}
	if (!strcmp(argv[1], "del") && argc == 3) {
		a = dev_get_by_name(NULL, argv[2]);
		if (!a || a->netdev_ops != &veth_ops) {
			printk("veth: no veth device %s\n", argv[2]);
			dev_put(a);
			return -ENODEV;
		}
		dev_put(a);
		veth_destroy_pair(a);
		return 0;
	}
	return shell_usage(argv[0]);
}
DEFINE_SHELL_CMD_ARGS(veth, "add NAME PEER [QUEUES] | del NAME", 2, 4,
		      "create or remove a virtual Ethernet pair", cmd_veth);
