/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw packet taps (net/core/tap.c): a bounded queue of the frames one
 * device receives, as a packet socket would give them, for `net recv`
 * and for tests.  Exo-OS only (Linux has AF_PACKET sockets instead).
 */
#ifndef _EXO_NET_TAP_H
#define _EXO_NET_TAP_H

#include <exo/netdevice.h>
#include <exo/skbuff.h>
#include <exo/wait.h>

/**
 * struct net_raw_tap - a raw tap
 * @pt: its packet_type (ETH_P_ALL on one device)
 * @queue: received frames, oldest first
 * @limit: most frames queued; more are dropped and counted in @drops
 * @drops: frames dropped because the queue was full
 * @wq: readers wait here
 */
struct net_raw_tap {
	struct packet_type pt;
	struct sk_buff_head queue;
	unsigned int limit;
	atomic_long_t drops;
	struct wait_queue_head wq;
};

/**
 * net_raw_tap_open() - start queueing every frame @dev receives
 * @dev: a registered device
 * @limit: queue bound, 1..65536
 *
 * Context: thread.  Return: the tap, or ERR_PTR(-EINVAL) for a bad
 * @limit, ERR_PTR(-ENOMEM).
 */
struct net_raw_tap *net_raw_tap_open(struct net_device *dev, unsigned int limit);

/**
 * net_raw_tap_recv() - the oldest queued frame, waiting up to @timeout jiffies
 * @tap: the tap
 * @timeout: jiffies to wait; 0: don't wait
 *
 * The skb's data starts after the Ethernet header (eth_hdr() gives it).
 * Context: thread, may sleep.  Return: the skb (kfree_skb() it), or NULL
 * on timeout.
 */
struct sk_buff *net_raw_tap_recv(struct net_raw_tap *tap, unsigned long timeout);

/**
 * net_raw_tap_close() - stop the tap, free its queued frames and the tap
 * Context: thread, may sleep.
 */
void net_raw_tap_close(struct net_raw_tap *tap);

#endif /* _EXO_NET_TAP_H */
