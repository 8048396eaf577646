// SPDX-License-Identifier: GPL-2.0
/*
 * A lightweight lock-order validator (CONFIG_LOCKDEP).
 *
 * Goal: find ABBA deadlocks from one run in which they did not happen.
 * Locks are grouped in classes: the key of a class is the lock's
 * lock_class_key (one static key per spin_lock_init() call site) or, for a
 * statically defined lock, the lock's own address (per-CPU copies map back
 * to the template's address, so all CPUs share the class).  When a CPU
 * acquires class B while it holds class A, the pair A -> B is recorded in a
 * class graph; if B already reaches A in that graph, the new order closes a
 * cycle: that is reported once, with the call sites and the backtrace
 * recorded with the first edge of the opposite path, and the current
 * backtrace.  The check runs before the lock is spun on, so a real ABBA
 * deadlock is reported before it hangs.
 *
 * Invariants:
 *  - the held-lock stack of spinlocks is per CPU: spinlocks disable
 *    preemption, so a thread holding one never migrates, and the
 *    scheduler's rq lock (taken by one thread, released by the next)
 *    balances on its CPU;
 *  - sleeping locks (struct lockdep_map) are held across sleeps, while
 *    other threads run on the CPU: their stack is per thread
 *    (task_struct.lockdep).  A lock taken in thread context is ordered
 *    after both the CPU's spinlocks and the thread's sleeping locks;
 *  - pairs are only recorded between locks taken in the same context:
 *    thread, softirq or hard interrupt (lock_context()), as Linux's
 *    irq_context: an interrupt's locks do not depend on what the
 *    interrupted code held.  A bh-disabled section of a thread is thread
 *    context (Linux counts only a softirq being served as softirq): its
 *    locks are ordered after the thread's.  A trylock cannot deadlock: it records no pair
 *    to itself, but pairs from it to later locks;
 *  - two locks of one class held together (two zones' locks) record no
 *    pair: nesting within a class is not validated, unless it is
 *    annotated.  A sleeping lock taken with subclass n (mutex_lock_nested())
 *    is in the class keyed by byte n of its key (of the lock itself for a
 *    static lock, whose map is larger than MAX_LOCKDEP_SUBCLASSES bytes),
 *    as in Linux: a class of its own, ordered against the others, so a
 *    parent's and a child's device_lock() are;
 *  - the graph only grows (classes are never freed); edges are added under
 *    graph_lock, a raw lock taken with interrupts off.  Lookups of an
 *    existing edge read the bitmap without the lock (a stale miss just
 *    takes the slow path);
 *  - nothing here calls back into itself: printk and the backtrace take
 *    spinlocks, which are ignored while this CPU is inside the validator.
 *
 * Memory: MAX_CLASSES^2 bits of graph (8 KiB), an edge table with short
 * backtraces (MAX_EDGES * 72 bytes, 36 KiB), per CPU a stack of
 * MAX_HELD held locks, and per thread one of LOCKDEP_TASK_HELD.
 */
#define pr_fmt(fmt) "lockdep: " fmt

#include <exo/bitmap.h>
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kallsyms.h>
#include <exo/kernel.h>
#include <exo/lockdep.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/string.h>

#define MAX_CLASSES	256
#define MAX_EDGES	512
#define MAX_HELD	24
#define EDGE_STACK	6
#define KEY_HASH_SIZE	512	/* open addressing, power of two, > MAX_CLASSES */

struct lock_class {
	const void *key;
	const char *name;
	unsigned int subclass;
};

/* How the first A -> B pair was seen: where each lock was taken, and how. */
struct lock_edge {
	u16 from, to;
	unsigned long from_ip, to_ip;
	unsigned long stack[EDGE_STACK];
};

struct held_stack {
	unsigned int owner;		/* CPU number + 1; else stale (copied) */
	unsigned int depth;
	unsigned int in_lockdep;	/* recursion guard */
	struct held_lock held[MAX_HELD];
};

extern char _text[], _end[], __per_cpu_start[], __per_cpu_end[];

static struct lock_class classes[MAX_CLASSES];
static unsigned int nr_classes;
static u16 key_hash[KEY_HASH_SIZE];		/* class index + 1, 0 = empty */
static unsigned long graph[MAX_CLASSES][BITS_TO_LONGS(MAX_CLASSES)];	/* from -> to */
static struct lock_edge edges[MAX_EDGES];
static unsigned int nr_edges;
static spinlock_t graph_lock = __SPIN_LOCK_UNLOCKED(graph_lock);	/* raw use only */
static bool lockdep_off;		/* a table filled up: stop validating */
static unsigned int max_depth;
static unsigned long nr_reports, nr_untracked;
static const char *last_held, *last_acquired;
static unsigned int last_held_subclass, last_acquired_subclass;

static DEFINE_PER_CPU(struct held_stack, held_locks);

/* This CPU's stack; reset if it was copied from another CPU's area. */
static struct held_stack *this_stack(void)
{
	struct held_stack *hs = this_cpu_ptr(&held_locks);
	unsigned int me = smp_processor_id() + 1;

	if (unlikely(hs->owner != me)) {
		hs->owner = me;
		hs->depth = 0;
		hs->in_lockdep = 0;
	}
	return hs;
}

static void graph_lock_acquire(void)
{
	arch_spin_lock(&graph_lock);
}

static void graph_lock_release(void)
{
	arch_spin_unlock(&graph_lock);
}

/* The key of a lock without lock_class_key: its static address. */
static const void *static_key(const void *l)
{
	unsigned long a = (unsigned long)l;
	unsigned long size = (unsigned long)(__per_cpu_end - __per_cpu_start);

	/*
	 * A per-CPU copy, the boot CPU's (inside the image) included: the
	 * template offset (the template is linked at 0), one class for all.
	 */
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		unsigned long base = __per_cpu_offset[cpu];

		if (base && a - base < size)
			return (const void *)(a - base);
	}
	if (a >= (unsigned long)_text && a < (unsigned long)_end)
		return l;
	return NULL;
}

static unsigned int hash_key(const void *key)
{
	unsigned long k = (unsigned long)key;

	return (unsigned int)((k >> 3) * 0x9e3779b97f4a7c15UL >> 55) & (KEY_HASH_SIZE - 1);
}

/* Find or register the class of @key; graph lock held.  -1 if full. */
static int find_class(const void *key, const char *name, unsigned int subclass)
{
	unsigned int h = hash_key(key);

	for (unsigned int i = 0; i < KEY_HASH_SIZE; i++, h = (h + 1) & (KEY_HASH_SIZE - 1)) {
		unsigned int idx = key_hash[h];

		if (idx && classes[idx - 1].key == key)
			return (int)idx - 1;
		if (idx)
			continue;
		if (nr_classes == MAX_CLASSES)
			return -1;
		classes[nr_classes].key = key;
		classes[nr_classes].name = name ? name : "?";
		classes[nr_classes].subclass = subclass;
		key_hash[h] = (u16)(++nr_classes);
		return (int)nr_classes - 1;
	}
	return -1;
}

static const char *lock_name(spinlock_t *l)
{
#ifdef CONFIG_DEBUG_SPINLOCK
	return l->name;
#else
	return NULL;
#endif
}

/*
 * Class number of subclass @subclass of the lock at @lock with class key
 * @key (NULL: the lock's static address); subclass 0's is cached in
 * *@cache.  -1 if it has none.
 */
static int class_of(const void *lock, struct lock_class_key *key, const char *name,
		    unsigned int subclass, unsigned int *cache)
{
	unsigned int cached = READ_ONCE(*cache);
	const void *k;
	int idx;

	if (likely(cached) && !subclass)
		return (int)cached - 1;
	k = key ? (const void *)key : static_key(lock);
	if (!k)
		return -1;
	k = (const char *)k + subclass;
	graph_lock_acquire();
	idx = find_class(k, name, subclass);
	graph_lock_release();
	if (idx < 0) {
		if (!lockdep_off)
			pr_err("more than %d lock classes: validator off\n", MAX_CLASSES);
		lockdep_off = true;
		return -1;
	}
	if (!subclass)
		WRITE_ONCE(*cache, (unsigned int)idx + 1);
	return idx;
}

/* A class's name as reports print it: "name", or "name/subclass". */
static const char *class_str(unsigned int idx, char *buf, size_t size)
{
	if (!classes[idx].subclass)
		return classes[idx].name;
	snprintf(buf, size, "%s/%u", classes[idx].name, classes[idx].subclass);
	return buf;
}

static bool has_edge(unsigned int from, unsigned int to)
{
	return test_bit(to, graph[from]);
}

/*
 * Is there a path @from -> ... -> @to?  Breadth-first over the class graph;
 * graph lock held.  @parent[] receives the tree to rebuild the path.
 */
static bool find_path(unsigned int from, unsigned int to, u16 *parent)
{
	static u16 queue[MAX_CLASSES];
	static unsigned long seen[BITS_TO_LONGS(MAX_CLASSES)];
	unsigned int head = 0, tail = 0;

	memset(seen, 0, sizeof(seen));
	queue[tail++] = (u16)from;
	__set_bit(from, seen);
	while (head < tail) {
		unsigned int c = queue[head++];
		unsigned long n;

		for_each_set_bit(n, graph[c], MAX_CLASSES) {
			if (test_bit(n, seen))
				continue;
			__set_bit(n, seen);
			parent[n] = (u16)c;
			if (n == to)
				return true;
			queue[tail++] = (u16)n;
		}
	}
	return false;
}

static struct lock_edge *find_edge(unsigned int from, unsigned int to)
{
	for (unsigned int i = 0; i < nr_edges; i++)
		if (edges[i].from == from && edges[i].to == to)
			return &edges[i];
	return NULL;
}

/*
 * Return addresses of the frames from the lock site @ip outwards (the
 * frame-pointer chain; the validator's own frames are skipped).
 */
static void save_stack(unsigned long *out, unsigned int n, unsigned long ip)
{
	unsigned long fp = (unsigned long)__builtin_frame_address(0);
	unsigned int i = 0;
	bool found = false;

	memset(out, 0, n * sizeof(*out));
	out[i++] = ip;
	for (int depth = 0; depth < 32 && i < n && fp >= 0xffff800000000000UL && !(fp & 7);
	     depth++) {
		unsigned long *frame = (unsigned long *)fp;

		if (!frame[1])
			break;
		if (found)
			out[i++] = frame[1];
		else if (frame[1] == ip)
			found = true;
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
}

static void print_stack(const unsigned long *st, unsigned int n)
{
	for (unsigned int i = 0; i < n && st[i]; i++)
		printk(KERN_ERR "      %pS\n", (void *)st[i]);
}

/* Report that taking @next (class @to) while holding @prev closes a cycle. */
static noinline void report_inversion(const struct held_lock *prev, unsigned int to,
				      unsigned long ip, const u16 *parent)
{
	static char b1[48], b2[48];	/* graph lock held: one report at a time */
	unsigned int from = prev->class_idx, c;
	struct lock_edge *e;

	nr_reports++;
	last_held = classes[from].name;
	last_held_subclass = classes[from].subclass;
	last_acquired = classes[to].name;
	last_acquired_subclass = classes[to].subclass;
	printk(KERN_ERR "======================================================\n");
	printk(KERN_ERR "WARNING: possible circular locking dependency (CPU %u)\n",
	       smp_processor_id());
	printk(KERN_ERR "acquiring lock class '%s' at %pS\n", class_str(to, b1, sizeof(b1)),
	       (void *)ip);
	printk(KERN_ERR "while holding lock class '%s', taken at %pS\n",
	       class_str(from, b1, sizeof(b1)), (void *)prev->ip);
	printk(KERN_ERR "but the opposite order was seen before:\n");
	/* Walk the recorded path to -> ... -> from, edge by edge. */
	for (c = from; c != to; c = parent[c]) {
		e = find_edge(parent[c], c);
		printk(KERN_ERR "  '%s' (taken at %pS) -> '%s' (taken at %pS), call trace:\n",
		       class_str(parent[c], b1, sizeof(b1)), e ? (void *)e->from_ip : NULL,
		       class_str(c, b2, sizeof(b2)), e ? (void *)e->to_ip : NULL);
		if (e)
			print_stack(e->stack, EDGE_STACK);
	}
	printk(KERN_ERR "this order ('%s' -> '%s'), call trace:\n",
	       class_str(from, b1, sizeof(b1)), class_str(to, b2, sizeof(b2)));
	dump_stack();
	printk(KERN_ERR "======================================================\n");
}

/* Record prev -> @to (first time only), reporting a cycle it closes. */
static void add_dependency(const struct held_lock *prev, unsigned int to, unsigned long ip)
{
	static u16 parent[MAX_CLASSES];
	unsigned int from = prev->class_idx;
	bool cycle;

	graph_lock_acquire();
	if (has_edge(from, to)) {
		graph_lock_release();
		return;
	}
	cycle = find_path(to, from, parent);
	if (nr_edges < MAX_EDGES) {
		struct lock_edge *e = &edges[nr_edges++];

		e->from = (u16)from;
		e->to = (u16)to;
		e->from_ip = prev->ip;
		e->to_ip = ip;
		save_stack(e->stack, EDGE_STACK, ip);
	} else if (!lockdep_off) {
		pr_err("more than %d lock dependencies: validator off\n", MAX_EDGES);
		lockdep_off = true;
	}
	/* Recorded even when it closes a cycle: each inversion is reported once. */
	set_bit(to, graph[from]);
	if (cycle)
		report_inversion(prev, to, ip, parent);
	graph_lock_release();
}

/*
 * Enter the validator on this CPU, interrupts off: its stack, or NULL if
 * this CPU is inside the validator already (its own printk's locks).
 */
static struct held_stack *validator_enter(unsigned long *flags)
{
	struct held_stack *hs;

	*flags = arch_local_irq_save();
	hs = this_stack();
	if (hs->in_lockdep) {
		arch_local_irq_restore(*flags);
		return NULL;
	}
	hs->in_lockdep = 1;
	return hs;
}

static void validator_exit(struct held_stack *hs, unsigned long flags)
{
	hs->in_lockdep = 0;
	arch_local_irq_restore(flags);
}

/* current's sleeping-lock stack; NULL before the scheduler runs. */
static struct lockdep_task *task_stack(void)
{
	struct task_struct *t = sched_ready() ? current : NULL;

	return t ? &t->lockdep : NULL;
}

/*
 * The context a lock is taken in: 0 thread (bottom halves disabled or
 * not), 1 serving a softirq, 2 a hard interrupt or a trap.  in_interrupt()
 * would also count a thread's local_bh_disable() section as interrupt
 * context and so lose the orders between its locks and the thread's.
 */
static u8 lock_context(void)
{
	if (preempt_count() & (HARDIRQ_MASK | TRAP_MASK))
		return 2;
	return in_serving_softirq() ? 1 : 0;
}

/* Record held -> @cls for the top entries of @held taken in context @ctx. */
static void check_held(const struct held_lock *held, unsigned int depth, u8 ctx,
		       unsigned int cls, unsigned long ip)
{
	for (int i = (int)depth - 1; i >= 0; i--) {
		const struct held_lock *h = &held[i];

		if (h->irq_context != ctx)
			break;
		if (h->class_idx != cls && !has_edge(h->class_idx, cls))
			add_dependency(h, cls, ip);
	}
}

/* Push @h on a stack of @max entries; false (validator off) if it is full. */
static bool push_held(struct held_lock *held, unsigned int *depth, unsigned int max,
		      struct held_lock h)
{
	if (*depth == max) {
		pr_err("more than %u locks held: validator off\n", max);
		lockdep_off = true;
		return false;
	}
	held[(*depth)++] = h;
	return true;
}

/* Remove @lock from a stack; usually the top, else the rest shifts down. */
static void pop_held(struct held_lock *held, unsigned int *depth, const void *lock)
{
	for (int i = (int)*depth - 1; i >= 0; i--) {
		if (held[i].lock != lock)
			continue;
		memmove(&held[i], &held[i + 1],
			(*depth - 1 - (unsigned int)i) * sizeof(held[0]));
		(*depth)--;
		return;
	}
	/* Not found: taken while the validator ignored this CPU, or untracked. */
}

void lockdep_acquire(spinlock_t *l, bool trylock)
{
	unsigned long ip = _RET_IP_, flags;
	struct lockdep_task *ts;
	struct held_stack *hs;
	u8 ctx;
	int cls;

	if (READ_ONCE(lockdep_off))
		return;
	hs = validator_enter(&flags);
	if (!hs)
		return;
	cls = class_of(l, l->key, lock_name(l), 0, &l->class_idx);
	if (cls < 0) {
		nr_untracked++;
		goto done;
	}
	ctx = lock_context();
	if (!trylock) {
		check_held(hs->held, hs->depth, ctx, (unsigned int)cls, ip);
		ts = ctx ? NULL : task_stack();
		if (ts)
			check_held(ts->held, ts->depth, 0, (unsigned int)cls, ip);
	}
	if (push_held(hs->held, &hs->depth, MAX_HELD, (struct held_lock){
			.lock = l, .ip = ip, .class_idx = (u16)cls, .irq_context = ctx,
			.trylock = trylock }) && hs->depth > max_depth)
		max_depth = hs->depth;
done:
	validator_exit(hs, flags);
}
EXPORT_SYMBOL(lockdep_acquire);	/* inline spin_lock() calls it from modules too */

void lockdep_release(spinlock_t *l)
{
	unsigned long flags = arch_local_irq_save();
	struct held_stack *hs = this_stack();

	pop_held(hs->held, &hs->depth, l);
	arch_local_irq_restore(flags);
}
EXPORT_SYMBOL(lockdep_release);	/* inline spin_lock() calls it from modules too */

/*
 * A sleeping lock is only taken in thread context, where no spinlock may
 * be held (might_sleep() reports that): it is ordered after the thread's
 * other sleeping locks only.
 */
void lock_map_acquire(struct lockdep_map *map, unsigned int subclass, bool trylock,
		      unsigned long ip)
{
	struct lockdep_task *ts = task_stack();
	struct held_stack *hs;
	unsigned long flags;
	int cls;

	if (READ_ONCE(lockdep_off) || !ts)
		return;
	hs = validator_enter(&flags);
	if (!hs)
		return;
	if (subclass >= MAX_LOCKDEP_SUBCLASSES) {
		static bool said;

		if (!said)
			pr_err("%s taken with subclass %u (the limit is %u) at %pS: not tracked\n",
			       map->name ? map->name : "?", subclass,
			       MAX_LOCKDEP_SUBCLASSES - 1, (void *)ip);
		said = true;
		cls = -1;
	} else {
		cls = class_of(map, map->key, map->name, subclass, &map->class_idx);
	}
	if (cls < 0)
		nr_untracked++;
	else if (!trylock)
		check_held(ts->held, ts->depth, 0, (unsigned int)cls, ip);
	if (cls >= 0 && push_held(ts->held, &ts->depth, LOCKDEP_TASK_HELD, (struct held_lock){
			.lock = map, .ip = ip, .class_idx = (u16)cls, .trylock = trylock }) &&
	    ts->depth > max_depth)
		max_depth = ts->depth;
	validator_exit(hs, flags);
}

void lock_map_release(struct lockdep_map *map)
{
	struct lockdep_task *ts = task_stack();
	unsigned long flags;

	if (!ts)
		return;
	flags = arch_local_irq_save();
	pop_held(ts->held, &ts->depth, map);
	arch_local_irq_restore(flags);
}

unsigned int lockdep_task_depth(void)
{
	struct lockdep_task *ts = task_stack();

	return ts ? READ_ONCE(ts->depth) : 0;
}

unsigned int lockdep_depth(void)
{
	unsigned long flags = arch_local_irq_save();
	unsigned int d = this_stack()->depth;

	arch_local_irq_restore(flags);
	return d;
}

void lockdep_get_stats(struct lockdep_stats *st)
{
	unsigned long flags = arch_local_irq_save();

	graph_lock_acquire();
	st->nr_classes = nr_classes;
	st->nr_edges = 0;
	for (unsigned int i = 0; i < nr_classes; i++)
		st->nr_edges += (unsigned int)bitmap_weight(graph[i], MAX_CLASSES);
	st->max_depth = max_depth;
	st->nr_reports = nr_reports;
	st->nr_untracked = nr_untracked;
	st->last_held = last_held;
	st->last_acquired = last_acquired;
	st->last_held_subclass = last_held_subclass;
	st->last_acquired_subclass = last_acquired_subclass;
	st->off = READ_ONCE(lockdep_off);
	graph_lock_release();
	arch_local_irq_restore(flags);
}

#ifdef CONFIG_KERNEL_SHELL
static int cmd_lockdep(int argc, char **argv)
{
	struct lockdep_stats st;

	if (argc > 1 && shell_arg_choice(argv[0], argv[1], "-v") < 0)
		return -EINVAL;
	lockdep_get_stats(&st);
	printk("lockdep: %s, %u classes, %u dependencies, max depth %u, %lu inversions, "
	       "%lu untracked acquisitions\n", READ_ONCE(lockdep_off) ? "off" : "on",
	       st.nr_classes, st.nr_edges, st.max_depth, st.nr_reports, st.nr_untracked);
	if (argc > 1)
		for (unsigned int i = 0; i < st.nr_classes; i++) {
			char buf[48];

			printk("  %3u %s\n", i, class_str(i, buf, sizeof(buf)));
		}
	return 0;
}
DEFINE_SHELL_CMD_ARGS(lockdep, "[-v]", 0, 1, "lock-order validator statistics (-v: classes)",
		      cmd_lockdep);
#endif
