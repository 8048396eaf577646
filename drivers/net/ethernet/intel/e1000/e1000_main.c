// SPDX-License-Identifier: GPL-2.0
/*
 * Intel 82540EM gigabit Ethernet (8086:100e), the e1000 of QEMU (-device
 * e1000) and Bochs (e1000: enabled=1), shaped like Linux's
 * drivers/net/ethernet/intel/e1000: one legacy RX ring and one legacy TX
 * ring, one interrupt driving NAPI.
 *
 * Receive: every RX descriptor holds a posted skb of E1000_RXBUFFER bytes,
 * mapped DMA_FROM_DEVICE; the device fills descriptors from RDH up to RDT
 * (exclusive) and sets DD.  The poll hands each done skb up unchanged (no
 * copy) and posts a fresh one; when GFP_ATOMIC fails, refill_work posts the
 * missing buffers with GFP_KERNEL.  Transmit: one descriptor per linear
 * frame, mapped DMA_TO_DEVICE, RS set so the device writes DD back; the
 * poll unmaps and frees what is done and wakes the queue once
 * E1000_TX_WAKE_THRESHOLD descriptors are free again.
 *
 * Interrupts: reading ICR acknowledges every cause, and ICR 0 means the
 * (shared, INTx) interrupt is not ours.  The handler masks the device
 * (IMC) and schedules NAPI; the poll unmasks (IMS) after
 * napi_complete_done().  A cause latched while masked stays in ICR, but a
 * handler sharing the line may have read (cleared) it while the poll
 * ran, so the poll, after unmasking, raises RXT0 itself (ICS) if a
 * descriptor is already done.  LSC goes to link_work, which sets the
 * carrier from STATUS.LU.
 *
 * Loopback (the loopback parameter): the PHY's loopback bit (MII control
 * register bit 14, through MDIC).  QEMU's model loops a transmitted frame
 * back into its own receiver when that bit is set and ignores RCTL.LBM;
 * Bochs's model stores the bit and still sends the frame out (to nothing
 * with ethmod=null).  See Documentation/net.rst.
 *
 * Neither emulator resets the device's registers on CTRL.RST, so every
 * register the driver relies on is written explicitly (ring heads and
 * tails included).
 */
#define pr_fmt(fmt) "e1000: " fmt

#include <exo/bottom_half.h>
#include <exo/dma-mapping.h>
#include <exo/errno.h>
#include <exo/etherdevice.h>
#include <exo/interrupt.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/netdevice.h>
#include <exo/pci.h>
#include <exo/skbuff.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/io.h>

#include "e1000.h"

#define E1000_NAPI_WEIGHT	64
#define E1000_VENDOR_INTEL	0x8086
#define E1000_DEV_ID_82540EM	0x100e

static bool loopback;
module_param(loopback, bool, 0644);
MODULE_PARM_DESC(loopback, "loop transmitted frames back through the PHY (no peer needed)");

static unsigned int rx_ring_size = E1000_DEFAULT_RXD;
module_param(rx_ring_size, uint, 0444);
MODULE_PARM_DESC(rx_ring_size, "RX descriptors, 8..4096, a multiple of 8 (default 256)");

static unsigned int tx_ring_size = E1000_DEFAULT_TXD;
module_param(tx_ring_size, uint, 0444);
MODULE_PARM_DESC(tx_ring_size, "TX descriptors, 8..4096, a multiple of 8 (default 256)");

/*
 * x86 keeps stores in order, also towards uncached MMIO, and loads in
 * order: the descriptor barriers only have to stop the compiler (Linux's
 * dma_wmb()/dma_rmb() on x86).
 */
#define e1000_dma_wmb()	barrier()
#define e1000_dma_rmb()	barrier()

static u32 er32(struct e1000_adapter *a, unsigned int reg)
{
	return readl((u8 __iomem *)a->hw_addr + reg);
}

static void ew32(struct e1000_adapter *a, unsigned int reg, u32 v)
{
	barrier();
	writel(v, (u8 __iomem *)a->hw_addr + reg);
}

/* Posted writes reach the device before the next step. */
static void e1000_flush(struct e1000_adapter *a)
{
	(void)er32(a, E1000_STATUS);
}

static unsigned int ring_unused(const struct e1000_ring *r)
{
	/* One descriptor stays empty: head == tail means "none posted". */
	return (r->next_to_clean + r->count - r->next_to_use - 1) % r->count;
}

/* --- PHY and EEPROM -------------------------------------------------------- */

/* One MDIC operation; READY within 640 us on hardware.  Return: 0 or -EIO. */
static int e1000_mdic(struct e1000_adapter *a, u32 cmd, u16 *val)
{
	u32 mdic = 0;

	ew32(a, E1000_MDIC, cmd);
	for (int i = 0; i < 64; i++) {
		udelay(50);
		mdic = er32(a, E1000_MDIC);
		if (mdic & E1000_MDIC_READY)
			break;
	}
	if (!(mdic & E1000_MDIC_READY) || (mdic & E1000_MDIC_ERROR)) {
		netdev_err(a->netdev, "MDIC %#x failed: %#x\n", cmd, mdic);
		return -EIO;
	}
	if (val)
		*val = mdic & E1000_MDIC_DATA_MASK;
	return 0;
}

static int e1000_read_phy_reg(struct e1000_adapter *a, u32 reg, u16 *val)
{
	return e1000_mdic(a, (reg << E1000_MDIC_REG_SHIFT) |
			  (E1000_PHY_ADDR << E1000_MDIC_PHY_SHIFT) | E1000_MDIC_OP_READ, val);
}

static int e1000_write_phy_reg(struct e1000_adapter *a, u32 reg, u16 val)
{
	return e1000_mdic(a, val | (reg << E1000_MDIC_REG_SHIFT) |
			  (E1000_PHY_ADDR << E1000_MDIC_PHY_SHIFT) | E1000_MDIC_OP_WRITE, NULL);
}

/* Set or clear the PHY's loopback bit.  Return: 0 or -EIO. */
static int e1000_set_phy_loopback(struct e1000_adapter *a, bool on)
{
	u16 ctrl;
	int ret;

	ret = e1000_read_phy_reg(a, E1000_PHY_CTRL, &ctrl);
	if (ret)
		return ret;
	if (on)
		ctrl |= E1000_PHY_CTRL_LOOPBACK;
	else
		ctrl &= ~E1000_PHY_CTRL_LOOPBACK;
	return e1000_write_phy_reg(a, E1000_PHY_CTRL, ctrl);
}

/* One EEPROM word through EERD.  Return: 0 or -ETIMEDOUT. */
static int e1000_read_eeprom(struct e1000_adapter *a, unsigned int word, u16 *val)
{
	u32 eerd;

	ew32(a, E1000_EERD, (word << E1000_EERD_ADDR_SHIFT) | E1000_EERD_START);
	for (int i = 0; i < 100; i++) {
		eerd = er32(a, E1000_EERD);
		if (eerd & E1000_EERD_DONE) {
			*val = eerd >> E1000_EERD_DATA_SHIFT;
			return 0;
		}
		udelay(5);
	}
	return -ETIMEDOUT;
}

/*
 * The permanent address: EEPROM words 0-2, else what RAL0/RAH0 hold
 * (firmware may have loaded it), else a random one.
 */
static void e1000_read_mac_addr(struct e1000_adapter *a)
{
	struct net_device *netdev = a->netdev;
	u8 addr[ETH_ALEN];
	u32 ral, rah;
	u16 w;

	for (unsigned int i = 0; i < 3; i++) {
		if (e1000_read_eeprom(a, E1000_EEPROM_MAC + i, &w))
			break;
		addr[2 * i] = w & 0xff;
		addr[2 * i + 1] = w >> 8;
		if (i == 2 && is_valid_ether_addr(addr)) {
			eth_hw_addr_set(netdev, addr);
			return;
		}
	}
	ral = er32(a, E1000_RAL(0));
	rah = er32(a, E1000_RAH(0));
	for (unsigned int i = 0; i < 4; i++)
		addr[i] = ral >> (8 * i);
	addr[4] = rah & 0xff;
	addr[5] = (rah >> 8) & 0xff;
	if (is_valid_ether_addr(addr)) {
		eth_hw_addr_set(netdev, addr);
		return;
	}
	netdev_warn(netdev, "no valid MAC address in the EEPROM or RAL0/RAH0, using a random one\n");
	eth_hw_addr_random(netdev);
}

static void e1000_set_rar(struct e1000_adapter *a, const u8 *addr)
{
	u32 ral = addr[0] | addr[1] << 8 | addr[2] << 16 | (u32)addr[3] << 24;
	u32 rah = addr[4] | addr[5] << 8 | 0x80000000;	/* AV: address valid */

	ew32(a, E1000_RAL(0), ral);
	ew32(a, E1000_RAH(0), rah);
	for (unsigned int i = 1; i < E1000_RAR_ENTRIES; i++) {
		ew32(a, E1000_RAL(i), 0);
		ew32(a, E1000_RAH(i), 0);
	}
}

/* --- reset and interrupt mask ---------------------------------------------- */

static void e1000_irq_disable(struct e1000_adapter *a)
{
	ew32(a, E1000_IMC, ~0u);
	e1000_flush(a);
}

static void e1000_irq_enable(struct e1000_adapter *a)
{
	ew32(a, E1000_IMS, E1000_IMS_ENABLE_MASK);
	e1000_flush(a);
}

/* Everything off: no DMA, no interrupt, nothing pending. */
static void e1000_reset_hw(struct e1000_adapter *a)
{
	e1000_irq_disable(a);
	ew32(a, E1000_RCTL, 0);
	ew32(a, E1000_TCTL, E1000_TCTL_PSP);
	e1000_flush(a);
	/* Let a DMA in flight finish before the reset (Linux waits 10 ms). */
	msleep(10);
	ew32(a, E1000_CTRL, er32(a, E1000_CTRL) | E1000_CTRL_RST);
	msleep(5);
	e1000_irq_disable(a);
	(void)er32(a, E1000_ICR);
}

/* Link up, our address in RAR0, an empty multicast table, no throttling. */
static void e1000_init_hw(struct e1000_adapter *a)
{
	ew32(a, E1000_CTRL, (er32(a, E1000_CTRL) & ~E1000_CTRL_PHY_RST) |
	     E1000_CTRL_SLU | E1000_CTRL_ASDE);
	e1000_set_rar(a, a->netdev->dev_addr);
	for (unsigned int i = 0; i < E1000_MTA_WORDS; i++)
		ew32(a, E1000_MTA + 4 * i, 0);
	ew32(a, E1000_ITR, 0);
	ew32(a, E1000_RDTR, 0);
	ew32(a, E1000_TIDV, 0);
}

/* --- rings ----------------------------------------------------------------- */

static int e1000_alloc_ring(struct e1000_adapter *a, struct e1000_ring *r,
			    unsigned int count, size_t desc_size, size_t buf_size)
{
	struct device *dev = &a->pdev->dev;

	r->count = count;
	r->next_to_use = r->next_to_clean = 0;
	r->rx_buf = kcalloc(count, buf_size, GFP_KERNEL);
	if (!r->rx_buf)
		return -ENOMEM;
	r->desc = dma_alloc_coherent(dev, count * desc_size, &r->dma, GFP_KERNEL);
	if (!r->desc) {
		kfree(r->rx_buf);
		r->rx_buf = NULL;
		return -ENOMEM;
	}
	memset(r->desc, 0, count * desc_size);
	return 0;
}

static void e1000_free_ring(struct e1000_adapter *a, struct e1000_ring *r, size_t desc_size)
{
	if (r->desc)
		dma_free_coherent(&a->pdev->dev, r->count * desc_size, r->desc, r->dma);
	kfree(r->rx_buf);
	r->desc = NULL;
	r->rx_buf = NULL;
}

/*
 * Post up to @count fresh buffers from next_to_use on, and move RDT.
 * Called from the poll (GFP_ATOMIC) or refill_work with NAPI disabled.
 * Return: true if the ring is full again.
 */
static bool e1000_alloc_rx_buffers(struct e1000_adapter *a, gfp_t gfp)
{
	struct e1000_ring *r = &a->rx;
	struct device *dev = &a->pdev->dev;
	unsigned int i = r->next_to_use, posted = 0;
	bool full = true;

	while (ring_unused(r)) {
		struct e1000_rx_desc *desc = (struct e1000_rx_desc *)r->desc + i;
		struct e1000_rx_buffer *b = &r->rx_buf[i];
		struct sk_buff *skb;

		skb = __netdev_alloc_skb_ip_align(a->netdev, E1000_RXBUFFER, gfp);
		if (!skb) {
			a->sw.rx_alloc_failed++;
			full = false;
			break;
		}
		b->dma = dma_map_single(dev, skb->data, E1000_RXBUFFER, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, b->dma)) {
			dev_kfree_skb_any(skb);
			a->sw.rx_alloc_failed++;
			full = false;
			break;
		}
		b->skb = skb;
		desc->buffer_addr = b->dma;
		desc->status = 0;
		i = (i + 1) % r->count;
		r->next_to_use = i;
		posted++;
	}
	if (posted) {
		/* The descriptors are written before the device may fetch them. */
		e1000_dma_wmb();
		ew32(a, E1000_RDT, r->next_to_use);
	}
	return full;
}

/*
 * Queue refill_work in @delay jiffies unless e1000_close() has turned
 * refilling off: close cancels the work once and must not see it again.
 */
static void e1000_schedule_refill(struct e1000_adapter *a, unsigned long delay)
{
	unsigned long flags;

	spin_lock_irqsave(&a->refill_lock, flags);
	if (a->refill_enabled)
		schedule_delayed_work(&a->refill_work, delay);
	spin_unlock_irqrestore(&a->refill_lock, flags);
}

static void e1000_refill_work(struct work_struct *work)
{
	struct e1000_adapter *a = container_of(to_delayed_work(work), struct e1000_adapter,
					       refill_work);
	bool full;

	/*
	 * The poll also posts: keep it out while this one does.  close()
	 * cancels this work before it disables NAPI, so this cannot wait
	 * for close.
	 */
	napi_disable(&a->napi);
	a->sw.refill_work++;
	full = e1000_alloc_rx_buffers(a, GFP_KERNEL);
	napi_enable(&a->napi);
	/*
	 * Re-arm before the poll below: a poll whose GFP_ATOMIC refill fails
	 * asks for this work at once, which must find the delayed retry
	 * already pending, or the work and the poll would call each other
	 * back to back for as long as allocations fail.
	 */
	if (!full)
		e1000_schedule_refill(a, HZ / 10);
	/*
	 * An interrupt meanwhile masked the device and found NAPI taken: run
	 * the poll now, which also unmasks, or the device stays silent.
	 */
	local_bh_disable();
	napi_schedule(&a->napi);
	local_bh_enable();
}

/* Unmap and free every posted RX buffer. */
static void e1000_clean_rx_ring(struct e1000_adapter *a)
{
	struct e1000_ring *r = &a->rx;

	for (unsigned int i = 0; i < r->count; i++) {
		struct e1000_rx_buffer *b = &r->rx_buf[i];

		if (!b->skb)
			continue;
		dma_unmap_single(&a->pdev->dev, b->dma, E1000_RXBUFFER, DMA_FROM_DEVICE);
		dev_kfree_skb_any(b->skb);
		b->skb = NULL;
	}
	r->next_to_use = r->next_to_clean = 0;
}

/* Unmap and free every frame the device did not complete. */
static void e1000_clean_tx_ring(struct e1000_adapter *a)
{
	struct e1000_ring *r = &a->tx;

	for (unsigned int i = 0; i < r->count; i++) {
		struct e1000_tx_buffer *b = &r->tx_buf[i];

		if (!b->skb)
			continue;
		dma_unmap_single(&a->pdev->dev, b->dma, b->len, DMA_TO_DEVICE);
		dev_kfree_skb_any(b->skb);
		b->skb = NULL;
		a->sw.tx_dropped++;
	}
	r->next_to_use = r->next_to_clean = 0;
}

static void e1000_configure_tx(struct e1000_adapter *a)
{
	u64 base = a->tx.dma;

	ew32(a, E1000_TDBAL, (u32)base);
	ew32(a, E1000_TDBAH, (u32)(base >> 32));
	ew32(a, E1000_TDLEN, a->tx.count * sizeof(struct e1000_tx_desc));
	ew32(a, E1000_TDH, 0);
	ew32(a, E1000_TDT, 0);
	ew32(a, E1000_TIPG, E1000_TIPG_DEFAULT);
	ew32(a, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP |
	     (E1000_COLLISION_THRESHOLD << E1000_TCTL_CT_SHIFT) |
	     (E1000_COLLISION_DISTANCE_FD << E1000_TCTL_COLD_SHIFT));
}

/* The ring first, RCTL.EN last: the device fetches from RDH at once. */
static void e1000_configure_rx(struct e1000_adapter *a)
{
	u64 base = a->rx.dma;

	ew32(a, E1000_RCTL, 0);
	ew32(a, E1000_RDBAL, (u32)base);
	ew32(a, E1000_RDBAH, (u32)(base >> 32));
	ew32(a, E1000_RDLEN, a->rx.count * sizeof(struct e1000_rx_desc));
	ew32(a, E1000_RDH, 0);
	ew32(a, E1000_RDT, 0);
	e1000_alloc_rx_buffers(a, GFP_KERNEL);
	ew32(a, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SZ_2048 |
	     E1000_RCTL_SECRC | E1000_RCTL_RDMTS_HALF);
}

/* --- data path ------------------------------------------------------------- */

/* Complete what the device sent.  Return: descriptors cleaned. */
static unsigned int e1000_clean_tx_irq(struct e1000_adapter *a)
{
	struct e1000_ring *r = &a->tx;
	unsigned long flags;
	unsigned int done = 0;
	bool wake;

	spin_lock_irqsave(&a->tx_lock, flags);
	while (r->next_to_clean != r->next_to_use) {
		struct e1000_tx_desc *desc = (struct e1000_tx_desc *)r->desc + r->next_to_clean;
		struct e1000_tx_buffer *b = &r->tx_buf[r->next_to_clean];

		if (!(READ_ONCE(desc->upper) & E1000_TXD_STAT_DD))
			break;
		e1000_dma_rmb();
		dma_unmap_single(&a->pdev->dev, b->dma, b->len, DMA_TO_DEVICE);
		a->sw.tx_packets++;
		a->sw.tx_bytes += b->len;
		napi_consume_skb(b->skb, 1);
		b->skb = NULL;
		desc->upper = 0;
		r->next_to_clean = (r->next_to_clean + 1) % r->count;
		done++;
	}
	wake = done && netif_queue_stopped(a->netdev) && netif_carrier_ok(a->netdev) &&
	       ring_unused(r) >= min_t(unsigned int, E1000_TX_WAKE_THRESHOLD, r->count / 2);
	spin_unlock_irqrestore(&a->tx_lock, flags);
	/* Waking may send the layer's backlog: not under tx_lock. */
	if (wake)
		netif_wake_queue(a->netdev);
	return done;
}

static netdev_tx_t e1000_xmit_frame(struct sk_buff *skb, struct net_device *netdev)
{
	struct e1000_adapter *a = netdev_priv(netdev);
	struct e1000_ring *r = &a->tx;
	struct e1000_tx_desc *desc;
	struct e1000_tx_buffer *b;
	unsigned long flags;
	dma_addr_t dma;

	spin_lock_irqsave(&a->tx_lock, flags);
	/* skbs are linear here: one descriptor per frame. */
	if (skb->len > ETH_FRAME_LEN) {
		a->sw.tx_dropped++;
		spin_unlock_irqrestore(&a->tx_lock, flags);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (!ring_unused(r)) {
		/* The queue should have been stopped: the caller retries. */
		netif_stop_queue(netdev);
		a->sw.tx_busy++;
		spin_unlock_irqrestore(&a->tx_lock, flags);
		return NETDEV_TX_BUSY;
	}
	dma = dma_map_single(&a->pdev->dev, skb->data, skb->len, DMA_TO_DEVICE);
	if (dma_mapping_error(&a->pdev->dev, dma)) {
		a->sw.tx_dropped++;
		spin_unlock_irqrestore(&a->tx_lock, flags);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	b = &r->tx_buf[r->next_to_use];
	b->skb = skb;
	b->dma = dma;
	b->len = skb->len;
	desc = (struct e1000_tx_desc *)r->desc + r->next_to_use;
	desc->buffer_addr = dma;
	desc->upper = 0;
	desc->lower = skb->len | E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
	r->next_to_use = (r->next_to_use + 1) % r->count;
	e1000_dma_wmb();
	ew32(a, E1000_TDT, r->next_to_use);
	if (!ring_unused(r)) {
		netif_stop_queue(netdev);
		a->sw.tx_stopped++;
	}
	spin_unlock_irqrestore(&a->tx_lock, flags);
	return NETDEV_TX_OK;
}

/* Hand up to @budget received frames to the stack.  Return: how many. */
static int e1000_clean_rx_irq(struct e1000_adapter *a, int budget)
{
	struct e1000_ring *r = &a->rx;
	int done = 0;

	while (done < budget && r->next_to_clean != r->next_to_use) {
		struct e1000_rx_desc *desc = (struct e1000_rx_desc *)r->desc + r->next_to_clean;
		struct e1000_rx_buffer *b = &r->rx_buf[r->next_to_clean];
		struct sk_buff *skb = b->skb;
		u8 status = READ_ONCE(desc->status);
		unsigned int len;

		if (!(status & E1000_RXD_STAT_DD))
			break;
		/* The length and errors are valid once DD is. */
		e1000_dma_rmb();
		len = desc->length;
		dma_unmap_single(&a->pdev->dev, b->dma, E1000_RXBUFFER, DMA_FROM_DEVICE);
		b->skb = NULL;
		r->next_to_clean = (r->next_to_clean + 1) % r->count;
		done++;
		if (!(status & E1000_RXD_STAT_EOP) || (desc->errors & E1000_RXD_ERR_FRAME_ERR_MASK) ||
		    len < ETH_HLEN || len > E1000_RXBUFFER) {
			/* A frame spread over buffers (no LPE: never) or damaged. */
			a->sw.rx_errors++;
			dev_kfree_skb_any(skb);
			continue;
		}
		skb_put(skb, len);
		skb->protocol = eth_type_trans(skb, a->netdev);
		a->sw.rx_packets++;
		a->sw.rx_bytes += len;
		napi_gro_receive(&a->napi, skb);
	}
	if (!e1000_alloc_rx_buffers(a, GFP_ATOMIC))
		e1000_schedule_refill(a, 0);
	return done;
}

/* A hint, read unlocked: the next RX or TX descriptor is done. */
static bool e1000_work_pending(struct e1000_adapter *a)
{
	const struct e1000_rx_desc *rx = (const struct e1000_rx_desc *)a->rx.desc +
					 READ_ONCE(a->rx.next_to_clean);
	unsigned int tx_next = READ_ONCE(a->tx.next_to_clean);
	const struct e1000_tx_desc *tx = (const struct e1000_tx_desc *)a->tx.desc + tx_next;

	if (READ_ONCE(rx->status) & E1000_RXD_STAT_DD)
		return true;
	return tx_next != READ_ONCE(a->tx.next_to_use) &&
	       (READ_ONCE(tx->upper) & E1000_TXD_STAT_DD);
}

static int e1000_poll(struct napi_struct *napi, int budget)
{
	struct e1000_adapter *a = container_of(napi, struct e1000_adapter, napi);
	int work_done;

	e1000_clean_tx_irq(a);
	work_done = e1000_clean_rx_irq(a, budget);
	if (work_done < budget && napi_complete_done(napi, work_done)) {
		e1000_irq_enable(a);
		/* A done descriptor whose cause a sharing handler cleared. */
		if (e1000_work_pending(a))
			ew32(a, E1000_ICS, E1000_ICR_RXT0);
	}
	return work_done;
}

static irqreturn_t e1000_intr(int irq, void *data)
{
	struct net_device *netdev = data;
	struct e1000_adapter *a = netdev_priv(netdev);
	u32 icr = er32(a, E1000_ICR);

	(void)irq;
	if (!icr || icr == ~0u) {	/* not ours (shared line), or gone */
		a->sw.irq_none++;
		return IRQ_NONE;
	}
	a->sw.irqs++;
	if (icr & (E1000_ICR_LSC | E1000_ICR_RXSEQ)) {
		a->sw.lsc++;
		schedule_work(&a->link_work);
	}
	/* Masked until the poll is done; causes latch in ICR meanwhile. */
	e1000_irq_disable(a);
	if (napi_schedule_prep(&a->napi))
		__napi_schedule(&a->napi);
	return IRQ_HANDLED;
}

static void e1000_link_work(struct work_struct *work)
{
	struct e1000_adapter *a = container_of(work, struct e1000_adapter, link_work);
	struct net_device *netdev = a->netdev;
	u32 status = er32(a, E1000_STATUS);
	bool up = status & E1000_STATUS_LU;

	if (up == netif_carrier_ok(netdev))
		return;
	if (up) {
		static const unsigned int speed[] = { 10, 100, 1000, 1000 };

		netdev_info(netdev, "link up, %u Mb/s, %s duplex\n",
			    speed[(status & E1000_STATUS_SPEED_MASK) >> E1000_STATUS_SPEED_SHIFT],
			    status & E1000_STATUS_FD ? "full" : "half");
		netif_carrier_on(netdev);
		netif_wake_queue(netdev);
	} else {
		netdev_info(netdev, "link down\n");
		netif_carrier_off(netdev);
		netif_stop_queue(netdev);
	}
}

/* --- open/stop, statistics -------------------------------------------------- */

static int e1000_open(struct net_device *netdev)
{
	struct e1000_adapter *a = netdev_priv(netdev);
	int ret;

	ret = e1000_alloc_ring(a, &a->tx, tx_ring_size, sizeof(struct e1000_tx_desc),
			       sizeof(struct e1000_tx_buffer));
	if (ret)
		return ret;
	ret = e1000_alloc_ring(a, &a->rx, rx_ring_size, sizeof(struct e1000_rx_desc),
			       sizeof(struct e1000_rx_buffer));
	if (ret)
		goto err_rx;
	e1000_init_hw(a);
	if (a->loopback) {
		ret = e1000_set_phy_loopback(a, true);
		if (ret)
			goto err_irq;
	}
	ret = request_irq(a->irq, e1000_intr, a->msi ? 0 : IRQF_SHARED, netdev->name, netdev);
	if (ret) {
		netdev_err(netdev, "IRQ %d: %d\n", a->irq, ret);
		goto err_irq;
	}
	e1000_configure_tx(a);
	e1000_configure_rx(a);
	napi_enable(&a->napi);
	spin_lock_irq(&a->refill_lock);
	a->refill_enabled = true;
	spin_unlock_irq(&a->refill_lock);
	netif_start_queue(netdev);
	e1000_irq_enable(a);
	/* The carrier as it is now; LSC reports changes. */
	schedule_work(&a->link_work);
	return 0;

err_irq:
	e1000_free_ring(a, &a->rx, sizeof(struct e1000_rx_desc));
err_rx:
	e1000_free_ring(a, &a->tx, sizeof(struct e1000_tx_desc));
	return ret;
}

/* No DMA, interrupt, poll or work is left when this returns. */
static int e1000_close(struct net_device *netdev)
{
	struct e1000_adapter *a = netdev_priv(netdev);

	netif_stop_queue(netdev);
	ew32(a, E1000_RCTL, 0);
	ew32(a, E1000_TCTL, E1000_TCTL_PSP);
	/* Refill off and cancelled first: refill_work disables NAPI itself. */
	spin_lock_irq(&a->refill_lock);
	a->refill_enabled = false;
	spin_unlock_irq(&a->refill_lock);
	cancel_delayed_work_sync(&a->refill_work);
	/* NAPI before the IRQ: a running poll would unmask the device again. */
	napi_disable(&a->napi);
	e1000_irq_disable(a);
	free_irq(a->irq, netdev);
	cancel_work_sync(&a->link_work);
	netif_carrier_off(netdev);
	if (a->loopback)
		e1000_set_phy_loopback(a, false);
	/* The device may still read a descriptor it fetched: reset it first. */
	e1000_reset_hw(a);
	e1000_clean_tx_ring(a);
	e1000_clean_rx_ring(a);
	e1000_free_ring(a, &a->rx, sizeof(struct e1000_rx_desc));
	e1000_free_ring(a, &a->tx, sizeof(struct e1000_tx_desc));
	return 0;
}

/* Fold the clear-on-read hardware counters into a->hw. */
static void e1000_update_stats(struct e1000_adapter *a)
{
	unsigned long flags;

	spin_lock_irqsave(&a->stats_lock, flags);
	a->hw.crcerrs += er32(a, E1000_CRCERRS);
	a->hw.mpc += er32(a, E1000_MPC);
	a->hw.rnbc += er32(a, E1000_RNBC);
	a->hw.gprc += er32(a, E1000_GPRC);
	a->hw.gptc += er32(a, E1000_GPTC);
	a->hw.tpr += er32(a, E1000_TPR);
	a->hw.tpt += er32(a, E1000_TPT);
	spin_unlock_irqrestore(&a->stats_lock, flags);
}

static void e1000_get_stats64(struct net_device *netdev, struct rtnl_link_stats64 *s)
{
	struct e1000_adapter *a = netdev_priv(netdev);

	e1000_update_stats(a);
	s->rx_packets = READ_ONCE(a->sw.rx_packets);
	s->rx_bytes = READ_ONCE(a->sw.rx_bytes);
	s->tx_packets = READ_ONCE(a->sw.tx_packets);
	s->tx_bytes = READ_ONCE(a->sw.tx_bytes);
	s->rx_crc_errors = a->hw.crcerrs;
	s->rx_missed_errors = a->hw.mpc;
	s->rx_errors = READ_ONCE(a->sw.rx_errors) + a->hw.crcerrs;
	s->rx_dropped = READ_ONCE(a->sw.rx_dropped);
	s->tx_dropped = READ_ONCE(a->sw.tx_dropped);
}

static const struct net_device_ops e1000_netdev_ops = {
	.ndo_open = e1000_open,
	.ndo_stop = e1000_close,
	.ndo_start_xmit = e1000_xmit_frame,
	.ndo_get_stats64 = e1000_get_stats64,
};

/* --- PCI ------------------------------------------------------------------- */

static int e1000_setup_irq(struct e1000_adapter *a)
{
	struct pci_dev *pdev = a->pdev;
	int ret;

	/* The 82540EM has no MSI capability; a later part may. */
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_LEGACY);
	if (ret < 0)
		return ret;
	a->irq = pci_irq_vector(pdev, 0);
	if (a->irq < 0)
		return a->irq;
	a->msi = pci_dev_msi_enabled(pdev);
	return 0;
}

static void e1000_free_netdev(void *data)
{
	free_netdev(data);
}

static int e1000_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct net_device *netdev;
	struct e1000_adapter *a;
	int ret;

	(void)ent;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, 1 << 0, "e1000");
	if (ret)
		return ret;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret) {
		dev_err(&pdev->dev, "no usable DMA configuration\n");
		return ret;
	}
	pci_set_master(pdev);
	netdev = alloc_etherdev(sizeof(*a));
	if (!netdev)
		return -ENOMEM;
	ret = devm_add_action_or_reset(&pdev->dev, e1000_free_netdev, netdev);
	if (ret)
		return ret;
	SET_NETDEV_DEV(netdev, &pdev->dev);
	a = netdev_priv(netdev);
	a->netdev = netdev;
	a->pdev = pdev;
	a->hw_addr = pcim_iomap_table(pdev)[0];
	a->loopback = READ_ONCE(loopback);
	spin_lock_init(&a->tx_lock);
	spin_lock_init(&a->stats_lock);
	spin_lock_init(&a->refill_lock);
	INIT_DELAYED_WORK(&a->refill_work, e1000_refill_work);
	INIT_WORK(&a->link_work, e1000_link_work);
	netdev->netdev_ops = &e1000_netdev_ops;
	netif_napi_add(netdev, &a->napi, e1000_poll);
	pci_set_drvdata(pdev, netdev);

	e1000_reset_hw(a);
	e1000_read_mac_addr(a);
	ret = e1000_setup_irq(a);
	if (ret) {
		dev_err(&pdev->dev, "no interrupt: %d\n", ret);
		goto err;
	}
	netif_carrier_off(netdev);
	ret = register_netdev(netdev);
	if (ret)
		goto err;
	netdev_info(netdev, "82540EM at %#llx, IRQ %d (%s), MAC %02x:%02x:%02x:%02x:%02x:%02x%s\n",
		    (unsigned long long)pci_resource_start(pdev, 0), a->irq,
		    a->msi ? "MSI" : "INTx", netdev->dev_addr[0], netdev->dev_addr[1],
		    netdev->dev_addr[2], netdev->dev_addr[3], netdev->dev_addr[4],
		    netdev->dev_addr[5], a->loopback ? ", PHY loopback" : "");
	return 0;
err:
	netif_napi_del(&a->napi);
	return ret;
}

static void e1000_remove(struct pci_dev *pdev)
{
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct e1000_adapter *a = netdev_priv(netdev);

	/* Closes the interface if it is up: rings and buffers are freed. */
	unregister_netdev(netdev);
	netif_napi_del(&a->napi);
	e1000_reset_hw(a);
	/* free_netdev(), the IRQ vectors and the BAR go with the devres. */
}

static const struct pci_device_id e1000_pci_tbl[] = {
	{ PCI_DEVICE(E1000_VENDOR_INTEL, E1000_DEV_ID_82540EM) },
	{ }
};
MODULE_DEVICE_TABLE(pci, e1000_pci_tbl);

static struct pci_driver e1000_driver = {
	.name = "e1000",
	.id_table = e1000_pci_tbl,
	.probe = e1000_probe,
	.remove = e1000_remove,
};

static bool e1000_ring_size_ok(const char *name, unsigned int n)
{
	if (n >= E1000_MIN_DESC && n <= E1000_MAX_DESC && !(n % 8))
		return true;
	pr_err("%s=%u: not a multiple of 8 in %d..%d\n", name, n, E1000_MIN_DESC,
	       E1000_MAX_DESC);
	return false;
}

static int __init e1000_init_module(void)
{
	if (!e1000_ring_size_ok("rx_ring_size", rx_ring_size) ||
	    !e1000_ring_size_ok("tx_ring_size", tx_ring_size))
		return -EINVAL;
	return pci_register_driver(&e1000_driver);
}
module_init(e1000_init_module);

static void e1000_exit_module(void)
{
	pci_unregister_driver(&e1000_driver);
}
module_exit(e1000_exit_module);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("Intel 82540EM (e1000) Ethernet driver");
