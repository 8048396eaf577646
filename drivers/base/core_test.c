// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the device model (drivers/base): binding whichever of device or
 * driver comes first, match order, probe-failure unwinding, unbind/rebind,
 * deferred probe, reference counting with parent/child, devres ordering,
 * rejected calls that change nothing, the lock order of parent and child
 * (CONFIG_LOCKDEP), and the platform bus with the PC's fixed devices.
 * Every case runs on a private bus ("ktbus") and checks that the
 * free-frame count is back at its baseline at the end.
 */
#include <exo/atomic.h>
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/lockdep.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/smp.h>
#include <exo/page_alloc.h>
#include <exo/platform.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/string.h>

/* ------------------------------------------------------------ fixtures */

struct kt_dev {
	struct device dev;
	int want;		/* which driver may bind (0: any) */
	int probes, removes;
	bool released;		/* release() ran: the struct may be reused */
};

static int releases;
static int unlocked_calls;	/* probe/remove called without the device lock */
static char trace[32];		/* devres release order, one letter each */
static unsigned int trace_len;

static DEFINE_SPINLOCK(trace_lock);

/* Devices of the SMP case unbind in parallel: the trace is shared. */
static void kt_trace(void *data)
{
	spin_lock(&trace_lock);
	if (trace_len < sizeof(trace) - 1)
		trace[trace_len++] = (char)(unsigned long)data;
	trace[trace_len] = 0;
	spin_unlock(&trace_lock);
}

static void kt_release(struct device *dev)
{
	/* put_device() may run on any CPU, outside the core's lock. */
	__atomic_fetch_add(&releases, 1, __ATOMIC_RELAXED);
	smp_store_release(&container_of(dev, struct kt_dev, dev)->released, true);
}

struct kt_drv {
	struct device_driver drv;
	int id;
	int ret;		/* what probe returns */
	bool (*ready)(void);	/* probe defers until it returns true */
	int probes, removes;
	int devm_allocs;	/* blocks devm_kzalloc'd per probe */
};

#define to_kt_dev(d)	container_of(d, struct kt_dev, dev)
#define to_kt_drv(d)	container_of(d, struct kt_drv, drv)

static int kt_match(struct device *dev, struct device_driver *drv)
{
	int want = to_kt_dev(dev)->want;

	return !want || want == to_kt_drv(drv)->id;
}

static int kt_probe(struct device *dev)
{
	struct kt_drv *d = to_kt_drv(dev->driver);
	int ret;

	/* Probes of different devices run in parallel: count atomically. */
	__atomic_fetch_add(&d->probes, 1, __ATOMIC_RELAXED);
	to_kt_dev(dev)->probes++;
	if (!mutex_held_by_current(&dev->mutex))
		__atomic_fetch_add(&unlocked_calls, 1, __ATOMIC_RELAXED);
	if (d->ready && !d->ready())
		return -EPROBE_DEFER;
	for (int i = 0; i < d->devm_allocs; i++)
		if (!devm_kzalloc(dev, 100 + i * 3000, GFP_KERNEL))
			return -ENOMEM;
	ret = devm_add_action(dev, kt_trace, (void *)'a');
	if (!ret)
		ret = devm_add_action(dev, kt_trace, (void *)'b');
	if (ret)
		return ret;
	dev_set_drvdata(dev, d);
	return d->ret;
}

static void kt_remove(struct device *dev)
{
	__atomic_fetch_add(&to_kt_drv(dev->driver)->removes, 1, __ATOMIC_RELAXED);
	to_kt_dev(dev)->removes++;
	if (!mutex_held_by_current(&dev->mutex))
		__atomic_fetch_add(&unlocked_calls, 1, __ATOMIC_RELAXED);
	kt_trace((void *)'r');
}

static struct bus_type kt_bus = {
	.name = "ktbus",
	.match = kt_match,
};

static struct kt_drv drv1 = { .drv = { .name = "kt-drv1", .bus = &kt_bus,
	.probe = kt_probe, .remove = kt_remove }, .id = 1 };
static struct kt_drv drv2 = { .drv = { .name = "kt-drv2", .bus = &kt_bus,
	.probe = kt_probe, .remove = kt_remove }, .id = 2 };
static struct kt_dev dev_a, dev_b, dev_c;

static unsigned long baseline;

static void kt_dev_init(struct kt_dev *d, const char *name, int want)
{
	memset(d, 0, sizeof(*d));
	device_initialize(&d->dev);
	dev_set_name(&d->dev, "%s", name);
	d->dev.bus = &kt_bus;
	d->dev.release = kt_release;
	d->want = want;
}

static void kt_drv_reset(struct kt_drv *d)
{
	d->ret = 0;
	d->ready = NULL;
	d->probes = d->removes = 0;
	d->devm_allocs = 0;
}

static int kt_init(struct ktest *t)
{
	releases = 0;
	unlocked_calls = 0;
	trace_len = 0;
	trace[0] = 0;
	kt_drv_reset(&drv1);
	kt_drv_reset(&drv2);
	baseline = ktest_settled_free_pages();
	return bus_register(&kt_bus);
}

static void kt_exit(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, unlocked_calls, 0);
	KTEST_EXPECT_EQ(t, bus_unregister(&kt_bus), 0);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), baseline);
}

/* --------------------------------------------------------------- cases */

static void test_driver_after_device(struct ktest *t)
{
	kt_dev_init(&dev_a, "a", 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	KTEST_EXPECT_NULL(t, dev_a.dev.driver);
	KTEST_EXPECT_EQ(t, dev_a.probes, 0);

	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	KTEST_EXPECT_TRUE(t, dev_a.dev.driver == &drv1.drv);
	KTEST_EXPECT_TRUE(t, dev_get_drvdata(&dev_a.dev) == &drv1);
	KTEST_EXPECT_EQ(t, dev_a.probes, 1);

	driver_unregister(&drv1.drv);
	KTEST_EXPECT_NULL(t, dev_a.dev.driver);
	KTEST_EXPECT_NULL(t, dev_get_drvdata(&dev_a.dev));
	KTEST_EXPECT_EQ(t, dev_a.removes, 1);
	device_unregister(&dev_a.dev);
	KTEST_EXPECT_EQ(t, releases, 1);
}

static void test_device_after_driver(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	kt_dev_init(&dev_a, "a", 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	KTEST_EXPECT_TRUE(t, dev_a.dev.driver == &drv1.drv);
	KTEST_EXPECT_EQ(t, drv1.probes, 1);
	/* Removing the device unbinds it first. */
	device_unregister(&dev_a.dev);
	KTEST_EXPECT_EQ(t, drv1.removes, 1);
	KTEST_EXPECT_EQ(t, releases, 1);
	driver_unregister(&drv1.drv);
}

static void test_match_order(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	KTEST_ASSERT_EQ(t, driver_register(&drv2.drv), 0);
	kt_dev_init(&dev_a, "any", 0);		/* both match: the first registered wins */
	kt_dev_init(&dev_b, "only2", 2);	/* only drv2 matches */
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_b.dev), 0);
	KTEST_EXPECT_TRUE(t, dev_a.dev.driver == &drv1.drv);
	KTEST_EXPECT_TRUE(t, dev_b.dev.driver == &drv2.drv);
	KTEST_EXPECT_EQ(t, drv1.probes, 1);	/* never offered "only2" */
	KTEST_EXPECT_EQ(t, drv2.probes, 1);

	/* A driver that declines (-ENODEV) passes the device to the next one. */
	device_release_driver(&dev_a.dev);
	drv1.ret = -ENODEV;
	KTEST_EXPECT_EQ(t, device_attach(&dev_a.dev), 1);
	KTEST_EXPECT_TRUE(t, dev_a.dev.driver == &drv2.drv);
	KTEST_EXPECT_EQ(t, drv1.probes, 2);

	driver_unregister(&drv2.drv);
	KTEST_EXPECT_NULL(t, dev_a.dev.driver);
	KTEST_EXPECT_NULL(t, dev_b.dev.driver);
	driver_unregister(&drv1.drv);
	device_unregister(&dev_a.dev);
	device_unregister(&dev_b.dev);
	KTEST_EXPECT_EQ(t, releases, 2);
}

static void test_probe_failure_unwinds(struct ktest *t)
{
	unsigned long before;

	kt_dev_init(&dev_a, "a", 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	before = ktest_settled_free_pages();
	drv1.ret = -EIO;
	drv1.devm_allocs = 3;			/* 100 B, 3 KiB, 6 KiB */
	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	KTEST_EXPECT_EQ(t, drv1.probes, 1);
	KTEST_EXPECT_NULL(t, dev_a.dev.driver);
	KTEST_EXPECT_NULL(t, dev_get_drvdata(&dev_a.dev));
	KTEST_EXPECT_EQ(t, dev_a.dev.probe_err, -EIO);
	KTEST_EXPECT_EQ(t, devres_count(&dev_a.dev), 0u);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
	/* Actions ran in reverse order; remove() was not called. */
	KTEST_EXPECT_EQ(t, strcmp(trace, "ba"), 0);
	KTEST_EXPECT_EQ(t, drv1.removes, 0);
	KTEST_EXPECT_EQ(t, driver_deferred_count(), 0u);

	/* The same device binds once the driver stops failing. */
	drv1.ret = 0;
	KTEST_EXPECT_EQ(t, device_attach(&dev_a.dev), 1);
	KTEST_EXPECT_EQ(t, devres_count(&dev_a.dev), 5u);
	KTEST_EXPECT_LT(t, ktest_settled_free_pages(), before);	/* the 6 KiB one is whole pages */
	driver_unregister(&drv1.drv);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
	device_unregister(&dev_a.dev);
}

static void test_unbind_rebind(struct ktest *t)
{
	struct device *found;

	kt_dev_init(&dev_a, "a", 0);
	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	for (int i = 0; i < 3; i++) {
		trace_len = 0;
		device_release_driver(&dev_a.dev);
		/* remove() first, then the devres of the binding, newest first. */
		KTEST_EXPECT_EQ(t, strcmp(trace, "rba"), 0);
		KTEST_EXPECT_NULL(t, dev_a.dev.driver);
		KTEST_EXPECT_EQ(t, devres_count(&dev_a.dev), 0u);
		KTEST_EXPECT_EQ(t, device_bind_driver(&dev_a.dev, &drv1.drv), 0);
		KTEST_EXPECT_TRUE(t, dev_a.dev.driver == &drv1.drv);
	}
	KTEST_EXPECT_EQ(t, drv1.probes, 4);
	KTEST_EXPECT_EQ(t, drv1.removes, 3);
	KTEST_EXPECT_EQ(t, device_bind_driver(&dev_a.dev, &drv1.drv), -EBUSY);

	found = bus_find_device_by_name(&kt_bus, "a");
	KTEST_EXPECT_TRUE(t, found == &dev_a.dev);
	KTEST_EXPECT_EQ(t, atomic_read(&dev_a.dev.refcount), 2);
	put_device(found);
	KTEST_EXPECT_NULL(t, bus_find_device_by_name(&kt_bus, "nope"));
	KTEST_EXPECT_TRUE(t, bus_find_driver(&kt_bus, "kt-drv1") == &drv1.drv);

	device_unregister(&dev_a.dev);
	driver_unregister(&drv1.drv);
	KTEST_EXPECT_EQ(t, releases, 1);
}

/* The bind and unbind shell commands: each outcome has its error. */
static void test_shell_bind_unbind(struct ktest *t)
{
	kt_dev_init(&dev_a, "a", 0);
	kt_dev_init(&dev_b, "b", 2);
	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_b.dev), 0);
	KTEST_EXPECT_TRUE(t, dev_a.dev.driver == &drv1.drv);

	KTEST_EXPECT_EQ(t, shell_run_command("unbind ktbus a"), 0);
	KTEST_EXPECT_NULL(t, dev_a.dev.driver);
	KTEST_EXPECT_EQ(t, drv1.removes, 1);
	KTEST_EXPECT_EQ(t, shell_run_command("unbind ktbus a"), -ENODEV);
	KTEST_EXPECT_EQ(t, shell_run_command("unbind ktbus nope"), -ENOENT);
	KTEST_EXPECT_EQ(t, shell_run_command("unbind ktbus"), -EINVAL);

	KTEST_EXPECT_EQ(t, shell_run_command("bind ktbus a kt-drv1"), 0);
	KTEST_EXPECT_TRUE(t, dev_a.dev.driver == &drv1.drv);
	KTEST_EXPECT_EQ(t, shell_run_command("bind ktbus a kt-drv1"), -EBUSY);
	KTEST_EXPECT_EQ(t, shell_run_command("bind ktbus b kt-drv1"), -ENODEV);
	KTEST_EXPECT_NULL(t, dev_b.dev.driver);
	KTEST_EXPECT_EQ(t, shell_run_command("bind ktbus b kt-nope"), -ENOENT);
	KTEST_EXPECT_EQ(t, shell_run_command("bind ktbus nope kt-drv1"), -ENOENT);
	KTEST_EXPECT_EQ(t, shell_run_command("bind nobus a kt-drv1"), -ENOENT);
	KTEST_EXPECT_EQ(t, shell_run_command("bind ktbus a kt-drv1 x"), -EINVAL);
	KTEST_EXPECT_EQ(t, drv1.probes, 2);

	device_unregister(&dev_a.dev);
	device_unregister(&dev_b.dev);
	driver_unregister(&drv1.drv);
	KTEST_EXPECT_EQ(t, releases, 2);
}

static bool supplier_up;

static bool supplier_ready(void)
{
	return supplier_up;
}

static int supplier_probe(struct device *dev)
{
	supplier_up = true;
	return 0;
}

static void supplier_remove(struct device *dev)
{
	supplier_up = false;
}

static struct kt_drv drv_supplier = { .drv = { .name = "kt-supplier", .bus = &kt_bus,
	.probe = supplier_probe, .remove = supplier_remove }, .id = 3 };

static void test_deferred_probe(struct ktest *t)
{
	supplier_up = false;
	drv1.ready = supplier_ready;
	kt_dev_init(&dev_a, "consumer", 1);
	kt_dev_init(&dev_b, "supplier", 3);
	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	KTEST_EXPECT_NULL(t, dev_a.dev.driver);
	KTEST_EXPECT_EQ(t, dev_a.dev.probe_err, -EPROBE_DEFER);
	KTEST_EXPECT_EQ(t, driver_deferred_count(), 1u);
	/* Nothing changed: a trigger retries and defers again. */
	driver_deferred_probe_trigger();
	KTEST_EXPECT_EQ(t, drv1.probes, 2);
	KTEST_EXPECT_EQ(t, driver_deferred_count(), 1u);

	/* The supplier binds: the consumer is retried and binds too. */
	KTEST_ASSERT_EQ(t, driver_register(&drv_supplier.drv), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_b.dev), 0);
	KTEST_EXPECT_TRUE(t, dev_b.dev.driver == &drv_supplier.drv);
	KTEST_EXPECT_TRUE(t, dev_a.dev.driver == &drv1.drv);
	KTEST_EXPECT_EQ(t, drv1.probes, 3);
	KTEST_EXPECT_EQ(t, driver_deferred_count(), 0u);

	/* A deferred device that goes away leaves the deferred list. */
	device_release_driver(&dev_a.dev);
	device_release_driver(&dev_b.dev);
	KTEST_EXPECT_EQ(t, device_attach(&dev_a.dev), -EPROBE_DEFER);
	KTEST_EXPECT_EQ(t, driver_deferred_count(), 1u);
	device_unregister(&dev_a.dev);
	KTEST_EXPECT_EQ(t, driver_deferred_count(), 0u);
	device_unregister(&dev_b.dev);
	driver_unregister(&drv_supplier.drv);
	driver_unregister(&drv1.drv);
}

static void test_parent_child_refcount(struct ktest *t)
{
	kt_dev_init(&dev_a, "parent", 0);
	kt_dev_init(&dev_b, "child", 0);
	kt_dev_init(&dev_c, "grandchild", 0);
	dev_b.dev.parent = &dev_a.dev;
	dev_c.dev.parent = &dev_b.dev;
	/* A child needs a registered parent. */
	KTEST_EXPECT_EQ(t, device_add(&dev_b.dev), -EINVAL);
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_b.dev), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_c.dev), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&dev_a.dev.refcount), 2);
	KTEST_EXPECT_EQ(t, atomic_read(&dev_b.dev.refcount), 2);
	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	KTEST_EXPECT_EQ(t, drv1.probes, 3);

	/* Deleting the parent deletes its children (newest first) but frees
	 * nothing: each creator still holds its device, a child its parent. */
	get_device(&dev_b.dev);
	trace_len = 0;
	device_unregister(&dev_a.dev);
	KTEST_EXPECT_FALSE(t, dev_c.dev.registered);
	KTEST_EXPECT_FALSE(t, dev_b.dev.registered);
	KTEST_EXPECT_EQ(t, drv1.removes, 3);
	/* Grandchild, child, parent: each remove() (r), then its devres (b, a). */
	KTEST_EXPECT_EQ(t, strcmp(trace, "rbarbarba"), 0);
	KTEST_EXPECT_EQ(t, releases, 0);
	put_device(&dev_c.dev);			/* grandchild's creator */
	KTEST_EXPECT_EQ(t, releases, 1);
	KTEST_EXPECT_EQ(t, atomic_read(&dev_b.dev.refcount), 2);
	put_device(&dev_b.dev);			/* our extra reference */
	KTEST_EXPECT_EQ(t, releases, 1);
	put_device(&dev_b.dev);			/* child's creator: child, then parent */
	KTEST_EXPECT_EQ(t, releases, 3);
	driver_unregister(&drv1.drv);
}

static void test_rejected_calls(struct ktest *t)
{
	struct bus_type unreg = { .name = "kt-unregistered", .match = kt_match };
	struct device_driver nobus = { .name = "kt-nobus" };

	kt_dev_init(&dev_a, "a", 0);
	dev_a.dev.release = NULL;
	KTEST_EXPECT_EQ(t, device_add(&dev_a.dev), -EINVAL);
	dev_a.dev.release = kt_release;
	dev_a.dev.bus = &unreg;
	KTEST_EXPECT_EQ(t, device_add(&dev_a.dev), -EINVAL);
	dev_a.dev.bus = &kt_bus;
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	KTEST_EXPECT_EQ(t, device_add(&dev_a.dev), -EEXIST);
	kt_dev_init(&dev_b, "a", 0);		/* same name on the same bus */
	KTEST_EXPECT_EQ(t, device_add(&dev_b.dev), -EEXIST);
	KTEST_EXPECT_FALSE(t, dev_b.dev.registered);

	KTEST_EXPECT_EQ(t, driver_register(&nobus), -EINVAL);
	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	KTEST_EXPECT_EQ(t, driver_register(&drv1.drv), -EEXIST);
	KTEST_EXPECT_EQ(t, drv1.probes, 1);
	KTEST_EXPECT_EQ(t, bus_register(&kt_bus), -EEXIST);
	KTEST_EXPECT_EQ(t, bus_unregister(&kt_bus), -EBUSY);
	KTEST_EXPECT_EQ(t, bus_unregister(&unreg), -ENOENT);
	KTEST_EXPECT_EQ(t, devm_kfree(&dev_a.dev, &dev_b), -ENOENT);
	KTEST_EXPECT_EQ(t, devres_count(&dev_a.dev), 2u);
	driver_unregister(&drv1.drv);
	device_unregister(&dev_a.dev);
	put_device(&dev_b.dev);
	KTEST_EXPECT_EQ(t, releases, 2);
}

/*
 * A probe that registers a child device, which binds at once, inside its
 * parent's probe: the child's lock nests in the parent's.  Deleting the
 * parent deletes and unbinds the child first.
 */
/* The child parent_probe() adds, set up by the case, and its driver. */
static struct kt_dev *probe_child;
static struct kt_drv *probe_child_drv;

static int parent_probe(struct device *dev)
{
	probe_child->dev.parent = dev;
	if (device_add(&probe_child->dev))
		return -EIO;
	/* Bound already, while this probe still runs. */
	return probe_child->dev.driver == &probe_child_drv->drv ? 0 : -EIO;
}

static struct kt_drv drv_parent = { .drv = { .name = "kt-parent", .bus = &kt_bus,
	.probe = parent_probe, .remove = kt_remove }, .id = 4 };

static void test_probe_adds_child(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	KTEST_ASSERT_EQ(t, driver_register(&drv_parent.drv), 0);
	kt_dev_init(&dev_c, "child", 1);
	probe_child = &dev_c;
	probe_child_drv = &drv1;
	kt_dev_init(&dev_a, "parent", 4);
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	KTEST_EXPECT_TRUE(t, dev_a.dev.driver == &drv_parent.drv);
	KTEST_EXPECT_TRUE(t, dev_c.dev.driver == &drv1.drv);
	KTEST_EXPECT_EQ(t, drv1.probes, 1);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&dev_a.dev.mutex));
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&dev_c.dev.mutex));
	device_unregister(&dev_a.dev);
	KTEST_EXPECT_FALSE(t, dev_c.dev.registered);
	KTEST_EXPECT_EQ(t, drv1.removes, 1);
	put_device(&dev_c.dev);
	KTEST_EXPECT_EQ(t, releases, 2);
	driver_unregister(&drv_parent.drv);
	driver_unregister(&drv1.drv);
}

/*
 * A probe that registers a driver, which binds another waiting device once
 * the probe is over (and skips the one that was probed, bound by then);
 * the deferred device waiting for it is retried once the outer call is
 * done.
 */
static int registrar_probe(struct device *dev)
{
	return driver_register(&drv2.drv);
}

static struct kt_drv drv_registrar = { .drv = { .name = "kt-registrar", .bus = &kt_bus,
	.probe = registrar_probe, .remove = kt_remove }, .id = 5 };

static bool drv2_bound(void)
{
	return dev_b.dev.driver == &drv2.drv;
}

static void test_probe_registers_driver(struct ktest *t)
{
	kt_dev_init(&dev_a, "registrar", 5);
	kt_dev_init(&dev_b, "waiting", 2);
	kt_dev_init(&dev_c, "consumer", 1);
	drv1.ready = drv2_bound;
	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	KTEST_ASSERT_EQ(t, driver_register(&drv_registrar.drv), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_b.dev), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_c.dev), 0);
	KTEST_EXPECT_EQ(t, driver_deferred_count(), 1u);
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	KTEST_EXPECT_TRUE(t, dev_a.dev.driver == &drv_registrar.drv);
	KTEST_EXPECT_TRUE(t, dev_b.dev.driver == &drv2.drv);
	KTEST_EXPECT_TRUE(t, dev_c.dev.driver == &drv1.drv);
	KTEST_EXPECT_EQ(t, driver_deferred_count(), 0u);
	device_unregister(&dev_a.dev);
	device_unregister(&dev_b.dev);
	device_unregister(&dev_c.dev);
	driver_unregister(&drv2.drv);
	driver_unregister(&drv_registrar.drv);
	driver_unregister(&drv1.drv);
	KTEST_EXPECT_EQ(t, releases, 3);
}

static struct lock_class_key kt_attach_key;
static bool attach_inversion_shown;

/* A device whose lock is in the class of the pending-attach case only. */
static void kt_dev_init_attach(struct kt_dev *d, const char *name, int want)
{
	kt_dev_init(d, name, want);
	lockdep_set_class(&d->dev.mutex, &kt_attach_key);
}

/*
 * host (depth 0), whose probe adds its child registrar (depth 1), bound at
 * once, whose probe registers
 * drv2, which matches "waiting" (depth 0).  Walking drv2 over the bus
 * inside the registrar's probe would lock "waiting" under the registrar's
 * lock, a deeper device's then a shallower one's, after the host's probe
 * nested them the other way: the walk waits for the outermost call,
 * device_add(host), and nothing is reported.  Locking the two in that
 * order by hand is reported, which shows the case would see it.
 */
static void test_probe_registers_driver_nested(struct ktest *t)
{
	unsigned long before;

	kt_dev_init_attach(&dev_a, "host", 4);
	kt_dev_init_attach(&dev_b, "registrar", 5);
	kt_dev_init_attach(&dev_c, "waiting", 2);
	probe_child = &dev_b;
	probe_child_drv = &drv_registrar;
	KTEST_ASSERT_EQ(t, driver_register(&drv_registrar.drv), 0);
	KTEST_ASSERT_EQ(t, driver_register(&drv_parent.drv), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_c.dev), 0);
	KTEST_EXPECT_NULL(t, dev_c.dev.driver);
	before = lockdep_nr_reports();
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	KTEST_EXPECT_TRUE(t, dev_a.dev.driver == &drv_parent.drv);
	KTEST_EXPECT_TRUE(t, dev_b.dev.driver == &drv_registrar.drv);
	KTEST_EXPECT_TRUE(t, dev_c.dev.driver == &drv2.drv);
	KTEST_EXPECT_EQ(t, drv2.probes, 1);
	KTEST_EXPECT_EQ(t, lockdep_nr_reports(), before);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&dev_c.dev.mutex));
	/* Once per boot: the inversion, recorded, is not reported again. */
	if (IS_ENABLED(CONFIG_LOCKDEP) && !attach_inversion_shown) {
		attach_inversion_shown = true;
		ktest_log(t, "a circular locking report follows");
		device_lock(&dev_b.dev);
		device_lock(&dev_c.dev);
		device_unlock(&dev_c.dev);
		device_unlock(&dev_b.dev);
		KTEST_EXPECT_EQ(t, lockdep_nr_reports(), before + 1);
	}
	/* Drivers first this time: each unbinds what it drives. */
	driver_unregister(&drv2.drv);
	KTEST_EXPECT_EQ(t, drv2.removes, 1);
	driver_unregister(&drv_registrar.drv);
	driver_unregister(&drv_parent.drv);
	KTEST_EXPECT_TRUE(t, !dev_a.dev.driver && !dev_b.dev.driver && !dev_c.dev.driver);
	device_unregister(&dev_c.dev);
	device_unregister(&dev_a.dev);		/* and its child */
	KTEST_EXPECT_FALSE(t, dev_b.dev.registered);
	put_device(&dev_b.dev);
	KTEST_EXPECT_EQ(t, releases, 3);
}

/* Registers drv2, changes its mind, and fails. */
static int quitter_probe(struct device *dev)
{
	if (driver_register(&drv2.drv))
		return -EIO;
	driver_unregister(&drv2.drv);
	return -ENODEV;
}

static struct kt_drv drv_quitter = { .drv = { .name = "kt-quitter", .bus = &kt_bus,
	.probe = quitter_probe, .remove = kt_remove }, .id = 7 };

/*
 * A driver registered and unregistered inside one probe leaves the
 * pending attaches: nothing walks it afterwards, and registered again
 * from outside a probe it binds at once.
 */
static void test_probe_registers_driver_undone(struct ktest *t)
{
	kt_dev_init(&dev_c, "waiting", 2);
	KTEST_ASSERT_EQ(t, device_add(&dev_c.dev), 0);
	kt_dev_init(&dev_a, "quitter", 7);
	KTEST_ASSERT_EQ(t, driver_register(&drv_quitter.drv), 0);
	KTEST_ASSERT_EQ(t, device_add(&dev_a.dev), 0);
	KTEST_EXPECT_EQ(t, dev_a.dev.probe_err, -ENODEV);
	/* Neither bound, and drv2 never probed anything. */
	KTEST_EXPECT_TRUE(t, !dev_a.dev.driver && !dev_c.dev.driver && !drv2.probes);
	KTEST_ASSERT_EQ(t, driver_register(&drv2.drv), 0);
	KTEST_EXPECT_TRUE(t, dev_c.dev.driver == &drv2.drv);
	device_unregister(&dev_a.dev);
	device_unregister(&dev_c.dev);
	driver_unregister(&drv2.drv);
	driver_unregister(&drv_quitter.drv);
	KTEST_EXPECT_EQ(t, releases, 2);
}

#ifdef CONFIG_LOCKDEP
static struct lock_class_key kt_devlock_key;
static bool devlock_used;

/*
 * device_lock() takes each device's lock at its depth in the tree:
 * parent, child, grandchild in that order is the checked order, and a
 * child's lock then its parent's is reported.  The devices get a lock
 * class of their own, so the orders other code recorded do not count.
 */
static void test_device_lock_nesting(struct ktest *t)
{
	struct kt_dev *devs[] = { &dev_a, &dev_b, &dev_c };
	unsigned long before = lockdep_nr_reports();
	struct lockdep_stats st;

	if (devlock_used)
		KTEST_SKIP(t, "the class has recorded orders (run again after a reboot)");
	devlock_used = true;
	kt_dev_init(&dev_a, "parent", 0);
	kt_dev_init(&dev_b, "child", 0);
	kt_dev_init(&dev_c, "grandchild", 0);
	dev_b.dev.parent = &dev_a.dev;
	dev_c.dev.parent = &dev_b.dev;
	for (int i = 0; i < 3; i++) {
		lockdep_set_class(&devs[i]->dev.mutex, &kt_devlock_key);
		KTEST_EXPECT_EQ(t, device_lock_subclass(&devs[i]->dev), (unsigned int)i);
	}
	for (int i = 0; i < 3; i++)
		device_lock(&devs[i]->dev);
	KTEST_EXPECT_EQ(t, lockdep_task_depth(), 3u);
	for (int i = 2; i >= 0; i--)
		device_unlock(&devs[i]->dev);
	KTEST_EXPECT_EQ(t, lockdep_nr_reports(), before);

	ktest_log(t, "a circular locking report follows");
	device_lock(&dev_b.dev);
	device_lock(&dev_a.dev);
	device_unlock(&dev_a.dev);
	device_unlock(&dev_b.dev);
	lockdep_get_stats(&st);
	KTEST_EXPECT_EQ(t, st.nr_reports, before + 1);
	KTEST_EXPECT_TRUE(t, st.last_held && !strcmp(st.last_held, "&kt_devlock_key"));
	KTEST_EXPECT_EQ(t, st.last_held_subclass, 1u);
	KTEST_EXPECT_EQ(t, st.last_acquired_subclass, 0u);
	KTEST_EXPECT_EQ(t, lockdep_task_depth(), 0u);
	for (int i = 0; i < 3; i++)
		put_device(&devs[i]->dev);
	KTEST_EXPECT_EQ(t, releases, 3);
}
#endif

/*
 * Every online CPU registers, rebinds and unregisters its own device while
 * another thread registers and unregisters a second matching driver.  Each
 * device's lock serialises its probe and remove (different devices probe
 * in parallel), so the counters are exact: every probe is matched by a
 * remove and every device is released.
 */
#define SMP_ITERS	200

/*
 * Iterations per CPU: SMP_ITERS up to 4 CPUs, then fewer so the total stays
 * about the same: the CPUs contend for the same bus and driver locks, and
 * TCG runs the vCPUs on the host's few cores.
 */
static int smp_iters(void)
{
	unsigned int n = num_online_cpus();

	return n <= 4 ? SMP_ITERS : max(50, SMP_ITERS * 4 / (int)n);
}

static struct kt_dev smp_devs[NR_CPUS];

static int smp_device_worker(void *arg)
{
	struct kt_dev *d = arg;
	char name[16];
	int errors = 0;

	snprintf(name, sizeof(name), "smp%ld", (long)(d - smp_devs));
	for (int i = 0, n = smp_iters(); i < n; i++) {
		kt_dev_init(d, name, 0);
		errors += device_add(&d->dev) != 0;
		device_release_driver(&d->dev);
		errors += device_attach(&d->dev) < 0;
		device_unregister(&d->dev);
		/*
		 * The flipper may still hold a reference (and the device
		 * lock): the struct is reused only once release() ran.
		 */
		while (!smp_load_acquire(&d->released))
			yield();
	}
	return errors;
}

static int smp_driver_flipper(void *arg)
{
	int errors = 0;

	for (int i = 0, n = smp_iters(); i < n; i++) {
		errors += driver_register(&drv2.drv) != 0;
		driver_unregister(&drv2.drv);
	}
	return errors;
}

static void test_smp_bind_unbind(struct ktest *t)
{
	struct task_struct *k[NR_CPUS], *flip;
	unsigned int cpu, n = 0;

	KTEST_ASSERT_EQ(t, driver_register(&drv1.drv), 0);
	flip = kthread_create(smp_driver_flipper, NULL, "kt-dm-flip");
	KTEST_ASSERT_NOT_NULL(t, flip);
	for_each_online_cpu(cpu) {
		k[cpu] = kthread_create(smp_device_worker, &smp_devs[cpu], "kt-dm%u", cpu);
		KTEST_ASSERT_NOT_NULL(t, k[cpu]);
		KTEST_EXPECT_EQ(t, kthread_bind(k[cpu], cpu), 0);
	}
	wake_up_process(flip);
	for_each_online_cpu(cpu)
		wake_up_process(k[cpu]);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, kthread_join(k[cpu]), 0);
		n++;
	}
	KTEST_EXPECT_EQ(t, kthread_join(flip), 0);
	driver_unregister(&drv1.drv);
	KTEST_EXPECT_EQ(t, releases, (int)n * smp_iters());
	KTEST_EXPECT_EQ(t, drv1.probes, drv1.removes);
	KTEST_EXPECT_EQ(t, drv2.probes, drv2.removes);
	KTEST_EXPECT_GE(t, drv1.probes + drv2.probes, 2 * (int)n * smp_iters());
	KTEST_EXPECT_EQ(t, driver_deferred_count(), 0u);
}

static struct ktest_case device_cases[] = {
	KTEST_CASE(test_driver_after_device),
	KTEST_CASE(test_device_after_driver),
	KTEST_CASE(test_match_order),
	KTEST_CASE(test_probe_failure_unwinds),
	KTEST_CASE(test_unbind_rebind),
	KTEST_CASE(test_shell_bind_unbind),
	KTEST_CASE(test_deferred_probe),
	KTEST_CASE(test_parent_child_refcount),
	KTEST_CASE(test_rejected_calls),
	KTEST_CASE(test_probe_adds_child),
	KTEST_CASE(test_probe_registers_driver),
	KTEST_CASE(test_probe_registers_driver_nested),
	KTEST_CASE(test_probe_registers_driver_undone),
#ifdef CONFIG_LOCKDEP
	KTEST_CASE(test_device_lock_nesting),
#endif
	KTEST_CASE_FLAGS(test_smp_bind_unbind, KTEST_F_SMP | KTEST_F_SLOW),
	{}
};

static struct ktest_suite device_suite = {
	.name = "device_model",
	.cases = device_cases,
	.init = kt_init,
	.exit = kt_exit,
};
KTEST_SUITE(device_suite);

/* ------------------------------------------------------------ platform */

static bool bound_to(const char *dev, const char *drv)
{
	struct device *d = bus_find_device_by_name(&platform_bus_type, dev);
	bool ok = d && d->driver && !strcmp(d->driver->name, drv);

	put_device(d);
	return ok;
}

static void test_pc_devices_bound(struct ktest *t)
{
	struct device *d = bus_find_device_by_name(&platform_bus_type, "serial8250.0");
	struct resource *io;

	KTEST_ASSERT_NOT_NULL(t, d);
	io = platform_get_resource(to_platform_device(d), IORESOURCE_IO, 0);
	KTEST_ASSERT_NOT_NULL(t, io);
	KTEST_EXPECT_EQ(t, io->start, 0x3f8ull);
	KTEST_EXPECT_EQ(t, resource_size(io), 8ull);
	KTEST_EXPECT_EQ(t, platform_get_resource(to_platform_device(d), IORESOURCE_IRQ, 0)->start,
			4ull);
	KTEST_EXPECT_NULL(t, platform_get_resource(to_platform_device(d), IORESOURCE_IO, 1));
	put_device(d);
	/* QEMU and Bochs both have these. */
	KTEST_EXPECT_TRUE(t, bound_to("serial8250.0", "serial8250"));
	if (IS_ENABLED(CONFIG_RTC_CMOS))
		KTEST_EXPECT_TRUE(t, bound_to("rtc_cmos", "rtc_cmos"));
	/* As a module, only if i8253.ko came with the boot modules. */
	if (IS_BUILTIN(CONFIG_PIT) || (IS_MODULE(CONFIG_PIT) && find_module("i8253")))
		KTEST_EXPECT_TRUE(t, bound_to("pit", "pit"));
	d = bus_find_device_by_name(&platform_bus_type, "e9-console");
	KTEST_EXPECT_NOT_NULL(t, d);
	put_device(d);
}

static int pt_probes, pt_removes;

static int pt_probe(struct platform_device *pdev)
{
	struct resource *mem = platform_get_resource(pdev, IORESOURCE_MEM, 0);

	pt_probes++;
	if (!mem || !devm_kzalloc(&pdev->dev, resource_size(mem), GFP_KERNEL))
		return -ENOMEM;
	platform_set_drvdata(pdev, mem);
	return 0;
}

static void pt_remove(struct platform_device *pdev)
{
	pt_removes++;
}

static struct platform_driver pt_driver = {
	.driver = { .name = "kt-platform" },
	.probe = pt_probe,
	.remove = pt_remove,
};

static void test_platform_register_unregister(struct ktest *t)
{
	static const struct resource res[] = { DEFINE_RES_MEM(0xfed00000, 0x2000),
					       DEFINE_RES_IRQ(11) };
	unsigned long before = ktest_settled_free_pages();
	struct platform_device *p0, *p1;
	struct resource *mem;

	pt_probes = pt_removes = 0;
	p0 = platform_device_register_simple("kt-platform", 0, res, 2);
	KTEST_ASSERT_NOT_NULL(t, p0);
	KTEST_EXPECT_EQ(t, strcmp(dev_name(&p0->dev), "kt-platform.0"), 0);
	KTEST_EXPECT_NULL(t, platform_device_register_simple("kt-platform", 0, res, 2));
	KTEST_ASSERT_EQ(t, platform_driver_register(&pt_driver), 0);
	p1 = platform_device_register_simple("kt-platform", 1, res, 2);
	KTEST_ASSERT_NOT_NULL(t, p1);
	KTEST_EXPECT_EQ(t, pt_probes, 2);
	mem = platform_get_resource(p1, IORESOURCE_MEM, 0);
	KTEST_EXPECT_TRUE(t, platform_get_drvdata(p1) == mem);
	KTEST_EXPECT_EQ(t, platform_get_resource(p1, IORESOURCE_IRQ, 0)->start, 11ull);
	KTEST_EXPECT_EQ(t, strcmp(mem->name, "kt-platform"), 0);
	platform_device_unregister(p0);
	KTEST_EXPECT_EQ(t, pt_removes, 1);
	platform_driver_unregister(&pt_driver);
	KTEST_EXPECT_EQ(t, pt_removes, 2);
	platform_device_unregister(p1);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
}

static struct ktest_case platform_cases[] = {
	KTEST_CASE(test_pc_devices_bound),
	KTEST_CASE(test_platform_register_unregister),
	{}
};

static struct ktest_suite platform_suite = {
	.name = "platform",
	.cases = platform_cases,
};
KTEST_SUITE(platform_suite);
