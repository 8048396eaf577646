/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the slab suite's files (mm/slab_test.c, mm/slab_tier_test.c). */
#ifndef _MM_SLAB_TEST_H
#define _MM_SLAB_TEST_H

#include <exo/ktest.h>
#include <exo/slab.h>
#include <exo/smp.h>

#define DEBUG		IS_ENABLED(CONFIG_SLAB_DEBUG)

/* Pages in the tier-3 block caches of every CPU (mm/slab_common.c). */
unsigned long large_cache_pages(void);
unsigned long large_cache_cpu_pages(unsigned int cpu);
#define TIER1		IS_ENABLED(CONFIG_SLAB_TIER_THREAD)
#define TIER2		IS_ENABLED(CONFIG_SLAB_TIER_PERCPU)

static inline struct kmem_cache_stats stats_of(size_t size, int cpu)
{
	struct kmem_cache_stats st;

	kmem_cache_get_stats(kmalloc_cache(size), cpu, &st);
	return st;
}

static inline int this_cpu(void)
{
	return (int)smp_processor_id();
}

/* mm/slab_tier_test.c */
void test_thread_exit_flush(struct ktest *t);
void test_tier1_bounds(struct ktest *t);
void test_tier1_double_free_loop(struct ktest *t);
void test_tier1_put_chain_mixed(struct ktest *t);
void test_tier1_swap(struct ktest *t);
void test_tier1_stats_mid_update(struct ktest *t);
void test_tier1_forged_head(struct ktest *t);
void test_tier1_counts(struct ktest *t);
#ifndef __HOSTED__
void test_cur_cache_switch(struct ktest *t);
#endif
void test_stress_threads(struct ktest *t);
void test_stress_smp(struct ktest *t);
void test_irq_context(struct ktest *t);
void test_trap_context(struct ktest *t);
void test_slabinfo_runs(struct ktest *t);
void test_typed_slab_tail(struct ktest *t);

/* mm/slab_module_test.c */
void test_module_kmalloc_calls(struct ktest *t);

/* mm/slab_large_test.c */
void test_krealloc_in_place(struct ktest *t);
void test_large_cache(struct ktest *t);
void test_large_cache_page_pressure(struct ktest *t);
#ifndef __HOSTED__
void test_large_cache_remote_drain(struct ktest *t);
void test_large_cache_node(struct ktest *t);
void test_large_double_kfree_caller(struct ktest *t);
/* mm/slab_t2_test.c */
void test_t2_irq_interleave(struct ktest *t);
#endif

#endif /* _MM_SLAB_TEST_H */
