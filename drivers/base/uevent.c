// SPDX-License-Identifier: GPL-2.0
/*
 * Uevents (<exo/kobject.h>), Linux's lib/kobject_uevent.c without netlink
 * or a user-mode helper: the device core calls device_uevent() on add,
 * remove, bind and unbind; the environment is built here and handed to
 * every registered kernel listener.  The module autoloader is one
 * (drivers/base/modalias.c): it loads the module for MODALIAS on "add".
 * As Linux's dev_uevent_filter(), a device sends events if it has a bus
 * or a class.  device_create(), bdev_add() (disks, partitions) and
 * cdev_device_add() of a bus-less device send "add" once the /dev node
 * they make exists (device_uevent_add_deferred()); device_add() makes
 * no node, so any other device sends "add" from device_add().
 *
 * Delivery is synchronous and serialised by uevent_mutex, which also
 * assigns SEQNUM: every listener sees every event once, in SEQNUM order,
 * and unregistering a listener waits for a delivery in progress.  The
 * emitter may hold device locks (bind and unbind events come from under
 * device_lock()) or the device core's mutex (add), hence the listener
 * rules in device_uevent_env().
 */
#define pr_fmt(fmt) "uevent: " fmt

#include <exo/device.h>
#include <exo/device/class.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/fs.h>
#include <exo/kobject.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "uevent."

static bool uevent_debug;
module_param_named(debug, uevent_debug, bool, 0644);
MODULE_PARM_DESC(debug, "log every uevent at KERN_DEBUG (dmesg shows it)");

static DEFINE_MUTEX(uevent_mutex);
static LIST_HEAD(uevent_listeners);
static u64 uevent_seq;

static const char *const kobject_actions[KOBJ_MAX] = {
	[KOBJ_ADD] = "add",		[KOBJ_REMOVE] = "remove",
	[KOBJ_CHANGE] = "change",	[KOBJ_MOVE] = "move",
	[KOBJ_ONLINE] = "online",	[KOBJ_OFFLINE] = "offline",
	[KOBJ_BIND] = "bind",		[KOBJ_UNBIND] = "unbind",
};

const char *kobject_action_name(enum kobject_action action)
{
	return (unsigned int)action < KOBJ_MAX ? kobject_actions[action] : "?";
}
EXPORT_SYMBOL_GPL(kobject_action_name);

int add_uevent_var(struct kobj_uevent_env *env, const char *format, ...)
{
	va_list ap;
	int len;

	if (env->envp_idx >= UEVENT_NUM_ENVP) {
		pr_err("add_uevent_var: too many keys\n");
		return -ENOMEM;
	}
	va_start(ap, format);
	len = vsnprintf(env->buf + env->buflen, sizeof(env->buf) - env->buflen, format, ap);
	va_end(ap);
	if (len < 0 || len >= (int)sizeof(env->buf) - env->buflen) {
		pr_err("add_uevent_var: buffer size too small\n");
		return -ENOMEM;
	}
	env->envp[env->envp_idx++] = &env->buf[env->buflen];
	env->buflen += len + 1;
	return 0;
}
EXPORT_SYMBOL_GPL(add_uevent_var);

const char *uevent_get_var(const struct kobj_uevent_env *env, const char *key)
{
	size_t n = strlen(key);

	for (int i = 0; i < env->envp_idx; i++)
		if (!strncmp(env->envp[i], key, n) && env->envp[i][n] == '=')
			return env->envp[i] + n + 1;
	return NULL;
}
EXPORT_SYMBOL_GPL(uevent_get_var);

int uevent_listener_register(struct uevent_listener *l)
{
	struct uevent_listener *it;
	int ret = 0;

	if (!l->event) {
		pr_err("listener %s has no event callback\n", l->name ? l->name : "?");
		return -EINVAL;
	}
	mutex_lock(&uevent_mutex);
	list_for_each_entry(it, &uevent_listeners, node)
		if (it == l)
			ret = -EEXIST;
	if (!ret)
		list_add_tail(&l->node, &uevent_listeners);
	mutex_unlock(&uevent_mutex);
	if (ret)
		pr_err("listener %s is already registered\n", l->name ? l->name : "?");
	return ret;
}
EXPORT_SYMBOL_GPL(uevent_listener_register);

void uevent_listener_unregister(struct uevent_listener *l)
{
	mutex_lock(&uevent_mutex);
	list_del_init(&l->node);
	mutex_unlock(&uevent_mutex);
}
EXPORT_SYMBOL_GPL(uevent_listener_unregister);

u64 uevent_seqnum(void)
{
	u64 seq;

	mutex_lock(&uevent_mutex);
	seq = uevent_seq;
	mutex_unlock(&uevent_mutex);
	return seq;
}
EXPORT_SYMBOL_GPL(uevent_seqnum);

/*
 * "DEVPATH=/devices/<root>/.../<name>": the device's ancestors, outermost
 * first, as sysfs lays them out.  A tree deeper than the buffer is
 * refused (-ENOMEM, logged by add_uevent_var's caller).
 */
static int add_devpath(struct kobj_uevent_env *env, const struct device *dev)
{
	const struct device *chain[16];
	char path[UEVENT_BUFFER_SIZE / 2];
	unsigned int n = 0;
	size_t len = 0;

	for (; dev && n < ARRAY_SIZE(chain); dev = dev->parent)
		chain[n++] = dev;
	if (dev) {
		pr_err("device tree deeper than %zu: no DEVPATH\n", ARRAY_SIZE(chain));
		return -ENOMEM;
	}
	len = strlcpy(path, "/devices", sizeof(path));
	while (n-- && len < sizeof(path))
		len += snprintf(path + len, sizeof(path) - len, "/%s", dev_name(chain[n]));
	if (len >= sizeof(path))
		return -ENOMEM;
	return add_uevent_var(env, "DEVPATH=%s", path);
}

/*
 * A device with a number: MAJOR, MINOR and DEVNAME (the node's name under
 * /dev), and DEVMODE if its class chose the node's mode, as Linux's
 * dev_uevent().
 */
static int add_devnode(struct kobj_uevent_env *env, const struct device *dev)
{
	umode_t mode = 0;
	const char *name;
	int ret;

	ret = add_uevent_var(env, "MAJOR=%u", MAJOR(dev->devt));
	if (!ret)
		ret = add_uevent_var(env, "MINOR=%u", MINOR(dev->devt));
	name = device_get_devnode(dev, &mode);
	if (!ret)
		ret = add_uevent_var(env, "DEVNAME=%s", name);
	if (!ret && mode)
		ret = add_uevent_var(env, "DEVMODE=%#o", mode & 0777);
	return ret;
}

/* The core's variables, then the bus's, then @envp_ext. */
static int fill_env(struct kobj_uevent_env *env, struct device *dev,
		    enum kobject_action action, char *envp_ext[])
{
	int ret;

	ret = add_uevent_var(env, "ACTION=%s", kobject_action_name(action));
	if (!ret)
		ret = add_devpath(env, dev);
	/* As Linux's dev_uevent_name(): the bus, else the class. */
	if (!ret)
		ret = add_uevent_var(env, "SUBSYSTEM=%s",
				     dev->bus ? dev->bus->name : dev->class->name);
	if (!ret && MAJOR(dev->devt))
		ret = add_devnode(env, dev);
	/*
	 * dev->driver is stable: bind and unbind are sent under
	 * device_lock(dev), add before any probe can start (under the
	 * device core's mutex) and remove after the driver is gone.
	 */
	if (!ret && dev->driver)
		ret = add_uevent_var(env, "DRIVER=%s", dev->driver->name);
	if (!ret && dev->bus && dev->bus->uevent) {
		ret = dev->bus->uevent(dev, env);
		if (ret)
			pr_err("%s: bus %s uevent() failed: %s\n", dev_name(dev), dev->bus->name,
			       errname(ret));
	}
	for (unsigned int i = 0; !ret && envp_ext && envp_ext[i]; i++)
		ret = add_uevent_var(env, "%s", envp_ext[i]);
	return ret;
}

/* One line, so that other CPUs' messages cannot split it. */
static void uevent_log(const struct kobj_uevent_env *env)
{
	char line[UEVENT_BUFFER_SIZE];

	memcpy(line, env->buf, env->buflen);
	for (int i = 0; i < env->buflen - 1; i++)
		if (!line[i])
			line[i] = ' ';
	line[env->buflen ? env->buflen - 1 : 0] = 0;
	printk(KERN_DEBUG "uevent: %s\n", line);
}

int device_uevent_env(struct device *dev, enum kobject_action action, char *envp_ext[])
{
	struct kobj_uevent_env *env;
	struct uevent_listener *l;
	int ret;

	if ((unsigned int)action >= KOBJ_MAX) {
		pr_err("%s: unknown action %d\n", dev_name(dev), action);
		return -EINVAL;
	}
	/*
	 * As Linux: no subsystem (neither bus nor class), no event; none
	 * while the device's owner holds them back.
	 */
	if ((!dev->bus && !dev->class) || READ_ONCE(dev->uevent_suppress))
		return 0;
	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env) {
		pr_err("%s: no memory for the %s event\n", dev_name(dev),
		       kobject_action_name(action));
		return -ENOMEM;
	}
	ret = fill_env(env, dev, action, envp_ext);
	mutex_lock(&uevent_mutex);
	if (!ret)
		ret = add_uevent_var(env, "SEQNUM=%llu", (unsigned long long)uevent_seq + 1);
	if (!ret) {
		uevent_seq++;
		if (READ_ONCE(uevent_debug))
			uevent_log(env);
		list_for_each_entry(l, &uevent_listeners, node)
			l->event(l, dev, action, env);
	}
	mutex_unlock(&uevent_mutex);
	kfree(env);
	return ret;
}
EXPORT_SYMBOL_GPL(device_uevent_env);

int device_uevent(struct device *dev, enum kobject_action action)
{
	return device_uevent_env(dev, action, NULL);
}
EXPORT_SYMBOL_GPL(device_uevent);
