// SPDX-License-Identifier: GPL-2.0
/*
 * The unbind-while-in-use regression test of the edu driver (issue 19):
 * threads on other CPUs call ops->factorial() in a loop, holding only a
 * reference on the device (get_device()) and on the driver's module
 * (try_module_get()), never the device lock, while the shell's
 * `unbind pci <dev>` and the driver core's device_release_driver() run.
 * Every call must return the right factorial or -ENODEV: none may fault
 * on the unmapped BAR or the freed driver data, none may hang, and once
 * the unbind has returned no call may succeed until the device is bound
 * again.  The driver core fences the driver's operations
 * (dev_enter()/dev_exit(), Documentation/driver-model.rst).
 */
#include <exo/device.h>
#include <exo/edu.h>
#include <exo/errno.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/pci.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>

#include "edu_test.h"

#define HAMMERS		2
#define CYCLES		20

struct hammer {
	struct device *dev;
	const struct edu_ops *ops;
	unsigned long ok, enodev, wrong;
	int last_err;
	struct task_struct *task;
};

static int hammer_fn(void *arg)
{
	struct hammer *h = arg;
	u32 r;

	while (!kthread_should_stop()) {
		int ret = h->ops->factorial(h->dev, 10, &r);

		if (!ret && r == 3628800u) {
			WRITE_ONCE(h->ok, h->ok + 1);
		} else if (ret == -ENODEV) {
			WRITE_ONCE(h->enodev, h->enodev + 1);
			msleep(1);
		} else {
			WRITE_ONCE(h->last_err, ret);
			WRITE_ONCE(h->wrong, h->wrong + 1);
		}
	}
	return 0;
}

static unsigned long hammers_ok(struct hammer *h)
{
	unsigned long n = 0;

	for (int i = 0; i < HAMMERS; i++)
		n += READ_ONCE(h[i].ok);
	return n;
}

/* Wait (bounded) until the hammers have done @more successful calls. */
static bool hammers_progress(struct hammer *h, unsigned long more)
{
	unsigned long from = hammers_ok(h);

	for (int ms = 0; ms < 10000; ms += 2) {
		if (hammers_ok(h) >= from + more)
			return true;
		msleep(2);
	}
	return false;
}

/* Unbind by the shell's command (odd @i) or the core's call (even). */
static int edu_unbind(struct device *dev, int i)
{
	char cmd[64];

	if (i % 2) {
		snprintf(cmd, sizeof(cmd), "unbind pci %s", dev_name(dev));
		return shell_run_command(cmd);
	}
	device_release_driver(dev);
	return dev->driver ? -EBUSY : 0;
}

static void unbind_cycles(struct ktest *t, struct device *dev, struct hammer *h)
{
	for (int i = 0; i < CYCLES; i++) {
		unsigned long ok;
		int ret;

		if (!hammers_progress(h, 3)) {
			ktest_fail(t, __FILE__, __LINE__, "cycle %d: no factorial done in 10 s", i);
			return;
		}
		/* No ASSERT here: the threads use @h, which must outlive them. */
		ret = edu_unbind(dev, i);
		if (ret || dev->driver) {
			ktest_fail(t, __FILE__, __LINE__, "cycle %d: unbind: %d", i, ret);
			return;
		}
		/* Unbound: nothing succeeds, every call fails at once. */
		ok = hammers_ok(h);
		msleep(20);
		KTEST_EXPECT_EQ(t, hammers_ok(h), ok);
		ret = device_attach(dev);
		if (ret != 1) {
			ktest_fail(t, __FILE__, __LINE__, "cycle %d: bind again: %d", i, ret);
			return;
		}
	}
}

void edu_test_unbind_during_ops(struct ktest *t, struct pci_dev *p)
{
	struct device *dev = &p->dev;
	struct hammer h[HAMMERS];
	struct module *owner;
	unsigned long enodev = 0;

	/* The operations table and the module it lives in, as a user takes them. */
	device_lock(dev);
	if (!dev->driver || strcmp(dev->driver->name, "edu")) {
		device_unlock(dev);
		KTEST_SKIP(t, "edu is not bound");
	}
	owner = dev->driver->owner;
	if (!try_module_get(owner)) {
		device_unlock(dev);
		KTEST_SKIP(t, "edu.ko is going away");
	}
	memset(h, 0, sizeof(h));
	for (int i = 0; i < HAMMERS; i++) {
		h[i].dev = get_device(dev);
		h[i].ops = ((struct edu_drvdata *)dev_get_drvdata(dev))->ops;
	}
	device_unlock(dev);

	for (int i = 0; i < HAMMERS; i++) {
		h[i].task = kthread_create(hammer_fn, &h[i], "kt-edu-fact%d", i);
		if (h[i].task) {
			kthread_bind(h[i].task, (i + 1) % num_online_cpus());
			wake_up_process(h[i].task);
		} else {
			ktest_fail(t, __FILE__, __LINE__, "no thread %d", i);
		}
	}
	if (h[0].task && h[1].task) {
		unbind_cycles(t, dev, h);
		/* Bound again: the same user's calls succeed again. */
		KTEST_EXPECT_TRUE(t, hammers_progress(h, 3));
	}
	for (int i = 0; i < HAMMERS; i++) {
		if (h[i].task)
			kthread_stop(h[i].task);
		KTEST_EXPECT_EQ(t, h[i].wrong, 0ul);
		if (h[i].wrong)
			ktest_log(t, "thread %d: %lu calls failed, last with %d", i, h[i].wrong,
				  h[i].last_err);
		enodev += h[i].enodev;
		put_device(h[i].dev);
	}
	module_put(owner);
	KTEST_EXPECT_GT(t, enodev, 0ul);
	ktest_log(t, "%d unbinds under %d threads: %lu factorials, %lu -ENODEV", CYCLES,
		  HAMMERS, hammers_ok(h), enodev);
	if (!dev->driver)
		device_attach(dev);
}
