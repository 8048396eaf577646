/* SPDX-License-Identifier: GPL-2.0 */
/* net/core internals, shared between its files (Documentation/net.rst). */
#ifndef _NET_CORE_INTERNAL_H
#define _NET_CORE_INTERNAL_H

#include <exo/interrupt.h>
#include <exo/list.h>
#include <exo/mutex.h>
#include <exo/netdevice.h>
#include <exo/percpu.h>
#include <exo/skbuff.h>

/* Largest buffer alloc_skb() hands out (jumbo frames fit). */
#define NET_SKB_MAX_SIZE	(64U * 1024)
/* netif_rx() backlog per CPU (Linux's netdev_max_backlog). */
#define NETDEV_MAX_BACKLOG	1000

/**
 * struct softnet_data - a CPU's receive and transmit work
 * @poll_list: NAPI contexts scheduled on this CPU
 * @output_queue: TX queues whose backlog NET_TX sends (singly linked)
 * @output_queue_tailp: where the next one is linked
 * @input_pkt_queue: netif_rx() packets
 * @backlog: the NAPI context that processes @input_pkt_queue
 * @processed: packets polled on this CPU
 * @time_squeeze: NET_RX runs that ended with work left
 * @dropped: netif_rx() packets dropped, backlog full
 */
struct softnet_data {
	struct list_head poll_list;
	struct netdev_queue *output_queue;
	struct netdev_queue **output_queue_tailp;
	struct sk_buff_head input_pkt_queue;
	struct napi_struct backlog;
	unsigned long processed;
	unsigned long time_squeeze;
	unsigned long dropped;
};

DECLARE_PER_CPU(struct softnet_data, softnet_data);

extern spinlock_t dev_base_lock;

/* xmit.c */
void net_tx_action(struct softirq_action *h);
void dev_activate(struct net_device *dev);
void dev_deactivate_queues(struct net_device *dev);
void netdev_init_queues(struct net_device *dev);

/* napi.c */
void flush_backlog(struct net_device *dev);
void net_rx_action(struct softirq_action *h);

/* rx.c */
void dev_remove_taps(struct net_device *dev);

/* dev.c */
bool net_ratelimit(void);
/* "aa:bb:cc:dd:ee:ff" into @buf (18 bytes). */
char *net_format_mac(char *buf, const u8 *addr);
/* Parse "aa:bb:cc:dd:ee:ff".  Return: 0 or -EINVAL. */
int net_parse_mac(const char *s, u8 *addr);

#endif /* _NET_CORE_INTERNAL_H */
