/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual Ethernet pairs (drivers/net/veth.c): what one device of a pair
 * transmits, the other receives through NAPI, queue for queue, with no
 * copy.  Used by the network layer's tests and the `veth` command.
 */
#ifndef _DRIVERS_NET_VETH_H
#define _DRIVERS_NET_VETH_H

struct net_device;

/* Packets one RX queue holds before its peer's TX queue is stopped. */
#define VETH_RING_SIZE	256

/**
 * veth_create_pair() - create, register and open two joined devices
 * @name_a: name (or "veth%d")
 * @name_b: the peer's name (or "veth%d")
 * @queues: TX and RX queues of each, 1..NETDEV_MAX_QUEUES
 * @pa: set to the first device
 * @pb: set to the second
 *
 * Both come up with random addresses and the carrier on.
 * Context: thread.  Return: 0, -EINVAL for a bad queue count, -ENOMEM,
 * or register_netdev()'s error (nothing is left behind).
 */
int veth_create_pair(const char *name_a, const char *name_b, unsigned int queues,
		     struct net_device **pa, struct net_device **pb);

/**
 * veth_destroy_pair() - unregister and free @dev and its peer
 * Context: thread.
 */
void veth_destroy_pair(struct net_device *dev);

/**
 * veth_set_ring_size() - packets an RX queue holds before it stops its
 * peer's TX queue (tests; default VETH_RING_SIZE)
 */
void veth_set_ring_size(struct net_device *dev, unsigned int size);

#endif /* _DRIVERS_NET_VETH_H */
