// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of virtio_net on two QEMU virtio-net NICs joined by
 * QEMU's internal hub (QEMU_NET_DEVICES in scripts/qemu-common.sh): what
 * one sends, the other receives, and nothing reaches the host.
 *
 * Frame test: the network layer's frame test (<exo/net_frametest.h>)
 * both ways at once: frames of 60 to 1514 bytes, every byte and the
 * order per queue checked, none lost, the live skbs back to their count;
 * the devices' counters must agree.  Then virtio_net is unloaded (the
 * devices unbound when it is built in): skbs, kmalloc objects, modules
 * and pages must be back to the baseline taken with it unloaded before.
 *
 * Memory short (with CONFIG_FAULT_INJECTION): the refill work brings a
 * receive ring that ran dry back.
 *
 * Cycles: rmmod/modprobe of virtio_net (unbind/bind when built in) while
 * a sender per CPU keeps transmitting on whichever device exists, with
 * the same leak check at the end.
 *
 * virtio_net_test_frames=N sets the frames of the frame test, each way
 * (default 500; make check's qemu-vnet-full-q35-smp4 sends 50 000 each
 * way); virtio_net_test_cycles=N the cycles (default 10; 50 in make
 * check's two virtio_net steps).  Skipped
 * without two virtio-net devices (Bochs; boots with their own device set).
 */
#include <exo/atomic.h>
#include <exo/byteorder.h>
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/etherdevice.h>
#include <exo/fault_inject.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/kmod.h>
#include <exo/ktest.h>
#include <exo/net_frametest.h>
#include <exo/module.h>
#include <exo/netdevice.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/sched.h>
#include <exo/skbuff.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/virtio.h>

#define VN_DEVS		2
#define VN_MAX_WORKERS	8
#define VN_PROTO	ETH_P_LOCAL_EXP2
#define VN_PAGE_SLACK	4
/*
 * Frames a direction may have in flight.  QEMU's hub reorders frames when
 * the receiver has no free buffer: the frame that found none waits in the
 * receiver's queue while the next ones wait in the hub's, and buffers
 * added later flush the hub's queue first (qemu_flush_queued_packets()).
 * Below the receiver's 256 buffers less the half budget (32) a refill may
 * wait for, order is the device's and the driver's, not the hub's.
 */
#define VN_RX_INFLIGHT	192

static unsigned long nr_frames = 500;
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

/* A broadcast frame of @len bytes from @dev, EtherType VN_PROTO.  Return: it or NULL. */
static struct sk_buff *vn_build(struct net_device *dev, unsigned int len)
{
	struct sk_buff *skb = __netdev_alloc_skb(dev, len, GFP_KERNEL);
	struct ethhdr *eh;

	if (!skb)
		return NULL;
	eh = skb_put_zero(skb, len);
	eth_broadcast_addr(eh->h_dest);
	memcpy(eh->h_source, dev->dev_addr, ETH_ALEN);
	eh->h_proto = cpu_to_be16(VN_PROTO);
	skb->dev = dev;
	return skb;
}

static struct {
	bool stop;
	unsigned long cycles;
	unsigned long cycle_errors;
	unsigned long sent[VN_MAX_WORKERS];
	atomic_long_t received;
} vn;

/* Counts what the virtio NICs receive (others may share the hub). */
static int vn_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		  struct net_device *orig_dev)
{
	(void)pt;
	(void)orig_dev;
	if (dev->dev.parent == &vdevs[0]->dev || dev->dev.parent == &vdevs[1]->dev)
		atomic_long_inc(&vn.received);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type vn_tap = {
	.func = vn_rcv,
};

/* What the driver may allocate, taken with it unloaded. */
struct vn_baseline {
	long skbs;
	unsigned int modules;
	unsigned long objects;
	unsigned long pages;	/* free, plus kept kernel page tables */
};

static void baseline_take(struct vn_baseline *b)
{
	b->skbs = skb_live_count();
	b->modules = module_nr_loaded();
	b->pages = ktest_settled_free_pages() + nr_pgtable_pages();
	b->objects = kmalloc_usage(NULL);
}

/*
 * Everything back to @b exactly, but pages within VN_PAGE_SLACK: the
 * debug options can pin one more slab page, while a leaked ring (a page
 * or more per device) or a page per cycle would show.
 */
static void baseline_check(struct ktest *t, const struct vn_baseline *b)
{
	struct vn_baseline now;

	baseline_take(&now);
	KTEST_EXPECT_EQ(t, now.skbs, b->skbs);
	KTEST_EXPECT_EQ(t, now.modules, b->modules);
	KTEST_EXPECT_EQ(t, now.objects, b->objects);
	KTEST_EXPECT_LE(t, b->pages - min(b->pages, now.pages), (unsigned long)VN_PAGE_SLACK);
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

/*
 * The layer's frame test (<exo/net_frametest.h>) both ways at once, on
 * the devices just bound: every frame checked for bytes and order per
 * queue, and the live skbs back to where they were.  Then the driver off:
 * everything it allocated must be back.
 */
static void test_virtio_net_frames(struct ktest *t)
{
	struct net_frametest_params p = {
		.count = nr_frames,
		.seed = 0x76697274,
		.both_ways = true,
		.window = VN_RX_INFLIGHT,
		.timeout_ms = 10000,
	};
	struct rtnl_link_stats64 st0[VN_DEVS], st1[VN_DEVS];
	struct net_frametest_result r;
	struct vn_baseline base;
	const void *img;
	size_t len = 0;

	NEED_VNET(t);
	img = vn_image(&len);
	if (IS_MODULE(CONFIG_VIRTIO_NET) && !img)
		KTEST_SKIP(t, "virtio_net.ko is not among the boot modules");
	KTEST_ASSERT_TRUE(t, vn_driver_off(img));
	baseline_take(&base);
	KTEST_ASSERT_TRUE(t, vn_driver_on(img, NULL));
	KTEST_ASSERT_EQ(t, vn_up(t), 0);

	p.tx_dev = vn_netdev(vdevs[0]);
	p.rx_dev = vn_netdev(vdevs[1]);
	vn_stats(st0);
	KTEST_EXPECT_EQ(t, net_frametest_run(&p, &r), 0);
	vn_stats(st1);
	dev_put(p.tx_dev);
	dev_put(p.rx_dev);
	KTEST_EXPECT_EQ(t, r.received, 2 * nr_frames);
	KTEST_EXPECT_EQ(t, r.bad + r.out_of_order + r.lost + r.tx_dropped, 0ul);
	KTEST_EXPECT_EQ(t, r.skb_delta, 0l);
	for (unsigned int d = 0; d < VN_DEVS; d++) {
		KTEST_EXPECT_EQ(t, st1[d].tx_packets - st0[d].tx_packets, (u64)nr_frames);
		KTEST_EXPECT_EQ(t, st1[d].rx_packets - st0[d].rx_packets, (u64)nr_frames);
		KTEST_EXPECT_EQ(t, st1[d].rx_errors + st1[d].tx_errors, 0ull);
	}
	ktest_log(t, "%lu frames of 60-1514 bytes each way over the hub in %llu ms",
		  nr_frames, (unsigned long long)(r.ns / 1000000));

	KTEST_EXPECT_TRUE(t, vn_driver_off(img));
	baseline_check(t, &base);
	KTEST_EXPECT_TRUE(t, vn_driver_on(img, NULL));
	KTEST_EXPECT_EQ(t, vn_up(t), 0);
}

/* --- rmmod/modprobe during traffic ------------------------------------- */

/*
 * Worker 0 unloads and loads the driver and brings the NICs up again;
 * the others send frames on whichever NIC exists and is up, until it is
 * done.
 */
static void vn_cycler(void *arg, unsigned int id)
{
	const void *img = arg;

	if (id == 0) {
		for (unsigned long i = 0; i < nr_cycles; i++) {
			if (!vn_driver_off(img) || !vn_driver_on(img, NULL)) {
				vn.cycle_errors++;
				break;
			}
			for (unsigned int d = 0; d < nr_vdevs; d++) {
				struct net_device *dev = vn_netdev(vdevs[d]);

				rtnl_lock();
				if (!dev || dev_open(dev, NULL))
					vn.cycle_errors++;
				rtnl_unlock();
				dev_put(dev);
			}
			vn.cycles++;
			/* Some traffic in each cycle: a cycle without any tests less. */
			msleep(5);
		}
		WRITE_ONCE(vn.stop, true);
		return;
	}
	while (!READ_ONCE(vn.stop)) {
		struct net_device *dev = vn_netdev(vdevs[id % 2]);
		struct sk_buff *skb;

		/* Not under rtnl: the layer must cope with a device going away. */
		if (dev && netif_running(dev)) {
			skb = vn_build(dev, ETH_ZLEN + (id * 97 + vn.sent[id]) % (ETH_FRAME_LEN - ETH_ZLEN));
			if (skb && dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
				vn.sent[id]++;
		}
		dev_put(dev);
		if (vn.sent[id] % 16 == 0)
			msleep(1);
	}
}

static void test_virtio_net_rmmod_during_traffic(struct ktest *t)
{
	unsigned long frames = 0;
	struct vn_baseline base;
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
	baseline_take(&base);
	KTEST_ASSERT_TRUE(t, vn_driver_on(img, NULL));
	KTEST_ASSERT_EQ(t, vn_up(t), 0);

	memset(&vn, 0, sizeof(vn));
	vn_tap.type = cpu_to_be16(VN_PROTO);
	vn_tap.dev = NULL;
	dev_add_pack(&vn_tap);
	/* One cycler, a sender on each other CPU (KTEST_F_SMP: at least one). */
	workers = min(num_online_cpus(), (unsigned int)VN_MAX_WORKERS);
	n = ktest_run_on_cpus(workers, vn_cycler, (void *)img);
	dev_remove_pack(&vn_tap);
	KTEST_EXPECT_EQ(t, n, (int)workers);
	KTEST_EXPECT_EQ(t, vn.cycle_errors, 0ul);
	KTEST_EXPECT_EQ(t, vn.cycles, nr_cycles);
	for (unsigned int i = 1; i < workers; i++)
		frames += vn.sent[i];
	KTEST_EXPECT_GT(t, frames, 0ul);
	KTEST_EXPECT_GT(t, atomic_long_read(&vn.received), 0l);
	ktest_log(t, "%lu %s cycles; %lu frames sent, %ld received meanwhile", nr_cycles,
		  img ? "rmmod/modprobe" : "unbind/bind", frames, atomic_long_read(&vn.received));

	KTEST_EXPECT_TRUE(t, vn_driver_off(img));
	baseline_check(t, &base);
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

#ifdef CONFIG_FAULT_INJECTION
#define VN_OOM_FRAMES	400

/*
 * Memory short: with every kmalloc failing, the receiver's poll cannot
 * refill its ring and the ring runs dry (QEMU keeps the frames meanwhile);
 * no buffer, no interrupt, no poll: only the refill work, retrying with
 * GFP_KERNEL every half second, can fill it again once memory is back.
 * All VN_OOM_FRAMES frames must then arrive, and nothing leak.
 */
static void test_virtio_net_refill_oom(struct ktest *t)
{
	struct sk_buff_head frames;
	struct net_device *from, *to;
	unsigned long injected;
	struct sk_buff *skb;
	long before;
	int ms;

	NEED_VNET(t);
	KTEST_ASSERT_EQ(t, vn_up(t), 0);
	from = vn_netdev(vdevs[0]);
	to = vn_netdev(vdevs[1]);
	KTEST_ASSERT_TRUE(t, from && to);
	/* Built before the injection: the sender must not need memory. */
	__skb_queue_head_init(&frames);
	for (int i = 0; i < VN_OOM_FRAMES; i++) {
		skb = vn_build(from, ETH_FRAME_LEN);
		if (!skb)
			break;
		__skb_queue_tail(&frames, skb);
	}
	KTEST_EXPECT_EQ(t, skb_queue_len(&frames), (u32)VN_OOM_FRAMES);
	memset(&vn, 0, sizeof(vn));
	vn_tap.type = cpu_to_be16(VN_PROTO);
	vn_tap.dev = to;
	dev_add_pack(&vn_tap);
	before = skb_live_count();

	injected = fail_slab.nr_failed;
	KTEST_ASSERT_EQ(t, setup_fault_attr(&fail_slab, "1,100,0,-1"), 0);
	fail_slab.verbose = 0;
	while ((skb = __skb_dequeue(&frames)))
		if (dev_queue_xmit(skb) != NET_XMIT_SUCCESS)
			vn.sent[0]++;	/* dropped: counted, not expected */
	msleep(1000);
	fault_attr_disable(&fail_slab);
	injected = fail_slab.nr_failed - injected;
	ktest_log(t, "%lu allocations failed; %ld of %d frames received meanwhile", injected,
		  atomic_long_read(&vn.received), VN_OOM_FRAMES);
	KTEST_EXPECT_GT(t, injected, 0ul);
	KTEST_EXPECT_LT(t, atomic_long_read(&vn.received), (long)VN_OOM_FRAMES);

	for (ms = 0; atomic_long_read(&vn.received) < VN_OOM_FRAMES && ms < 5000; ms += 10)
		msleep(10);
	dev_remove_pack(&vn_tap);
	KTEST_EXPECT_EQ(t, vn.sent[0], 0ul);
	KTEST_EXPECT_EQ(t, atomic_long_read(&vn.received), (long)VN_OOM_FRAMES);
	/* The sent skbs freed, the ring full again: as many skbs as before. */
	for (ms = 0; skb_live_count() != before - VN_OOM_FRAMES && ms < 2000; ms += 10)
		msleep(10);
	KTEST_EXPECT_EQ(t, skb_live_count(), before - VN_OOM_FRAMES);
	dev_put(from);
	dev_put(to);
}
#endif

static struct ktest_case virtio_net_cases[] = {
	KTEST_CASE(test_virtio_net_bound),
	KTEST_CASE(test_virtio_net_frames),
	KTEST_CASE(test_virtio_net_bad_param),
#ifdef CONFIG_FAULT_INJECTION
	KTEST_CASE(test_virtio_net_refill_oom),
#endif
	KTEST_CASE_FLAGS(test_virtio_net_rmmod_during_traffic, KTEST_F_SMP),
	{}
};

static struct ktest_suite virtio_net_suite = {
	.name = "virtio_net",
	.cases = virtio_net_cases,
	.init = vn_init,
	.exit = vn_exit,
};
KTEST_SUITE(virtio_net_suite);
