// SPDX-License-Identifier: GPL-2.0
/*
 * The SMP soak: `stress=SECONDS` runs every concurrent stress worker on
 * every online CPU at once for that long, then proves that nothing was
 * corrupted or leaked.
 *
 * Workers (one of each kind bound to every online CPU unless noted):
 *   frames  alloc_frame()/alloc_contiguous() and frees; every held frame
 *           carries a signature (derived from its address and a sequence
 *           number) that is verified before it is freed, and the buddy
 *           bitmap must report it allocated; some runs are handed to the
 *           next CPU's worker to free (the remote-free path).
 *   slab    kmalloc/krealloc/kfree of random sizes over all three tiers
 *           (8 B .. 32 KiB); every object is filled with a signature that
 *           is verified before krealloc (the kept prefix) and kfree, and
 *           some objects are freed by the next CPU's worker.
 *   map     one writer (the boot CPU) remaps a private kernel page to a
 *           fresh frame holding the round number, every round; a reader on
 *           every other CPU must never see a round older than the one
 *           published before its read, nor newer than the one mapped after
 *           it: a stale TLB entry after a shootdown is an error.  Frames
 *           are freed right after unmap, so a missed shootdown also reads
 *           a frame already reused by the other workers.
 *   modules every CPU loads and unloads the same few modules (test blobs,
 *           the boot archive's edu.ko), each claimed by one CPU at a time:
 *           every load and unload must succeed.
 *   ipi     synchronous single and broadcast cross-CPU calls whose
 *           callbacks count: exactly one (or one per other CPU) run per
 *           call, on the right CPU; asynchronous calls are counted and
 *           must all have run at the end.
 *
 * With fault injection armed (fail_page_alloc=, fail_slab=, fail_pgtable=
 * on the command line) the workers run while allocations fail at random:
 * an allocation that fails while some injection point fired during the
 * call (fault_inject_nr_failed() moved) is an expected outcome, counted
 * per kind as "injected failures survived" and checked for its own
 * contract (a failed krealloc leaves the old object intact, a failed
 * map_page leaves the page unmapped, a failed module load leaves no
 * module); one with no injection behind it is still an error.  Injection
 * is suspended while the soak sets up and checks itself, and each armed
 * point must have injected at least once.
 *
 * Invariants checked at the end (after joining every worker and draining
 * every cache): page_alloc_check() and kmem_check() find nothing, the
 * free-frame count, module memory and module count are back at their
 * values before the start, and the sanitizer/lock debugging report
 * counters (UBSAN, lockdep, might_sleep, slab debugging, KASAN) did not
 * move.  page_alloc_check() also runs every few seconds while the workers
 * run.
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
#ifdef CONFIG_KASAN
/* KASAN's report counter is one of the counters that must not move. */
#include <exo/kasan.h>
#endif

#ifdef CONFIG_MODULES
#include "module-internal.h"
#endif

enum stress_kind { ST_FRAMES, ST_SLAB, ST_MAP, ST_MODULES, ST_IPI, ST_NR };

static const char *const kind_name[ST_NR] = {
	"frames", "slab", "map", "modules", "ipi",
};

struct kind_stats {
	unsigned long ops;
	unsigned long errors;
	unsigned long aux;	/* per kind: handoffs, reads, -EEXIST, async calls */
	unsigned long injected;	/* injected allocation failures survived */
	unsigned int threads;
};

static struct kind_stats kstats[ST_NR];
static unsigned long stress_ms;	/* duration asked for; 0 = no soak */
static bool stress_stop;
static unsigned long reported;	/* error lines printed (the first few only) */

#define MAX_REPORTS	20

/* stress=SECONDS, or stress=Nms for the short runs of slow emulators (Bochs). */
static int __init stress_setup(const char *val)
{
	char num[24];
	size_t len = strlen(val);
	unsigned long n;
	bool ms = len > 2 && !strcmp(val + len - 2, "ms");

	if (len >= sizeof(num))
		return -EINVAL;
	strlcpy(num, val, sizeof(num));
	if (ms)
		num[len - 2] = 0;
	if (kstrtoul(num, 0, &n) || !n || n > 365UL * 24 * 3600 * (ms ? 1000 : 1))
		return -EINVAL;
	stress_ms = ms ? n : n * 1000;
	return 0;
}
__setup_desc("stress=", stress_setup, "SECONDS or Nms, more than 0, at most a year");

bool stress_requested(void)
{
	return stress_ms != 0;
}

static void add(unsigned long *counter, unsigned long n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static bool time_up(void)
{
	return __atomic_load_n(&stress_stop, __ATOMIC_ACQUIRE);
}

/* One error of @kind: counted always, printed for the first MAX_REPORTS. */
#define stress_error(kind, fmt, ...) do {					\
	add(&kstats[kind].errors, 1);						\
	if (__atomic_fetch_add(&reported, 1, __ATOMIC_RELAXED) < MAX_REPORTS)	\
		pr_err("%s: " fmt "\n", kind_name[kind], ##__VA_ARGS__);	\
} while (0)

/* xorshift64*: cheap, per thread, no lock. */
/*
 * A failed allocation of @kind: an expected outcome if some injection
 * point fired since @snap (fault_inject_nr_failed() before the call).
 * Threads are bound and the window is one call, so a real failure during
 * another CPU's injection is the only one that can pass unnoticed.
 */
static bool injected(enum stress_kind kind, unsigned long snap)
{
	if (fault_inject_nr_failed() == snap)
		return false;
	add(&kstats[kind].injected, 1);
	return true;
}

static u64 rng_next(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static u64 rng_seed(unsigned int cpu, unsigned int kind)
{
	u64 s = ktime_get_ns() ^ ((u64)(cpu + 1) << 32) ^ ((u64)kind << 48);

	return s ? s : 1;
}

/* Signature of an allocation: never 0, different per address and round. */
static u64 make_sig(unsigned long addr, u64 seq)
{
	return ((addr * 0x9e3779b97f4a7c15ULL) ^ (seq << 1)) | 0x8000000000000001ULL;
}

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

/* The next online CPU after @cpu (wrapping): who frees what @cpu hands off. */
static unsigned int next_cpu(unsigned int cpu)
{
	unsigned int n = cpumask_next((int)cpu, &cpu_online_mask);

	return n < NR_CPUS ? n : cpumask_next(-1, &cpu_online_mask);
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

static int frame_worker(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	struct handoff held[FRAME_HELD], h;
	unsigned int n = 0;
	u64 rng = rng_seed(cpu, ST_FRAMES), seq = 0;

	while (!time_up()) {
		u64 r = rng_next(&rng);

		if (box_get(&frame_box[cpu], &h)) {
			frame_release(&h, &rng);
			add(&kstats[ST_FRAMES].ops, 1);
		}
		if (n == FRAME_HELD || (n && (r & 3) == 0)) {
			unsigned int i = (unsigned int)((r >> 8) % n);

			h = held[i];
			held[i] = held[--n];
			if ((r & 0x70) == 0 && box_put(&frame_box[next_cpu(cpu)], &h)) {
				add(&kstats[ST_FRAMES].aux, 1);
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
		add(&kstats[ST_FRAMES].ops, 1);
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

static int slab_worker(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	struct handoff held[SLAB_HELD], h;
	unsigned int n = 0;
	u64 rng = rng_seed(cpu, ST_SLAB), seq = 0;

	while (!time_up()) {
		u64 r = rng_next(&rng);

		if (box_get(&slab_box[cpu], &h)) {
			obj_release(&h);
			add(&kstats[ST_SLAB].ops, 1);
		}
		if (n && (r & 0xf000) == 0) {
			obj_realloc(&held[(r >> 20) % n], r >> 24, ++seq);
		} else if (n == SLAB_HELD || (n && (r & 0x3000) == 0)) {
			unsigned int i = (unsigned int)((r >> 20) % n);

			h = held[i];
			held[i] = held[--n];
			if ((r & 0x30000) == 0 && box_put(&slab_box[next_cpu(cpu)], &h)) {
				add(&kstats[ST_SLAB].aux, 1);
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
		add(&kstats[ST_SLAB].ops, 1);
	}
	while (n)
		obj_release(&held[--n]);
	/* This thread's tier-1 cache dies with it: give it back now. */
	kmem_flush_current();
	return 0;
}

/* ---- map/unmap and TLB shootdowns ---- */

/* In the tests' scratch range (Documentation/mm/layout.rst), away from tlb_test's. */
#define STRESS_VA	0xffffe28000000000UL

static u64 map_published;	/* last round whose map_page() returned */
static atomic_t map_readers;

/* The writer: round r maps a fresh frame filled with (u8)r. */
static int map_writer(void *arg)
{
	phys_addr_t cur = 0, pa, got;
	u64 round = 0;

	while (!time_up() || atomic_read(&map_readers) > 0) {
		unsigned long snap = fault_inject_nr_failed();
		int ret = alloc_frame(&pa);

		if (ret) {
			if (ret != -ENOMEM || !injected(ST_MAP, snap)) {
				stress_error(ST_MAP, "alloc_frame: %d", ret);
				msleep(1);
			}
			continue;
		}
		memset(phys_to_virt(pa), (u8)(round + 1), PAGE_SIZE);
		if (cur) {
			ret = unmap_page(STRESS_VA);
			if (ret)
				stress_error(ST_MAP, "unmap_page: %d", ret);
			/* Every CPU has dropped the old translation: reuse it at once. */
			memset(phys_to_virt(cur), 0x5a, PAGE_SIZE);
			free_frame(cur);
		}
		cur = pa;
		snap = fault_inject_nr_failed();
		ret = map_page(STRESS_VA, pa, 0);
		if (ret == -ENOMEM && injected(ST_MAP, snap)) {
			/* The page tables were unwound: nothing may be mapped. */
			if (translate(STRESS_VA, &got) != -ENOENT)
				stress_error(ST_MAP, "failed map_page left %#lx mapped", STRESS_VA);
			free_frame(cur);
			cur = 0;
			continue;
		}
		if (ret || translate(STRESS_VA, &got) || got != pa) {
			stress_error(ST_MAP, "map_page/translate round %llu: %d",
				     (unsigned long long)round + 1, ret);
			free_frame(cur);
			cur = 0;
			continue;
		}
		__atomic_store_n(&map_published, ++round, __ATOMIC_RELEASE);
		add(&kstats[ST_MAP].ops, 1);
	}
	if (cur) {
		if (unmap_page(STRESS_VA))
			stress_error(ST_MAP, "final unmap_page failed");
		free_frame(cur);
	}
	return 0;
}

/*
 * A reader: @want is the round published before the read, @after the one
 * published after it.  The byte seen must be that of a round in
 * [want, after + 1] (after + 1: mapped, not yet published).  Preemption is
 * off so that the window stays short; a window of 256 rounds or more cannot
 * be judged mod 256 and is skipped.
 */
static int map_reader(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	u64 rng = rng_seed(cpu, ST_MAP);

	atomic_inc(&map_readers);
	while (!time_up()) {
		unsigned long off = rng_next(&rng) % PAGE_SIZE;
		u64 want, after;
		u8 seen;
		int ret;

		preempt_disable();
		want = __atomic_load_n(&map_published, __ATOMIC_ACQUIRE);
		ret = probe_read((const void *)(STRESS_VA + off), &seen);
		after = __atomic_load_n(&map_published, __ATOMIC_ACQUIRE);
		preempt_enable();
		if (ret || !want || after + 1 - want >= 256)
			continue;	/* between unmap and map, or too slow to judge */
		if ((u8)(seen - (u8)want) > after + 1 - want)
			stress_error(ST_MAP, "CPU %u read round %u at +%#lx, published %llu..%llu",
				     cpu, seen, off, (unsigned long long)want,
				     (unsigned long long)after);
		add(&kstats[ST_MAP].aux, 1);
	}
	atomic_dec(&map_readers);
	return 0;
}

/* ---- modules ---- */

#ifdef CONFIG_MODULES
struct stress_module {
	const char *name;
	const void *image;
	size_t len;
	bool claimed;		/* a worker is between load and unload */
};

static struct stress_module mods[3];
static unsigned int nr_mods;
static bool edu_was_loaded;

static void mods_add(const char *name, const void *image, size_t len)
{
	if (image && nr_mods < ARRAY_SIZE(mods))
		mods[nr_mods++] = (struct stress_module){ name, image, len, false };
}

/* The images to cycle: test blobs (KTEST) and the boot archive's edu.ko. */
static int mods_prepare(void)
{
	size_t len;
	const void *img;
	int ret;

	nr_mods = 0;
#ifdef CONFIG_KTEST
	for (unsigned long i = 0; i < modtest_nr_blobs; i++)
		if (!strcmp(modtest_blobs[i].name, "modtest_a") ||
		    !strcmp(modtest_blobs[i].name, "modtest_inert"))
			mods_add(modtest_blobs[i].name, modtest_blobs[i].start,
				 (size_t)(modtest_blobs[i].end - modtest_blobs[i].start));
#endif
	img = boot_module_find("edu", &len);
	edu_was_loaded = img && find_module("edu");
	if (edu_was_loaded) {
		/* Owned by nobody once unloaded: then it is just one more image. */
		ret = unload_module("edu");
		if (ret) {
			pr_err("modules: cannot unload edu: %d\n", ret);
			return ret;
		}
	}
	mods_add("edu", img, len);
	return 0;
}

static long mods_restore(void)
{
	int ret;

	if (!edu_was_loaded)
		return 0;
	for (unsigned int i = 0; i < nr_mods; i++) {
		if (strcmp(mods[i].name, "edu"))
			continue;
		ret = load_module(mods[i].image, mods[i].len, NULL);
		if (ret) {
			stress_error(ST_MODULES, "reloading edu: %d", ret);
			return 1;
		}
	}
	return 0;
}

/*
 * A module is claimed before it is loaded, so a load must always succeed:
 * racing loads of one module would each print a -EEXIST error line (the
 * loader logs every refusal), and the races the loader must survive are
 * those between different modules (module memory, the export table, the
 * module list), which this still runs on every CPU.
 */
static int module_worker(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	u64 rng = rng_seed(cpu, ST_MODULES);

	while (!time_up() && nr_mods) {
		struct stress_module *m = &mods[rng_next(&rng) % nr_mods];
		struct module *mod = NULL;
		unsigned long snap;
		int ret;

		if (__atomic_exchange_n(&m->claimed, true, __ATOMIC_ACQUIRE)) {
			add(&kstats[ST_MODULES].aux, 1);	/* another CPU has it */
			yield();
			continue;
		}
		snap = fault_inject_nr_failed();
		ret = load_module(m->image, m->len, &mod);
		if (ret == -ENOMEM && injected(ST_MODULES, snap)) {
			if (find_module(m->name))
				stress_error(ST_MODULES, "failed load left %s loaded", m->name);
		} else if (ret) {
			stress_error(ST_MODULES, "load %s: %d", m->name, ret);
		} else {
			if (find_module(m->name) != mod)
				stress_error(ST_MODULES, "%s: find_module() is not the loaded module",
					     m->name);
			ret = unload_module(m->name);
			if (ret)
				stress_error(ST_MODULES, "unload %s: %d", m->name, ret);
		}
		__atomic_store_n(&m->claimed, false, __ATOMIC_RELEASE);
		add(&kstats[ST_MODULES].ops, 1);
	}
	return 0;
}
#endif

/* ---- cross-CPU calls ---- */

struct ipi_arg {
	unsigned int hits;
	unsigned int last_cpu;
};

static unsigned long ipi_async_sent, ipi_async_done;

static void ipi_count(void *info)
{
	struct ipi_arg *a = info;

	a->last_cpu = smp_processor_id();
	__atomic_fetch_add(&a->hits, 1, __ATOMIC_RELAXED);
}

static void ipi_async(void *info)
{
	add(&ipi_async_done, 1);
}

static unsigned int random_other_cpu(unsigned int self, u64 r)
{
	unsigned int n = num_online_cpus(), cpu = self;

	if (n < 2)
		return self;
	for (unsigned int k = 1 + (unsigned int)(r % (n - 1)); k; k--)
		cpu = next_cpu(cpu);
	return cpu;
}

static int ipi_worker(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	u64 rng = rng_seed(cpu, ST_IPI);

	while (!time_up()) {
		u64 r = rng_next(&rng);
		unsigned int target = random_other_cpu(cpu, r >> 8);
		struct ipi_arg a = { 0, NR_CPUS };
		unsigned int want = 1;

		switch (r & 7) {
		case 0:
			smp_call_function_many(&cpu_online_mask, ipi_count, &a, true);
			want = num_online_cpus() - 1;
			break;
		case 1:
		case 2:
			add(&ipi_async_sent, 1);
			if (smp_call_function_single(target, ipi_async, NULL, false))
				stress_error(ST_IPI, "async call to CPU %u refused", target);
			add(&kstats[ST_IPI].aux, 1);
			add(&kstats[ST_IPI].ops, 1);
			continue;
		default:
			if (smp_call_function_single(target, ipi_count, &a, true))
				stress_error(ST_IPI, "call to CPU %u refused", target);
			break;
		}
		if (__atomic_load_n(&a.hits, __ATOMIC_ACQUIRE) != want ||
		    (want == 1 && (r & 7) && a.last_cpu != target))
			stress_error(ST_IPI, "call ran %u times (want %u), last on CPU %u",
				     a.hits, want, a.last_cpu);
		add(&kstats[ST_IPI].ops, 1);
	}
	return 0;
}

/* ---- the run ---- */

struct baseline {
	unsigned long free_pages;
	unsigned long pgtable_pages;
	unsigned long vmalloc_pages;
	unsigned long large_pages;
	unsigned long slab_pages;	/* pages of the kmalloc caches' slabs */
	unsigned long slab_inuse;	/* objects in use in them */
	unsigned long slab_errors;
	unsigned long ubsan;
	unsigned long lockdep;
	unsigned long might_sleep;
	unsigned long kasan;
#ifdef CONFIG_MODULES
	unsigned int nr_modules;
	size_t module_bytes;
#endif
};


static void take_baseline(struct baseline *b)
{
	memset(b, 0, sizeof(*b));
	b->free_pages = ktest_settled_free_pages();
	b->pgtable_pages = nr_pgtable_pages();
	b->vmalloc_pages = vmalloc_nr_pages();
	b->large_pages = kmalloc_large_pages();
	b->slab_inuse = kmalloc_usage(&b->slab_pages);
	b->slab_errors = kmem_error_count();
#ifdef CONFIG_UBSAN
	b->ubsan = ubsan_nr_reports(UBSAN_NONE);
#endif
#ifdef CONFIG_LOCKDEP
	{
		struct lockdep_stats st;

		lockdep_get_stats(&st);
		b->lockdep = st.nr_reports;
	}
#endif
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
	b->might_sleep = might_sleep_reports();
#endif
#ifdef CONFIG_KASAN
	b->kasan = kasan_report_count();
#endif
#ifdef CONFIG_MODULES
	b->nr_modules = module_nr_loaded();
	b->module_bytes = module_bytes_allocated();
#endif
}

/* One counter that must not have moved; returns 1 (an error) if it did. */
static unsigned long check_same(const char *what, unsigned long now, unsigned long before)
{
	if (now == before)
		return 0;
	pr_err("%s: %lu, was %lu before the run\n", what, now, before);
	return 1;
}

static unsigned long check_baseline(const struct baseline *b)
{
	struct baseline now;
	unsigned long errors = 0, bad;

	bad = page_alloc_check();
	if (bad)
		pr_err("page_alloc_check(): %lu violations\n", bad);
	errors += bad;
	bad = kmem_check();
	if (bad)
		pr_err("kmem_check(): %lu violations\n", bad);
	errors += bad;
	take_baseline(&now);
	/*
	 * Objects that live across the run (a driver's state reallocated by
	 * a module reload) may end up spread over one more partly used slab:
	 * that page is accounted for, not a leak, as long as the number of
	 * objects in use is the same.
	 */
	errors += check_same("kmalloc objects in use", now.slab_inuse, b->slab_inuse);
	if (check_same("free frames + kmalloc slab pages", now.free_pages + now.slab_pages,
		       b->free_pages + b->slab_pages)) {
		errors++;
		/* Where the difference may be: */
		pr_err("page tables %lu (before %lu), vmalloc %lu (%lu), kmalloc large %lu (%lu)\n",
		       now.pgtable_pages, b->pgtable_pages, now.vmalloc_pages, b->vmalloc_pages,
		       now.large_pages, b->large_pages);
	}
	errors += check_same("slab debugging errors", now.slab_errors, b->slab_errors);
	errors += check_same("UBSAN reports", now.ubsan, b->ubsan);
	errors += check_same("lockdep reports", now.lockdep, b->lockdep);
	errors += check_same("might_sleep reports", now.might_sleep, b->might_sleep);
	errors += check_same("KASAN reports", now.kasan, b->kasan);
#ifdef CONFIG_MODULES
	errors += check_same("loaded modules", now.nr_modules, b->nr_modules);
	errors += check_same("module bytes", now.module_bytes, b->module_bytes);
#endif
	pr_notice("free frames %lu (before %lu), kmalloc slab pages %lu (%lu), objects %lu (%lu); invariants hold: %s\n",
		  now.free_pages, b->free_pages, now.slab_pages, b->slab_pages, now.slab_inuse,
		  b->slab_inuse, errors ? "no" : "yes");
	return errors;
}

#define MAX_THREADS	(NR_CPUS * ST_NR)

static struct task_struct *threads[MAX_THREADS];
static unsigned int nr_threads_started;

static int spawn(enum stress_kind kind, int (*fn)(void *), unsigned int cpu)
{
	struct task_struct *t = kthread_create(fn, (void *)(unsigned long)cpu, "stress/%s/%u",
					       kind_name[kind], cpu);

	if (!t)
		return -ENOMEM;
	if (kthread_bind(t, cpu)) {
		kthread_stop(t);
		return -EINVAL;
	}
	threads[nr_threads_started++] = t;
	kstats[kind].threads++;
	return 0;
}

static int spawn_all(void)
{
	unsigned int cpu, writer = smp_processor_id();
	int ret = 0;

	for_each_online_cpu(cpu) {
		spin_lock_init(&frame_box[cpu].lock);
		spin_lock_init(&slab_box[cpu].lock);
	}
	for_each_online_cpu(cpu) {
		ret = ret ?: spawn(ST_FRAMES, frame_worker, cpu);
		ret = ret ?: spawn(ST_SLAB, slab_worker, cpu);
		ret = ret ?: spawn(ST_IPI, ipi_worker, cpu);
#ifdef CONFIG_MODULES
		if (nr_mods)
			ret = ret ?: spawn(ST_MODULES, module_worker, cpu);
#endif
		if (cpu == writer)
			ret = ret ?: spawn(ST_MAP, map_writer, cpu);
		else
			ret = ret ?: spawn(ST_MAP, map_reader, cpu);
	}
	return ret;
}

/* Deadline loop: checks the buddy allocator every few seconds while the workers run. */
static unsigned long supervise(u64 ms)
{
	u64 start = ktime_get_ns(), end = start + ms * NSEC_PER_MSEC;
	u64 next_report = start + 60 * NSEC_PER_SEC;
	unsigned long errors = 0, checks = 0;

	for (u64 now = start; now < end; now = ktime_get_ns()) {
		unsigned long bad;

		msleep((unsigned int)min_t(u64, 2000, (end - now) / NSEC_PER_MSEC + 1));
		bad = page_alloc_check();
		checks++;
		if (bad) {
			pr_err("page_alloc_check() during the run: %lu violations\n", bad);
			errors += bad;
		}
		if (ktime_get_ns() >= next_report) {
			unsigned long ops = 0, errs = 0;

			for (int k = 0; k < ST_NR; k++) {
				ops += __atomic_load_n(&kstats[k].ops, __ATOMIC_RELAXED);
				errs += __atomic_load_n(&kstats[k].errors, __ATOMIC_RELAXED);
			}
			pr_notice("%llu/%llu s: %lu operations, %lu errors so far\n",
				  (ktime_get_ns() - start) / NSEC_PER_SEC,
				  (unsigned long long)ms / 1000, ops, errs + errors);
			next_report += 60 * NSEC_PER_SEC;
		}
	}
	pr_notice("%lu allocator checks during the run\n", checks);
	return errors;
}

/* Every async call sent has run (they are queued, so this takes microseconds). */
static unsigned long wait_async_calls(void)
{
	u64 end = ktime_get_ns() + NSEC_PER_SEC;

	while (__atomic_load_n(&ipi_async_done, __ATOMIC_ACQUIRE) != ipi_async_sent) {
		if (ktime_get_ns() > end) {
			stress_error(ST_IPI, "%lu async calls sent, %lu ran", ipi_async_sent,
				     ipi_async_done);
			return 1;
		}
		msleep(1);
	}
	return 0;
}

static void drain_boxes(void)
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

#ifdef CONFIG_FAULT_INJECTION
static struct fault_attr *const fault_points[] = { &fail_page_alloc, &fail_slab, &fail_pgtable };

/* Armed points inject silently (the soak counts), from a clean count. */
static unsigned int faults_prepare(void)
{
	unsigned int armed = fault_inject_suspend();

	for (unsigned int i = 0; i < ARRAY_SIZE(fault_points); i++) {
		struct fault_attr *a = fault_points[i];

		a->verbose = 0;
		a->task = NULL;
		__atomic_store_n(&a->nr_calls, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&a->nr_failed, 0, __ATOMIC_RELAXED);
	}
	if (armed)
		pr_notice("fault injection armed at %u point(s): injected failures are expected\n",
			  armed);
	return armed;
}

/* One line per point; an armed point that never injected is an error. */
static unsigned long faults_report(void)
{
	unsigned long errors = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(fault_points); i++) {
		const struct fault_attr *a = fault_points[i];
		bool armed = a->suspended != 0;

		pr_notice("fault %s: %s, %lu calls, %lu injected\n", a->name,
			  armed ? "armed" : "off", a->nr_calls, a->nr_failed);
		if (armed && !a->nr_failed) {
			pr_err("fault %s was armed but injected nothing\n", a->name);
			errors++;
		}
	}
	return errors;
}
#else
static unsigned int faults_prepare(void)
{
	return 0;
}

static unsigned long faults_report(void)
{
	return 0;
}
#endif

long stress_run(void)
{
	struct baseline base;
	unsigned long errors = 0, ops = 0, survived = 0;
	unsigned int faults;
	int ret;

	pr_notice("%lu.%03lu s on %u CPUs (frames, slab, map/shootdown, modules, IPIs)\n",
		  stress_ms / 1000, stress_ms % 1000, num_online_cpus());
	/* Setup and checks run without injection; only the workers' run has it. */
	faults = faults_prepare();
	take_baseline(&base);
#ifdef CONFIG_MODULES
	ret = mods_prepare();
	if (ret)
		return ret;
#endif
	ret = spawn_all();
	if (ret) {
		pr_err("cannot create the workers: %d\n", ret);
		__atomic_store_n(&stress_stop, true, __ATOMIC_RELEASE);
	}
	if (faults && !ret)
		fault_inject_resume();
	for (unsigned int i = 0; i < nr_threads_started; i++)
		wake_up_process(threads[i]);
	if (!ret)
		errors += supervise(stress_ms);
	fault_inject_suspend();
	__atomic_store_n(&stress_stop, true, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < nr_threads_started; i++)
		if (kthread_join(threads[i]))
			errors++;
	drain_boxes();
	errors += wait_async_calls();
#ifdef CONFIG_MODULES
	errors += mods_restore();
#endif
	errors += check_baseline(&base);
	for (int k = 0; k < ST_NR; k++) {
		const struct kind_stats *s = &kstats[k];

		pr_notice("%-8s %u threads, %lu operations, %lu errors (%s %lu, injected failures %lu)\n",
			  kind_name[k], s->threads, s->ops, s->errors,
			  k == ST_FRAMES || k == ST_SLAB ? "handed to another CPU" :
			  k == ST_MAP ? "reads checked" : k == ST_MODULES ? "busy picks" :
			  "async calls", s->aux, s->injected);
		ops += s->ops;
		errors += s->errors;
		survived += s->injected;
	}
	if (faults) {
		errors += faults_report();
		pr_notice("%lu injected failures survived\n", survived);
	}
	pr_notice("%lu operations, %lu errors\n", ops, errors);
	return ret ? ret : (long)errors;
}
