/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the driver core shared by the files of drivers/base: the operations
 * fence of a binding (lifetime.c) and device links (devlink.c).
 *
 * Lock order: device_lock(supplier or parent) -> device_lock(consumer or
 * child) -> dm_mutex (core.c) -> device_links_lock (devlink.c).  Consumers
 * are unbound with the supplier unlocked, as in Linux.
 */
#ifndef _DRIVERS_BASE_BASE_H
#define _DRIVERS_BASE_BASE_H

#include <exo/types.h>

struct device;
struct device_driver;

/* core.c: dm_mutex, for the device tree and the device lists. */
void dm_lock(void);
void dm_unlock(void);
/* Put unbound, registered @dev on the deferred list: retried on the next bind. */
void driver_deferred_probe_add(struct device *dev);

/* lifetime.c */

/*
 * Wait until no caller is inside dev_enter()/dev_exit() of @dev, whose
 * dev->live is already false (logged every 5 s while it waits).
 */
void dev_drain(struct device *dev);

/*
 * Debug checks after a driver's remove() and devres: warn (naming the
 * driver) about an IRQ still requested with @dev, its driver data
 * (@drvdata) or its managed memory as dev_id, and about timers and work
 * items still armed inside that memory.  @ranges/@nr: the managed memory
 * blocks as they were before the devres release (devres_snapshot()).
 */
struct devres_range {
	unsigned long start, end;
};
unsigned int devres_snapshot(struct device *dev, struct devres_range *r, unsigned int max);
void device_unbind_checks(struct device *dev, const char *drv_name, const void *drvdata,
			  const struct devres_range *r, unsigned int nr);

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
