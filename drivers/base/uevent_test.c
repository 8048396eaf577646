// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of uevents (drivers/base/uevent.c): a device's add, bind, unbind
 * and remove reach a listener in that order with ACTION, DEVPATH,
 * SUBSYSTEM, DRIVER, the bus's variables (MODALIAS) and increasing
 * SEQNUMs; the rejected calls; devices added from every CPU at once
 * arrive in SEQNUM order; a class device (device_create()) announces
 * its add and remove with the class as SUBSYSTEM and its node's MAJOR,
 * MINOR, DEVNAME and DEVMODE, while a device with neither bus nor class
 * sends nothing; cdev_device_add() of a class device likewise; a held
 * "add" is refused once the parent's device_del() took the device.  Loading
 * a module by alias through the autoload listener is kmod's
 * test_hotplug (kernel/kmod_test.c).
 */
#include <exo/atomic.h>
#include <exo/cdev.h>
#include <exo/device.h>
#include <exo/device/class.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/fs.h>
#include <exo/kobject.h>
#include <exo/ktest.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/string.h>

#define KT_EVENTS	64

struct kt_event {
	enum kobject_action action;
	char devpath[64], subsystem[16], modalias[32], driver[16], extra[16];
	char major[8], minor[8], devname[32], devmode[8];
	/* /dev/<DEVNAME> existed (its number DEVNAME's) as the event came. */
	bool node;
	struct device *dev;
	u64 seqnum;
};

static struct kt_event kt_events[KT_EVENTS];
static unsigned int kt_nr_events, kt_dropped;
static int kt_uevent_ret;
/* A device whose events are recorded whatever their SUBSYSTEM (or none). */
static struct device *kt_watch;
static DEFINE_SPINLOCK(kt_events_lock);

static void copy_var(char *dst, size_t size, const struct kobj_uevent_env *env, const char *key)
{
	const char *v = uevent_get_var(env, key);

	strlcpy(dst, v ? v : "", size);
}

/* Records the events of ktuev's devices only: the rest of the system may run. */
static void kt_listen(struct uevent_listener *l, struct device *dev,
		      enum kobject_action action, const struct kobj_uevent_env *env)
{
	const char *sub = uevent_get_var(env, "SUBSYSTEM");
	const char *seq = uevent_get_var(env, "SEQNUM");
	struct kt_event *e;

	if (dev != READ_ONCE(kt_watch) && (!sub || (strcmp(sub, "ktuev") && strcmp(sub, "ktuevc"))))
		return;
	spin_lock(&kt_events_lock);
	if (kt_nr_events == KT_EVENTS) {
		kt_dropped++;
		spin_unlock(&kt_events_lock);
		return;
	}
	e = &kt_events[kt_nr_events++];
	spin_unlock(&kt_events_lock);
	e->action = action;
	copy_var(e->devpath, sizeof(e->devpath), env, "DEVPATH");
	copy_var(e->subsystem, sizeof(e->subsystem), env, "SUBSYSTEM");
	copy_var(e->modalias, sizeof(e->modalias), env, "MODALIAS");
	copy_var(e->driver, sizeof(e->driver), env, "DRIVER");
	copy_var(e->extra, sizeof(e->extra), env, "KTUEV_EXTRA");
	copy_var(e->major, sizeof(e->major), env, "MAJOR");
	copy_var(e->minor, sizeof(e->minor), env, "MINOR");
	copy_var(e->devname, sizeof(e->devname), env, "DEVNAME");
	copy_var(e->devmode, sizeof(e->devmode), env, "DEVMODE");
	e->node = false;
	if (e->devname[0]) {
		char path[48];
		struct kstat st;

		snprintf(path, sizeof(path), "/dev/%s", e->devname);
		e->node = !vfs_stat(path, &st) && st.rdev == dev->devt;
	}
	e->dev = dev;
	e->seqnum = 0;
	for (const char *p = seq; p && *p >= '0' && *p <= '9'; p++)
		e->seqnum = e->seqnum * 10 + (*p - '0');
}

static struct uevent_listener kt_listener = {
	.name = "ktest",
	.event = kt_listen,
};

static int kt_match(struct device *dev, struct device_driver *drv)
{
	return 1;
}

static int kt_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	if (kt_uevent_ret)
		return kt_uevent_ret;
	return add_uevent_var(env, "MODALIAS=ktuev:%s", dev_name(dev));
}

static struct bus_type kt_bus = {
	.name = "ktuev",
	.match = kt_match,
	.uevent = kt_uevent,
};

static int kt_probe(struct device *dev)
{
	return 0;
}

static struct device_driver kt_drv = {
	.name = "ktuev_drv",
	.bus = &kt_bus,
	.probe = kt_probe,
};

static void kt_release(struct device *dev)
{
	kfree(dev);
}

static struct device *kt_new(const char *name, struct device *parent)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;
	device_initialize(dev);
	dev_set_name(dev, "%s", name);
	dev->bus = &kt_bus;
	dev->parent = parent;
	dev->release = kt_release;
	return dev;
}

static int kt_init(struct ktest *t)
{
	kt_nr_events = kt_dropped = 0;
	kt_uevent_ret = 0;
	kt_watch = NULL;
	memset(kt_events, 0, sizeof(kt_events));
	if (bus_register(&kt_bus))
		return -EBUSY;
	if (uevent_listener_register(&kt_listener)) {
		bus_unregister(&kt_bus);
		return -EBUSY;
	}
	return 0;
}

static void kt_exit(struct ktest *t)
{
	uevent_listener_unregister(&kt_listener);
	bus_unregister(&kt_bus);
}

static void expect_event(struct ktest *t, unsigned int i, enum kobject_action action,
			 const char *devpath, const char *driver)
{
	struct kt_event *e = &kt_events[i];

	KTEST_ASSERT_LT(t, i, kt_nr_events);
	KTEST_EXPECT_EQ(t, e->action, action);
	KTEST_EXPECT_EQ(t, strcmp(e->devpath, devpath), 0);
	KTEST_EXPECT_EQ(t, strcmp(e->subsystem, "ktuev"), 0);
	KTEST_EXPECT_EQ(t, strncmp(e->modalias, "ktuev:", 6), 0);
	KTEST_EXPECT_EQ(t, strcmp(e->driver, driver), 0);
	if (i)
		KTEST_EXPECT_GT(t, e->seqnum, kt_events[i - 1].seqnum);
	else
		KTEST_EXPECT_GT(t, e->seqnum, 0);
}

/* add, bind, unbind, bind, then unbind and remove, child before parent. */
static void test_uevent_lifecycle(struct ktest *t)
{
	struct device *parent = kt_new("ktp", NULL), *child = kt_new("ktc", NULL);
	char *ext[] = { "KTUEV_EXTRA=42", NULL };
	unsigned int n = 0;

	KTEST_ASSERT_NOT_NULL(t, parent);
	KTEST_ASSERT_NOT_NULL(t, child);
	child->parent = parent;
	KTEST_ASSERT_EQ(t, device_add(parent), 0);
	KTEST_ASSERT_EQ(t, driver_register(&kt_drv), 0);
	KTEST_ASSERT_EQ(t, device_add(child), 0);
	device_release_driver(child);
	KTEST_EXPECT_EQ(t, device_bind_driver(child, &kt_drv), 0);
	KTEST_EXPECT_EQ(t, device_uevent_env(child, KOBJ_CHANGE, ext), 0);
	device_unregister(child);
	driver_unregister(&kt_drv);
	device_unregister(parent);

	expect_event(t, n++, KOBJ_ADD, "/devices/ktp", "");
	expect_event(t, n++, KOBJ_BIND, "/devices/ktp", "ktuev_drv");
	expect_event(t, n++, KOBJ_ADD, "/devices/ktp/ktc", "");
	expect_event(t, n++, KOBJ_BIND, "/devices/ktp/ktc", "ktuev_drv");
	expect_event(t, n++, KOBJ_UNBIND, "/devices/ktp/ktc", "ktuev_drv");
	expect_event(t, n++, KOBJ_BIND, "/devices/ktp/ktc", "ktuev_drv");
	expect_event(t, n, KOBJ_CHANGE, "/devices/ktp/ktc", "ktuev_drv");
	KTEST_EXPECT_EQ(t, strcmp(kt_events[n++].extra, "42"), 0);
	expect_event(t, n++, KOBJ_UNBIND, "/devices/ktp/ktc", "ktuev_drv");
	expect_event(t, n++, KOBJ_REMOVE, "/devices/ktp/ktc", "");
	expect_event(t, n++, KOBJ_UNBIND, "/devices/ktp", "ktuev_drv");
	expect_event(t, n++, KOBJ_REMOVE, "/devices/ktp", "");
	KTEST_EXPECT_EQ(t, kt_nr_events, n);
	KTEST_EXPECT_EQ(t, kt_dropped, 0);
}

/* Rejected calls change nothing and deliver nothing. */
static void test_uevent_errors(struct ktest *t)
{
	struct uevent_listener none = { .name = "none" };
	struct device *dev = kt_new("kte", NULL), busless;
	struct kobj_uevent_env *env;
	u64 seq;

	KTEST_ASSERT_NOT_NULL(t, dev);
	KTEST_EXPECT_EQ(t, uevent_listener_register(&none), -EINVAL);
	KTEST_EXPECT_EQ(t, uevent_listener_register(&kt_listener), -EEXIST);
	KTEST_ASSERT_EQ(t, device_add(dev), 0);
	KTEST_EXPECT_EQ(t, kt_nr_events, 1);
	KTEST_EXPECT_EQ(t, device_uevent(dev, KOBJ_MAX), -EINVAL);
	KTEST_EXPECT_EQ(t, device_uevent(dev, (enum kobject_action)-1), -EINVAL);
	/* The bus's uevent() fails: its error, nothing sent, SEQNUM unchanged. */
	kt_uevent_ret = -EIO;
	seq = uevent_seqnum();
	KTEST_EXPECT_EQ(t, device_uevent(dev, KOBJ_CHANGE), -EIO);
	KTEST_EXPECT_EQ(t, uevent_seqnum(), seq);
	kt_uevent_ret = 0;
	/* No bus, no subsystem: dropped, as Linux does. */
	memset(&busless, 0, sizeof(busless));
	dev_set_name(&busless, "ktbusless");
	KTEST_EXPECT_EQ(t, device_uevent(&busless, KOBJ_CHANGE), 0);
	KTEST_EXPECT_EQ(t, kt_nr_events, 1);
	device_unregister(dev);
	KTEST_EXPECT_EQ(t, kt_nr_events, 2);
	KTEST_EXPECT_EQ(t, strcmp(kobject_action_name(KOBJ_UNBIND), "unbind"), 0);
	KTEST_EXPECT_EQ(t, strcmp(kobject_action_name(KOBJ_MAX), "?"), 0);
	/* A full environment refuses one more key. */
	env = kzalloc(sizeof(*env), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, env);
	for (int i = 0; i < UEVENT_NUM_ENVP; i++)
		KTEST_EXPECT_EQ(t, add_uevent_var(env, "K%d=v", i), 0);
	KTEST_EXPECT_EQ(t, add_uevent_var(env, "ONE=more"), -ENOMEM);
	KTEST_EXPECT_EQ(t, strcmp(uevent_get_var(env, "K3"), "v"), 0);
	KTEST_EXPECT_NULL(t, uevent_get_var(env, "K"));
	kfree(env);
}

/* Every CPU adds and removes devices at once: one SEQNUM order for all. */
#define KT_SMP_DEVS	4

static void kt_smp_worker(void *arg, unsigned int id)
{
	atomic_t *fails = arg;

	for (int i = 0; i < KT_SMP_DEVS; i++) {
		char name[16];
		struct device *dev;

		snprintf(name, sizeof(name), "kts%u.%d", id, i);
		dev = kt_new(name, NULL);
		if (!dev || device_add(dev)) {
			atomic_inc(fails);
			if (dev)
				put_device(dev);
			continue;
		}
		device_unregister(dev);
	}
}

static void test_uevent_smp(struct ktest *t)
{
	atomic_t fails = ATOMIC_INIT(0);
	int n = ktest_run_on_cpus(4, kt_smp_worker, &fails);

	KTEST_ASSERT_GT(t, n, 0);
	KTEST_EXPECT_EQ(t, atomic_read(&fails), 0);
	/* Each device: add, remove (no driver registered). */
	KTEST_EXPECT_EQ(t, kt_nr_events, (unsigned int)n * KT_SMP_DEVS * 2);
	for (unsigned int i = 1; i < kt_nr_events; i++)
		KTEST_EXPECT_GT(t, kt_events[i].seqnum, kt_events[i - 1].seqnum);
}

/* Class devices: numbers in Linux's range for local use. */
#define KT_MAJOR	240
#define KT_SAME_NODE	((void *)1)	/* drvdata: devnode() names "ktuevc_same" */

static const char *kt_devnode(const struct device *dev, umode_t *mode)
{
	if (MINOR(device_devt(dev)) == 1)
		*mode = 0640;
	return dev_get_drvdata(dev) == KT_SAME_NODE ? "ktuevc_same" : NULL;
}

static struct class kt_class = {
	.name = "ktuevc",
	.devnode = kt_devnode,
};

static void expect_class_event(struct ktest *t, unsigned int i, enum kobject_action action,
			       const char *devpath, unsigned int minor, const char *devname,
			       const char *devmode)
{
	struct kt_event *e = &kt_events[i];
	char num[8];

	KTEST_ASSERT_LT(t, i, kt_nr_events);
	KTEST_EXPECT_EQ(t, e->action, action);
	KTEST_EXPECT_EQ(t, strcmp(e->devpath, devpath), 0);
	KTEST_EXPECT_EQ(t, strcmp(e->subsystem, "ktuevc"), 0);
	KTEST_EXPECT_EQ(t, strcmp(e->driver, ""), 0);
	KTEST_EXPECT_EQ(t, strcmp(e->modalias, ""), 0);
	snprintf(num, sizeof(num), "%u", KT_MAJOR);
	KTEST_EXPECT_EQ(t, strcmp(e->major, devname ? num : ""), 0);
	snprintf(num, sizeof(num), "%u", minor);
	KTEST_EXPECT_EQ(t, strcmp(e->minor, devname ? num : ""), 0);
	KTEST_EXPECT_EQ(t, strcmp(e->devname, devname ? devname : ""), 0);
	KTEST_EXPECT_EQ(t, strcmp(e->devmode, devmode), 0);
	/* "add" once the node exists; "remove" once it is gone. */
	KTEST_EXPECT_EQ(t, e->node, devname && action == KOBJ_ADD);
	if (i)
		KTEST_EXPECT_GT(t, e->seqnum, kt_events[i - 1].seqnum);
	else
		KTEST_EXPECT_GT(t, e->seqnum, 0);
}

static void kt_second_listen(struct uevent_listener *l, struct device *dev,
			     enum kobject_action action, const struct kobj_uevent_env *env)
{
	const char *sub = uevent_get_var(env, "SUBSYSTEM");

	if (sub && !strcmp(sub, "ktuevc") && action == KOBJ_ADD)
		WRITE_ONCE(l->name, "ktest2 saw add");
}

/*
 * device_create() sends "add" once /dev/<DEVNAME> exists and
 * device_destroy() "remove" once it is gone, with the class as SUBSYSTEM
 * and the node's numbers and name (fails before class devices had
 * events: none arrived).  A failed step still unregisters what it made.
 */
static void test_uevent_class_device(struct ktest *t)
{
	struct uevent_listener second = { .name = "ktest2", .event = kt_second_listen };
	struct device *parent = kt_new("ktcp", NULL), *c1, *c2, *c3;
	unsigned int n = 0;
	int ret;

	KTEST_ASSERT_NOT_NULL(t, parent);
	ret = class_register(&kt_class);
	if (ret)
		put_device(parent);
	KTEST_ASSERT_EQ(t, ret, 0);
	ret = device_add(parent);
	KTEST_EXPECT_EQ(t, ret, 0);
	if (ret)
		goto put_parent;
	ret = uevent_listener_register(&second);
	KTEST_EXPECT_EQ(t, ret, 0);
	if (ret)
		goto del_parent;
	c1 = device_create(&kt_class, NULL, MKDEV(KT_MAJOR, 1), NULL, "ktuevc%d", 1);
	uevent_listener_unregister(&second);
	KTEST_EXPECT_EQ(t, strcmp(second.name, "ktest2 saw add"), 0);
	ret = IS_ERR(c1) ? PTR_ERR(c1) : 0;
	KTEST_EXPECT_EQ(t, ret, 0);
	if (ret)
		goto del_parent;
	KTEST_EXPECT_EQ(t, c1->devt, MKDEV(KT_MAJOR, 1));
	KTEST_EXPECT_TRUE(t, c1->class == &kt_class);
	c2 = device_create(&kt_class, parent, MKDEV(KT_MAJOR, 2), NULL, "ktuevc2");
	ret = IS_ERR(c2) ? PTR_ERR(c2) : 0;
	KTEST_EXPECT_EQ(t, ret, 0);
	if (ret)
		goto del_c1;
	/* No number: no node, no MAJOR/MINOR/DEVNAME, still an event. */
	c3 = device_create(&kt_class, NULL, 0, NULL, "ktuevc3");
	ret = IS_ERR(c3) ? PTR_ERR(c3) : 0;
	KTEST_EXPECT_EQ(t, ret, 0);
	if (ret)
		goto del_c2;
	device_destroy(&kt_class, 0);
del_c2:
	device_destroy(&kt_class, MKDEV(KT_MAJOR, 2));
del_c1:
	device_destroy(&kt_class, MKDEV(KT_MAJOR, 1));
del_parent:
	device_del(parent);
put_parent:
	put_device(parent);
	class_unregister(&kt_class);
	if (ret)
		return;

	expect_event(t, n++, KOBJ_ADD, "/devices/ktcp", "");
	expect_class_event(t, n++, KOBJ_ADD, "/devices/ktuevc1", 1, "ktuevc1", "0640");
	expect_class_event(t, n++, KOBJ_ADD, "/devices/ktcp/ktuevc2", 2, "ktuevc2", "");
	expect_class_event(t, n++, KOBJ_ADD, "/devices/ktuevc3", 0, NULL, "");
	expect_class_event(t, n++, KOBJ_REMOVE, "/devices/ktuevc3", 0, NULL, "");
	expect_class_event(t, n++, KOBJ_REMOVE, "/devices/ktcp/ktuevc2", 2, "ktuevc2", "");
	expect_class_event(t, n++, KOBJ_REMOVE, "/devices/ktuevc1", 1, "ktuevc1", "0640");
	expect_event(t, n++, KOBJ_REMOVE, "/devices/ktcp", "");
	KTEST_EXPECT_EQ(t, kt_nr_events, n);
	KTEST_EXPECT_EQ(t, kt_dropped, 0);
}

/*
 * A device_create() that fails sends neither "add" nor "remove"; a device
 * with neither bus nor class sends nothing, added or removed.
 */
static void test_uevent_class_errors(struct ktest *t)
{
	struct device *c1, *bad, *plain = kt_new("ktuevplain", NULL);

	int ret;

	KTEST_ASSERT_NOT_NULL(t, plain);
	plain->bus = NULL;
	ret = class_register(&kt_class);
	if (ret)
		put_device(plain);
	KTEST_ASSERT_EQ(t, ret, 0);
	c1 = device_create(&kt_class, NULL, MKDEV(KT_MAJOR, 4), KT_SAME_NODE, "ktuevc4");
	KTEST_EXPECT_FALSE(t, IS_ERR(c1));
	if (IS_ERR(c1)) {
		class_unregister(&kt_class);
		put_device(plain);
		return;
	}
	KTEST_EXPECT_EQ(t, kt_nr_events, 1);
	KTEST_EXPECT_EQ(t, strcmp(kt_events[0].devname, "ktuevc_same"), 0);
	/* Its node's name is taken: fails after device_add(), silently. */
	bad = device_create(&kt_class, NULL, MKDEV(KT_MAJOR, 5), KT_SAME_NODE, "ktuevc5");
	KTEST_EXPECT_TRUE(t, bad == ERR_PTR(-EEXIST));
	/* Its device name is taken: device_add() fails. */
	bad = device_create(&kt_class, NULL, MKDEV(KT_MAJOR, 6), NULL, "ktuevc4");
	KTEST_EXPECT_TRUE(t, bad == ERR_PTR(-EEXIST));
	KTEST_EXPECT_EQ(t, kt_nr_events, 1);
	device_destroy(&kt_class, MKDEV(KT_MAJOR, 4));
	KTEST_EXPECT_EQ(t, kt_nr_events, 2);
	KTEST_EXPECT_EQ(t, kt_events[1].action, KOBJ_REMOVE);
	KTEST_EXPECT_EQ(t, strcmp(kt_events[1].devname, "ktuevc_same"), 0);
	class_unregister(&kt_class);

	WRITE_ONCE(kt_watch, plain);
	KTEST_ASSERT_EQ(t, device_add(plain), 0);
	KTEST_EXPECT_EQ(t, device_uevent(plain, KOBJ_CHANGE), 0);
	device_unregister(plain);
	WRITE_ONCE(kt_watch, NULL);
	KTEST_EXPECT_EQ(t, kt_nr_events, 2);
}

static const struct file_operations kt_cdev_fops;

/*
 * cdev_device_add() of a class device: its number from dev->devt (as
 * Linux), "add" with the node's variables once the node exists, and
 * cdev_device_del()'s "remove"; a failed one (node name taken) sends
 * nothing.
 */
static void test_uevent_cdev_device(struct ktest *t)
{
	struct device *dev = kt_new("ktuevcd", NULL), *bad = kt_new("ktuevcd2", NULL);
	struct cdev cdev = {}, cdev2 = {};
	char num[8];
	dev_t base;

	KTEST_ASSERT_NOT_NULL(t, dev);
	KTEST_ASSERT_NOT_NULL(t, bad);
	KTEST_ASSERT_EQ(t, alloc_chrdev_region(&base, 1, 2, "ktuev"), 0);
	KTEST_ASSERT_EQ(t, class_register(&kt_class), 0);
	dev->bus = bad->bus = NULL;
	dev->class = bad->class = &kt_class;
	dev->devt = base;			/* minor 1: DEVMODE 0640 */
	cdev_init(&cdev, &kt_cdev_fops);
	KTEST_EXPECT_EQ(t, cdev_device_add(&cdev, dev), 0);
	KTEST_EXPECT_EQ(t, cdev.dev, base);
	KTEST_EXPECT_EQ(t, kt_nr_events, 1);
	/* Its node's name is taken: nothing sent, nothing left. */
	KTEST_EXPECT_EQ(t, devtmpfs_create_node("ktuevcd2", S_IFCHR | 0600, base + 1, NULL), 0);
	cdev_init(&cdev2, &kt_cdev_fops);
	cdev2.dev = base + 1;			/* the older contract: cdev->dev */
	KTEST_EXPECT_EQ(t, cdev_device_add(&cdev2, bad), -EEXIST);
	/* A failed call leaves dev->devt as it found it. */
	KTEST_EXPECT_EQ(t, bad->devt, 0);
	KTEST_EXPECT_FALSE(t, bad->uevent_suppress);
	devtmpfs_delete_node("ktuevcd2", S_IFCHR, base + 1);
	put_device(bad);
	KTEST_EXPECT_EQ(t, kt_nr_events, 1);
	cdev_device_del(&cdev, dev);
	put_device(dev);
	class_unregister(&kt_class);
	unregister_chrdev_region(base, 2);
	KTEST_ASSERT_EQ(t, kt_nr_events, 2);
	for (int i = 0; i < 2; i++) {
		struct kt_event *e = &kt_events[i];

		KTEST_EXPECT_EQ(t, e->action, i ? KOBJ_REMOVE : KOBJ_ADD);
		KTEST_EXPECT_EQ(t, strcmp(e->devpath, "/devices/ktuevcd"), 0);
		KTEST_EXPECT_EQ(t, strcmp(e->subsystem, "ktuevc"), 0);
		snprintf(num, sizeof(num), "%u", MAJOR(base));
		KTEST_EXPECT_EQ(t, strcmp(e->major, num), 0);
		KTEST_EXPECT_EQ(t, strcmp(e->minor, "1"), 0);
		KTEST_EXPECT_EQ(t, strcmp(e->devname, "ktuevcd"), 0);
		KTEST_EXPECT_EQ(t, strcmp(e->devmode, "0640"), 0);
	}
	KTEST_EXPECT_GT(t, kt_events[1].seqnum, kt_events[0].seqnum);
}

/*
 * The parent goes while a class device's "add" is held back (between
 * device_create()'s device_add() and its node): its device_del() deletes
 * the child, sending nothing for it, and device_uevent_add_deferred()
 * then refuses with -ENODEV rather than announce a dead device.  The
 * steps are device_create()'s, run here in that order.  Sending the held
 * "add" unchecked, as the callers did, records an "add" for ktuevrc1
 * with no "remove".  A child whose "add" went first gets its "remove"
 * from the parent's device_del().
 */
static void test_uevent_class_parent_gone(struct ktest *t)
{
	struct device *parent = kt_new("ktrp", NULL), *c1 = kt_new("ktuevrc1", NULL);
	struct device *c2 = kt_new("ktuevrc2", NULL);
	unsigned int n = 0;
	int ret = -ENOMEM;

	if (!parent || !c1 || !c2)
		goto put;
	ret = class_register(&kt_class);
	KTEST_EXPECT_EQ(t, ret, 0);
	if (ret)
		goto put;
	c1->bus = c2->bus = NULL;
	c1->class = c2->class = &kt_class;
	c1->parent = c2->parent = parent;
	ret = device_add(parent);
	KTEST_EXPECT_EQ(t, ret, 0);
	if (ret)
		goto unreg;
	dev_set_uevent_suppress(c2, true);
	KTEST_EXPECT_EQ(t, device_add(c2), 0);
	KTEST_EXPECT_EQ(t, device_uevent_add_deferred(c2), 0);
	KTEST_EXPECT_FALSE(t, c2->uevent_suppress);
	dev_set_uevent_suppress(c1, true);
	KTEST_EXPECT_EQ(t, device_add(c1), 0);
	device_del(parent);
	KTEST_EXPECT_FALSE(t, c1->registered);
	KTEST_EXPECT_EQ(t, device_uevent_add_deferred(c1), -ENODEV);
	KTEST_EXPECT_TRUE(t, c1->uevent_suppress);
unreg:
	class_unregister(&kt_class);
put:
	put_device(c2);
	put_device(c1);
	put_device(parent);
	KTEST_ASSERT_EQ(t, ret, 0);

	expect_event(t, n++, KOBJ_ADD, "/devices/ktrp", "");
	expect_class_event(t, n++, KOBJ_ADD, "/devices/ktrp/ktuevrc2", 0, NULL, "");
	expect_class_event(t, n++, KOBJ_REMOVE, "/devices/ktrp/ktuevrc2", 0, NULL, "");
	expect_event(t, n++, KOBJ_REMOVE, "/devices/ktrp", "");
	KTEST_EXPECT_EQ(t, kt_nr_events, n);
	KTEST_EXPECT_EQ(t, kt_dropped, 0);
}

static struct ktest_case uevent_cases[] = {
	KTEST_CASE(test_uevent_lifecycle),
	KTEST_CASE(test_uevent_errors),
	KTEST_CASE(test_uevent_class_device),
	KTEST_CASE(test_uevent_class_errors),
	KTEST_CASE(test_uevent_cdev_device),
	KTEST_CASE(test_uevent_class_parent_gone),
	KTEST_CASE_FLAGS(test_uevent_smp, KTEST_F_SMP),
	{}
};

static struct ktest_suite uevent_suite = {
	.name = "uevent",
	.cases = uevent_cases,
	.init = kt_init,
	.exit = kt_exit,
};
KTEST_SUITE(uevent_suite);
