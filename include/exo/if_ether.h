/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ethernet frame constants and header, as Linux's <uapi/linux/if_ether.h>.
 */
#ifndef _EXO_IF_ETHER_H
#define _EXO_IF_ETHER_H

#include <exo/types.h>

#define ETH_ALEN	6		/* octets in one Ethernet address */
#define ETH_TLEN	2		/* octets in the type field */
#define ETH_HLEN	14		/* octets in the header */
#define ETH_ZLEN	60		/* minimum frame without FCS */
#define ETH_DATA_LEN	1500		/* maximum payload (the default MTU) */
#define ETH_FRAME_LEN	1514		/* maximum frame without FCS */
#define ETH_FCS_LEN	4		/* octets in the frame check sequence */
#define ETH_MIN_MTU	68
#define ETH_MAX_MTU	0xFFFFU

/* Ethernet protocol IDs (host values; the header field is big-endian). */
#define ETH_P_LOOP	0x0060		/* Ethernet loopback packet */
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_802_3_MIN	0x0600		/* lower values are 802.3 lengths */
#define ETH_P_IPV6	0x86DD
#define ETH_P_LOCAL_EXP1 0x88B5		/* IEEE local experimental (frame tests) */
#define ETH_P_LOCAL_EXP2 0x88B6
#define ETH_P_802_3	0x0001		/* dummy type for 802.3 frames */
#define ETH_P_ALL	0x0003		/* every packet (packet taps) */
#define ETH_P_802_2	0x0004		/* 802.2 frames */

/**
 * struct ethhdr - an Ethernet II header
 * @h_dest: destination address
 * @h_source: source address
 * @h_proto: the EtherType, big-endian
 */
struct ethhdr {
	unsigned char h_dest[ETH_ALEN];
	unsigned char h_source[ETH_ALEN];
	__be16 h_proto;
} __packed;

#endif /* _EXO_IF_ETHER_H */
