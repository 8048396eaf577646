/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the slab suite's files (mm/slab_test.c, mm/slab_*_test.c). */
#ifndef _MM_SLAB_TEST_H
#define _MM_SLAB_TEST_H

#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#ifdef __HOSTED__
#include <asm/hosted.h>
#else
#include <exo/kthread.h>
#endif

#define DEBUG		IS_ENABLED(CONFIG_SLAB_DEBUG)

/* Pages in the tier-3 block caches of every CPU (mm/slab_large.c). */
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

/* Helpers of mm/slab_tier_test.c and mm/slab_context_test.c */

#ifdef __HOSTED__
static inline void let_others_run(void)
{
	cpu_relax();
}
#else
/* No timer preemption is guaranteed: threads sharing a CPU take turns here. */
static inline void let_others_run(void)
{
	yield();
}
#endif

static inline u64 rnd_next(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* Per-object signature: depends on the address and the size. */
static inline u64 sig_of(const void *p, size_t size)
{
	return ((u64)(unsigned long)p * 0x9e3779b97f4a7c15ULL) ^ size;
}

static inline void sign(void *p, size_t size)
{
	u64 s = sig_of(p, size);

	memset(p, (u8)s, min_t(size_t, size, 64));
	if (size >= 8)
		memcpy(p, &s, 8);
	if (size >= 16)
		memcpy((char *)p + size - 8, &s, 8);
}

static inline bool signed_ok(const void *p, size_t size)
{
	u64 s = sig_of(p, size), v;

	if (size >= 16) {
		memcpy(&v, (const char *)p + size - 8, 8);
		if (v != s)
			return false;
	}
	if (size >= 8) {
		memcpy(&v, p, 8);
		return v == s;
	}
	return !memchr_inv(p, (u8)s, size);
}

#ifndef __HOSTED__
static inline int kthread_body(void *arg)
{
	void (**fnp)(void *) = arg;

	fnp[0](fnp[1]);
	return 0;
}

/* Run @fn(@arg) in a new kernel thread on @cpu and wait for it. */
static inline int run_thread_on(unsigned int cpu, void (*fn)(void *), void *arg)
{
	void *pair[2] = { (void *)fn, arg };
	struct task_struct *th = kthread_create(kthread_body, pair, "slabtest");

	if (!th)
		return -ENOMEM;
	kthread_bind(th, cpu);
	wake_up_process(th);
	return kthread_join(th);
}
#else
static inline int run_thread_on(unsigned int cpu, void (*fn)(void *), void *arg)
{
	(void)cpu;
	return hosted_run_on_cpus(1, 1, fn, arg);
}
#endif

/* mm/slab_misuse_test.c */
void test_foreign_pointers(struct ktest *t);
void test_debug_double_free(struct ktest *t);
void test_debug_double_free_race(struct ktest *t);
void test_large_double_free_race(struct ktest *t);
void test_debug_use_after_free(struct ktest *t);
void test_debug_redzone(struct ktest *t);

/* mm/slab_xfer_test.c */
void test_xfer_limit_and_drain(struct ktest *t);
void test_xfer_smp_stress(struct ktest *t);
void test_xfer_double_free_loop(struct ktest *t);
void test_xfer_node_homing(struct ktest *t);
void test_xfer_node_slots(struct ktest *t);

/* mm/slab_tier_test.c */
void test_thread_exit_flush(struct ktest *t);
void test_tier1_bounds(struct ktest *t);
void test_tier1_double_free_loop(struct ktest *t);
void test_tier1_put_chain_mixed(struct ktest *t);
void test_tier1_swap(struct ktest *t);
void test_tier1_slab_objs(struct ktest *t);
void test_tier1_stats_mid_update(struct ktest *t);
void test_tier1_forged_head(struct ktest *t);
void test_tier1_counts(struct ktest *t);
#ifndef __HOSTED__
void test_cur_cache_switch(struct ktest *t);
#endif
void test_slabinfo_runs(struct ktest *t);
void test_typed_slab_tail(struct ktest *t);

/* mm/slab_context_test.c */
void test_stress_threads(struct ktest *t);
void test_stress_smp(struct ktest *t);
void test_irq_context(struct ktest *t);
void test_irq_context_smp(struct ktest *t);
void test_trap_context(struct ktest *t);

/* mm/slab_module_test.c */
void test_module_kmalloc_calls(struct ktest *t);
void test_module_kmalloc_t2(struct ktest *t);

/* mm/slab_krealloc_test.c */
void test_krealloc_move_tiers(struct ktest *t);
void test_krealloc_refused(struct ktest *t);

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
