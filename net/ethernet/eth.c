// SPDX-License-Identifier: GPL-2.0
/*
 * Ethernet helpers (<exo/etherdevice.h>), as Linux's net/ethernet/eth.c.
 */
#include <exo/byteorder.h>
#include <exo/errno.h>
#include <exo/etherdevice.h>
#include <exo/export.h>
#include <exo/time.h>
#include "../core/internal.h"

/**
 * ether_setup() - Ethernet defaults for @dev
 * @dev: the device
 */
void ether_setup(struct net_device *dev)
{
	dev->type = ARPHRD_ETHER;
	dev->hard_header_len = ETH_HLEN;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->addr_len = ETH_ALEN;
	dev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	eth_broadcast_addr(dev->broadcast);
}
EXPORT_SYMBOL_GPL(ether_setup);

/**
 * alloc_etherdev_mqs() - an Ethernet device named "eth%d"
 * @sizeof_priv: private bytes
 * @txqs: TX queues
 * @rxqs: RX queues
 *
 * Return: the device or NULL.
 */
struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs, unsigned int rxqs)
{
	return alloc_netdev_mqs(sizeof_priv, "eth%d", NET_NAME_ENUM, ether_setup, txqs, rxqs);
}
EXPORT_SYMBOL_GPL(alloc_etherdev_mqs);

/**
 * eth_type_trans() - classify a received frame and pull its header
 * @skb: at least ETH_HLEN bytes
 * @dev: the receiving device
 *
 * Return: the protocol for skb->protocol.
 */
__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	const struct ethhdr *eth;

	skb->dev = dev;
	skb_reset_mac_header(skb);
	skb->mac_len = ETH_HLEN;
	eth = (const struct ethhdr *)skb->data;
	if (unlikely(!skb_pull(skb, ETH_HLEN)))
		return htons(ETH_P_802_2);
	if (unlikely(is_multicast_ether_addr(eth->h_dest)))
		skb->pkt_type = is_broadcast_ether_addr(eth->h_dest) ? PACKET_BROADCAST :
								       PACKET_MULTICAST;
	else if (unlikely(!ether_addr_equal(eth->h_dest, dev->dev_addr)))
		skb->pkt_type = PACKET_OTHERHOST;
	else
		skb->pkt_type = PACKET_HOST;
	if (likely(ntohs(eth->h_proto) >= ETH_P_802_3_MIN))
		return eth->h_proto;
	/* 802.3 length field: raw 802.3 (IPX's 0xFFFF) or 802.2 LLC. */
	if (skb->len >= 2 && *(const unsigned short *)skb->data == 0xFFFF)
		return htons(ETH_P_802_3);
	return htons(ETH_P_802_2);
}
EXPORT_SYMBOL_GPL(eth_type_trans);

/**
 * eth_random_addr() - a random locally administered unicast address
 * @addr: ETH_ALEN bytes
 */
void eth_random_addr(u8 *addr)
{
	static u64 state;
	u64 x = ktime_get_ns() ^ (state += 0x9e3779b97f4a7c15ULL);

	/* splitmix64: the boot time and a counter, well mixed. */
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	x ^= x >> 31;
	for (int i = 0; i < ETH_ALEN; i++)
		addr[i] = (u8)(x >> (8 * i));
	addr[0] &= 0xfe;	/* unicast */
	addr[0] |= 0x02;	/* locally administered */
}
EXPORT_SYMBOL_GPL(eth_random_addr);

/**
 * eth_hw_addr_random() - give @dev a random address
 * @dev: the device
 */
void eth_hw_addr_random(struct net_device *dev)
{
	u8 addr[ETH_ALEN];

	eth_random_addr(addr);
	eth_hw_addr_set(dev, addr);
}
EXPORT_SYMBOL_GPL(eth_hw_addr_random);

/**
 * eth_validate_addr() - check @dev's address
 * @dev: the device
 *
 * Return: 0 or -EADDRNOTAVAIL.
 */
int eth_validate_addr(struct net_device *dev)
{
	return is_valid_ether_addr(dev->dev_addr) ? 0 : -EADDRNOTAVAIL;
}
EXPORT_SYMBOL_GPL(eth_validate_addr);
