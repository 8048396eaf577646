// SPDX-License-Identifier: GPL-2.0
/*
 * The e1000 suite, on the 82540EMs the emulator offers: in QEMU two of them
 * joined by hub 1 (QEMU_DEVICES in scripts/qemu-common.sh), in Bochs one
 * whose frames go nowhere (ethmod=null, scripts/run-bochs.sh).
 *
 * Both: the driver bound by modalias at boot, the MAC address from the
 * EEPROM, the carrier and a link-change interrupt, frames transmitted and
 * completed (TXDW interrupts, the device's own good-packets counter),
 * bad module parameters refused.  QEMU only (its model loops back and has
 * a peer): the frame test across the pair both ways, the PHY loopback
 * mode, and rmmod/modprobe cycles during traffic with every buffer
 * accounted for afterwards.  Bochs's model ignores the PHY's loopback bit
 * and its null network delivers nothing, so nothing is ever received
 * there, which the loopback case checks.
 *
 * The test reaches a bound device's state through its netdev's private
 * area (struct e1000_adapter, e1000.h) under device_lock(), so it works
 * with the driver as a module.  By default the pair test sends 2000 frames
 * each way and the module is reloaded 5 times during traffic;
 * e1000_test_full (make check's qemu-smp4 boot) makes that 50000 and 50
 * (the loopback case sends 2000 at most), and e1000_test_frames=N sets the
 * frames alone.
 */
#include <exo/bottom_half.h>
#include <exo/byteorder.h>
#include <exo/device.h>
#include <exo/dma-debug.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/etherdevice.h>
#include <exo/fault_inject.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/kmod.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/net_frametest.h>
#include <exo/netdevice.h>
#include <exo/pci.h>
#include <exo/pgtable.h>
#include <exo/sched.h>
#include <exo/skbuff.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/io.h>

#include "e1000.h"

#define NIC_MAX		4
#define QEMU_SUBVENDOR	0x1af4	/* QEMU's e1000 says subsystem 1af4:1100 */
/* IEEE 802 local experimental EtherType 2 (the frame test has 1). */
#define ETH_P_TEST	0x88b6
#define PROBE_MAGIC	0xe1000bedu
#define TEST_MAGIC	0xe1000e1fu

static struct pci_dev *nics[NIC_MAX];
static unsigned int nr_nic;
static unsigned long nr_frames = 2000;
static int nr_cycles = 5;

/* make check's full run: 100000 frames (50000 each way), 50 reload cycles. */
static int __init full_setup(const char *val)
{
	(void)val;
	nr_frames = 50000;
	nr_cycles = 50;
	return 0;
}
__setup("e1000_test_full", full_setup);

static int __init frames_setup(const char *val)
{
	unsigned long n;

	if (kstrtoul(val, 0, &n) || !n) {
		pr_err("e1000_test_frames=%s: not a positive number\n", val);
		return -EINVAL;
	}
	nr_frames = n;
	return 0;
}
__setup("e1000_test_frames=", frames_setup);

static bool is_qemu(const struct pci_dev *p)
{
	return p->subsystem_vendor == QEMU_SUBVENDOR;
}

static bool e1000_bound(struct pci_dev *p)
{
	return p->dev.driver && !strcmp(p->dev.driver->name, "e1000");
}

/* The bound device's netdev; fails the case if e1000 is not bound. */
static struct net_device *nic_netdev(struct ktest *t, struct pci_dev *p)
{
	struct net_device *nd;

	if (!e1000_bound(p)) {
		ktest_fail(t, __FILE__, __LINE__, "%s has no e1000 driver bound%s",
			   dev_name(&p->dev),
			   IS_MODULE(CONFIG_E1000) ? " (e1000.ko not loaded at boot?)" : "");
		ktest_abort(t);
	}
	nd = pci_get_drvdata(p);
	KTEST_ASSERT_NOT_NULL(t, nd);
	return nd;
}

static struct e1000_adapter *nic_adapter(struct ktest *t, struct pci_dev *p)
{
	return netdev_priv(nic_netdev(t, p));
}

static u32 nic_rd(struct e1000_adapter *a, unsigned int reg)
{
	return readl((u8 __iomem *)a->hw_addr + reg);
}

static void nic_wr(struct e1000_adapter *a, unsigned int reg, u32 v)
{
	writel(v, (u8 __iomem *)a->hw_addr + reg);
}

static int e1000t_init(struct ktest *t)
{
	struct pci_dev *p = NULL;

	(void)t;
	nr_nic = 0;
	while (nr_nic < NIC_MAX && (p = pci_get_device(0x8086, 0x100e, p))) {
		get_device(&p->dev);
		nics[nr_nic++] = p;
	}
	if (p)
		put_device(&p->dev);
	/*
	 * With modules=auto, e1000.ko comes from the modalias autoload,
	 * which runs on a workqueue: give it 10 s, then let a probe still
	 * running finish (it holds the device lock).
	 */
	for (int ms = 0; ms < 10000 && !device_autoload_idle(); ms += 10)
		msleep(10);
	for (unsigned int i = 0; i < nr_nic; i++) {
		device_lock(&nics[i]->dev);
		device_unlock(&nics[i]->dev);
	}
	return 0;
}

static void e1000t_exit(struct ktest *t)
{
	(void)t;
	while (nr_nic)
		put_device(&nics[--nr_nic]->dev);
}

/* Neither emulator's e1000 has MSI: without an INTx route it cannot probe. */
static bool nic_has_irq(const struct pci_dev *p)
{
	return p->msi_cap || p->msix_cap || p->irq_gsi;
}

#define NEED_NIC(t) do {						\
	if (!nr_nic)							\
		KTEST_SKIP(t, "no 82540EM (QEMU -device e1000)");	\
	if (!nic_has_irq(nics[0]))					\
		KTEST_SKIP(t, "no MSI and no INTx route (no I/O APIC: acpi=off?)"); \
} while (0)
#define NEED_PAIR(t) do {						\
	NEED_NIC(t);							\
	if (nr_nic < 2 || !is_qemu(nics[0]))				\
		KTEST_SKIP(t, "needs two QEMU e1000s on one hub (QEMU_DEVICES)"); \
} while (0)

/* Bring every NIC up; wait (5 s at most) for each carrier. */
static void nics_up(struct ktest *t)
{
	for (unsigned int i = 0; i < nr_nic; i++) {
		struct net_device *nd = nic_netdev(t, nics[i]);
		int ret = 0, ms;

		rtnl_lock();
		if (!(nd->flags & IFF_UP))
			ret = dev_open(nd, NULL);
		rtnl_unlock();
		KTEST_ASSERT_EQ(t, ret, 0);
		for (ms = 0; ms < 5000 && !netif_carrier_ok(nd); ms += 10)
			msleep(10);
		KTEST_EXPECT_TRUE(t, netif_carrier_ok(nd));
	}
}

/* --- test frames ----------------------------------------------------------- */

/* Payload after the header: magic, sender index, sequence, then a pattern. */
struct test_hdr {
	u32 magic;
	u32 from;
	u32 seq;
};

struct test_rx {
	struct packet_type pt;
	u32 magic;			/* the frames counted; other known ones ignored */
	atomic_long_t frames[NIC_MAX];	/* by receiving NIC */
	atomic_long_t bad;
};

static u8 pattern(u32 seq, unsigned int i)
{
	return (u8)(seq * 7 + i);
}

static int nic_index(struct net_device *nd)
{
	for (unsigned int i = 0; i < nr_nic; i++)
		if (e1000_bound(nics[i]) && pci_get_drvdata(nics[i]) == nd)
			return i;
	return -1;
}

static int test_rx_func(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
			struct net_device *orig_dev)
{
	struct test_rx *rx = container_of(pt, struct test_rx, pt);
	const struct test_hdr *h = (const void *)skb->data;
	int to = nic_index(dev);
	bool ok;

	(void)orig_dev;
	if (skb->len >= sizeof(*h) && h->magic != rx->magic &&
	    (h->magic == TEST_MAGIC || h->magic == PROBE_MAGIC)) {
		kfree_skb(skb);		/* a late one of another tap's kind */
		return 0;
	}
	ok = to >= 0 && skb->len >= sizeof(*h) && h->magic == rx->magic && h->from < NIC_MAX;
	for (unsigned int i = sizeof(*h); ok && i < skb->len; i++)
		ok = skb->data[i] == pattern(h->seq, i);
	if (ok)
		atomic_long_inc(&rx->frames[to]);
	else
		atomic_long_inc(&rx->bad);
	kfree_skb(skb);
	return 0;
}

static void test_rx_start(struct test_rx *rx, u32 magic)
{
	memset(rx, 0, sizeof(*rx));
	rx->magic = magic;
	rx->pt.type = htons(ETH_P_TEST);
	rx->pt.func = test_rx_func;
	dev_add_pack(&rx->pt);
}

/*
 * One frame of @len bytes (header included) from @nd to @dst.
 * Return: dev_queue_xmit()'s result, or -ENOMEM.
 */
static int send_frame(struct net_device *nd, const u8 *dst, u32 magic, u32 from, u32 seq,
		      unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len + NET_IP_ALIGN, GFP_KERNEL);
	struct test_hdr *h;
	u8 *eth, *p;

	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, NET_IP_ALIGN);
	eth = skb_put(skb, ETH_HLEN);
	memcpy(eth, dst, ETH_ALEN);
	memcpy(eth + ETH_ALEN, nd->dev_addr, ETH_ALEN);
	eth[12] = ETH_P_TEST >> 8;
	eth[13] = ETH_P_TEST & 0xff;
	h = skb_put(skb, sizeof(*h));
	h->magic = magic;
	h->from = from;
	h->seq = seq;
	p = skb_put(skb, len - ETH_HLEN - sizeof(*h));
	for (unsigned int i = sizeof(*h); i < len - ETH_HLEN; i++)
		p[i - sizeof(*h)] = pattern(seq, i);
	skb->dev = nd;
	return dev_queue_xmit(skb);
}

/* Frame length for sequence number @seq: all of 60..1514 in turn. */
static unsigned int frame_len(u32 seq)
{
	return ETH_ZLEN + (seq * 37) % (ETH_FRAME_LEN - ETH_ZLEN + 1);
}

/* RX buffers @a has posted (the rings exist while the interface is up). */
static unsigned int rx_posted(const struct e1000_adapter *a)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < a->rx.count; i++)
		n += READ_ONCE(a->rx.rx_buf[i].skb) != NULL;
	return n;
}

/*
 * Until @a's RX ring holds all the buffers it takes (one slot stays
 * empty), at most 3 s: a poll whose GFP_ATOMIC refill failed (KASAN
 * builds) leaves the rest to refill_work, and skbs it posts after the
 * frame test's baseline would count as the test's own.
 */
static void rx_ring_settle(struct e1000_adapter *a)
{
	for (int ms = 0; ms < 3000 && rx_posted(a) < a->rx.count - 1; ms += 10)
		msleep(10);
}

/* Frames a sender may have on the way before the receiver took them. */
/*
 * The frame test (net/core/frametest.c) between NICs 0 and 1 both ways at
 * once, or from NIC 0 to itself when @loop: @n frames of 60..1514 bytes
 * per direction, every byte and the order checked, no skb left over.
 * QEMU drops a looped-back frame when the RX ring is full (it queues hub
 * traffic instead), so the window stays below the 256-descriptor ring.
 */
static void frames_across(struct ktest *t, unsigned long n, bool loop)
{
	struct net_frametest_params p = {
		.tx_dev = nic_netdev(t, nics[0]),
		.rx_dev = nic_netdev(t, nics[loop ? 0 : 1]),
		.count = n,
		.seed = 0xe1000,
		.both_ways = !loop,
		.window = 128,
		.timeout_ms = 10000,
	};
	struct net_frametest_result r;
	int ret;

	rx_ring_settle(nic_adapter(t, nics[0]));
	if (!loop)
		rx_ring_settle(nic_adapter(t, nics[1]));
	ret = net_frametest_run(&p, &r);

	net_frametest_print(loop ? "e1000 PHY loopback" : "e1000 pair", &r);
	KTEST_EXPECT_EQ(t, ret, 0);
	KTEST_EXPECT_EQ(t, r.received, r.sent);
	KTEST_EXPECT_EQ(t, r.sent, loop ? n : 2 * n);
	KTEST_EXPECT_EQ(t, r.bad + r.out_of_order + r.lost, 0ul);
	KTEST_EXPECT_EQ(t, r.skb_delta, 0l);
	ktest_log(t, "%lu frames of 60..1514 bytes%s in %llu ms", r.received,
		  loop ? " looped back" : " across the hub, both ways", r.ns / NSEC_PER_MSEC);
}

/*
 * QEMU holds received frames back for a while after RCTL is written (its
 * flush timer), and drops looped-back ones meanwhile: send probe frames
 * from NIC 0 (to itself when @loop, else to NIC 1) until one arrives,
 * 5 s at most.
 */
static void rx_ready(struct ktest *t, bool loop)
{
	struct net_device *nd = nic_netdev(t, nics[0]);
	const u8 *dst = nic_netdev(t, nics[loop ? 0 : 1])->dev_addr;
	struct test_rx *rx = kzalloc(sizeof(*rx), GFP_KERNEL);
	int ms;

	KTEST_ASSERT_NOT_NULL(t, rx);
	test_rx_start(rx, PROBE_MAGIC);
	for (ms = 0; ms < 5000 && !atomic_long_read(&rx->frames[loop ? 0 : 1]); ms += 20) {
		send_frame(nd, dst, PROBE_MAGIC, 0, 0, ETH_ZLEN);
		msleep(20);
	}
	dev_remove_pack(&rx->pt);
	KTEST_EXPECT_GT(t, atomic_long_read(&rx->frames[loop ? 0 : 1]), 0l);
	kfree(rx);
}

/* --- cases ----------------------------------------------------------------- */

/* Bound at boot by modalias (no insmod), each with its own EEPROM address. */
static void test_e1000_bound(struct ktest *t)
{
	NEED_NIC(t);
	for (unsigned int i = 0; i < nr_nic; i++) {
		struct net_device *nd = nic_netdev(t, nics[i]);
		struct e1000_adapter *a = netdev_priv(nd);

		KTEST_EXPECT_TRUE(t, is_valid_ether_addr(nd->dev_addr));
		KTEST_EXPECT_EQ(t, nd->reg_state, NETREG_REGISTERED);
		KTEST_EXPECT_EQ(t, a->pdev, nics[i]);
		for (unsigned int j = 0; j < i; j++)
			KTEST_EXPECT_NE(t, memcmp(nd->dev_addr, nic_netdev(t, nics[j])->dev_addr,
						  ETH_ALEN), 0);
		ktest_log(t, "%s: %s, %02x:%02x:%02x:%02x:%02x:%02x, IRQ %d (%s)",
			  dev_name(&nics[i]->dev), nd->name, nd->dev_addr[0], nd->dev_addr[1],
			  nd->dev_addr[2], nd->dev_addr[3], nd->dev_addr[4], nd->dev_addr[5],
			  a->irq, a->msi ? "MSI" : "INTx");
	}
	if (IS_MODULE(CONFIG_E1000))
		KTEST_EXPECT_NOT_NULL(t, find_module("e1000"));
}

/*
 * The carrier follows STATUS.LU once up, and a link status change
 * interrupt (raised through ICS) reaches the handler and link_work.
 */
static void test_e1000_link_irq(struct ktest *t)
{
	NEED_NIC(t);
	nics_up(t);
	for (unsigned int i = 0; i < nr_nic; i++) {
		struct e1000_adapter *a;
		u64 irqs, lsc;
		int ms;

		device_lock(&nics[i]->dev);
		a = nic_adapter(t, nics[i]);
		KTEST_EXPECT_TRUE(t, nic_rd(a, E1000_STATUS) & E1000_STATUS_LU);
		KTEST_EXPECT_TRUE(t, netif_carrier_ok(a->netdev));
		irqs = READ_ONCE(a->sw.irqs);
		lsc = READ_ONCE(a->sw.lsc);
		nic_wr(a, E1000_ICS, E1000_ICR_LSC);
		for (ms = 0; ms < 2000 && READ_ONCE(a->sw.lsc) == lsc; ms++)
			msleep(1);
		KTEST_EXPECT_GT(t, READ_ONCE(a->sw.irqs), irqs);
		KTEST_EXPECT_GT(t, READ_ONCE(a->sw.lsc), lsc);
		flush_work(&a->link_work);
		KTEST_EXPECT_TRUE(t, netif_carrier_ok(a->netdev));
		device_unlock(&nics[i]->dev);
	}
}

/*
 * Frames sent to a nobody address complete: DD written back, TXDW
 * interrupts, the driver's and the device's transmit counters agree.
 * The only transmit test Bochs's null network allows.
 */
static void test_e1000_tx(struct ktest *t)
{
	static const u8 nobody[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };
	const unsigned int n = 300;

	NEED_NIC(t);
	nics_up(t);
	for (unsigned int i = 0; i < nr_nic; i++) {
		struct rtnl_link_stats64 st0, st1;
		struct e1000_adapter *a;
		u64 irqs, gptc;
		int ms;

		device_lock(&nics[i]->dev);
		a = nic_adapter(t, nics[i]);
		dev_get_stats(a->netdev, &st0);
		gptc = a->hw.gptc;
		irqs = READ_ONCE(a->sw.irqs);
		for (unsigned int k = 0; k < n; k++) {
			int ret = send_frame(a->netdev, nobody, TEST_MAGIC, i, k, frame_len(k));

			if (ret == NET_XMIT_DROP) {
				k--;
				yield();
				continue;
			}
			KTEST_EXPECT_EQ(t, ret, NET_XMIT_SUCCESS);
		}
		for (ms = 0; ms < 5000; ms += 10) {
			dev_get_stats(a->netdev, &st1);
			if (st1.tx_packets - st0.tx_packets >= n)
				break;
			msleep(10);
		}
		KTEST_EXPECT_EQ(t, st1.tx_packets - st0.tx_packets, (u64)n);
		KTEST_EXPECT_EQ(t, a->hw.gptc - gptc, (u64)n);
		KTEST_EXPECT_EQ(t, st1.tx_dropped, st0.tx_dropped);
		KTEST_EXPECT_GT(t, READ_ONCE(a->sw.irqs), irqs);
		ktest_log(t, "%s: %u frames sent, %llu interrupts", a->netdev->name, n,
			  (unsigned long long)(READ_ONCE(a->sw.irqs) - irqs));
		device_unlock(&nics[i]->dev);
	}
}

/* The frame test across the hub, both ways at once. */
static void test_e1000_frames(struct ktest *t)
{
	NEED_PAIR(t);
	nics_up(t);
	rx_ready(t, false);
	frames_across(t, nr_frames, false);
}

/* --- the RX refill --------------------------------------------------------- */

/* Send @n test frames from NIC 0 to NIC 1; wait until @rx counted @want at NIC 1. */
static bool frames_to_1(struct ktest *t, struct test_rx *rx, unsigned int n, long want)
{
	struct net_device *nd = nic_netdev(t, nics[0]);
	const u8 *dst = nic_netdev(t, nics[1])->dev_addr;

	for (u32 i = 0; i < n; i++)
		send_frame(nd, dst, TEST_MAGIC, 0, i, ETH_ZLEN);
	for (int ms = 0; ms < 2000 && atomic_long_read(&rx->frames[1]) < want; ms++)
		msleep(1);
	return atomic_long_read(&rx->frames[1]) >= want;
}

/* Both NICs up and passing frames; a tap counting TEST_MAGIC frames (NULL: no memory). */
static struct test_rx *nic1_rx_start(struct ktest *t, struct e1000_adapter **a)
{
	struct test_rx *rx;

	nics_up(t);
	rx_ready(t, false);
	*a = nic_adapter(t, nics[1]);
	rx = kzalloc(sizeof(*rx), GFP_KERNEL);
	if (rx)
		test_rx_start(rx, TEST_MAGIC);
	return rx;
}

/*
 * An interrupt while refill_work holds NAPI disabled masks the device and
 * cannot schedule the poll: refill_work must run it once NAPI is enabled
 * again, or the device stays masked for good.  Made deterministic by
 * holding NAPI here until the interrupt has come (IMS reads 0), then
 * letting refill_work take NAPI over from us.
 */
static void test_e1000_refill_irq_in_window(struct ktest *t)
{
	struct e1000_adapter *a;
	struct test_rx *rx;
	u64 irqs;

	NEED_PAIR(t);
	rx = nic1_rx_start(t, &a);
	KTEST_ASSERT_NOT_NULL(t, rx);
	irqs = READ_ONCE(a->sw.irqs);
	napi_disable(&a->napi);
	frames_to_1(t, rx, 4, 0);
	for (int ms = 0; ms < 2000 && (READ_ONCE(a->sw.irqs) == irqs || nic_rd(a, E1000_IMS)); ms++)
		msleep(1);
	KTEST_EXPECT_NE(t, READ_ONCE(a->sw.irqs), irqs);
	KTEST_EXPECT_EQ(t, nic_rd(a, E1000_IMS), 0u);
	KTEST_EXPECT_EQ(t, atomic_long_read(&rx->frames[1]), 0l);
	/* refill_work waits in its napi_disable() until we let go. */
	schedule_delayed_work(&a->refill_work, 0);
	msleep(20);
	napi_enable(&a->napi);
	flush_delayed_work(&a->refill_work);
	KTEST_EXPECT_TRUE(t, frames_to_1(t, rx, 0, 4));
	KTEST_EXPECT_NE(t, nic_rd(a, E1000_IMS), 0u);
	dev_remove_pack(&rx->pt);
	kfree(rx);
}

#ifdef CONFIG_FAULT_INJECTION
/* Fail every allocation (@on) or none; @saved keeps and restores the settings. */
static void refill_fail_all(struct fault_attr *attr, struct fault_attr *saved, bool on)
{
	if (on) {
		*saved = *attr;
		attr->verbose = 0;
		attr->interval = 1;
		attr->space = 0;
		attr->task = NULL;
		attr->times = -1;
		WRITE_ONCE(attr->probability, 100);
		return;
	}
	WRITE_ONCE(attr->probability, 0);
	attr->verbose = saved->verbose;
	attr->interval = saved->interval;
	attr->space = saved->space;
	attr->task = saved->task;
	attr->times = saved->times;
	WRITE_ONCE(attr->probability, saved->probability);
}

/*
 * RX under memory pressure: every allocation fails (fail_slab and
 * fail_page_alloc) while NIC 1's poll takes frames, so it cannot post
 * new buffers and hands the refill to refill_work, which fails too and
 * retries, once per HZ / 10 and not back to back with the poll; once
 * memory is back the ring fills again and the frame test passes with
 * nothing lost.
 */
static void test_e1000_refill_under_pressure(struct ktest *t)
{
	struct fault_attr saved[2];
	struct e1000_adapter *a;
	struct test_rx *rx;
	u64 failed, works, runs, start, ms;

	NEED_PAIR(t);
	rx = nic1_rx_start(t, &a);
	KTEST_ASSERT_NOT_NULL(t, rx);
	failed = READ_ONCE(a->sw.rx_alloc_failed);
	works = READ_ONCE(a->sw.refill_work);
	/* The frames wait in the ring while NAPI is held: sent before memory runs out. */
	napi_disable(&a->napi);
	frames_to_1(t, rx, 32, 0);
	msleep(50);
	refill_fail_all(&fail_slab, &saved[0], true);
	refill_fail_all(&fail_page_alloc, &saved[1], true);
	start = ktime_get_ns();
	napi_enable(&a->napi);
	local_bh_disable();
	napi_schedule(&a->napi);
	local_bh_enable();
	for (int i = 0; i < 2000 && READ_ONCE(a->sw.refill_work) < works + 2; i++)
		msleep(1);
	/* Memory stays short a while longer: the retries keep their pace. */
	msleep(300);
	runs = READ_ONCE(a->sw.refill_work) - works;
	ms = (ktime_get_ns() - start) / 1000000;
	refill_fail_all(&fail_page_alloc, &saved[1], false);
	refill_fail_all(&fail_slab, &saved[0], false);
	KTEST_EXPECT_GT(t, READ_ONCE(a->sw.rx_alloc_failed), failed);
	KTEST_EXPECT_GE(t, runs, 2ULL);
	/* One retry per HZ / 10 (and the first at once), not back to back. */
	KTEST_EXPECT_LE(t, runs, ms / 100 + 3);
	KTEST_EXPECT_TRUE(t, frames_to_1(t, rx, 0, 32));
	ktest_log(t, "%llu allocations failed, refill_work ran %llu times in %llu ms",
		  (unsigned long long)(READ_ONCE(a->sw.rx_alloc_failed) - failed),
		  (unsigned long long)runs, (unsigned long long)ms);
	dev_remove_pack(&rx->pt);
	kfree(rx);
	/* The ring is whole again: the frame test loses nothing. */
	msleep(200);
	frames_across(t, 500, false);
}
#endif

/* --- module reloads --------------------------------------------------------- */

/*
 * modprobe e1000 @args.  The Bochs boot has no module archive (GRUB hands
 * each .ko over alone), so there the boot module is loaded directly.
 */
static int e1000_modprobe(const char *args)
{
	const void *img;
	size_t len;
	int ret = modprobe("e1000", args);

	if (ret == -ENOENT && (img = boot_module_find("e1000", &len)))
		ret = load_module_args(img, len, args, NULL);
	return ret;
}

/* e1000.ko out, then in again with @args; every NIC bound again. */
static int reload(struct ktest *t, const char *args)
{
	int ret = modprobe_remove("e1000");

	if (ret) {
		ktest_fail(t, __FILE__, __LINE__, "modprobe -r e1000: %d", ret);
		return ret;
	}
	ret = e1000_modprobe(args);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < nr_nic; i++)
		if (!e1000_bound(nics[i])) {
			ktest_fail(t, __FILE__, __LINE__, "%s not bound after modprobe e1000 %s",
				   dev_name(&nics[i]->dev), args ? args : "");
			return -ENODEV;
		}
	return 0;
}

/*
 * One cycle of the driver: e1000.ko out and in again, or (built in)
 * every NIC unbound and bound again.  Return: 0 or a negative errno.
 */
static int cycle(struct ktest *t)
{
	if (IS_MODULE(CONFIG_E1000))
		return reload(t, NULL);
	for (unsigned int i = 0; i < nr_nic; i++) {
		device_release_driver(&nics[i]->dev);
		if (device_attach(&nics[i]->dev) != 1 || !e1000_bound(nics[i])) {
			ktest_fail(t, __FILE__, __LINE__, "%s: rebind failed",
				   dev_name(&nics[i]->dev));
			return -ENODEV;
		}
	}
	return 0;
}

#define NEED_MODULE(t) do {						\
	if (!IS_MODULE(CONFIG_E1000))					\
		KTEST_SKIP(t, "e1000 is built in: no parameters to reload with"); \
	if (!find_module("e1000"))					\
		KTEST_SKIP(t, "e1000.ko is not loaded");		\
} while (0)

/*
 * loopback=1: the PHY loops each frame back.  QEMU's model delivers it to
 * the same NIC; Bochs's ignores the bit and sends it out to nothing.
 */
static void test_e1000_loopback(struct ktest *t)
{
	NEED_NIC(t);
	NEED_MODULE(t);
	KTEST_ASSERT_EQ(t, reload(t, "loopback=1"), 0);
	nics_up(t);
	KTEST_EXPECT_TRUE(t, nic_adapter(t, nics[0])->loopback);
	if (is_qemu(nics[0])) {
		rx_ready(t, true);
		frames_across(t, min(nr_frames, 2000ul), true);
	} else {
		struct test_rx *rx = kzalloc(sizeof(*rx), GFP_KERNEL);
		struct net_device *nd = nic_netdev(t, nics[0]);

		KTEST_ASSERT_NOT_NULL(t, rx);
		test_rx_start(rx, TEST_MAGIC);
		for (unsigned int k = 0; k < 20; k++)
			send_frame(nd, nd->dev_addr, TEST_MAGIC, 0, k, frame_len(k));
		/* Bochs completes a transmission 10 us after TDT is written. */
		msleep(50);
		dev_remove_pack(&rx->pt);
		KTEST_EXPECT_EQ(t, atomic_long_read(&rx->frames[0]), 0l);
		ktest_log(t, "this model does not loop back: %ld of 20 frames came back",
			  atomic_long_read(&rx->frames[0]));
		kfree(rx);
	}
	KTEST_EXPECT_EQ(t, reload(t, NULL), 0);
}

/* Bad values: modprobe fails, the module stays out, the old one comes back. */
static void test_e1000_bad_params(struct ktest *t)
{
	static const char *const bad[] = {
		"rx_ring_size=7", "rx_ring_size=100", "tx_ring_size=0", "tx_ring_size=8192",
		"loopback=maybe", "rx_ring_size=-1", "tx_ring_size=12",
	};

	NEED_NIC(t);
	NEED_MODULE(t);
	KTEST_ASSERT_EQ(t, modprobe_remove("e1000"), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = e1000_modprobe(bad[i]);

		if (ret >= 0 || find_module("e1000")) {
			ktest_fail(t, __FILE__, __LINE__, "modprobe e1000 %s: %d, module %s", bad[i],
				   ret, find_module("e1000") ? "loaded" : "not loaded");
			modprobe_remove("e1000");
		}
	}
	KTEST_EXPECT_EQ(t, e1000_modprobe("rx_ring_size=64 tx_ring_size=32"), 0);
	nics_up(t);
	KTEST_EXPECT_EQ(t, nic_adapter(t, nics[0])->rx.count, 64u);
	KTEST_EXPECT_EQ(t, nic_adapter(t, nics[0])->tx.count, 32u);
	KTEST_EXPECT_EQ(t, reload(t, NULL), 0);
}

/* What a cycle must give back. */
enum { B_SKBS, B_OBJECTS, B_MODULES, B_PAGES, B_NR };

static const char *const b_names[B_NR] = { "skbs", "kmalloc objects", "modules", "free pages" };

static void baseline_take(unsigned long *b)
{
	b[B_SKBS] = skb_live_count();
	b[B_OBJECTS] = kmalloc_usage(NULL);
	b[B_MODULES] = module_nr_loaded();
	b[B_PAGES] = ktest_settled_free_pages() + nr_pgtable_pages();
}

/*
 * skbs and modules exact; kmalloc objects must not grow (the debug
 * options' own state, idle workers and the like may shrink meanwhile);
 * free pages within PAGE_SLACK: thousands of frames of every size leave
 * kmalloc slabs partly used, while a ring page lost per cycle would be
 * 100 pages after 50 cycles.  The skb count and the DMA check catch a
 * single lost buffer.
 */
#define PAGE_SLACK	64

static void baseline_check(struct ktest *t, const unsigned long *b)
{
	unsigned long now[B_NR];

	baseline_take(now);
	for (int i = 0; i < B_NR; i++)
		if (i == B_PAGES ? now[i] + PAGE_SLACK < b[i] :
		    i == B_OBJECTS ? now[i] > b[i] : now[i] != b[i])
			ktest_fail(t, __FILE__, __LINE__, "%s: %lu, %lu before", b_names[i], now[i],
				   b[i]);
}

/* A thread keeping NIC @from busy sending to the other, across reloads. */
struct traffic {
	struct pci_dev *p;
	u8 dst[ETH_ALEN];	/* the peer's address (its netdev may go any time) */
	unsigned int from;
	struct task_struct *task;
	unsigned long frames, bursts;
};

static int traffic_fn(void *arg)
{
	struct traffic *tr = arg;
	u32 seq = 0;

	while (!kthread_should_stop()) {
		device_lock(&tr->p->dev);
		if (e1000_bound(tr->p)) {
			struct net_device *nd = pci_get_drvdata(tr->p);

			if (!(nd->flags & IFF_UP)) {
				rtnl_lock();
				dev_open(nd, NULL);
				rtnl_unlock();
			}
			for (int k = 0; k < 32; k++, seq++)
				if (send_frame(nd, tr->dst, TEST_MAGIC, tr->from, seq, frame_len(seq)) ==
				    NET_XMIT_SUCCESS)
					tr->frames++;
			tr->bursts++;
		}
		device_unlock(&tr->p->dev);
		msleep(1);
	}
	return 0;
}

/*
 * 5 (e1000_test_full: 50) cycles of rmmod e1000 / modprobe e1000 (built
 * in: unbind and bind each NIC) while both NICs send to each other (the frames then on the rings are freed by
 * close); every 10th cycle and the last wait for frames to arrive.
 * Afterwards the skbs, kmalloc objects, modules and pages are back to
 * what they were after the warm-up cycles, and no DMA mapping is left
 * once the module is out.
 */
static void test_e1000_rmmod_during_traffic(struct ktest *t)
{
	struct traffic tr[2] = {};
	unsigned long base[B_NR];
	struct test_rx *rx;
	int cycles = 0;

	NEED_PAIR(t);
	if (IS_MODULE(CONFIG_E1000) && !find_module("e1000"))
		KTEST_SKIP(t, "e1000.ko is not loaded");
	for (int i = 0; i < 3; i++)
		KTEST_ASSERT_EQ(t, cycle(t), 0);
	nics_up(t);
	msleep(100);
	baseline_take(base);
	rx = kzalloc(sizeof(*rx), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, rx);
	test_rx_start(rx, TEST_MAGIC);
	for (unsigned int i = 0; i < 2; i++) {
		tr[i].p = nics[i];
		/* The EEPROM's address: the same after every cycle. */
		memcpy(tr[i].dst, nic_netdev(t, nics[1 - i])->dev_addr, ETH_ALEN);
		tr[i].from = i;
		tr[i].task = kthread_run(traffic_fn, &tr[i], "e1000tr-%u", i);
		KTEST_ASSERT_FALSE(t, IS_ERR(tr[i].task));
	}
	for (; cycles < nr_cycles; cycles++) {
		if (cycle(t))
			break;
		/* QEMU holds RX back for a while after each open: wait for some. */
		if (cycles % 10 == 9 || cycles == nr_cycles - 1) {
			long seen = atomic_long_read(&rx->frames[0]) + atomic_long_read(&rx->frames[1]);

			for (int ms = 0; ms < 5000 && atomic_long_read(&rx->frames[0]) +
			     atomic_long_read(&rx->frames[1]) == seen; ms += 10)
				msleep(10);
		}
	}
	for (unsigned int i = 0; i < 2; i++)
		kthread_stop(tr[i].task);
	dev_remove_pack(&rx->pt);
	KTEST_EXPECT_EQ(t, cycles, nr_cycles);
	KTEST_EXPECT_EQ(t, atomic_long_read(&rx->bad), 0l);
	KTEST_EXPECT_GT(t, atomic_long_read(&rx->frames[0]) + atomic_long_read(&rx->frames[1]),
			0l);
	ktest_log(t, "%d %s cycles, %lu + %lu frames sent, %ld received", cycles,
		  IS_MODULE(CONFIG_E1000) ? "rmmod/modprobe" : "unbind/bind", tr[0].frames,
		  tr[1].frames,
		  atomic_long_read(&rx->frames[0]) + atomic_long_read(&rx->frames[1]));
	kfree(rx);
	if (IS_MODULE(CONFIG_E1000))
		KTEST_ASSERT_EQ(t, modprobe_remove("e1000"), 0);
	else
		for (unsigned int i = 0; i < 2; i++)
			device_release_driver(&nics[i]->dev);
	for (unsigned int i = 0; i < 2; i++)
		KTEST_EXPECT_EQ(t, dma_debug_device_count(&nics[i]->dev), 0u);
	if (IS_MODULE(CONFIG_E1000))
		KTEST_ASSERT_EQ(t, e1000_modprobe(NULL), 0);
	else
		for (unsigned int i = 0; i < 2; i++)
			KTEST_ASSERT_EQ(t, device_attach(&nics[i]->dev), 1);
	nics_up(t);
	msleep(100);
	baseline_check(t, base);
}

static struct ktest_case e1000_cases[] = {
	KTEST_CASE(test_e1000_bound),
	KTEST_CASE(test_e1000_link_irq),
	KTEST_CASE(test_e1000_tx),
	KTEST_CASE(test_e1000_frames),
	KTEST_CASE(test_e1000_loopback),
	KTEST_CASE(test_e1000_refill_irq_in_window),
#ifdef CONFIG_FAULT_INJECTION
	KTEST_CASE(test_e1000_refill_under_pressure),
#endif
	/* Slow only in Bochs (ktest_quick): each refused load costs there. */
	KTEST_CASE_FLAGS(test_e1000_bad_params, KTEST_F_SLOW),
	KTEST_CASE_FLAGS(test_e1000_rmmod_during_traffic, KTEST_F_SLOW),
	{}
};

static struct ktest_suite e1000_suite = {
	.name = "e1000",
	.cases = e1000_cases,
	.init = e1000t_init,
	.exit = e1000t_exit,
};
KTEST_SUITE(e1000_suite);
