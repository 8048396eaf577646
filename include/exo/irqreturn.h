/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an interrupt handler returns, on its own (as Linux's
 * <linux/irqreturn.h>) so that headers declaring handlers need not pull
 * in the IRQ core.
 */
#ifndef _EXO_IRQRETURN_H
#define _EXO_IRQRETURN_H

/**
 * enum irqreturn - what a handler did
 * @IRQ_NONE: the interrupt was not from this device
 * @IRQ_HANDLED: it was, and is handled
 * @IRQ_WAKE_THREAD: it was; wake the handler thread
 */
enum irqreturn {
	IRQ_NONE		= 0,
	IRQ_HANDLED		= 1 << 0,
	IRQ_WAKE_THREAD		= 1 << 1,
};
typedef enum irqreturn irqreturn_t;
#define IRQ_RETVAL(x)	((x) ? IRQ_HANDLED : IRQ_NONE)

#endif /* _EXO_IRQRETURN_H */
