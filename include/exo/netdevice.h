/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network devices, as Linux's <linux/netdevice.h> (net/core/,
 * Documentation/net.rst).  A driver:
 *
 *	dev = alloc_etherdev_mq(sizeof(*priv), nr_queues);
 *	priv = netdev_priv(dev);
 *	dev->netdev_ops = &my_ops;	// ndo_open, ndo_stop, ndo_start_xmit
 *	SET_NETDEV_DEV(dev, &pdev->dev);
 *	eth_hw_addr_set(dev, mac);
 *	netif_napi_add(dev, &priv->napi, my_poll);
 *	err = register_netdev(dev);	// named eth<N>
 *
 * Transmit: dev_queue_xmit() picks a TX queue, takes its lock and calls
 * ndo_start_xmit(); the driver stops the queue (netif_tx_stop_queue())
 * when its ring is full and wakes it from its completion path, and the
 * layer keeps a bounded backlog per queue meanwhile (tx_queue_len skbs),
 * sent from the NET_TX softirq once the queue is woken.
 *
 * Receive: the interrupt handler calls napi_schedule(); the NET_RX
 * softirq calls the driver's poll() with a budget (the NAPI weight, 64);
 * poll hands each packet up with napi_gro_receive() / netif_receive_skb()
 * and, having done less than the budget, calls napi_complete_done() and
 * re-enables the device interrupt.  Received packets go to the packet
 * taps registered with dev_add_pack() (there is no IP stack).
 */
#ifndef _EXO_NETDEVICE_H
#define _EXO_NETDEVICE_H

#include <exo/atomic.h>
#include <exo/bitmap.h>
#include <exo/device.h>
#include <exo/interrupt.h>
#include <exo/kernel.h>
#include <exo/list.h>
#include <exo/netdev_features.h>
#include <exo/skbuff.h>
#include <exo/spinlock.h>
#include <exo/types.h>

struct net_device;

#define IFNAMSIZ	16
#define MAX_ADDR_LEN	32

/* dev->flags (Linux's IFF_ values) */
#define IFF_UP		0x1		/* administratively up (dev_open()) */
#define IFF_BROADCAST	0x2
#define IFF_DEBUG	0x4
#define IFF_LOOPBACK	0x8
#define IFF_NOARP	0x80
#define IFF_PROMISC	0x100
#define IFF_MULTICAST	0x1000
#define IFF_LOWER_UP	0x10000		/* carrier on (reported, not set) */
#define IFF_RUNNING	0x40		/* up and carrier on (reported) */

/* dev->type */
#define ARPHRD_ETHER	1
#define ARPHRD_LOOPBACK	772

/* Default length of each TX queue's backlog (Linux's DEFAULT_TX_QUEUE_LEN). */
#define DEFAULT_TX_QUEUE_LEN	1000
/* Default NAPI weight: packets per poll call. */
#define NAPI_POLL_WEIGHT	64

/**
 * typedef netdev_tx_t - what ndo_start_xmit() returns
 *
 * NETDEV_TX_OK: the driver owns the skb now (sent or freed).
 * NETDEV_TX_BUSY: not taken (the driver should have stopped the queue
 * before it got full): the layer requeues the skb at the backlog's head.
 */
enum netdev_tx {
	NETDEV_TX_OK	= 0x00,
	NETDEV_TX_BUSY	= 0x10,
};
typedef enum netdev_tx netdev_tx_t;

/* dev_queue_xmit() and netif_receive_skb() results (Linux's values). */
#define NET_XMIT_SUCCESS	0x00
#define NET_XMIT_DROP		0x01	/* dropped: backlog full or device down */
#define NET_RX_SUCCESS		0
#define NET_RX_DROP		1

/**
 * struct rtnl_link_stats64 - device statistics, as `ip -s link` shows
 *
 * Drivers fill the fields they count in ndo_get_stats64(); the layer adds
 * the drops it counted itself (dev_get_stats()).
 */
struct rtnl_link_stats64 {
	u64 rx_packets;
	u64 tx_packets;
	u64 rx_bytes;
	u64 tx_bytes;
	u64 rx_errors;
	u64 tx_errors;
	u64 rx_dropped;
	u64 tx_dropped;
	u64 multicast;
	u64 collisions;
	u64 rx_length_errors;
	u64 rx_over_errors;
	u64 rx_crc_errors;
	u64 rx_frame_errors;
	u64 rx_fifo_errors;
	u64 rx_missed_errors;
	u64 tx_aborted_errors;
	u64 tx_carrier_errors;
	u64 tx_fifo_errors;
	u64 tx_heartbeat_errors;
	u64 tx_window_errors;
	u64 rx_compressed;
	u64 tx_compressed;
	u64 rx_nohandler;
};

/**
 * struct net_device_stats - the legacy counters in struct net_device
 *
 * A driver without ndo_get_stats64() counts into dev->stats (with its own
 * serialisation, e.g. the TX queue lock and the NAPI poll).
 */
struct net_device_stats {
	unsigned long rx_packets;
	unsigned long tx_packets;
	unsigned long rx_bytes;
	unsigned long tx_bytes;
	unsigned long rx_errors;
	unsigned long tx_errors;
	unsigned long rx_dropped;
	unsigned long tx_dropped;
	unsigned long multicast;
	unsigned long collisions;
	unsigned long rx_length_errors;
	unsigned long rx_over_errors;
	unsigned long rx_crc_errors;
	unsigned long rx_frame_errors;
	unsigned long rx_fifo_errors;
	unsigned long rx_missed_errors;
	unsigned long tx_aborted_errors;
	unsigned long tx_carrier_errors;
	unsigned long tx_fifo_errors;
	unsigned long tx_heartbeat_errors;
	unsigned long tx_window_errors;
};

/* netdev_queue->state bits */
enum netdev_queue_state_t {
	__QUEUE_STATE_DRV_XOFF,		/* stopped by the driver */
	__QUEUE_STATE_STACK_XOFF,	/* stopped by the layer */
	__QUEUE_STATE_FROZEN,
};

/**
 * struct netdev_queue - one TX queue
 * @dev: its device
 * @state: __QUEUE_STATE_* bits
 * @_xmit_lock: serialises ndo_start_xmit() on this queue
 * @xmit_lock_owner: CPU holding @_xmit_lock, or -1
 * @trans_start: jiffies of the last transmit
 * @backlog: skbs waiting while the queue is stopped (internal)
 * @backlog_lock: protects @backlog (internal)
 * @sched_next: on the CPU's list of queues to run (internal)
 * @scheduled: on such a list (internal)
 * @index: number of the queue in the device
 * @activated: transmits reach the driver (internal): set by dev_open()
 *	once ndo_open() has returned, cleared by dev_close() before
 *	ndo_stop(), under @_xmit_lock.  Linux's qdisc other than noop_qdisc.
 */
struct netdev_queue {
	struct net_device *dev;
	unsigned long state;
	spinlock_t _xmit_lock;
	int xmit_lock_owner;
	unsigned long trans_start;
	struct sk_buff_head backlog;
	struct netdev_queue *sched_next;
	unsigned long scheduled;
	unsigned int index;
	bool activated;
};

/**
 * struct netdev_rx_queue - one RX queue
 * @dev: its device
 * @index: number of the queue in the device
 */
struct netdev_rx_queue {
	struct net_device *dev;
	unsigned int index;
};

/**
 * struct net_device_ops - what a driver implements
 * @ndo_init: at register_netdev(), before the device is visible (optional)
 * @ndo_uninit: at unregister_netdev(), last (optional)
 * @ndo_open: dev_open(): start the device (rings, interrupts, NAPI);
 *	0 or a negative errno.  Thread context, may sleep.
 * @ndo_stop: dev_close(): undo ndo_open.  Thread context, may sleep.
 * @ndo_start_xmit: send @skb on TX queue skb->queue_mapping, with that
 *	queue's lock held and bottom halves off: NETDEV_TX_OK (the skb is
 *	the driver's) or NETDEV_TX_BUSY.  Must not sleep.
 * @ndo_select_queue: pick the TX queue (optional; default: the queue
 *	recorded in the skb, or the sending CPU's)
 * @ndo_get_stats64: fill @storage with the driver's counters (optional)
 * @ndo_set_mac_address: change the address (optional)
 * @ndo_change_mtu: accept a new MTU (optional)
 * @ndo_tx_timeout: a queue has been stopped too long (optional, unused)
 */
struct net_device_ops {
	int (*ndo_init)(struct net_device *dev);
	void (*ndo_uninit)(struct net_device *dev);
	int (*ndo_open)(struct net_device *dev);
	int (*ndo_stop)(struct net_device *dev);
	netdev_tx_t (*ndo_start_xmit)(struct sk_buff *skb, struct net_device *dev);
	u16 (*ndo_select_queue)(struct net_device *dev, struct sk_buff *skb,
				struct net_device *sb_dev);
	void (*ndo_get_stats64)(struct net_device *dev, struct rtnl_link_stats64 *storage);
	int (*ndo_set_mac_address)(struct net_device *dev, void *addr);
	int (*ndo_change_mtu)(struct net_device *dev, int new_mtu);
	void (*ndo_tx_timeout)(struct net_device *dev, unsigned int txqueue);
};

/* dev->state bits */
enum netdev_state_t {
	__LINK_STATE_START,		/* opened */
	__LINK_STATE_PRESENT,
	__LINK_STATE_NOCARRIER,
};

/* dev->reg_state */
enum netdev_reg_state {
	NETREG_UNINITIALIZED = 0,
	NETREG_REGISTERED,
	NETREG_UNREGISTERING,
	NETREG_UNREGISTERED,
	NETREG_RELEASED,
};

/**
 * struct net_device - a network interface
 * @name: "eth%d" until register_netdev() names it
 * @dev_list: on the list of registered devices (internal)
 * @ifindex: its index, from 1, unique while registered
 * @flags: IFF_* (IFF_UP while open)
 * @state: __LINK_STATE_* bits
 * @reg_state: NETREG_*
 * @mtu: current MTU; @min_mtu, @max_mtu: its bounds
 * @type: ARPHRD_*
 * @hard_header_len: link-layer header length (ETH_HLEN)
 * @needed_headroom: extra headroom the driver wants in TX skbs
 * @addr_len: address length (ETH_ALEN)
 * @dev_addr: the address; set it with eth_hw_addr_set() / dev_addr_set()
 * @perm_addr: the permanent (hardware) address
 * @broadcast: the broadcast address
 * @features: NETIF_F_* in use; @hw_features: those that could be
 * @netdev_ops: the driver's operations
 * @_tx: @num_tx_queues TX queues, @real_num_tx_queues of them in use
 * @_rx: @num_rx_queues RX queues, @real_num_rx_queues in use
 * @tx_queue_len: backlog limit per TX queue, in skbs
 * @stats: legacy counters for drivers without ndo_get_stats64
 * @rx_dropped: packets the layer dropped on receive
 * @tx_dropped: packets the layer dropped on transmit
 * @rx_nohandler: packets no tap wanted
 * @napi_list: the device's NAPI contexts
 * @ptype_all: packet taps of this device (internal)
 * @watchdog_timeo: unused; kept for drivers that set it
 * @irq: the device's IRQ, informational
 * @dev: the device-model device (class "net"); its parent is set with
 *	SET_NETDEV_DEV()
 * @priv_len: bytes of private area after the structure
 */
struct net_device {
	char name[IFNAMSIZ];
	struct list_head dev_list;
	int ifindex;
	unsigned int flags;
	unsigned long state;
	enum netdev_reg_state reg_state;
	unsigned int mtu;
	unsigned int min_mtu;
	unsigned int max_mtu;
	unsigned short type;
	unsigned short hard_header_len;
	unsigned short needed_headroom;
	unsigned char addr_len;
	unsigned char dev_addr[MAX_ADDR_LEN];
	unsigned char perm_addr[MAX_ADDR_LEN];
	unsigned char broadcast[MAX_ADDR_LEN];
	netdev_features_t features;
	netdev_features_t hw_features;
	const struct net_device_ops *netdev_ops;
	struct netdev_queue *_tx;
	unsigned int num_tx_queues;
	unsigned int real_num_tx_queues;
	struct netdev_rx_queue *_rx;
	unsigned int num_rx_queues;
	unsigned int real_num_rx_queues;
	unsigned int tx_queue_len;
	struct net_device_stats stats;
	atomic_long_t rx_dropped;
	atomic_long_t tx_dropped;
	atomic_long_t rx_nohandler;
	struct list_head napi_list;
	struct list_head ptype_all;
	int watchdog_timeo;
	int irq;
	struct device dev;
	size_t priv_len;
};

#define to_net_dev(d)	container_of(d, struct net_device, dev)

/** SET_NETDEV_DEV() - make @pdev the parent of @net's device */
#define SET_NETDEV_DEV(net, pdev)	((net)->dev.parent = (pdev))

#define NETDEV_ALIGN	32

/** netdev_priv() - the driver's private area of @dev */
static inline void *netdev_priv(const struct net_device *dev)
{
	return (char *)dev + ALIGN(sizeof(struct net_device), NETDEV_ALIGN);
}

/* NAPI */

/* napi_struct->state bits */
enum {
	NAPI_STATE_SCHED,	/* poll scheduled, or owned by napi_disable() */
	NAPI_STATE_MISSED,	/* rescheduled while running */
	NAPI_STATE_DISABLE,	/* napi_disable() pending */
	NAPI_STATE_LISTED,	/* netif_napi_add()ed */
};

/**
 * struct napi_struct - a polled receive (or TX completion) context
 * @poll_list: on a CPU's list of contexts to poll (internal)
 * @state: NAPI_STATE_* bits
 * @weight: packets per poll call (NAPI_POLL_WEIGHT)
 * @poll: the driver's poll(napi, budget): process up to budget packets
 *	and return how many; below budget, call napi_complete_done()
 * @dev: its device
 * @dev_list: on dev->napi_list (internal)
 * @poll_cpu: CPU that runs its poll now, or -1 (internal)
 */
struct napi_struct {
	struct list_head poll_list;
	unsigned long state;
	int weight;
	int (*poll)(struct napi_struct *napi, int budget);
	struct net_device *dev;
	struct list_head dev_list;
	int poll_cpu;
};

/**
 * netif_napi_add_weight() - set up @napi for @dev with weight @weight
 *
 * It starts disabled: napi_enable() it in ndo_open.
 * Context: thread.
 */
void netif_napi_add_weight(struct net_device *dev, struct napi_struct *napi,
			   int (*poll)(struct napi_struct *, int), int weight);

/** netif_napi_add() - netif_napi_add_weight() with NAPI_POLL_WEIGHT */
static inline void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
				  int (*poll)(struct napi_struct *, int))
{
	netif_napi_add_weight(dev, napi, poll, NAPI_POLL_WEIGHT);
}

/** netif_napi_del() - undo netif_napi_add(); @napi must be disabled */
void netif_napi_del(struct napi_struct *napi);

/**
 * napi_schedule_prep() - claim @napi for a poll
 *
 * Return: true if the caller must now __napi_schedule() it; false if it
 * is disabled, or already scheduled (then the running poll is told to
 * run once more, NAPI_STATE_MISSED).
 * Context: any.
 */
bool napi_schedule_prep(struct napi_struct *napi);

/**
 * __napi_schedule() - queue @napi on this CPU and raise NET_RX_SOFTIRQ
 * Context: any; after napi_schedule_prep() returned true.
 */
void __napi_schedule(struct napi_struct *napi);

/** __napi_schedule_irqoff() - __napi_schedule() with interrupts off */
void __napi_schedule_irqoff(struct napi_struct *napi);

/** napi_schedule() - napi_schedule_prep() and __napi_schedule().  Return: scheduled. */
static inline bool napi_schedule(struct napi_struct *napi)
{
	if (napi_schedule_prep(napi)) {
		__napi_schedule(napi);
		return true;
	}
	return false;
}

/** napi_schedule_irqoff() - napi_schedule() with interrupts off */
static inline void napi_schedule_irqoff(struct napi_struct *napi)
{
	if (napi_schedule_prep(napi))
		__napi_schedule_irqoff(napi);
}

/**
 * napi_complete_done() - end a poll that did @work_done < budget
 *
 * Return: true when the poll is over (re-enable the device interrupt);
 * false when it was rescheduled meanwhile (it runs again; leave the
 * interrupt masked).
 * Context: the poll function.
 */
bool napi_complete_done(struct napi_struct *napi, int work_done);

static inline bool napi_complete(struct napi_struct *napi)
{
	return napi_complete_done(napi, 0);
}

/**
 * napi_disable() - stop @napi: wait for a running poll, then keep it
 * from being scheduled until napi_enable()
 * Context: thread, may sleep.
 */
void napi_disable(struct napi_struct *napi);

/** napi_enable() - allow @napi to be scheduled again.  Context: any. */
void napi_enable(struct napi_struct *napi);

/** napi_synchronize() - wait until @napi is not scheduled.  Context: may sleep. */
void napi_synchronize(const struct napi_struct *napi);

/* Device allocation and registration */

/**
 * alloc_netdev_mqs() - allocate a device with @sizeof_priv private bytes
 * @sizeof_priv: size of netdev_priv()
 * @name: name format ("eth%d")
 * @name_assign_type: ignored (Linux's NET_NAME_*)
 * @setup: initialises the device (ether_setup())
 * @txqs: TX queues (1..NETDEV_MAX_QUEUES)
 * @rxqs: RX queues (1..NETDEV_MAX_QUEUES)
 *
 * Context: thread.  Return: the device, or NULL (bad counts, logged; or
 * no memory).
 */
struct net_device *alloc_netdev_mqs(int sizeof_priv, const char *name,
				    unsigned char name_assign_type,
				    void (*setup)(struct net_device *),
				    unsigned int txqs, unsigned int rxqs);

#define NET_NAME_UNKNOWN	0
#define NET_NAME_ENUM		1
#define NETDEV_MAX_QUEUES	64

#define alloc_netdev(sizeof_priv, name, name_assign_type, setup) \
	alloc_netdev_mqs(sizeof_priv, name, name_assign_type, setup, 1, 1)

/**
 * free_netdev() - free a device from alloc_netdev_mqs()
 *
 * After unregister_netdev(), or instead of it if never registered.
 * Deletes its NAPI contexts.  Context: thread.
 */
void free_netdev(struct net_device *dev);

/**
 * register_netdev() - name @dev (its "%d" gets the lowest free number),
 * give it an index and make it visible (`ip link`, the "net" class)
 * Context: thread, may sleep.  Return: 0; -EINVAL (no ops or
 * ndo_start_xmit, bad MTU or name), -EEXIST (name taken), -ENFILE, or
 * what ndo_init() returned.
 */
int register_netdev(struct net_device *dev);

/**
 * unregister_netdev() - close @dev if open and remove it
 *
 * Its taps are removed; once this returns no poll, xmit or tap of it runs.
 * Context: thread, may sleep.
 */
void unregister_netdev(struct net_device *dev);

/**
 * dev_open() - bring @dev up: ndo_open() (which starts the driver's TX
 * queues, netif_tx_start_all_queues()), then IFF_UP
 * Context: thread, rtnl_lock() held.  Return: 0 (also if already up),
 * -ENODEV if not registered, or ndo_open()'s error.
 */
int dev_open(struct net_device *dev, void *extack);

/**
 * dev_close() - bring @dev down: no more transmits (those in flight
 * finish), the TX backlogs dropped, then ndo_stop()
 * Context: thread, rtnl_lock() held.
 */
void dev_close(struct net_device *dev);

/**
 * netif_set_real_num_tx_queues() - use @txq of the allocated TX queues
 * Return: 0, or -EINVAL if @txq is 0 or more than allocated.
 */
int netif_set_real_num_tx_queues(struct net_device *dev, unsigned int txq);
/** netif_set_real_num_rx_queues() - use @rxq of the allocated RX queues */
int netif_set_real_num_rx_queues(struct net_device *dev, unsigned int rxq);

/**
 * dev_get_by_name() - the registered device called @name, with a reference
 * Return: the device (dev_put() it) or NULL.
 */
struct net_device *dev_get_by_name(void *net, const char *name);
/** dev_get_by_index() - the registered device with index @ifindex, referenced */
struct net_device *dev_get_by_index(void *net, int ifindex);

/** dev_hold() - take a reference to @dev (NULL is ignored) */
void dev_hold(struct net_device *dev);
/** dev_put() - drop a reference from dev_hold()/dev_get_by_*() */
void dev_put(struct net_device *dev);

/* init_net does not exist here: the lookups take NULL or &init_net. */
extern int init_net;

/**
 * dev_get_stats() - @dev's counters: the driver's plus the layer's drops
 * Return: @storage.
 */
struct rtnl_link_stats64 *dev_get_stats(struct net_device *dev, struct rtnl_link_stats64 *storage);

/**
 * dev_queue_xmit() - transmit @skb on skb->dev
 *
 * The skb must start with its link-layer header.  The TX queue is the
 * one skb_set_queue_mapping() chose (modulo real_num_tx_queues), else
 * ndo_select_queue()'s, else the sending CPU's (CPU modulo the queues).  If the queue is running and its backlog empty the
 * driver gets it at once; otherwise it joins the queue's backlog, dropped
 * when that is full.  The skb is consumed in every case.
 * Context: any but hard interrupt.  Return: NET_XMIT_SUCCESS, or
 * NET_XMIT_DROP (backlog full, device down or not running, bad length)
 * with the drop counted in tx_dropped; -EINVAL (logged) without skb->dev.
 */
int dev_queue_xmit(struct sk_buff *skb);

/**
 * netif_receive_skb() - deliver a received skb to the taps
 *
 * skb->dev must be set, and skb->protocol (eth_type_trans()).  The skb is
 * consumed.  Context: softirq (NAPI poll) or thread with bottom halves off.
 * Return: NET_RX_SUCCESS, or NET_RX_DROP if nobody took it.
 */
int netif_receive_skb(struct sk_buff *skb);

/** napi_gro_receive() - netif_receive_skb() for a NAPI poll (no GRO here) */
int napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb);

/**
 * netif_rx() - receive @skb from a context without NAPI
 *
 * Queues it on this CPU's backlog, processed by the NET_RX softirq.
 * Context: any.  Return: NET_RX_SUCCESS, or NET_RX_DROP (backlog full).
 */
int netif_rx(struct sk_buff *skb);

/* Packet taps (Linux's struct packet_type / dev_add_pack()). */

/**
 * struct packet_type - a receiver of packets
 * @type: htons(ETH_P_ALL) for every packet, or one EtherType
 * @dev: only this device's packets (NULL: every device)
 * @func: gets a reference to each matching skb and must free it;
 *	runs in softirq context
 * @af_packet_priv: the owner's
 * @list: internal
 */
struct packet_type {
	__be16 type;
	struct net_device *dev;
	int (*func)(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev);
	void *af_packet_priv;
	struct list_head list;
};

/**
 * dev_add_pack() - start delivering matching packets to @pt
 *
 * Context: any but hard interrupt, a tap's func included (net/core/rx.c).
 */
void dev_add_pack(struct packet_type *pt);

/**
 * dev_remove_pack() - stop delivering to @pt
 *
 * Once it returns, @pt->func runs nowhere.  Context: thread, may sleep;
 * not from a tap's func (it waits for every reader to finish).
 */
void dev_remove_pack(struct packet_type *pt);

/* Queue control */

static inline struct netdev_queue *netdev_get_tx_queue(const struct net_device *dev,
						       unsigned int index)
{
	return &dev->_tx[index];
}

static inline struct netdev_queue *skb_get_tx_queue(const struct net_device *dev,
						    const struct sk_buff *skb)
{
	return netdev_get_tx_queue(dev, skb_get_queue_mapping(skb));
}

/**
 * netif_tx_start_queue() - let @q transmit (no backlog run: see netif_tx_wake_queue())
 */
static inline void netif_tx_start_queue(struct netdev_queue *q)
{
	clear_bit(__QUEUE_STATE_DRV_XOFF, &q->state);
}

/** netif_tx_stop_queue() - stop calling ndo_start_xmit() on @q.  Context: any. */
static inline void netif_tx_stop_queue(struct netdev_queue *q)
{
	set_bit(__QUEUE_STATE_DRV_XOFF, &q->state);
}

/**
 * netif_tx_wake_queue() - restart @q and send its backlog (NET_TX softirq)
 * Context: any (the driver's TX completion, IRQ or NAPI).
 */
void netif_tx_wake_queue(struct netdev_queue *q);

static inline bool netif_tx_queue_stopped(const struct netdev_queue *q)
{
	return test_bit(__QUEUE_STATE_DRV_XOFF, &q->state);
}

static inline bool netif_xmit_stopped(const struct netdev_queue *q)
{
	return netif_tx_queue_stopped(q);
}

/** netif_tx_start_all_queues() - netif_tx_start_queue() on every TX queue */
void netif_tx_start_all_queues(struct net_device *dev);
/** netif_tx_wake_all_queues() - netif_tx_wake_queue() on every TX queue */
void netif_tx_wake_all_queues(struct net_device *dev);
/** netif_tx_stop_all_queues() - netif_tx_stop_queue() on every TX queue */
void netif_tx_stop_all_queues(struct net_device *dev);

/** netif_start_queue() - start queue 0 (single-queue drivers) */
static inline void netif_start_queue(struct net_device *dev)
{
	netif_tx_start_queue(netdev_get_tx_queue(dev, 0));
}

/** netif_stop_queue() - stop queue 0 */
static inline void netif_stop_queue(struct net_device *dev)
{
	netif_tx_stop_queue(netdev_get_tx_queue(dev, 0));
}

/** netif_wake_queue() - wake queue 0 */
static inline void netif_wake_queue(struct net_device *dev)
{
	netif_tx_wake_queue(netdev_get_tx_queue(dev, 0));
}

static inline bool netif_queue_stopped(const struct net_device *dev)
{
	return netif_tx_queue_stopped(netdev_get_tx_queue(dev, 0));
}

/** netif_stop_subqueue() - stop TX queue @queue_index */
static inline void netif_stop_subqueue(struct net_device *dev, u16 queue_index)
{
	netif_tx_stop_queue(netdev_get_tx_queue(dev, queue_index));
}

/** netif_wake_subqueue() - wake TX queue @queue_index */
static inline void netif_wake_subqueue(struct net_device *dev, u16 queue_index)
{
	netif_tx_wake_queue(netdev_get_tx_queue(dev, queue_index));
}

static inline bool __netif_subqueue_stopped(const struct net_device *dev, u16 queue_index)
{
	return netif_tx_queue_stopped(netdev_get_tx_queue(dev, queue_index));
}

/**
 * __netif_tx_lock() - take @txq's xmit lock (bottom halves must be off)
 *
 * The driver's completion path takes it to serialise against
 * ndo_start_xmit(), e.g. before waking the queue.
 */
static inline void __netif_tx_lock(struct netdev_queue *txq, int cpu) __acquires(&txq->_xmit_lock)
{
	spin_lock(&txq->_xmit_lock);
	WRITE_ONCE(txq->xmit_lock_owner, cpu);
}

static inline void __netif_tx_unlock(struct netdev_queue *txq) __releases(&txq->_xmit_lock)
{
	WRITE_ONCE(txq->xmit_lock_owner, -1);
	spin_unlock(&txq->_xmit_lock);
}

/** __netif_tx_lock_bh() - local_bh_disable() and __netif_tx_lock() */
void __netif_tx_lock_bh(struct netdev_queue *txq) __acquires(&txq->_xmit_lock);
/** __netif_tx_unlock_bh() - undo __netif_tx_lock_bh() */
void __netif_tx_unlock_bh(struct netdev_queue *txq) __releases(&txq->_xmit_lock);

/** netif_running() - @dev is open (dev_open() succeeded, no dev_close()) */
static inline bool netif_running(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_START, &dev->state);
}

static inline bool netif_device_present(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_PRESENT, &dev->state);
}

/* Carrier */

/** netif_carrier_ok() - the link is up */
static inline bool netif_carrier_ok(const struct net_device *dev)
{
	return !test_bit(__LINK_STATE_NOCARRIER, &dev->state);
}

/** netif_carrier_on() - the link came up (logged on change).  Context: any. */
void netif_carrier_on(struct net_device *dev);
/** netif_carrier_off() - the link went down (logged on change).  Context: any. */
void netif_carrier_off(struct net_device *dev);

/** netif_oper_up() - running with the carrier on */
static inline bool netif_oper_up(const struct net_device *dev)
{
	return netif_running(dev) && netif_carrier_ok(dev);
}

/** dev_addr_set() - set @dev's address (dev->addr_len bytes of @addr) */
static inline void dev_addr_set(struct net_device *dev, const u8 *addr)
{
	memcpy(dev->dev_addr, addr, dev->addr_len);
}

/** netdev_name() - @dev's name (or "(unnamed net_device)" before registration) */
const char *netdev_name(const struct net_device *dev);

/** for_each_netdev() - walk the registered devices, rtnl_lock() held */
#define for_each_netdev(net, d)	list_for_each_entry(d, &net_device_list, dev_list)
extern struct list_head net_device_list;

/**
 * rtnl_lock() - the mutex of the device list and of every configuration
 * change (open, close, register, unregister)
 */
void rtnl_lock(void);
void rtnl_unlock(void);

#define netdev_err(dev, fmt, ...)  pr_err("%s: " fmt, netdev_name(dev), ##__VA_ARGS__)
#define netdev_warn(dev, fmt, ...) pr_warn("%s: " fmt, netdev_name(dev), ##__VA_ARGS__)
#define netdev_info(dev, fmt, ...) pr_info("%s: " fmt, netdev_name(dev), ##__VA_ARGS__)
#define netdev_dbg(dev, fmt, ...)  pr_debug("%s: " fmt, netdev_name(dev), ##__VA_ARGS__)

/**
 * netdev_budget - packets one NET_RX softirq run polls at most, all
 * devices together, before it yields (Linux's net.core.netdev_budget)
 */
extern int netdev_budget;

#endif /* _EXO_NETDEVICE_H */
