// SPDX-License-Identifier: GPL-2.0
/*
 * KASAN quarantine: freed slab objects (kmalloc up to 4 KiB and typed
 * caches) wait here, still poisoned, before their allocator may reuse
 * them.  Large kmalloc blocks go back to the page allocator at once: free
 * pages stay poisoned until they are allocated again.
 *
 * Goal: a use-after-free stays detectable for as long as the object sits
 * in the FIFO (the tiers are LIFO: without it the next kmalloc of the
 * class would hand the freed slot straight back, unpoisoned).
 *
 * Invariants:
 *   Q1  the ring holds at most QUARANTINE_SLOTS objects and their slots
 *       add up to at most CONFIG_KASAN_QUARANTINE_KB (a larger object than
 *       the budget is not kept at all);
 *   Q2  a queued object is poisoned KASAN_SLAB_FREE and is still allocated
 *       as far as its allocator knows (so a second kfree is a double free);
 *   Q3  objects are released outside q_lock, oldest first, by the
 *       allocator's kmem_free_quarantined();
 *   Q4  kasan_quarantine_drain() empties the ring: kmem_drain_all() calls
 *       it, so free-frame and in-use counts are exact after a drain.
 */
#include <exo/kasan.h>
#include <exo/kernel.h>
#include <exo/spinlock.h>
#include "kasan.h"

#define QUARANTINE_SLOTS	4096
#define QUARANTINE_BYTES	((size_t)CONFIG_KASAN_QUARANTINE_KB << 10)

struct q_entry {
	void *obj;
	struct kmem_cache *cache;
	size_t size;
};

static struct q_entry ring[QUARANTINE_SLOTS];
static unsigned int q_head, q_count;	/* oldest entry, number of entries */
static size_t q_bytes;
static DEFINE_SPINLOCK(q_lock);

bool kasan_quarantine_enabled(void)
{
	return QUARANTINE_BYTES && kasan_enabled();
}

/* Take the oldest entry if the ring must shrink to fit @need more bytes. */
static bool pop_if_over(size_t need, struct q_entry *out)
{
	unsigned long flags;
	bool popped = false;

	spin_lock_irqsave(&q_lock, flags);
	if (q_count && (q_count == QUARANTINE_SLOTS || q_bytes + need > QUARANTINE_BYTES)) {
		*out = ring[q_head];
		q_head = (q_head + 1) % QUARANTINE_SLOTS;
		q_count--;
		q_bytes -= out->size;
		popped = true;
	}
	spin_unlock_irqrestore(&q_lock, flags);
	return popped;
}

bool kasan_quarantine_put(void *obj, struct kmem_cache *cache, size_t size)
{
	struct q_entry old;
	unsigned long flags;
	bool queued = false;

	if (!kasan_quarantine_enabled() || size > QUARANTINE_BYTES)
		return false;
	while (pop_if_over(size, &old))
		kmem_free_quarantined(old.obj, old.cache);
	spin_lock_irqsave(&q_lock, flags);
	/* Another CPU may have filled it meanwhile: then free at once. */
	if (q_count < QUARANTINE_SLOTS && q_bytes + size <= QUARANTINE_BYTES) {
		ring[(q_head + q_count) % QUARANTINE_SLOTS] =
			(struct q_entry){ .obj = obj, .cache = cache, .size = size };
		q_count++;
		q_bytes += size;
		queued = true;
	}
	spin_unlock_irqrestore(&q_lock, flags);
	return queued;
}

void kasan_quarantine_drain(void)
{
	struct q_entry old;

	while (pop_if_over(QUARANTINE_BYTES + 1, &old))
		kmem_free_quarantined(old.obj, old.cache);
}

size_t kasan_quarantine_bytes(void)
{
	return READ_ONCE(q_bytes);
}
