// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the network device layer (suite "net") through veth pairs:
 * skbs, registration, frames through the layer, NAPI budgets, queue
 * stop/wake with the backlog, carrier, statistics, bad input, SMP senders
 * (the frame test) and unregistration under traffic.  Each case checks
 * that the live skb count is back at its baseline.
 */
#include <exo/byteorder.h>
#include <exo/err.h>
#include <exo/etherdevice.h>
#include <exo/init.h>
#include <exo/interrupt.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/net_frametest.h>
#include <exo/net_tap.h>
#include <exo/netdevice.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/time.h>
#include "veth.h"

static long nt_baseline;
/* net_test_full: the 100 000-frame test too (a make check step of its own). */
static bool nt_full;

static int __init nt_full_setup(const char *val)
{
	(void)val;
	nt_full = true;
	return 0;
}
__setup("net_test_full", nt_full_setup);

static int nt_init(struct ktest *t)
{
	nt_baseline = skb_live_count();
	return 0;
}

static void nt_expect_no_leak(struct ktest *t)
{
	u64 end = ktime_get_ns() + 1000 * 1000000ULL;

	while (skb_live_count() != nt_baseline && ktime_get_ns() < end)
		msleep(1);
	KTEST_EXPECT_EQ(t, skb_live_count(), nt_baseline);
}

/* Close @tap (if any), destroy @a's pair, and check for leaked skbs. */
static void nt_teardown(struct ktest *t, struct net_device *a, struct net_raw_tap *tap)
{
	if (tap)
		net_raw_tap_close(tap);
	veth_destroy_pair(a);
	nt_expect_no_leak(t);
}

static struct sk_buff *nt_frame(struct net_device *from, struct net_device *to,
				unsigned int len, u8 fill)
{
	struct sk_buff *skb = alloc_skb(len + NET_SKB_PAD, GFP_KERNEL);
	struct ethhdr *eth;

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, to->dev_addr);
	ether_addr_copy(eth->h_source, from->dev_addr);
	eth->h_proto = htons(ETH_P_LOCAL_EXP2);
	memset(skb_put(skb, len - ETH_HLEN), fill, len - ETH_HLEN);
	skb->dev = from;
	return skb;
}

static void test_net_skb_ops(struct ktest *t)
{
	struct sk_buff *skb = netdev_alloc_skb_ip_align(NULL, 100), *c;

	KTEST_ASSERT_NOT_NULL(t, skb);
	KTEST_EXPECT_EQ(t, skb_headroom(skb), NET_SKB_PAD + NET_IP_ALIGN);
	KTEST_EXPECT_GE(t, skb_tailroom(skb), 100U);
	memset(skb_put(skb, 40), 0xab, 40);
	KTEST_EXPECT_EQ(t, skb->len, 40U);
	*(u8 *)skb_push(skb, 2) = 0x11;
	KTEST_EXPECT_EQ(t, skb->len, 42U);
	KTEST_EXPECT_EQ(t, skb->data[0], 0x11);
	KTEST_EXPECT_NOT_NULL(t, skb_pull(skb, 2));
	KTEST_EXPECT_NULL(t, skb_pull(skb, 41));
	/* Beyond the buffer: logged, skb unchanged. */
	skb_put(skb, skb_tailroom(skb) + 1);
	KTEST_EXPECT_EQ(t, skb->len, 40U);
	skb_push(skb, skb_headroom(skb) + 1);
	KTEST_EXPECT_EQ(t, skb->len, 40U);
	KTEST_EXPECT_EQ(t, eth_skb_pad(skb), 0);
	KTEST_EXPECT_EQ(t, skb->len, (unsigned int)ETH_ZLEN);
	KTEST_EXPECT_EQ(t, skb->data[59], 0);
	c = skb_copy(skb, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, c);
	KTEST_EXPECT_EQ(t, memcmp(c->data, skb->data, skb->len), 0);
	KTEST_EXPECT_EQ(t, skb_headroom(c), skb_headroom(skb));
	KTEST_EXPECT_EQ(t, skb_live_count(), nt_baseline + 2);
	skb_get(skb);
	kfree_skb(skb);
	KTEST_EXPECT_EQ(t, skb_live_count(), nt_baseline + 2);
	kfree_skb(skb);
	consume_skb(c);
	KTEST_EXPECT_NULL(t, alloc_skb(1U << 30, GFP_KERNEL));
	nt_expect_no_leak(t);
}

static void test_net_register(struct ktest *t)
{
	struct net_device *a, *b, *c, *d, *dup;

	KTEST_ASSERT_EQ(t, veth_create_pair("ntr%d", "ntr%d", 2, &a, &b), 0);
	KTEST_EXPECT_EQ(t, strcmp(a->name, "ntr0"), 0);
	KTEST_EXPECT_EQ(t, strcmp(b->name, "ntr1"), 0);
	KTEST_EXPECT_NE(t, a->ifindex, b->ifindex);
	KTEST_EXPECT_TRUE(t, is_valid_ether_addr(a->dev_addr));
	KTEST_EXPECT_EQ(t, a->real_num_tx_queues, 2U);
	KTEST_EXPECT_TRUE(t, netif_running(a) && netif_carrier_ok(a));
	dup = dev_get_by_name(NULL, "ntr1");
	KTEST_EXPECT_TRUE(t, dup == b);
	dev_put(dup);
	dup = dev_get_by_index(NULL, a->ifindex);
	KTEST_EXPECT_TRUE(t, dup == a);
	dev_put(dup);
	/* Taken names and bad names are refused. */
	KTEST_EXPECT_EQ(t, veth_create_pair("ntr0", "ntrx", 1, &c, &d), -EEXIST);
	KTEST_EXPECT_EQ(t, veth_create_pair("nt%dx", "ntry", 1, &c, &d), -EINVAL);
	KTEST_EXPECT_EQ(t, veth_create_pair("ntrz", "ntry", 0, &c, &d), -EINVAL);
	KTEST_EXPECT_NULL(t, alloc_etherdev_mq(0, 0));
	KTEST_EXPECT_NULL(t, alloc_etherdev_mq(0, NETDEV_MAX_QUEUES + 1));
	c = alloc_etherdev(0);
	KTEST_ASSERT_NOT_NULL(t, c);
	KTEST_EXPECT_EQ(t, register_netdev(c), -EINVAL);	/* no ops */
	free_netdev(c);
	/* Registered: refused by free_netdev(). */
	free_netdev(a);
	KTEST_EXPECT_TRUE(t, a->reg_state == NETREG_REGISTERED);
	KTEST_EXPECT_EQ(t, netif_set_real_num_tx_queues(a, 3), -EINVAL);
	KTEST_EXPECT_EQ(t, netif_set_real_num_tx_queues(a, 1), 0);
	veth_destroy_pair(a);
	KTEST_EXPECT_NULL(t, dev_get_by_name(NULL, "ntr0"));
	nt_expect_no_leak(t);
}

/* Frames through the layer, their contents, classification and stats. */
static void test_net_frames(struct ktest *t)
{
	struct rtnl_link_stats64 sa, sb;
	struct net_device *a, *b;
	struct net_raw_tap *tap;
	struct sk_buff *skb;

	KTEST_ASSERT_EQ(t, veth_create_pair("ntf%d", "ntf%d", 1, &a, &b), 0);
	tap = net_raw_tap_open(b, 16);
	KTEST_ASSERT_FALSE(t, IS_ERR(tap));
	for (unsigned int i = 0; i < 5; i++)
		KTEST_EXPECT_EQ(t, dev_queue_xmit(nt_frame(a, b, 60 + i * 100, (u8)i)),
				NET_XMIT_SUCCESS);
	for (unsigned int i = 0; i < 5; i++) {
		skb = net_raw_tap_recv(tap, msecs_to_jiffies(1000));
		KTEST_ASSERT_NOT_NULL(t, skb);
		KTEST_EXPECT_EQ(t, skb->len + ETH_HLEN, 60 + i * 100);
		KTEST_EXPECT_EQ(t, skb->data[0], (u8)i);
		KTEST_EXPECT_TRUE(t, skb->protocol == htons(ETH_P_LOCAL_EXP2));
		KTEST_EXPECT_EQ(t, skb->pkt_type, PACKET_HOST);
		KTEST_EXPECT_TRUE(t, skb->dev == b);
		KTEST_EXPECT_TRUE(t, ether_addr_equal(eth_hdr(skb)->h_source, a->dev_addr));
		kfree_skb(skb);
	}
	/* Broadcast is classified as such. */
	skb = nt_frame(a, b, 60, 0);
	eth_broadcast_addr(((struct ethhdr *)skb->data)->h_dest);
	dev_queue_xmit(skb);
	skb = net_raw_tap_recv(tap, msecs_to_jiffies(1000));
	KTEST_ASSERT_NOT_NULL(t, skb);
	KTEST_EXPECT_EQ(t, skb->pkt_type, PACKET_BROADCAST);
	kfree_skb(skb);
	dev_get_stats(a, &sa);
	dev_get_stats(b, &sb);
	KTEST_EXPECT_EQ(t, sa.tx_packets, 6ULL);
	KTEST_EXPECT_EQ(t, sa.tx_bytes, 60ULL + 160 + 260 + 360 + 460 + 60);
	KTEST_EXPECT_EQ(t, sb.rx_packets, 6ULL);
	KTEST_EXPECT_EQ(t, sb.rx_bytes, sa.tx_bytes);
	KTEST_EXPECT_EQ(t, sa.tx_dropped, 0ULL);
	/* A frame nobody taps (on a) counts as rx_nohandler. */
	dev_queue_xmit(nt_frame(b, a, 60, 0));
	dev_get_stats(a, &sa);
	KTEST_EXPECT_EQ(t, sa.rx_nohandler, 1ULL);
	nt_teardown(t, a, tap);
}

/* The tap's queue bound: frames beyond it are dropped and counted. */
static void test_net_tap_bound(struct ktest *t)
{
	struct net_device *a, *b;
	struct net_raw_tap *tap;

	KTEST_ASSERT_EQ(t, veth_create_pair("ntb%d", "ntb%d", 1, &a, &b), 0);
	KTEST_EXPECT_TRUE(t, IS_ERR(net_raw_tap_open(b, 0)));
	tap = net_raw_tap_open(b, 3);
	KTEST_ASSERT_FALSE(t, IS_ERR(tap));
	for (unsigned int i = 0; i < 5; i++)
		dev_queue_xmit(nt_frame(a, b, 100, 0));
	KTEST_EXPECT_EQ(t, skb_queue_len(&tap->queue), 3U);
	KTEST_EXPECT_EQ(t, atomic_long_read(&tap->drops), 2L);
	kfree_skb(net_raw_tap_recv(tap, 0));
	KTEST_EXPECT_EQ(t, skb_queue_len(&tap->queue), 2U);
	/* Unregistering the device removes the tap; closing it later is fine. */
	veth_destroy_pair(a);
	net_raw_tap_close(tap);
	nt_expect_no_leak(t);
}

/*
 * With bottom halves off nothing is polled: the RX ring fills (ring size
 * 4), the sender's queue stops, the next frames wait in the TX backlog
 * (tx_queue_len 3) and the rest are dropped.  local_bh_enable() then
 * polls, the poll wakes the queue and NET_TX sends the backlog, in order.
 */
static void test_net_queue_stop_wake(struct ktest *t)
{
	struct netdev_queue *txq;
	struct net_device *a, *b;
	struct net_raw_tap *tap;
	struct rtnl_link_stats64 s;
	struct sk_buff *frames[10];
	int ret[10];

	KTEST_ASSERT_EQ(t, veth_create_pair("nts%d", "nts%d", 1, &a, &b), 0);
	veth_set_ring_size(b, 4);
	a->tx_queue_len = 3;
	txq = netdev_get_tx_queue(a, 0);
	tap = net_raw_tap_open(b, 64);
	KTEST_ASSERT_FALSE(t, IS_ERR(tap));
	/* Allocated first: GFP_KERNEL may sleep, not with bottom halves off. */
	for (unsigned int i = 0; i < 10; i++) {
		frames[i] = nt_frame(a, b, 60, (u8)i);
		KTEST_ASSERT_NOT_NULL(t, frames[i]);
	}
	local_bh_disable();
	for (unsigned int i = 0; i < 10; i++)
		ret[i] = dev_queue_xmit(frames[i]);
	KTEST_EXPECT_TRUE(t, netif_tx_queue_stopped(txq));
	KTEST_EXPECT_EQ(t, skb_queue_len(&txq->backlog), 3U);
	local_bh_enable();
	for (unsigned int i = 0; i < 10; i++)
		KTEST_EXPECT_EQ(t, ret[i], i < 7 ? NET_XMIT_SUCCESS : NET_XMIT_DROP);
	for (unsigned int i = 0; i < 7; i++) {
		struct sk_buff *skb = net_raw_tap_recv(tap, msecs_to_jiffies(1000));

		KTEST_ASSERT_NOT_NULL(t, skb);
		KTEST_EXPECT_EQ(t, skb->data[0], (u8)i);
		kfree_skb(skb);
	}
	KTEST_EXPECT_FALSE(t, netif_tx_queue_stopped(txq));
	KTEST_EXPECT_EQ(t, skb_queue_len(&txq->backlog), 0U);
	dev_get_stats(a, &s);
	KTEST_EXPECT_EQ(t, s.tx_dropped, 3ULL);
	KTEST_EXPECT_EQ(t, s.tx_packets, 7ULL);
	nt_teardown(t, a, tap);
}

/*
 * A peer whose ring filled stops our TX queue, and only its poll wakes
 * it: closing the peer (which empties the ring) must wake it, or it stays
 * stopped after the peer opens again (an empty ring runs no poll).  The
 * ring is kept full by holding the peer's NAPI while a fills it, with
 * exactly as many frames as it holds: none waits in a's TX backlog, which
 * NET_TX would send to the reopened peer ahead of the checked frame.
 */
static void test_net_stop_wakes_peer(struct ktest *t)
{
	struct netdev_queue *txq;
	struct net_device *a, *b;
	struct napi_struct *napi;
	struct net_raw_tap *tap;
	struct sk_buff *frames[4];
	struct sk_buff *skb;

	KTEST_ASSERT_EQ(t, veth_create_pair("ntw%d", "ntw%d", 1, &a, &b), 0);
	veth_set_ring_size(b, 4);
	txq = netdev_get_tx_queue(a, 0);
	for (unsigned int i = 0; i < 4; i++) {
		frames[i] = nt_frame(a, b, 60, (u8)i);
		KTEST_ASSERT_NOT_NULL(t, frames[i]);
	}
	list_for_each_entry(napi, &b->napi_list, dev_list)
		napi_disable(napi);
	for (unsigned int i = 0; i < 4; i++)
		dev_queue_xmit(frames[i]);
	KTEST_EXPECT_TRUE(t, netif_tx_queue_stopped(txq));
	KTEST_EXPECT_EQ(t, skb_queue_len(&txq->backlog), 0U);
	/* No poll is scheduled: the xmits' napi_schedule() found NAPI held. */
	list_for_each_entry(napi, &b->napi_list, dev_list)
		napi_enable(napi);
	rtnl_lock();
	dev_close(b);
	KTEST_EXPECT_EQ(t, dev_open(b, NULL), 0);
	rtnl_unlock();
	KTEST_EXPECT_FALSE(t, netif_tx_queue_stopped(txq));
	tap = net_raw_tap_open(b, 16);
	KTEST_ASSERT_FALSE(t, IS_ERR(tap));
	KTEST_EXPECT_EQ(t, dev_queue_xmit(nt_frame(a, b, 60, 0x77)), NET_XMIT_SUCCESS);
	skb = net_raw_tap_recv(tap, msecs_to_jiffies(1000));
	KTEST_EXPECT_NOT_NULL(t, skb);
	if (skb)
		KTEST_EXPECT_EQ(t, skb->data[0], 0x77);
	kfree_skb(skb);
	nt_teardown(t, a, tap);
}

/* No carrier, or the device down: frames are dropped and counted. */
static void test_net_carrier(struct ktest *t)
{
	struct net_device *a, *b;
	struct rtnl_link_stats64 s;

	KTEST_ASSERT_EQ(t, veth_create_pair("ntc%d", "ntc%d", 1, &a, &b), 0);
	netif_carrier_off(a);
	KTEST_EXPECT_FALSE(t, netif_carrier_ok(a));
	KTEST_EXPECT_EQ(t, dev_queue_xmit(nt_frame(a, b, 60, 0)), NET_XMIT_DROP);
	netif_carrier_on(a);
	KTEST_EXPECT_EQ(t, dev_queue_xmit(nt_frame(a, b, 60, 0)), NET_XMIT_SUCCESS);
	/* The peer down: veth drops (its carrier went off with it). */
	rtnl_lock();
	dev_close(b);
	rtnl_unlock();
	KTEST_EXPECT_FALSE(t, netif_carrier_ok(a));
	KTEST_EXPECT_FALSE(t, netif_running(b));
	KTEST_EXPECT_EQ(t, dev_queue_xmit(nt_frame(b, a, 60, 0)), NET_XMIT_DROP);
	dev_get_stats(a, &s);
	KTEST_EXPECT_EQ(t, s.tx_dropped, 1ULL);
	rtnl_lock();
	KTEST_EXPECT_EQ(t, dev_open(b, NULL), 0);
	rtnl_unlock();
	KTEST_EXPECT_TRUE(t, netif_carrier_ok(a) && netif_carrier_ok(b));
	veth_destroy_pair(a);
	nt_expect_no_leak(t);
}

/* Bad input: negative errno or a drop, a log line, never a crash. */
static void test_net_bad_input(struct ktest *t)
{
	struct net_device *a, *b;
	struct sk_buff *skb;
	struct rtnl_link_stats64 s;

	KTEST_ASSERT_EQ(t, veth_create_pair("ntx%d", "ntx%d", 1, &a, &b), 0);
	skb = nt_frame(a, b, 60, 0);
	skb->dev = NULL;
	KTEST_EXPECT_EQ(t, dev_queue_xmit(skb), -EINVAL);
	skb = alloc_skb(2000, GFP_KERNEL);
	skb_put(skb, 1600);
	skb->dev = a;
	KTEST_EXPECT_EQ(t, dev_queue_xmit(skb), NET_XMIT_DROP);	/* over the MTU */
	skb = alloc_skb(64, GFP_KERNEL);
	skb_put(skb, 10);
	skb->dev = a;
	KTEST_EXPECT_EQ(t, dev_queue_xmit(skb), NET_XMIT_DROP);	/* no header */
	dev_get_stats(a, &s);
	KTEST_EXPECT_EQ(t, s.tx_dropped, 2ULL);
	skb = alloc_skb(64, GFP_KERNEL);
	KTEST_EXPECT_EQ(t, netif_receive_skb(skb), NET_RX_DROP);	/* no device */
	unregister_netdev(a);
	unregister_netdev(a);	/* logged */
	rtnl_lock();
	KTEST_EXPECT_EQ(t, dev_open(a, NULL), -ENODEV);
	rtnl_unlock();
	unregister_netdev(b);
	veth_destroy_pair(a);	/* both already unregistered: frees */
	nt_expect_no_leak(t);
}

struct nt_napi {
	struct napi_struct napi;
	int pending;
	int calls;
	int bad_budget;
	unsigned long run;		/* NET_RX run of the last call */
	int run_work, max_run_work;
	unsigned int busy_ms;		/* spin this long in the first call */
	bool polled;
};

static int nt_poll(struct napi_struct *napi, int budget)
{
	struct nt_napi *n = container_of(napi, struct nt_napi, napi);
	unsigned long run = softirq_count_cpu(smp_processor_id(), NET_RX_SOFTIRQ);
	int work = n->pending < budget ? n->pending : budget;

	if (n->busy_ms) {
		u64 end = ktime_get_ns() + n->busy_ms * 1000000ULL;

		while (ktime_get_ns() < end)
			cpu_relax();
		n->busy_ms = 0;
	}
	n->calls++;
	if (budget != NAPI_POLL_WEIGHT)
		n->bad_budget++;
	/* The run counter is per CPU: a run is (CPU, count), and n polls on one CPU. */
	if (run != n->run) {
		n->run = run;
		n->run_work = 0;
	}
	n->run_work += work;
	if (n->run_work > n->max_run_work)
		n->max_run_work = n->run_work;
	n->pending -= work;
	if (work < budget)
		napi_complete_done(napi, work);
	WRITE_ONCE(n->polled, true);
	return work;
}


/* Polls get the weight as budget; a context that uses it all is polled again. */
static void test_net_napi_budget(struct ktest *t)
{
	struct net_device *dev = alloc_etherdev(2 * sizeof(struct nt_napi));
	struct nt_napi *n;
	u64 end;

	KTEST_ASSERT_NOT_NULL(t, dev);
	n = netdev_priv(dev);
	netif_napi_add(dev, &n[0].napi, nt_poll);
	netif_napi_add(dev, &n[1].napi, nt_poll);
	/* Disabled until enabled. */
	KTEST_EXPECT_FALSE(t, napi_schedule_prep(&n[0].napi));
	napi_enable(&n[0].napi);
	napi_enable(&n[1].napi);
	n[0].pending = 200;
	local_bh_disable();
	KTEST_EXPECT_TRUE(t, napi_schedule(&n[0].napi));
	KTEST_EXPECT_FALSE(t, napi_schedule(&n[0].napi));	/* already */
	local_bh_enable();
	/* A NET_RX run that hits its 2 ms limit leaves the rest to ksoftirqd. */
	for (int ms = 0; ms < 2000 && test_bit(NAPI_STATE_SCHED, &n[0].napi.state); ms++)
		msleep(1);
	KTEST_EXPECT_EQ(t, n[0].pending, 0);
	/* 64 + 64 + 64 + 8, then once more: the second schedule set MISSED. */
	KTEST_EXPECT_EQ(t, n[0].calls, 5);
	KTEST_EXPECT_EQ(t, n[0].bad_budget, 0);
	KTEST_EXPECT_FALSE(t, test_bit(NAPI_STATE_SCHED, &n[0].napi.state));
	/* Two busy contexts share netdev_budget (300) per NET_RX run. */
	n[0].pending = n[1].pending = 1000;
	n[0].calls = n[1].calls = 0;
	local_bh_disable();
	napi_schedule(&n[0].napi);
	napi_schedule(&n[1].napi);
	local_bh_enable();
	end = ktime_get_ns() + 2000 * 1000000ULL;
	while ((READ_ONCE(n[0].pending) || READ_ONCE(n[1].pending)) && ktime_get_ns() < end)
		msleep(1);
	KTEST_EXPECT_EQ(t, n[0].pending + n[1].pending, 0);
	KTEST_EXPECT_LE(t, n[0].max_run_work + n[1].max_run_work,
			netdev_budget + 2 * NAPI_POLL_WEIGHT);
	KTEST_EXPECT_GE(t, n[0].calls, 1000 / NAPI_POLL_WEIGHT);
	napi_disable(&n[0].napi);
	napi_disable(&n[1].napi);
	free_netdev(dev);
}

/* napi_disable() waits for a running poll, and blocks scheduling. */
static void test_net_napi_disable_waits(struct ktest *t)
{
	struct net_device *dev = alloc_etherdev(sizeof(struct nt_napi));
	struct nt_napi *n;

	KTEST_ASSERT_NOT_NULL(t, dev);
	n = netdev_priv(dev);
	netif_napi_add(dev, &n->napi, nt_poll);
	napi_enable(&n->napi);
	n->pending = 10;
	n->busy_ms = 30;
	/* From a thread: ksoftirqd runs the poll while we disable. */
	KTEST_EXPECT_TRUE(t, napi_schedule(&n->napi));
	napi_disable(&n->napi);
	KTEST_EXPECT_TRUE(t, READ_ONCE(n->polled));
	KTEST_EXPECT_EQ(t, n->pending, 0);
	KTEST_EXPECT_FALSE(t, napi_schedule_prep(&n->napi));
	napi_enable(&n->napi);
	KTEST_EXPECT_TRUE(t, napi_schedule_prep(&n->napi));
	/* Claimed but never queued: give it back as a poll would. */
	KTEST_EXPECT_TRUE(t, napi_complete_done(&n->napi, 0));
	napi_disable(&n->napi);
	free_netdev(dev);
}

static void nt_frametest(struct ktest *t, unsigned int queues, unsigned long count, bool both)
{
	struct net_frametest_params p = {
		.count = count, .seed = 0x5eed, .both_ways = both,
	};
	struct net_frametest_result r;
	struct net_device *a, *b;

	KTEST_ASSERT_EQ(t, veth_create_pair("ntt%d", "ntt%d", queues, &a, &b), 0);
	p.tx_dev = a;
	p.rx_dev = b;
	KTEST_EXPECT_EQ(t, net_frametest_run(&p, &r), 0);
	net_frametest_print("veth frametest", &r);
	KTEST_EXPECT_EQ(t, r.received, count * (both ? 2 : 1));
	KTEST_EXPECT_EQ(t, r.bad + r.out_of_order + r.lost, 0UL);
	KTEST_EXPECT_EQ(t, r.skb_delta, 0L);
	/* Bad parameters. */
	p.min_len = 20;
	KTEST_EXPECT_EQ(t, net_frametest_run(&p, &r), -EINVAL);
	p.min_len = 0;
	p.max_len = 9000;
	KTEST_EXPECT_EQ(t, net_frametest_run(&p, &r), -EINVAL);
	veth_destroy_pair(a);
	nt_expect_no_leak(t);
}

/* Four TX queues, a sender thread each on its own CPU, both directions. */
static void test_net_frametest_smp(struct ktest *t)
{
	nt_frametest(t, 4, 2000, true);
}

/* The count, over four queues (net_test_full only). */
static void test_net_frametest_100k(struct ktest *t)
{
	if (!nt_full)
		KTEST_SKIP(t, "net_test_full not given");
	nt_frametest(t, 4, 100000, false);
}

struct nt_traffic {
	struct net_device *a, *b;
	bool stop;
	unsigned long sent;
};

static int nt_traffic_fn(void *arg)
{
	struct nt_traffic *tr = arg;

	while (!READ_ONCE(tr->stop)) {
		struct sk_buff *skb = nt_frame(tr->a, tr->b, 200, 1);

		if (skb && dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
			tr->sent++;
		if (!(tr->sent & 63))
			yield();
	}
	return 0;
}

/* Unregistering a pair while a thread sends on it: no crash, no leak. */
static void test_net_unregister_under_traffic(struct ktest *t)
{
	struct nt_traffic tr = {};
	struct task_struct *task;

	for (int round = 0; round < 5; round++) {
		KTEST_ASSERT_EQ(t, veth_create_pair("ntu%d", "ntu%d", 2, &tr.a, &tr.b), 0);
		dev_hold(tr.a);
		dev_hold(tr.b);
		tr.stop = false;
		task = kthread_run(nt_traffic_fn, &tr, "nt_traffic");
		KTEST_ASSERT_NOT_NULL(t, task);
		msleep(20);
		veth_destroy_pair(tr.a);
		msleep(5);
		WRITE_ONCE(tr.stop, true);
		kthread_join(task);
		dev_put(tr.a);
		dev_put(tr.b);
	}
	KTEST_EXPECT_GT(t, tr.sent, 0UL);
	nt_expect_no_leak(t);
}

/* The shell commands, their results and their answers to bad input. */
static void test_net_shell(struct ktest *t)
{
	char line[96], mac[18];
	struct net_device *b;

	KTEST_ASSERT_EQ(t, shell_run_command("veth add nsh0 nsh1 2"), 0);
	b = dev_get_by_name(NULL, "nsh1");
	KTEST_ASSERT_NOT_NULL(t, b);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", b->dev_addr[0],
		 b->dev_addr[1], b->dev_addr[2], b->dev_addr[3], b->dev_addr[4], b->dev_addr[5]);
	dev_put(b);
	KTEST_EXPECT_EQ(t, shell_run_command("ip link"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("ip -s link show nsh0"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("ip link show nosuch"), -ENODEV);
	KTEST_EXPECT_EQ(t, shell_run_command("ip route"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("net recv nsh1 0"), 0);	/* start the tap */
	snprintf(line, sizeof(line), "net send nsh0 %s 100 3", mac);
	KTEST_EXPECT_EQ(t, shell_run_command(line), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("net recv nsh1 3 1000"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("net recv nsh1 1 10"), -ETIMEDOUT);
	KTEST_EXPECT_EQ(t, shell_run_command("net recv nsh1 stop"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("net send nsh0 zz:00:00:00:00:00 100"), -EINVAL);
	snprintf(line, sizeof(line), "net send nsh0 %s 5000", mac);
	KTEST_EXPECT_EQ(t, shell_run_command(line), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("net send nosuch 00:11:22:33:44:55 100"), -ENODEV);
	KTEST_EXPECT_EQ(t, shell_run_command("net frametest nsh0 nsh1 2000 2 both"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("ip link set nsh1 down"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("net frametest nsh0 nsh1 100"), -ENETDOWN);
	KTEST_EXPECT_EQ(t, shell_run_command("ip link set nsh1 sideways"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("ip link set nsh1 up"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("veth del nsh1"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("veth del nsh0"), -ENODEV);
	nt_expect_no_leak(t);
}

static struct ktest_case net_cases[] = {
	KTEST_CASE(test_net_skb_ops),
	KTEST_CASE(test_net_register),
	KTEST_CASE(test_net_frames),
	KTEST_CASE(test_net_tap_bound),
	KTEST_CASE(test_net_queue_stop_wake),
	KTEST_CASE(test_net_stop_wakes_peer),
	KTEST_CASE(test_net_carrier),
	KTEST_CASE(test_net_bad_input),
	KTEST_CASE(test_net_napi_budget),
	KTEST_CASE(test_net_napi_disable_waits),
	KTEST_CASE(test_net_frametest_smp),
	KTEST_CASE(test_net_frametest_100k),
	KTEST_CASE(test_net_unregister_under_traffic),
	KTEST_CASE(test_net_shell),
	{}
};

static struct ktest_suite net_suite = {
	.name = "net", .cases = net_cases, .init = nt_init,
};
KTEST_SUITE(net_suite);
