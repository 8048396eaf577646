// SPDX-License-Identifier: GPL-2.0
/*
 * The memory devices of major 1, as Linux's drivers/char/mem.c: /dev/null
 * (reads end at once, writes vanish), /dev/zero (reads give zeroes) and
 * /dev/kmsg (the kernel log, one line per read; a write is logged).  One
 * cdev covers the major; its open picks the minor's fops.
 */
#define pr_fmt(fmt) "mem: " fmt

#include <exo/cdev.h>
#include <exo/device/class.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/uaccess.h>

#define MEM_MAJOR	1
#define MEM_MINORS	256
/* The longest line /dev/kmsg takes or gives, as Linux's. */
#define KMSG_LINE_MAX	1024
/* printk() keeps 511 bytes of text, less the newline a write may be given. */
#define KMSG_WRITE_MAX	510
/* How often a blocking /dev/kmsg reader looks for a new line. */
#define KMSG_POLL_MS	20

static ssize_t read_null(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	return 0;
}

static ssize_t write_null(struct file *file, const char __user *buf, size_t count,
			  loff_t *ppos)
{
	return count;
}

/* Seeking /dev/null or /dev/zero always lands at 0, as in Linux. */
static loff_t null_lseek(struct file *file, loff_t offset, int whence)
{
	file->f_pos = 0;
	return 0;
}

static ssize_t read_zero(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	static const u8 zeroes[256];
	size_t done = 0;

	while (done < count) {
		size_t n = min_t(size_t, count - done, sizeof(zeroes));

		if (copy_to_user(buf + done, zeroes, n))
			return done ? (ssize_t)done : -EFAULT;
		done += n;
	}
	return done;
}

static const struct file_operations null_fops = {
	.llseek = null_lseek,
	.read = read_null,
	.write = write_null,
};

static const struct file_operations zero_fops = {
	.llseek = null_lseek,
	.read = read_zero,
	.write = write_null,
};

struct kmsg_user {
	struct mutex lock;	/* pos and line, between readers, writers, poll */
	u64 pos;
	char line[KMSG_LINE_MAX];
};

static int devkmsg_open(struct inode *inode, struct file *file)
{
	struct kmsg_user *u = kmalloc(sizeof(*u), GFP_KERNEL);

	if (!u)
		return -ENOMEM;
	mutex_init(&u->lock);
	u->pos = log_buf_first_line();
	file->private_data = u;
	return stream_open(inode, file);
}

static int devkmsg_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/*
 * printk() runs in every context, where it cannot wake a reader; a
 * blocking reader therefore looks again every KMSG_POLL_MS.  A line longer
 * than u->line comes truncated (log_buf_read_line()); one longer than the
 * reader's buffer is refused with -EINVAL and left for a bigger read, as
 * in Linux.
 */
static ssize_t devkmsg_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct kmsg_user *u = file->private_data;
	u64 pos;
	ssize_t n;

	for (;;) {
		mutex_lock(&u->lock);
		pos = u->pos;
		n = log_buf_read_line(&pos, u->line, sizeof(u->line));
		if (n != -EAGAIN || (file->f_flags & O_NONBLOCK))
			break;
		mutex_unlock(&u->lock);
		msleep(KMSG_POLL_MS);
	}
	if (n >= 0 && (size_t)n > count)
		n = -EINVAL;
	else if (n >= 0 && copy_to_user(buf, u->line, n))
		n = -EFAULT;
	if (n >= 0)
		u->pos = pos;
	mutex_unlock(&u->lock);
	return n;
}

static ssize_t devkmsg_write(struct file *file, const char __user *buf, size_t count,
			     loff_t *ppos)
{
	struct kmsg_user *u = file->private_data;
	const char *text = u->line;
	size_t n = count;

	/* Refused rather than cut short by printk() without a word. */
	if (count > KMSG_WRITE_MAX) {
		pr_err("kmsg: a write of %zu bytes is longer than a line (%d)\n", count,
		       KMSG_WRITE_MAX);
		return -EINVAL;
	}
	mutex_lock(&u->lock);
	if (copy_from_user(u->line, buf, count)) {
		mutex_unlock(&u->lock);
		return -EFAULT;
	}
	u->line[count] = 0;
	/* "<N>" gives the level, as in Linux; a plain line is KERN_INFO. */
	if (n >= 3 && text[0] == '<' && text[1] >= '0' && text[1] <= '7' && text[2] == '>') {
		char fmt[] = KERN_SOH "0%.*s%s";

		fmt[1] = text[1];
		printk(fmt, (int)(n - 3), text + 3, text[n - 1] == '\n' ? "" : "\n");
	} else {
		printk(KERN_INFO "%.*s%s", (int)n, text, n && text[n - 1] == '\n' ? "" : "\n");
	}
	mutex_unlock(&u->lock);
	return count;
}

/* Readable when a whole line waits (a look at it, the position unmoved). */
static __poll_t devkmsg_poll(struct file *file, poll_table *wait)
{
	struct kmsg_user *u = file->private_data;
	u64 pos;
	ssize_t n;

	mutex_lock(&u->lock);
	pos = u->pos;
	n = log_buf_read_line(&pos, u->line, sizeof(u->line));
	mutex_unlock(&u->lock);
	return n == -EAGAIN ? 0 : EPOLLIN | EPOLLRDNORM;
}

static const struct file_operations kmsg_fops = {
	.open = devkmsg_open,
	.poll = devkmsg_poll,
	.release = devkmsg_release,
	.read = devkmsg_read,
	.write = devkmsg_write,
};

static const struct memdev {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
} devlist[] = {
	[3] = { "null", 0666, &null_fops },
	[5] = { "zero", 0666, &zero_fops },
	[11] = { "kmsg", 0644, &kmsg_fops },
};

static int memory_open(struct inode *inode, struct file *file)
{
	unsigned int minor = iminor(inode);
	const struct memdev *dev;

	if (minor >= ARRAY_SIZE(devlist) || !devlist[minor].fops)
		return -ENXIO;
	dev = &devlist[minor];
	/* Built in: no owner to swap. */
	file->f_op = dev->fops;
	if (dev->fops->open)
		return dev->fops->open(inode, file);
	return 0;
}

static const struct file_operations memory_fops = {
	.open = memory_open,
	.llseek = noop_llseek,
};

static const char *mem_devnode(const struct device *dev, umode_t *mode)
{
	unsigned int minor = MINOR(device_devt(dev));

	if (mode && minor < ARRAY_SIZE(devlist))
		*mode = devlist[minor].mode;
	return NULL;
}

static struct class mem_class = {
	.name = "mem",
	.devnode = mem_devnode,
};

static struct cdev mem_cdev;

static int __init chr_dev_init(void)
{
	int ret = register_chrdev_region(MKDEV(MEM_MAJOR, 0), MEM_MINORS, "mem");

	if (ret)
		return ret;
	cdev_init(&mem_cdev, &memory_fops);
	ret = cdev_add(&mem_cdev, MKDEV(MEM_MAJOR, 0), MEM_MINORS);
	if (ret)
		return ret;
	ret = class_register(&mem_class);
	if (ret)
		return ret;
	for (unsigned int minor = 0; minor < ARRAY_SIZE(devlist); minor++) {
		struct device *dev;

		if (!devlist[minor].name)
			continue;
		dev = device_create(&mem_class, NULL, MKDEV(MEM_MAJOR, minor), NULL, "%s",
				    devlist[minor].name);
		if (IS_ERR(dev))
			pr_err("/dev/%s: %ld\n", devlist[minor].name, PTR_ERR(dev));
	}
	return 0;
}
fs_initcall(chr_dev_init);
