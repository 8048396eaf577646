// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel allocator's checks: CONFIG_SLAB_DEBUG's poison, red zones,
 * slot states and call sites, the refusal of calls from exception and NMI
 * handlers (I8 in slab.h), and kmem_check().
 */
#define pr_fmt(fmt) "slab: " fmt
/* Inside the allocator kmalloc()/kfree() are the exported ones, not inline copies. */
#define SLAB_OUT_OF_LINE

#include <exo/errno.h>
#include <exo/string.h>

#include "slab.h"

/*
 * I8: an entry point called from an exception or NMI handler.  The report
 * is printed from the handler itself, once, with its backtrace: printk
 * from a handler that interrupted a printk on its own CPU drops the lines
 * after a bounded wait instead of deadlocking (kernel/printk.c), and the
 * refusal is counted either way.
 */
noinline __cold void slab_trap_refuse(const char *fn, unsigned long ip)
{
	static bool warned;

	__atomic_fetch_add(&slab_errors, 1, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&warned, true, __ATOMIC_RELAXED))
		return;
	pr_err("%s() from %pS in an exception or NMI handler: refused (nothing is allocated or freed there)\n",
	       fn, (void *)ip);
	dump_stack();
}

/*
 * The same for the entry points with a tier-2 hit path, reached by a tail
 * call, so that the test is all the hit path pays: no frame, and the
 * return address is still the caller's.
 */
noinline __cold void *slab_trap_null(const char *fn)
{
	slab_trap_refuse(fn, _RET_IP_);
	return NULL;
}

noinline __cold void slab_trap_void(const char *fn)
{
	slab_trap_refuse(fn, _RET_IP_);
}

/* ---------------------------------------------------------------------
 * Debugging: poison, red zones, state, call sites
 */

static struct slab_track *obj_track(const struct kmem_cache *c, const void *obj)
{
	return (struct slab_track *)((char *)obj + c->link_off - offsetof(struct slab_track, link));
}

static size_t pad_start(const struct kmem_cache *c)
{
	return c->link_off - offsetof(struct slab_track, link);
}

static bool poisoned(const struct kmem_cache *c)
{
	return !c->ctor;
}

/* Mark a fresh slot free: poison, red zone, state. */
void debug_init_slot(struct kmem_cache *c, void *obj)
{
	struct slab_track *tr = obj_track(c, obj);
	size_t ps = pad_start(c);

	if (poisoned(c))
		memset(obj, POISON_FREE, ps);
	memset((char *)obj + ps, REDZONE_BYTE, c->stride - ps);
	tr->state = STATE_FREE;
	tr->alloc_ip = tr->free_ip = 0;
	tr->link = NULL;
}

static bool redzone_ok(const struct kmem_cache *c, const void *obj)
{
	const struct slab_track *tr = obj_track(c, obj);
	size_t ps = pad_start(c);

	return tr->redzone == REDZONE_WORD &&
	       !memchr_inv((const char *)obj + ps + sizeof(*tr), REDZONE_BYTE,
			   c->stride - ps - sizeof(*tr));
}

static void redzone_fix(const struct kmem_cache *c, void *obj)
{
	size_t ps = pad_start(c);

	obj_track(c, obj)->redzone = REDZONE_WORD;
	memset((char *)obj + ps + sizeof(struct slab_track), REDZONE_BYTE,
	       c->stride - ps - sizeof(struct slab_track));
}

/* An object leaves a free list: check poison, mark allocated. */
void debug_alloc(struct kmem_cache *c, void *obj, unsigned long ip)
{
	struct slab_track *tr = obj_track(c, obj);
	const u8 *bad;

	if (tr->state != STATE_FREE)
		slab_report("%s: object %p handed out while not free (state %#lx), from %pS\n",
			    c->name, obj, tr->state, (void *)ip);
	if (poisoned(c)) {
		bad = memchr_inv(obj, POISON_FREE, pad_start(c));
		if (bad) {
			slab_report("%s: use after free: %p+%#lx written after kfree from %pS (allocated from %pS)\n",
				    c->name, obj, (unsigned long)(bad - (const u8 *)obj),
				    (void *)tr->free_ip, (void *)tr->alloc_ip);
		}
	}
	if (!redzone_ok(c, obj)) {
		slab_report("%s: red zone of free object %p overwritten (freed from %pS)\n",
			    c->name, obj, (void *)tr->free_ip);
		redzone_fix(c, obj);
	}
	tr->state = STATE_ALLOC;
	tr->alloc_ip = ip;
}

/*
 * An object is freed: refuse double frees and garbage state, check the
 * red zone, poison.  Return: 0, -EBADMSG (red zone hit, freed anyway),
 * -ENOENT (already free: refused).
 */
int debug_free(struct kmem_cache *c, void *obj, unsigned long ip)
{
	struct slab_track *tr = obj_track(c, obj);
	unsigned long state = STATE_ALLOC;
	int ret = 0;

	/*
	 * Check and mark in one atomic step: of two CPUs freeing the object
	 * at once exactly one gets it, the other sees STATE_FREE.  Nobody
	 * else touches the object until we hand it to the tiers.
	 */
	if (!__atomic_compare_exchange_n(&tr->state, &state, STATE_FREE, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (state == STATE_FREE)
			slab_report("%s: double free of %p from %pS (freed before from %pS, allocated from %pS)\n",
				    c->name, obj, (void *)ip, (void *)READ_ONCE(tr->free_ip),
				    (void *)tr->alloc_ip);
		else
			slab_report("%s: kfree(%p) from %pS: slot metadata corrupted (state %#lx), refused\n",
				    c->name, obj, (void *)ip, state);
		return -ENOENT;
	}
	if (!redzone_ok(c, obj)) {
		slab_report("%s: red zone after %p (%u bytes) overwritten, found at kfree from %pS (allocated from %pS)\n",
			    c->name, obj, c->size, (void *)ip, (void *)tr->alloc_ip);
		redzone_fix(c, obj);
		ret = -EBADMSG;
	}
	if (poisoned(c))
		memset(obj, POISON_FREE, pad_start(c));
	WRITE_ONCE(tr->free_ip, ip);
	return ret;
}

/* ---------------------------------------------------------------------
 * Consistency checks
 */

/* Check one slab; lock held.  Return: violations. */
static unsigned long check_slab(struct kmem_cache *c, struct page *pg, int want)
{
	unsigned long bad = 0, nfree = 0;
	char *base = page_address(pg);

	if (page_type(pg) != PAGE_TYPE_SLAB || pg->slab_cache != c ||
	    READ_ONCE(slab_class_map[page_to_pfn(pg)]) != c->cls) {
		pr_err("check: %s: slab %p has bad metadata\n", c->name, base);
		return 1;
	}
	for (void *o = pg->freelist; o; o = *free_link(c, o)) {
		unsigned long off = (unsigned long)((char *)o - base);

		if (off % c->stride || off / c->stride >= c->objs || ++nfree > c->objs) {
			pr_err("check: %s: slab %p freelist has %p\n", c->name, base, o);
			return bad + 1;
		}
	}
	if (nfree + pg->counters != c->objs) {
		pr_err("check: %s: slab %p: %lu free + %lu in use != %u\n", c->name, base,
		       nfree, pg->counters, c->objs);
		bad++;
	}
	if ((want == 0 && pg->counters != 0) || (want == 2 && nfree) ||
	    (want == 1 && (!nfree || !pg->counters))) {
		pr_err("check: %s: slab %p on the wrong list\n", c->name, base);
		bad++;
	}
	return bad;
}

/* I9: is @pg on its own node's lists @l?  Return: 0, or 1 (reported). */
static unsigned long check_slab_node(struct kmem_cache *c, struct page *pg,
				     struct slab_node_lists *l)
{
	if (slab_lists(c, pg) == l)
		return 0;
	pr_err("check: %s: slab %p of node %d on node %ld's lists\n", c->name,
	       page_address(pg), page_to_nid(pg), (long)(l - c->node));
	return 1;
}

unsigned long kmem_check(void)
{
	struct kmem_cache *c;
	unsigned long flags, bad = 0;

	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list) {
		unsigned long slabs = 0, empty = 0, nfree = 0;
		struct page *pg;

		spin_lock(&c->lock);
		for (unsigned int nid = 0; nid < slab_nr_node_lists; nid++) {
			struct slab_node_lists *l = &c->node[nid];
			unsigned long node_empty = 0;

			list_for_each_entry(pg, &l->empty, slab_list) {
				bad += check_slab(c, pg, 0) + check_slab_node(c, pg, l);
				slabs++;
				node_empty++;
				nfree += c->objs - pg->counters;
			}
			if (node_empty != l->nr_empty) {
				pr_err("check: %s: node %u: counted %lu empty slabs, recorded %lu\n",
				       c->name, nid, node_empty, l->nr_empty);
				bad++;
			}
			empty += node_empty;
			list_for_each_entry(pg, &l->partial, slab_list) {
				bad += check_slab(c, pg, 1) + check_slab_node(c, pg, l);
				slabs++;
				nfree += c->objs - pg->counters;
			}
			list_for_each_entry(pg, &l->full, slab_list) {
				bad += check_slab(c, pg, 2) + check_slab_node(c, pg, l);
				slabs++;
			}
		}
		if (slabs != c->nr_slabs || empty != c->nr_empty || nfree != c->nr_slab_free) {
			pr_err("check: %s: counted %lu slabs, %lu empty, %lu free; recorded %lu, %lu, %lu\n",
			       c->name, slabs, empty, nfree, c->nr_slabs, c->nr_empty,
			       c->nr_slab_free);
			bad++;
		}
		spin_unlock(&c->lock);
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return bad;
}
