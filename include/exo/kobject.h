/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Uevents, as Linux's <linux/kobject.h>: the device core announces each
 * device's add, remove, bind and unbind with an environment of
 * "KEY=value" strings (ACTION, DEVPATH, SUBSYSTEM, SEQNUM, DRIVER and
 * whatever the bus's uevent() callback adds with add_uevent_var(), such
 * as MODALIAS).  There are no kobjects and no user space here: the events
 * go to kernel listeners registered with uevent_listener_register(), one
 * of which is the module autoloader (drivers/base/modalias.c).  See
 * Documentation/hotplug.rst.
 */
#ifndef _EXO_KOBJECT_H
#define _EXO_KOBJECT_H

#include <exo/compiler.h>
#include <exo/list.h>
#include <exo/types.h>

struct device;

#define UEVENT_NUM_ENVP		16
#define UEVENT_BUFFER_SIZE	512

struct kobj_uevent_env {
	char *envp[UEVENT_NUM_ENVP];
	int envp_idx;
	char buf[UEVENT_BUFFER_SIZE];
	int buflen;
};

/**
 * add_uevent_var() - append a "KEY=value" string to @env
 * @env: the environment
 * @format: printf format of the whole string
 *
 * Return: 0, or -ENOMEM when @env has no room (logged).
 */
__printf(2, 3) int add_uevent_var(struct kobj_uevent_env *env, const char *format, ...);

/* What happened to the device, as Linux's enum kobject_action. */
enum kobject_action {
	KOBJ_ADD,
	KOBJ_REMOVE,
	KOBJ_CHANGE,
	KOBJ_MOVE,
	KOBJ_ONLINE,
	KOBJ_OFFLINE,
	KOBJ_BIND,
	KOBJ_UNBIND,
	KOBJ_MAX
};

/**
 * struct uevent_listener - a kernel consumer of uevents
 * @name: for messages
 * @event: called for every event, in SEQNUM order, from the thread that
 *	caused it (see device_uevent_env() for what it may do)
 * @node: private to drivers/base/uevent.c
 */
struct uevent_listener {
	const char *name;
	void (*event)(struct uevent_listener *l, struct device *dev,
		      enum kobject_action action, const struct kobj_uevent_env *env);
	struct list_head node;
};

/**
 * kobject_action_name() - "add", "remove", "bind"... for @action
 * @action: the action
 * Return: the name, or "?" for a value out of range.
 */
const char *kobject_action_name(enum kobject_action action);

/**
 * uevent_listener_register() - deliver every later uevent to @l
 * @l: the listener, with @l->event set
 * Context: thread, may sleep.
 * Return: 0; -EINVAL no event callback; -EEXIST already registered.
 */
int uevent_listener_register(struct uevent_listener *l);

/**
 * uevent_listener_unregister() - stop delivering to @l
 * @l: a registered listener
 *
 * Waits for a delivery to @l in progress: once it returns, @l->event
 * never runs again and @l may be freed.
 * Context: thread, may sleep; not from a listener's callback.
 */
void uevent_listener_unregister(struct uevent_listener *l);

/**
 * device_uevent_env() - announce @action on @dev with extra variables
 * @dev: the device
 * @action: what happened
 * @envp_ext: NULL, or a NULL-terminated array of "KEY=value" strings
 *	added after the core's and the bus's variables
 *
 * Linux's kobject_uevent_env() on &dev->kobj.  The environment holds
 * ACTION, DEVPATH (/devices/<parent...>/<name>), SUBSYSTEM (the bus's
 * name, else the class's), MAJOR, MINOR, DEVNAME (the /dev node's name)
 * and, if its class set the node's mode, DEVMODE (for a device whose
 * MAJOR(devt) is not 0), DRIVER (when bound, and on bind/unbind), the
 * bus's uevent() variables, @envp_ext and SEQNUM.  As in Linux, a device
 * with neither bus nor class has no subsystem and its events are
 * dropped, as are those of a device under dev_set_uevent_suppress().
 * Each listener's callback runs in this thread under the listeners'
 * mutex, which may be called with device locks, the device core's mutex
 * or a subsystem's lock held (misc's misc_mtx, a disk's open_mutex): a
 * callback must not emit uevents, register listeners, take device locks
 * or subsystem locks, open the device's node, or add, remove or bind
 * devices; work that does goes to a workqueue.
 * With the boot parameter uevent.debug=1 each event is also logged at
 * KERN_DEBUG (dmesg shows it).
 * Context: thread, may sleep.
 * Return: 0 (also when dropped); -ENOMEM; or the bus uevent()'s error
 * (logged; nothing is delivered).
 */
int device_uevent_env(struct device *dev, enum kobject_action action, char *envp_ext[]);

/**
 * device_uevent() - device_uevent_env() without extra variables
 * @dev: the device
 * @action: what happened
 * Return: as device_uevent_env().
 */
int device_uevent(struct device *dev, enum kobject_action action);

/**
 * uevent_get_var() - the value of @key in @env
 * @env: an environment
 * @key: the key, without '='
 * Return: the text after "KEY=", or NULL when @env has no such key.
 */
const char *uevent_get_var(const struct kobj_uevent_env *env, const char *key);

/**
 * uevent_seqnum() - the SEQNUM of the last event sent (0: none yet)
 */
u64 uevent_seqnum(void);

#endif /* _EXO_KOBJECT_H */
