// SPDX-License-Identifier: GPL-2.0
/*
 * Guest instructions per frame sent and per frame received through
 * virtio_net, 64 and 1514 bytes, between the two virtio-net NICs of
 * QEMU's hub (make bench passes QEMU_NET_DEVICES; without them the setup
 * fails, logged).
 *
 * QEMU moves a frame in its own thread, some time after the kick, so
 * the waiting is excluded: an operation builds the frame (not timed),
 * sends it with dev_queue_xmit(), then, with interrupts off and timing
 * paused, waits until an interrupt is pending in the local APIC's IRR
 * and lets it in.  Which vector it is decides whether its handling (the
 * handler, and the softirq run at its exit: NAPI poll, delivery or skb
 * freeing) is timed.  The receiver's IRQ is disabled until the sender's
 * completion was handled, so that the two never come in together:
 *
 *  - vnet_xmit_*: dev_queue_xmit() (the layer, start_xmit, the kick) and
 *    the sender's TX interrupt with the TX poll that frees the skb;
 *  - vnet_recv_*: the receiver's RX interrupt, its NAPI poll with its
 *    share of the ring refill, eth_type_trans() and the delivery to a
 *    packet tap, which frees the skb.
 *
 * The vectors are those of the per-queue MSI-X layout (virtio-pci vector
 * 1 is receiveq0, 2 transmitq0).  Under -icount the figures are exact
 * and the same for 64 and 1514 bytes: nothing copies the frame.
 */
#include <exo/bench.h>
#include <exo/bottom_half.h>
#include <exo/byteorder.h>
#include <exo/device.h>
#include <exo/etherdevice.h>
#include <exo/interrupt.h>
#include <exo/irq.h>
#include <exo/netdevice.h>
#include <exo/pci.h>
#include <exo/sched.h>
#include <exo/skbuff.h>
#include <exo/virtio.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

#define VNB_PROTO	ETH_P_LOCAL_EXP2
#define VNB_SPINS	(1UL << 30)

static struct {
	struct virtio_device *vdev[2];
	unsigned int nr;
	struct net_device *from, *to;
	u8 tx_vector, rx_vector;
	int rx_irq;
	unsigned long received;
	bool tap_added;
} vnb;

static int vnb_match(struct device *dev, void *data)
{
	struct virtio_device *vdev = dev_to_virtio(dev);

	(void)data;
	if (vdev->id.device == VIRTIO_ID_NET && vnb.nr < 2) {
		get_device(dev);
		vnb.vdev[vnb.nr++] = vdev;
	}
	return 0;
}

static struct net_device *vnb_netdev(struct virtio_device *vdev)
{
	struct net_device *dev, *found = NULL;

	rtnl_lock();
	for_each_netdev(&init_net, dev) {
		if (dev->dev.parent == &vdev->dev) {
			dev_hold(dev);
			found = dev;
			break;
		}
	}
	rtnl_unlock();
	return found;
}

static int vnb_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig_dev)
{
	(void)dev;
	(void)pt;
	(void)orig_dev;
	WRITE_ONCE(vnb.received, vnb.received + 1);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type vnb_tap = { .func = vnb_rcv };

/* The IRQ of MSI-X vector @nr of @vdev's PCI function, or -errno. */
static int vnb_irq(struct virtio_device *vdev, unsigned int nr)
{
	return pci_irq_vector(to_pci_dev(vdev->dev.parent), nr);
}

/* The CPU vector @irq is delivered on, or 0. */
static u8 vnb_vector(int irq)
{
	struct irq_desc *desc = irq >= 0 ? irq_to_desc(irq) : NULL;

	return desc ? desc->cfg.vector : 0;
}

static void vnb_release(void)
{
	if (vnb.tap_added)
		dev_remove_pack(&vnb_tap);
	vnb.tap_added = false;
	dev_put(vnb.from);
	dev_put(vnb.to);
	vnb.from = vnb.to = NULL;
	for (unsigned int i = 0; i < vnb.nr; i++)
		put_device(&vnb.vdev[i]->dev);
	vnb.nr = 0;
}

static int vnb_setup(struct bench *b)
{
	int ret = -ENODEV;

	(void)b;
	vnb.nr = 0;
	bus_for_each_dev(&virtio_bus, NULL, vnb_match);
	if (vnb.nr < 2) {
		pr_info("virtio_net_bench: no two virtio-net devices (QEMU_NET_DEVICES)\n");
		goto fail;
	}
	/* virtio_net.ko may still be probing (autoload runs from a work item). */
	for (int ms = 0; ms < 5000; ms += 10) {
		vnb.from = vnb_netdev(vnb.vdev[0]);
		vnb.to = vnb_netdev(vnb.vdev[1]);
		if (vnb.from && vnb.to)
			break;
		dev_put(vnb.from);
		dev_put(vnb.to);
		vnb.from = vnb.to = NULL;
		msleep(10);
	}
	if (!vnb.from || !vnb.to) {
		pr_info("virtio_net_bench: virtio_net is not bound\n");
		goto fail;
	}
	rtnl_lock();
	ret = dev_open(vnb.from, NULL) ?: dev_open(vnb.to, NULL);
	rtnl_unlock();
	if (ret)
		goto fail;
	for (int ms = 0; ms < 2000 && !(netif_carrier_ok(vnb.from) && netif_carrier_ok(vnb.to));
	     ms += 10)
		msleep(10);
	vnb.tx_vector = vnb_vector(vnb_irq(vnb.vdev[0], 2));
	vnb.rx_irq = vnb_irq(vnb.vdev[1], 1);
	vnb.rx_vector = vnb_vector(vnb.rx_irq);
	ret = -ENODEV;
	if (!vnb.tx_vector || !vnb.rx_vector || !netif_carrier_ok(vnb.to)) {
		pr_info("virtio_net_bench: no per-queue MSI-X vectors or no carrier\n");
		goto fail;
	}
	vnb_tap.type = cpu_to_be16(VNB_PROTO);
	vnb_tap.dev = vnb.to;
	dev_add_pack(&vnb_tap);
	vnb.tap_added = true;
	return 0;
fail:
	pr_err("virtio_net_bench: setup failed: %d\n", ret);
	vnb_release();
	return ret;
}

static void vnb_teardown(struct bench *b)
{
	(void)b;
	vnb_release();
}

static u64 vnb_tx_done(void)
{
	struct rtnl_link_stats64 st = {};

	dev_get_stats(vnb.from, &st);
	return st.tx_packets;
}

/* The highest vector pending in this CPU's IRR, or 0. */
static u8 vnb_pending(void)
{
	for (int i = 7; i >= 1; i--) {
		u32 irr = apic_read(APIC_IRR + i * 0x10);

		if (irr)
			return i * 32 + 31 - __builtin_clz(irr);
	}
	return 0;
}

/*
 * Let interrupts in, one pending vector at a time, until @done(); time
 * the handling of @timed_vector's.  Interrupts off, timing paused, on
 * entry and exit.  Return: false if nothing came for VNB_SPINS spins.
 */
static bool vnb_wait(struct bench *b, bool (*done)(unsigned long), unsigned long want,
		     u8 timed_vector)
{
	while (!done(want)) {
		unsigned long spins = 0;
		u8 v;

		while (!(v = vnb_pending()))
			if (++spins == VNB_SPINS)
				return false;
		if (v == timed_vector)
			bench_resume(b);
		local_irq_enable();
		while (vnb_pending() == v)
			cpu_relax();
		local_irq_disable();
		if (v == timed_vector)
			bench_pause(b);
	}
	return true;
}

static bool vnb_sent(unsigned long want)
{
	return vnb_tx_done() >= want;
}

static bool vnb_received(unsigned long want)
{
	return READ_ONCE(vnb.received) >= want;
}

/*
 * Send one frame of @len bytes, time the sender's part (@tx) or the
 * receiver's.  The receiver's interrupt is held (its IRQ disabled) until
 * the sender's completion was handled, so that each vector's work is
 * taken alone.  Interrupts off, timing paused, on entry and exit.
 * Return: false if the frame or its completion never came.
 */
static bool vnb_frame(struct bench *b, unsigned int len, bool tx)
{
	unsigned long want_rx = vnb.received + 1;
	u64 want_tx = vnb_tx_done() + 1;
	struct sk_buff *skb;
	struct ethhdr *eh;
	bool ok;

	skb = __netdev_alloc_skb(vnb.from, len, GFP_ATOMIC);
	if (!skb)
		return false;
	eh = skb_put_zero(skb, len);
	memcpy(eh->h_dest, vnb.to->dev_addr, ETH_ALEN);
	memcpy(eh->h_source, vnb.from->dev_addr, ETH_ALEN);
	eh->h_proto = cpu_to_be16(VNB_PROTO);
	skb->dev = vnb.from;
	disable_irq_nosync(vnb.rx_irq);
	if (tx)
		bench_resume(b);
	local_irq_enable();
	dev_queue_xmit(skb);
	local_irq_disable();
	if (tx)
		bench_pause(b);
	ok = vnb_wait(b, vnb_sent, want_tx, tx ? vnb.tx_vector : 0);
	enable_irq(vnb.rx_irq);
	return ok && vnb_wait(b, vnb_received, want_rx, tx ? 0 : vnb.rx_vector);
}

/* Timing runs from pause to resume only: the batch starts paused. */
static void vnb_run(struct bench *b, unsigned int ops, unsigned int len, bool tx)
{
	bench_pause(b);
	for (unsigned int i = 0; i < ops; i++) {
		if (!vnb_frame(b, len, tx)) {
			pr_err("virtio_net_bench: frame %u of %u never arrived\n", i, ops);
			break;
		}
	}
	bench_resume(b);
}

static void vnb_xmit_64(struct bench *b, unsigned int ops)
{
	vnb_run(b, ops, ETH_ZLEN + 4, true);
}

static void vnb_xmit_1514(struct bench *b, unsigned int ops)
{
	vnb_run(b, ops, ETH_FRAME_LEN, true);
}

static void vnb_recv_64(struct bench *b, unsigned int ops)
{
	vnb_run(b, ops, ETH_ZLEN + 4, false);
}

static void vnb_recv_1514(struct bench *b, unsigned int ops)
{
	vnb_run(b, ops, ETH_FRAME_LEN, false);
}

DEFINE_BENCH_FULL(vnet_xmit_64, .desc = "virtio_net: send a 64-byte frame and free it",
		  .setup = vnb_setup, .teardown = vnb_teardown, .run = vnb_xmit_64, .batches = 31);
DEFINE_BENCH_FULL(vnet_xmit_1514, .desc = "virtio_net: send a 1514-byte frame and free it",
		  .setup = vnb_setup, .teardown = vnb_teardown, .run = vnb_xmit_1514, .batches = 31);
DEFINE_BENCH_FULL(vnet_recv_64, .desc = "virtio_net: receive a 64-byte frame",
		  .setup = vnb_setup, .teardown = vnb_teardown, .run = vnb_recv_64, .batches = 31);
DEFINE_BENCH_FULL(vnet_recv_1514, .desc = "virtio_net: receive a 1514-byte frame",
		  .setup = vnb_setup, .teardown = vnb_teardown, .run = vnb_recv_1514, .batches = 31);
