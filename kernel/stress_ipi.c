// SPDX-License-Identifier: GPL-2.0
/*
 * The soak's cross-CPU call workload (kernel/stress.c): synchronous single
 * and broadcast calls that count their runs, asynchronous calls that must
 * all have run at the end.
 */
#define pr_fmt(fmt) "stress: " fmt

#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/fault_inject.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/lockdep.h>
#include <exo/module.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/stress.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/ubsan.h>
#include <exo/vmalloc.h>

#include "stress-internal.h"

/* ---- cross-CPU calls ---- */

struct ipi_arg {
	unsigned int hits;
	unsigned int last_cpu;
};

static unsigned long ipi_async_sent, ipi_async_done;

static void ipi_count(void *info)
{
	struct ipi_arg *a = info;

	a->last_cpu = smp_processor_id();
	__atomic_fetch_add(&a->hits, 1, __ATOMIC_RELAXED);
}

static void ipi_async(void *info)
{
	add(&ipi_async_done, 1);
}

static unsigned int random_other_cpu(unsigned int self, u64 r)
{
	unsigned int n = num_online_cpus(), cpu = self;

	if (n < 2)
		return self;
	for (unsigned int k = 1 + (unsigned int)(r % (n - 1)); k; k--)
		cpu = next_cpu(cpu);
	return cpu;
}

int stress_ipi_worker(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	u64 rng = rng_seed(cpu, ST_IPI);

	while (!time_up()) {
		u64 r = rng_next(&rng);
		unsigned int target = random_other_cpu(cpu, r >> 8);
		struct ipi_arg a = { 0, NR_CPUS };
		unsigned int want = 1;

		switch (r & 7) {
		case 0:
			smp_call_function_many(&cpu_online_mask, ipi_count, &a, true);
			want = num_online_cpus() - 1;
			break;
		case 1:
		case 2:
			add(&ipi_async_sent, 1);
			if (smp_call_function_single(target, ipi_async, NULL, false))
				stress_error(ST_IPI, "async call to CPU %u refused", target);
			add(&stress_kstats[ST_IPI].aux, 1);
			add(&stress_kstats[ST_IPI].ops, 1);
			continue;
		default:
			if (smp_call_function_single(target, ipi_count, &a, true))
				stress_error(ST_IPI, "call to CPU %u refused", target);
			break;
		}
		if (__atomic_load_n(&a.hits, __ATOMIC_ACQUIRE) != want ||
		    (want == 1 && (r & 7) && a.last_cpu != target))
			stress_error(ST_IPI, "call ran %u times (want %u), last on CPU %u",
				     a.hits, want, a.last_cpu);
		add(&stress_kstats[ST_IPI].ops, 1);
	}
	return 0;
}

/* Every async call sent has run (they are queued, so this takes microseconds). */
unsigned long stress_wait_async_calls(void)
{
	u64 end = ktime_get_ns() + NSEC_PER_SEC;

	while (__atomic_load_n(&ipi_async_done, __ATOMIC_ACQUIRE) != ipi_async_sent) {
		if (ktime_get_ns() > end) {
			stress_error(ST_IPI, "%lu async calls sent, %lu ran", ipi_async_sent,
				     ipi_async_done);
			return 1;
		}
		msleep(1);
	}
	return 0;
}
