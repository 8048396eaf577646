/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the driver core shared by the files of drivers/base: the
 * operations fence of a binding and the unbind checks (lifetime.c), and
 * device links (devlink.c).
 *
 * Lock order: device_lock(parent) -> device_lock(child) -> dm_mutex
 * (core.c) -> device_links_lock (devlink.c).  A supplier's lock and its
 * consumers' are never held together: consumers are unbound with the
 * supplier unlocked, as in Linux.
 */
#ifndef _DRIVERS_BASE_BASE_H
#define _DRIVERS_BASE_BASE_H

#include <exo/list.h>
#include <exo/types.h>

struct device;
struct device_driver;

/* core.c: dm_mutex, for the device tree and the device lists. */
void dm_lock(void);
void dm_unlock(void);
/* Every registered bus, and the devices on none (dm_mutex). */
extern struct list_head bus_list;
extern struct list_head busless_devices;
/* The device named @name on @head, a bus's list or busless_devices (dm_mutex). */
struct device *__find_by_name(struct list_head *head, const char *name);
/* Unbind @dev, which the caller has locked (device_lock()). */
void __device_release_driver(struct device *dev);
/* Put unbound, registered @dev on the deferred list: retried on the next bind. */
void driver_deferred_probe_add(struct device *dev);

/* lifetime.c */

/*
 * Wait until no caller is inside dev_enter()/dev_exit() of @dev, whose
 * dev->live is already false (logged every 5 s while it waits).
 */
void dev_drain(struct device *dev);

/*
 * Debug checks of a binding's end (Documentation/driver-model.rst): warn
 * (naming the driver) about, and undo, an IRQ action, an armed timer or a
 * pending work item left by the driver, in the managed block [@p, @p +
 * @size) about to be freed, or (device_unbind_checks(), after the devres)
 * an IRQ with @dev or @drvdata as dev_id.  Thread context.  Nothing
 * without CONFIG_DEBUG_DRIVER_UNBIND.
 */
void devres_check_block(struct device *dev, const void *p, size_t size);
void device_unbind_checks(struct device *dev, const void *drvdata);
/* How many leaks the checks found since boot (tests). */
unsigned long device_unbind_leaks(void);
/* devres.c: devres_release_all() with devres_check_block() on each block. */
void devres_release_driver(struct device *dev);

/* devlink.c */

/* All managed suppliers of @dev are bound and live (dm_mutex held). */
bool device_links_suppliers_ready(struct device *dev);
/* Some consumer of @dev (managed link) is bound. */
bool device_links_busy(struct device *dev);
/* Unbind every bound consumer of @dev (managed links); @dev unlocked. */
void device_links_unbind_consumers(struct device *dev);
/* @dev's driver is gone: drop its DL_FLAG_AUTOREMOVE_* links. */
void device_links_driver_unbound(struct device *dev);
/* @dev leaves the device model: drop all its links. */
void device_links_purge(struct device *dev);

#endif /* _DRIVERS_BASE_BASE_H */
