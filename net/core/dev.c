// SPDX-License-Identifier: GPL-2.0
/*
 * Network devices: allocation, the registry (names eth<N>, indexes),
 * open/close, carrier and statistics.  Transmit is in xmit.c, NAPI and
 * the receive softirq in napi.c, delivery to packet taps in rx.c.
 *
 * Locking: rtnl_lock() (a mutex) serialises every configuration change
 * (register, unregister, open, close); dev_base_lock (a spinlock, taken
 * with bottom halves off) guards the list for lookups, so a lookup never
 * sleeps.  A device's memory lives until its last reference
 * (dev_hold()/dev_put() are its device-model references).
 */
#include <exo/errno.h>
#include <exo/etherdevice.h>
#include <exo/export.h>
#include <exo/jiffies.h>
#include <exo/kernel.h>
#include <exo/lockdep.h>
#include <exo/netdevice.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "internal.h"

static DEFINE_MUTEX(rtnl_mutex);
DEFINE_SPINLOCK(dev_base_lock);
LIST_HEAD(net_device_list);
EXPORT_SYMBOL_GPL(net_device_list);
static int last_ifindex;

int init_net;
EXPORT_SYMBOL_GPL(init_net);

/** rtnl_lock() - take the networking configuration mutex.  Context: thread. */
void rtnl_lock(void)
{
	mutex_lock(&rtnl_mutex);
}
EXPORT_SYMBOL_GPL(rtnl_lock);

/** rtnl_unlock() - release it */
void rtnl_unlock(void)
{
	mutex_unlock(&rtnl_mutex);
}
EXPORT_SYMBOL_GPL(rtnl_unlock);

/* At most 10 messages per 5 s from the packet paths, shared by all. */
bool net_ratelimit(void)
{
	static struct ratelimit_state rs;

	return __ratelimit(&rs);
}

char *net_format_mac(char *buf, const u8 *a)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int net_parse_mac(const char *s, u8 *addr)
{
	for (int i = 0; i < ETH_ALEN; i++) {
		int hi = hexval(s[0]), lo = hexval(s[1]);

		if (hi < 0 || lo < 0 || (i < ETH_ALEN - 1 ? s[2] != ':' : s[2] != '\0'))
			return -EINVAL;
		addr[i] = (u8)(hi << 4 | lo);
		s += 3;
	}
	return 0;
}

/**
 * netdev_name() - @dev's name, or a placeholder before registration
 * @dev: the device
 *
 * Return: the name.
 */
const char *netdev_name(const struct net_device *dev)
{
	if (dev->reg_state == NETREG_UNINITIALIZED)
		return "(unnamed net_device)";
	return dev->name;
}
EXPORT_SYMBOL_GPL(netdev_name);

static void netdev_release(struct device *d)
{
	struct net_device *dev = to_net_dev(d);

	kfree(dev->_tx);
	kfree(dev->_rx);
	kfree(dev);
}

/*
 * A net_device's struct device never has a driver, but the core locks it
 * in device_del() (under rtnl_mutex, from unregister_netdev()).  In the
 * one class of all device locks it would stand for its bus neighbours too
 * (a virtio device at the same depth, locked around a probe that takes
 * rtnl_mutex), and lockdep would see a cycle that no two real locks make:
 * it gets a class of its own.
 */
static struct lock_class_key netdev_device_lock_key;

/**
 * alloc_netdev_mqs() - allocate a device and its queues
 * @sizeof_priv: bytes of private area
 * @name: name format
 * @name_assign_type: ignored
 * @setup: initialiser (ether_setup())
 * @txqs: TX queues
 * @rxqs: RX queues
 *
 * Return: the device or NULL.
 */
struct net_device *alloc_netdev_mqs(int sizeof_priv, const char *name,
				    unsigned char name_assign_type,
				    void (*setup)(struct net_device *),
				    unsigned int txqs, unsigned int rxqs)
{
	size_t size = ALIGN(sizeof(struct net_device), NETDEV_ALIGN);
	struct net_device *dev;

	if (sizeof_priv < 0 || !txqs || !rxqs || txqs > NETDEV_MAX_QUEUES ||
	    rxqs > NETDEV_MAX_QUEUES || !name || strlen(name) >= IFNAMSIZ) {
		pr_err("alloc_netdev: bad arguments (priv %d, %u TX, %u RX queues, name %s)\n",
		       sizeof_priv, txqs, rxqs, name ? name : "NULL");
		return NULL;
	}
	dev = kzalloc(size + (size_t)sizeof_priv, GFP_KERNEL);
	if (!dev)
		return NULL;
	dev->priv_len = (size_t)sizeof_priv;
	dev->_tx = kcalloc(txqs, sizeof(*dev->_tx), GFP_KERNEL);
	dev->_rx = kcalloc(rxqs, sizeof(*dev->_rx), GFP_KERNEL);
	if (!dev->_tx || !dev->_rx) {
		kfree(dev->_tx);
		kfree(dev->_rx);
		kfree(dev);
		return NULL;
	}
	dev->num_tx_queues = dev->real_num_tx_queues = txqs;
	dev->num_rx_queues = dev->real_num_rx_queues = rxqs;
	for (unsigned int i = 0; i < rxqs; i++) {
		dev->_rx[i].dev = dev;
		dev->_rx[i].index = i;
	}
	netdev_init_queues(dev);
	INIT_LIST_HEAD(&dev->dev_list);
	INIT_LIST_HEAD(&dev->napi_list);
	INIT_LIST_HEAD(&dev->ptype_all);
	dev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;
	set_bit(__LINK_STATE_PRESENT, &dev->state);
	strlcpy(dev->name, name, IFNAMSIZ);
	device_initialize(&dev->dev);
	lockdep_set_class(&dev->dev.mutex, &netdev_device_lock_key);
	dev->dev.release = netdev_release;
	if (setup)
		setup(dev);
	return dev;
}
EXPORT_SYMBOL_GPL(alloc_netdev_mqs);

/**
 * free_netdev() - free an unregistered (or never registered) device
 * @dev: the device, or NULL
 *
 * A registered device is refused with a log line (unregister it first).
 */
void free_netdev(struct net_device *dev)
{
	struct napi_struct *napi, *n;

	if (!dev)
		return;
	if (dev->reg_state == NETREG_REGISTERED || dev->reg_state == NETREG_UNREGISTERING) {
		pr_err("free_netdev: %s is still registered\n", dev->name);
		WARN_ON_ONCE(1);
		return;
	}
	list_for_each_entry_safe(napi, n, &dev->napi_list, dev_list)
		netif_napi_del(napi);
	dev->reg_state = NETREG_RELEASED;
	put_device(&dev->dev);
}
EXPORT_SYMBOL_GPL(free_netdev);

static struct net_device *__dev_get_by_name(const char *name)
{
	struct net_device *d;

	list_for_each_entry(d, &net_device_list, dev_list)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

/* Replace "%d" in @dev->name by the lowest unused number.  rtnl held. */
static int dev_alloc_name(struct net_device *dev)
{
	const char *pct = strchr(dev->name, '%');
	char prefix[IFNAMSIZ], buf[IFNAMSIZ];
	size_t plen;

	if (!pct) {
		if (!dev->name[0] || strchr(dev->name, '/') || strchr(dev->name, ' '))
			return -EINVAL;
		return __dev_get_by_name(dev->name) ? -EEXIST : 0;
	}
	if (strcmp(pct, "%d") || pct == dev->name)
		return -EINVAL;
	plen = (size_t)(pct - dev->name);
	memcpy(prefix, dev->name, plen);
	prefix[plen] = '\0';
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "%s%d", prefix, i);
		if (!__dev_get_by_name(buf)) {
			strlcpy(dev->name, buf, IFNAMSIZ);
			return 0;
		}
	}
	return -ENFILE;
}

static int register_checks(struct net_device *dev)
{
	if (dev->reg_state != NETREG_UNINITIALIZED) {
		pr_err("register_netdev: %s registered twice\n", dev->name);
		return -EINVAL;
	}
	if (!dev->netdev_ops || !dev->netdev_ops->ndo_start_xmit) {
		pr_err("register_netdev: %s has no ndo_start_xmit\n", dev->name);
		return -EINVAL;
	}
	if (dev->mtu < dev->min_mtu || (dev->max_mtu && dev->mtu > dev->max_mtu) || !dev->mtu) {
		pr_err("register_netdev: %s: MTU %u outside %u..%u\n", dev->name, dev->mtu,
		       dev->min_mtu, dev->max_mtu);
		return -EINVAL;
	}
	return 0;
}

/**
 * register_netdev() - name @dev, give it an index and publish it
 * @dev: a device from alloc_netdev_mqs()
 *
 * Return: 0 or a negative errno (see <exo/netdevice.h>).
 */
int register_netdev(struct net_device *dev)
{
	char mac[18];
	int err;

	rtnl_lock();
	err = register_checks(dev);
	if (!err)
		err = dev_alloc_name(dev);
	if (err) {
		if (err != -EINVAL || dev->reg_state == NETREG_UNINITIALIZED)
			pr_err("register_netdev: cannot name %s: %d\n", dev->name, err);
		goto out;
	}
	if (dev->netdev_ops->ndo_init) {
		err = dev->netdev_ops->ndo_init(dev);
		if (err)
			goto out;
	}
	dev_set_name(&dev->dev, "%s", dev->name);
	err = device_add(&dev->dev);
	if (err) {
		if (dev->netdev_ops->ndo_uninit)
			dev->netdev_ops->ndo_uninit(dev);
		goto out;
	}
	if (!dev->perm_addr[0] && !memcmp(dev->perm_addr, dev->perm_addr + 1, dev->addr_len - 1))
		memcpy(dev->perm_addr, dev->dev_addr, dev->addr_len);
	dev->ifindex = ++last_ifindex;
	spin_lock_bh(&dev_base_lock);
	dev->reg_state = NETREG_REGISTERED;
	list_add_tail(&dev->dev_list, &net_device_list);
	spin_unlock_bh(&dev_base_lock);
	pr_info("net: %s: registered, %s, %u TX / %u RX queues\n", dev->name,
		net_format_mac(mac, dev->dev_addr), dev->real_num_tx_queues,
		dev->real_num_rx_queues);
out:
	rtnl_unlock();
	return err;
}
EXPORT_SYMBOL_GPL(register_netdev);

/**
 * unregister_netdev() - close and remove @dev
 * @dev: a registered device
 */
void unregister_netdev(struct net_device *dev)
{
	rtnl_lock();
	if (dev->reg_state != NETREG_REGISTERED) {
		pr_err("unregister_netdev: %s is not registered\n", dev->name);
		rtnl_unlock();
		return;
	}
	dev_close(dev);
	spin_lock_bh(&dev_base_lock);
	dev->reg_state = NETREG_UNREGISTERING;
	list_del_init(&dev->dev_list);
	spin_unlock_bh(&dev_base_lock);
	dev_remove_taps(dev);
	flush_backlog(dev);
	if (dev->netdev_ops->ndo_uninit)
		dev->netdev_ops->ndo_uninit(dev);
	device_del(&dev->dev);
	dev->reg_state = NETREG_UNREGISTERED;
	pr_info("net: %s: unregistered\n", dev->name);
	rtnl_unlock();
}
EXPORT_SYMBOL_GPL(unregister_netdev);

/**
 * dev_open() - bring @dev up
 * @dev: a registered device
 * @extack: unused (NULL)
 *
 * Context: thread, rtnl_lock() held.  Return: 0, -ENODEV, or ndo_open()'s error.
 */
int dev_open(struct net_device *dev, void *extack)
{
	int err = 0;

	lockdep_assert_held(&rtnl_mutex);
	if (dev->reg_state != NETREG_REGISTERED)
		return -ENODEV;
	if (dev->flags & IFF_UP)
		return 0;
	set_bit(__LINK_STATE_START, &dev->state);
	if (dev->netdev_ops->ndo_open)
		err = dev->netdev_ops->ndo_open(dev);
	if (err) {
		clear_bit(__LINK_STATE_START, &dev->state);
		pr_err("net: %s: open failed: %d\n", dev->name, err);
		return err;
	}
	dev->flags |= IFF_UP;
	/* Only now may transmits reach the driver (net/core/xmit.c). */
	dev_activate(dev);
	return 0;
}
EXPORT_SYMBOL_GPL(dev_open);

/**
 * dev_close() - bring @dev down
 * @dev: the device
 *
 * Stops transmitting (in-flight ndo_start_xmit() calls finish first),
 * drops the TX backlogs, then calls ndo_stop().
 * Context: thread, rtnl_lock() held.
 */
void dev_close(struct net_device *dev)
{
	lockdep_assert_held(&rtnl_mutex);
	if (!(dev->flags & IFF_UP))
		return;
	clear_bit(__LINK_STATE_START, &dev->state);
	smp_mb();
	dev_deactivate_queues(dev);
	if (dev->netdev_ops->ndo_stop)
		dev->netdev_ops->ndo_stop(dev);
	dev->flags &= ~IFF_UP;
}
EXPORT_SYMBOL_GPL(dev_close);

/**
 * netif_set_real_num_tx_queues() - use @txq TX queues
 * @dev: the device
 * @txq: 1..num_tx_queues
 *
 * Return: 0 or -EINVAL.
 */
int netif_set_real_num_tx_queues(struct net_device *dev, unsigned int txq)
{
	if (!txq || txq > dev->num_tx_queues)
		return -EINVAL;
	WRITE_ONCE(dev->real_num_tx_queues, txq);
	return 0;
}
EXPORT_SYMBOL_GPL(netif_set_real_num_tx_queues);

/**
 * netif_set_real_num_rx_queues() - use @rxq RX queues
 * @dev: the device
 * @rxq: 1..num_rx_queues
 *
 * Return: 0 or -EINVAL.
 */
int netif_set_real_num_rx_queues(struct net_device *dev, unsigned int rxq)
{
	if (!rxq || rxq > dev->num_rx_queues)
		return -EINVAL;
	WRITE_ONCE(dev->real_num_rx_queues, rxq);
	return 0;
}
EXPORT_SYMBOL_GPL(netif_set_real_num_rx_queues);

/**
 * dev_hold() - take a reference
 * @dev: the device, or NULL
 */
void dev_hold(struct net_device *dev)
{
	if (dev)
		get_device(&dev->dev);
}
EXPORT_SYMBOL_GPL(dev_hold);

/**
 * dev_put() - drop a reference
 * @dev: the device, or NULL
 */
void dev_put(struct net_device *dev)
{
	if (dev)
		put_device(&dev->dev);
}
EXPORT_SYMBOL_GPL(dev_put);

/**
 * dev_get_by_name() - find a registered device by name, referenced
 * @net: ignored (NULL or &init_net)
 * @name: its name
 *
 * Return: the device (dev_put() it) or NULL.
 */
struct net_device *dev_get_by_name(void *net, const char *name)
{
	struct net_device *d;

	spin_lock_bh(&dev_base_lock);
	d = __dev_get_by_name(name);
	dev_hold(d);
	spin_unlock_bh(&dev_base_lock);
	return d;
}
EXPORT_SYMBOL_GPL(dev_get_by_name);

/**
 * dev_get_by_index() - find a registered device by index, referenced
 * @net: ignored
 * @ifindex: its index
 *
 * Return: the device (dev_put() it) or NULL.
 */
struct net_device *dev_get_by_index(void *net, int ifindex)
{
	struct net_device *d, *found = NULL;

	spin_lock_bh(&dev_base_lock);
	list_for_each_entry(d, &net_device_list, dev_list)
		if (d->ifindex == ifindex) {
			found = d;
			dev_hold(d);
			break;
		}
	spin_unlock_bh(&dev_base_lock);
	return found;
}
EXPORT_SYMBOL_GPL(dev_get_by_index);

/**
 * netif_carrier_on() - the link is up
 * @dev: the device
 */
void netif_carrier_on(struct net_device *dev)
{
	if (test_and_clear_bit(__LINK_STATE_NOCARRIER, &dev->state) &&
	    dev->reg_state == NETREG_REGISTERED)
		pr_info("net: %s: link up\n", dev->name);
}
EXPORT_SYMBOL_GPL(netif_carrier_on);

/**
 * netif_carrier_off() - the link is down; dev_queue_xmit() drops meanwhile
 * @dev: the device
 */
void netif_carrier_off(struct net_device *dev)
{
	if (!test_and_set_bit(__LINK_STATE_NOCARRIER, &dev->state) &&
	    dev->reg_state == NETREG_REGISTERED)
		pr_info("net: %s: link down\n", dev->name);
}
EXPORT_SYMBOL_GPL(netif_carrier_off);

/**
 * dev_get_stats() - the driver's counters plus the layer's drops
 * @dev: the device
 * @storage: filled in
 *
 * Return: @storage.
 */
struct rtnl_link_stats64 *dev_get_stats(struct net_device *dev, struct rtnl_link_stats64 *storage)
{
	const struct net_device_stats *s = &dev->stats;

	memset(storage, 0, sizeof(*storage));
	if (dev->netdev_ops->ndo_get_stats64) {
		dev->netdev_ops->ndo_get_stats64(dev, storage);
	} else {
		storage->rx_packets = READ_ONCE(s->rx_packets);
		storage->tx_packets = READ_ONCE(s->tx_packets);
		storage->rx_bytes = READ_ONCE(s->rx_bytes);
		storage->tx_bytes = READ_ONCE(s->tx_bytes);
		storage->rx_errors = READ_ONCE(s->rx_errors);
		storage->tx_errors = READ_ONCE(s->tx_errors);
		storage->rx_dropped = READ_ONCE(s->rx_dropped);
		storage->tx_dropped = READ_ONCE(s->tx_dropped);
		storage->multicast = READ_ONCE(s->multicast);
		storage->collisions = READ_ONCE(s->collisions);
		storage->rx_length_errors = READ_ONCE(s->rx_length_errors);
		storage->rx_over_errors = READ_ONCE(s->rx_over_errors);
		storage->rx_crc_errors = READ_ONCE(s->rx_crc_errors);
		storage->rx_frame_errors = READ_ONCE(s->rx_frame_errors);
		storage->rx_fifo_errors = READ_ONCE(s->rx_fifo_errors);
		storage->rx_missed_errors = READ_ONCE(s->rx_missed_errors);
		storage->tx_aborted_errors = READ_ONCE(s->tx_aborted_errors);
		storage->tx_carrier_errors = READ_ONCE(s->tx_carrier_errors);
		storage->tx_fifo_errors = READ_ONCE(s->tx_fifo_errors);
	}
	storage->rx_dropped += (u64)atomic_long_read(&dev->rx_dropped);
	storage->tx_dropped += (u64)atomic_long_read(&dev->tx_dropped);
	storage->rx_nohandler += (u64)atomic_long_read(&dev->rx_nohandler);
	return storage;
}
EXPORT_SYMBOL_GPL(dev_get_stats);
