// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery of received packets to packet taps (struct packet_type), as
 * Linux's __netif_receive_skb() without a protocol stack behind it.
 *
 * Taps for every packet of every device are on ptype_all, those of one
 * device on dev->ptype_all, those of one EtherType on ptype_base.
 * Receivers walk the lists on every CPU at once and take no lock, as
 * Linux's RCU readers: each counts itself in its CPU's ptype_readers
 * (bottom halves off) and never waits, so a tap's func may receive again
 * (a nested reader) or add a tap.  Writers serialise on ptype_lock (a
 * spinlock, so dev_add_pack() works in any context but hardirq).  An
 * addition is published with a release store after the entry is
 * complete, so a reader sees it whole or not at all.  A removal unlinks
 * the entry but leaves its ->next, so a reader standing on it walks on;
 * then ptype_sync() (Linux's synchronize_net()) waits until every CPU
 * has been seen without readers, after which no reader can still hold
 * the entry.  So dev_remove_pack() returning means the tap's func runs
 * nowhere and the owner may free it; it must not be called from a tap
 * (it would wait for itself).  Every tap but the last gets its own
 * reference (skb_get()) to the one skb: taps must not change it.
 */
#include <exo/bottom_half.h>
#include <exo/byteorder.h>
#include <exo/export.h>
#include <exo/if_ether.h>
#include <exo/netdevice.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <trace/events/net.h>
#include "internal.h"

static DEFINE_SPINLOCK(ptype_lock);
static DEFINE_PER_CPU(unsigned int, ptype_readers);
/* Outermost readers that left, per CPU: ptype_sync() sees a CPU move on. */
static DEFINE_PER_CPU(unsigned long, ptype_exits);
static LIST_HEAD(ptype_all);
static LIST_HEAD(ptype_base);

static struct list_head *ptype_head(const struct packet_type *pt)
{
	if (pt->type == htons(ETH_P_ALL))
		return pt->dev ? &pt->dev->ptype_all : &ptype_all;
	return &ptype_base;
}

/* Bottom halves off on entry; nests. */
static void ptype_read_lock(void)
{
	this_cpu_inc(ptype_readers);
	smp_mb();	/* the count before the list loads: ptype_sync() */
}

static void ptype_read_unlock(void)
{
	unsigned int *readers = this_cpu_ptr(&ptype_readers);

	smp_mb();	/* the list loads before the count */
	WRITE_ONCE(*readers, *readers - 1);
	if (!*readers)
		WRITE_ONCE(*this_cpu_ptr(&ptype_exits), *this_cpu_ptr(&ptype_exits) + 1);
}

/* Readers walk with these loads: writers change the lists under them. */
#define ptype_for_each(pos, head)						\
	for (pos = list_entry(READ_ONCE((head)->next), typeof(*pos), list);	\
	     &pos->list != (head);						\
	     pos = list_entry(READ_ONCE(pos->list.next), typeof(*pos), list))

/* list_add_tail() that a reader walking @head sees whole or not at all. */
static void ptype_list_add_tail(struct list_head *new, struct list_head *head)
{
	struct list_head *prev = head->prev;

	new->next = head;
	new->prev = prev;
	smp_store_release(&prev->next, new);
	head->prev = new;
}

/* Unlink @e, leaving e->next for a reader standing on it. */
static void ptype_list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	WRITE_ONCE(e->prev->next, e->next);
	e->prev = NULL;
}

/*
 * Wait until no reader can still see an entry unlinked before the call.
 * Readers on one CPU nest (bottom halves off), so a CPU is done with the
 * entry once it has no reader, or once its outermost reader of the time
 * has left: its exit count moved.  The second is what lets a CPU that
 * receives back to back, and is rarely seen without a reader, let us go.
 */
static void ptype_sync(void)
{
	unsigned int cpu;

	might_sleep();
	smp_mb();
	for_each_possible_cpu(cpu) {
		unsigned long exits = READ_ONCE(per_cpu(ptype_exits, cpu));

		smp_rmb();	/* the exit count before the reader count */
		while (READ_ONCE(per_cpu(ptype_readers, cpu)) &&
		       READ_ONCE(per_cpu(ptype_exits, cpu)) == exits)
			cpu_relax();
	}
	smp_mb();
}

/**
 * dev_add_pack() - start delivering matching packets to @pt
 * @pt: the tap, with type, dev and func set
 *
 * Context: any but hard interrupt; also from a tap's func.
 */
void dev_add_pack(struct packet_type *pt)
{
	spin_lock_bh(&ptype_lock);
	ptype_list_add_tail(&pt->list, ptype_head(pt));
	spin_unlock_bh(&ptype_lock);
}
EXPORT_SYMBOL_GPL(dev_add_pack);

/**
 * dev_remove_pack() - stop delivering to @pt
 * @pt: a tap added with dev_add_pack(); one its device's unregistration
 *	already removed is accepted
 *
 * Context: thread, not from a tap's func (it waits for every reader).
 */
void dev_remove_pack(struct packet_type *pt)
{
	struct list_head *head;
	struct packet_type *p;
	bool found = false;

	spin_lock_bh(&ptype_lock);
	head = ptype_head(pt);
	list_for_each_entry(p, head, list)
		if (p == pt) {
			ptype_list_del(&pt->list);
			found = true;
			break;
		}
	spin_unlock_bh(&ptype_lock);
	/*
	 * Wait even if @pt was not found: the device's unregistration may
	 * have unlinked it and still be waiting for a reader inside pt->func,
	 * and our caller frees @pt once we return.
	 */
	ptype_sync();
	if (found)
		INIT_LIST_HEAD(&pt->list);
	else if (!(pt->dev && pt->dev->reg_state != NETREG_REGISTERED))
		pr_err("dev_remove_pack: %p was not added\n", pt);
}
EXPORT_SYMBOL_GPL(dev_remove_pack);

/* unregister_netdev(): drop @dev's taps, device-wide and per type. */
void dev_remove_taps(struct net_device *dev)
{
	struct packet_type *p, *n;

	spin_lock_bh(&ptype_lock);
	list_for_each_entry_safe(p, n, &dev->ptype_all, list)
		ptype_list_del(&p->list);
	INIT_LIST_HEAD(&dev->ptype_all);
	list_for_each_entry_safe(p, n, &ptype_base, list)
		if (p->dev == dev)
			ptype_list_del(&p->list);
	spin_unlock_bh(&ptype_lock);
	ptype_sync();
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

	ptype_for_each(pt, &ptype_all) {
		if (prev)
			deliver_skb(skb, prev, dev);
		prev = pt;
	}
	ptype_for_each(pt, &dev->ptype_all) {
		if (prev)
			deliver_skb(skb, prev, dev);
		prev = pt;
	}
	ptype_for_each(pt, &ptype_base) {
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
	trace_netif_receive_skb(skb);
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
