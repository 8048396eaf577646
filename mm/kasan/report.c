// SPDX-License-Identifier: GPL-2.0
/*
 * KASAN reports and allocation tracking.
 *
 * Goal: a report says what was accessed (address, size, read or write,
 * the instruction), what it hit (the shadow code: red zone, freed slab
 * object, free page), which object that is, and the stacks of its last
 * allocation and free.  A report never panics: the access goes on (outline
 * mode), and the tests count reports.
 *
 * Tracking: a direct-mapped table of TRACK_SLOTS records keyed by object
 * address, written on every slab/large kmalloc allocation and free.  A
 * record may be overwritten by an object that hashes to the same slot, so
 * a report says "not recorded" rather than print another object's stacks.
 * Memory: TRACK_SLOTS * 88 bytes (~700 KiB), no per-object overhead, no
 * change to the slab layout.
 *
 * Invariants: one report at a time (report_lock); while one prints
 * (in_report is its CPU), checks on every CPU are skipped, so printing
 * never recurses and the window is a few lines of console output.
 */
#define pr_fmt(fmt) "kasan: " fmt

#include <exo/atomic.h>
#include <exo/bug.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/page.h>
#include "kasan.h"

#define TRACK_SLOTS	8192

struct kasan_track {
	unsigned long obj;
	size_t size;
	unsigned int alloc_cpu, free_cpu;
	unsigned long alloc[KASAN_STACK_DEPTH];
	unsigned long free[KASAN_STACK_DEPTH];
};

static struct kasan_track tracks[TRACK_SLOTS];
static DEFINE_SPINLOCK(track_lock);
static DEFINE_SPINLOCK(report_lock);
static atomic_long_t nr_reports;
static struct kasan_report_info last;
static bool quiet;
static int in_report = -1;		/* the CPU printing a report, or -1 */

static unsigned int track_slot(unsigned long obj)
{
	return (unsigned int)((obj >> 4) * 0x9E3779B97F4A7C15ULL >> 51) % TRACK_SLOTS;
}

/*
 * Up to KASAN_STACK_DEPTH return addresses by the frame-pointer chain
 * (-fno-omit-frame-pointer everywhere), starting with @ip.  A frame is
 * followed only upwards and by less than a stack's size, so a corrupt or
 * foreign %rbp ends the walk instead of faulting.
 */
static void save_stack(unsigned long *st, unsigned long ip)
{
	unsigned long *fp = __builtin_frame_address(0);
	unsigned int n = 0;
	bool past_ip = false;

	st[n++] = ip;
	/* The frames up to @ip are the runtime's and the allocator's: skip them. */
	for (unsigned int depth = 0; depth < 16 && n < KASAN_STACK_DEPTH; depth++) {
		unsigned long *next = (unsigned long *)fp[0];
		unsigned long ret = fp[1];

		if ((unsigned long)next <= (unsigned long)fp ||
		    (unsigned long)next - (unsigned long)fp > 4 * PAGE_SIZE ||
		    ((unsigned long)next & 7))
			break;
		if (past_ip)
			st[n++] = ret;
		else if (ret == ip)
			past_ip = true;
		fp = next;
	}
	while (n < KASAN_STACK_DEPTH)
		st[n++] = 0;
}

void kasan_track_alloc(const void *obj, size_t size, unsigned long ip)
{
	struct kasan_track *t = &tracks[track_slot((unsigned long)obj)];
	unsigned long flags;

	spin_lock_irqsave(&track_lock, flags);
	t->obj = (unsigned long)obj;
	t->size = size;
	t->alloc_cpu = smp_processor_id();
	t->free_cpu = ~0U;
	save_stack(t->alloc, ip);
	__memset(t->free, 0, sizeof(t->free));
	spin_unlock_irqrestore(&track_lock, flags);
}

void kasan_track_free(const void *obj, unsigned long ip)
{
	struct kasan_track *t = &tracks[track_slot((unsigned long)obj)];
	unsigned long flags;

	spin_lock_irqsave(&track_lock, flags);
	if (t->obj == (unsigned long)obj) {
		t->free_cpu = smp_processor_id();
		save_stack(t->free, ip);
	}
	spin_unlock_irqrestore(&track_lock, flags);
}

bool kasan_tracked_freed(const void *obj)
{
	struct kasan_track *t = &tracks[track_slot((unsigned long)obj)];
	unsigned long flags;
	bool freed;

	spin_lock_irqsave(&track_lock, flags);
	freed = t->obj == (unsigned long)obj && t->free[0];
	spin_unlock_irqrestore(&track_lock, flags);
	return freed;
}

static void print_stack(const char *what, unsigned int cpu, const unsigned long *st)
{
	pr_err("%s by CPU %u:\n", what, cpu);
	for (unsigned int i = 0; i < KASAN_STACK_DEPTH && st[i]; i++)
		pr_err("  %pS\n", (void *)st[i]);
}

/* The object that contains (or is nearest below) @addr, if it was tracked. */
static bool find_object(unsigned long addr, struct kasan_track *out)
{
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&track_lock, flags);
	/* Candidate starts: every 16 bytes back over at most 16 KiB + one red zone. */
	for (unsigned long a = addr & ~15UL; a + (20UL << 10) > addr && a; a -= 16) {
		struct kasan_track *t = &tracks[track_slot(a)];

		if (t->obj == a && addr < a + ALIGN(t->size, 16) + PAGE_SIZE) {
			*out = *t;
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&track_lock, flags);
	return found;
}

static const char *bug_name(enum kasan_bug bug)
{
	switch (bug) {
	case KASAN_BUG_OOB: return "out-of-bounds";
	case KASAN_BUG_UAF: return "use-after-free";
	case KASAN_BUG_DOUBLE_FREE: return "double-free";
	case KASAN_BUG_INVALID_FREE: return "invalid-free";
	case KASAN_BUG_WILD: return "wild-memory-access";
	default: return "unknown";
	}
}

static enum kasan_bug classify(unsigned long addr, size_t size, u8 *shadow)
{
	s8 s;

	*shadow = 0;
	if (addr + size < addr || !kasan_addr_has_shadow(addr))
		return KASAN_BUG_WILD;
	s = *(s8 *)kasan_mem_to_shadow((void *)addr);
	*shadow = (u8)s;
	if ((u8)s == KASAN_SLAB_FREE || (u8)s == KASAN_PAGE_FREE)
		return KASAN_BUG_UAF;
	return KASAN_BUG_OOB;
}

static void describe(unsigned long addr)
{
	struct kasan_track t;

	if (!find_object(addr, &t)) {
		pr_err("no allocation of this memory recorded (a page, or the record was reused)\n");
		return;
	}
	pr_err("the address is %ld bytes %s the %zu-byte object at %#lx\n",
	       addr >= t.obj ? (long)(addr - t.obj) : (long)(t.obj - addr),
	       addr >= t.obj ? "into" : "before", t.size, t.obj);
	print_stack("allocated", t.alloc_cpu, t.alloc);
	if (t.free[0])
		print_stack("freed", t.free_cpu, t.free);
}

/*
 * A report from inside a report (the printing code) is dropped, as is one
 * from a thread inside kasan_disable_current() (or an interrupt on it).
 */
static bool report_recursing(void)
{
	struct task_struct *tsk = current;

	if (tsk && READ_ONCE(tsk->kasan_depth))
		return true;
	return READ_ONCE(in_report) == (int)smp_processor_id();
}

void kasan_disable_current(void)
{
	current->kasan_depth++;
}

void kasan_enable_current(void)
{
	WARN_ON_ONCE(!current->kasan_depth);
	if (current->kasan_depth)
		current->kasan_depth--;
}

/* report_lock held. */
static void report_start(void)
{
	WRITE_ONCE(in_report, (int)smp_processor_id());
	atomic_long_inc(&nr_reports);
}

static void report_stop(void)
{
	WRITE_ONCE(in_report, -1);
}

void kasan_report(unsigned long addr, size_t size, bool write, unsigned long ip)
{
	unsigned long flags;
	enum kasan_bug bug;
	u8 shadow;

	if (report_recursing())
		return;
	spin_lock_irqsave(&report_lock, flags);
	report_start();
	bug = classify(addr, size, &shadow);
	last = (struct kasan_report_info){ .bug = bug, .addr = addr, .size = size,
					   .write = write, .ip = ip, .shadow = shadow };
	pr_err("BUG: KASAN: %s in %pS\n", bug_name(bug), (void *)ip);
	if (!quiet) {
		pr_err("%s of size %zu at addr %#lx by CPU %u (shadow byte %#x)\n",
		       write ? "Write" : "Read", size, addr, smp_processor_id(), shadow);
		describe(addr);
		dump_stack();
	}
	report_stop();
	spin_unlock_irqrestore(&report_lock, flags);
}

void kasan_report_free(const void *obj, enum kasan_bug bug, unsigned long ip)
{
	unsigned long flags;
	u8 shadow;

	if (report_recursing())
		return;
	spin_lock_irqsave(&report_lock, flags);
	report_start();
	classify((unsigned long)obj, 1, &shadow);
	last = (struct kasan_report_info){ .bug = bug, .addr = (unsigned long)obj, .size = 0,
					   .write = false, .ip = ip, .shadow = shadow };
	pr_err("BUG: KASAN: %s of %#lx in %pS, refused\n", bug_name(bug),
	       (unsigned long)obj, (void *)ip);
	if (!quiet) {
		describe((unsigned long)obj);
		dump_stack();
	}
	report_stop();
	spin_unlock_irqrestore(&report_lock, flags);
}

bool kasan_report_active(void)
{
	return READ_ONCE(in_report) != -1;
}

unsigned long kasan_report_count(void)
{
	return atomic_long_read(&nr_reports);
}

void kasan_last_report(struct kasan_report_info *info)
{
	unsigned long flags;

	spin_lock_irqsave(&report_lock, flags);
	*info = last;
	spin_unlock_irqrestore(&report_lock, flags);
}

bool kasan_set_quiet(bool q)
{
	bool old = quiet;

	WRITE_ONCE(quiet, q);
	return old;
}
