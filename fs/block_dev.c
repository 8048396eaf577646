// SPDX-License-Identifier: GPL-2.0
/*
 * Block device nodes: /dev/vda, /dev/vda1... made by the block layer's
 * bdev_add() (bdev_create_node()), and their file operations, as Linux's
 * block/fops.c with a buffered path: a read or write at any byte offset
 * goes through a bounce buffer of whole logical blocks (read, modify,
 * write for a partial block), in chunks of BDEV_CHUNK bytes.
 *
 * A node is its block device's by number: an open finds the device by
 * the node's dev_t (blkdev_get_by_dev()), whatever the node is called, and
 * the node is removed only if it is still that number's.  An open holds
 * the block device and the disk driver's module; after del_gendisk() the
 * queue fails new I/O, so a file left open gets errors, never a fault.
 *
 * Writes through nodes are serialised per disk (gendisk->rmw_mutex), as
 * Linux's page lock serialises writers of a page: a partial block is read,
 * modified and written back whole, and a second writer of that block in
 * between (through the same node, another one, or a partition's) would
 * be overwritten with the old bytes.
 */
#define pr_fmt(fmt) "bdev: " fmt

#include <exo/blkdev.h>
#include <exo/device/class.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/uaccess.h>
#include "internal.h"

#define BLOCK_EXT_MAJOR	259
#define BDEV_CHUNK	(16 * 1024)

static DEFINE_MUTEX(bdev_minor_lock);
static unsigned int bdev_next_minor;

int bdev_create_node(struct block_device *bdev)
{
	struct gendisk *disk = bdev->bd_disk;
	dev_t devt;
	int ret;

	if (disk->major) {
		devt = MKDEV(disk->major, disk->first_minor + bdev->bd_partno);
	} else {
		mutex_lock(&bdev_minor_lock);
		devt = MKDEV(BLOCK_EXT_MAJOR, bdev_next_minor++);
		mutex_unlock(&bdev_minor_lock);
	}
	/*
	 * The number first: an open of the node, as soon as it exists, finds
	 * the block device by it (blkdev_get_by_dev()).  Without a node of
	 * its own, no number (0): nothing to remove later.  The device's
	 * devt (its uevents' MAJOR and MINOR) stays after the node's
	 * removal, for the "remove" event.
	 */
	WRITE_ONCE(bdev->bd_dev, devt);
	ret = devtmpfs_create_node(bdev_name(bdev), S_IFBLK | 0600, devt, bdev);
	if (ret)
		WRITE_ONCE(bdev->bd_dev, 0);
	else
		bdev->bd_device.devt = devt;
	return ret;
}
EXPORT_SYMBOL_GPL(bdev_create_node);

void bdev_remove_node(struct block_device *bdev)
{
	dev_t devt = bdev->bd_dev;

	if (!devt)
		return;
	devtmpfs_delete_node(bdev_name(bdev), S_IFBLK, devt);
	WRITE_ONCE(bdev->bd_dev, 0);
}
EXPORT_SYMBOL_GPL(bdev_remove_node);

static loff_t bdev_size(const struct block_device *bdev)
{
	return (loff_t)bdev_nr_sectors(bdev) << SECTOR_SHIFT;
}

static int blkdev_open(struct inode *inode, struct file *filp)
{
	struct block_device *bdev;
	struct module *owner;
	fmode_t mode = filp->f_mode & (FMODE_READ | FMODE_WRITE);

	bdev = blkdev_get_by_dev(inode->i_rdev, mode, NULL);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	owner = bdev->bd_disk->fops ? bdev->bd_disk->fops->owner : NULL;
	if (!try_module_get(owner)) {
		blkdev_put(bdev, mode);
		return -ENODEV;
	}
	module_put(filp->f_owner);
	filp->f_owner = owner;
	filp->private_data = bdev;
	inode->i_size = bdev_size(bdev);
	filp->f_mode |= FMODE_LSEEK;
	return 0;
}

static int blkdev_release(struct inode *inode, struct file *filp)
{
	blkdev_put(filp->private_data, filp->f_mode & (FMODE_READ | FMODE_WRITE));
	return 0;
}

#ifdef CONFIG_KTEST
void (*bdev_rmw_test_hook)(struct block_device *bdev);
#endif

/* The blocks covering [@pos, @pos + @len): read into @dst, or written from @src. */
static int blkdev_rw_span(struct block_device *bdev, loff_t pos, size_t len, u8 *bounce,
			  const char __user *src, char __user *dst)
{
	unsigned int lbs = bdev_logical_block_size(bdev);
	loff_t start = ALIGN_DOWN(pos, (loff_t)lbs);
	size_t span = ALIGN((size_t)(pos - start) + len, lbs);
	sector_t sector = start >> SECTOR_SHIFT;
	int ret;

	/* A write of whole blocks needs no read first. */
	if (!src || pos != start || len != span) {
		ret = blkdev_rw(bdev, REQ_OP_READ, sector, bounce, span);
		if (ret)
			return ret;
	}
#ifdef CONFIG_KTEST
	{
		/* A ktest writes its disk's block from another thread here. */
		void (*hook)(struct block_device *) = READ_ONCE(bdev_rmw_test_hook);

		if (src && hook)
			hook(bdev);
	}
#endif
	if (!src)
		return copy_to_user(dst, bounce + (pos - start), len) ? -EFAULT : 0;
	if (copy_from_user(bounce + (pos - start), src, len))
		return -EFAULT;
	return blkdev_rw(bdev, REQ_OP_WRITE, sector, bounce, span);
}

/*
 * One chunk: the blocks covering [@pos, @pos + @len) into @bounce, then
 * (@src) @src over them and back, under the disk's rmw_mutex.  @len fits
 * BDEV_CHUNK less a block.
 */
static int blkdev_rw_chunk(struct block_device *bdev, loff_t pos, size_t len, u8 *bounce,
			   const char __user *src, char __user *dst)
{
	struct mutex *rmw = &bdev->bd_disk->rmw_mutex;
	int ret;

	if (!src)
		return blkdev_rw_span(bdev, pos, len, bounce, NULL, dst);
	mutex_lock(rmw);
	ret = blkdev_rw_span(bdev, pos, len, bounce, src, NULL);
	mutex_unlock(rmw);
	return ret;
}

static ssize_t blkdev_do_rw(struct file *filp, const char __user *src, char __user *dst,
			    size_t count, loff_t *ppos)
{
	struct block_device *bdev = filp->private_data;
	loff_t pos = *ppos, size = bdev_size(bdev);
	size_t done = 0;
	u8 *bounce;
	int ret = 0;

	if (pos >= size)
		return src ? -ENOSPC : 0;
	if ((loff_t)count > size - pos)
		count = size - pos;
	bounce = kmalloc(BDEV_CHUNK, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (done < count) {
		unsigned int lbs = bdev_logical_block_size(bdev);
		size_t n = min_t(size_t, count - done, BDEV_CHUNK - lbs);

		ret = blkdev_rw_chunk(bdev, pos + done, n, bounce, src ? src + done : NULL,
				      dst ? dst + done : NULL);
		if (ret)
			break;
		done += n;
	}
	kfree(bounce);
	*ppos = pos + done;
	return done ? (ssize_t)done : ret;
}

static ssize_t blkdev_read(struct file *filp, char __user *buf, size_t count, loff_t *ppos)
{
	return blkdev_do_rw(filp, NULL, buf, count, ppos);
}

static ssize_t blkdev_write(struct file *filp, const char __user *buf, size_t count,
			    loff_t *ppos)
{
	return blkdev_do_rw(filp, buf, NULL, count, ppos);
}

static loff_t blkdev_llseek(struct file *filp, loff_t offset, int whence)
{
	return fixed_size_llseek(filp, offset, whence, bdev_size(filp->private_data));
}

const struct file_operations def_blk_fops = {
	.open = blkdev_open,
	.release = blkdev_release,
	.read = blkdev_read,
	.write = blkdev_write,
	.llseek = blkdev_llseek,
};
