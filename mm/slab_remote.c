// SPDX-License-Identifier: GPL-2.0
/*
 * Remote frees batched per CPU (I10).  With several memory nodes, a free
 * of an object of another node's slab does not enter a tier: it goes to
 * this CPU's remote-free batch of its cache, and a full batch goes back
 * to its slabs in one hold of the cache's lock.  A CPU batches
 * REMOTE_SLOTS caches at once, REMOTE_BATCH objects each; a free for a
 * cache without a slot when all are taken first gives back the oldest
 * slot's objects.  Batched objects count as in use for their slabs, as
 * the tiers' do (I2); the CPU drains (kmem_drain_all(), kmem_drain_cpu())
 * and the page allocator's drain before it fails an allocation
 * (drain_local_pages()) give them all back.  KASAN has poisoned an object
 * before it gets here, and nothing here touches the object.
 * Documentation/mm/numa.rst.
 */
#include <exo/string.h>

#include "slab.h"

struct remote_batch {
	struct kmem_cache *c;	/* NULL: a free slot (nr == 0) */
	unsigned int nr;
	void *obj[REMOTE_BATCH];
};

struct slab_remote {
	struct remote_batch b[REMOTE_SLOTS];
	unsigned int victim;	/* the next slot taken over for another cache */
};

static DEFINE_PER_CPU(struct slab_remote, slab_remote);

/* Give batch @b back to its slabs; interrupts off.  Its slabs to free go on @reap. */
static void batch_put(struct remote_batch *b, struct list_head *reap)
{
	slab_put_home(b->c, b->obj, b->nr, reap);
	b->nr = 0;
	b->c = NULL;
}

/* Send another node's @obj of @c home through this CPU's batch; any context. */
void slab_remote_free(struct kmem_cache *c, void *obj)
{
	struct remote_batch *b, *slot = NULL;
	struct kmem_cache *put = NULL;
	struct slab_remote *r;
	unsigned long flags;
	LIST_HEAD(reap);

	local_irq_save(flags);
	r = this_cpu_ptr(&slab_remote);
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
	local_irq_restore(flags);
	if (put)
		slab_reap(put, &reap);
}

/* Give back every object @cpu's batches hold (that CPU with interrupts off, or not running). */
void slab_remote_drain(unsigned int cpu)
{
	struct slab_remote *r;

	if (cpu >= NR_CPUS || !cpu_has_area(cpu))
		return;
	r = per_cpu_ptr(&slab_remote, cpu);
	for (struct remote_batch *b = r->b; b < r->b + REMOTE_SLOTS; b++) {
		struct kmem_cache *c = b->c;
		LIST_HEAD(reap);

		if (!c)
			continue;
		batch_put(b, &reap);
		slab_reap(c, &reap);
	}
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
