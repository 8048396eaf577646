/* SPDX-License-Identifier: GPL-2.0 */
/* kernel/softirq.c internals shared with its tests and the `softirqs` command. */
#ifndef _KERNEL_SOFTIRQ_H
#define _KERNEL_SOFTIRQ_H

struct task_struct;

/* The vector's name ("NET_RX"), "?" for a bad number. */
const char *softirq_name(unsigned int nr);
/* Rounds that @cpu's interrupt exits or bh-enables handed to ksoftirqd. */
unsigned long softirq_deferred_cpu(unsigned int cpu);
/* @cpu's ksoftirqd thread, NULL before it exists. */
struct task_struct *softirq_ksoftirqd(unsigned int cpu);

#endif /* _KERNEL_SOFTIRQ_H */
