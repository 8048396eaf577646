// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel allocator's counters: per cache and CPU, totals, and the
 * slabinfo shell command.
 */
#define pr_fmt(fmt) "slab: " fmt
/* Inside the allocator kmalloc()/kfree() are the exported ones, not inline copies. */
#define SLAB_OUT_OF_LINE

#include <exo/errno.h>
#include <exo/shell.h>
#include <exo/string.h>

#include "slab.h"

void kmem_cache_get_stats(struct kmem_cache *c, int cpu, struct kmem_cache_stats *st)
{
	struct slab_tcache *tc;
	unsigned long flags, used;

	memset(st, 0, sizeof(*st));
	st->name = c->name;
	st->size = c->size;
	st->stride = c->stride;
	st->objs_per_slab = c->objs;
	st->order = c->order;
	spin_lock_irqsave(&c->lock, flags);
	st->slabs = c->nr_slabs;
	st->empty_slabs = c->nr_empty;
	st->objs_slab_free = c->nr_slab_free;
	st->slab_allocs = c->slab_allocs;
	st->slab_frees = c->slab_frees;
	st->slabs_created = c->slabs_created;
	st->slabs_freed = c->slabs_freed;
	st->node_frees = c->node_frees;
	st->node_puts = c->node_puts;
	st->objs_xfer = slab_xfer_stats(c, &st->xfer_puts, &st->xfer_gets);
	spin_unlock_irqrestore(&c->lock, flags);
	st->objs_total = st->slabs * c->objs;
	st->node_pending = slab_remote_pending(c, cpu);
	st->objs_cached = st->node_pending + st->objs_xfer;
	for (unsigned int i = 0; i < NR_CPUS; i++) {
		const struct slab_cpu_stats *s = &c->stats[i];

		if (cpu >= 0 && (unsigned int)cpu != i)
			continue;
		st->t1_hits += READ_ONCE(s->t1_hits);
		st->t1_misses += READ_ONCE(s->t1_misses);
		st->t1_flushes += READ_ONCE(s->t1_flushes);
#ifdef CONFIG_SLAB_TIER_PERCPU
		const struct array_cache *ac = cpu_ac_any(c, i);

		if (!ac)
			continue;
		st->t2_hits += ac_hits(c, ac);
		st->t2_misses += READ_ONCE(ac->misses);
		st->t2_drains += READ_ONCE(ac->drains);
		st->objs_cached += ac_count(c, ac);
#endif
	}
	if (c->t1 >= 0) {
		spin_lock_irqsave(&tcache_list_lock, flags);
		list_for_each_entry(tc, &tcache_list, node) {
			if (cpu >= 0 && (unsigned int)cpu != tc->cpu)
				continue;
			st->t1_hits += tc_hits(tc, c->t1);
			st->t1_misses += READ_ONCE(tc->misses[c->t1]);
			st->t1_flushes += READ_ONCE(tc->flushes[c->t1]);
			st->objs_cached += tc_cached(tc, c->t1);
		}
		spin_unlock_irqrestore(&tcache_list_lock, flags);
	}
	/*
	 * The caches were read after the slab counts, without the lock, and
	 * a thread cache's counts can be off by a list meanwhile (tc_cached()):
	 * cached objects are never more than the slabs have out.
	 */
	used = st->objs_total - st->objs_slab_free;
	st->objs_cached = min(st->objs_cached, used);
	st->objs_inuse = used - st->objs_cached;
}

unsigned long kmem_error_count(void)
{
	return __atomic_load_n(&slab_errors, __ATOMIC_RELAXED);
}

unsigned long kmalloc_large_pages(void)
{
	long n = __atomic_load_n(&large_pages, __ATOMIC_RELAXED) - (long)large_cache_pages();

	return n > 0 ? (unsigned long)n : 0;
}

static void show_cache(struct kmem_cache *c, int cpu)
{
	struct kmem_cache_stats st;

	kmem_cache_get_stats(c, cpu, &st);
	if (cpu < 0)
		printk(KERN_INFO "%-14s %5u %6lu %6lu %7lu %5lu %4lu %9lu %7lu %9lu %7lu %6lu %7lu\n",
		       st.name, st.size, st.objs_inuse, st.objs_cached, st.objs_total, st.slabs,
		       st.empty_slabs, st.t1_hits, st.t1_misses, st.t2_hits, st.t2_misses,
		       st.t2_drains, st.node_frees);
	else if (st.t1_hits || st.t1_misses || st.t2_hits || st.t2_misses)
		printk(KERN_INFO "  cpu%-3d %-14s t1 %lu/%lu  t2 %lu/%lu drains %lu\n", cpu,
		       st.name, st.t1_hits, st.t1_misses, st.t2_hits, st.t2_misses, st.t2_drains);
}

void kmem_show_slabinfo(bool per_cpu)
{
	struct kmem_cache *c, *caches[64];
	unsigned int n = 0;
	unsigned long flags;

	/* Snapshot the list: the stats take other locks. */
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list)
		if (n < ARRAY_SIZE(caches))
			caches[n++] = c;
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	printk(KERN_INFO "%-14s %5s %6s %6s %7s %5s %4s %9s %7s %9s %7s %6s %7s\n", "# name",
	       "size", "inuse", "cached", "total", "slabs", "empt", "t1_hits", "t1_miss",
	       "t2_hits", "t2_miss", "drains", "n_frees");
	for (unsigned int i = 0; i < n; i++)
		show_cache(caches[i], -1);
	/* Cached blocks are free to kmalloc() but not counted by nr_free_pages(). */
	printk(KERN_INFO "large kmalloc: %lu pages (+%lu cached); errors reported: %lu; tiers: thread %s, per-CPU %s, debug %s; empty slabs kept: %d\n",
	       kmalloc_large_pages(), large_cache_pages(), kmem_error_count(), TIER1 ? "on" : "off",
	       TIER2 ? "on" : "off", DEBUG ? "on" : "off", EMPTY_KEEP);
	if (!per_cpu)
		return;
	unsigned int cpu;

	for_each_online_cpu(cpu)
		for (unsigned int i = 0; i < n; i++)
			show_cache(caches[i], (int)cpu);
}

#ifndef __HOSTED__
static int cmd_slabinfo(int argc, char **argv)
{
	if (argc > 1 && shell_arg_choice(argv[0], argv[1], "-c") < 0)
		return -EINVAL;
	kmem_show_slabinfo(argc > 1);
	return 0;
}
DEFINE_SHELL_CMD_ARGS(slabinfo, "[-c]", 0, 1,
		      "kmalloc caches: objects, slabs, tier hits/misses (-c: per CPU)", cmd_slabinfo);
#endif
