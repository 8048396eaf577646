// SPDX-License-Identifier: GPL-2.0
/*
 * The hwrng core: a list of random number sources, the current one
 * (best quality, earliest registered on a tie), hwrng_read() and the
 * `hwrng` shell command.
 *
 * One mutex covers the list, the current source and every read: reads are
 * short (a source's read waits a bounded time), and holding it across the
 * read is what lets hwrng_unregister() know no read still uses the source
 * when it returns, without reference counts.
 *
 * /dev/hwrng (misc minor 183) exists while there is a source: it appears
 * with the first and goes with the last, so that a hot-removed source's
 * node disappears; a file left open then reads -ENODEV.
 */
#define pr_fmt(fmt) "hwrng: " fmt

#include <exo/device.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/hw_random.h>
#include <exo/kernel.h>
#include <exo/miscdevice.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/uaccess.h>

/* Empty answers in a row (from a waiting read) before a source is faulty. */
#define HWRNG_EMPTY_READS	8

static DEFINE_MUTEX(rng_mutex);
static LIST_HEAD(rng_list);
static struct hwrng *current_rng;

/* The most a read of /dev/hwrng returns at once (short reads are allowed). */
#define RNG_BUFFER_SIZE		4096

static ssize_t rng_dev_read(struct file *filp, char __user *buf, size_t count, loff_t *ppos)
{
	ssize_t ret;
	u8 *tmp;

	count = min_t(size_t, count, RNG_BUFFER_SIZE);
	tmp = kmalloc(count, GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	ret = hwrng_read(tmp, count);
	if (ret > 0 && copy_to_user(buf, tmp, ret))
		ret = -EFAULT;
	kfree(tmp);
	return ret;
}

static const struct file_operations rng_chrdev_ops = {
	.open = nonseekable_open,
	.read = rng_dev_read,
	.llseek = noop_llseek,
};

static struct miscdevice rng_miscdev = {
	.minor = HWRNG_MINOR,
	.name = "hwrng",
	.fops = &rng_chrdev_ops,
	.mode = 0444,
};

/* The best source on the list, or NULL; rng_mutex held. */
static struct hwrng *best_rng(void)
{
	struct hwrng *rng, *best = NULL;

	list_for_each_entry(rng, &rng_list, list)
		if (!best || rng->quality > best->quality)
			best = rng;
	return best;
}

/* Make @rng current (init it first), dropping the old one; rng_mutex held. */
static int set_current_rng(struct hwrng *rng)
{
	int ret = 0;

	if (rng == current_rng)
		return 0;
	if (rng && rng->init && !rng->initialised) {
		ret = rng->init(rng);
		if (ret) {
			pr_err("%s: init failed: %d\n", rng->name, ret);
			return ret;
		}
	}
	if (rng)
		rng->initialised = true;
	if (current_rng && current_rng->cleanup && current_rng->initialised)
		current_rng->cleanup(current_rng);
	if (current_rng)
		current_rng->initialised = false;
	current_rng = rng;
	return 0;
}

int hwrng_register(struct hwrng *rng)
{
	struct hwrng *tmp;
	int ret = 0;

	if (!rng->name || !rng->read) {
		pr_err("hwrng_register: source %s has no %s\n", rng->name ?: "(null)",
		       rng->name ? "read" : "name");
		return -EINVAL;
	}
	mutex_lock(&rng_mutex);
	list_for_each_entry(tmp, &rng_list, list) {
		if (!strcmp(tmp->name, rng->name)) {
			pr_err("source %s is already registered\n", rng->name);
			ret = -EEXIST;
			goto out;
		}
	}
	rng->initialised = false;
	list_add_tail(&rng->list, &rng_list);
	if (!current_rng || rng->quality > current_rng->quality) {
		ret = set_current_rng(rng);
		if (ret)
			list_del(&rng->list);
	}
	/* The first source brings the node; without it the source still works. */
	if (!ret && rng_list.next == &rng->list && rng->list.next == &rng_list &&
	    misc_register(&rng_miscdev))
		pr_err("no /dev/hwrng\n");
	if (!ret)
		pr_info("%s registered%s\n", rng->name, current_rng == rng ? ", current" : "");
out:
	mutex_unlock(&rng_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(hwrng_register);

void hwrng_unregister(struct hwrng *rng)
{
	mutex_lock(&rng_mutex);
	list_del(&rng->list);
	if (current_rng == rng) {
		struct hwrng *next = best_rng();

		set_current_rng(NULL);
		if (next && set_current_rng(next))
			pr_err("no current source after %s left\n", rng->name);
	}
	if (list_empty(&rng_list) && rng_miscdev.this_device)
		misc_deregister(&rng_miscdev);
	mutex_unlock(&rng_mutex);
	pr_info("%s unregistered\n", rng->name);
}
EXPORT_SYMBOL_GPL(hwrng_unregister);

static void devm_hwrng_release(void *rng)
{
	hwrng_unregister(rng);
}

int devm_hwrng_register(struct device *dev, struct hwrng *rng)
{
	int ret = hwrng_register(rng);

	if (ret)
		return ret;
	return devm_add_action_or_reset(dev, devm_hwrng_release, rng);
}
EXPORT_SYMBOL_GPL(devm_hwrng_register);

ssize_t hwrng_read(void *buf, size_t len)
{
	unsigned int empty = 0;
	size_t done = 0;
	ssize_t ret = 0;

	if (!len)
		return -EINVAL;
	mutex_lock(&rng_mutex);
	if (!current_rng) {
		ret = -ENODEV;
		goto out;
	}
	while (done < len) {
		int n = current_rng->read(current_rng, (u8 *)buf + done, len - done, true);

		if (n < 0) {
			ret = n;
			goto out;
		}
		/* A source may come back empty-handed now and then. */
		if (!n && ++empty <= HWRNG_EMPTY_READS)
			continue;
		if (!n || (size_t)n > len - done) {
			pr_err("%s: read returned %d of %zu bytes\n", current_rng->name, n,
			       len - done);
			ret = -EIO;
			goto out;
		}
		done += n;
		empty = 0;
	}
	ret = done;
out:
	mutex_unlock(&rng_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(hwrng_read);

int hwrng_current_name(char *buf, size_t size)
{
	int ret = -ENODEV;

	mutex_lock(&rng_mutex);
	if (current_rng) {
		strlcpy(buf, current_rng->name, size);
		ret = 0;
	}
	mutex_unlock(&rng_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(hwrng_current_name);

#define HWRNG_CMD_MAX	4096

/* `hwrng`: the sources; `hwrng N`: N bytes from the current one, in hex. */
static int cmd_hwrng(int argc, char **argv)
{
	unsigned long n;
	struct hwrng *rng;
	u8 *buf;
	ssize_t ret;

	if (argc == 1) {
		mutex_lock(&rng_mutex);
		list_for_each_entry(rng, &rng_list, list)
			printk("%s%s\n", rng->name, rng == current_rng ? " (current)" : "");
		if (list_empty(&rng_list))
			printk("hwrng: no source\n");
		mutex_unlock(&rng_mutex);
		return 0;
	}
	if (kstrtoul(argv[1], 0, &n) || !n || n > HWRNG_CMD_MAX) {
		printk("hwrng: byte count must be 1..%d\n", HWRNG_CMD_MAX);
		return -EINVAL;
	}
	buf = kmalloc(n, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = hwrng_read(buf, n);
	if (ret < 0) {
		printk("hwrng: read failed: %zd\n", ret);
		kfree(buf);
		return ret;
	}
	for (unsigned long i = 0; i < n; i += 32) {
		char line[32 * 2 + 1];
		unsigned long j;

		for (j = 0; j < 32 && i + j < n; j++)
			snprintf(line + 2 * j, 3, "%02x", buf[i + j]);
		printk("%s\n", line);
	}
	kfree(buf);
	return 0;
}
DEFINE_SHELL_CMD_ARGS(hwrng, "[N]", 0, 1, "list random sources, or read N bytes in hex",
		      cmd_hwrng);
