/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network device features (dev->features), Linux's NETIF_F_ names.  The
 * layer offloads nothing: a driver may advertise these, the layer never
 * hands it a packet that needs one (no checksum offload, segmentation or
 * scatter-gather: every skb is linear and complete).
 */
#ifndef _EXO_NETDEV_FEATURES_H
#define _EXO_NETDEV_FEATURES_H

#include <exo/types.h>

typedef u64 netdev_features_t;

#define NETIF_F_SG		(1ULL << 0)	/* scatter-gather I/O */
#define NETIF_F_IP_CSUM		(1ULL << 1)
#define NETIF_F_HW_CSUM		(1ULL << 3)
#define NETIF_F_HIGHDMA		(1ULL << 5)
#define NETIF_F_RXCSUM		(1ULL << 32)
#define NETIF_F_LLTX		(1ULL << 12)	/* the driver locks its own TX */

#endif /* _EXO_NETDEV_FEATURES_H */
