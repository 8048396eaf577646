// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of virtio_net on two QEMU virtio-net NICs joined by
 * QEMU's internal hub (QEMU_NET_DEVICES in scripts/qemu-common.sh): what
 * one sends, the other receives, and nothing reaches the host.
 *
 * Frame test: a sender per CPU (up to VN_MAX_STREAMS), half of them on
 * each NIC, send frames of 60 to 1514 bytes whose sizes and contents
 * follow from (stream, sequence number); a packet tap on the other NIC
 * checks every frame: the sequence numbers of a stream arrive in order
 * with none missing (the hub and the rings keep the order of a TX
 * queue), the length and every payload byte are right.  The devices'
 * counters must agree.  Then virtio_net is unloaded (the devices
 * unbound when it is built in): skbs, kmalloc objects and pages must be
 * back to the baseline taken with it unloaded before.
 *
 * Cycles: rmmod/modprobe of virtio_net (unbind/bind when built in) while
 * a sender per CPU keeps transmitting on whichever device exists, with
 * the same leak check at the end.
 *
 * virtio_net_test_frames=N sets the frames of the frame test (default
 * 2000; make check's q35 boot sends 100 000); virtio_net_test_cycles=N
 * the cycles (default 10; make check's -smp 4 boots run 50).  Skipped
 * without two virtio-net devices (Bochs; boots with their own device set).
 */
#include <exo/bottom_half.h>
#include <exo/byteorder.h>
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/etherdevice.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/kmod.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/netdevice.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/sched.h>
#include <exo/skbuff.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/virtio.h>
#include <exo/wait.h>

#define VN_DEVS		2
#define VN_MAX_STREAMS	8
#define VN_PROTO	ETH_P_LOCAL_EXP2
#define VN_MAGIC	0x76697274u	/* "virt" */
#define VN_PAGE_SLACK	4
#define VN_WAIT_MS	30000
/*
 * Frames a stream may have in flight.  QEMU's hub reorders frames when
 * the receiver has no free buffer: the frame that found none waits in the
 * receiver's queue while the next ones wait in the hub's, and buffers
 * added later flush the hub's queue first (qemu_flush_queued_packets()).
 * The streams of one receiver together (VN_RX_INFLIGHT) stay below its
 * 256 buffers less the half budget (32) a refill may wait for, so order
 * is the device's and the driver's, not the hub's.
 */
#define VN_RX_INFLIGHT	192

static unsigned long nr_frames = 2000;
static unsigned long nr_cycles = 10;

/* A positive count from the command line into @dst.  Return: 0 or -EINVAL. */
static int __init count_setup(const char *name, const char *val, unsigned long *dst)
{
	unsigned long n;

	if (kstrtoul(val, 0, &n) || !n) {
		pr_err("%s=%s: not a positive number\n", name, val);
		return -EINVAL;
	}
	*dst = n;
	return 0;
}

static int __init frames_setup(const char *val)
{
	return count_setup("virtio_net_test_frames", val, &nr_frames);
}
__setup("virtio_net_test_frames=", frames_setup);

static int __init cycles_setup(const char *val)
{
	return count_setup("virtio_net_test_cycles", val, &nr_cycles);
}
__setup("virtio_net_test_cycles=", cycles_setup);

static struct virtio_device *vdevs[VN_DEVS];
static unsigned int nr_vdevs;

/* The frame's payload, after the Ethernet header. */
struct vn_frame_hdr {
	__be32 magic;
	__be16 stream;
	__be16 len;		/* the whole frame's length */
	__be32 seq;
} __packed;

#define VN_MIN_LEN	ETH_ZLEN
#define VN_MAX_LEN	ETH_FRAME_LEN

/* Length of frame @seq of @stream: every size in 60..1514 comes up. */
static unsigned int vn_frame_len(unsigned int stream, u32 seq)
{
	u32 h = (seq + 1) * 2654435761u ^ (stream * 40503u);

	/* Both extremes often: the smallest and largest frames are the edge cases. */
	if (seq % 16 == 0)
		return VN_MIN_LEN;
	if (seq % 16 == 1)
		return VN_MAX_LEN;
	return VN_MIN_LEN + h % (VN_MAX_LEN - VN_MIN_LEN + 1);
}

static u8 vn_byte(unsigned int stream, u32 seq, unsigned int i)
{
	return (u8)(seq * 31 + i * 7 + stream * 13 + (i >> 8));
}

static int vn_dev_match(struct device *dev, void *data)
{
	struct virtio_device *vdev = dev_to_virtio(dev);

	(void)data;
	if (vdev->id.device == VIRTIO_ID_NET && nr_vdevs < VN_DEVS) {
		get_device(dev);
		vdevs[nr_vdevs++] = vdev;
	}
	return 0;
}

static int vn_init(struct ktest *t)
{
	(void)t;
	nr_vdevs = 0;
	bus_for_each_dev(&virtio_bus, NULL, vn_dev_match);
	return 0;
}

static void vn_exit(struct ktest *t)
{
	(void)t;
	for (unsigned int i = 0; i < nr_vdevs; i++)
		put_device(&vdevs[i]->dev);
	nr_vdevs = 0;
}

#define NEED_VNET(t) do {						\
	if (nr_vdevs < VN_DEVS)						\
		KTEST_SKIP(t, "no two virtio-net devices (QEMU_NET_DEVICES)"); \
} while (0)

/* The net_device virtio_net made for @vdev, with a reference; or NULL. */
static struct net_device *vn_netdev(struct virtio_device *vdev)
{
	struct net_device *dev, *found = NULL;

	rtnl_lock();
	for_each_netdev(&init_net, dev) {
		if (dev->dev.parent == &vdev->dev && dev->reg_state == NETREG_REGISTERED) {
			dev_hold(dev);
			found = dev;
			break;
		}
	}
	rtnl_unlock();
	return found;
}

static bool vn_bound(struct virtio_device *vdev)
{
	return vdev->dev.driver && !strcmp(vdev->dev.driver->name, "virtio_net");
}

/* Open both NICs and wait for their carrier.  Return: 0 or -errno. */
static int vn_up(struct ktest *t)
{
	for (unsigned int i = 0; i < nr_vdevs; i++) {
		struct net_device *dev = vn_netdev(vdevs[i]);
		int ret, ms;

		if (!dev) {
			ktest_fail(t, __FILE__, __LINE__, "%s has no net device", dev_name(&vdevs[i]->dev));
			return -ENODEV;
		}
		rtnl_lock();
		ret = dev_open(dev, NULL);
		rtnl_unlock();
		for (ms = 0; !ret && !netif_carrier_ok(dev) && ms < 2000; ms += 10)
			msleep(10);
		if (!ret && !netif_carrier_ok(dev))
			ret = -EIO;
		if (ret)
			ktest_fail(t, __FILE__, __LINE__, "%s: up: %d", dev->name, ret);
		dev_put(dev);
		if (ret)
			return ret;
	}
	return 0;
}

/* Build frame @seq of @stream from @from to @to.  Return: the skb or NULL. */
static struct sk_buff *vn_build(struct net_device *from, const u8 *to, unsigned int stream,
				u32 seq, gfp_t gfp)
{
	unsigned int len = vn_frame_len(stream, seq);
	struct vn_frame_hdr *fh;
	struct sk_buff *skb;
	struct ethhdr *eh;
	u8 *p;

	skb = __netdev_alloc_skb(from, len, gfp);
	if (!skb)
		return NULL;
	eh = skb_put(skb, len);
	memcpy(eh->h_dest, to, ETH_ALEN);
	memcpy(eh->h_source, from->dev_addr, ETH_ALEN);
	eh->h_proto = cpu_to_be16(VN_PROTO);
	fh = (struct vn_frame_hdr *)(eh + 1);
	fh->magic = cpu_to_be32(VN_MAGIC);
	fh->stream = cpu_to_be16(stream);
	fh->len = cpu_to_be16(len);
	fh->seq = cpu_to_be32(seq);
	p = (u8 *)(fh + 1);
	for (unsigned int i = sizeof(*eh) + sizeof(*fh); i < len; i++)
		*p++ = vn_byte(stream, seq, i);
	skb->dev = from;
	return skb;
}

/* --- the frame test ---------------------------------------------------- */

/* Senders wait here for their window to open. */
static DECLARE_WAIT_QUEUE_HEAD(vn_wq);

struct vn_stream {
	u32 next;		/* next sequence number expected */
	unsigned long received;
	unsigned long bad;	/* wrong length, bytes or order */
	bool reported;
};

static struct {
	spinlock_t lock;
	struct vn_stream rx[VN_MAX_STREAMS];
	unsigned long foreign;	/* frames of this protocol not ours */
	bool strict;		/* check order (the frame test) or just count */
	unsigned long counted;	/* frames received (cycles) */
	unsigned long per_stream;
	unsigned long window;	/* frames a stream may have in flight */
	unsigned int nr_streams;
	bool stop;
	unsigned long sent[VN_MAX_STREAMS];
	unsigned long send_errors[VN_MAX_STREAMS];
} vn;

/* Check one received frame; stream state under vn.lock. */
static void vn_check(struct sk_buff *skb)
{
	const u8 *d = skb->data;	/* after the Ethernet header */
	const struct vn_frame_hdr *fh = (const void *)d;
	unsigned int stream, len = skb->len + ETH_HLEN;
	struct vn_stream *s;
	bool ok = true;
	u32 seq;

	if (skb->len < sizeof(*fh) || be32_to_cpu(fh->magic) != VN_MAGIC ||
	    be16_to_cpu(fh->stream) >= VN_MAX_STREAMS) {
		vn.foreign++;
		return;
	}
	stream = be16_to_cpu(fh->stream);
	seq = be32_to_cpu(fh->seq);
	s = &vn.rx[stream];
	s->received++;
	vn.counted++;
	if (!vn.strict)
		return;
	/* The sender waits for half a window: no wake-up per frame. */
	if (s->received % (vn.window / 2) == 0)
		wake_up(&vn_wq);
	if (seq != s->next || len != vn_frame_len(stream, seq) || be16_to_cpu(fh->len) != len)
		ok = false;
	for (unsigned int i = ETH_HLEN + sizeof(*fh); ok && i < len; i++)
		if (d[i - ETH_HLEN] != vn_byte(stream, seq, i))
			ok = false;
	if (!ok) {
		s->bad++;
		if (!s->reported)
			pr_err("virtio_net_test: stream %u: frame seq %u len %u, expected seq %u len %u\n",
			       stream, seq, len, s->next, vn_frame_len(stream, s->next));
		s->reported = true;
	}
	s->next = seq + 1;
}

static int vn_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		  struct net_device *orig_dev)
{
	unsigned long flags;

	(void)pt;
	(void)orig_dev;
	/* Only what the virtio NICs received: other NICs may share the hub. */
	if (nr_vdevs == VN_DEVS &&
	    (dev->dev.parent == &vdevs[0]->dev || dev->dev.parent == &vdevs[1]->dev)) {
		spin_lock_irqsave(&vn.lock, flags);
		vn_check(skb);
		spin_unlock_irqrestore(&vn.lock, flags);
	}
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type vn_tap = {
	.func = vn_rcv,
};

/*
 * Send frame @seq of @stream on @dev; a full backlog is flow control:
 * wait and send it again.  Return: 0, or -errno (device gone, no memory).
 */
static int vn_send(struct net_device *dev, const u8 *to, unsigned int stream, u32 seq)
{
	for (int tries = 0; tries < 5000; tries++) {
		struct sk_buff *skb;

		if (!netif_running(dev))
			return -ENODEV;
		skb = vn_build(dev, to, stream, seq, GFP_KERNEL);
		if (!skb)
			return -ENOMEM;
		if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
			return 0;
		msleep(1);
	}
	return -ETIMEDOUT;
}

/* One sender: stream @id, on NIC id % 2, to the other one. */
static void vn_sender(void *arg, unsigned int id)
{
	struct net_device *from = vn_netdev(vdevs[id % 2]);
	struct net_device *to = vn_netdev(vdevs[(id + 1) % 2]);
	u8 dst[ETH_ALEN];

	(void)arg;
	if (!from || !to) {
		vn.send_errors[id]++;
		goto out;
	}
	memcpy(dst, to->dev_addr, ETH_ALEN);
	for (u32 seq = 0; seq < vn.per_stream; seq++) {
		/* Bounded: a lost frame ends the wait, and the count shows it. */
		wait_event_timeout(vn_wq, seq - READ_ONCE(vn.rx[id].received) < vn.window, HZ);
		if (vn_send(from, dst, id, seq)) {
			vn.send_errors[id]++;
			break;
		}
		vn.sent[id]++;
	}
out:
	dev_put(from);
	dev_put(to);
}

enum { B_SKBS, B_MODULES, B_OBJECTS, B_PAGES, B_NR };

static const char *const b_names[B_NR] = { "skbs", "modules", "kmalloc objects", "free pages" };

static void baseline_take(unsigned long *b)
{
	b[B_SKBS] = (unsigned long)skb_live_count();
	b[B_MODULES] = module_nr_loaded();
	b[B_PAGES] = ktest_settled_free_pages() + nr_pgtable_pages();
	b[B_OBJECTS] = kmalloc_usage(NULL);
}

/*
 * Everything back to @b exactly, but pages within VN_PAGE_SLACK: the
 * debug options can pin one more slab page, while a leaked ring (a page
 * or more per device) or a page per cycle would show.
 */
static void baseline_check(struct ktest *t, const unsigned long *b)
{
	unsigned long now[B_NR];

	baseline_take(now);
	for (int i = 0; i < B_NR; i++)
		if (i == B_PAGES ? now[i] + VN_PAGE_SLACK < b[i] : now[i] != b[i])
			ktest_fail(t, __FILE__, __LINE__, "%s: %lu, %lu before", b_names[i],
				   now[i], b[i]);
}

/* virtio_net.ko's image when it is a module, or NULL (built in). */
static const void *vn_image(size_t *len)
{
	return IS_MODULE(CONFIG_VIRTIO_NET) ? boot_module_find("virtio_net", len) : NULL;
}

/* The driver off every device: rmmod, or unbind when built in.  Return: ok. */
static bool vn_driver_off(const void *img)
{
	bool ok = true;

	if (img) {
		ok = unload_module("virtio_net") == 0;
	} else {
		for (unsigned int i = 0; i < nr_vdevs; i++)
			device_release_driver(&vdevs[i]->dev);
	}
	for (unsigned int i = 0; i < nr_vdevs; i++)
		ok &= vdevs[i]->dev.driver == NULL;
	return ok;
}

/* The driver on every device again: modprobe, or bind.  Return: ok. */
static bool vn_driver_on(const void *img, const char *args)
{
	bool ok = true;

	if (img) {
		ok = modprobe("virtio_net", args) == 0;
	} else {
		for (unsigned int i = 0; i < nr_vdevs; i++)
			ok &= device_attach(&vdevs[i]->dev) == 1;
	}
	for (unsigned int i = 0; i < nr_vdevs; i++)
		ok &= vn_bound(vdevs[i]);
	return ok;
}

static void test_virtio_net_bound(struct ktest *t)
{
	NEED_VNET(t);
	for (unsigned int i = 0; i < nr_vdevs; i++) {
		struct net_device *dev;

		if (!vn_bound(vdevs[i])) {
			ktest_fail(t, __FILE__, __LINE__, "%s: virtio_net not bound%s",
				   dev_name(&vdevs[i]->dev), IS_MODULE(CONFIG_VIRTIO_NET) ?
				   " (virtio_net.ko not autoloaded?)" : "");
			continue;
		}
		dev = vn_netdev(vdevs[i]);
		KTEST_ASSERT_NOT_NULL(t, dev);
		KTEST_EXPECT_TRUE(t, is_valid_ether_addr(dev->dev_addr));
		KTEST_EXPECT_EQ(t, dev->real_num_tx_queues, 1u);
		KTEST_EXPECT_EQ(t, dev->mtu, (unsigned int)ETH_DATA_LEN);
		dev_put(dev);
	}
	if (IS_MODULE(CONFIG_VIRTIO_NET))
		KTEST_EXPECT_NOT_NULL(t, find_module("virtio_net"));
	KTEST_EXPECT_EQ(t, vn_up(t), 0);
}

/* Received frames and device counters, after the senders are done. */
static void frames_check(struct ktest *t, unsigned int n, const struct rtnl_link_stats64 *st0,
			 const struct rtnl_link_stats64 *st1, unsigned long total)
{
	unsigned long rx = 0, tx = 0;

	for (unsigned int i = 0; i < n; i++) {
		KTEST_EXPECT_EQ(t, vn.send_errors[i], 0ul);
		KTEST_EXPECT_EQ(t, vn.sent[i], vn.per_stream);
		KTEST_EXPECT_EQ(t, vn.rx[i].received, vn.per_stream);
		KTEST_EXPECT_EQ(t, vn.rx[i].bad, 0ul);
	}
	KTEST_EXPECT_EQ(t, vn.foreign, 0ul);
	for (unsigned int d = 0; d < VN_DEVS; d++) {
		rx += st1[d].rx_packets - st0[d].rx_packets;
		tx += st1[d].tx_packets - st0[d].tx_packets;
		KTEST_EXPECT_EQ(t, st1[d].rx_errors, st0[d].rx_errors);
		KTEST_EXPECT_EQ(t, st1[d].tx_errors, st0[d].tx_errors);
	}
	KTEST_EXPECT_EQ(t, tx, total);
	KTEST_EXPECT_EQ(t, rx, total);
}

static void vn_stats(struct rtnl_link_stats64 *st)
{
	for (unsigned int d = 0; d < VN_DEVS; d++) {
		struct net_device *dev = vn_netdev(vdevs[d]);

		memset(&st[d], 0, sizeof(st[d]));
		if (dev) {
			dev_get_stats(dev, &st[d]);
			dev_put(dev);
		}
	}
}

/* Wait until @want frames were counted (or VN_WAIT_MS).  Return: counted. */
static unsigned long vn_wait_counted(unsigned long want)
{
	for (int ms = 0; READ_ONCE(vn.counted) < want && ms < VN_WAIT_MS; ms += 10)
		msleep(10);
	return READ_ONCE(vn.counted);
}

static void test_virtio_net_frames(struct ktest *t)
{
	struct rtnl_link_stats64 st0[VN_DEVS], st1[VN_DEVS];
	unsigned long base[B_NR], total;
	const void *img;
	size_t len = 0;
	u64 t0, ms;
	int n;

	NEED_VNET(t);
	img = vn_image(&len);
	if (IS_MODULE(CONFIG_VIRTIO_NET) && !img)
		KTEST_SKIP(t, "virtio_net.ko is not among the boot modules");
	KTEST_ASSERT_TRUE(t, vn_driver_off(img));
	baseline_take(base);
	KTEST_ASSERT_TRUE(t, vn_driver_on(img, NULL));
	KTEST_ASSERT_EQ(t, vn_up(t), 0);

	memset(&vn, 0, sizeof(vn));
	spin_lock_init(&vn.lock);
	vn.strict = true;
	/* Even: both NICs send and receive the same number of streams. */
	vn.nr_streams = clamp(num_online_cpus(), 2u, (unsigned int)VN_MAX_STREAMS) & ~1u;
	vn.per_stream = DIV_ROUND_UP(nr_frames, vn.nr_streams);
	vn.window = VN_RX_INFLIGHT / (vn.nr_streams / 2);
	total = vn.per_stream * vn.nr_streams;
	vn_tap.type = cpu_to_be16(VN_PROTO);
	vn_tap.dev = NULL;
	dev_add_pack(&vn_tap);
	vn_stats(st0);
	t0 = ktime_get_ns();
	n = ktest_run_on_cpus(vn.nr_streams, vn_sender, NULL);
	vn_wait_counted(total);
	ms = (ktime_get_ns() - t0) / 1000000;
	dev_remove_pack(&vn_tap);
	vn_stats(st1);
	KTEST_EXPECT_EQ(t, n, (int)vn.nr_streams);
	frames_check(t, vn.nr_streams, st0, st1, total);
	ktest_log(t, "%lu frames of 60-1514 bytes in %u streams over the hub in %llu ms",
		  total, vn.nr_streams, (unsigned long long)ms);

	KTEST_EXPECT_TRUE(t, vn_driver_off(img));
	baseline_check(t, base);
	KTEST_EXPECT_TRUE(t, vn_driver_on(img, NULL));
	KTEST_EXPECT_EQ(t, vn_up(t), 0);
}

/* --- rmmod/modprobe during traffic ------------------------------------- */

/*
 * Worker 0 unloads and loads the driver; the others send frames on
 * whichever NIC exists and is up, until it is done.
 */
static void vn_cycler(void *arg, unsigned int id)
{
	const void *img = arg;
	u8 bcast[ETH_ALEN];
	u32 seq = 0;

	if (id == 0) {
		for (unsigned long i = 0; i < nr_cycles; i++) {
			if (!vn_driver_off(img) || !vn_driver_on(img, NULL)) {
				vn.send_errors[0]++;
				break;
			}
			/* Bring both up again; a cycle that never carries traffic tests less. */
			for (unsigned int d = 0; d < nr_vdevs; d++) {
				struct net_device *dev = vn_netdev(vdevs[d]);

				if (dev) {
					rtnl_lock();
					if (dev_open(dev, NULL))
						vn.send_errors[0]++;
					rtnl_unlock();
					dev_put(dev);
				}
			}
			vn.sent[0]++;
			msleep(5);
		}
		WRITE_ONCE(vn.stop, true);
		return;
	}
	eth_broadcast_addr(bcast);
	while (!READ_ONCE(vn.stop)) {
		struct net_device *dev = vn_netdev(vdevs[id % 2]);
		struct sk_buff *skb;

		if (dev && netif_running(dev)) {
			skb = vn_build(dev, bcast, id, seq, GFP_KERNEL);
			if (skb && dev_queue_xmit(skb) == NET_XMIT_SUCCESS) {
				vn.sent[id]++;
				seq++;
			}
		}
		dev_put(dev);
		if (seq % 16 == 0)
			msleep(1);
	}
}

static void test_virtio_net_rmmod_during_traffic(struct ktest *t)
{
	unsigned long base[B_NR], frames = 0;
	unsigned int workers;
	const void *img;
	size_t len = 0;
	int n;

	NEED_VNET(t);
	img = vn_image(&len);
	if (IS_MODULE(CONFIG_VIRTIO_NET) && !img)
		KTEST_SKIP(t, "virtio_net.ko is not among the boot modules");
	/* Warm-up: the debug options grow bounded state on the first cycles. */
	for (int i = 0; i < 3; i++)
		KTEST_ASSERT_TRUE(t, vn_driver_off(img) && vn_driver_on(img, NULL));
	KTEST_ASSERT_TRUE(t, vn_driver_off(img));
	baseline_take(base);
	KTEST_ASSERT_TRUE(t, vn_driver_on(img, NULL));
	KTEST_ASSERT_EQ(t, vn_up(t), 0);

	memset(&vn, 0, sizeof(vn));
	spin_lock_init(&vn.lock);
	vn_tap.type = cpu_to_be16(VN_PROTO);
	vn_tap.dev = NULL;
	dev_add_pack(&vn_tap);
	workers = clamp(num_online_cpus(), 3u, (unsigned int)VN_MAX_STREAMS);
	n = ktest_run_on_cpus(workers, vn_cycler, (void *)img);
	dev_remove_pack(&vn_tap);
	KTEST_EXPECT_EQ(t, n, (int)workers);
	KTEST_EXPECT_EQ(t, vn.send_errors[0], 0ul);
	KTEST_EXPECT_EQ(t, vn.sent[0], nr_cycles);
	for (unsigned int i = 1; i < workers; i++)
		frames += vn.sent[i];
	KTEST_EXPECT_GT(t, frames, 0ul);
	KTEST_EXPECT_GT(t, vn.counted, 0ul);
	ktest_log(t, "%lu %s cycles; %lu frames sent, %lu received meanwhile", nr_cycles,
		  img ? "rmmod/modprobe" : "unbind/bind", frames, vn.counted);

	KTEST_EXPECT_TRUE(t, vn_driver_off(img));
	baseline_check(t, base);
	KTEST_EXPECT_TRUE(t, vn_driver_on(img, NULL));
	KTEST_EXPECT_EQ(t, vn_up(t), 0);
}

/* A bad parameter: the module loads, probe refuses, nothing stays bound. */
static void test_virtio_net_bad_param(struct ktest *t)
{
	const void *img;
	size_t len = 0;

	NEED_VNET(t);
	if (!IS_MODULE(CONFIG_VIRTIO_NET))
		KTEST_SKIP(t, "virtio_net is built in");
	img = vn_image(&len);
	if (!img)
		KTEST_SKIP(t, "virtio_net.ko is not among the boot modules");
	KTEST_ASSERT_TRUE(t, vn_driver_off(img));
	KTEST_EXPECT_EQ(t, modprobe("virtio_net", "napi_weight=0"), 0);
	for (unsigned int i = 0; i < nr_vdevs; i++) {
		KTEST_EXPECT_TRUE(t, vdevs[i]->dev.driver == NULL);
		KTEST_EXPECT_NULL(t, vn_netdev(vdevs[i]));
	}
	KTEST_EXPECT_EQ(t, unload_module("virtio_net"), 0);
	KTEST_EXPECT_EQ(t, modprobe("virtio_net", "napi_weight=x"), -EINVAL);
	KTEST_EXPECT_NULL(t, find_module("virtio_net"));
	KTEST_ASSERT_TRUE(t, vn_driver_on(img, "napi_weight=16"));
	KTEST_EXPECT_EQ(t, vn_up(t), 0);
	KTEST_ASSERT_TRUE(t, vn_driver_off(img));
	KTEST_ASSERT_TRUE(t, vn_driver_on(img, NULL));
	KTEST_EXPECT_EQ(t, vn_up(t), 0);
}

static struct ktest_case virtio_net_cases[] = {
	KTEST_CASE(test_virtio_net_bound),
	KTEST_CASE(test_virtio_net_frames),
	KTEST_CASE(test_virtio_net_bad_param),
	KTEST_CASE(test_virtio_net_rmmod_during_traffic),
	{}
};

static struct ktest_suite virtio_net_suite = {
	.name = "virtio_net",
	.cases = virtio_net_cases,
	.init = vn_init,
	.exit = vn_exit,
};
KTEST_SUITE(virtio_net_suite);
