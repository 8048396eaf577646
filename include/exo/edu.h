/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Operations of the QEMU "edu" PCI device driver (drivers/misc/edu.c),
 * reachable by any code, built in or a module, through the bound device's
 * driver data: the first member of the driver data is a pointer to this
 * table.  This is how the built-in test drives a driver that may be a
 * module.
 */
#ifndef _EXO_EDU_H
#define _EXO_EDU_H

#include <exo/types.h>

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
/*
 * The device's buffer is 4096 bytes, but QEMU 7.2's range check rejects a
 * transfer ending exactly at its end (and stops the emulator with a
 * "hardware error"), so one byte less is the largest safe transfer.
 */
#define EDU_DMA_SIZE	4095

struct device;

struct edu_ops {
	/* Identification register (0x010000ed for version 1.0). */
	u32 (*ident)(struct device *dev);
	/* Liveness register: returns ~@v. */
	u32 (*liveness)(struct device *dev, u32 v);
	/* n! modulo 2^32 by the device; -ETIMEDOUT if it never finishes. */
	int (*factorial)(struct device *dev, u32 n, u32 *result);
	/*
	 * Copy @len bytes (<= EDU_DMA_SIZE) of @src into the device's buffer
	 * by DMA, then back out into @dst by DMA.  -EINVAL bad length,
	 * -ETIMEDOUT, -ENOMEM.
	 */
	int (*dma_roundtrip)(struct device *dev, const void *src, void *dst, size_t len);
};

struct edu_drvdata {
	const struct edu_ops *ops;
};

#endif /* _EXO_EDU_H */
