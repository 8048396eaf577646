// SPDX-License-Identifier: GPL-2.0
/*
 * Shell commands of the network layer:
 *
 *	ip [-s] link [show [DEV]]	devices, as iproute2 prints them
 *	ip link set DEV up|down
 *	net send DEV DSTMAC LEN [COUNT]	raw frames (EtherType 0x88b6)
 *	net recv DEV [N] [TIMEOUT_MS]	print received frames
 *	net recv DEV stop
 *	net frametest DEV PEER [COUNT] [QUEUES] [both]
 *
 * `net recv` keeps a raw tap on the device from its first call until
 * `net recv DEV stop`, so frames sent after `net recv DEV 0` wait for
 * the next `net recv DEV N` (at most NET_SHELL_TAP_LIMIT, then dropped).
 */
#include <exo/byteorder.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/etherdevice.h>
#include <exo/jiffies.h>
#include <exo/mutex.h>
#include <exo/net_frametest.h>
#include <exo/net_tap.h>
#include <exo/netdevice.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "internal.h"

#define NET_SHELL_TAP_LIMIT	256

struct shell_tap {
	struct list_head node;
	struct net_device *dev;
	struct net_raw_tap *tap;
};

static DEFINE_MUTEX(shell_taps_lock);
static LIST_HEAD(shell_taps);

static void format_flags(char *buf, size_t len, const struct net_device *dev)
{
	bool up = dev->flags & IFF_UP;

	int n = snprintf(buf, len, "<%s%s%s%s%s>", up && !netif_carrier_ok(dev) ? "NO-CARRIER," : "",
			 dev->flags & IFF_BROADCAST ? "BROADCAST," : "",
			 dev->flags & IFF_MULTICAST ? "MULTICAST," : "", up ? "UP" : "",
			 up && netif_carrier_ok(dev) ? ",LOWER_UP" : "");

	/* A down device ends on a flag's comma: "<BROADCAST,MULTICAST>", as ip prints. */
	if (n >= 3 && (size_t)n < len && buf[n - 2] == ',') {
		buf[n - 2] = '>';
		buf[n - 1] = '\0';
	}
}

static const char *oper_state(const struct net_device *dev)
{
	if (!(dev->flags & IFF_UP) || !netif_carrier_ok(dev))
		return "DOWN";
	return "UP";
}

static void print_stats(struct net_device *dev)
{
	struct rtnl_link_stats64 s;

	dev_get_stats(dev, &s);
	printk("    RX:      bytes  packets  errors  dropped  missed  nohandler\n");
	printk("    %12llu %8llu %7llu %8llu %7llu %10llu\n", s.rx_bytes, s.rx_packets,
	       s.rx_errors, s.rx_dropped, s.rx_missed_errors, s.rx_nohandler);
	printk("    TX:      bytes  packets  errors  dropped carrier  collsns\n");
	printk("    %12llu %8llu %7llu %8llu %7llu %8llu\n", s.tx_bytes, s.tx_packets,
	       s.tx_errors, s.tx_dropped, s.tx_carrier_errors, s.collisions);
}

static void print_link(struct net_device *dev, bool stats)
{
	char mac[18], brd[18], flags[64];

	format_flags(flags, sizeof(flags), dev);
	printk("%d: %s: %s mtu %u state %s qlen %u numtxqueues %u numrxqueues %u\n",
	       dev->ifindex, dev->name, flags, dev->mtu, oper_state(dev), dev->tx_queue_len, dev->real_num_tx_queues,
	       dev->real_num_rx_queues);
	printk("    link/ether %s brd %s\n", net_format_mac(mac, dev->dev_addr),
	       net_format_mac(brd, dev->broadcast));
	if (stats)
		print_stats(dev);
}

static int ip_link_show(const char *name, bool stats)
{
	struct net_device *dev;
	bool found = false;

	rtnl_lock();
	for_each_netdev(NULL, dev) {
		if (name && strcmp(name, dev->name))
			continue;
		print_link(dev, stats);
		found = true;
	}
	rtnl_unlock();
	if (name && !found) {
		printk("Device \"%s\" does not exist.\n", name);
		return -ENODEV;
	}
	return 0;
}

static int ip_link_set(const char *cmd, const char *name, const char *state)
{
	int up = shell_arg_choice(cmd, state, "down", "up"), err = 0;
	struct net_device *dev;

	if (up < 0)
		return up;
	dev = dev_get_by_name(NULL, name);
	if (!dev) {
		printk("Device \"%s\" does not exist.\n", name);
		return -ENODEV;
	}
	rtnl_lock();
	if (up)
		err = dev_open(dev, NULL);
	else
		dev_close(dev);
	rtnl_unlock();
	dev_put(dev);
	return err;
}

/* ip [-s] link [show [DEV]] | ip link set DEV up|down */
static int cmd_ip(int argc, char **argv)
{
	bool stats = false;
	int i = 1;

	if (!strcmp(argv[i], "-s")) {
		stats = true;
		i++;
	}
	if (i >= argc || strcmp(argv[i], "link"))
		return shell_usage(argv[0]);
	i++;
	if (i == argc)
		return ip_link_show(NULL, stats);
	if (!strcmp(argv[i], "show") && argc - i <= 2)
		return ip_link_show(i + 1 < argc ? argv[i + 1] : NULL, stats);
	if (!strcmp(argv[i], "set") && argc - i == 3 && !stats)
		return ip_link_set(argv[0], argv[i + 1], argv[i + 2]);
	return shell_usage(argv[0]);
}
DEFINE_SHELL_CMD_ARGS(ip, "[-s] link [show [DEV]] | link set DEV up|down", 1, 5,
		      "network devices: list, statistics, up/down", cmd_ip);

static struct net_device *shell_dev(const char *name)
{
	struct net_device *dev = dev_get_by_name(NULL, name);

	if (!dev)
		printk("net: no device %s\n", name);
	return dev;
}

static int net_send(int argc, char **argv)
{
	unsigned long len, count = 1, sent = 0;
	struct net_device *dev;
	u8 dst[ETH_ALEN];
	int err = 0;

	if (argc < 5 || argc > 6)
		return shell_usage(argv[0]);
	if (net_parse_mac(argv[3], dst)) {
		printk("%s: bad MAC address '%s' (aa:bb:cc:dd:ee:ff)\n", argv[0], argv[3]);
		return shell_usage(argv[0]);
	}
	dev = shell_dev(argv[2]);
	if (!dev)
		return -ENODEV;
	if (shell_arg_ulong(argv[0], argv[4], ETH_HLEN, dev->mtu + ETH_HLEN, &len) ||
	    (argc == 6 && shell_arg_ulong(argv[0], argv[5], 1, 1000000, &count))) {
		dev_put(dev);
		return -EINVAL;
	}
	for (unsigned long i = 0; i < count; i++) {
		struct sk_buff *skb = alloc_skb((unsigned int)len + NET_SKB_PAD, GFP_KERNEL);
		struct ethhdr *eth;
		u8 *p;

		if (!skb) {
			err = -ENOMEM;
			break;
		}
		skb_reserve(skb, NET_SKB_PAD);
		eth = skb_put(skb, ETH_HLEN);
		ether_addr_copy(eth->h_dest, dst);
		ether_addr_copy(eth->h_source, dev->dev_addr);
		eth->h_proto = htons(ETH_P_LOCAL_EXP2);
		p = skb_put(skb, (unsigned int)len - ETH_HLEN);
		for (unsigned int j = 0; j < len - ETH_HLEN; j++)
			p[j] = (u8)(i + j);
		skb->dev = dev;
		if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
			sent++;
	}
	printk("%s: sent %lu of %lu frames of %lu bytes\n", dev->name, sent, count, len);
	dev_put(dev);
	if (!err && sent < count)
		err = -ENOBUFS;
	return err;
}

/* The shell's tap on @dev, opened on first use.  shell_taps_lock held. */
static struct shell_tap *shell_tap_get(struct net_device *dev, bool create)
{
	struct shell_tap *st;

	list_for_each_entry(st, &shell_taps, node)
		if (st->dev == dev)
			return st;
	if (!create)
		return NULL;
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return ERR_PTR(-ENOMEM);
	st->tap = net_raw_tap_open(dev, NET_SHELL_TAP_LIMIT);
	if (IS_ERR(st->tap)) {
		long err = PTR_ERR(st->tap);

		kfree(st);
		return ERR_PTR(err);
	}
	st->dev = dev;
	dev_hold(dev);
	list_add(&st->node, &shell_taps);
	return st;
}

static void print_frame(const struct sk_buff *skb)
{
	const struct ethhdr *eth = eth_hdr(skb);
	char src[18], dst[18], bytes[16 * 3 + 5];
	size_t pos = 0;

	for (unsigned int i = 0; i < skb->len && i < 16; i++)
		pos += (size_t)snprintf(bytes + pos, sizeof(bytes) - pos, " %02x", skb->data[i]);
	snprintf(bytes + pos, sizeof(bytes) - pos, "%s", skb->len > 16 ? " ..." : "");
	printk("%s: %u bytes %s > %s type 0x%04x:%s\n", skb->dev->name, skb->len + ETH_HLEN,
	       net_format_mac(src, eth->h_source), net_format_mac(dst, eth->h_dest),
	       ntohs(eth->h_proto), bytes);
}

static int net_recv_frames(struct net_raw_tap *tap, unsigned long n, unsigned long ms)
{
	unsigned long got = 0;

	while (got < n) {
		struct sk_buff *skb = net_raw_tap_recv(tap, msecs_to_jiffies((unsigned int)ms));

		if (!skb)
			break;
		print_frame(skb);
		kfree_skb(skb);
		got++;
	}
	if (atomic_long_read(&tap->drops))
		printk("net: %ld frames dropped (tap full)\n", atomic_long_read(&tap->drops));
	if (got < n) {
		printk("net: %lu of %lu frames, timed out\n", got, n);
		return -ETIMEDOUT;
	}
	return 0;
}

static int net_recv(int argc, char **argv)
{
	unsigned long n = 1, ms = 1000;
	struct net_device *dev;
	struct shell_tap *st;
	bool stop;
	int err;

	if (argc < 3 || argc > 5)
		return shell_usage(argv[0]);
	stop = argc == 4 && !strcmp(argv[3], "stop");
	if ((!stop && argc >= 4 && shell_arg_ulong(argv[0], argv[3], 0, 65536, &n)) ||
	    (argc == 5 && shell_arg_ulong(argv[0], argv[4], 0, 600000, &ms)))
		return -EINVAL;
	dev = shell_dev(argv[2]);
	if (!dev)
		return -ENODEV;
	mutex_lock(&shell_taps_lock);
	st = shell_tap_get(dev, !stop);
	if (IS_ERR_OR_NULL(st)) {
		err = st ? (int)PTR_ERR(st) : 0;
	} else if (stop) {
		list_del(&st->node);
		net_raw_tap_close(st->tap);
		dev_put(st->dev);
		kfree(st);
		err = 0;
	} else {
		err = net_recv_frames(st->tap, n, ms);
	}
	mutex_unlock(&shell_taps_lock);
	dev_put(dev);
	return err;
}

static int net_frametest(int argc, char **argv)
{
	struct net_frametest_params p = { .seed = 1 };
	struct net_frametest_result r;
	unsigned long count = 10000, queues = 0;
	int err = -ENODEV;

	if (argc < 4 || argc > 7)
		return shell_usage(argv[0]);
	if ((argc >= 5 && shell_arg_ulong(argv[0], argv[4], 1, 100000000, &count)) ||
	    (argc >= 6 && shell_arg_ulong(argv[0], argv[5], 0, NETDEV_MAX_QUEUES, &queues)))
		return -EINVAL;
	if (argc == 7) {
		if (strcmp(argv[6], "both"))
			return shell_usage(argv[0]);
		p.both_ways = true;
	}
	p.tx_dev = shell_dev(argv[2]);
	p.rx_dev = shell_dev(argv[3]);
	p.count = count;
	p.tx_queues = (unsigned int)queues;
	if (p.tx_dev && p.rx_dev) {
		err = net_frametest_run(&p, &r);
		if (err != -EINVAL && err != -ENETDOWN)
			net_frametest_print(err ? "frametest FAILED" : "frametest passed", &r);
	}
	dev_put(p.tx_dev);
	dev_put(p.rx_dev);
	return err;
}

static int cmd_net(int argc, char **argv)
{
	int sub = shell_arg_choice(argv[0], argv[1], "send", "recv", "frametest");

	switch (sub) {
	case 0:
		return net_send(argc, argv);
	case 1:
		return net_recv(argc, argv);
	case 2:
		return net_frametest(argc, argv);
	default:
		return sub;
	}
}
DEFINE_SHELL_CMD_ARGS(net, "send DEV DSTMAC LEN [COUNT] | recv DEV [N [TIMEOUT_MS]|stop] | frametest DEV PEER [COUNT [QUEUES [both]]]",
		      2, 6, "raw Ethernet frames: send, receive, frame test", cmd_net);
