// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio bus: device/driver matching on the virtio device ID, the
 * device status protocol around probe and remove, feature negotiation and
 * consistent configuration-space reads.  See include/exo/virtio.h and
 * Documentation/virtio.rst.
 */
#define pr_fmt(fmt) "virtio: " fmt

#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kobject.h>
#include <exo/string.h>
#include <exo/virtio.h>
#include <exo/virtio_config.h>

static atomic_t virtio_index = ATOMIC_INIT(0);

static bool virtio_id_match(const struct virtio_device *dev, const struct virtio_device_id *id)
{
	if (id->device != dev->id.device && id->device != VIRTIO_DEV_ANY_ID)
		return false;
	return id->vendor == VIRTIO_DEV_ANY_ID || id->vendor == dev->id.vendor;
}

static int virtio_dev_match(struct device *dv, struct device_driver *dr)
{
	struct virtio_device *dev = dev_to_virtio(dv);
	const struct virtio_device_id *ids = drv_to_virtio(dr)->id_table;

	for (unsigned int i = 0; ids[i].device; i++)
		if (virtio_id_match(dev, &ids[i]))
			return 1;
	return 0;
}

void virtio_add_status(struct virtio_device *dev, unsigned int status)
{
	dev->config->set_status(dev, dev->config->get_status(dev) | status);
}
EXPORT_SYMBOL_GPL(virtio_add_status);

void virtio_device_ready(struct virtio_device *dev)
{
	unsigned int status = dev->config->get_status(dev);

	if (status & VIRTIO_CONFIG_S_DRIVER_OK)
		dev_warn(&dev->dev, "DRIVER_OK set twice\n");
	dev->config->set_status(dev, status | VIRTIO_CONFIG_S_DRIVER_OK);
}
EXPORT_SYMBOL_GPL(virtio_device_ready);

void virtio_reset_device(struct virtio_device *dev)
{
	dev->config->reset(dev);
}
EXPORT_SYMBOL_GPL(virtio_reset_device);

void virtio_config_changed(struct virtio_device *dev)
{
	struct device_driver *drv = READ_ONCE(dev->dev.driver);

	if (drv && drv_to_virtio(drv)->config_changed)
		drv_to_virtio(drv)->config_changed(dev);
}
EXPORT_SYMBOL_GPL(virtio_config_changed);

void virtio_cread_bytes(struct virtio_device *vdev, unsigned int offset, void *buf, size_t len)
{
	u32 gen, old;
	unsigned int tries = 0;

	gen = vdev->config->generation(vdev);
	do {
		old = gen;
		vdev->config->get(vdev, offset, buf, len);
		gen = vdev->config->generation(vdev);
	} while (gen != old && ++tries < VIRTIO_CONFIG_RETRIES);
	if (gen != old)
		dev_err(&vdev->dev, "configuration at %#x changed under %u reads in a row\n",
			offset, tries);
}
EXPORT_SYMBOL_GPL(virtio_cread_bytes);

void virtio_cwrite_bytes(struct virtio_device *vdev, unsigned int offset, const void *buf,
			 size_t len)
{
	vdev->config->set(vdev, offset, buf, len);
}
EXPORT_SYMBOL_GPL(virtio_cwrite_bytes);

/*
 * The transport features the ring code implements; every other bit in
 * 28..40 is dropped whatever the device offers.  VIRTIO_F_ACCESS_PLATFORM
 * is kept: every buffer already goes through the DMA API.
 */
static bool virtio_transport_feature_ok(unsigned int fbit)
{
	switch (fbit) {
	case VIRTIO_RING_F_INDIRECT_DESC:
	case VIRTIO_RING_F_EVENT_IDX:
	case VIRTIO_F_VERSION_1:
	case VIRTIO_F_ACCESS_PLATFORM:
		return true;
	default:
		return false;
	}
}

/*
 * Negotiate: the driver's features and the supported transport features,
 * intersected with the device's; write them and check FEATURES_OK sticks.
 */
static int virtio_features_ok(struct virtio_device *dev, struct virtio_driver *drv)
{
	u64 device_features = dev->config->get_features(dev), driver_features = 0;
	int ret;

	for (unsigned int i = 0; i < drv->feature_table_size; i++) {
		unsigned int f = drv->feature_table[i];

		if (f >= 64 || (f >= VIRTIO_TRANSPORT_F_START && f < VIRTIO_TRANSPORT_F_END)) {
			dev_err(&dev->dev, "driver lists feature %u, not a device feature\n", f);
			return -EINVAL;
		}
		driver_features |= 1ULL << f;
	}
	for (unsigned int f = VIRTIO_TRANSPORT_F_START; f < VIRTIO_TRANSPORT_F_END; f++)
		if (virtio_transport_feature_ok(f))
			driver_features |= 1ULL << f;
	if (!(device_features & (1ULL << VIRTIO_F_VERSION_1))) {
		dev_err(&dev->dev, "device does not offer VIRTIO_F_VERSION_1: legacy devices are not supported\n");
		return -ENODEV;
	}
	dev->features = device_features & driver_features;
	if (drv->validate) {
		ret = drv->validate(dev);
		if (ret)
			return ret;
	}
	ret = dev->config->finalize_features(dev);
	if (ret)
		return ret;
	virtio_add_status(dev, VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(dev->config->get_status(dev) & VIRTIO_CONFIG_S_FEATURES_OK)) {
		dev_err(&dev->dev, "device refused features %#llx\n",
			(unsigned long long)dev->features);
		return -ENODEV;
	}
	return 0;
}

static int virtio_dev_probe(struct device *d)
{
	struct virtio_device *dev = dev_to_virtio(d);
	struct virtio_driver *drv = drv_to_virtio(d->driver);
	int ret;

	/*
	 * Registration or the last remove left the device reset and
	 * acknowledged; after a failed probe (FAILED set) start afresh.
	 */
	if (dev->config->get_status(dev) != VIRTIO_CONFIG_S_ACKNOWLEDGE) {
		virtio_reset_device(dev);
		virtio_add_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	}
	virtio_add_status(dev, VIRTIO_CONFIG_S_DRIVER);
	ret = virtio_features_ok(dev, drv);
	if (!ret)
		ret = drv->probe(dev);
	if (ret) {
		virtio_add_status(dev, VIRTIO_CONFIG_S_FAILED);
		dev->failed = true;
		return ret;
	}
	dev->failed = false;
	if (!(dev->config->get_status(dev) & VIRTIO_CONFIG_S_DRIVER_OK))
		virtio_device_ready(dev);
	return 0;
}

static void virtio_dev_remove(struct device *d)
{
	struct virtio_device *dev = dev_to_virtio(d);
	struct virtio_driver *drv = drv_to_virtio(d->driver);

	drv->remove(dev);
	/* The driver must have reset the device before freeing its queues. */
	if (dev->config->get_status(dev)) {
		dev_warn(d, "driver %s left the device live: resetting it\n", drv->driver.name);
		virtio_reset_device(dev);
	}
	/* Ready for another driver. */
	virtio_add_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
}

/* Linux's form, which depmod writes into modules.alias from MODULE_DEVICE_TABLE(virtio). */
static int virtio_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	const struct virtio_device *vdev = container_of(dev, struct virtio_device, dev);

	return add_uevent_var(env, "MODALIAS=virtio:d%08Xv%08X", vdev->id.device,
			      vdev->id.vendor);
}

struct bus_type virtio_bus = {
	.name = "virtio",
	.match = virtio_dev_match,
	.probe = virtio_dev_probe,
	.remove = virtio_dev_remove,
	.uevent = virtio_uevent,
};
EXPORT_SYMBOL_GPL(virtio_bus);

int __register_virtio_driver(struct virtio_driver *drv, struct module *owner)
{
	if (!drv->driver.name || !drv->id_table || !drv->probe || !drv->remove) {
		pr_err("register_virtio_driver: %s has no %s\n",
		       drv->driver.name ?: "driver",
		       !drv->driver.name ? "name" : !drv->id_table ? "id_table" :
		       !drv->probe ? "probe" : "remove");
		return -EINVAL;
	}
	drv->driver.bus = &virtio_bus;
	drv->driver.owner = owner;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__register_virtio_driver);

void unregister_virtio_driver(struct virtio_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(unregister_virtio_driver);

int register_virtio_device(struct virtio_device *dev)
{
	int ret;

	device_initialize(&dev->dev);
	dev->dev.bus = &virtio_bus;
	dev->index = atomic_inc_return(&virtio_index) - 1;
	dev_set_name(&dev->dev, "virtio%d", dev->index);
	INIT_LIST_HEAD(&dev->vqs);
	dev->features = 0;
	dev->failed = false;
	/* Whatever state firmware or a previous kernel left it in. */
	virtio_reset_device(dev);
	virtio_add_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	ret = device_add(&dev->dev);
	if (ret)
		virtio_add_status(dev, VIRTIO_CONFIG_S_FAILED);
	return ret;
}
EXPORT_SYMBOL_GPL(register_virtio_device);

void unregister_virtio_device(struct virtio_device *dev)
{
	device_unregister(&dev->dev);
}
EXPORT_SYMBOL_GPL(unregister_virtio_device);

static int __init virtio_init(void)
{
	return bus_register(&virtio_bus);
}
core_initcall(virtio_init);
