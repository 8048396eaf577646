/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket buffers: the packets of the network device layer, as Linux's
 * <linux/skbuff.h> without fragments (every skb is linear).
 *
 *	head          data               tail           end
 *	 |  headroom   |   len bytes      |   tailroom   |
 *
 * A driver allocates a receive buffer with netdev_alloc_skb_ip_align(),
 * DMAs into skb->data, skb_put()s the received length and hands it up
 * with napi_gro_receive()/netif_receive_skb(); the layer never copies it.
 * On transmit it gets the skb from ndo_start_xmit(), maps skb->data and
 * frees it with dev_kfree_skb_any() once the device is done with it.
 *
 * Every skb is counted (skb_live_count()), so tests can check that a
 * device, a driver or a test gave back every buffer it took.
 * Documentation/net.rst describes the layer.
 */
#ifndef _EXO_SKBUFF_H
#define _EXO_SKBUFF_H

#include <exo/atomic.h>
#include <exo/bug.h>
#include <exo/gfp.h>
#include <exo/if_ether.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/types.h>

struct net_device;
struct napi_struct;

/* Headroom netdev_alloc_skb() reserves for headers pushed later (Linux's). */
#define NET_SKB_PAD	64
/*
 * Extra headroom netdev_alloc_skb_ip_align() reserves so that the IP
 * header after the 14-byte Ethernet header is 4-byte aligned.
 */
#define NET_IP_ALIGN	2

/* skb->pkt_type: what the destination address says (eth_type_trans()). */
#define PACKET_HOST		0	/* to us */
#define PACKET_BROADCAST	1	/* to all */
#define PACKET_MULTICAST	2	/* to a group */
#define PACKET_OTHERHOST	3	/* to someone else (promiscuous) */
#define PACKET_OUTGOING		4	/* our own, looped back */

/**
 * struct sk_buff - a packet
 * @next: next in a struct sk_buff_head (or the owner's list)
 * @prev: previous in a struct sk_buff_head
 * @dev: the device it arrived on or leaves by
 * @len: bytes of data (tail - data)
 * @data_len: bytes in fragments: always 0 here (linear skbs only)
 * @mac_len: length of the link-layer header
 * @queue_mapping: TX queue it goes out on / RX queue it came in on
 * @queue_mapping_set: the sender chose the TX queue (skb_set_queue_mapping())
 * @protocol: the EtherType, big-endian (eth_type_trans() sets it)
 * @pkt_type: PACKET_* class of the destination address
 * @mac_header: offset of the link-layer header from @head (~0: unset)
 * @network_header: offset of the network header from @head
 * @truesize: memory this buffer accounts for (struct and data)
 * @users: references; kfree_skb() frees at 0 (skb_get() takes one)
 * @head: start of the buffer
 * @data: start of the data
 * @tail: end of the data
 * @end: end of the buffer
 * @cb: control buffer, free for the current owner's use
 */
struct sk_buff {
	struct sk_buff *next;
	struct sk_buff *prev;
	struct net_device *dev;
	unsigned int len;
	unsigned int data_len;
	u16 mac_len;
	u16 queue_mapping;
	__be16 protocol;
	u8 pkt_type;
	u8 queue_mapping_set;
	u16 mac_header;
	u16 network_header;
	unsigned int truesize;
	atomic_t users;
	unsigned char *head;
	unsigned char *data;
	unsigned char *tail;
	unsigned char *end;
	char cb[48] __aligned(8);
};

/**
 * struct sk_buff_head - a queue of skbs with a length and a lock
 * @next: first skb (or the head itself when empty)
 * @prev: last skb
 * @qlen: skbs queued
 * @lock: for the locked helpers (skb_queue_tail(), skb_dequeue()); the
 *	__ ones leave locking to the caller
 */
struct sk_buff_head {
	struct sk_buff *next;
	struct sk_buff *prev;
	u32 qlen;
	spinlock_t lock;
};

/**
 * alloc_skb() - allocate an skb with @size bytes of buffer, all tailroom
 * @size: bytes of buffer (headroom + data + tailroom)
 * @gfp: GFP_KERNEL in thread context, GFP_ATOMIC anywhere else
 *
 * Context: per @gfp.  Return: the skb (len 0, data == head), or NULL when
 * memory is short.
 */
struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp);

/**
 * __netdev_alloc_skb() - allocate a receive skb for @dev
 * @dev: the device it is for (may be NULL)
 * @len: bytes of data wanted after the NET_SKB_PAD headroom
 * @gfp: allocation flags
 *
 * Context: per @gfp.  Return: the skb, skb->dev = @dev, or NULL.
 */
struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int len, gfp_t gfp);

/** netdev_alloc_skb() - __netdev_alloc_skb() with GFP_ATOMIC (any context) */
static inline struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int len)
{
	return __netdev_alloc_skb(dev, len, GFP_ATOMIC);
}

/** __netdev_alloc_skb_ip_align() - __netdev_alloc_skb() plus NET_IP_ALIGN headroom */
struct sk_buff *__netdev_alloc_skb_ip_align(struct net_device *dev, unsigned int len, gfp_t gfp);

/** netdev_alloc_skb_ip_align() - __netdev_alloc_skb_ip_align(), GFP_ATOMIC */
static inline struct sk_buff *netdev_alloc_skb_ip_align(struct net_device *dev, unsigned int len)
{
	return __netdev_alloc_skb_ip_align(dev, len, GFP_ATOMIC);
}

/**
 * napi_alloc_skb() - allocate a receive skb from a NAPI poll
 * @napi: the polling context (its device becomes skb->dev)
 * @len: bytes of data wanted after the headroom
 *
 * Context: softirq (a NAPI poll).  Return: the skb (NET_SKB_PAD +
 * NET_IP_ALIGN headroom), or NULL.
 */
struct sk_buff *napi_alloc_skb(struct napi_struct *napi, unsigned int len);

/**
 * kfree_skb() - drop a reference to @skb, freeing it at the last one
 *
 * The packet is counted as dropped by tracing tools in Linux; here
 * kfree_skb() and consume_skb() differ in name only.  NULL is accepted.
 * Context: any but NMI/exception.
 */
void kfree_skb(struct sk_buff *skb);

/** consume_skb() - kfree_skb() of a packet that was used, not dropped */
void consume_skb(struct sk_buff *skb);

/** dev_kfree_skb() - kfree_skb() for drivers */
#define dev_kfree_skb(skb)	consume_skb(skb)
/** dev_kfree_skb_any() - free an skb from any context (IRQ included) */
#define dev_kfree_skb_any(skb)	consume_skb(skb)
/** dev_kfree_skb_irq() - free an skb from a hard interrupt handler */
#define dev_kfree_skb_irq(skb)	consume_skb(skb)
/** napi_consume_skb() - free a transmitted skb from a NAPI poll (@budget unused) */
#define napi_consume_skb(skb, budget)	consume_skb(skb)

/**
 * skb_copy() - a private copy of @skb (data, headroom and header offsets)
 * Context: per @gfp.  Return: the copy, or NULL.
 */
struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp);

/**
 * skb_live_count() - skbs allocated and not yet freed, all CPUs together
 *
 * Exo-OS only: the leak checks of the tests compare it with a baseline.
 * Context: any.
 */
long skb_live_count(void);

/**
 * skb_over_panic() - report an skb_put()/skb_push() beyond the buffer
 *
 * Logs the skb and warns; the caller then does nothing to the skb.
 */
void skb_over_panic(struct sk_buff *skb, unsigned int len, void *here);

/** skb_get() - take a reference to @skb.  Return: @skb. */
static inline struct sk_buff *skb_get(struct sk_buff *skb)
{
	atomic_inc(&skb->users);
	return skb;
}

static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->tail;
}

static inline unsigned char *skb_end_pointer(const struct sk_buff *skb)
{
	return skb->end;
}

/** skb_headroom() - bytes free before skb->data */
static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return skb->data - skb->head;
}

/** skb_tailroom() - bytes free after the data */
static inline unsigned int skb_tailroom(const struct sk_buff *skb)
{
	return skb->end - skb->tail;
}

/** skb_headlen() - bytes in the linear part (all of them here) */
static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len - skb->data_len;
}

static inline bool skb_is_nonlinear(const struct sk_buff *skb)
{
	return skb->data_len != 0;
}

/**
 * skb_reserve() - make @len bytes of headroom in an empty skb
 *
 * Only before any data was added (tail moves with data).
 */
static inline void skb_reserve(struct sk_buff *skb, int len)
{
	skb->data += len;
	skb->tail += len;
}

/** __skb_put() - skb_put() without the bounds check */
static inline void *__skb_put(struct sk_buff *skb, unsigned int len)
{
	void *tmp = skb->tail;

	skb->tail += len;
	skb->len += len;
	return tmp;
}

/**
 * skb_put() - add @len bytes of data at the tail
 *
 * More than skb_tailroom() is a bug: it is logged (skb_over_panic()) and
 * the skb is left unchanged.
 * Return: where the added bytes start.
 */
static inline void *skb_put(struct sk_buff *skb, unsigned int len)
{
	void *tmp = skb->tail;

	if (unlikely(len > skb_tailroom(skb))) {
		skb_over_panic(skb, len, __builtin_return_address(0));
		return tmp;
	}
	skb->tail += len;
	skb->len += len;
	return tmp;
}

/** skb_put_data() - skb_put() and copy @len bytes of @data there */
static inline void *skb_put_data(struct sk_buff *skb, const void *data, unsigned int len)
{
	void *tmp = skb_put(skb, len);

	memcpy(tmp, data, len);
	return tmp;
}

/** skb_put_zero() - skb_put() @len zero bytes */
static inline void *skb_put_zero(struct sk_buff *skb, unsigned int len)
{
	void *tmp = skb_put(skb, len);

	memset(tmp, 0, len);
	return tmp;
}

/**
 * skb_push() - add @len bytes of data at the front (into the headroom)
 *
 * More than skb_headroom() is logged and leaves the skb unchanged.
 * Return: the new skb->data.
 */
static inline void *skb_push(struct sk_buff *skb, unsigned int len)
{
	if (unlikely(len > skb_headroom(skb))) {
		skb_over_panic(skb, len, __builtin_return_address(0));
		return skb->data;
	}
	skb->data -= len;
	skb->len += len;
	return skb->data;
}

/** __skb_pull() - skb_pull() without the check */
static inline void *__skb_pull(struct sk_buff *skb, unsigned int len)
{
	skb->len -= len;
	return skb->data += len;
}

/**
 * skb_pull() - remove @len bytes from the front of the data
 * Return: the new skb->data, or NULL (skb unchanged) if @len > skb->len.
 */
static inline void *skb_pull(struct sk_buff *skb, unsigned int len)
{
	return unlikely(len > skb->len) ? NULL : __skb_pull(skb, len);
}

/** skb_trim() - cut the data down to @len bytes (no-op if already shorter) */
static inline void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (skb->len > len) {
		skb->len = len;
		skb->tail = skb->data + len;
	}
}

static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}

static inline void skb_reset_mac_header(struct sk_buff *skb)
{
	skb->mac_header = (u16)(skb->data - skb->head);
}

static inline void skb_reset_network_header(struct sk_buff *skb)
{
	skb->network_header = (u16)(skb->data - skb->head);
}

static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}

static inline void skb_record_rx_queue(struct sk_buff *skb, u16 rx_queue)
{
	skb->queue_mapping = rx_queue + 1;
}

static inline u16 skb_get_rx_queue(const struct sk_buff *skb)
{
	return skb->queue_mapping - 1;
}

static inline bool skb_rx_queue_recorded(const struct sk_buff *skb)
{
	return skb->queue_mapping != 0;
}

/**
 * skb_set_queue_mapping() - send @skb on TX queue @queue_mapping
 *
 * dev_queue_xmit() honours it (modulo the queues in use) over
 * ndo_select_queue() and the CPU-based default.
 */
static inline void skb_set_queue_mapping(struct sk_buff *skb, u16 queue_mapping)
{
	skb->queue_mapping = queue_mapping;
	skb->queue_mapping_set = 1;
}

static inline u16 skb_get_queue_mapping(const struct sk_buff *skb)
{
	return skb->queue_mapping;
}

/**
 * skb_padto() - zero-pad @skb's data to @len bytes
 *
 * On failure the skb is freed, as in Linux.
 * Return: 0, or -ENOMEM (skb freed) when the tailroom is short.
 */
int skb_padto(struct sk_buff *skb, unsigned int len);

/** eth_skb_pad() - skb_padto() the minimum Ethernet frame (ETH_ZLEN) */
static inline int eth_skb_pad(struct sk_buff *skb)
{
	return skb_padto(skb, ETH_ZLEN);
}

/* Queues.  The __ helpers need the caller's locking; the others take the lock. */

static inline void __skb_queue_head_init(struct sk_buff_head *list)
{
	list->prev = list->next = (struct sk_buff *)list;
	list->qlen = 0;
}

static inline void skb_queue_head_init(struct sk_buff_head *list)
{
	spin_lock_init(&list->lock);
	__skb_queue_head_init(list);
}

static inline u32 skb_queue_len(const struct sk_buff_head *list)
{
	return READ_ONCE(list->qlen);
}

static inline bool skb_queue_empty(const struct sk_buff_head *list)
{
	return list->next == (const struct sk_buff *)list;
}

static inline struct sk_buff *skb_peek(const struct sk_buff_head *list)
{
	struct sk_buff *skb = list->next;

	return skb == (const struct sk_buff *)list ? NULL : skb;
}

static inline void __skb_insert(struct sk_buff *newsk, struct sk_buff *prev,
				struct sk_buff *next, struct sk_buff_head *list)
{
	newsk->next = next;
	newsk->prev = prev;
	next->prev = newsk;
	prev->next = newsk;
	WRITE_ONCE(list->qlen, list->qlen + 1);
}

static inline void __skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk)
{
	__skb_insert(newsk, list->prev, (struct sk_buff *)list, list);
}

static inline void __skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk)
{
	__skb_insert(newsk, (struct sk_buff *)list, list->next, list);
}

static inline void __skb_unlink(struct sk_buff *skb, struct sk_buff_head *list)
{
	struct sk_buff *next = skb->next, *prev = skb->prev;

	WRITE_ONCE(list->qlen, list->qlen - 1);
	next->prev = prev;
	prev->next = next;
	skb->next = skb->prev = NULL;
}

static inline struct sk_buff *__skb_dequeue(struct sk_buff_head *list)
{
	struct sk_buff *skb = skb_peek(list);

	if (skb)
		__skb_unlink(skb, list);
	return skb;
}

/** skb_queue_tail() - queue @newsk at the end of @list, under its lock (any context) */
void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk);
/** skb_queue_head() - queue @newsk at the front of @list, under its lock */
void skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk);
/** skb_dequeue() - take the first skb of @list under its lock.  Return: it or NULL. */
struct sk_buff *skb_dequeue(struct sk_buff_head *list);
/** skb_queue_purge() - kfree_skb() every skb of @list, under its lock */
void skb_queue_purge(struct sk_buff_head *list);
/** __skb_queue_purge() - skb_queue_purge() without the lock */
void __skb_queue_purge(struct sk_buff_head *list);

#define skb_queue_walk(queue, skb)					\
	for (skb = (queue)->next; skb != (struct sk_buff *)(queue); skb = skb->next)

#define skb_queue_walk_safe(queue, skb, tmp)				\
	for (skb = (queue)->next, tmp = skb->next;			\
	     skb != (struct sk_buff *)(queue); skb = tmp, tmp = skb->next)

#endif /* _EXO_SKBUFF_H */
