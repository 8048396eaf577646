/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ethernet devices, as Linux's <linux/etherdevice.h>: allocation with the
 * Ethernet defaults, address helpers and eth_type_trans() (net/ethernet/eth.c).
 */
#ifndef _EXO_ETHERDEVICE_H
#define _EXO_ETHERDEVICE_H

#include <exo/if_ether.h>
#include <exo/netdevice.h>
#include <exo/skbuff.h>
#include <exo/string.h>

/**
 * ether_setup() - the Ethernet defaults: type ARPHRD_ETHER, MTU 1500
 * (68..1500), ETH_HLEN header, 6-byte addresses, broadcast ff:ff:ff:ff:ff:ff,
 * IFF_BROADCAST | IFF_MULTICAST, DEFAULT_TX_QUEUE_LEN
 */
void ether_setup(struct net_device *dev);

/**
 * alloc_etherdev_mqs() - alloc_netdev_mqs() named "eth%d" with ether_setup()
 * Context: thread.  Return: the device or NULL.
 */
struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs, unsigned int rxqs);

#define alloc_etherdev_mq(sizeof_priv, count) alloc_etherdev_mqs(sizeof_priv, count, count)
#define alloc_etherdev(sizeof_priv) alloc_etherdev_mq(sizeof_priv, 1)

/**
 * eth_type_trans() - set up a received Ethernet frame for the layer
 *
 * Sets skb->dev, the MAC header and skb->pkt_type (from the destination
 * address), pulls the 14-byte header and returns the protocol: the
 * EtherType, or htons(ETH_P_802_3)/htons(ETH_P_802_2) for 802.3 length
 * fields.  Drivers do skb->protocol = eth_type_trans(skb, dev).
 * The skb must hold at least ETH_HLEN bytes.
 */
__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev);

/**
 * eth_hw_addr_random() - give @dev a random locally administered unicast
 * address
 */
void eth_hw_addr_random(struct net_device *dev);

/** eth_random_addr() - a random locally administered unicast address */
void eth_random_addr(u8 *addr);

/**
 * eth_validate_addr() - ndo_validate_addr for Ethernet
 * Return: 0, or -EADDRNOTAVAIL for an invalid address.
 */
int eth_validate_addr(struct net_device *dev);

static inline bool is_zero_ether_addr(const u8 *addr)
{
	return !(addr[0] | addr[1] | addr[2] | addr[3] | addr[4] | addr[5]);
}

/** is_multicast_ether_addr() - group bit set (broadcast included) */
static inline bool is_multicast_ether_addr(const u8 *addr)
{
	return addr[0] & 0x01;
}

static inline bool is_broadcast_ether_addr(const u8 *addr)
{
	return (addr[0] & addr[1] & addr[2] & addr[3] & addr[4] & addr[5]) == 0xff;
}

static inline bool is_unicast_ether_addr(const u8 *addr)
{
	return !is_multicast_ether_addr(addr);
}

static inline bool is_local_ether_addr(const u8 *addr)
{
	return addr[0] & 0x02;
}

/** is_valid_ether_addr() - neither multicast nor all zeroes */
static inline bool is_valid_ether_addr(const u8 *addr)
{
	return !is_multicast_ether_addr(addr) && !is_zero_ether_addr(addr);
}

static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	return !memcmp(a, b, ETH_ALEN);
}

static inline void ether_addr_copy(u8 *dst, const u8 *src)
{
	memcpy(dst, src, ETH_ALEN);
}

static inline void eth_broadcast_addr(u8 *addr)
{
	memset(addr, 0xff, ETH_ALEN);
}

static inline void eth_zero_addr(u8 *addr)
{
	memset(addr, 0, ETH_ALEN);
}

/** eth_hw_addr_set() - set @dev's address (the Linux 6.1 way to write dev_addr) */
static inline void eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
	ether_addr_copy(dev->dev_addr, addr);
}

static inline struct ethhdr *eth_hdr(const struct sk_buff *skb)
{
	return (struct ethhdr *)skb_mac_header(skb);
}

#endif /* _EXO_ETHERDEVICE_H */
