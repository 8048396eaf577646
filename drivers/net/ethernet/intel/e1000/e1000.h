/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The e1000 driver's private state (struct e1000_adapter, the netdev's
 * private area), shared by e1000_main.c and its ktest.
 */
#ifndef _E1000_H
#define _E1000_H

#include <exo/dma-mapping.h>
#include <exo/netdevice.h>
#include <exo/skbuff.h>
#include <exo/spinlock.h>
#include <exo/types.h>
#include <exo/workqueue.h>

#include "e1000_hw.h"

#define E1000_DEFAULT_RXD	256
#define E1000_DEFAULT_TXD	256
#define E1000_MIN_DESC		8	/* rings are multiples of 128 bytes */
#define E1000_MAX_DESC		4096
#define E1000_RXBUFFER		2048	/* RCTL.BSIZE */
/* Wake a stopped queue once this many descriptors are free again. */
#define E1000_TX_WAKE_THRESHOLD	32

struct pci_dev;

/* An RX descriptor's buffer: the skb and its mapping (NULL: not posted). */
struct e1000_rx_buffer {
	struct sk_buff *skb;
	dma_addr_t dma;
};

/* A TX descriptor's frame until the device is done with it. */
struct e1000_tx_buffer {
	struct sk_buff *skb;
	dma_addr_t dma;
	unsigned int len;
};

/**
 * struct e1000_ring - one descriptor ring
 * @desc: the descriptors (coherent DMA)
 * @dma: their bus address
 * @count: descriptors
 * @next_to_use: next descriptor the driver fills
 * @next_to_clean: next descriptor the device completes
 */
struct e1000_ring {
	void *desc;
	dma_addr_t dma;
	unsigned int count;
	unsigned int next_to_use;
	unsigned int next_to_clean;
	union {
		struct e1000_rx_buffer *rx_buf;
		struct e1000_tx_buffer *tx_buf;
	};
};

/**
 * struct e1000_sw_stats - what the driver counts
 * Each field is written by one context only (rx_*: the NAPI poll; tx_*:
 * under tx_lock) and read unlocked by ndo_get_stats64().
 */
struct e1000_sw_stats {
	u64 rx_packets, rx_bytes, rx_errors, rx_dropped, rx_alloc_failed;
	u64 tx_packets, tx_bytes, tx_dropped, tx_busy, tx_stopped;
	u64 irqs, irq_none, lsc, refill_work;
};

/* Clear-on-read hardware counters, accumulated under stats_lock. */
struct e1000_hw_stats {
	u64 crcerrs, mpc, rnbc, gprc, gptc, tpr, tpt;
};

/**
 * struct e1000_adapter - one 82540EM
 * @netdev: its net_device (this is netdev_priv())
 * @pdev: its PCI function
 * @hw_addr: BAR0
 * @napi: the poll context of RX and TX completion
 * @irq: the IRQ; @msi: it is an MSI
 * @rx, @tx: the rings (allocated while the interface is up)
 * @tx_lock: serialises the TX producer and the TX cleaner
 * @refill_work: posts RX buffers with GFP_KERNEL when the poll could not
 * @link_work: turns a link status change into the carrier state
 * @refill_lock: guards @refill_enabled
 * @refill_enabled: the poll and refill_work may queue refill_work
 * @loopback: the PHY loops transmitted frames back to the receiver
 */
struct e1000_adapter {
	struct net_device *netdev;
	struct pci_dev *pdev;
	void __iomem *hw_addr;
	struct napi_struct napi;
	int irq;
	bool msi;
	bool loopback;
	bool refill_enabled;
	struct e1000_ring rx;
	struct e1000_ring tx;
	spinlock_t tx_lock;
	spinlock_t stats_lock;
	spinlock_t refill_lock;
	struct delayed_work refill_work;
	struct work_struct link_work;
	struct e1000_sw_stats sw;
	struct e1000_hw_stats hw;
};

#endif /* _E1000_H */
