// SPDX-License-Identifier: GPL-2.0
/*
 * The frame test (<exo/net_frametest.h>).
 *
 * Frame: Ethernet header (to the receiver's address, EtherType 0x88B5),
 * then struct ft_hdr (magic, run id, TX queue, length, sequence number),
 * then a payload that is a function of (seed, queue, sequence number), as
 * is the frame's length.  One sender thread per TX queue sends its share
 * with skb_set_queue_mapping(); at most `window` frames of a direction
 * are in flight, so the test measures loss, not buffer overflow.  The
 * receiver is a packet_type on the receiving device for that EtherType.
 */
#include <exo/byteorder.h>
#include <exo/errno.h>
#include <exo/etherdevice.h>
#include <exo/export.h>
#include <exo/kthread.h>
#include <exo/net_frametest.h>
#include <exo/netdevice.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include "internal.h"

#define FT_MAGIC	0x45584f46U	/* "EXOF" */
#define FT_DIRS		2

struct ft_hdr {
	__be32 magic;
	__be32 run_id;
	__be16 queue;
	__be16 len;
	__be32 seq;
} __packed;

#define FT_MIN_LEN	(ETH_HLEN + sizeof(struct ft_hdr))

struct ft_dir;

struct ft_queue {
	spinlock_t lock;
	u32 next_seq;
} __aligned(64);

struct ft_sender {
	struct ft_dir *d;
	unsigned int queue;
	unsigned long count;
	struct task_struct *task;
};

struct ft_dir {
	struct packet_type pt;
	const struct net_frametest_params *p;
	struct net_device *tx, *rx;
	u32 run_id;
	unsigned int nq;
	struct ft_queue *rxq;		/* per TX queue: order check */
	struct ft_sender *senders;
	atomic_long_t sent, received, bad, ooo, tx_dropped;
	atomic_long_t progress;		/* bumped by every send and receive */
	bool abort;
};

static u64 ft_mix(u64 x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static u64 ft_key(u32 seed, u32 run_id, unsigned int q, u32 seq)
{
	return ft_mix(((u64)seed << 32 | run_id) ^ ft_mix((u64)q << 32 | seq));
}

static unsigned int ft_len(const struct net_frametest_params *p, u64 key)
{
	return p->min_len + (unsigned int)(key % (p->max_len - p->min_len + 1));
}

/* Fill (or check, returning false at a difference) @n payload bytes. */
static bool ft_payload(u8 *buf, unsigned int n, u64 key, bool check)
{
	u64 x = key | 1;

	for (unsigned int i = 0; i < n; i += 8) {
		unsigned int chunk = n - i < 8 ? n - i : 8;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (check) {
			if (memcmp(buf + i, &x, chunk))
				return false;
		} else {
			memcpy(buf + i, &x, chunk);
		}
	}
	return true;
}

static int ft_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		  struct net_device *orig_dev)
{
	struct ft_dir *d = pt->af_packet_priv;
	const struct ft_hdr *h = (const struct ft_hdr *)skb->data;
	unsigned int q, len;
	bool ok = true;
	u32 seq;
	u64 key;

	if (skb->len < sizeof(*h) || h->magic != htonl(FT_MAGIC) || h->run_id != htonl(d->run_id))
		goto out;	/* not this run's */
	q = ntohs(h->queue);
	seq = ntohl(h->seq);
	if (q >= d->nq) {
		ok = false;
		goto count;
	}
	key = ft_key(d->p->seed, d->run_id, q, seq);
	len = ft_len(d->p, key);
	if (skb->len + ETH_HLEN != len || ntohs(h->len) != len ||
	    !ether_addr_equal(eth_hdr(skb)->h_source, d->tx->dev_addr) ||
	    !ft_payload(skb->data + sizeof(*h), len - FT_MIN_LEN, key, true))
		ok = false;
	spin_lock(&d->rxq[q].lock);
	if (seq != d->rxq[q].next_seq)
		atomic_long_inc(&d->ooo);
	if (seq >= d->rxq[q].next_seq)
		d->rxq[q].next_seq = seq + 1;
	spin_unlock(&d->rxq[q].lock);
count:
	if (!ok)
		atomic_long_inc(&d->bad);
	atomic_long_inc(&d->received);
	atomic_long_inc(&d->progress);
out:
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static struct sk_buff *ft_build(struct ft_dir *d, unsigned int q, u32 seq)
{
	u64 key = ft_key(d->p->seed, d->run_id, q, seq);
	unsigned int len = ft_len(d->p, key);
	struct sk_buff *skb = alloc_skb(len + NET_SKB_PAD, GFP_KERNEL);
	struct ethhdr *eth;
	struct ft_hdr *h;

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, d->rx->dev_addr);
	ether_addr_copy(eth->h_source, d->tx->dev_addr);
	eth->h_proto = htons(NET_FRAMETEST_ETHERTYPE);
	h = skb_put(skb, sizeof(*h));
	h->magic = htonl(FT_MAGIC);
	h->run_id = htonl(d->run_id);
	h->queue = htons((u16)q);
	h->len = htons((u16)len);
	h->seq = htonl(seq);
	ft_payload(skb_put(skb, len - FT_MIN_LEN), len - FT_MIN_LEN, key, false);
	skb->dev = d->tx;
	skb_set_queue_mapping(skb, (u16)q);
	return skb;
}

static long ft_in_flight(struct ft_dir *d)
{
	return atomic_long_read(&d->sent) - atomic_long_read(&d->received);
}

/* Wait for room in the window.  Return: false if there is no progress (aborted). */
static bool ft_window_wait(struct ft_dir *d)
{
	u64 limit = (u64)d->p->timeout_ms * 1000000, since = ktime_get_ns();
	long last = atomic_long_read(&d->progress);

	while (ft_in_flight(d) >= d->p->window) {
		if (READ_ONCE(d->abort))
			return false;
		if (atomic_long_read(&d->progress) != last) {
			last = atomic_long_read(&d->progress);
			since = ktime_get_ns();
		} else if (ktime_get_ns() - since > limit) {
			pr_err("frametest: %s -> %s: no frame for %u ms, giving up\n",
			       d->tx->name, d->rx->name, d->p->timeout_ms);
			WRITE_ONCE(d->abort, true);
			return false;
		}
		msleep(1);
	}
	return true;
}

static int ft_sender_fn(void *arg)
{
	struct ft_sender *s = arg;
	struct ft_dir *d = s->d;

	for (unsigned long i = 0; i < s->count && !READ_ONCE(d->abort); i++) {
		struct sk_buff *skb;

		if (!ft_window_wait(d))
			break;
		skb = ft_build(d, s->queue, (u32)i);
		if (!skb) {
			msleep(1);
			i--;
			continue;
		}
		if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
			atomic_long_inc(&d->sent);
		else
			atomic_long_inc(&d->tx_dropped);
		atomic_long_inc(&d->progress);
	}
	return 0;
}

static int ft_dir_init(struct ft_dir *d, const struct net_frametest_params *p,
		       struct net_device *tx, struct net_device *rx, u32 run_id)
{
	unsigned int nq = p->tx_queues ? p->tx_queues : tx->real_num_tx_queues;

	memset(d, 0, sizeof(*d));
	d->p = p;
	d->tx = tx;
	d->rx = rx;
	d->run_id = run_id;
	d->nq = nq;
	d->rxq = kcalloc(nq, sizeof(*d->rxq), GFP_KERNEL);
	d->senders = kcalloc(nq, sizeof(*d->senders), GFP_KERNEL);
	if (!d->rxq || !d->senders)
		return -ENOMEM;
	for (unsigned int q = 0; q < nq; q++)
		spin_lock_init(&d->rxq[q].lock);
	d->pt.type = htons(NET_FRAMETEST_ETHERTYPE);
	d->pt.dev = rx;
	d->pt.func = ft_rcv;
	d->pt.af_packet_priv = d;
	for (unsigned int q = 0; q < nq; q++) {
		d->senders[q].d = d;
		d->senders[q].queue = q;
		d->senders[q].count = p->count / nq + (q < p->count % nq);
	}
	return 0;
}

static void ft_dir_free(struct ft_dir *d)
{
	kfree(d->rxq);
	kfree(d->senders);
}

static int ft_start(struct ft_dir *d, unsigned int *cpu)
{
	for (unsigned int q = 0; q < d->nq; q++) {
		struct ft_sender *s = &d->senders[q];

		s->task = kthread_create(ft_sender_fn, s, "frametest/%s.%u", d->tx->name, q);
		if (!s->task)
			return -ENOMEM;
		kthread_bind(s->task, *cpu % num_online_cpus());
		(*cpu)++;
		wake_up_process(s->task);
	}
	return 0;
}

static void ft_join(struct ft_dir *d)
{
	for (unsigned int q = 0; q < d->nq; q++)
		if (d->senders[q].task)
			kthread_join(d->senders[q].task);
}

/* Wait until every direction's frames are in, or no progress for timeout_ms. */
static void ft_wait(struct ft_dir *dirs, unsigned int n, unsigned int timeout_ms)
{
	u64 limit = (u64)timeout_ms * 1000000, last_change = ktime_get_ns();
	long last = -1;

	for (;;) {
		long progress = 0;
		bool done = true;

		for (unsigned int i = 0; i < n; i++) {
			progress += atomic_long_read(&dirs[i].progress);
			if (ft_in_flight(&dirs[i]) > 0)
				done = false;
		}
		if (done)
			return;
		if (progress != last) {
			last = progress;
			last_change = ktime_get_ns();
		} else if (ktime_get_ns() - last_change > limit) {
			for (unsigned int i = 0; i < n; i++)
				WRITE_ONCE(dirs[i].abort, true);
			pr_err("frametest: no progress for %u ms, giving up\n", timeout_ms);
			return;
		}
		msleep(1);
	}
}

static int ft_check_params(struct net_frametest_params *p)
{
	if (!p->min_len)
		p->min_len = ETH_ZLEN;
	if (!p->max_len)
		p->max_len = ETH_FRAME_LEN;
	if (!p->window)
		p->window = 256;
	if (!p->timeout_ms)
		p->timeout_ms = 5000;
	if (!p->tx_dev || !p->rx_dev || !p->count || p->min_len < ETH_ZLEN ||
	    p->min_len > p->max_len ||
	    p->max_len > p->tx_dev->mtu + ETH_HLEN || p->max_len > p->rx_dev->mtu + ETH_HLEN ||
	    p->tx_queues > p->tx_dev->real_num_tx_queues ||
	    (p->both_ways && p->tx_queues > p->rx_dev->real_num_tx_queues)) {
		pr_err("frametest: bad parameters (count %lu, lengths %u..%u, %u queues)\n",
		       p->count, p->min_len, p->max_len, p->tx_queues);
		return -EINVAL;
	}
	if (!netif_oper_up(p->tx_dev) || !netif_oper_up(p->rx_dev)) {
		pr_err("frametest: %s or %s is not up with its carrier on\n", p->tx_dev->name,
		       p->rx_dev->name);
		return -ENETDOWN;
	}
	return 0;
}

/* Sum the directions into @r and wait for the skb count to settle. */
static void ft_collect(struct ft_dir *dirs, unsigned int n, long baseline,
		       struct net_frametest_result *r)
{
	u64 end = ktime_get_ns() + 2000 * 1000000ULL;

	for (unsigned int i = 0; i < n; i++) {
		r->sent += (unsigned long)atomic_long_read(&dirs[i].sent);
		r->received += (unsigned long)atomic_long_read(&dirs[i].received);
		r->bad += (unsigned long)atomic_long_read(&dirs[i].bad);
		r->out_of_order += (unsigned long)atomic_long_read(&dirs[i].ooo);
		r->tx_dropped += (unsigned long)atomic_long_read(&dirs[i].tx_dropped);
	}
	r->lost = r->sent > r->received ? r->sent - r->received : 0;
	/* Drivers free transmitted skbs from their completion path: give it time. */
	while (skb_live_count() != baseline && ktime_get_ns() < end)
		msleep(2);
	r->skb_delta = skb_live_count() - baseline;
}

/**
 * net_frametest_run() - run the frame test
 * @params: parameters
 * @r: the result
 *
 * Return: 0, -EIO, -EINVAL, -ENETDOWN or -ENOMEM.
 */
int net_frametest_run(const struct net_frametest_params *params, struct net_frametest_result *r)
{
	static atomic_t run_ids;
	struct net_frametest_params p = *params;
	struct ft_dir *dirs;
	unsigned int n, cpu = 0;
	long baseline;
	u64 start;
	int err;

	memset(r, 0, sizeof(*r));
	err = ft_check_params(&p);
	if (err)
		return err;
	n = p.both_ways ? FT_DIRS : 1;
	dirs = kcalloc(n, sizeof(*dirs), GFP_KERNEL);
	if (!dirs)
		return -ENOMEM;
	baseline = skb_live_count();
	for (unsigned int i = 0; i < n && !err; i++)
		err = ft_dir_init(&dirs[i], &p, i ? p.rx_dev : p.tx_dev, i ? p.tx_dev : p.rx_dev,
				  (u32)atomic_inc_return(&run_ids) ^ (u32)ktime_get_ns());
	if (err)
		goto free;
	for (unsigned int i = 0; i < n; i++)
		dev_add_pack(&dirs[i].pt);
	start = ktime_get_ns();
	for (unsigned int i = 0; i < n && !err; i++)
		err = ft_start(&dirs[i], &cpu);
	if (err)
		for (unsigned int i = 0; i < n; i++)
			WRITE_ONCE(dirs[i].abort, true);
	for (unsigned int i = 0; i < n; i++)
		ft_join(&dirs[i]);
	if (!err)
		ft_wait(dirs, n, p.timeout_ms);
	r->ns = ktime_get_ns() - start;
	for (unsigned int i = 0; i < n; i++)
		dev_remove_pack(&dirs[i].pt);
	ft_collect(dirs, n, baseline, r);
	if (!err && (r->received != r->sent || r->sent != p.count * n || r->bad ||
		     r->out_of_order || r->skb_delta)) {
		net_frametest_print("frametest FAILED", r);
		err = -EIO;
	}
free:
	for (unsigned int i = 0; i < n; i++)
		ft_dir_free(&dirs[i]);
	kfree(dirs);
	return err;
}
EXPORT_SYMBOL_GPL(net_frametest_run);

/**
 * net_frametest_print() - log @r
 * @what: prefix
 * @r: the result
 */
void net_frametest_print(const char *what, const struct net_frametest_result *r)
{
	u64 ms = r->ns / 1000000;

	pr_info("%s: sent %lu received %lu bad %lu out-of-order %lu lost %lu tx-dropped %lu skb-delta %ld, %llu ms (%llu frames/s)\n",
		what, r->sent, r->received, r->bad, r->out_of_order, r->lost, r->tx_dropped,
		r->skb_delta, ms, ms ? (u64)r->received * 1000 / ms : 0);
}
EXPORT_SYMBOL_GPL(net_frametest_print);
