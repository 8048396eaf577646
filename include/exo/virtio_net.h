/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio network device (virtio 1.x section 5.1): feature bits, the
 * configuration space, the header in front of every frame and the
 * control queue's commands, with Linux's names
 * (include/uapi/linux/virtio_net.h).  Only what drivers/net/virtio_net.c
 * negotiates is used.  Multi-byte fields are little-endian (VERSION_1).
 */
#ifndef _EXO_VIRTIO_NET_H
#define _EXO_VIRTIO_NET_H

#include <exo/types.h>

#define VIRTIO_NET_F_CSUM		0	/* device takes partial checksums */
#define VIRTIO_NET_F_GUEST_CSUM		1	/* driver takes partial checksums */
#define VIRTIO_NET_F_CTRL_GUEST_OFFLOADS 2
#define VIRTIO_NET_F_MTU		3	/* config mtu is valid */
#define VIRTIO_NET_F_MAC		5	/* config mac is valid */
#define VIRTIO_NET_F_GUEST_TSO4		7
#define VIRTIO_NET_F_GUEST_TSO6		8
#define VIRTIO_NET_F_GUEST_ECN		9
#define VIRTIO_NET_F_GUEST_UFO		10
#define VIRTIO_NET_F_HOST_TSO4		11
#define VIRTIO_NET_F_HOST_TSO6		12
#define VIRTIO_NET_F_HOST_ECN		13
#define VIRTIO_NET_F_HOST_UFO		14
#define VIRTIO_NET_F_MRG_RXBUF		15	/* frames may span RX buffers */
#define VIRTIO_NET_F_STATUS		16	/* config status is valid */
#define VIRTIO_NET_F_CTRL_VQ		17	/* a control queue exists */
#define VIRTIO_NET_F_CTRL_RX		18
#define VIRTIO_NET_F_CTRL_VLAN		19
#define VIRTIO_NET_F_GUEST_ANNOUNCE	21
#define VIRTIO_NET_F_MQ			22	/* several RX/TX queue pairs */
#define VIRTIO_NET_F_CTRL_MAC_ADDR	23

/* virtio_net_config.status */
#define VIRTIO_NET_S_LINK_UP		1
#define VIRTIO_NET_S_ANNOUNCE		2

/**
 * struct virtio_net_config - the device's configuration space
 * @mac: its MAC address (VIRTIO_NET_F_MAC)
 * @status: VIRTIO_NET_S_* (VIRTIO_NET_F_STATUS)
 * @max_virtqueue_pairs: RX/TX queue pairs it has (VIRTIO_NET_F_MQ)
 * @mtu: its maximum MTU (VIRTIO_NET_F_MTU)
 */
struct virtio_net_config {
	u8 mac[6];
	__le16 status;
	__le16 max_virtqueue_pairs;
	__le16 mtu;
} __packed;

/* virtio_net_hdr.flags and .gso_type (no offload is negotiated: all 0) */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM	1
#define VIRTIO_NET_HDR_F_DATA_VALID	2
#define VIRTIO_NET_HDR_GSO_NONE		0

/**
 * struct virtio_net_hdr_v1 - in front of every frame, both ways
 * @flags: VIRTIO_NET_HDR_F_*
 * @gso_type: VIRTIO_NET_HDR_GSO_*
 * @hdr_len: header bytes of a GSO frame
 * @gso_size: its segment size
 * @csum_start: where a partial checksum starts
 * @csum_offset: where it is stored, from @csum_start
 * @num_buffers: RX buffers the frame spans (VIRTIO_NET_F_MRG_RXBUF)
 *
 * With VIRTIO_F_VERSION_1 the header always has @num_buffers: 12 bytes.
 */
struct virtio_net_hdr_v1 {
	u8 flags;
	u8 gso_type;
	__le16 hdr_len;
	__le16 gso_size;
	__le16 csum_start;
	__le16 csum_offset;
	__le16 num_buffers;
};

/* The control queue: a command is class, cmd, data (read), ack (written). */
struct virtio_net_ctrl_hdr {
	u8 class;
	u8 cmd;
} __packed;

typedef u8 virtio_net_ctrl_ack;
#define VIRTIO_NET_OK			0
#define VIRTIO_NET_ERR			1

/* Set the number of queue pairs in use (VIRTIO_NET_F_MQ). */
#define VIRTIO_NET_CTRL_MQ			4
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET		0
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN		1
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX		0x8000

struct virtio_net_ctrl_mq {
	__le16 virtqueue_pairs;
};

#endif /* _EXO_VIRTIO_NET_H */
