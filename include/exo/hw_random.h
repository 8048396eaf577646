/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hardware random number generators, as in Linux's hw_random: a driver
 * registers a struct hwrng; the first one registered (or the best by
 * @quality) is the current source, which hwrng_read() and the `hwrng N`
 * shell command read.  Reads are serialised; unregistering waits until
 * no read uses the source.
 */
#ifndef _EXO_HW_RANDOM_H
#define _EXO_HW_RANDOM_H

#include <exo/list.h>
#include <exo/types.h>

struct device;

/**
 * struct hwrng - a random number source
 * @name: unique, for messages and listing
 * @init: optional; called when it becomes the current source; 0 or -errno
 * @cleanup: optional; called when it stops being current
 * @read: copy up to @max bytes into @data; may sleep if @wait; return the
 *	bytes read (0 if none ready and !@wait) or -errno
 * @priv: the driver's
 * @quality: estimated entropy per 1024 bits (0: unknown); higher wins
 */
struct hwrng {
	const char *name;
	int (*init)(struct hwrng *rng);
	void (*cleanup)(struct hwrng *rng);
	int (*read)(struct hwrng *rng, void *data, size_t max, bool wait);
	unsigned long priv;
	unsigned short quality;

	/* Private to the core. */
	struct list_head list;
	bool initialised;
};

/**
 * hwrng_register() - add @rng; it becomes current if it has the best quality
 * Context: may sleep.
 * Return: 0; -EINVAL no name or read; -EEXIST a source of that name
 * exists; or @rng->init()'s error.
 */
int hwrng_register(struct hwrng *rng);

/**
 * hwrng_unregister() - remove @rng, after any read in progress; the best
 * remaining source becomes current
 * Context: may sleep.
 */
void hwrng_unregister(struct hwrng *rng);

/**
 * devm_hwrng_register() - hwrng_register(), undone when @dev unbinds
 * Return: as hwrng_register(), or -ENOMEM.
 */
int devm_hwrng_register(struct device *dev, struct hwrng *rng);

/**
 * hwrng_read() - fill @buf with @len random bytes from the current source
 * @buf: destination
 * @len: bytes wanted
 *
 * Waits for the source as needed.
 * Context: may sleep.
 * Return: @len; -ENODEV no source; -EINVAL @len is 0; or the source's
 * error (-ETIMEDOUT, -EIO), with what was read so far discarded.
 */
ssize_t hwrng_read(void *buf, size_t len);

/**
 * hwrng_current_name() - copy the current source's name into @buf
 * Return: 0, or -ENODEV when there is none.
 */
int hwrng_current_name(char *buf, size_t size);

#endif /* _EXO_HW_RANDOM_H */
