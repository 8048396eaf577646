// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the char-device layer and /dev: the memory devices, bad input
 * to every call, dev_t regions and cdev maps, a file pinning its module
 * and its device until close, misc devices appearing and going (also
 * while other CPUs open them), /dev/kmsg, block nodes and the shell
 * commands.  Every case ends with the open-file and dentry counts back
 * where they started.
 */
#include <exo/atomic.h>
#include <exo/blkdev.h>
#include <exo/cdev.h>
#include <exo/completion.h>
#include <exo/device.h>
#include <exo/device/class.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/jiffies.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/limits.h>
#include <exo/lockdep.h>
#include <exo/miscdevice.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/uaccess.h>

#include "../kernel/module-internal.h"
#include "internal.h"

struct fs_test_base {
	unsigned long files, dentries;
};

static struct module fake_mod = { .name = "fs_test_fake", .state = MODULE_STATE_LIVE };

/*
 * The test devices' owner.  Without CONFIG_MODULES nothing can be
 * unloaded and every driver is built in: its owner is NULL (THIS_MODULE),
 * try_module_get() always succeeds and counts nothing, so the owner's
 * users are 0 whatever is open.
 */
#define FAKE_OWNER	(IS_ENABLED(CONFIG_MODULES) ? &fake_mod : NULL)
/* @n users of the owner: the cdev's and the fops' references of each open. */
#define EXPECT_OWNER_USERS(t, n) \
	KTEST_EXPECT_EQ(t, module_refcount(&fake_mod), IS_ENABLED(CONFIG_MODULES) ? (n) : 0)

static int fs_test_init(struct ktest *t)
{
	struct fs_test_base *b = kmalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return -ENOMEM;
	b->files = fs_nr_open_files();
	b->dentries = fs_nr_dentries();
	t->priv = b;
	/* A live module holds its base reference (kernel/module.c). */
	if (IS_ENABLED(CONFIG_MODULES))
		module_ref_init(&fake_mod);
	fake_mod.state = MODULE_STATE_LIVE;
	return 0;
}

static void fs_test_exit(struct ktest *t)
{
	struct fs_test_base *b = t->priv;

	KTEST_EXPECT_EQ(t, fs_nr_open_files(), b->files);
	KTEST_EXPECT_EQ(t, fs_nr_dentries(), b->dentries);
	kfree(b);
}

static void test_null_zero(struct ktest *t)
{
	struct file *f;
	u8 buf[300];
	loff_t pos = 0;

	f = filp_open("/dev/null", O_RDWR, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &pos), 0);
	KTEST_EXPECT_EQ(t, kernel_write(f, buf, sizeof(buf), &pos), (ssize_t)sizeof(buf));
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 100, SEEK_SET), 0);
	KTEST_EXPECT_EQ(t, vfs_ioctl(f, 0x1234, 0), -ENOTTY);
	KTEST_EXPECT_TRUE(t, vfs_poll(f, NULL) == DEFAULT_POLLMASK);
	filp_close(f, NULL);

	f = filp_open("/dev/zero", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	memset(buf, 0xa5, sizeof(buf));
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &f->f_pos), (ssize_t)sizeof(buf));
	KTEST_EXPECT_NULL(t, memchr_inv(buf, 0, sizeof(buf)));
	KTEST_EXPECT_EQ(t, kernel_write(f, buf, 1, &f->f_pos), -EBADF);
	filp_close(f, NULL);
}

static void test_bad_input(struct ktest *t)
{
	struct file *f;
	loff_t pos;
	u8 buf[8];

	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("dev/null", O_RDONLY, 0)), -EINVAL);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/dev/nosuch", O_RDONLY, 0)), -ENOENT);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/dev/null/x", O_RDONLY, 0)), -ENOTDIR);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/dev/null", O_ACCMODE, 0)), -EINVAL);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/dev/null", 0x40000000, 0)), -EINVAL);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/dev", O_WRONLY, 0)), -EISDIR);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/dev/0123456789012345678901234567890123456789",
					     O_RDONLY, 0)), -ENAMETOOLONG);
	KTEST_EXPECT_EQ(t, filp_close(ERR_PTR(-ENOENT), NULL), -EBADF);

	f = filp_open("/dev/zero", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	/* Negative and overflowing positions, as Linux's rw_verify_area(). */
	pos = -1;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &pos), -EINVAL);
	pos = S64_MAX - 2;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &pos), -EINVAL);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, 7), -EINVAL);
	KTEST_EXPECT_EQ(t, vfs_ioctl(f, 0, 0), -ENOTTY);
	filp_close(f, NULL);

	/* An absurd count is clamped to MAX_RW_COUNT, not refused. */
	f = filp_open("/dev/null", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, SIZE_MAX, &f->f_pos), 0);
	KTEST_EXPECT_EQ(t, kernel_write(f, buf, 1, &f->f_pos), -EBADF);
	filp_close(f, NULL);

	f = filp_open("/dev", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 1, &f->f_pos), -EISDIR);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, SEEK_SET), -ESPIPE);
	filp_close(f, NULL);
}

/* A test char device with a parent device and a module owner. */
static atomic_t fake_opens, fake_releases, parent_released;

static int fake_open(struct inode *inode, struct file *file)
{
	atomic_inc(&fake_opens);
	file->private_data = inode->i_cdev;
	return 0;
}

static int fake_release(struct inode *inode, struct file *file)
{
	atomic_inc(&fake_releases);
	return 0;
}

static ssize_t fake_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	static const char text[] = "fake device\n";

	return simple_read_from_buffer(buf, count, ppos, text, sizeof(text) - 1);
}

static loff_t fake_llseek(struct file *file, loff_t offset, int whence)
{
	return fixed_size_llseek(file, offset, whence, 12);
}

static const struct file_operations fake_fops = {
	.owner = FAKE_OWNER,
	.open = fake_open,
	.release = fake_release,
	.read = fake_read,
	.llseek = fake_llseek,
};

static void fake_parent_release(struct device *dev)
{
	atomic_inc(&parent_released);
	kfree(dev);
}

static void test_chrdev_regions(struct ktest *t)
{
	dev_t a, b;

	KTEST_ASSERT_EQ(t, alloc_chrdev_region(&a, 0, 4, "fs_test_a"), 0);
	KTEST_EXPECT_GE(t, MAJOR(a), 234u);
	KTEST_ASSERT_EQ(t, alloc_chrdev_region(&b, 0, 1, "fs_test_b"), 0);
	KTEST_EXPECT_NE(t, MAJOR(a), MAJOR(b));
	KTEST_EXPECT_EQ(t, register_chrdev_region(a + 3, 2, "fs_test_c"), -EBUSY);
	KTEST_EXPECT_EQ(t, register_chrdev_region(a + 4, 2, "fs_test_c"), 0);
	unregister_chrdev_region(a + 4, 2);
	KTEST_EXPECT_EQ(t, register_chrdev_region(MKDEV(0, 1), 1, "x"), -EINVAL);
	KTEST_EXPECT_EQ(t, register_chrdev_region(MKDEV(CHRDEV_MAJOR_MAX, 0), 1, "x"), -EINVAL);
	KTEST_EXPECT_EQ(t, register_chrdev_region(MKDEV(300, MINORMASK), 2, "x"), -EINVAL);
	KTEST_EXPECT_EQ(t, register_chrdev_region(MKDEV(300, 0), 0, "x"), -EINVAL);
	/* The memory devices' major is taken. */
	KTEST_EXPECT_EQ(t, register_chrdev_region(MKDEV(1, 3), 1, "x"), -EBUSY);
	unregister_chrdev_region(a, 4);
	unregister_chrdev_region(b, 1);
	/* Logged, ignored. */
	unregister_chrdev_region(b, 1);
}

static void test_cdev_pins(struct ktest *t)
{
	struct device *parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	struct cdev cdev = {}, other = {};
	struct file *f, *g;
	char buf[32];
	dev_t devt;

	KTEST_ASSERT_NOT_NULL(t, parent);
	KTEST_ASSERT_EQ(t, alloc_chrdev_region(&devt, 0, 2, "fs_test"), 0);
	device_initialize(parent);
	dev_set_name(parent, "fs_test_parent");
	parent->release = fake_parent_release;
	atomic_set(&parent_released, 0);
	atomic_set(&fake_opens, 0);
	atomic_set(&fake_releases, 0);

	cdev_init(&cdev, &fake_fops);
	cdev_set_parent(&cdev, parent);
	KTEST_ASSERT_EQ(t, cdev_add(&cdev, devt, 2), 0);
	KTEST_EXPECT_EQ(t, cdev_add(&cdev, devt, 2), -EBUSY);
	cdev_init(&other, &fake_fops);
	KTEST_EXPECT_EQ(t, cdev_add(&other, devt + 1, 1), -EBUSY);
	KTEST_EXPECT_EQ(t, cdev_add(&other, devt, 0), -EINVAL);
	KTEST_ASSERT_EQ(t, devtmpfs_create_node("fs_test0", S_IFCHR | 0600, devt, NULL), 0);
	KTEST_EXPECT_EQ(t, devtmpfs_create_node("fs_test0", S_IFCHR | 0600, devt, NULL), -EEXIST);
	KTEST_EXPECT_EQ(t, devtmpfs_create_node("a/b", S_IFCHR | 0600, devt, NULL), -EINVAL);

	/* ls lists a node from its inode, without opening the device. */
	KTEST_EXPECT_EQ(t, shell_run_command("ls /dev/fs_test0"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("ls -l /dev/fs_test0"), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&fake_opens), 0);
	f = filp_open("/dev/fs_test0", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, atomic_read(&fake_opens), 1);
	EXPECT_OWNER_USERS(t, 1);
	KTEST_EXPECT_TRUE(t, f->f_owner == FAKE_OWNER);
	KTEST_EXPECT_TRUE(t, f->private_data == &cdev);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 4, &f->f_pos), 4);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &f->f_pos), 8);
	KTEST_EXPECT_EQ(t, memcmp(buf, " device\n", 8), 0);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &f->f_pos), 0);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, -4, SEEK_END), 8);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, -100, SEEK_CUR), -EINVAL);

	/*
	 * A module that is going away: no new open, the open file lives on.
	 * (A built-in owner never goes.)
	 */
	if (IS_ENABLED(CONFIG_MODULES)) {
		fake_mod.state = MODULE_STATE_GOING;
		KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/dev/fs_test0", O_RDONLY, 0)), -ENODEV);
		fake_mod.state = MODULE_STATE_LIVE;
	}
	g = filp_open("/dev/fs_test0", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(g));
	EXPECT_OWNER_USERS(t, 2);

	/* The device goes: the node and the cdev first, then the last put. */
	devtmpfs_delete_node("fs_test0", S_IFCHR, devt);
	cdev_del(&cdev);
	put_device(parent);
	KTEST_EXPECT_EQ(t, atomic_read(&parent_released), 0);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/dev/fs_test0", O_RDONLY, 0)), -ENOENT);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, SEEK_SET), 0);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 4, &f->f_pos), 4);
	filp_close(f, NULL);
	KTEST_EXPECT_EQ(t, atomic_read(&parent_released), 0);
	filp_close(g, NULL);
	KTEST_EXPECT_EQ(t, atomic_read(&parent_released), 1);
	KTEST_EXPECT_EQ(t, atomic_read(&fake_releases), 2);
	EXPECT_OWNER_USERS(t, 0);
	unregister_chrdev_region(devt, 2);
}

/* A node whose cdev is gone (or never came) opens with -ENXIO. */
static void test_cdev_missing(struct ktest *t)
{
	dev_t devt;

	KTEST_ASSERT_EQ(t, alloc_chrdev_region(&devt, 0, 1, "fs_test"), 0);
	KTEST_ASSERT_EQ(t, devtmpfs_create_node("fs_test1", S_IFCHR | 0600, devt, NULL), 0);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/dev/fs_test1", O_RDONLY, 0)), -ENXIO);
	devtmpfs_delete_node("fs_test1", S_IFCHR, devt);
	unregister_chrdev_region(devt, 1);
}

/*
 * cdev_init() of a cdev in use (added, or deleted with a file still open,
 * as a driver rebinding with its node open) leaves it as it is.
 */
static void test_cdev_init_in_use(struct ktest *t)
{
	static struct cdev c;
	struct file *f;
	dev_t devt;

	ktest_log(t, "expect two cdev_init WARNINGs");
	KTEST_ASSERT_EQ(t, alloc_chrdev_region(&devt, 0, 1, "fs_test"), 0);
	cdev_init(&c, &fake_fops);
	KTEST_ASSERT_EQ(t, cdev_add(&c, devt, 1), 0);
	cdev_init(&c, NULL);
	KTEST_EXPECT_TRUE(t, c.added && c.ops == &fake_fops);
	KTEST_ASSERT_EQ(t, devtmpfs_create_node("fs_test3", S_IFCHR | 0600, devt, NULL), 0);
	f = filp_open("/dev/fs_test3", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	cdev_del(&c);
	/* Deleted: not added again, not even while its number is free. */
	KTEST_EXPECT_EQ(t, cdev_add(&c, devt, 1), -EBUSY);
	cdev_init(&c, NULL);
	KTEST_EXPECT_EQ(t, atomic_read(&c.refcnt), 1);	/* the file's */
	KTEST_EXPECT_TRUE(t, c.dead && c.ops == &fake_fops);
	filp_close(f, NULL);
	KTEST_EXPECT_EQ(t, cdev_add(&c, devt, 1), -EBUSY);
	/* No file left: free to reuse. */
	cdev_init(&c, &fake_fops);
	KTEST_EXPECT_FALSE(t, c.dead);
	KTEST_EXPECT_EQ(t, cdev_add(&c, devt, 1), 0);
	cdev_del(&c);
	devtmpfs_delete_node("fs_test3", S_IFCHR, devt);
	unregister_chrdev_region(devt, 1);
}

/*
 * An open racing a cdev_del() and a cdev_add() of the same dev_t (an
 * unbind and a rebind): the hook runs both, and a second open of the same
 * node, between the first open's lookup and its fops->open().
 */
static struct cdev *rebind_new;
static struct file *rebind_second;
static dev_t rebind_devt;

static void rebind_hook(struct inode *inode, struct cdev *p)
{
	/* Another CPU's open (of /dev/null, say) passes through untouched. */
	if (inode->i_rdev != rebind_devt)
		return;
	WRITE_ONCE(chrdev_open_test_hook, NULL);
	cdev_del(p);
	rebind_new = cdev_alloc();
	if (!rebind_new)
		return;
	rebind_new->ops = &fake_fops;
	if (cdev_add(rebind_new, p->dev, 1))
		return;
	rebind_second = filp_open("/dev/fs_test2", O_RDONLY, 0);
}

static void test_cdev_open_vs_rebind(struct ktest *t)
{
	struct cdev *old = cdev_alloc();
	struct file *f;
	dev_t devt;

	KTEST_ASSERT_NOT_NULL(t, old);
	KTEST_ASSERT_EQ(t, alloc_chrdev_region(&devt, 0, 1, "fs_test"), 0);
	old->ops = &fake_fops;
	old->owner = FAKE_OWNER;
	KTEST_ASSERT_EQ(t, cdev_add(old, devt, 1), 0);
	KTEST_ASSERT_EQ(t, devtmpfs_create_node("fs_test2", S_IFCHR | 0600, devt, NULL), 0);
	rebind_new = NULL;
	rebind_second = NULL;
	rebind_devt = devt;
	WRITE_ONCE(chrdev_open_test_hook, rebind_hook);
	f = filp_open("/dev/fs_test2", O_RDONLY, 0);
	WRITE_ONCE(chrdev_open_test_hook, NULL);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_ASSERT_NOT_NULL(t, rebind_new);
	/* The driver's open saw the cdev its open pinned, not the new one. */
	KTEST_EXPECT_TRUE(t, f->private_data == old);
	EXPECT_OWNER_USERS(t, 2);
	/* The node still reaches the deleted cdev, pinned: no open. */
	KTEST_EXPECT_EQ(t, PTR_ERR(rebind_second), -ENXIO);
	if (!IS_ERR_OR_NULL(rebind_second))
		filp_close(rebind_second, NULL);
	KTEST_EXPECT_EQ(t, kernel_read(f, NULL, 0, &f->f_pos), 0);
	filp_close(f, NULL);
	EXPECT_OWNER_USERS(t, 0);
	/* The old cdev is gone with its last file: the node reaches the new one. */
	f = filp_open("/dev/fs_test2", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_TRUE(t, f->private_data == rebind_new);
	filp_close(f, NULL);
	devtmpfs_delete_node("fs_test2", S_IFCHR, devt);
	cdev_del(rebind_new);
	unregister_chrdev_region(devt, 1);
}

static struct miscdevice fake_misc = {
	.minor = MISC_DYNAMIC_MINOR, .name = "fs_test_misc", .fops = &fake_fops,
};

static void test_misc(struct ktest *t)
{
	struct miscdevice dup = { .minor = MISC_DYNAMIC_MINOR, .name = "fs_test_misc",
				  .fops = &fake_fops };
	struct miscdevice bad = { .minor = 300, .name = "x", .fops = &fake_fops };
	struct kstat st;
	struct file *f;
	char buf[16];

	KTEST_ASSERT_EQ(t, misc_register(&fake_misc), 0);
	KTEST_EXPECT_LT(t, fake_misc.minor, MISC_DYNAMIC_MINOR);
	KTEST_EXPECT_EQ(t, misc_register(&dup), -EBUSY);
	KTEST_EXPECT_EQ(t, dup.minor, MISC_DYNAMIC_MINOR);
	KTEST_EXPECT_EQ(t, misc_register(&bad), -EINVAL);
	KTEST_ASSERT_EQ(t, vfs_stat("/dev/fs_test_misc", &st), 0);
	KTEST_EXPECT_TRUE(t, S_ISCHR(st.mode));
	KTEST_EXPECT_EQ(t, st.rdev, MKDEV(MISC_MAJOR, fake_misc.minor));

	f = filp_open("/dev/fs_test_misc", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	/* Linux's misc_open() leaves the miscdevice there for the driver's open. */
	KTEST_EXPECT_TRUE(t, f->f_dev == fake_misc.this_device);
	EXPECT_OWNER_USERS(t, 1);
	KTEST_EXPECT_TRUE(t, f->f_owner == FAKE_OWNER);
	misc_deregister(&fake_misc);
	KTEST_EXPECT_EQ(t, vfs_stat("/dev/fs_test_misc", &st), -ENOENT);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &f->f_pos), 12);
	filp_close(f, NULL);
	EXPECT_OWNER_USERS(t, 0);
	/* Gone: a second deregister is logged and ignored. */
	misc_deregister(&fake_misc);
	KTEST_EXPECT_EQ(t, fake_misc.minor, MISC_DYNAMIC_MINOR);
}

/*
 * A dynamic minor goes back at misc_deregister(), and the miscdevice asks
 * for a new one when registered again: more cycles than there are
 * dynamic minors, another device taking the freed minor each time.
 */
static void test_misc_dynamic_minor(struct ktest *t)
{
	struct miscdevice other = { .minor = MISC_DYNAMIC_MINOR, .name = "fs_test_misc2",
				    .fops = &fake_fops };

	for (int i = 0; i < 80; i++) {
		int minor;

		KTEST_ASSERT_EQ(t, misc_register(&fake_misc), 0);
		minor = fake_misc.minor;
		misc_deregister(&fake_misc);
		KTEST_ASSERT_EQ(t, fake_misc.minor, MISC_DYNAMIC_MINOR);
		KTEST_ASSERT_EQ(t, misc_register(&other), 0);
		KTEST_EXPECT_EQ(t, other.minor, minor);
		KTEST_ASSERT_EQ(t, misc_register(&fake_misc), 0);
		KTEST_EXPECT_NE(t, fake_misc.minor, minor);
		misc_deregister(&other);
		misc_deregister(&fake_misc);
	}
}

/* Lockdep built in and still validating (no table filled up). */
static bool lockdep_validating(void)
{
#ifdef CONFIG_LOCKDEP
	struct lockdep_stats st;

	lockdep_get_stats(&st);
	return !st.off;
#else
	return false;
#endif
}

static struct class kt_class = { .name = "fs_test_class" };
static DEFINE_MUTEX(kt_subsys_mtx);

static void kt_bus_dev_release(struct device *dev)
{
	kfree(dev);
}

/*
 * misc_register()'s pattern: a probe (its device locked) takes a
 * subsystem's mutex to create a class device, and the subsystem deletes
 * its class devices under that mutex, which locks them.  Class devices'
 * locks are in their class's lock class, so lockdep sees "device ->
 * subsystem -> class device" and reports nothing; with every device lock
 * in one class it reported a cycle that cannot happen.
 */
static void test_class_lock_class(struct ktest *t)
{
	unsigned long before = lockdep_nr_reports();
	struct device *bus_dev, *cd;
	int ret;

	/* Without a validator, "no report" would pass whatever the classes. */
	if (!lockdep_validating())
		KTEST_SKIP(t, "lockdep is not enabled or has switched itself off");
	bus_dev = kzalloc(sizeof(*bus_dev), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, bus_dev);
	device_initialize(bus_dev);
	bus_dev->release = kt_bus_dev_release;
	ret = class_register(&kt_class);
	if (ret)
		put_device(bus_dev);
	KTEST_ASSERT_EQ(t, ret, 0);
	device_lock(bus_dev);
	mutex_lock(&kt_subsys_mtx);
	cd = device_create(&kt_class, NULL, 0, NULL, "fs_test_cdev");
	mutex_unlock(&kt_subsys_mtx);
	device_unlock(bus_dev);
	KTEST_EXPECT_FALSE(t, IS_ERR(cd));
	mutex_lock(&kt_subsys_mtx);
	if (!IS_ERR(cd))
		device_destroy(&kt_class, 0);
	mutex_unlock(&kt_subsys_mtx);
	class_unregister(&kt_class);
	put_device(bus_dev);
	KTEST_EXPECT_EQ(t, lockdep_nr_reports(), before);
}

static void test_kmsg(struct ktest *t)
{
	static const char msg[] = "<6>fs_test: kmsg write\n";
	static char big[1024];
	/* Any log line fits (a long command line among them): 1 KiB and a NUL. */
	static char line[1025];
	struct file *f;
	bool found = false;
	ssize_t n;

	f = filp_open("/dev/kmsg", O_RDWR | O_NONBLOCK, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_write(f, msg, sizeof(msg) - 1, &f->f_pos),
			(ssize_t)sizeof(msg) - 1);
	KTEST_EXPECT_TRUE(t, vfs_poll(f, NULL) & EPOLLIN);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, SEEK_SET), -ESPIPE);
	/* Lines come whole: a buffer shorter than a line is refused. */
	KTEST_EXPECT_EQ(t, kernel_read(f, line, 2, &f->f_pos), -EINVAL);
	while ((n = kernel_read(f, line, sizeof(line) - 1, &f->f_pos)) > 0) {
		line[n] = 0;
		if (strstr(line, "fs_test: kmsg write"))
			found = true;
	}
	KTEST_EXPECT_EQ(t, n, -EAGAIN);
	KTEST_EXPECT_TRUE(t, found);
	KTEST_EXPECT_EQ(t, kernel_write(f, line, 4096, &f->f_pos), -EINVAL);
	/* printk() keeps 511 bytes: a longer write is refused, not cut. */
	memset(big, 'k', sizeof(big));
	KTEST_EXPECT_EQ(t, kernel_write(f, big, 511, &f->f_pos), -EINVAL);
	KTEST_EXPECT_EQ(t, kernel_write(f, big, 510, &f->f_pos), 510);
	/* A refused short read leaves the line for the next, bigger one. */
	KTEST_EXPECT_EQ(t, kernel_read(f, line, 2, &f->f_pos), -EINVAL);
	found = false;
	while ((n = kernel_read(f, big, sizeof(big), &f->f_pos)) > 0)
		if (n > 510 && big[n - 2] == 'k' && big[n - 1] == '\n' && big[n - 511] == 'k')
			found = true;
	KTEST_EXPECT_EQ(t, n, -EAGAIN);
	KTEST_EXPECT_TRUE(t, found);
	filp_close(f, NULL);
}

/*
 * A stream that grows with the log, as /dev/kmsg, from a line the test
 * chose on: `cat` must read it to its end, not to the end of its own
 * output (the console is the log), which would go on to cat's 64 KiB.
 */
static u64 tail_start;
static atomic_long_t tail_served;

/* The log position lives in f_pos (callers' positions are ignored: a stream). */
static int tail_open(struct inode *inode, struct file *file)
{
	file->f_pos = tail_start;
	return 0;
}

static ssize_t tail_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	u64 pos = file->f_pos;
	ssize_t n = log_buf_read_line(&pos, (__force char *)buf, count);

	file->f_pos = pos;
	if (n > 0)
		atomic_long_add(n, &tail_served);
	return n;
}

static const struct file_operations tail_fops = {
	.open = tail_open,
	.read = tail_read,
};

static void test_cat_log_stream(struct ktest *t)
{
	struct miscdevice tail = { .minor = MISC_DYNAMIC_MINOR, .name = "fs_test_tail",
				   .fops = &tail_fops };
	static char line[512];
	u64 pos = log_buf_first_line();

	while (log_buf_read_line(&pos, line, sizeof(line)) >= 0)
		;
	tail_start = pos;
	atomic_long_set(&tail_served, 0);
	printk(KERN_INFO "fs_test: a line for cat\n");
	KTEST_ASSERT_EQ(t, misc_register(&tail), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("cat /dev/fs_test_tail"), 0);
	misc_deregister(&tail);
	/* That line and whatever other CPUs logged meanwhile; not 64 KiB. */
	KTEST_EXPECT_GT(t, atomic_long_read(&tail_served), 0);
	KTEST_EXPECT_LT(t, atomic_long_read(&tail_served), 4096);
	/* Not `cat /dev/kmsg` itself: it would print the KTAP lines logged so far again. */
}

/*
 * A seekable file that fails after its first line (a whole line: the KTAP
 * line printed after cat's output must start a line of its own).
 */
static ssize_t einval_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	if (*ppos)
		return -EINVAL;
	return simple_read_from_buffer(buf, count, ppos, "data\n", 5);
}

static loff_t einval_llseek(struct file *file, loff_t offset, int whence)
{
	return fixed_size_llseek(file, offset, whence, 8);
}

static const struct file_operations einval_fops = {
	.read = einval_read,
	.llseek = einval_llseek,
};

/* Only a stream's -EINVAL (a record too long for the room) ends a read quietly. */
static void test_cat_seekable_einval(struct ktest *t)
{
	struct miscdevice m = { .minor = MISC_DYNAMIC_MINOR, .name = "fs_test_einval",
				.fops = &einval_fops };

	KTEST_ASSERT_EQ(t, misc_register(&m), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("cat /dev/fs_test_einval"), -EINVAL);
	misc_deregister(&m);
}

/* Read 4 KiB at an odd offset through /dev/vda and directly, and compare. */
static void test_block_node(struct ktest *t)
{
	struct block_device *bdev;
	struct kstat st;
	u8 *direct, *node;
	struct file *f;
	loff_t pos = 1000;

	if (vfs_stat("/dev/vda", &st))
		KTEST_SKIP(t, "no /dev/vda");
	KTEST_EXPECT_TRUE(t, S_ISBLK(st.mode));
	direct = kmalloc(8192, GFP_KERNEL);
	node = kmalloc(4096, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, direct && node);
	bdev = blkdev_get_by_path("vda", FMODE_READ, NULL);
	KTEST_ASSERT_FALSE(t, IS_ERR(bdev));
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_READ, 0, direct, 8192), 0);
	f = filp_open("/dev/vda", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_read(f, node, 4096, &pos), 4096);
	KTEST_EXPECT_EQ(t, pos, 5096);
	KTEST_EXPECT_EQ(t, memcmp(node, direct + 1000, 4096), 0);
	/* At and past the end: 0 bytes; a write there: -ENOSPC. */
	KTEST_EXPECT_GT(t, vfs_llseek(f, 0, SEEK_END), 0);
	KTEST_EXPECT_EQ(t, kernel_read(f, node, 16, &f->f_pos), 0);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 1, SEEK_END), -EINVAL);
	filp_close(f, NULL);
	blkdev_put(bdev, FMODE_READ);

	/* A write across a block boundary at an odd offset, then undone. */
	f = filp_open("/dev/vda", O_RDWR, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	pos = 70000;
	KTEST_EXPECT_EQ(t, kernel_read(f, direct, 600, &pos), 600);
	for (int i = 0; i < 600; i++)
		node[i] = (u8)(i ^ 0xa5);
	pos = 70000;
	KTEST_EXPECT_EQ(t, kernel_write(f, node, 600, &pos), 600);
	pos = 70000 - 8;
	KTEST_EXPECT_EQ(t, kernel_read(f, node + 1000, 616, &pos), 616);
	KTEST_EXPECT_EQ(t, memcmp(node + 1008, node, 600), 0);
	pos = 70000;
	KTEST_EXPECT_EQ(t, kernel_write(f, direct, 600, &pos), 600);
	pos = 70000;
	KTEST_EXPECT_EQ(t, kernel_read(f, node, 600, &pos), 600);
	KTEST_EXPECT_EQ(t, memcmp(node, direct, 600), 0);
	filp_close(f, NULL);
	kfree(direct);
	kfree(node);
}

/*
 * A node is its device's by number: one of another name opens the disk,
 * and removal leaves a node of the name that is another number's or type.
 */
static void test_block_node_devt(struct ktest *t)
{
	struct kstat st;
	struct file *f;
	u8 a[512], b[512];
	loff_t pos = 0;

	if (vfs_stat("/dev/vda", &st))
		KTEST_SKIP(t, "no /dev/vda");
	KTEST_ASSERT_EQ(t, devtmpfs_create_node("fs_test_vda", S_IFBLK | 0600, st.rdev, NULL), 0);
	f = filp_open("/dev/fs_test_vda", O_RDONLY, 0);
	KTEST_EXPECT_FALSE(t, IS_ERR(f));
	if (!IS_ERR(f)) {
		KTEST_EXPECT_EQ(t, kernel_read(f, a, sizeof(a), &f->f_pos), (ssize_t)sizeof(a));
		filp_close(f, NULL);
	}
	f = filp_open("/dev/vda", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_read(f, b, sizeof(b), &pos), (ssize_t)sizeof(b));
	filp_close(f, NULL);
	KTEST_EXPECT_EQ(t, memcmp(a, b, sizeof(a)), 0);
	/* Not its node: another type, another number. */
	devtmpfs_delete_node("fs_test_vda", S_IFCHR, st.rdev);
	devtmpfs_delete_node("fs_test_vda", S_IFBLK, st.rdev + 1);
	KTEST_EXPECT_EQ(t, vfs_stat("/dev/fs_test_vda", &st), 0);
	devtmpfs_delete_node("fs_test_vda", S_IFBLK, st.rdev);
	KTEST_EXPECT_EQ(t, vfs_stat("/dev/fs_test_vda", &st), -ENOENT);
}

/*
 * Two writers of one block through /dev/vda: the hook starts the second
 * between the first's read and write-back, and gives it 200 ms; both
 * bytes must land.
 */
struct rmw_race {
	struct file *f;
	struct completion done;
	struct task_struct *th;
	struct block_device *bdev;
};
static struct rmw_race rmw;

static int rmw_writer(void *arg)
{
	loff_t pos = 90001;

	kernel_write(rmw.f, "B", 1, &pos);
	complete(&rmw.done);
	return 0;
}

static void rmw_hook(struct block_device *bdev)
{
	/* Only the test's write: another CPU's partition or disk passes. */
	if (bdev != rmw.bdev)
		return;
	WRITE_ONCE(bdev_rmw_test_hook, NULL);
	rmw.th = kthread_run(rmw_writer, NULL, "fs_rmw");
	if (!IS_ERR(rmw.th))
		wait_for_completion_timeout(&rmw.done, msecs_to_jiffies(200));
}

static void test_block_node_rmw(struct ktest *t)
{
	struct file *f = filp_open("/dev/vda", O_RDWR, 0);
	u8 old[2], now[2];
	loff_t pos = 90000;

	if (PTR_ERR(f) == -ENOENT)
		KTEST_SKIP(t, "no /dev/vda");
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	rmw.f = filp_open("/dev/vda", O_RDWR, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(rmw.f));
	init_completion(&rmw.done);
	rmw.th = NULL;
	rmw.bdev = f->private_data;
	KTEST_EXPECT_EQ(t, kernel_read(f, old, 2, &pos), 2);
	WRITE_ONCE(bdev_rmw_test_hook, rmw_hook);
	pos = 90000;
	KTEST_EXPECT_EQ(t, kernel_write(f, "A", 1, &pos), 1);
	WRITE_ONCE(bdev_rmw_test_hook, NULL);
	KTEST_ASSERT_FALSE(t, IS_ERR_OR_NULL(rmw.th));
	kthread_join(rmw.th);
	pos = 90000;
	KTEST_EXPECT_EQ(t, kernel_read(f, now, 2, &pos), 2);
	KTEST_EXPECT_EQ(t, now[0], 'A');
	KTEST_EXPECT_EQ(t, now[1], 'B');
	pos = 90000;
	KTEST_EXPECT_EQ(t, kernel_write(f, old, 2, &pos), 2);
	filp_close(rmw.f, NULL);
	filp_close(f, NULL);
}

/* The nodes of other drivers: the current hwrng source, the serial port. */
static void test_hwrng_ttys_nodes(struct ktest *t)
{
	struct kstat st;
	struct file *f;
	u8 buf[16];

	if (!vfs_stat("/dev/hwrng", &st)) {
		KTEST_EXPECT_EQ(t, st.rdev, MKDEV(MISC_MAJOR, HWRNG_MINOR));
		f = filp_open("/dev/hwrng", O_RDONLY, 0);
		KTEST_ASSERT_FALSE(t, IS_ERR(f));
		KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &f->f_pos), (ssize_t)sizeof(buf));
		KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, SEEK_SET), -ESPIPE);
		filp_close(f, NULL);
		/* No permission checks yet (every caller is the kernel); no write(). */
		f = filp_open("/dev/hwrng", O_WRONLY, 0);
		KTEST_ASSERT_FALSE(t, IS_ERR(f));
		KTEST_EXPECT_EQ(t, kernel_write(f, buf, 1, &f->f_pos), -EINVAL);
		filp_close(f, NULL);
	}
	if (vfs_stat("/dev/ttyS0", &st))
		KTEST_SKIP(t, "no /dev/ttyS0");
	KTEST_EXPECT_EQ(t, st.rdev, MKDEV(4, 64));
	f = filp_open("/dev/ttyS0", O_RDWR | O_NONBLOCK, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_write(f, "ttyS0 node\n", 11, &f->f_pos), 11);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, SEEK_SET), -ESPIPE);
	filp_close(f, NULL);
}

static void test_shell_commands(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, shell_run_command("ls /dev"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("ls -l /dev"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("ls -x /dev"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("ls /nosuch"), -ENOENT);
	KTEST_EXPECT_EQ(t, shell_run_command("cat /dev/null"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("cat /dev/nosuch"), -ENOENT);
	KTEST_EXPECT_EQ(t, shell_run_command("hexdump -n 32 /dev/zero"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("hexdump -n 0 /dev/zero"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("hexdump -n 99999999 /dev/zero"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("hexdump -q 3 /dev/zero"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("echo hello > /dev/null"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("echo fs_test: via echo >/dev/kmsg"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("echo a > /dev/null b"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("echo a > /dev/nosuch"), -ENOENT);
	KTEST_EXPECT_EQ(t, shell_run_command("ioctl /dev/null 0x5401"), -ENOTTY);
	KTEST_EXPECT_EQ(t, shell_run_command("ioctl /dev/null bogus"), -EINVAL);
}

/*
 * Opens and reads on other CPUs while the misc device comes and goes.
 * Each cycle is a few mutexes and allocations; under TCG on a loaded
 * host 200 cycles took seconds, 50 keep the case short.
 */
#define MISC_RACE_CYCLES	50
struct misc_race {
	atomic_t stop;
	atomic_long_t ok, gone;
};

static int misc_race_reader(void *arg)
{
	struct misc_race *r = arg;
	char buf[16];

	while (!atomic_read(&r->stop)) {
		struct file *f = filp_open("/dev/fs_test_misc", O_RDONLY, 0);

		if (IS_ERR(f)) {
			atomic_long_inc(&r->gone);
			schedule();
			continue;
		}
		if (kernel_read(f, buf, sizeof(buf), &f->f_pos) == 12)
			atomic_long_inc(&r->ok);
		filp_close(f, NULL);
	}
	return 0;
}

static void test_misc_race(struct ktest *t)
{
	struct misc_race r = { .stop = ATOMIC_INIT(0) };
	struct task_struct *th[3];
	int i;

	atomic_set(&fake_opens, 0);
	atomic_set(&fake_releases, 0);
	for (i = 0; i < 3; i++) {
		th[i] = kthread_run(misc_race_reader, &r, "fs_race%d", i);
		KTEST_ASSERT_FALSE(t, IS_ERR(th[i]));
	}
	for (i = 0; i < MISC_RACE_CYCLES; i++) {
		KTEST_EXPECT_EQ(t, misc_register(&fake_misc), 0);
		schedule();
		misc_deregister(&fake_misc);
	}
	/*
	 * The cycles may all fall between the readers' opens; with the node
	 * gone for good now, their next opens must fail (a bounded wait).
	 */
	for (i = 0; i < 2000 && !atomic_long_read(&r.gone); i++)
		msleep(1);
	atomic_set(&r.stop, 1);
	for (i = 0; i < 3; i++)
		kthread_join(th[i]);
	KTEST_EXPECT_EQ(t, atomic_read(&fake_opens), atomic_read(&fake_releases));
	EXPECT_OWNER_USERS(t, 0);
	KTEST_EXPECT_GT(t, atomic_long_read(&r.gone), 0);
}

static struct ktest_case fs_cases[] = {
	KTEST_CASE(test_null_zero),
	KTEST_CASE(test_bad_input),
	KTEST_CASE(test_chrdev_regions),
	KTEST_CASE(test_cdev_pins),
	KTEST_CASE(test_cdev_missing),
	KTEST_CASE(test_cdev_init_in_use),
	KTEST_CASE(test_cdev_open_vs_rebind),
	KTEST_CASE(test_misc),
	KTEST_CASE(test_misc_dynamic_minor),
	KTEST_CASE(test_class_lock_class),
	KTEST_CASE(test_kmsg),
	KTEST_CASE(test_cat_log_stream),
	KTEST_CASE(test_cat_seekable_einval),
	KTEST_CASE(test_block_node),
	KTEST_CASE(test_block_node_devt),
	KTEST_CASE(test_block_node_rmw),
	KTEST_CASE(test_hwrng_ttys_nodes),
	KTEST_CASE(test_shell_commands),
	KTEST_CASE_FLAGS(test_misc_race, KTEST_F_SMP),
	{}
};

static struct ktest_suite fs_suite = {
	.name = "chrdev",
	.cases = fs_cases,
	.init = fs_test_init,
	.exit = fs_test_exit,
};
KTEST_SUITE(fs_suite);
