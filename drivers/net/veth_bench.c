// SPDX-License-Identifier: GPL-2.0
/*
 * The network layer's cost per frame, over a veth pair (make bench): one
 * operation allocates a frame, sends it with dev_queue_xmit(), and the
 * peer's NAPI poll (run by the NET_RX softirq at the end of the send's
 * bottom-half section) hands it to a packet tap that frees it.  So the
 * figure is the layer's whole send + receive path without a device:
 * skb alloc/free, queue selection and lock, the driver call, NAPI
 * scheduling, the softirq, eth_type_trans() and tap delivery.
 */
#include <exo/bench.h>
#include <exo/byteorder.h>
#include <exo/etherdevice.h>
#include <exo/netdevice.h>
#include <exo/printk.h>
#include "veth.h"

static struct {
	struct net_device *a, *b;
	struct packet_type pt;
	unsigned long received;
} vb;

static int vb_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		  struct net_device *orig_dev)
{
	vb.received++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static int vb_setup(struct bench *b)
{
	int err;

	vb.received = 0;
	err = veth_create_pair("vbench%d", "vbench%d", 1, &vb.a, &vb.b);
	if (err)
		return err;
	vb.pt.type = htons(ETH_P_LOCAL_EXP2);
	vb.pt.dev = vb.b;
	vb.pt.func = vb_rcv;
	dev_add_pack(&vb.pt);
	return 0;
}

static void vb_teardown(struct bench *b)
{
	struct rtnl_link_stats64 s;

	dev_get_stats(vb.a, &s);
	/* Every frame sent must have been received, or the figure is wrong. */
	if (vb.received != s.tx_packets || !vb.received)
		pr_err("bench: veth sent %llu frames, the tap got %lu\n", s.tx_packets,
		       vb.received);
	dev_remove_pack(&vb.pt);
	veth_destroy_pair(vb.a);
}

static void vb_send(unsigned int ops, unsigned int len)
{
	unsigned long flags;

	/*
	 * The harness times with interrupts off; softirqs only run with them
	 * on (local_bh_enable() would defer NET_RX to ksoftirqd).  A tick in
	 * the batch is noise the median drops.
	 */
	local_irq_save(flags);
	local_irq_enable();
	for (unsigned int i = 0; i < ops; i++) {
		struct sk_buff *skb = alloc_skb(len + NET_SKB_PAD, GFP_KERNEL);
		struct ethhdr *eth;

		if (!skb)
			break;
		skb_reserve(skb, NET_SKB_PAD);
		eth = __skb_put(skb, len);
		ether_addr_copy(eth->h_dest, vb.b->dev_addr);
		ether_addr_copy(eth->h_source, vb.a->dev_addr);
		eth->h_proto = htons(ETH_P_LOCAL_EXP2);
		skb->dev = vb.a;
		dev_queue_xmit(skb);
	}
	local_irq_restore(flags);
}

static void vb_run_64(struct bench *b, unsigned int ops)
{
	vb_send(ops, ETH_ZLEN + 4);
}

static void vb_run_1514(struct bench *b, unsigned int ops)
{
	vb_send(ops, ETH_FRAME_LEN);
}

DEFINE_BENCH_FULL(net_veth_frame_64, .desc = "64-byte frame sent and received through veth",
		  .setup = vb_setup, .teardown = vb_teardown, .run = vb_run_64);
DEFINE_BENCH_FULL(net_veth_frame_1514, .desc = "1514-byte frame sent and received through veth",
		  .setup = vb_setup, .teardown = vb_teardown, .run = vb_run_1514);
