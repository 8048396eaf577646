/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Operations of the QEMU "edu" PCI device driver (drivers/misc/edu.c),
 * reachable by any code, built in or a module, through the bound device's
 * driver data: the first member of the driver data is a pointer to this
 * table.  This is how the built-in test drives a driver that may be a
 * module.  A caller reads the table under device_lock(), after checking
 * that the bound driver is "edu", and takes a reference on the device
 * (get_device()) and on the driver's module (try_module_get(
 * dev->driver->owner)) for as long as it keeps the table.  It may then call
 * the operations without the lock: each is fenced by dev_enter() in the
 * driver, so once the device is being unbound (or removed) they fail with
 * -ENODEV (ident and liveness read all ones, get_stats zeroes, set_timeout
 * does nothing), and unbinding waits for the calls in flight.  After a
 * new bind the same table works again.
 */
#ifndef _EXO_EDU_H
#define _EXO_EDU_H

#include <exo/ioctl.h>
#include <exo/types.h>

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
/*
 * The device's buffer is 4096 bytes, but QEMU 7.2's range check rejects a
 * transfer ending exactly at its end (and stops the emulator with a
 * "hardware error"), so one byte less is the largest safe transfer.
 */
#define EDU_DMA_SIZE	4095

/* Registers the test and the bench use directly (BAR0). */
#define EDU_IRQ_STATUS	0x24	/* pending interrupt bits */
#define EDU_IRQ_RAISE	0x60	/* write: set these bits, interrupt */
#define EDU_IRQ_ACK	0x64	/* write: clear these bits */
/* Interrupt status bits: the device's own, and the driver's ping. */
#define  EDU_IRQ_FACT		0x00000001	/* factorial done */
#define  EDU_IRQ_DMA		0x00000100	/* DMA done */
#define  EDU_IRQ_PING		0x00010000	/* raised by edu_ops.ping */

struct device;

/*
 * /dev/eduN (one per bound device, N from 0): read() and write() move
 * bytes between the caller and the device's DMA buffer (EDU_DMA_SIZE
 * bytes) at the file position, by DMA; these ioctls take a pointer to a
 * u32.  An unknown command gives -ENOTTY; any operation after the device
 * was unbound gives -ENODEV.
 */
#define EDU_IOC_FACTORIAL	_IOWR('E', 1, u32)	/* in: n, out: n! mod 2^32 */
#define EDU_IOC_IDENT		_IOR('E', 2, u32)	/* out: identification */
#define EDU_MAX_DEVS		16	/* /dev/edu0 .. edu15 */

/**
 * enum edu_irq_mode - how the driver asks for its interrupt at probe
 * @EDU_IRQ_MODE_MSI: MSI, INTx if MSI cannot be had (the default)
 * @EDU_IRQ_MODE_INTX: INTx only (the shared, level-triggered line)
 */
enum edu_irq_mode {
	EDU_IRQ_MODE_MSI,
	EDU_IRQ_MODE_INTX,
};

/**
 * struct edu_stats - a bound device's interrupt and transfer counts since
 * its probe
 * @irq: its Linux IRQ number
 * @msi: true if it is an MSI, false for INTx
 * @handled: handler runs that found a status bit (IRQ_HANDLED)
 * @none: handler runs that found none (IRQ_NONE: a sharer's on INTx, or
 *	  an MSI whose bits an earlier run already acknowledged)
 * @fact_irqs: factorial-done bits seen (one per factorial)
 * @dma_irqs: DMA-done bits seen (one per transfer)
 * @ping_irqs: ping bits seen (one per ping)
 * @timeouts: operations whose interrupt never came
 */
struct edu_stats {
	unsigned int irq;
	bool msi;
	unsigned long handled, none;
	unsigned long fact_irqs, dma_irqs, ping_irqs;
	unsigned long timeouts;
};

/**
 * struct edu_ops - what the edu driver offers through its driver data
 * @ident: identification register (0x010000ed for version 1.0)
 * @liveness: liveness register: returns ~@v
 * @factorial: n! modulo 2^32 by the device, waiting for its interrupt;
 *	0, or -ETIMEDOUT if the interrupt never comes
 * @dma_roundtrip: copy @len bytes (1..EDU_DMA_SIZE) of @src into the
 *	device's buffer by DMA, then back out into @dst by DMA, each
 *	transfer mapped with dma_map_single() (bounced if the device cannot
 *	reach the buffer) and ended by its interrupt.  @src and @dst are
 *	direct-map or kernel-image memory.  0; -EINVAL bad length,
 *	-ENOMEM no mapping, -ETIMEDOUT no interrupt
 * @ping: raise the ping bit through INTR_RAISE and wait for the handler
 *	to see it; 0 or -ETIMEDOUT
 * @get_stats: copy the device's counts into @st
 * @set_irq_mode: the interrupt mode of devices probed from now on (the
 *	driver's use_msi parameter; this device keeps its own until it is
 *	bound again); 0 or -EINVAL
 * @set_timeout: how long this device's operations wait for their
 *	interrupt, in jiffies (the default is 10 s), for tests of the timeout
 *	path; 0: not at all, every operation times out as soon as it is
 *	started, whatever the host's load (a wait of 1 jiffy still sees an
 *	interrupt that was handled before the waiter ran again, a late vCPU's
 *	case).  After a timeout the driver waits (up to 2 s) for
 *	the unit to go idle and drops its late interrupt, so the next
 *	operation starts clean; a unit still busy then makes every later
 *	operation fail with -EIO
 */
struct edu_ops {
	u32 (*ident)(struct device *dev);
	u32 (*liveness)(struct device *dev, u32 v);
	int (*factorial)(struct device *dev, u32 n, u32 *result);
	int (*dma_roundtrip)(struct device *dev, const void *src, void *dst, size_t len);
	int (*ping)(struct device *dev);
	void (*get_stats)(struct device *dev, struct edu_stats *st);
	int (*set_irq_mode)(struct device *dev, enum edu_irq_mode mode);
	void (*set_timeout)(struct device *dev, unsigned long timeout);
};

/**
 * struct edu_drvdata - the head of the edu driver's driver data
 * @ops: its operations
 */
struct edu_drvdata {
	const struct edu_ops *ops;
};

#endif /* _EXO_EDU_H */
