// SPDX-License-Identifier: GPL-2.0
/*
 * The soak's map workload (kernel/stress.c): one writer remaps a page
 * every round, readers on the other CPUs catch stale TLB entries.
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

/* ---- map/unmap and TLB shootdowns ---- */

/* In the tests' scratch range (Documentation/mm/layout.rst), away from tlb_test's. */
#define STRESS_VA	0xffffe28000000000UL

static u64 map_published;	/* last round whose map_page() returned */
static atomic_t map_readers;

/* The writer: round r maps a fresh frame filled with (u8)r. */
int stress_map_writer(void *arg)
{
	phys_addr_t cur = 0, pa, got;
	u64 round = 0;

	while (!time_up() || atomic_read(&map_readers) > 0) {
		unsigned long snap = fault_inject_nr_failed();
		int ret = alloc_frame(&pa);

		if (ret) {
			if (ret != -ENOMEM || !injected(ST_MAP, snap)) {
				stress_error(ST_MAP, "alloc_frame: %d", ret);
				msleep(1);
			}
			continue;
		}
		memset(phys_to_virt(pa), (u8)(round + 1), PAGE_SIZE);
		if (cur) {
			ret = unmap_page(STRESS_VA);
			if (ret)
				stress_error(ST_MAP, "unmap_page: %d", ret);
			/* Every CPU has dropped the old translation: reuse it at once. */
			memset(phys_to_virt(cur), 0x5a, PAGE_SIZE);
			free_frame(cur);
		}
		cur = pa;
		snap = fault_inject_nr_failed();
		ret = map_page(STRESS_VA, pa, 0);
		if (ret == -ENOMEM && injected(ST_MAP, snap)) {
			/* The page tables were unwound: nothing may be mapped. */
			if (translate(STRESS_VA, &got) != -ENOENT)
				stress_error(ST_MAP, "failed map_page left %#lx mapped", STRESS_VA);
			free_frame(cur);
			cur = 0;
			continue;
		}
		if (ret || translate(STRESS_VA, &got) || got != pa) {
			stress_error(ST_MAP, "map_page/translate round %llu: %d",
				     (unsigned long long)round + 1, ret);
			free_frame(cur);
			cur = 0;
			continue;
		}
		__atomic_store_n(&map_published, ++round, __ATOMIC_RELEASE);
		add(&stress_kstats[ST_MAP].ops, 1);
	}
	if (cur) {
		if (unmap_page(STRESS_VA))
			stress_error(ST_MAP, "final unmap_page failed");
		free_frame(cur);
	}
	return 0;
}

/*
 * A reader: @want is the round published before the read, @after the one
 * published after it.  The byte seen must be that of a round in
 * [want, after + 1] (after + 1: mapped, not yet published).  Preemption is
 * off so that the window stays short; a window of 256 rounds or more cannot
 * be judged mod 256 and is skipped.
 */
int stress_map_reader(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	u64 rng = rng_seed(cpu, ST_MAP);

	atomic_inc(&map_readers);
	while (!time_up()) {
		unsigned long off = rng_next(&rng) % PAGE_SIZE;
		u64 want, after;
		u8 seen;
		int ret;

		preempt_disable();
		want = __atomic_load_n(&map_published, __ATOMIC_ACQUIRE);
		ret = probe_read((const void *)(STRESS_VA + off), &seen);
		after = __atomic_load_n(&map_published, __ATOMIC_ACQUIRE);
		preempt_enable();
		if (ret || !want || after + 1 - want >= 256)
			continue;	/* between unmap and map, or too slow to judge */
		if ((u8)(seen - (u8)want) > after + 1 - want)
			stress_error(ST_MAP, "CPU %u read round %u at +%#lx, published %llu..%llu",
				     cpu, seen, off, (unsigned long long)want,
				     (unsigned long long)after);
		add(&stress_kstats[ST_MAP].aux, 1);
	}
	atomic_dec(&map_readers);
	return 0;
}
