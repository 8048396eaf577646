// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of /dev/eduN, the edu driver's character device, through the
 * file calls a program would make: DMA buffer reads and writes at file
 * positions, the factorial and identification ioctls, bad input (unknown
 * ioctl, positions and lengths at and past the buffer's end), the module
 * pinned while a file is open (rmmod -EBUSY), and the regression of issue
 * 19's crash: readers hammering /dev/edu0 while every edu device is
 * unbound end with -ENODEV, not a fault, and nothing leaks; a reference
 * on /dev/eduN's device held across rmmod edu, whose last put runs the
 * module's release() after the unload.  Skipped without an edu device.
 */
#include <exo/atomic.h>
#include <exo/device.h>
#include <exo/edu.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/module.h>
#include <exo/pci.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>

#define EDU_NODE	"/dev/edu0"
#define EDU_TEST_MAX	4
#define HAMMER_THREADS	3

static struct pci_dev *edus[EDU_TEST_MAX];
static unsigned int nr_edu;

static int edu_chrdev_init(struct ktest *t)
{
	struct pci_dev *p = NULL;

	nr_edu = 0;
	while (nr_edu < EDU_TEST_MAX && (p = pci_get_device(EDU_VENDOR, EDU_DEVICE, p))) {
		get_device(&p->dev);
		edus[nr_edu++] = p;
	}
	if (p)
		put_device(&p->dev);
	return 0;
}

static void edu_chrdev_exit(struct ktest *t)
{
	while (nr_edu)
		put_device(&edus[--nr_edu]->dev);
}

static struct file *edu_open(struct ktest *t)
{
	struct kstat st;

	if (!nr_edu || vfs_stat(EDU_NODE, &st))
		return NULL;
	return filp_open(EDU_NODE, O_RDWR, 0);
}

static void test_edu_chrdev_rw_ioctl(struct ktest *t)
{
	struct file *f = edu_open(t);
	u8 *src, *dst;
	loff_t pos;
	u32 v;

	if (!f)
		KTEST_SKIP(t, "no " EDU_NODE);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	src = kmalloc(EDU_DMA_SIZE + 100, GFP_KERNEL);
	dst = kzalloc(EDU_DMA_SIZE + 100, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, src && dst);
	for (int i = 0; i < EDU_DMA_SIZE + 100; i++)
		src[i] = (u8)(i * 7 + 3);

	pos = 10;
	KTEST_EXPECT_EQ(t, kernel_write(f, src, 300, &pos), 300);
	KTEST_EXPECT_EQ(t, pos, 310);
	pos = 10;
	KTEST_EXPECT_EQ(t, kernel_read(f, dst, 300, &pos), 300);
	KTEST_EXPECT_EQ(t, memcmp(src, dst, 300), 0);
	/* Past the end: shortened, then 0 (read) or -ENOSPC (write). */
	pos = EDU_DMA_SIZE - 5;
	KTEST_EXPECT_EQ(t, kernel_write(f, src, 100, &pos), 5);
	KTEST_EXPECT_EQ(t, kernel_write(f, src, 100, &pos), -ENOSPC);
	KTEST_EXPECT_EQ(t, kernel_read(f, dst, 100, &pos), 0);
	pos = 0;
	KTEST_EXPECT_EQ(t, kernel_read(f, dst, EDU_DMA_SIZE + 100, &pos), EDU_DMA_SIZE);
	pos = -1;
	KTEST_EXPECT_EQ(t, kernel_read(f, dst, 1, &pos), -EINVAL);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, EDU_DMA_SIZE + 1, SEEK_SET), -EINVAL);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, -1, SEEK_END), EDU_DMA_SIZE - 1);

	v = 5;
	KTEST_EXPECT_EQ(t, vfs_ioctl(f, EDU_IOC_FACTORIAL, (unsigned long)&v), 0);
	KTEST_EXPECT_EQ(t, v, 120u);
	v = 12;
	KTEST_EXPECT_EQ(t, vfs_ioctl(f, EDU_IOC_FACTORIAL, (unsigned long)&v), 0);
	KTEST_EXPECT_EQ(t, v, 479001600u);
	KTEST_EXPECT_EQ(t, vfs_ioctl(f, EDU_IOC_IDENT, (unsigned long)&v), 0);
	KTEST_EXPECT_EQ(t, v & 0xff, 0xedu);
	KTEST_EXPECT_EQ(t, vfs_ioctl(f, _IO('E', 99), 0), -ENOTTY);
	KTEST_EXPECT_EQ(t, vfs_ioctl(f, 0, 0), -ENOTTY);
	filp_close(f, NULL);
	kfree(src);
	kfree(dst);
}

/* Built as a module, edu cannot be removed while a file is open. */
static void test_edu_chrdev_pins_module(struct ktest *t)
{
	struct module *mod = find_module("edu");
	struct file *f;
	int base;

	if (!mod)
		KTEST_SKIP(t, "edu is built in");
	base = module_refcount(mod);
	f = edu_open(t);
	if (!f)
		KTEST_SKIP(t, "no " EDU_NODE);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	/* The cdev's owner and the fops' owner, as Linux's cdev_get() and fops_get(). */
	KTEST_EXPECT_EQ(t, module_refcount(mod), base + 2);
	KTEST_EXPECT_EQ(t, unload_module("edu"), -EBUSY);
	KTEST_EXPECT_TRUE(t, find_module("edu") == mod);
	filp_close(f, NULL);
	KTEST_EXPECT_EQ(t, module_refcount(mod), base);
}

struct hammer {
	struct file *f;
	atomic_t stop;
	atomic_long_t ok, enodev, other;
};

static int edu_hammer(void *arg)
{
	struct hammer *h = arg;
	u8 buf[64];

	while (!atomic_read(&h->stop)) {
		loff_t pos = 0;
		u32 v = 6;
		long r1 = vfs_ioctl(h->f, EDU_IOC_FACTORIAL, (unsigned long)&v);
		long r2 = kernel_read(h->f, buf, sizeof(buf), &pos);

		if (!r1 && v == 720 && r2 == sizeof(buf))
			atomic_long_inc(&h->ok);
		else if (r1 == -ENODEV && r2 == -ENODEV)
			atomic_long_inc(&h->enodev);
		else if (r1 != -ENODEV && r2 != -ENODEV)
			atomic_long_inc(&h->other);
		if (r1 == -ENODEV)
			schedule();
	}
	return 0;
}

/*
 * Issue 19's crash as a test: readers on /dev/edu0 while every edu device
 * is unbound.  In-flight operations finish before the unbind goes on,
 * later ones get -ENODEV; the node goes, a module stays pinned by the
 * open file; after the close and a rebind everything is back.
 */
static void test_edu_chrdev_unbind_while_reading(struct ktest *t)
{
	unsigned long files = fs_nr_open_files();
	struct module *mod = find_module("edu");
	struct hammer h = { .stop = ATOMIC_INIT(0) };
	struct task_struct *th[HAMMER_THREADS];
	int refs = mod ? module_refcount(mod) : 0;
	struct kstat st;
	unsigned int i;

	h.f = edu_open(t);
	if (!h.f)
		KTEST_SKIP(t, "no " EDU_NODE);
	KTEST_ASSERT_FALSE(t, IS_ERR(h.f));
	for (i = 0; i < HAMMER_THREADS; i++) {
		th[i] = kthread_run(edu_hammer, &h, "edu_hammer%u", i);
		KTEST_ASSERT_FALSE(t, IS_ERR(th[i]));
	}
	for (int ms = 0; ms < 5000 && !atomic_long_read(&h.ok); ms += 10)
		msleep(10);
	KTEST_EXPECT_GT(t, atomic_long_read(&h.ok), 0);
	for (i = 0; i < nr_edu; i++)
		device_release_driver(&edus[i]->dev);
	KTEST_EXPECT_EQ(t, vfs_stat(EDU_NODE, &st), -ENOENT);
	for (int ms = 0; ms < 5000 && !atomic_long_read(&h.enodev); ms += 10)
		msleep(10);
	KTEST_EXPECT_GT(t, atomic_long_read(&h.enodev), 0);
	if (mod)
		KTEST_EXPECT_EQ(t, unload_module("edu"), -EBUSY);
	atomic_set(&h.stop, 1);
	for (i = 0; i < HAMMER_THREADS; i++)
		kthread_join(th[i]);
	KTEST_EXPECT_EQ(t, atomic_long_read(&h.other), 0);
	filp_close(h.f, NULL);
	KTEST_EXPECT_EQ(t, fs_nr_open_files(), files);
	if (mod)
		KTEST_EXPECT_EQ(t, module_refcount(mod), refs);
	for (i = 0; i < nr_edu; i++)
		KTEST_EXPECT_EQ(t, device_attach(&edus[i]->dev), 1);
	KTEST_EXPECT_EQ(t, vfs_stat(EDU_NODE, &st), 0);
	ktest_log(t, "%ld operations done, %ld refused with ENODEV",
		  atomic_long_read(&h.ok), atomic_long_read(&h.enodev));
}

/* A device-tree walker's step: a reference on @parent's /dev/eduN child. */
static int grab_edu_child(struct device *dev, void *data)
{
	struct device **found = data;

	if (strncmp(dev_name(dev), "edu", 3))
		return 0;
	*found = get_device(dev);
	return 1;
}

/*
 * A walker (lsdev, device_for_each_child()) holds the last reference on
 * edu's /dev/eduN device, whose release() is edu.ko code, across rmmod
 * edu: the module's memory must stay until that reference goes, its
 * release run there, and the memory go after it; then insmod works
 * again.  Before the fix, the put called into freed module memory and
 * oopsed.
 */
static void test_edu_child_ref_across_rmmod(struct ktest *t)
{
	struct module *mod = find_module("edu");
	struct device *child = NULL;
	size_t bytes, len;
	unsigned long objs;
	const void *img;
	int ret;

	if (!mod)
		KTEST_SKIP(t, "edu is built in");
	img = boot_module_find("edu", &len);
	if (!img)
		KTEST_SKIP(t, "edu.ko is not among the boot modules");
	if (!nr_edu || !edus[0]->dev.driver)
		KTEST_SKIP(t, "no bound edu device");
	/* One cycle first: the debug options grow bounded state on the first. */
	KTEST_ASSERT_EQ(t, unload_module("edu"), 0);
	module_flush_frees();
	KTEST_ASSERT_EQ(t, load_module(img, len, &mod), 0);
	bytes = module_bytes_allocated();
	objs = kmalloc_usage(NULL);

	KTEST_ASSERT_EQ(t, device_for_each_child(&edus[0]->dev, &child, grab_edu_child), 1);
	KTEST_EXPECT_TRUE(t, child->mem_owner == mod);
	ret = unload_module("edu");
	if (ret) {
		/* Still loaded: drop the reference, leave edu as it was. */
		put_device(child);
		KTEST_ASSERT_EQ(t, ret, 0);
	}
	KTEST_EXPECT_NULL(t, find_module("edu"));
	KTEST_EXPECT_NULL(t, edus[0]->dev.driver);
	/* Unloaded, but its memory stays for the device's release(). */
	module_flush_frees();
	KTEST_EXPECT_EQ(t, module_bytes_allocated(), bytes);
	put_device(child);		/* the last one: edu_chr_release() runs */
	module_flush_frees();
	KTEST_EXPECT_LT(t, module_bytes_allocated(), bytes);

	KTEST_ASSERT_EQ(t, load_module(img, len, &mod), 0);
	KTEST_EXPECT_TRUE(t, edus[0]->dev.driver != NULL);
	KTEST_EXPECT_EQ(t, module_bytes_allocated(), bytes);
	KTEST_EXPECT_EQ(t, kmalloc_usage(NULL), objs);
}

static struct ktest_case edu_chrdev_cases[] = {
	KTEST_CASE(test_edu_chrdev_rw_ioctl),
	KTEST_CASE(test_edu_chrdev_pins_module),
	KTEST_CASE_FLAGS(test_edu_chrdev_unbind_while_reading, KTEST_F_NOHOST),
	KTEST_CASE(test_edu_child_ref_across_rmmod),
	{}
};

static struct ktest_suite edu_chrdev_suite = {
	.name = "edu_chrdev",
	.cases = edu_chrdev_cases,
	.init = edu_chrdev_init,
	.exit = edu_chrdev_exit,
};
KTEST_SUITE(edu_chrdev_suite);
