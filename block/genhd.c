// SPDX-License-Identifier: GPL-2.0
/*
 * Disks and the block device registry.
 *
 * Each struct block_device (a whole disk or a partition) embeds a struct
 * device on the "block" class: a device with no bus, its parent the
 * driver's device (for a disk) or the disk (for a partition), listed in
 * the registry below in registration order.  As a class device it sends
 * uevents (SUBSYSTEM=block, with its node's MAJOR, MINOR and DEVNAME):
 * "add" once its /dev node exists, "remove" once the node is gone.  A
 * block_device is freed when the last reference to its device goes; the
 * gendisk lives as long as its whole-disk block_device (part0), which
 * every partition references.
 */
#include <exo/bitmap.h>
#include <exo/blk-mq.h>
#include <exo/device/class.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/kobject.h>
#include <exo/lockdep.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "blk.h"

/* The registry: every added block_device, disks and partitions. */
static DEFINE_MUTEX(bdev_lock);
static LIST_HEAD(all_bdevs);

/* Linux's block_class: the SUBSYSTEM of the block devices' uevents. */
static struct class block_class = {
	.name = "block",
};

static int __init genhd_device_init(void)
{
	return class_register(&block_class);
}
subsys_initcall(genhd_device_init);

static void bdev_release(struct device *dev)
{
	struct block_device *bdev = container_of(dev, struct block_device, bd_device);
	struct gendisk *disk = bdev->bd_disk;

	if (bdev->bd_partno) {
		put_device(&disk->part0->bd_device);
	} else {
		/* put_disk() tore the queue down; late submitters saw it dying. */
		kfree(disk->queue);
		kfree(disk);
	}
	kfree(bdev);
}

/*
 * A disk's or partition's struct device has no driver; the core locks it
 * in device_del(), under the disk's open_mutex when partitions go.  In the
 * one class of all device locks it would stand for bus devices of the
 * same depth too, locked around probes that take open_mutex (add_disk):
 * a class of its own.
 */
static struct lock_class_key bdev_device_lock_key;

struct block_device *bdev_alloc(struct gendisk *disk, u8 partno)
{
	struct block_device *bdev = kzalloc(sizeof(*bdev), GFP_KERNEL);

	if (!bdev)
		return NULL;
	bdev->bd_disk = disk;
	bdev->bd_queue = disk->queue;
	bdev->bd_partno = partno;
	atomic_set(&bdev->bd_openers, 0);
	INIT_LIST_HEAD(&bdev->bd_list);
	device_initialize(&bdev->bd_device);
	lockdep_set_class(&bdev->bd_device.mutex, &bdev_device_lock_key);
	bdev->bd_device.release = bdev_release;
	bdev->bd_device.class = &block_class;
	if (partno)
		get_device(&disk->part0->bd_device);
	return bdev;
}

static struct block_device *bdev_find_locked(const char *name)
{
	struct block_device *bdev;

	list_for_each_entry(bdev, &all_bdevs, bd_list)
		if (!strcmp(bdev_name(bdev), name))
			return bdev;
	return NULL;
}

/* Register @bdev (named already) on the block class and in the registry. */
int bdev_add(struct block_device *bdev, struct device *parent)
{
	int err;

	mutex_lock(&bdev_lock);
	if (bdev_find_locked(bdev_name(bdev))) {
		mutex_unlock(&bdev_lock);
		pr_err("block: a block device named %s exists\n", bdev_name(bdev));
		return -EEXIST;
	}
	bdev->bd_device.parent = parent;
	/* "add" once the node exists, as Linux's device_add() sends it. */
	dev_set_uevent_suppress(&bdev->bd_device, true);
	err = device_add(&bdev->bd_device);
	if (!err)
		list_add_tail(&bdev->bd_list, &all_bdevs);
	mutex_unlock(&bdev_lock);
	if (err) {
		dev_set_uevent_suppress(&bdev->bd_device, false);
		return err;
	}
	/* Its /dev node; a disk without one still works from the kernel. */
	if (bdev_create_node(bdev))
		pr_err("block: %s: no /dev node\n", bdev_name(bdev));
	err = device_uevent_add_deferred(&bdev->bd_device);
	if (err) {
		/* Deleted by its parent's device_del(): no device_del() here. */
		bdev_remove_node(bdev);
		mutex_lock(&bdev_lock);
		list_del_init(&bdev->bd_list);
		mutex_unlock(&bdev_lock);
	}
	return err;
}

void bdev_del(struct block_device *bdev)
{
	/* The node goes first; device_del() then sends "remove", as Linux's. */
	bdev_remove_node(bdev);
	mutex_lock(&bdev_lock);
	list_del_init(&bdev->bd_list);
	mutex_unlock(&bdev_lock);
	device_del(&bdev->bd_device);
}

void set_capacity(struct gendisk *disk, sector_t size)
{
	disk->part0->bd_nr_sectors = size;
}
EXPORT_SYMBOL_GPL(set_capacity);

void set_disk_ro(struct gendisk *disk, bool read_only)
{
	for (int i = 0; i < DISK_MAX_PARTS; i++)
		if (disk->parts[i])
			WRITE_ONCE(disk->parts[i]->bd_read_only, read_only);
}
EXPORT_SYMBOL_GPL(set_disk_ro);

struct gendisk *blk_mq_alloc_disk(struct blk_mq_tag_set *set, void *queuedata)
{
	struct request_queue *q = blk_mq_init_queue_data(set, queuedata);
	struct gendisk *disk;

	if (IS_ERR(q))
		return ERR_PTR(PTR_ERR(q));
	disk = kzalloc(sizeof(*disk), GFP_KERNEL);
	if (!disk)
		goto fail;
	disk->queue = q;
	disk->minors = DISK_MAX_PARTS;
	mutex_init(&disk->open_mutex);
	mutex_init(&disk->rmw_mutex);
	disk->part0 = bdev_alloc(disk, 0);
	if (!disk->part0) {
		kfree(disk);
		goto fail;
	}
	disk->parts[0] = disk->part0;
	q->disk = disk;
	return disk;
fail:
	blk_mq_destroy_queue(q);
	kfree(q);
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_GPL(blk_mq_alloc_disk);

static bool disk_name_ok(const char *name)
{
	size_t len = strnlen(name, DISK_NAME_LEN);

	if (!len || len > DISK_NAME_LEN - 4)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

int device_add_disk(struct device *parent, struct gendisk *disk, const void *groups)
{
	struct block_device *part0 = disk->part0;
	int err;

	if (groups || !disk_name_ok(disk->disk_name) || !get_capacity(disk) ||
	    test_bit(GD_ADDED, &disk->state)) {
		pr_err("block: disk \"%.*s\" refused: %s\n", DISK_NAME_LEN, disk->disk_name,
		       groups ? "attribute groups are not supported" :
		       !disk_name_ok(disk->disk_name) ? "bad name" :
		       !get_capacity(disk) ? "capacity 0" : "added already");
		return -EINVAL;
	}
	if (!disk->driver_name) {
		if (parent && parent->driver)
			disk->driver_name = parent->driver->name;
		else if (disk->fops && disk->fops->owner)
			disk->driver_name = disk->fops->owner->name;
	}
	dev_set_name(&part0->bd_device, "%s", disk->disk_name);
	err = bdev_add(part0, parent);
	if (err)
		return err;
	set_bit(GD_ADDED, &disk->state);
	pr_info("block: %s: %llu sectors (%llu MiB), %u-byte blocks, %u hw queue%s\n",
		disk->disk_name, (unsigned long long)get_capacity(disk),
		(unsigned long long)(get_capacity(disk) >> 11), queue_logical_block_size(disk->queue),
		disk->queue->nr_hw_queues, disk->queue->nr_hw_queues > 1 ? "s" : "");
	mutex_lock(&disk->open_mutex);
	blk_add_partitions(disk);
	mutex_unlock(&disk->open_mutex);
	return 0;
}
EXPORT_SYMBOL_GPL(device_add_disk);

void del_gendisk(struct gendisk *disk)
{
	struct request_queue *q = disk->queue;

	if (!test_bit(GD_ADDED, &disk->state) || test_and_set_bit(GD_DEAD, &disk->state))
		return;
	/* New bios fail; those inside finish (or time out) first. */
	set_bit(QUEUE_FLAG_DYING, &q->queue_flags);
	wake_up_all(&q->mq_freeze_wq);
	blk_mq_freeze_queue(q);
	mutex_lock(&disk->open_mutex);
	blk_drop_partitions(disk);
	mutex_unlock(&disk->open_mutex);
	bdev_del(disk->part0);
	blk_timeout_stop(q);
}
EXPORT_SYMBOL_GPL(del_gendisk);

void put_disk(struct gendisk *disk)
{
	if (!disk)
		return;
	if (test_bit(GD_ADDED, &disk->state) && !test_bit(GD_DEAD, &disk->state)) {
		pr_err("block: put_disk(%s) before del_gendisk(): deleting it\n", disk->disk_name);
		del_gendisk(disk);
	}
	blk_mq_destroy_queue(disk->queue);
	put_device(&disk->part0->bd_device);
}
EXPORT_SYMBOL_GPL(put_disk);

int bdev_disk_changed(struct gendisk *disk)
{
	int err = 0;

	mutex_lock(&disk->open_mutex);
	/* Under open_mutex: del_gendisk() drops the partitions under it too. */
	if (test_bit(GD_DEAD, &disk->state) || !test_bit(GD_ADDED, &disk->state)) {
		err = -ENODEV;
		goto out;
	}
	for (int i = 1; i < DISK_MAX_PARTS; i++) {
		if (disk->parts[i] && atomic_read(&disk->parts[i]->bd_openers)) {
			pr_err("block: %s: partition %s is open, not rescanning\n",
			       disk->disk_name, bdev_name(disk->parts[i]));
			err = -EBUSY;
			goto out;
		}
	}
	blk_drop_partitions(disk);
	err = blk_add_partitions(disk);
out:
	mutex_unlock(&disk->open_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(bdev_disk_changed);

/* Is @bdev still a live device of its disk?  Under disk->open_mutex. */
static bool bdev_live(struct block_device *bdev)
{
	struct gendisk *disk = bdev->bd_disk;

	return !test_bit(GD_DEAD, &disk->state) && disk->parts[bdev->bd_partno] == bdev;
}

/*
 * The open counts under the disk's open_mutex, which a partition rescan
 * (bdev_disk_changed()) holds too, as in Linux: a rescan never drops a
 * partition being opened, and an open never returns a partition the
 * rescan dropped.
 */
#ifdef CONFIG_KTEST
void (*blk_open_test_hook)(struct block_device *bdev);
#endif

/* Hold @bdev (referenced by the caller's lookup) for an open. */
static struct block_device *blkdev_get(struct block_device *bdev, fmode_t mode)
{
	struct gendisk *disk;
	int err = 0;

	if (!bdev)
		return ERR_PTR(-ENODEV);
#ifdef CONFIG_KTEST
	/* A ktest runs a rescan here, after the lookup, before the open. */
	if (READ_ONCE(blk_open_test_hook))
		blk_open_test_hook(bdev);
#endif
	disk = bdev->bd_disk;
	mutex_lock(&disk->open_mutex);
	if (!bdev_live(bdev))
		err = -ENODEV;
	else if ((mode & FMODE_WRITE) && bdev->bd_read_only)
		err = -EACCES;
	else
		atomic_add(1, &bdev->bd_openers);
	mutex_unlock(&disk->open_mutex);
	if (err) {
		put_device(&bdev->bd_device);
		return ERR_PTR(err);
	}
	return bdev;
}

struct block_device *blkdev_get_by_path(const char *path, fmode_t mode, void *holder)
{
	struct block_device *bdev;

	(void)holder;
	if (!strncmp(path, "/dev/", 5))
		path += 5;
	mutex_lock(&bdev_lock);
	bdev = bdev_find_locked(path);
	if (bdev)
		get_device(&bdev->bd_device);
	mutex_unlock(&bdev_lock);
	return blkdev_get(bdev, mode);
}
EXPORT_SYMBOL_GPL(blkdev_get_by_path);

struct block_device *blkdev_get_by_dev(dev_t dev, fmode_t mode, void *holder)
{
	struct block_device *bdev, *found = NULL;

	(void)holder;
	if (!dev)
		return ERR_PTR(-ENODEV);
	mutex_lock(&bdev_lock);
	list_for_each_entry(bdev, &all_bdevs, bd_list) {
		if (READ_ONCE(bdev->bd_dev) == dev) {
			found = bdev;
			get_device(&bdev->bd_device);
			break;
		}
	}
	mutex_unlock(&bdev_lock);
	return blkdev_get(found, mode);
}
EXPORT_SYMBOL_GPL(blkdev_get_by_dev);

void blkdev_put(struct block_device *bdev, fmode_t mode)
{
	struct gendisk *disk = bdev->bd_disk;

	(void)mode;
	mutex_lock(&disk->open_mutex);
	atomic_add(-1, &bdev->bd_openers);
	mutex_unlock(&disk->open_mutex);
	put_device(&bdev->bd_device);
}
EXPORT_SYMBOL_GPL(blkdev_put);

int blkdev_for_each(int (*fn)(struct block_device *bdev, void *data), void *data)
{
	struct block_device *bdev;
	int ret = 0;

	mutex_lock(&bdev_lock);
	list_for_each_entry(bdev, &all_bdevs, bd_list) {
		ret = fn(bdev, data);
		if (ret)
			break;
	}
	mutex_unlock(&bdev_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(blkdev_for_each);
