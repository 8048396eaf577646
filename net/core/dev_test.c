// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the device layer's own rules (suite "net_core"), each on a
 * device of its own made here, so that each can drive the layer into the
 * state it checks without timing: a transmit from inside ndo_open() and
 * ndo_stop() never reaches the driver; a tap's func may receive again and
 * add a tap; a tap removed while its device is unregistered is waited
 * for like any other; a CPU receiving back to back does not hold a tap's
 * removal off; unregistering a device whose skbs fill a CPU's netif_rx()
 * backlog (held there by owning the backlog's NAPI) leaves none behind.
 * The "net" suite (drivers/net/veth_test.c) tests the rest of the layer.
 */
#include <exo/bottom_half.h>
#include <exo/byteorder.h>
#include <exo/err.h>
#include <exo/etherdevice.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/netdevice.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/time.h>
#include <exo/trace.h>
#include "internal.h"

struct nc_priv {
	bool opened;		/* between ndo_open()'s return and ndo_stop() */
	bool xmit_in_open;	/* ndo_open()/ndo_stop() transmit a frame */
	int open_xmit_rc, stop_xmit_rc;
	unsigned int xmits, early;
};

static struct sk_buff *nc_frame(struct net_device *dev)
{
	struct sk_buff *skb = alloc_skb(ETH_ZLEN + NET_SKB_PAD, GFP_ATOMIC);
	struct ethhdr *eth;

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	eth = skb_put(skb, ETH_HLEN);
	eth_broadcast_addr(eth->h_dest);
	ether_addr_copy(eth->h_source, dev->dev_addr);
	eth->h_proto = htons(ETH_P_LOCAL_EXP2);
	memset(skb_put(skb, ETH_ZLEN - ETH_HLEN), 0x5a, ETH_ZLEN - ETH_HLEN);
	skb->dev = dev;
	skb->protocol = eth->h_proto;
	return skb;
}

/* Transmit one frame on @dev (NET_XMIT_*, or -ENOMEM). */
static int nc_send(struct net_device *dev)
{
	struct sk_buff *skb = nc_frame(dev);

	return skb ? dev_queue_xmit(skb) : -ENOMEM;
}

static int nc_open(struct net_device *dev)
{
	struct nc_priv *p = netdev_priv(dev);

	/* What another CPU's transmit could do while the device opens. */
	if (p->xmit_in_open)
		p->open_xmit_rc = nc_send(dev);
	p->opened = true;
	return 0;
}

static int nc_stop(struct net_device *dev)
{
	struct nc_priv *p = netdev_priv(dev);

	p->opened = false;
	if (p->xmit_in_open)
		p->stop_xmit_rc = nc_send(dev);
	return 0;
}

static netdev_tx_t nc_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nc_priv *p = netdev_priv(dev);

	p->xmits++;
	if (!p->opened)
		p->early++;
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops nc_ops = {
	.ndo_open = nc_open,
	.ndo_stop = nc_stop,
	.ndo_start_xmit = nc_start_xmit,
};

static struct net_device *nc_create(void)
{
	struct net_device *dev = alloc_etherdev(sizeof(struct nc_priv));

	if (!dev)
		return NULL;
	strlcpy(dev->name, "ntc%d", IFNAMSIZ);
	dev->netdev_ops = &nc_ops;
	eth_hw_addr_random(dev);
	if (register_netdev(dev)) {
		free_netdev(dev);
		return NULL;
	}
	return dev;
}

static void nc_destroy(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

static void nc_expect_no_leak(struct ktest *t, long baseline)
{
	u64 end = ktime_get_ns() + 1000 * 1000000ULL;

	while (skb_live_count() != baseline && ktime_get_ns() < end)
		msleep(1);
	KTEST_EXPECT_EQ(t, skb_live_count(), baseline);
}

/*
 * dev_open() marks the device running before ndo_open() (as Linux), but
 * no transmit may reach ndo_start_xmit() until ndo_open() has returned,
 * nor once ndo_stop() has begun: those are dropped and counted.
 */
static void test_net_xmit_gated_on_open(struct ktest *t)
{
	long baseline = skb_live_count();
	struct net_device *dev = nc_create();
	struct nc_priv *p;
	long drops;

	KTEST_ASSERT_NOT_NULL(t, dev);
	p = netdev_priv(dev);
	p->xmit_in_open = true;
	drops = atomic_long_read(&dev->tx_dropped);
	KTEST_EXPECT_EQ(t, nc_send(dev), NET_XMIT_DROP);	/* down */
	rtnl_lock();
	KTEST_EXPECT_EQ(t, dev_open(dev, NULL), 0);
	rtnl_unlock();
	KTEST_EXPECT_EQ(t, p->open_xmit_rc, NET_XMIT_DROP);
	KTEST_EXPECT_EQ(t, p->early, 0u);
	KTEST_EXPECT_EQ(t, p->xmits, 0u);
	KTEST_EXPECT_EQ(t, atomic_long_read(&dev->tx_dropped), drops + 2);
	/* Open: frames go to the driver. */
	KTEST_EXPECT_EQ(t, nc_send(dev), NET_XMIT_SUCCESS);
	KTEST_EXPECT_EQ(t, p->xmits, 1u);
	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
	KTEST_EXPECT_EQ(t, p->stop_xmit_rc, NET_XMIT_DROP);
	KTEST_EXPECT_EQ(t, p->early, 0u);
	KTEST_EXPECT_EQ(t, p->xmits, 1u);
	KTEST_EXPECT_EQ(t, atomic_long_read(&dev->tx_dropped), drops + 3);
	nc_destroy(dev);
	nc_expect_no_leak(t, baseline);
}

/* net:net_dev_xmit and net:netif_receive_skb name the device and the skb. */
static void test_net_trace_events(struct ktest *t)
{
	long baseline = skb_live_count();
	char dev_s[32], tx[32], rx[32], line[TRACE_KTEST_LINE_MAX];
	struct net_device *dev;
	struct sk_buff *skb;

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		KTEST_SKIP(t, "CONFIG_TRACEPOINTS=n");
	dev = nc_create();
	KTEST_ASSERT_NOT_NULL(t, dev);
	rtnl_lock();
	KTEST_EXPECT_EQ(t, dev_open(dev, NULL), 0);
	rtnl_unlock();
	trace_clear();
	KTEST_EXPECT_EQ(t, trace_set_event("net", true), 2);
	skb = nc_frame(dev);
	KTEST_ASSERT_NOT_NULL(t, skb);
	snprintf(tx, sizeof(tx), " skbaddr=%p ", skb);
	KTEST_EXPECT_EQ(t, dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	skb = nc_frame(dev);
	KTEST_ASSERT_NOT_NULL(t, skb);
	snprintf(rx, sizeof(rx), " skbaddr=%p ", skb);
	netif_receive_skb(skb);
	trace_disable_all();
	snprintf(dev_s, sizeof(dev_s), ": dev=%s ", dev->name);
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " net_dev_xmit", dev_s, tx,
					    "len=60 rc=0"), 1);
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " netif_receive_skb", dev_s, rx,
					    "len="), 1);
	trace_clear();
	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
	nc_destroy(dev);
	nc_expect_no_leak(t, baseline);
}

/* --- taps whose func receives again and adds a tap ------------------------ */

struct nc_taps {
	struct packet_type outer, inner, extra;
	struct net_device *dev;
	atomic_t outer_seen, inner_seen;
	bool add_inner;
};

static int nc_inner_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
			struct net_device *orig_dev)
{
	struct nc_taps *n = pt->af_packet_priv;

	atomic_inc(&n->inner_seen);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

/* The outer tap: add the inner one (once), then hand a frame on (a nested reader). */
static int nc_outer_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
			struct net_device *orig_dev)
{
	struct nc_taps *n = pt->af_packet_priv;
	struct sk_buff *copy;

	if (n->add_inner) {
		n->add_inner = false;
		dev_add_pack(&n->inner);
	}
	copy = skb_copy(skb, GFP_ATOMIC);
	if (copy) {
		copy->dev = n->dev;	/* the inner tap's device */
		netif_receive_skb(copy);
	}
	atomic_inc(&n->outer_seen);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

struct nc_churn {
	struct packet_type pt;
	bool stop;
	unsigned int rounds;
};

static int nc_drop_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		       struct net_device *orig_dev)
{
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* Another CPU adds and removes a tap all along: writers against nested readers. */
static int nc_churn_fn(void *arg)
{
	struct nc_churn *c = arg;

	while (!READ_ONCE(c->stop)) {
		dev_add_pack(&c->pt);
		dev_remove_pack(&c->pt);
		c->rounds++;
		yield();
	}
	return 0;
}

static void test_net_tap_nested_reader(struct ktest *t)
{
	long baseline = skb_live_count();
	struct net_device *a = nc_create(), *b = nc_create();
	struct nc_churn churn = { 0 };
	struct task_struct *tsk = NULL;
	struct nc_taps *n = kzalloc(sizeof(*n), GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_ASSERT_NOT_NULL(t, n);
	n->dev = b;
	n->outer.type = htons(ETH_P_ALL);
	n->outer.dev = a;
	n->outer.func = nc_outer_rcv;
	n->outer.af_packet_priv = n;
	n->inner = n->outer;
	n->inner.dev = b;
	n->inner.func = nc_inner_rcv;
	n->add_inner = true;
	churn.pt.type = htons(ETH_P_ALL);
	churn.pt.dev = b;
	churn.pt.func = nc_drop_rcv;
	dev_add_pack(&n->outer);
	/* From a thread with bottom halves off, as a softirq receive would. */
	local_bh_disable();
	netif_receive_skb(nc_frame(a));
	local_bh_enable();
	KTEST_EXPECT_EQ(t, atomic_read(&n->outer_seen), 1);
	KTEST_EXPECT_EQ(t, atomic_read(&n->inner_seen), 1);
	if (num_online_cpus() > 1)
		tsk = kthread_run(nc_churn_fn, &churn, "net_tap_churn");
	for (int i = 0; i < 500; i++) {
		local_bh_disable();
		netif_receive_skb(nc_frame(a));
		local_bh_enable();
	}
	if (!IS_ERR_OR_NULL(tsk)) {
		WRITE_ONCE(churn.stop, true);
		kthread_stop(tsk);
		ktest_log(t, "%u add/remove rounds against the readers", churn.rounds);
	}
	KTEST_EXPECT_EQ(t, atomic_read(&n->outer_seen), 501);
	KTEST_EXPECT_EQ(t, atomic_read(&n->inner_seen), 501);
	dev_remove_pack(&n->inner);
	dev_remove_pack(&n->outer);
	kfree(n);
	nc_destroy(a);
	nc_destroy(b);
	nc_expect_no_leak(t, baseline);
}

/* A new device and, in @pt, a tap of all its frames (not yet added). */
static struct net_device *nc_create_tapped(struct packet_type *pt,
					   int (*func)(struct sk_buff *, struct net_device *,
						       struct packet_type *, struct net_device *),
					   void *priv)
{
	struct net_device *dev = nc_create();

	pt->type = htons(ETH_P_ALL);
	pt->dev = dev;
	pt->func = func;
	pt->af_packet_priv = priv;
	return dev;
}

/* --- a tap closed while its device is unregistered ----------------------- */

struct nc_slow_tap {
	struct packet_type pt;
	struct net_device *dev;
	bool entered, left;
};

/* Stay inside func for a while: a reader another CPU's writers must wait for. */
static int nc_slow_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		       struct net_device *orig_dev)
{
	struct nc_slow_tap *s = pt->af_packet_priv;
	u64 end = ktime_get_ns() + 300 * 1000000ULL;

	WRITE_ONCE(s->entered, true);
	while (ktime_get_ns() < end)
		cpu_relax();
	WRITE_ONCE(s->left, true);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static int nc_slow_reader_fn(void *arg)
{
	struct nc_slow_tap *s = arg;
	struct sk_buff *skb = nc_frame(s->dev);

	if (skb) {
		local_bh_disable();
		netif_receive_skb(skb);
		local_bh_enable();
	}
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static int nc_unregister_fn(void *arg)
{
	unregister_netdev(arg);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/* A thread bound to an online CPU other than @not1 and @not2, not yet woken. */
static struct task_struct *nc_thread_on_other_cpu(int (*fn)(void *), void *arg,
						  unsigned int not1, unsigned int not2,
						  unsigned int *cpu_out)
{
	struct task_struct *tsk;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		if (cpu == not1 || cpu == not2)
			continue;
		tsk = kthread_create(fn, arg, "net_core_cpu%u", cpu);
		if (IS_ERR(tsk))
			return NULL;
		kthread_bind(tsk, cpu);
		*cpu_out = cpu;
		return tsk;
	}
	return NULL;
}

/*
 * unregister_netdev() unlinks the device's taps and waits for their
 * readers; a dev_remove_pack() of one of them meanwhile finds it already
 * unlinked, and must still wait for the reader in its func before its
 * caller frees the tap.  A reader on one CPU stays in func, a second CPU
 * unregisters the device, and this thread removes the tap once unlinked.
 */
static void test_net_tap_close_during_unregister(struct ktest *t)
{
	long baseline = skb_live_count();
	unsigned int me = smp_processor_id(), rcpu = me, ucpu;
	struct task_struct *reader = NULL, *unreg = NULL;
	struct nc_slow_tap *s;
	u64 end;

	if (num_online_cpus() < 3)
		KTEST_SKIP(t, "needs 3 CPUs (a reader, an unregistration, this thread)");
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, s);
	s->dev = nc_create_tapped(&s->pt, nc_slow_rcv, s);
	if (!s->dev) {
		kfree(s);
		KTEST_ASSERT_NOT_NULL(t, NULL);
	}
	dev_add_pack(&s->pt);
	reader = nc_thread_on_other_cpu(nc_slow_reader_fn, s, me, me, &rcpu);
	unreg = nc_thread_on_other_cpu(nc_unregister_fn, s->dev, me, rcpu, &ucpu);
	KTEST_ASSERT_NOT_NULL(t, reader);
	KTEST_ASSERT_NOT_NULL(t, unreg);
	wake_up_process(reader);
	end = ktime_get_ns() + 5000 * 1000000ULL;
	while (!READ_ONCE(s->entered) && ktime_get_ns() < end)
		msleep(1);
	KTEST_EXPECT_TRUE(t, READ_ONCE(s->entered));
	wake_up_process(unreg);
	/* Unlinked by dev_remove_taps(), which now waits for the reader. */
	while (READ_ONCE(s->pt.list.prev) && ktime_get_ns() < end)
		cpu_relax();
	dev_remove_pack(&s->pt);
	KTEST_EXPECT_TRUE(t, READ_ONCE(s->left));
	/* Keep @s alive for the reader even if the check above failed. */
	while (!READ_ONCE(s->left) && ktime_get_ns() < end)
		msleep(1);
	kthread_stop(reader);
	kthread_stop(unreg);
	nc_expect_no_leak(t, baseline);
	free_netdev(s->dev);
	kfree(s);
}

/* --- tap removal against back-to-back receives ----------------------------- */

struct nc_busy_rx {
	struct packet_type pt;
	struct net_device *dev;
	bool stop;
	unsigned long frames;
};

/* Receive one skb over and over with bottom halves off: barely a gap between readers. */
static int nc_busy_rx_fn(void *arg)
{
	struct nc_busy_rx *b = arg;
	struct sk_buff *skb = nc_frame(b->dev);

	if (skb) {
		local_bh_disable();
		while (!READ_ONCE(b->stop)) {
			netif_receive_skb(skb_get(skb));
			b->frames++;
		}
		local_bh_enable();
		kfree_skb(skb);
	}
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/*
 * dev_remove_pack() waits for the readers of its time only: a CPU that
 * receives back to back, seldom seen without a reader, must not hold it
 * off.  Each removal here must return while the other CPU still receives.
 */
static void test_net_tap_remove_under_rx(struct ktest *t)
{
	long baseline = skb_live_count();
	unsigned int me = smp_processor_id(), cpu;
	struct packet_type extra = { 0 };
	struct task_struct *tsk;
	struct nc_busy_rx *b;
	u64 start, worst = 0;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "needs a second CPU to receive");
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, b);
	b->dev = nc_create_tapped(&b->pt, nc_drop_rcv, b);
	if (!b->dev) {
		kfree(b);
		KTEST_ASSERT_NOT_NULL(t, NULL);
	}
	extra = b->pt;
	dev_add_pack(&b->pt);
	tsk = nc_thread_on_other_cpu(nc_busy_rx_fn, b, me, me, &cpu);
	if (tsk) {
		wake_up_process(tsk);
		while (!READ_ONCE(b->frames))
			msleep(1);
		for (int i = 0; i < 20; i++) {
			dev_add_pack(&extra);
			start = ktime_get_ns();
			dev_remove_pack(&extra);
			worst = max(worst, ktime_get_ns() - start);
		}
		/* Each returned while the other CPU still received. */
		KTEST_EXPECT_LT(t, worst, 2000 * 1000000ULL);
		WRITE_ONCE(b->stop, true);
		kthread_stop(tsk);
		ktest_log(t, "%lu frames; the slowest removal took %llu us", b->frames,
			  (unsigned long long)(worst / 1000));
	}
	KTEST_EXPECT_NOT_NULL(t, tsk);
	dev_remove_pack(&b->pt);
	nc_destroy(b->dev);
	kfree(b);
	nc_expect_no_leak(t, baseline);
}

/* --- unregister with a full backlog ---------------------------------------- */

struct nc_backlog_count {
	struct net_device *dev;
	unsigned int n;
};

static void nc_count_backlog(void *arg)
{
	struct softnet_data *sd = this_cpu_ptr(&softnet_data);
	struct nc_backlog_count *c = arg;
	struct sk_buff *skb;

	skb_queue_walk(&sd->input_pkt_queue, skb)
		c->n += skb->dev == c->dev;
}

/* Let @cpu's backlog NAPI run again, and run it if something waits. */
static void nc_release_backlog(void *arg)
{
	struct softnet_data *sd = this_cpu_ptr(&softnet_data);

	(void)arg;
	clear_bit(NAPI_STATE_SCHED, &sd->backlog.state);
	if (skb_queue_len(&sd->input_pkt_queue) &&
	    !test_and_set_bit(NAPI_STATE_SCHED, &sd->backlog.state))
		__napi_schedule_irqoff(&sd->backlog);
}

/*
 * Fill this CPU's backlog with @dev's frames while owning the backlog's
 * NAPI (its SCHED bit), so nothing drains it.  Return: the CPU, or -1 if
 * the NAPI stayed busy.
 */
static int nc_fill_backlog(struct net_device *dev, struct sk_buff_head *skbs)
{
	struct softnet_data *sd;
	int cpu = -1;

	for (int tries = 0; tries < 1000 && cpu < 0; tries++) {
		local_bh_disable();
		sd = this_cpu_ptr(&softnet_data);
		if (!test_and_set_bit(NAPI_STATE_SCHED, &sd->backlog.state)) {
			struct sk_buff *skb;

			cpu = (int)smp_processor_id();
			while ((skb = skb_dequeue(skbs)))
				netif_rx(skb);
		}
		local_bh_enable();
		if (cpu < 0)
			msleep(1);
	}
	return cpu;
}

static void test_net_unregister_full_backlog(struct ktest *t)
{
	long baseline = skb_live_count();
	struct net_device *dev = nc_create();
	struct nc_backlog_count c = { 0 };
	struct sk_buff_head skbs;
	long drops;
	int cpu;

	KTEST_ASSERT_NOT_NULL(t, dev);
	skb_queue_head_init(&skbs);
	for (unsigned int i = 0; i < NETDEV_MAX_BACKLOG; i++) {
		struct sk_buff *skb = nc_frame(dev);

		if (skb)
			skb_queue_tail(&skbs, skb);
	}
	KTEST_EXPECT_EQ(t, skb_queue_len(&skbs), (unsigned int)NETDEV_MAX_BACKLOG);
	drops = atomic_long_read(&dev->rx_dropped);
	cpu = nc_fill_backlog(dev, &skbs);
	if (cpu < 0) {
		skb_queue_purge(&skbs);
		nc_destroy(dev);
		KTEST_SKIP(t, "the backlog NAPI stayed busy");
	}
	c.dev = dev;
	smp_call_function_single((unsigned int)cpu, nc_count_backlog, &c, true);
	KTEST_EXPECT_EQ(t, c.n, (unsigned int)NETDEV_MAX_BACKLOG);
	unregister_netdev(dev);
	c.n = 0;
	smp_call_function_single((unsigned int)cpu, nc_count_backlog, &c, true);
	KTEST_EXPECT_EQ(t, c.n, 0u);
	KTEST_EXPECT_EQ(t, atomic_long_read(&dev->rx_dropped), drops + NETDEV_MAX_BACKLOG);
	smp_call_function_single((unsigned int)cpu, nc_release_backlog, NULL, true);
	/* Whatever the backlog kept holds the device: free it once drained. */
	nc_expect_no_leak(t, baseline);
	free_netdev(dev);
}

static struct ktest_case net_core_cases[] = {
	KTEST_CASE(test_net_xmit_gated_on_open),
	KTEST_CASE(test_net_trace_events),
	KTEST_CASE(test_net_tap_nested_reader),
	KTEST_CASE(test_net_tap_close_during_unregister),
	KTEST_CASE(test_net_tap_remove_under_rx),
	KTEST_CASE(test_net_unregister_full_backlog),
	{}
};

static struct ktest_suite net_core_suite = {
	.name = "net_core",
	.cases = net_core_cases,
};
KTEST_SUITE(net_core_suite);
