// SPDX-License-Identifier: GPL-2.0
/*
 * The soak's memory workloads (kernel/stress.c): frames and slab objects,
 * signed, verified and partly handed to the next CPU to free.
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

/* ---- hand-off mailboxes: objects freed by another CPU ---- */

#define BOX_SLOTS	32

struct handoff {
	unsigned long addr;	/* virtual (slab) or physical (frames) */
	size_t size;		/* bytes (slab) or frames (frames) */
	u64 sig;
};

struct mailbox {
	spinlock_t lock;
	unsigned int n;
	struct handoff item[BOX_SLOTS];
};

static struct mailbox frame_box[NR_CPUS], slab_box[NR_CPUS];

static bool box_put(struct mailbox *b, const struct handoff *h)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&b->lock, flags);
	if (b->n < BOX_SLOTS) {
		b->item[b->n++] = *h;
		ok = true;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return ok;
}

static bool box_get(struct mailbox *b, struct handoff *h)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&b->lock, flags);
	if (b->n) {
		*h = b->item[--b->n];
		ok = true;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return ok;
}

/* ---- frames ---- */

#define FRAME_HELD	32
#define FRAME_STRIDE	128	/* signature words per frame: one every 128 bytes */

static void frame_fill(phys_addr_t pa, size_t count, u64 sig)
{
	for (size_t f = 0; f < count; f++) {
		u8 *p = phys_to_virt(pa + f * PAGE_SIZE);

		for (unsigned int off = 0; off < PAGE_SIZE; off += FRAME_STRIDE)
			*(u64 *)(p + off) = sig ^ (f * PAGE_SIZE + off);
	}
}

/* Return: 0 if every signature word is intact and the frames are allocated. */
static int frame_verify(phys_addr_t pa, size_t count, u64 sig)
{
	for (size_t f = 0; f < count; f++) {
		phys_addr_t fa = pa + f * PAGE_SIZE;
		u8 *p = phys_to_virt(fa);

		if (!pfn_allocated(fa >> PAGE_SHIFT)) {
			stress_error(ST_FRAMES, "held frame %#llx is free in the bitmap",
				     (unsigned long long)fa);
			return -EFAULT;
		}
		for (unsigned int off = 0; off < PAGE_SIZE; off += FRAME_STRIDE) {
			u64 want = sig ^ (f * PAGE_SIZE + off), got = *(u64 *)(p + off);

			if (got != want) {
				stress_error(ST_FRAMES, "frame %#llx+%#x: %#llx, want %#llx",
					     (unsigned long long)fa, off,
					     (unsigned long long)got, (unsigned long long)want);
				return -EFAULT;
			}
		}
	}
	return 0;
}

static void frame_release(const struct handoff *h, u64 *rng)
{
	int ret = 0;

	if (frame_verify(h->addr, h->size, h->sig))
		return;		/* a corrupted run is leaked, not reused */
	/* Scribble first: a stale reader of this frame must not see a signature. */
	frame_fill(h->addr, h->size, 0);
	if (h->size > 1 && (rng_next(rng) & 1)) {
		ret = free_contiguous(h->addr, h->size);
	} else {
		for (size_t f = 0; f < h->size && !ret; f++)
			ret = free_frame(h->addr + f * PAGE_SIZE);
	}
	if (ret)
		stress_error(ST_FRAMES, "free of %zu frames at %#llx: %d", h->size,
			     (unsigned long long)h->addr, ret);
}

int stress_frame_worker(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	struct handoff held[FRAME_HELD], h;
	unsigned int n = 0;
	u64 rng = rng_seed(cpu, ST_FRAMES), seq = 0;

	while (!time_up()) {
		u64 r = rng_next(&rng);

		if (box_get(&frame_box[cpu], &h)) {
			frame_release(&h, &rng);
			add(&stress_kstats[ST_FRAMES].ops, 1);
		}
		if (n == FRAME_HELD || (n && (r & 3) == 0)) {
			unsigned int i = (unsigned int)((r >> 8) % n);

			h = held[i];
			held[i] = held[--n];
			if ((r & 0x70) == 0 && box_put(&frame_box[next_cpu(cpu)], &h)) {
				add(&stress_kstats[ST_FRAMES].aux, 1);
				continue;
			}
			frame_release(&h, &rng);
		} else {
			size_t count = (r & 0x300) ? 1 : 2 + (size_t)((r >> 16) % 15);
			unsigned long snap = fault_inject_nr_failed();
			phys_addr_t pa;
			int ret = count == 1 ? alloc_frame(&pa) : alloc_contiguous(count, &pa);

			if (ret) {
				if (ret != -ENOMEM || !injected(ST_FRAMES, snap))
					stress_error(ST_FRAMES, "allocation of %zu frames: %d",
						     count, ret);
				continue;
			}
			held[n].addr = pa;
			held[n].size = count;
			held[n].sig = make_sig(pa, ++seq);
			frame_fill(pa, count, held[n].sig);
			n++;
		}
		add(&stress_kstats[ST_FRAMES].ops, 1);
	}
	while (n)
		frame_release(&held[--n], &rng);
	return 0;
}

/* ---- slab ---- */

#define SLAB_HELD	64

/* Bytes of an object: first and last 8 bytes the signature, the rest one byte of it. */
static void obj_fill(u8 *p, size_t size, u64 sig)
{
	memset(p, (u8)(sig >> 8), size);
	if (size >= 16) {
		memcpy(p, &sig, 8);
		memcpy(p + size - 8, &sig, 8);
	}
}

/* Checks the first @len bytes of an object of @size filled with @sig. */
static int obj_verify(const u8 *p, size_t size, size_t len, u64 sig)
{
	u8 b = (u8)(sig >> 8);
	u64 v;
	/* Every byte of small objects, every 61st (odd stride) of large ones. */
	size_t step = size > 1024 ? 61 : 1;

	if (size >= 16 && len >= 8) {
		memcpy(&v, p, 8);
		if (v != sig)
			goto bad;
		if (len == size) {
			memcpy(&v, p + size - 8, 8);
			if (v != sig)
				goto bad;
		}
	}
	for (size_t i = size >= 16 ? 8 : 0; i < min(len, size >= 16 ? size - 8 : size);
	     i += step)
		if (p[i] != b)
			goto bad;
	return 0;
bad:
	stress_error(ST_SLAB, "object %px (%zu bytes) corrupted", p, size);
	return -EFAULT;
}

static size_t random_size(u64 r)
{
	switch (r & 15) {
	case 0 ... 9:
		return 1 + (size_t)((r >> 8) % 256);		/* small classes */
	case 10 ... 13:
		return 257 + (size_t)((r >> 8) % (2048 - 256));
	case 14:
		return 2049 + (size_t)((r >> 8) % 2048);	/* largest slab classes */
	default:
		return 4097 + (size_t)((r >> 8) % (32768 - 4096));	/* tier 3: pages */
	}
}

static void obj_release(const struct handoff *h)
{
	int ret;

	if (obj_verify((const u8 *)h->addr, h->size, h->size, h->sig))
		return;		/* leaked, not reused */
	ret = kfree_checked((const void *)h->addr);
	if (ret)
		stress_error(ST_SLAB, "kfree(%px): %d", (void *)h->addr, ret);
}

/* krealloc() keeps the prefix; the object is then refilled for its new size. */
static void obj_realloc(struct handoff *h, u64 r, u64 seq)
{
	size_t new_size = random_size(r);
	unsigned long snap = fault_inject_nr_failed();
	u8 *p = krealloc((void *)h->addr, new_size, GFP_KERNEL);

	if (!p) {
		/* The old object must still be there, whole. */
		if (!injected(ST_SLAB, snap))
			stress_error(ST_SLAB, "krealloc(%zu -> %zu) failed", h->size, new_size);
		else
			obj_verify((const u8 *)h->addr, h->size, h->size, h->sig);
		return;
	}
	if (!obj_verify(p, h->size, min(h->size, new_size), h->sig) && ksize(p) < new_size)
		stress_error(ST_SLAB, "ksize(%px) %zu < %zu", p, ksize(p), new_size);
	h->addr = (unsigned long)p;
	h->size = new_size;
	h->sig = make_sig(h->addr, seq);
	obj_fill(p, new_size, h->sig);
}

int stress_slab_worker(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	struct handoff held[SLAB_HELD], h;
	unsigned int n = 0;
	u64 rng = rng_seed(cpu, ST_SLAB), seq = 0;

	while (!time_up()) {
		u64 r = rng_next(&rng);

		if (box_get(&slab_box[cpu], &h)) {
			obj_release(&h);
			add(&stress_kstats[ST_SLAB].ops, 1);
		}
		if (n && (r & 0xf000) == 0) {
			obj_realloc(&held[(r >> 20) % n], r >> 24, ++seq);
		} else if (n == SLAB_HELD || (n && (r & 0x3000) == 0)) {
			unsigned int i = (unsigned int)((r >> 20) % n);

			h = held[i];
			held[i] = held[--n];
			if ((r & 0x30000) == 0 && box_put(&slab_box[next_cpu(cpu)], &h)) {
				add(&stress_kstats[ST_SLAB].aux, 1);
				continue;
			}
			obj_release(&h);
		} else {
			size_t size = random_size(r >> 24);
			unsigned long snap = fault_inject_nr_failed();
			u8 *p = kmalloc(size, GFP_KERNEL);

			if (!p) {
				if (!injected(ST_SLAB, snap))
					stress_error(ST_SLAB, "kmalloc(%zu) failed", size);
				continue;
			}
			held[n].addr = (unsigned long)p;
			held[n].size = size;
			held[n].sig = make_sig(held[n].addr, ++seq);
			obj_fill(p, size, held[n].sig);
			n++;
		}
		add(&stress_kstats[ST_SLAB].ops, 1);
	}
	while (n)
		obj_release(&held[--n]);
	/* This thread's tier-1 cache dies with it: give it back now. */
	kmem_flush_current();
	return 0;
}

/* Before the workers start: every online CPU's mailboxes empty. */
void stress_boxes_init(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		spin_lock_init(&frame_box[cpu].lock);
		spin_lock_init(&slab_box[cpu].lock);
	}
}

void stress_drain_boxes(void)
{
	struct handoff h;
	u64 rng = 1;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		while (box_get(&frame_box[cpu], &h))
			frame_release(&h, &rng);
		while (box_get(&slab_box[cpu], &h))
			obj_release(&h);
	}
}
