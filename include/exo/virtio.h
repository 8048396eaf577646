/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio bus (virtio 1.x), as in Linux: a transport (virtio-pci,
 * drivers/virtio/virtio_pci_modern.c) registers a struct virtio_device per
 * device it finds; drivers match on the virtio device ID and talk to the
 * device through virtqueues and its configuration space.
 *
 *	static const struct virtio_device_id id_table[] = {
 *		{ VIRTIO_ID_RNG, VIRTIO_DEV_ANY_ID },
 *		{ 0 },
 *	};
 *	static struct virtio_driver foo_driver = {
 *		.driver.name = "foo", .id_table = id_table,
 *		.feature_table = features, .feature_table_size = ARRAY_SIZE(features),
 *		.probe = foo_probe, .remove = foo_remove,
 *	};
 *	module_virtio_driver(foo_driver);
 *
 * The core runs the status protocol around the driver's probe: reset,
 * ACKNOWLEDGE and DRIVER, features negotiated (the driver's feature_table
 * and the transport features the ring supports, intersected with the
 * device's; VIRTIO_F_VERSION_1 is required), FEATURES_OK written and read
 * back, then probe; DRIVER_OK after it unless probe called
 * virtio_device_ready() itself; FAILED if probe fails.  A driver's remove
 * must reset the device (virtio_reset_device()) before freeing its queues.
 * See Documentation/virtio.rst.
 */
#ifndef _EXO_VIRTIO_H
#define _EXO_VIRTIO_H

#include <exo/device.h>
#include <exo/list.h>
#include <exo/module.h>
#include <exo/scatterlist.h>
#include <exo/spinlock.h>
#include <exo/types.h>

/* Device IDs (virtio 1.x section 5). */
#define VIRTIO_ID_NET		1
#define VIRTIO_ID_BLOCK		2
#define VIRTIO_ID_CONSOLE	3
#define VIRTIO_ID_RNG		4
#define VIRTIO_ID_BALLOON	5
#define VIRTIO_ID_SCSI		8
#define VIRTIO_ID_9P		9
#define VIRTIO_ID_GPU		16
#define VIRTIO_ID_INPUT		18
#define VIRTIO_ID_VSOCK		19

#define VIRTIO_DEV_ANY_ID	0xffffffff

/**
 * struct virtio_device_id - one entry of a driver's id_table
 * @device: virtio device ID (VIRTIO_ID_*), or VIRTIO_DEV_ANY_ID
 * @vendor: the transport's vendor ID (PCI subsystem vendor), or VIRTIO_DEV_ANY_ID
 *
 * The table ends with an entry whose @device is 0.  The modalias of a
 * device is "virtio:d%08Xv%08X" (device, vendor), as in Linux.
 */
struct virtio_device_id {
	u32 device;
	u32 vendor;
};

/**
 * struct virtqueue - a queue of buffers shared with the device
 * @list: on the device's vqs list
 * @callback: called when the device used buffers (interrupt context)
 * @name: for messages
 * @vdev: the device
 * @index: the queue's index on the device
 * @num_free: descriptors free now
 * @num_max: the ring size
 * @priv: the transport's
 */
struct virtqueue {
	struct list_head list;
	void (*callback)(struct virtqueue *vq);
	const char *name;
	struct virtio_device *vdev;
	unsigned int index;
	unsigned int num_free;
	unsigned int num_max;
	void *priv;
};

/**
 * struct virtio_device - a device on the virtio bus
 * @index: unique number, in the name virtio%u
 * @failed: FAILED was set (probe failed)
 * @dev: the device model's device; its parent is the transport's device
 *	(the PCI function), which is also the DMA device
 * @id: device and vendor ID
 * @config: the transport's operations
 * @vqs: the queues find_vqs() created
 * @features: the negotiated features (bit n = feature n)
 * @priv: the transport's
 */
struct virtio_device {
	int index;
	bool failed;
	struct device dev;
	struct virtio_device_id id;
	const struct virtio_config_ops *config;
	struct list_head vqs;
	u64 features;
	void *priv;
};

#define dev_to_virtio(_dev)	container_of(_dev, struct virtio_device, dev)

/**
 * struct virtio_driver - a driver of virtio devices
 * @driver: the device model's driver (.name required)
 * @id_table: the device IDs it drives, ending with { 0 }
 * @feature_table: the feature bits it understands
 * @feature_table_size: entries in @feature_table
 * @validate: optional; may clear offered features (__virtio_clear_bit())
 *	before they are written to the device
 * @probe: bind; the features are negotiated, the device is not yet live
 * @remove: unbind; must reset the device before deleting the queues
 * @config_changed: optional; the device's configuration changed
 *	(interrupt context)
 */
struct virtio_driver {
	struct device_driver driver;
	const struct virtio_device_id *id_table;
	const unsigned int *feature_table;
	unsigned int feature_table_size;
	int (*validate)(struct virtio_device *dev);
	int (*probe)(struct virtio_device *dev);
	void (*remove)(struct virtio_device *dev);
	void (*config_changed)(struct virtio_device *dev);
};

#define drv_to_virtio(_drv)	container_of(_drv, struct virtio_driver, driver)

extern struct bus_type virtio_bus;

/**
 * register_virtio_driver() - register @drv on the virtio bus (owner
 * THIS_MODULE); it binds to every present device its id_table matches
 * Return: as driver_register(); -EINVAL without id_table, probe or remove.
 */
#define register_virtio_driver(drv)	__register_virtio_driver(drv, THIS_MODULE)
int __register_virtio_driver(struct virtio_driver *drv, struct module *owner);

/**
 * unregister_virtio_driver() - unbind @drv from its devices and remove it
 */
void unregister_virtio_driver(struct virtio_driver *drv);

/**
 * register_virtio_device() - add a transport's device to the bus
 * @dev: filled in by the transport: dev.parent, id, config
 *
 * Names it virtio%u, resets it, sets ACKNOWLEDGE and registers it, which
 * probes the drivers.  On error the caller still holds its reference
 * (put_device(&dev->dev) frees it through the transport's release).
 * Context: may sleep.
 * Return: 0; -ENOMEM; or device_add()'s error.
 */
int register_virtio_device(struct virtio_device *dev);

/**
 * unregister_virtio_device() - unbind (the driver's remove resets the
 * device) and remove @dev from the bus; drops the registration reference
 */
void unregister_virtio_device(struct virtio_device *dev);

/**
 * virtio_add_status() - set @status bits in the device status, keeping
 * those already set
 */
void virtio_add_status(struct virtio_device *dev, unsigned int status);

/**
 * virtio_device_ready() - set DRIVER_OK: the device may use the queues
 *
 * A driver calls it in probe before it needs the device to answer (to
 * add buffers and wait for them); otherwise the core calls it after probe.
 */
void virtio_device_ready(struct virtio_device *dev);

/**
 * virtio_reset_device() - reset the device: it forgets its queues and
 * features and stops using driver memory (the transport waits for that)
 */
void virtio_reset_device(struct virtio_device *dev);

/**
 * virtio_config_changed() - the transport's configuration interrupt:
 * calls the bound driver's config_changed
 */
void virtio_config_changed(struct virtio_device *dev);

/**
 * virtio_break_device() - mark every queue of @dev broken (the device
 * misbehaved or is gone): adds fail with -EIO, no buffer comes back
 */
void virtio_break_device(struct virtio_device *dev);

/* Queue operations (drivers/virtio/virtio_ring.c).  The caller serialises
 * calls on one queue (a driver lock); the callback runs in interrupt
 * context on whichever CPU the queue's vector targets. */

/**
 * virtqueue_add_sgs() - expose a buffer to the device
 * @vq: the queue
 * @sgs: @out_sgs scatterlists the device reads, then @in_sgs it writes
 * @out_sgs: how many readable lists
 * @in_sgs: how many writable lists
 * @data: the token virtqueue_get_buf() returns for it (not NULL)
 * @gfp: for an indirect table
 *
 * Every entry is DMA-mapped; more than one entry goes into one indirect
 * descriptor when the device offers VIRTIO_RING_F_INDIRECT_DESC (and
 * memory allows), else into a chain.  Nothing is visible to the device
 * until virtqueue_kick().
 * Return: 0; -ENOSPC the queue is full (nothing changed: retry after
 * virtqueue_get_buf() freed space); -EIO the queue is broken; -EINVAL no
 * entries, @data NULL or more entries than the ring; -ENOMEM a mapping
 * failed.
 */
int virtqueue_add_sgs(struct virtqueue *vq, struct scatterlist *sgs[], unsigned int out_sgs,
		      unsigned int in_sgs, void *data, gfp_t gfp);

/**
 * virtqueue_add_outbuf() - virtqueue_add_sgs() with one list the device
 * reads, @num entries long (its end mark on entry @num - 1, else -EINVAL).
 * Return: as virtqueue_add_sgs().
 */
int virtqueue_add_outbuf(struct virtqueue *vq, struct scatterlist sg[], unsigned int num,
			 void *data, gfp_t gfp);

/**
 * virtqueue_add_inbuf() - virtqueue_add_sgs() with one list the device
 * writes, @num entries long (its end mark on entry @num - 1, else -EINVAL).
 * Return: as virtqueue_add_sgs().
 */
int virtqueue_add_inbuf(struct virtqueue *vq, struct scatterlist sg[], unsigned int num,
			void *data, gfp_t gfp);

/**
 * virtqueue_kick_prepare() - publish the added buffers; should the
 * device be notified?  (The device may have asked not to be, through
 * VRING_USED_F_NO_NOTIFY or the avail_event index.)
 */
bool virtqueue_kick_prepare(struct virtqueue *vq);

/**
 * virtqueue_notify() - notify the device (the transport's notify)
 * Return: false if the queue is broken or the device gone.
 */
bool virtqueue_notify(struct virtqueue *vq);

/**
 * virtqueue_kick() - virtqueue_kick_prepare(), then virtqueue_notify() if
 * needed.  Return: false if the queue is broken.
 */
bool virtqueue_kick(struct virtqueue *vq);

/**
 * virtqueue_get_buf() - the next buffer the device used
 * @vq: the queue
 * @len: set to the bytes the device wrote into it
 *
 * The device's claims are checked against what is in flight: a used id
 * out of range or not in flight, a length beyond the buffer's writable
 * part, or a used index that ran ahead by more than the ring size mark
 * the queue broken (logged) and return NULL; the buffer stays in flight
 * for virtqueue_detach_unused_buf(), so it is neither lost nor returned
 * twice.
 * Return: the @data of the buffer, or NULL if none (or broken).
 */
void *virtqueue_get_buf(struct virtqueue *vq, unsigned int *len);

/**
 * virtqueue_disable_cb() - ask the device not to interrupt (a hint)
 */
void virtqueue_disable_cb(struct virtqueue *vq);

/**
 * virtqueue_enable_cb_prepare() - ask for interrupts again
 * Return: a token for virtqueue_poll().
 */
unsigned int virtqueue_enable_cb_prepare(struct virtqueue *vq);

/**
 * virtqueue_poll() - has the device used buffers since @last_used_idx?
 */
bool virtqueue_poll(struct virtqueue *vq, unsigned int last_used_idx);

/**
 * virtqueue_enable_cb() - ask for interrupts again
 * Return: false if buffers are already pending (the caller must process
 * them: no interrupt comes for them), true otherwise.
 */
bool virtqueue_enable_cb(struct virtqueue *vq);

/**
 * virtqueue_detach_unused_buf() - take back a buffer the device still
 * holds (after a reset), unmapping it
 * Return: its @data, or NULL when none is left.
 */
void *virtqueue_detach_unused_buf(struct virtqueue *vq);

/** virtqueue_get_vring_size() - the number of descriptors */
unsigned int virtqueue_get_vring_size(const struct virtqueue *vq);

/** virtqueue_is_broken() - the queue was marked broken */
bool virtqueue_is_broken(const struct virtqueue *vq);

/**
 * virtqueue_dump() - log the ring's indices as the driver and the device
 * left them, for a driver's timeout message
 * @vq: the queue; the caller holds whatever serialises its other calls
 *
 * Says whether the device has used buffers the driver has not looked at
 * (a lost interrupt) or has not consumed what the driver made available
 * (a lost notification).
 */
void virtqueue_dump(struct virtqueue *vq);

#define module_virtio_driver(__drv)					\
	static int __init __drv##_init(void)				\
	{								\
		return register_virtio_driver(&(__drv));		\
	}								\
	module_init(__drv##_init);					\
	static void __drv##_exit(void)					\
	{								\
		unregister_virtio_driver(&(__drv));			\
	}								\
	module_exit(__drv##_exit)

#endif /* _EXO_VIRTIO_H */
