// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the driver core's lifetime rules (Documentation/driver-model.rst):
 * a device's memory is freed only by the last put_device(), even when a
 * user holds it across an unbind and a device_del() (KASAN, on in
 * allyesconfig, reports any access to freed memory); dev_enter() fails once
 * unbinding starts and remove() waits for the operations inside; devres
 * run newest first; a parent's device_del() unbinds its descendants'
 * drivers deepest first and then its own (whose remove() may unregister
 * the children it made) before deleting anything; device links unbind a
 * consumer before its supplier and defer its probe until the supplier
 * binds.  Every case runs on a private bus ("ktlife"), with devices from
 * kzalloc() freed by their release(), and checks the kmalloc objects.
 */
#include <exo/atomic.h>
#include <exo/bottom_half.h>
#include <exo/completion.h>
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/timer.h>
#include <exo/workqueue.h>

#include "base.h"

struct lt_dev {
	struct device dev;
	char id;			/* its letter in the trace */
	bool leaky;			/* for lt_leaky_drv only */
	bool tidy;			/* lt_leaky_drv's remove() cleans up */
	int probe_err;			/* lt_probe() fails with it */
	struct lt_dev *made;		/* the child its probe registered */
	struct device *uses;		/* remove() calls dev_enter() on it */
};

#define to_lt(d)	container_of(d, struct lt_dev, dev)

static char trace[64];
static unsigned int trace_len;
static int releases;
static int enter_ok, enter_failed;	/* lt_remove()'s dev_enter(uses) */
static int made_ok, made_bad;		/* lt_remove() found ->made unbound */
static int self_ok, self_bh_refused;	/* lt_remove()'s dev_enter(itself) */
static DEFINE_SPINLOCK(trace_lock);

static void lt_trace(char c)
{
	spin_lock(&trace_lock);
	if (trace_len < sizeof(trace) - 1)
		trace[trace_len++] = c;
	trace[trace_len] = 0;
	spin_unlock(&trace_lock);
}

static void lt_trace_action(void *data)
{
	lt_trace((char)(unsigned long)data);
}

static void lt_release(struct device *dev)
{
	__atomic_fetch_add(&releases, 1, __ATOMIC_RELAXED);
	kfree(to_lt(dev));
}

static struct device_driver lt_leaky_drv;

static int lt_match(struct device *dev, struct device_driver *drv)
{
	return to_lt(dev)->leaky == (drv == &lt_leaky_drv);
}

static struct bus_type lt_bus = {
	.name = "ktlife",
	.match = lt_match,
};

static struct lt_dev *lt_new(char id, struct device *parent)
{
	struct lt_dev *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return NULL;
	device_initialize(&d->dev);
	dev_set_name(&d->dev, "lt-%c", id);
	d->dev.bus = &lt_bus;
	d->dev.parent = parent;
	d->dev.release = lt_release;
	d->id = id;
	return d;
}

/* Probe: three devres, traced "3", "2", "1" as they are released. */
static int lt_probe(struct device *dev)
{
	if (to_lt(dev)->probe_err)
		return to_lt(dev)->probe_err;
	if (!devm_kzalloc(dev, 64, GFP_KERNEL) ||
	    devm_add_action(dev, lt_trace_action, (void *)'1') ||
	    !devm_kzalloc(dev, 32, GFP_KERNEL) ||
	    devm_add_action(dev, lt_trace_action, (void *)'2') ||
	    devm_add_action(dev, lt_trace_action, (void *)'3'))
		return -ENOMEM;
	return 0;
}

/* Remove: the device's letter; a child its probe made goes with it. */
static void lt_remove(struct device *dev)
{
	struct lt_dev *d = to_lt(dev);

	lt_trace(d->id);
	/* A supplier's operations still work in its consumer's remove(). */
	if (d->uses) {
		if (dev_enter(d->uses)) {
			enter_ok++;
			dev_exit(d->uses);
		} else {
			enter_failed++;
		}
	}
	if (d->made) {
		/*
		 * The remover gets in; softirq context on its CPU (where
		 * current is still the remover) does not.
		 */
		if (dev_enter(dev)) {
			self_ok++;
			dev_exit(dev);
		}
		local_bh_disable();
		if (!dev_enter(dev))
			self_bh_refused++;
		else
			dev_exit(dev);
		local_bh_enable();
		/* Unbound first by device_del(), and it cannot bind again. */
		if (d->made->dev.registered && !d->made->dev.driver &&
		    device_attach(&d->made->dev) < 0 && !d->made->dev.driver)
			made_ok++;
		else
			made_bad++;
		device_unregister(&d->made->dev);
		d->made = NULL;
	}
}

static struct device_driver lt_drv = {
	.name = "kt-life", .bus = &lt_bus, .probe = lt_probe, .remove = lt_remove,
};

static size_t objs_before;

static int lt_init(struct ktest *t)
{
	trace_len = 0;
	trace[0] = 0;
	releases = 0;
	enter_ok = enter_failed = made_ok = made_bad = 0;
	self_ok = self_bh_refused = 0;
	/* Settled: what KASAN's quarantine holds is released first. */
	ktest_settled_free_pages();
	objs_before = kmalloc_usage(NULL);
	if (bus_register(&lt_bus))
		return -EINVAL;
	return driver_register(&lt_drv);
}

static void lt_exit(struct ktest *t)
{
	driver_unregister(&lt_drv);
	KTEST_EXPECT_EQ(t, bus_unregister(&lt_bus), 0);
	ktest_settled_free_pages();
	KTEST_EXPECT_EQ(t, kmalloc_usage(NULL), objs_before);
}

static void trace_reset(void)
{
	spin_lock(&trace_lock);
	trace_len = 0;
	trace[0] = 0;
	spin_unlock(&trace_lock);
}

/*
 * A user holds a device across its unbind and its device_del(): it may
 * still read it (KASAN checks), dev_enter() fails, and the memory goes
 * only at the user's put_device(), the last one.
 */
static void test_ref_held_across_unbind_and_del(struct ktest *t)
{
	struct lt_dev *d = lt_new('a', NULL);
	struct device *user;

	KTEST_ASSERT_NOT_NULL(t, d);
	KTEST_ASSERT_EQ(t, device_add(&d->dev), 0);
	KTEST_ASSERT_TRUE(t, d->dev.driver == &lt_drv);
	user = get_device(&d->dev);
	KTEST_EXPECT_TRUE(t, dev_enter(user));
	dev_exit(user);

	device_release_driver(&d->dev);
	KTEST_EXPECT_FALSE(t, dev_enter(user));
	KTEST_EXPECT_EQ(t, strcmp(trace, "a321"), 0);
	device_unregister(&d->dev);		/* the creator lets go */
	KTEST_EXPECT_EQ(t, releases, 0);
	KTEST_EXPECT_FALSE(t, user->registered);
	KTEST_EXPECT_FALSE(t, dev_enter(user));
	KTEST_EXPECT_EQ(t, strcmp(dev_name(user), "lt-a"), 0);
	KTEST_EXPECT_EQ(t, device_attach(user), -ENODEV);
	put_device(user);			/* the last reference */
	KTEST_EXPECT_EQ(t, releases, 1);
}

struct op_thread {
	struct device *dev;
	bool entered, admitted;
};

/* An operation that takes 100 ms; it records 'x' when it leaves. */
static int op_fn(void *arg)
{
	struct op_thread *o = arg;

	o->admitted = dev_enter(o->dev);
	WRITE_ONCE(o->entered, true);
	if (o->admitted) {
		msleep(100);
		lt_trace('x');
		dev_exit(o->dev);
	}
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/* Unbinding waits for the operation in flight before remove() and devres. */
static void test_unbind_waits_for_ops(struct ktest *t)
{
	struct lt_dev *d = lt_new('b', NULL);
	struct op_thread o = { 0 };
	struct task_struct *task;

	KTEST_ASSERT_NOT_NULL(t, d);
	KTEST_ASSERT_EQ(t, device_add(&d->dev), 0);
	o.dev = get_device(&d->dev);
	task = kthread_create(op_fn, &o, "kt-life-op");
	KTEST_ASSERT_NOT_NULL(t, task);
	wake_up_process(task);
	while (!READ_ONCE(o.entered))
		msleep(1);
	KTEST_EXPECT_TRUE(t, o.admitted);
	device_release_driver(&d->dev);
	/* The operation ended (x) before remove() (b) and the devres (321). */
	KTEST_EXPECT_EQ(t, strcmp(trace, "xb321"), 0);
	kthread_stop(task);
	device_unregister(&d->dev);
	put_device(o.dev);
	KTEST_EXPECT_EQ(t, releases, 1);
}

/*
 * device_del() of a parent: the descendants' drivers go first, deepest
 * first (c, then b), then the parent's (a), whose remove() unregisters the
 * child its probe made (m, already unbound); then the devices.
 */
static void test_del_unbinds_children_first(struct ktest *t)
{
	struct lt_dev *a = lt_new('a', NULL), *b, *c, *m;

	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_ASSERT_EQ(t, device_add(&a->dev), 0);
	b = lt_new('b', &a->dev);
	m = lt_new('m', &a->dev);
	KTEST_ASSERT_TRUE(t, b && m);
	KTEST_ASSERT_EQ(t, device_add(&b->dev), 0);
	c = lt_new('c', &b->dev);
	KTEST_ASSERT_NOT_NULL(t, c);
	KTEST_ASSERT_EQ(t, device_add(&c->dev), 0);
	KTEST_ASSERT_EQ(t, device_add(&m->dev), 0);
	a->made = m;				/* as if a's probe had made it */
	trace_reset();
	device_unregister(&a->dev);
	/* m (newest), then c, b (deepest first), then a, each with its devres. */
	KTEST_EXPECT_EQ(t, strcmp(trace, "m321c321b321a321"), 0);
	KTEST_EXPECT_EQ(t, made_ok, 1);
	KTEST_EXPECT_EQ(t, made_bad, 0);
	if (strcmp(trace, "m321c321b321a321"))
		ktest_log(t, "unbind order: %s", trace);
	KTEST_EXPECT_EQ(t, releases, 1);	/* m; a is held by b, b by c */
	KTEST_EXPECT_FALSE(t, b->dev.registered);
	KTEST_EXPECT_FALSE(t, c->dev.registered);
	put_device(&b->dev);
	KTEST_EXPECT_EQ(t, releases, 1);
	put_device(&c->dev);			/* c, then b, then a */
	KTEST_EXPECT_EQ(t, releases, 4);
}

/* Unbind @dev: the trace is @want, and one remove() entered its ->uses. */
static void unbind_expect(struct ktest *t, struct device *dev, const char *want)
{
	trace_reset();
	device_release_driver(dev);
	KTEST_EXPECT_EQ(t, strcmp(trace, want), 0);
	KTEST_EXPECT_EQ(t, enter_ok, 1);
	KTEST_EXPECT_EQ(t, enter_failed, 0);
}

/*
 * A plain unbind of a parent whose remove() unregisters the child it made
 * (as Linux's parents do): the child's remove() still reaches the
 * parent's operations, which other threads already find closed.
 */
static void test_parent_remove_unregisters_child(struct ktest *t)
{
	struct lt_dev *a = lt_new('a', NULL), *m;

	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_ASSERT_EQ(t, device_add(&a->dev), 0);
	m = lt_new('m', &a->dev);
	KTEST_ASSERT_NOT_NULL(t, m);
	KTEST_ASSERT_EQ(t, device_add(&m->dev), 0);
	KTEST_ASSERT_TRUE(t, a->dev.driver == &lt_drv && m->dev.driver == &lt_drv);
	a->made = m;
	m->uses = &a->dev;
	/* a's remove(), m's whole unbind inside it, then a's devres. */
	unbind_expect(t, &a->dev, "am321321");
	KTEST_EXPECT_EQ(t, self_ok, 1);
	KTEST_EXPECT_EQ(t, self_bh_refused, 1);
	KTEST_EXPECT_NULL(t, a->dev.driver);
	KTEST_EXPECT_NULL(t, READ_ONCE(a->dev.remover));
	/* Closed again for everyone once remove() returned. */
	KTEST_EXPECT_FALSE(t, dev_enter(&a->dev));
	KTEST_EXPECT_EQ(t, releases, 1);	/* m */
	device_unregister(&a->dev);
	KTEST_EXPECT_EQ(t, releases, 2);
}

/* A supplier 's' and a consumer 'c' candidate, both registered and bound. */
static int lt_pair(struct lt_dev **s, struct lt_dev **c)
{
	*s = lt_new('s', NULL);
	*c = lt_new('c', NULL);
	if (!*s || !*c) {
		kfree(*s);
		kfree(*c);
		return -ENOMEM;
	}
	if (device_add(&(*s)->dev) || device_add(&(*c)->dev))
		return -ENODEV;
	return 0;
}

/*
 * A managed link: the consumer waits for its supplier to bind, is unbound
 * before it, binds again after it; a cycle and bad flags are refused.
 */
static void test_device_link_order(struct ktest *t)
{
	struct lt_dev *s, *c;
	struct device_link *link;

	KTEST_ASSERT_EQ(t, lt_pair(&s, &c), 0);
	device_release_driver(&s->dev);
	device_release_driver(&c->dev);
	KTEST_EXPECT_NULL(t, device_link_add(&c->dev, &s->dev, 0x100));	/* bad flags */
	link = device_link_add(&c->dev, &s->dev, 0);
	KTEST_ASSERT_NOT_NULL(t, link);
	KTEST_EXPECT_NULL(t, device_link_add(&s->dev, &c->dev, 0));	/* cycle */
	KTEST_EXPECT_NULL(t, device_link_add(&s->dev, &s->dev, 0));
	/* No supplier bound: the consumer's probe is deferred. */
	KTEST_EXPECT_EQ(t, device_attach(&c->dev), -EPROBE_DEFER);
	KTEST_EXPECT_NULL(t, c->dev.driver);
	/* The supplier binds: the deferred consumer binds after it. */
	KTEST_EXPECT_EQ(t, device_attach(&s->dev), 1);
	KTEST_EXPECT_TRUE(t, c->dev.driver == &lt_drv);
	/*
	 * Unbinding the supplier unbinds the consumer first, which binds
	 * again after it; then deleting the supplier: consumer first again,
	 * and the link goes with its references.
	 */
	for (int round = 0; round < 2; round++) {
		trace_reset();
		if (round)
			device_unregister(&s->dev);
		else
			device_release_driver(&s->dev);
		KTEST_EXPECT_EQ(t, strcmp(trace, "c321s321"), 0);
		KTEST_EXPECT_NULL(t, c->dev.driver);
		if (!round)
			KTEST_EXPECT_EQ(t, device_attach(&s->dev), 1);
		KTEST_EXPECT_TRUE(t, round || c->dev.driver == &lt_drv);
	}
	KTEST_EXPECT_EQ(t, releases, 1);	/* the link's reference went too */
	device_unregister(&c->dev);
	KTEST_EXPECT_EQ(t, releases, 2);
}

/*
 * Unbinding a supplier unbinds its consumers while its own operations are
 * still open (a consumer's remove() may quiesce through them), and no
 * consumer probes again until the supplier is back.
 */
static void test_consumer_remove_reaches_supplier(struct ktest *t)
{
	struct lt_dev *s, *c;

	KTEST_ASSERT_EQ(t, lt_pair(&s, &c), 0);
	KTEST_ASSERT_NOT_NULL(t, device_link_add(&c->dev, &s->dev, 0));
	c->uses = &s->dev;
	unbind_expect(t, &s->dev, "c321s321");
	KTEST_EXPECT_NULL(t, c->dev.driver);
	KTEST_EXPECT_FALSE(t, s->dev.unbinding);
	KTEST_EXPECT_EQ(t, device_attach(&s->dev), 1);
	KTEST_EXPECT_TRUE(t, c->dev.driver == &lt_drv);	/* retried once s bound */
	c->uses = NULL;
	device_unregister(&c->dev);
	device_unregister(&s->dev);
	KTEST_EXPECT_EQ(t, releases, 2);
}

/*
 * A failed probe drops the auto-remove links its binding made, as an
 * unbind does; an auto-removed link another holder still references is
 * left to that holder's device_link_del().
 */
static void test_device_link_autoremove_refs(struct ktest *t)
{
	struct lt_dev *s, *c;
	struct device_link *link;

	KTEST_ASSERT_EQ(t, lt_pair(&s, &c), 0);
	device_release_driver(&c->dev);
	KTEST_ASSERT_NOT_NULL(t, device_link_add(&c->dev, &s->dev, DL_FLAG_AUTOREMOVE_CONSUMER));
	KTEST_EXPECT_EQ(t, atomic_read(&s->dev.refcount), 2);
	c->probe_err = -EIO;
	KTEST_EXPECT_EQ(t, device_attach(&c->dev), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&s->dev.refcount), 1);
	c->probe_err = 0;
	KTEST_EXPECT_EQ(t, device_attach(&c->dev), 1);

	/* Two holders: the unbind drops the core's, the driver's stays valid. */
	link = device_link_add(&c->dev, &s->dev, DL_FLAG_AUTOREMOVE_CONSUMER);
	KTEST_ASSERT_NOT_NULL(t, link);
	KTEST_EXPECT_TRUE(t, device_link_add(&c->dev, &s->dev, DL_FLAG_AUTOREMOVE_CONSUMER) == link);
	device_release_driver(&c->dev);
	KTEST_EXPECT_EQ(t, atomic_read(&s->dev.refcount), 2);
	KTEST_EXPECT_EQ(t, link->refcount, 1);
	device_link_del(link);
	KTEST_EXPECT_EQ(t, atomic_read(&s->dev.refcount), 1);
	/* device_link_remove() finds and drops under one lock. */
	KTEST_ASSERT_NOT_NULL(t, device_link_add(&c->dev, &s->dev, DL_FLAG_STATELESS));
	device_link_remove(&c->dev, &s->dev);
	KTEST_EXPECT_EQ(t, atomic_read(&s->dev.refcount), 1);
	device_unregister(&c->dev);
	device_unregister(&s->dev);
	KTEST_EXPECT_EQ(t, releases, 2);
}

/* DL_FLAG_AUTOREMOVE_CONSUMER: the link goes when the consumer unbinds. */
static void test_device_link_autoremove(struct ktest *t)
{
	struct lt_dev *s, *c;

	KTEST_ASSERT_EQ(t, lt_pair(&s, &c), 0);
	KTEST_ASSERT_NOT_NULL(t, device_link_add(&c->dev, &s->dev, DL_FLAG_AUTOREMOVE_CONSUMER));
	KTEST_EXPECT_EQ(t, atomic_read(&s->dev.refcount), 2);
	device_release_driver(&c->dev);
	KTEST_EXPECT_EQ(t, atomic_read(&s->dev.refcount), 1);
	/* No link: the supplier unbinds alone. */
	KTEST_EXPECT_EQ(t, device_attach(&c->dev), 1);
	trace_reset();
	device_release_driver(&s->dev);
	KTEST_EXPECT_EQ(t, strcmp(trace, "s321"), 0);
	KTEST_EXPECT_TRUE(t, c->dev.driver == &lt_drv);
	device_unregister(&c->dev);
	device_unregister(&s->dev);
	KTEST_EXPECT_EQ(t, releases, 2);
}

/* A driver that arms a timer and queues a work item and forgets both. */
struct leaky {
	struct timer_list timer;
	struct work_struct work;
	struct work_struct unbind_work;	/* unbinds its own device */
	struct device *dev;
};

static DECLARE_COMPLETION(self_unbound);

/* The unbind frees this work item's memory: it touches nothing after. */
static void leaky_unbind_fn(struct work_struct *work)
{
	struct leaky *l = container_of(work, struct leaky, unbind_work);

	device_release_driver(l->dev);
	complete(&self_unbound);
}

static void leaky_timer_fn(struct timer_list *timer)
{
}

static void leaky_work_fn(struct work_struct *work)
{
	msleep(200);
}

static int leaky_probe(struct device *dev)
{
	struct leaky *l = devm_kzalloc(dev, sizeof(*l), GFP_KERNEL);

	if (!l)
		return -ENOMEM;
	dev_set_drvdata(dev, l);
	l->dev = dev;
	INIT_WORK(&l->unbind_work, leaky_unbind_fn);
	timer_setup(&l->timer, leaky_timer_fn, 0);
	mod_timer(&l->timer, jiffies + 100 * HZ);
	INIT_WORK(&l->work, leaky_work_fn);
	schedule_work(&l->work);
	return 0;
}

static void leaky_remove(struct device *dev)
{
	struct leaky *l = dev_get_drvdata(dev);

	if (to_lt(dev)->tidy) {
		del_timer_sync(&l->timer);
		cancel_work_sync(&l->work);
	}
}

static struct device_driver lt_leaky_drv = {
	.name = "kt-leaky", .bus = &lt_bus, .probe = leaky_probe, .remove = leaky_remove,
};

/*
 * The core's debug check at unbind: the timer and the work item left in
 * the driver's managed memory are each reported once (WARN, naming the
 * driver) and undone before the memory is freed.
 */
static void test_unbind_reports_armed_timer_and_work(struct ktest *t)
{
	unsigned long before = device_unbind_leaks();
	struct lt_dev *d;

	/* Without the check the leaky driver's timer would outlive its memory. */
	if (!IS_ENABLED(CONFIG_DEBUG_DRIVER_UNBIND))
		KTEST_SKIP(t, "CONFIG_DEBUG_DRIVER_UNBIND=n");
	d = lt_new('l', NULL);
	KTEST_ASSERT_NOT_NULL(t, d);
	d->leaky = true;
	KTEST_ASSERT_EQ(t, driver_register(&lt_leaky_drv), 0);
	KTEST_ASSERT_EQ(t, device_add(&d->dev), 0);
	KTEST_EXPECT_TRUE(t, d->dev.driver == &lt_leaky_drv);
	device_release_driver(&d->dev);
	KTEST_EXPECT_EQ(t, device_unbind_leaks() - before, 2ul);
	/* A driver that cleans up is not reported. */
	d->tidy = true;
	KTEST_EXPECT_EQ(t, device_attach(&d->dev), 1);
	KTEST_EXPECT_TRUE(t, d->dev.driver == &lt_leaky_drv);
	before = device_unbind_leaks();
	device_unregister(&d->dev);
	driver_unregister(&lt_leaky_drv);
	KTEST_EXPECT_EQ(t, device_unbind_leaks(), before);
	KTEST_EXPECT_EQ(t, releases, 1);
}

/*
 * An unbind run by a work item in the driver's managed memory: the check
 * neither waits for nor reports the work it runs from (it used to loop).
 */
static void test_unbind_from_own_work(struct ktest *t)
{
	struct lt_dev *d = lt_new('w', NULL);
	unsigned long before = device_unbind_leaks();
	struct leaky *l;

	KTEST_ASSERT_NOT_NULL(t, d);
	d->leaky = true;
	d->tidy = true;
	reinit_completion(&self_unbound);
	KTEST_ASSERT_EQ(t, driver_register(&lt_leaky_drv), 0);
	KTEST_ASSERT_EQ(t, device_add(&d->dev), 0);
	KTEST_ASSERT_TRUE(t, d->dev.driver == &lt_leaky_drv);
	l = dev_get_drvdata(&d->dev);
	schedule_work(&l->unbind_work);
	KTEST_EXPECT_NE(t, wait_for_completion_timeout(&self_unbound, 10 * HZ), 0ul);
	KTEST_EXPECT_NULL(t, d->dev.driver);
	KTEST_EXPECT_EQ(t, device_unbind_leaks(), before);
	device_unregister(&d->dev);
	driver_unregister(&lt_leaky_drv);
	KTEST_EXPECT_EQ(t, releases, 1);
}

static struct ktest_case lifetime_cases[] = {
	KTEST_CASE(test_ref_held_across_unbind_and_del),
	KTEST_CASE(test_unbind_waits_for_ops),
	KTEST_CASE(test_del_unbinds_children_first),
	KTEST_CASE(test_parent_remove_unregisters_child),
	KTEST_CASE(test_device_link_order),
	KTEST_CASE(test_device_link_autoremove),
	KTEST_CASE(test_consumer_remove_reaches_supplier),
	KTEST_CASE(test_device_link_autoremove_refs),
	KTEST_CASE(test_unbind_reports_armed_timer_and_work),
	KTEST_CASE(test_unbind_from_own_work),
	{}
};

static struct ktest_suite lifetime_suite = {
	.name = "device_lifetime",
	.cases = lifetime_cases,
	.init = lt_init,
	.exit = lt_exit,
};
KTEST_SUITE(lifetime_suite);
