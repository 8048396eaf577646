/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the SMP soak's files: kernel/stress.c (the run, its checks)
 * and one file per workload: kernel/stress_mem.c (frames, slab),
 * kernel/stress_map.c (map/unmap and TLB shootdowns),
 * kernel/stress_module.c (module load/unload) and kernel/stress_ipi.c
 * (cross-CPU calls).
 */
#ifndef _KERNEL_STRESS_INTERNAL_H
#define _KERNEL_STRESS_INTERNAL_H

#include <exo/fault_inject.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/time.h>
#include <exo/types.h>

enum stress_kind { ST_FRAMES, ST_SLAB, ST_MAP, ST_MODULES, ST_IPI, ST_NR };

extern const char *const stress_kind_name[ST_NR];

struct kind_stats {
	unsigned long ops;
	unsigned long errors;
	unsigned long aux;	/* per kind: handoffs, reads, -EEXIST, async calls */
	unsigned long injected;	/* injected allocation failures survived */
	unsigned int threads;
};

extern struct kind_stats stress_kstats[ST_NR];
extern bool stress_stop;
extern unsigned long stress_reported;	/* error lines printed (the first few only) */

#define MAX_REPORTS	20

static inline void add(unsigned long *counter, unsigned long n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static inline bool time_up(void)
{
	return __atomic_load_n(&stress_stop, __ATOMIC_ACQUIRE);
}

/* One error of @kind: counted always, printed for the first MAX_REPORTS. */
#define stress_error(kind, fmt, ...) do {					\
	add(&stress_kstats[kind].errors, 1);						\
	if (__atomic_fetch_add(&stress_reported, 1, __ATOMIC_RELAXED) < MAX_REPORTS)	\
		pr_err("%s: " fmt "\n", stress_kind_name[kind], ##__VA_ARGS__);	\
} while (0)

/*
 * A failed allocation of @kind: an expected outcome if some injection
 * point fired since @snap (fault_inject_nr_failed() before the call).
 * Threads are bound and the window is one call, so a real failure during
 * another CPU's injection is the only one that can pass unnoticed.
 */
static inline bool injected(enum stress_kind kind, unsigned long snap)
{
	if (fault_inject_nr_failed() == snap)
		return false;
	add(&stress_kstats[kind].injected, 1);
	return true;
}

/* xorshift64*: cheap, per thread, no lock. */
static inline u64 rng_next(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static inline u64 rng_seed(unsigned int cpu, unsigned int kind)
{
	u64 s = ktime_get_ns() ^ ((u64)(cpu + 1) << 32) ^ ((u64)kind << 48);

	return s ? s : 1;
}

/* Signature of an allocation: never 0, different per address and round. */
static inline u64 make_sig(unsigned long addr, u64 seq)
{
	return ((addr * 0x9e3779b97f4a7c15ULL) ^ (seq << 1)) | 0x8000000000000001ULL;
}

/* The next online CPU after @cpu (wrapping): who frees what @cpu hands off. */
static inline unsigned int next_cpu(unsigned int cpu)
{
	unsigned int n = cpumask_next((int)cpu, &cpu_online_mask);

	return n < NR_CPUS ? n : cpumask_next(-1, &cpu_online_mask);
}

/* kernel/stress_mem.c */
int stress_frame_worker(void *arg);
int stress_slab_worker(void *arg);
void stress_boxes_init(void);
void stress_drain_boxes(void);

/* kernel/stress_map.c */
int stress_map_writer(void *arg);
int stress_map_reader(void *arg);

#ifdef CONFIG_MODULES
/* kernel/stress_module.c */
extern unsigned int stress_nr_mods;
int stress_mods_prepare(void);
long stress_mods_restore(void);
int stress_module_worker(void *arg);
#endif

/* kernel/stress_ipi.c */
int stress_ipi_worker(void *arg);
unsigned long stress_wait_async_calls(void);

#endif /* _KERNEL_STRESS_INTERNAL_H */
