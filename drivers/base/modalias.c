// SPDX-License-Identifier: GPL-2.0
/*
 * Driver autoload by modalias, the in-kernel stand-in for udev's
 * "MODALIAS=... -> modprobe": a uevent listener (drivers/base/uevent.c)
 * that, on each "add" event with a MODALIAS (pci:v...d...sv...sd...bc...
 * sc...i..., virtio:d...v...), has request_module() load the modules
 * whose modules.alias pattern matches, dependencies first, if the device
 * is still without a driver once its probe is over.  A loaded driver
 * registers and binds the device.
 *
 * request_module() takes module_mutex, and device_add() (which sends the
 * event) can run inside a module's init (a driver that adds a child
 * device), so the request is made from a workqueue, never from the
 * listener itself.  Requests wait
 * for autoload_start(), which the module code calls once the boot
 * modules are in (kernel/module.c), and which requests every device added
 * before it with no driver (coldplug).
 */
#define pr_fmt(fmt) "modalias: " fmt

#include <exo/device.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kmod.h>
#include <exo/kobject.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/workqueue.h>

static bool autoload_on;
static atomic_t autoload_pending = ATOMIC_INIT(0);

int device_modalias(struct device *dev, char *buf, size_t size)
{
	struct kobj_uevent_env *env;
	int ret = -ENOENT;

	if (!dev->bus || !dev->bus->uevent)
		return -ENOENT;
	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	if (!dev->bus->uevent(dev, env)) {
		for (int i = 0; i < env->envp_idx; i++) {
			if (strncmp(env->envp[i], "MODALIAS=", 9))
				continue;
			ret = strlcpy(buf, env->envp[i] + 9, size) < size ? 0 : -E2BIG;
			break;
		}
	}
	kfree(env);
	return ret;
}
EXPORT_SYMBOL_GPL(device_modalias);

struct autoload_work {
	struct work_struct work;
	struct device *dev;
};

static void autoload_fn(struct work_struct *work)
{
	struct autoload_work *aw = container_of(work, struct autoload_work, work);
	struct device *dev = aw->dev;
	char alias[128];
	bool unbound;
	int ret;

	device_lock(dev);
	unbound = dev->registered && !dev->driver;
	device_unlock(dev);
	if (unbound && !device_modalias(dev, alias, sizeof(alias))) {
		ret = request_module("%s", alias);
		if (ret && ret != -ENOENT)
			pr_err("%s: loading the module for %s failed: %s\n", dev->name, alias,
			       errname(ret));
		else if (!ret)
			pr_info("%s: loaded the module for %s\n", dev->name, alias);
	}
	put_device(dev);
	kfree(aw);
	atomic_dec(&autoload_pending);
}

void device_request_module(struct device *dev)
{
	struct autoload_work *aw;

	if (!READ_ONCE(autoload_on) || !dev->bus || !dev->bus->uevent)
		return;
	aw = kmalloc(sizeof(*aw), GFP_KERNEL);
	if (!aw) {
		pr_err("%s: no memory to request its module\n", dev->name);
		return;
	}
	INIT_WORK(&aw->work, autoload_fn);
	aw->dev = get_device(dev);
	atomic_inc(&autoload_pending);
	queue_work(system_unbound_wq, &aw->work);
}
EXPORT_SYMBOL_GPL(device_request_module);

bool device_autoload_idle(void)
{
	return !atomic_read(&autoload_pending);
}

void wait_for_device_probe(void)
{
	for (unsigned int ms = 0; !device_autoload_idle(); ms += 10) {
		if (ms >= 30000) {
			pr_warn("autoload: %d module requests still pending after 30 s\n",
				atomic_read(&autoload_pending));
			return;
		}
		msleep(10);
	}
}
EXPORT_SYMBOL_GPL(wait_for_device_probe);

/* "add" with a MODALIAS: the device may need a module (checked later, unlocked). */
static void autoload_event(struct uevent_listener *l, struct device *dev,
			   enum kobject_action action, const struct kobj_uevent_env *env)
{
	if (action == KOBJ_ADD && uevent_get_var(env, "MODALIAS"))
		device_request_module(dev);
}

static struct uevent_listener autoload_listener = {
	.name = "modalias-autoload",
	.event = autoload_event,
};

static int __init autoload_listener_init(void)
{
	return uevent_listener_register(&autoload_listener);
}
core_initcall(autoload_listener_init);

static int coldplug_dev(struct device *dev, void *data)
{
	if (!dev->driver)
		device_request_module(dev);
	return 0;
}

void autoload_start(void)
{
	WRITE_ONCE(autoload_on, true);
	bus_for_each_uevent_bus(coldplug_dev, NULL);
}
