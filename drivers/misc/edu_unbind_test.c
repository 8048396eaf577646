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
 * (dev_enter()/dev_exit(), Documentation/driver-model.rst).  Also: the
 * release order of a binding's pcim_/devm_ resources.
 */
#include <exo/device.h>
#include <exo/edu.h>
#include <exo/errno.h>
#include <exo/interrupt.h>
#include <exo/ioport.h>
#include <exo/irq.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/pci.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/io.h>

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

/* --- devres order with pcim_/devm_ resources --------------------------------- */

/*
 * A test driver takes, in order: the enabled device (pcim), action a, the
 * BAR (pcim_iomap_regions), action b, an IRQ vector and its handler
 * (pci_alloc_irq_vectors, devm_request_irq), action c.  Unbinding must
 * release them newest first: c sees the IRQ and the BAR, b the BAR but no
 * IRQ, a neither (its region is free to request again).
 */
static struct {
	void __iomem *mmio;
	struct pci_dev *pdev;
	int irq;
	char trace[8];
	unsigned int len;
	bool c_ok, b_ok, a_ok;
} order;

static bool order_action(const struct irqaction *action, void *arg)
{
	return action->dev_id == &order;
}

/* Our handler, not just any: the INTx line may be shared with others. */
static bool irq_requested(int irq)
{
	char name[16];

	return irq_find_action(order_action, NULL, name, sizeof(name)) == irq;
}

static bool bar_mapped(void)
{
	return (readl(order.mmio) & 0xff) == 0xed;
}

static void order_c(void *data)
{
	order.trace[order.len++] = 'c';
	order.c_ok = irq_requested(order.irq) && bar_mapped();
}

static void order_b(void *data)
{
	order.trace[order.len++] = 'b';
	order.b_ok = !irq_requested(order.irq) && bar_mapped();
}

static void order_a(void *data)
{
	resource_size_t start = pci_resource_start(order.pdev, 0);
	resource_size_t len = pci_resource_len(order.pdev, 0);

	order.trace[order.len++] = 'a';
	order.a_ok = request_mem_region(start, len, "kt-order") != NULL;
	if (order.a_ok)
		release_mem_region(start, len);
}

static irqreturn_t order_irq(int irq, void *data)
{
	return IRQ_NONE;
}

static int order_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	int ret;

	order.pdev = pdev;
	ret = pcim_enable_device(pdev);
	if (!ret)
		ret = devm_add_action(dev, order_a, NULL);
	if (!ret)
		ret = pcim_iomap_regions(pdev, 1 << 0, "kt-order");
	if (ret)
		return ret;
	order.mmio = pcim_iomap_table(pdev)[0];
	ret = devm_add_action(dev, order_b, NULL);
	if (!ret)
		ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_LEGACY);
	if (ret < 0)
		return ret;
	order.irq = pci_irq_vector(pdev, 0);
	ret = devm_request_irq(dev, order.irq, order_irq, IRQF_SHARED, "kt-order", &order);
	if (!ret)
		ret = devm_add_action(dev, order_c, NULL);
	return ret;
}

static const struct pci_device_id order_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};

static struct pci_driver order_driver = {
	.name = "kt-devres-order",
	.id_table = order_ids,
	.probe = order_probe,
};

void edu_test_devres_order(struct ktest *t, struct pci_dev *p)
{
	struct device *dev = &p->dev;
	int ret;

	memset(&order, 0, sizeof(order));
	device_release_driver(dev);
	KTEST_ASSERT_TRUE(t, dev->driver == NULL);
	ret = pci_register_driver(&order_driver);
	if (!ret && dev->driver != &order_driver.driver)
		ret = -ENODEV;
	if (!ret) {
		KTEST_EXPECT_TRUE(t, irq_requested(order.irq));
		device_release_driver(dev);
		KTEST_EXPECT_EQ(t, strcmp(order.trace, "cba"), 0);
		KTEST_EXPECT_TRUE(t, order.c_ok);
		KTEST_EXPECT_TRUE(t, order.b_ok);
		KTEST_EXPECT_TRUE(t, order.a_ok);
		KTEST_EXPECT_EQ(t, devres_count(dev), 0u);
	} else {
		ktest_fail(t, __FILE__, __LINE__, "test driver did not bind: %d", ret);
	}
	if (!ret || ret == -ENODEV)
		pci_unregister_driver(&order_driver);
	KTEST_EXPECT_EQ(t, device_attach(dev), 1);
}
