/* SPDX-License-Identifier: GPL-2.0 */
/* Time since boot from the calibrated TSC. */
#ifndef _EXO_TIME_H
#define _EXO_TIME_H

#include <exo/types.h>

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

/* TSC frequency in kHz, 0 until calibrated. */
extern u64 tsc_khz;

/* Nanoseconds since the TSC was calibrated (0 before). */
u64 ktime_get_ns(void);

/* Busy-wait; usable before interrupts or the scheduler work. */
void udelay(unsigned long us);
void mdelay(unsigned long ms);

#endif
