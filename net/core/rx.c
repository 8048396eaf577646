// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery of received packets to packet taps (struct packet_type), as
 * Linux's __netif_receive_skb() without a protocol stack behind it.
 *
 * Taps for every packet of every device are on ptype_all, those of one
 * device on dev->ptype_all, those of one EtherType on ptype_base.
 * Receivers walk the lists on every CPU at once, so they take no shared
 * lock: each marks itself in its CPU's ptype_readers (bottom halves off)
 * and checks ptype_writer; a writer (dev_add_pack(), dev_remove_pack(),
 * under ptype_mutex) raises ptype_writer and waits until no CPU reads,
 * changes the lists and lowers it.  A reader that finds a writer backs
 * off and waits.  So dev_remove_pack() returning means the tap's func
 * runs nowhere and the owner may free it.  Every tap but the last gets
 * its own reference (skb_get()) to the one skb: taps must not change it.
 */
#include <exo/bottom_half.h>
#include <exo/byteorder.h>
#include <exo/export.h>
#include <exo/if_ether.h>
#include <exo/netdevice.h>
#include <exo/mutex.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include "internal.h"

static DEFINE_MUTEX(ptype_mutex);
static DEFINE_PER_CPU(unsigned int, ptype_readers);
static int ptype_writer;
static LIST_HEAD(ptype_all);
static LIST_HEAD(ptype_base);

static struct list_head *ptype_head(const struct packet_type *pt)
{
	if (pt->type == htons(ETH_P_ALL))
		return pt->dev ? &pt->dev->ptype_all : &ptype_all;
	return &ptype_base;
}

/* Bottom halves off on entry. */
static void ptype_read_lock(void)
{
	for (;;) {
		this_cpu_inc(ptype_readers);
		smp_mb();
		if (likely(!READ_ONCE(ptype_writer)))
			return;
		this_cpu_dec(ptype_readers);
		while (READ_ONCE(ptype_writer))
			cpu_relax();
	}
}

static void ptype_read_unlock(void)
{
	smp_mb();
	this_cpu_dec(ptype_readers);
}

static void ptype_write_lock(void)
{
	unsigned int cpu;

	mutex_lock(&ptype_mutex);
	/* No reader may run on top of us here: it would wait for us forever. */
	local_bh_disable();
	WRITE_ONCE(ptype_writer, 1);
	smp_mb();
	for_each_possible_cpu(cpu)
		while (READ_ONCE(per_cpu(ptype_readers, cpu)))
			cpu_relax();
}

static void ptype_write_unlock(void)
{
	smp_mb();
	WRITE_ONCE(ptype_writer, 0);
	local_bh_enable();
	mutex_unlock(&ptype_mutex);
}

/**
 * dev_add_pack() - start delivering matching packets to @pt
 * @pt: the tap, with type, dev and func set
 */
void dev_add_pack(struct packet_type *pt)
{
	ptype_write_lock();
	list_add_tail(&pt->list, ptype_head(pt));
	ptype_write_unlock();
}
EXPORT_SYMBOL_GPL(dev_add_pack);

/**
 * dev_remove_pack() - stop delivering to @pt
 * @pt: a tap added with dev_add_pack(); one its device's unregistration
 *	already removed is accepted
 */
void dev_remove_pack(struct packet_type *pt)
{
	struct list_head *head;
	struct packet_type *p;
	bool found = false;

	ptype_write_lock();
	head = ptype_head(pt);
	list_for_each_entry(p, head, list)
		if (p == pt) {
			list_del_init(&pt->list);
			found = true;
			break;
		}
	ptype_write_unlock();
	if (!found && !(pt->dev && pt->dev->reg_state != NETREG_REGISTERED))
		pr_err("dev_remove_pack: %p was not added\n", pt);
}
EXPORT_SYMBOL_GPL(dev_remove_pack);

/* unregister_netdev(): drop @dev's taps, device-wide and per type. */
void dev_remove_taps(struct net_device *dev)
{
	struct packet_type *p, *n;

	ptype_write_lock();
	list_for_each_entry_safe(p, n, &dev->ptype_all, list)
		list_del_init(&p->list);
	list_for_each_entry_safe(p, n, &ptype_base, list)
		if (p->dev == dev)
			list_del_init(&p->list);
	ptype_write_unlock();
}

/* Hand @skb to @pt, keeping a reference for the next one. */
static void deliver_skb(struct sk_buff *skb, struct packet_type *pt, struct net_device *dev)
{
	skb_get(skb);
	pt->func(skb, dev, pt, dev);
}

static int deliver_all(struct sk_buff *skb, struct net_device *dev)
{
	struct packet_type *pt, *prev = NULL;
	__be16 type = skb->protocol;

	list_for_each_entry(pt, &ptype_all, list) {
		if (prev)
			deliver_skb(skb, prev, dev);
		prev = pt;
	}
	list_for_each_entry(pt, &dev->ptype_all, list) {
		if (prev)
			deliver_skb(skb, prev, dev);
		prev = pt;
	}
	list_for_each_entry(pt, &ptype_base, list) {
		if (pt->type != type || (pt->dev && pt->dev != dev))
			continue;
		if (prev)
			deliver_skb(skb, prev, dev);
		prev = pt;
	}
	if (prev)
		return prev->func(skb, dev, prev, dev);
	atomic_long_inc(&dev->rx_nohandler);
	kfree_skb(skb);
	return NET_RX_DROP;
}

/**
 * netif_receive_skb() - deliver @skb to the taps
 * @skb: the packet, consumed
 *
 * Return: NET_RX_SUCCESS, or NET_RX_DROP (no tap, or no device).
 */
int netif_receive_skb(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	int ret;

	if (unlikely(!dev)) {
		pr_err("netif_receive_skb: skb without a device\n");
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	if (skb->mac_header == (u16)~0U)
		skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	local_bh_disable();
	ptype_read_lock();
	ret = deliver_all(skb, dev);
	ptype_read_unlock();
	local_bh_enable();
	return ret == NET_RX_DROP ? NET_RX_DROP : NET_RX_SUCCESS;
}
EXPORT_SYMBOL_GPL(netif_receive_skb);

/**
 * napi_gro_receive() - netif_receive_skb() from a NAPI poll
 * @napi: the poll's context
 * @skb: the packet, consumed
 *
 * Return: NET_RX_SUCCESS or NET_RX_DROP (Linux returns a gro_result_t).
 */
int napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb)
{
	return netif_receive_skb(skb);
}
EXPORT_SYMBOL_GPL(napi_gro_receive);
