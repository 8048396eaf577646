// SPDX-License-Identifier: GPL-2.0
/*
 * Socket buffers (<exo/skbuff.h>): one kmalloc for the structure and one
 * for the data, both freed when the last reference goes.  The data is
 * kmalloc memory, so it is physically contiguous and DMA-mappable.
 */
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/netdevice.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/skbuff.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include "internal.h"

/* Allocations minus frees on this CPU (an skb may be freed elsewhere). */
static DEFINE_PER_CPU(long, skb_live);

/**
 * alloc_skb() - allocate an skb with @size bytes of buffer
 * @size: bytes of buffer
 * @gfp: allocation flags
 *
 * Context: per @gfp.  Return: the skb, or NULL.
 */
struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp)
{
	struct sk_buff *skb;
	unsigned char *data;

	if (unlikely(size > NET_SKB_MAX_SIZE)) {
		pr_err_ratelimited("alloc_skb: %u bytes is over the %u limit\n", size,
				   NET_SKB_MAX_SIZE);
		return NULL;
	}
	skb = kmalloc(sizeof(*skb), gfp);
	if (unlikely(!skb))
		return NULL;
	/* Cache-line multiple: the driver may DMA into the whole buffer. */
	size = ALIGN(size, 64U);
	data = kmalloc(size, gfp);
	if (unlikely(!data)) {
		kfree(skb);
		return NULL;
	}
	memset(skb, 0, offsetof(struct sk_buff, cb));
	atomic_set(&skb->users, 1);
	skb->head = skb->data = skb->tail = data;
	skb->end = data + size;
	skb->truesize = size + sizeof(*skb);
	skb->mac_header = (u16)~0U;
	this_cpu_inc(skb_live);
	return skb;
}
EXPORT_SYMBOL_GPL(alloc_skb);

/**
 * __netdev_alloc_skb() - allocate a receive skb with NET_SKB_PAD headroom
 * @dev: its device, or NULL
 * @len: bytes of data room
 * @gfp: allocation flags
 *
 * Return: the skb or NULL.
 */
struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int len, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(len + NET_SKB_PAD, gfp);

	if (likely(skb)) {
		skb_reserve(skb, NET_SKB_PAD);
		skb->dev = dev;
	}
	return skb;
}
EXPORT_SYMBOL_GPL(__netdev_alloc_skb);

/**
 * __netdev_alloc_skb_ip_align() - __netdev_alloc_skb() + NET_IP_ALIGN headroom
 * @dev: its device, or NULL
 * @len: bytes of data room
 * @gfp: allocation flags
 *
 * Return: the skb or NULL.
 */
struct sk_buff *__netdev_alloc_skb_ip_align(struct net_device *dev, unsigned int len, gfp_t gfp)
{
	struct sk_buff *skb = __netdev_alloc_skb(dev, len + NET_IP_ALIGN, gfp);

	if (likely(skb))
		skb_reserve(skb, NET_IP_ALIGN);
	return skb;
}
EXPORT_SYMBOL_GPL(__netdev_alloc_skb_ip_align);

/**
 * napi_alloc_skb() - allocate a receive skb from a NAPI poll
 * @napi: the poll's context
 * @len: bytes of data room
 *
 * Return: the skb or NULL.
 */
struct sk_buff *napi_alloc_skb(struct napi_struct *napi, unsigned int len)
{
	return __netdev_alloc_skb_ip_align(napi->dev, len, GFP_ATOMIC);
}
EXPORT_SYMBOL_GPL(napi_alloc_skb);

static void __kfree_skb(struct sk_buff *skb)
{
	kfree(skb->head);
	kfree(skb);
	this_cpu_dec(skb_live);
}

/**
 * kfree_skb() - drop a reference; free at the last
 * @skb: the skb, or NULL
 */
void kfree_skb(struct sk_buff *skb)
{
	if (unlikely(!skb))
		return;
	if (likely(atomic_read(&skb->users) == 1) || atomic_dec_and_test(&skb->users))
		__kfree_skb(skb);
}
EXPORT_SYMBOL_GPL(kfree_skb);

/**
 * consume_skb() - kfree_skb() of a packet that was used
 * @skb: the skb, or NULL
 */
void consume_skb(struct sk_buff *skb)
{
	kfree_skb(skb);
}
EXPORT_SYMBOL_GPL(consume_skb);

/**
 * skb_copy() - a private copy of @skb
 * @skb: the original
 * @gfp: allocation flags
 *
 * Return: the copy (same headroom, data, offsets, device, protocol and
 * queue), or NULL.
 */
struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp)
{
	unsigned int headroom = skb_headroom(skb);
	struct sk_buff *n = alloc_skb(skb->end - skb->head, gfp);

	if (!n)
		return NULL;
	skb_reserve(n, headroom);
	skb_put_data(n, skb->data, skb->len);
	n->dev = skb->dev;
	n->protocol = skb->protocol;
	n->pkt_type = skb->pkt_type;
	n->queue_mapping = skb->queue_mapping;
	n->queue_mapping_set = skb->queue_mapping_set;
	n->mac_header = skb->mac_header;
	n->mac_len = skb->mac_len;
	n->network_header = skb->network_header;
	memcpy(n->cb, skb->cb, sizeof(n->cb));
	return n;
}
EXPORT_SYMBOL_GPL(skb_copy);

/**
 * skb_live_count() - skbs allocated and not freed
 *
 * Return: the sum over the CPUs (exact when nothing allocates meanwhile).
 */
long skb_live_count(void)
{
	unsigned int cpu;
	long sum = 0;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(skb_live, cpu));
	return sum;
}
EXPORT_SYMBOL_GPL(skb_live_count);

/**
 * skb_over_panic() - report a put/push beyond the buffer
 * @skb: the skb
 * @len: bytes asked for
 * @here: the caller
 */
void skb_over_panic(struct sk_buff *skb, unsigned int len, void *here)
{
	pr_err("skb over/underflow: %pS asked %u bytes; len %u headroom %u tailroom %u dev %s\n",
	       here, len, skb->len, skb_headroom(skb), skb_tailroom(skb),
	       skb->dev ? skb->dev->name : "-");
	WARN_ON_ONCE(1);
}
EXPORT_SYMBOL_GPL(skb_over_panic);

/**
 * skb_padto() - zero-pad the data to @len bytes
 * @skb: the skb; freed on failure
 * @len: the minimum length
 *
 * Return: 0, or -ENOMEM (skb freed).
 */
int skb_padto(struct sk_buff *skb, unsigned int len)
{
	if (skb->len >= len)
		return 0;
	if (unlikely(len - skb->len > skb_tailroom(skb))) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	skb_put_zero(skb, len - skb->len);
	return 0;
}
EXPORT_SYMBOL_GPL(skb_padto);

/* Queue @newsk at the end (@tail) or the front of @list, under its lock. */
static void skb_queue_insert_locked(struct sk_buff_head *list, struct sk_buff *newsk, bool tail)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	if (tail)
		__skb_queue_tail(list, newsk);
	else
		__skb_queue_head(list, newsk);
	spin_unlock_irqrestore(&list->lock, flags);
}

/**
 * skb_queue_tail() - queue at the end, under the list's lock
 * @list: the queue
 * @newsk: the skb
 */
void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk)
{
	skb_queue_insert_locked(list, newsk, true);
}
EXPORT_SYMBOL_GPL(skb_queue_tail);

/**
 * skb_queue_head() - queue at the front, under the list's lock
 * @list: the queue
 * @newsk: the skb
 */
void skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk)
{
	skb_queue_insert_locked(list, newsk, false);
}
EXPORT_SYMBOL_GPL(skb_queue_head);

/**
 * skb_dequeue() - take the first skb, under the list's lock
 * @list: the queue
 *
 * Return: the skb or NULL.
 */
struct sk_buff *skb_dequeue(struct sk_buff_head *list)
{
	unsigned long flags;
	struct sk_buff *skb;

	spin_lock_irqsave(&list->lock, flags);
	skb = __skb_dequeue(list);
	spin_unlock_irqrestore(&list->lock, flags);
	return skb;
}
EXPORT_SYMBOL_GPL(skb_dequeue);

/**
 * __skb_queue_purge() - free every skb of @list (caller locks)
 * @list: the queue
 */
void __skb_queue_purge(struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list)))
		kfree_skb(skb);
}
EXPORT_SYMBOL_GPL(__skb_queue_purge);

/**
 * skb_queue_purge() - free every skb of @list, under its lock
 * @list: the queue
 */
void skb_queue_purge(struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(list)))
		kfree_skb(skb);
}
EXPORT_SYMBOL_GPL(skb_queue_purge);
