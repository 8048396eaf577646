/* SPDX-License-Identifier: GPL-2.0 */
/* Fixed-size CPU bitmaps (NR_CPUS bits) with atomic set/clear. */
#ifndef _EXO_CPUMASK_H
#define _EXO_CPUMASK_H

#include <exo/types.h>
#include <exo/percpu.h>

#define BITS_PER_LONG	64
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

struct cpumask {
	unsigned long bits[BITS_TO_LONGS(NR_CPUS)];
};

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_or(&m->bits[cpu / BITS_PER_LONG], 1UL << (cpu % BITS_PER_LONG),
			  __ATOMIC_SEQ_CST);
}

static inline void cpumask_clear_cpu(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_and(&m->bits[cpu / BITS_PER_LONG], ~(1UL << (cpu % BITS_PER_LONG)),
			   __ATOMIC_SEQ_CST);
}

static inline bool cpumask_test_cpu(unsigned int cpu, const struct cpumask *m)
{
	return (__atomic_load_n(&m->bits[cpu / BITS_PER_LONG], __ATOMIC_RELAXED) >>
		(cpu % BITS_PER_LONG)) & 1;
}

static inline void cpumask_clear(struct cpumask *m)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(NR_CPUS); i++)
		m->bits[i] = 0;
}

static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	unsigned int w = 0;

	for (unsigned int i = 0; i < BITS_TO_LONGS(NR_CPUS); i++)
		w += __builtin_popcountl(__atomic_load_n(&m->bits[i], __ATOMIC_RELAXED));
	return w;
}

static inline bool cpumask_empty(const struct cpumask *m)
{
	return cpumask_weight(m) == 0;
}

/* Next set bit after @cpu (pass -1 to start), or NR_CPUS. */
static inline unsigned int cpumask_next(int cpu, const struct cpumask *m)
{
	for (unsigned int c = cpu + 1; c < NR_CPUS; c++)
		if (cpumask_test_cpu(c, m))
			return c;
	return NR_CPUS;
}

#define for_each_cpu(c, m) \
	for ((c) = cpumask_next(-1, m); (c) < NR_CPUS; (c) = cpumask_next(c, m))

#endif
