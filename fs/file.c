// SPDX-License-Identifier: GPL-2.0
/*
 * Opening and using nodes: the kernel side of open(2), read(2), write(2),
 * lseek(2), ioctl(2), poll(2), getdents(2) and close(2), as in Linux's
 * fs/open.c and fs/read_write.c.
 *
 * An open holds, until its close: a reference on the dentry (the node may
 * be removed meanwhile; the file keeps working on what it pinned), on the
 * module of its file operations (try_module_get(f_op->owner); an owner
 * going away makes the open fail with -ENODEV), and, for a device node,
 * on the device (get_device(), by chrdev_open() or the misc layer).
 */
#define pr_fmt(fmt) "fs: " fmt

#include <exo/device.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/module.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/uaccess.h>
#include "internal.h"

#define LOFF_MAX	((loff_t)(~0ULL >> 1))

static atomic_long_t nr_open_files;

unsigned long fs_nr_open_files(void)
{
	return atomic_long_read(&nr_open_files);
}
EXPORT_SYMBOL_GPL(fs_nr_open_files);

/*
 * Drop what an open pinned and free @f: the cdev (it may live in the
 * device's memory), the device (its release() may be module text), then
 * the modules.
 */
static void file_free(struct file *f)
{
	struct module *cdev_owner = chrdev_file_put(f);

	if (f->f_dev)
		put_device(f->f_dev);
	module_put(cdev_owner);
	module_put(f->f_owner);
	dput(f->f_dentry);
	kfree(f);
	atomic_long_dec(&nr_open_files);
}

struct file *filp_open(const char *path, int flags, umode_t mode)
{
	const struct file_operations *fops;
	struct dentry *d;
	struct file *f;
	int acc = flags & O_ACCMODE;
	int ret;

	(void)mode;
	if (acc == O_ACCMODE || (flags & ~(O_ACCMODE | O_NONBLOCK))) {
		pr_err("open %s: flags %#x not supported\n", path ?: "(null)", flags);
		return ERR_PTR(-EINVAL);
	}
	d = ns_lookup(path);
	if (IS_ERR(d))
		return (struct file *)d;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		dput(d);
		return ERR_PTR(-ENOMEM);
	}
	atomic_long_inc(&nr_open_files);
	f->f_dentry = d;
	f->f_inode = d->d_inode;
	f->f_flags = flags;
	f->f_mode = (acc != O_WRONLY ? FMODE_READ : 0) | (acc != O_RDONLY ? FMODE_WRITE : 0) |
		    FMODE_LSEEK;
	if (S_ISDIR(f->f_inode->i_mode) && (f->f_mode & FMODE_WRITE)) {
		ret = -EISDIR;
		goto fail;
	}
	fops = f->f_inode->i_fop;
	if (fops) {
		if (!try_module_get(fops->owner)) {
			ret = -ENODEV;
			goto fail;
		}
		f->f_owner = fops->owner;
		f->f_op = fops;
		if (fops->open) {
			/* May replace f_op (and f_owner) by a driver's: chrdev_open(). */
			ret = fops->open(f->f_inode, f);
			if (ret)
				goto fail;
		}
	}
	if (!f->f_op || !f->f_op->llseek)
		f->f_mode &= ~FMODE_LSEEK;
	return f;
fail:
	file_free(f);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(filp_open);

int filp_close(struct file *file, void *id)
{
	(void)id;
	if (IS_ERR_OR_NULL(file)) {
		pr_err("close: not a file (%p)\n", file);
		return -EBADF;
	}
	if (file->f_op && file->f_op->release)
		file->f_op->release(file->f_inode, file);
	file_free(file);
	return 0;
}
EXPORT_SYMBOL_GPL(filp_close);

/* Linux's rw_verify_area(): the range must be representable. */
static int rw_verify_area(struct file *file, const loff_t *ppos, size_t count)
{
	loff_t pos, end;

	if (!ppos)
		return 0;
	pos = *ppos;
	if (pos < 0) {
		if (!(file->f_mode & FMODE_UNSIGNED_OFFSET))
			return -EINVAL;
		return 0;
	}
	if (check_add_overflow(pos, (loff_t)count, &end))
		return file->f_mode & FMODE_UNSIGNED_OFFSET ? 0 : -EINVAL;
	return 0;
}

/*
 * What read(2) and write(2) check before the driver: the open mode
 * (@mode), an operation to call (@op), the range; @count clamped.
 */
static int rw_check(struct file *file, fmode_t mode, bool op, const loff_t *pos, size_t *count)
{
	if (!(file->f_mode & mode))
		return -EBADF;
	if (!op)
		return S_ISDIR(file->f_inode->i_mode) ? -EISDIR : -EINVAL;
	if (*count > MAX_RW_COUNT)
		*count = MAX_RW_COUNT;
	return rw_verify_area(file, pos, *count);
}

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	int ret = rw_check(file, FMODE_READ, file->f_op && file->f_op->read, pos, &count);

	if (ret || !count)
		return ret;
	return file->f_op->read(file, (__force char __user *)buf, count, pos);
}
EXPORT_SYMBOL_GPL(kernel_read);

ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos)
{
	int ret = rw_check(file, FMODE_WRITE, file->f_op && file->f_op->write, pos, &count);

	if (ret || !count)
		return ret;
	return file->f_op->write(file, (__force const char __user *)buf, count, pos);
}
EXPORT_SYMBOL_GPL(kernel_write);

long vfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (!file->f_op || !file->f_op->unlocked_ioctl)
		return -ENOTTY;
	return file->f_op->unlocked_ioctl(file, cmd, arg);
}
EXPORT_SYMBOL_GPL(vfs_ioctl);

loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
{
	if (!(file->f_mode & FMODE_LSEEK))
		return -ESPIPE;
	if (whence < SEEK_SET || whence > SEEK_END)
		return -EINVAL;
	return file->f_op->llseek(file, offset, whence);
}
EXPORT_SYMBOL_GPL(vfs_llseek);

__poll_t vfs_poll(struct file *file, struct poll_table_struct *pt)
{
	if (!file->f_op || !file->f_op->poll)
		return DEFAULT_POLLMASK;
	return file->f_op->poll(file, pt);
}
EXPORT_SYMBOL_GPL(vfs_poll);

int iterate_dir(struct file *file, struct dir_context *ctx)
{
	if (!S_ISDIR(file->f_inode->i_mode))
		return -ENOTDIR;
	if (file->f_op && file->f_op->iterate_shared)
		return file->f_op->iterate_shared(file, ctx);
	return ns_iterate(file->f_dentry, ctx);
}
EXPORT_SYMBOL_GPL(iterate_dir);

int vfs_stat(const char *path, struct kstat *stat)
{
	struct dentry *d = ns_lookup(path);

	if (IS_ERR(d))
		return PTR_ERR(d);
	stat->mode = d->d_inode->i_mode;
	stat->rdev = d->d_inode->i_rdev;
	stat->size = d->d_inode->i_size;
	stat->ino = d->d_inode->i_ino;
	dput(d);
	return 0;
}
EXPORT_SYMBOL_GPL(vfs_stat);

/* The new position, if legal (Linux's vfs_setpos()). */
static loff_t vfs_setpos(struct file *file, loff_t offset, loff_t maxsize)
{
	if (offset < 0 && !(file->f_mode & FMODE_UNSIGNED_OFFSET))
		return -EINVAL;
	if (offset > maxsize)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

/*
 * The new position for @offset from @whence, @eof being the end: legal
 * up to @max (Linux's generic_file_llseek_size()).
 */
static loff_t llseek_size(struct file *file, loff_t offset, int whence, loff_t eof, loff_t max)
{
	loff_t pos;

	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		if (check_add_overflow(file->f_pos, offset, &pos))
			return -EINVAL;
		break;
	case SEEK_END:
		if (check_add_overflow(eof, offset, &pos))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return vfs_setpos(file, pos, max);
}

loff_t no_llseek(struct file *file, loff_t offset, int whence)
{
	(void)file;
	(void)offset;
	(void)whence;
	return -ESPIPE;
}
EXPORT_SYMBOL_GPL(no_llseek);

loff_t noop_llseek(struct file *file, loff_t offset, int whence)
{
	return file->f_pos;
}
EXPORT_SYMBOL_GPL(noop_llseek);

loff_t fixed_size_llseek(struct file *file, loff_t offset, int whence, loff_t size)
{
	return llseek_size(file, offset, whence, size, size);
}
EXPORT_SYMBOL_GPL(fixed_size_llseek);

loff_t default_llseek(struct file *file, loff_t offset, int whence)
{
	return llseek_size(file, offset, whence, file->f_inode->i_size, LOFF_MAX);
}
EXPORT_SYMBOL_GPL(default_llseek);

ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos,
				const void *from, size_t available)
{
	loff_t pos = *ppos;

	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available || !count)
		return 0;
	if (count > available - pos)
		count = available - pos;
	if (copy_to_user(to, (const char *)from + pos, count))
		return -EFAULT;
	*ppos = pos + count;
	return count;
}
EXPORT_SYMBOL_GPL(simple_read_from_buffer);

ssize_t simple_write_to_buffer(void *to, size_t available, loff_t *ppos,
			       const void __user *from, size_t count)
{
	loff_t pos = *ppos;

	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available)
		return -ENOSPC;
	if (count > available - pos)
		count = available - pos;
	if (copy_from_user((char *)to + pos, from, count))
		return -EFAULT;
	*ppos = pos + count;
	return count;
}
EXPORT_SYMBOL_GPL(simple_write_to_buffer);

int stream_open(struct inode *inode, struct file *file)
{
	(void)inode;
	file->f_mode &= ~FMODE_LSEEK;
	return 0;
}
EXPORT_SYMBOL_GPL(stream_open);

int nonseekable_open(struct inode *inode, struct file *file)
{
	return stream_open(inode, file);
}
EXPORT_SYMBOL_GPL(nonseekable_open);
