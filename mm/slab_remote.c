// SPDX-License-Identifier: GPL-2.0
/*
 * Remote frees batched per CPU (I10).  With several memory nodes, a free
 * of an object of another node's slab does not enter a tier: it goes to
 * this CPU's remote-free batch of its cache, and a full batch goes back
 * to its slabs in one hold of the cache's lock.  A CPU batches
 * REMOTE_SLOTS caches at once, REMOTE_BATCH objects each; a free for a
 * cache without a slot when all are taken first gives back the objects of
 * one slot, taken round-robin (the first after a drain).  Batched objects
 * count as in use for their slabs, as the tiers' do (I2).  Each CPU's
 * batches have a lock, which that CPU takes with interrupts off, so any
 * CPU can give them back without a cross-CPU call: the CPU drains
 * (kmem_drain_all(), kmem_drain_cpu()), the page allocator's drain
 * (drain_local_pages()), and a slab allocation that found no object and
 * no new slab, which gives back every CPU's batches of its cache
 * (slab_remote_flush()) before it fails, whatever its gfp.  KASAN has
 * poisoned an object before it gets here, and nothing here touches the
 * object.  Documentation/mm/numa.rst.
 */
#include <exo/string.h>

#include "slab.h"

struct remote_batch {
	struct kmem_cache *c;	/* NULL: a free slot (nr == 0) */
	unsigned int nr;
	void *obj[REMOTE_BATCH];
};

struct slab_remote {
	spinlock_t lock;	/* the owner takes it with interrupts off */
	struct remote_batch b[REMOTE_SLOTS];
	unsigned int victim;	/* the next slot taken over (round-robin) */
};

static DEFINE_PER_CPU(struct slab_remote, slab_remote);
static struct lock_class_key slab_remote_key;

/* Empty every CPU's batches and set up their locks; before the node layer turns on. */
void slab_remote_init(void)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct slab_remote *r;

		if (!cpu_has_area(cpu))
			continue;
		r = per_cpu_ptr(&slab_remote, cpu);
		memset(r, 0, sizeof(*r));
		__spin_lock_init(&r->lock, "slab_remote.lock", &slab_remote_key);
	}
}

/*
 * This CPU's batches, from its free path with interrupts off, which
 * already excludes preemption: the preempt count is left alone unless
 * lock debugging wants the full bookkeeping (as mm/pgtable.c's
 * pt_trylock()).  Any other CPU takes the lock with spin_lock_irqsave().
 */
static __always_inline void own_lock(struct slab_remote *r) __acquires(r->lock)
{
	if (IS_ENABLED(CONFIG_DEBUG_SPINLOCK) || IS_ENABLED(CONFIG_LOCKDEP)) {
		spin_lock(&r->lock);
	} else {
		arch_spin_lock(&r->lock);
		__acquire(r->lock);
	}
}

static __always_inline void own_unlock(struct slab_remote *r) __releases(r->lock)
{
	if (IS_ENABLED(CONFIG_DEBUG_SPINLOCK) || IS_ENABLED(CONFIG_LOCKDEP)) {
		spin_unlock(&r->lock);
	} else {
		arch_spin_unlock(&r->lock);
		__release(r->lock);
	}
}

/* Give batch @b back to its slabs; its CPU's lock held.  Its slabs to free go on @reap. */
static void batch_put(struct remote_batch *b, struct list_head *reap)
{
	slab_put_home(b->c, b->obj, b->nr, reap);
	b->nr = 0;
	b->c = NULL;
}

/* Send another node's @obj of @c home through this CPU's batch; any context. */
static void slab_remote_free(struct kmem_cache *c, void *obj)
{
	struct remote_batch *b, *slot = NULL;
	struct kmem_cache *put = NULL;
	struct slab_remote *r;
	unsigned long flags;
	LIST_HEAD(reap);

	local_irq_save(flags);
	r = this_cpu_ptr(&slab_remote);
	own_lock(r);
	for (b = r->b; b < r->b + REMOTE_SLOTS; b++) {
		if (b->c == c) {
			slot = b;
			break;
		}
		if (!b->c && !slot)
			slot = b;
	}
	if (unlikely(!slot)) {
		slot = &r->b[r->victim++ % REMOTE_SLOTS];
		put = slot->c;
		batch_put(slot, &reap);
	}
	slot->c = c;
	slot->obj[slot->nr++] = obj;
	if (slot->nr == REMOTE_BATCH) {
		put = c;
		batch_put(slot, &reap);
	}
	own_unlock(r);
	local_irq_restore(flags);
	if (put)
		slab_reap(put, &reap);
}

/*
 * Send @obj back to its slab, through this CPU's remote-free batch, if
 * it is another memory node's than this CPU's (I10).  Thread or interrupt
 * context, not an exception or NMI handler.  Return: true if it went
 * home, false for a local object (the caller caches it).
 */
bool slab_node_free(struct kmem_cache *c, void *obj)
{
	if (page_to_nid(virt_to_page(obj)) == numa_mem_id())
		return false;
	slab_remote_free(c, obj);
	return true;
}

/* Give back every object @cpu's batches hold; any context but an NMI or exception. */
void slab_remote_drain(unsigned int cpu)
{
	struct kmem_cache *c[REMOTE_SLOTS];
	struct list_head reap[REMOTE_SLOTS];
	struct slab_remote *r;
	unsigned long flags;

	if (cpu >= NR_CPUS || !cpu_has_area(cpu))
		return;
	r = per_cpu_ptr(&slab_remote, cpu);
	spin_lock_irqsave(&r->lock, flags);
	for (unsigned int i = 0; i < REMOTE_SLOTS; i++) {
		INIT_LIST_HEAD(&reap[i]);
		c[i] = r->b[i].c;
		if (c[i])
			batch_put(&r->b[i], &reap[i]);
	}
	/* Emptied, the slots are taken over in order again. */
	r->victim = 0;
	spin_unlock_irqrestore(&r->lock, flags);
	for (unsigned int i = 0; i < REMOTE_SLOTS; i++)
		if (c[i])
			slab_reap(c[i], &reap[i]);
}

/*
 * Give back every CPU's batch of @c, without a cross-CPU call: for a slab
 * allocation about to fail (its page allocation failed, which may not
 * have drained the other CPUs).  Any context but an NMI or exception.
 * Return: how many objects went back.
 */
unsigned int slab_remote_flush(struct kmem_cache *c)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct slab_remote *r;
		unsigned long flags;

		if (!cpu_has_area(cpu))
			continue;
		r = per_cpu_ptr(&slab_remote, cpu);
		for (struct remote_batch *b = r->b; b < r->b + REMOTE_SLOTS; b++) {
			LIST_HEAD(reap);
			bool put = false;

			if (READ_ONCE(b->c) != c)
				continue;
			spin_lock_irqsave(&r->lock, flags);
			if (b->c == c) {
				n += b->nr;
				batch_put(b, &reap);
				put = true;
			}
			spin_unlock_irqrestore(&r->lock, flags);
			if (put)
				slab_reap(c, &reap);
		}
	}
	return n;
}

/* Objects of @c in the CPUs' batches (@cpu's, or every CPU's for -1): a racy statistic. */
unsigned long slab_remote_pending(const struct kmem_cache *c, int cpu)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < NR_CPUS; i++) {
		const struct slab_remote *r;

		if ((cpu >= 0 && (unsigned int)cpu != i) || !cpu_has_area(i))
			continue;
		r = per_cpu_ptr(&slab_remote, i);
		for (unsigned int s = 0; s < REMOTE_SLOTS; s++)
			if (READ_ONCE(r->b[s].c) == c)
				n += READ_ONCE(r->b[s].nr);
	}
	return n;
}
