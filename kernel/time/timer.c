// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel timers: per-CPU timer bases driven by the timer tick.
 *
 * Each CPU's base is a hashed wheel of WHEEL_SIZE buckets indexed by the
 * low bits of the expiry: adding or removing a timer is O(1), and a tick
 * looks at one bucket (more when it has fallen behind), firing the timers
 * of that bucket that have expired and leaving those that are a whole turn
 * or more away.  The resolution is one jiffy; no cascading is needed
 * because a bucket is checked once per turn and compared with jiffies.
 *
 * Invariants (under base->lock):
 *   T1  a pending timer is on exactly one list of the base whose CPU is in
 *       its ->flags, or on the expired list of that base's running tick;
 *   T2  ->flags changes CPU only with both bases locked in turn and
 *       TIMER_MIGRATING set in between, so lock_timer_base() always ends
 *       holding the lock of the timer's base;
 *   T3  base->running_timer is the timer whose callback runs now, and a
 *       timer whose callback runs is never moved to another base (its
 *       callback never runs on two CPUs at once, del_timer_sync() waits
 *       for it on one base).
 *
 * jiffies is ktime_get_ns() / TICK_NSEC, published by whichever CPU's tick
 * sees a new value first (see <exo/jiffies.h>).
 */
#define pr_fmt(fmt) "timer: " fmt

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/timer.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

#define WHEEL_BITS	8
#define WHEEL_SIZE	(1U << WHEEL_BITS)
#define WHEEL_MASK	(WHEEL_SIZE - 1)
#define TIMER_THIS_CPU	(~0U)	/* __mod_timer(): the calling CPU */

struct timer_base {
	spinlock_t lock;
	struct timer_list *running_timer;
	unsigned long clk;		/* next jiffy whose bucket is due */
	unsigned long nr_pending;
	unsigned long nr_run;
	bool in_tick;			/* callbacks running: a nested tick skips */
	bool ready;
	/*
	 * Due timers taken off the wheel by the running tick, fired one by
	 * one: here, not on the tick's stack, so timer_find_armed() sees them.
	 */
	struct list_head expired;
	struct list_head wheel[WHEEL_SIZE];
};

static DEFINE_PER_CPU_ALIGNED(struct timer_base, timer_bases);

unsigned long volatile jiffies;
EXPORT_SYMBOL(jiffies);

static struct timer_base *cpu_base(unsigned int cpu)
{
	return per_cpu_ptr(&timer_bases, cpu);
}

void timer_setup(struct timer_list *timer, void (*callback)(struct timer_list *),
		 unsigned int flags)
{
	timer->entry.next = timer->entry.prev = NULL;
	timer->function = callback;
	timer->expires = 0;
	timer->flags = (flags & (TIMER_PINNED | TIMER_IRQSAFE)) | smp_processor_id();
}
EXPORT_SYMBOL_GPL(timer_setup);

/* A timer that timer_setup() never saw: refuse it rather than crash. */
static bool timer_bad(struct timer_list *timer, const char *what)
{
	if (likely(timer->function))
		return false;
	pr_err("%s(%p): timer not initialised with timer_setup()\n", what, timer);
	WARN_ON_ONCE(1);
	return true;
}

/* Lock the base @timer is on (T2).  Interrupts disabled on return. */
static struct timer_base *lock_timer_base(struct timer_list *timer, unsigned long *flags)
	__acquires(base->lock)
{
	for (;;) {
		u32 tf = READ_ONCE(timer->flags);

		if (!(tf & TIMER_MIGRATING)) {
			struct timer_base *base = cpu_base(tf & TIMER_CPUMASK);

			spin_lock_irqsave(&base->lock, *flags);
			if (READ_ONCE(timer->flags) == tf)
				return base;
			spin_unlock_irqrestore(&base->lock, *flags);
		}
		cpu_relax();
	}
}

/* Put @timer on @base's wheel; base locked, timer not pending. */
static void enqueue_timer(struct timer_base *base, struct timer_list *timer)
{
	unsigned long idx = timer->expires;

	/* Already expired: the next bucket the tick looks at. */
	if (time_before(idx, base->clk))
		idx = base->clk;
	list_add_tail(&timer->entry, &base->wheel[idx & WHEEL_MASK]);
	base->nr_pending++;
}

static int detach_if_pending(struct timer_base *base, struct timer_list *timer)
{
	if (!timer_pending(timer))
		return 0;
	list_del(&timer->entry);
	base->nr_pending--;
	return 1;
}

/*
 * Arm @timer at @expires on @cpu's base (or, with @keep_pinned and the
 * timer pinned, on its own).  The target must be online.
 */
static int __mod_timer(struct timer_list *timer, unsigned long expires, unsigned int cpu,
		       bool keep_pinned)
{
	struct timer_base *base, *new_base;
	unsigned long flags;
	int ret;

	base = lock_timer_base(timer, &flags);
	ret = detach_if_pending(base, timer);
	if (cpu == TIMER_THIS_CPU)
		cpu = smp_processor_id();
	new_base = cpu_base(cpu);
	if (keep_pinned && (timer->flags & TIMER_PINNED))
		new_base = base;
	/* T3: a running callback keeps its timer on its base. */
	if (new_base != base && base->running_timer != timer && new_base->ready) {
		WRITE_ONCE(timer->flags, timer->flags | TIMER_MIGRATING);
		spin_unlock(&base->lock);
		base = new_base;
		spin_lock(&base->lock);
		WRITE_ONCE(timer->flags, (timer->flags & ~(TIMER_MIGRATING | TIMER_CPUMASK)) | cpu);
	}
	timer->expires = expires;
	enqueue_timer(base, timer);
	spin_unlock_irqrestore(&base->lock, flags);
	return ret;
}

int mod_timer(struct timer_list *timer, unsigned long expires)
{
	if (timer_bad(timer, "mod_timer"))
		return -EINVAL;
	return __mod_timer(timer, expires, TIMER_THIS_CPU, true);
}
EXPORT_SYMBOL_GPL(mod_timer);

void add_timer(struct timer_list *timer)
{
	if (timer_bad(timer, "add_timer") || WARN_ON(timer_pending(timer)))
		return;
	__mod_timer(timer, timer->expires, TIMER_THIS_CPU, true);
}
EXPORT_SYMBOL_GPL(add_timer);

void add_timer_on(struct timer_list *timer, unsigned int cpu)
{
	if (timer_bad(timer, "add_timer_on") || WARN_ON(timer_pending(timer)))
		return;
	if (cpu >= nr_cpu_ids || !cpu_online(cpu) || !cpu_base(cpu)->ready) {
		pr_err("add_timer_on(%p, %u): CPU not online, using this one\n", timer, cpu);
		cpu = TIMER_THIS_CPU;
	}
	__mod_timer(timer, timer->expires, cpu, false);
}
EXPORT_SYMBOL_GPL(add_timer_on);

int del_timer(struct timer_list *timer)
{
	struct timer_base *base;
	unsigned long flags;
	int ret;

	if (!timer_pending(timer))
		return 0;
	base = lock_timer_base(timer, &flags);
	ret = detach_if_pending(base, timer);
	spin_unlock_irqrestore(&base->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(del_timer);

int try_to_del_timer_sync(struct timer_list *timer)
{
	struct timer_base *base;
	unsigned long flags;
	int ret = -1;

	base = lock_timer_base(timer, &flags);
	if (base->running_timer != timer)
		ret = detach_if_pending(base, timer);
	spin_unlock_irqrestore(&base->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(try_to_del_timer_sync);

int del_timer_sync(struct timer_list *timer)
{
	int ret;

	if (timer_bad(timer, "del_timer_sync"))
		return 0;
	if (WARN_ON_ONCE(in_interrupt())) {
		pr_err("del_timer_sync(%ps) from atomic context: not waiting\n",
		       timer->function);
		ret = try_to_del_timer_sync(timer);
		return ret < 0 ? 0 : ret;
	}
	might_sleep();
	while ((ret = try_to_del_timer_sync(timer)) < 0)
		cpu_relax();
	return ret;
}
EXPORT_SYMBOL_GPL(del_timer_sync);

/* Run the callbacks on @expired, one by one; base locked, interrupts off. */
static void expire_timers(struct timer_base *base, struct list_head *expired)
	__must_hold(&base->lock)
{
	while (!list_empty(expired)) {
		struct timer_list *timer = list_first_entry(expired, struct timer_list, entry);
		void (*fn)(struct timer_list *) = timer->function;

		list_del(&timer->entry);
		base->nr_pending--;
		base->running_timer = timer;
		if (timer->flags & TIMER_IRQSAFE) {
			spin_unlock(&base->lock);
			fn(timer);
			spin_lock(&base->lock);
		} else {
			spin_unlock_irq(&base->lock);
			fn(timer);
			spin_lock_irq(&base->lock);
		}
		base->running_timer = NULL;
		base->nr_run++;
	}
}

/* Fire what expired up to @now on this CPU's base.  Interrupts enabled. */
static void run_timer_base(struct timer_base *base, unsigned long now)
{
	unsigned long start, steps;

	spin_lock_irq(&base->lock);
	start = base->clk;
	steps = now - start + 1;
	if (steps > WHEEL_SIZE)		/* fell a whole turn behind: every bucket */
		steps = WHEEL_SIZE;
	/* Callbacks that re-arm for "now" land in the next tick's bucket. */
	base->clk = now + 1;
	for (unsigned long i = 0; i < steps; i++) {
		struct list_head *bucket = &base->wheel[(start + i) & WHEEL_MASK];
		struct timer_list *timer, *tmp;

		list_for_each_entry_safe(timer, tmp, bucket, entry)
			if (time_before_eq(timer->expires, now))
				list_move_tail(&timer->entry, &base->expired);
		expire_timers(base, &base->expired);
	}
	spin_unlock_irq(&base->lock);
}

/* Bring jiffies up to the TSC clock; any CPU, any order. */
static unsigned long update_jiffies(void)
{
	unsigned long now = ktime_get_ns() / TICK_NSEC;
	unsigned long old = jiffies;

	while (time_after(now, old)) {
		if (__atomic_compare_exchange_n((unsigned long *)&jiffies, &old, now, false,
						__ATOMIC_RELEASE, __ATOMIC_RELAXED))
			return now;
	}
	return old;
}

void run_local_timers(void)
{
	struct timer_base *base = this_cpu_ptr(&timer_bases);
	unsigned long now = update_jiffies();

	if (!base->ready || base->in_tick || time_before(now, base->clk))
		return;
	base->in_tick = true;
	local_irq_enable();
	run_timer_base(base, now);
	local_irq_disable();
	base->in_tick = false;
}

void timer_stats(unsigned int cpu, unsigned long *pending, unsigned long *run)
{
	struct timer_base *base = cpu_base(cpu);

	*pending = READ_ONCE(base->nr_pending);
	*run = READ_ONCE(base->nr_run);
}

bool timer_find_armed(bool (*match)(const struct timer_list *timer, void *arg), void *arg,
		      void (**fn)(struct timer_list *))
{
	unsigned int cpu;
	bool found = false;

	for_each_possible_cpu(cpu) {
		struct timer_base *base = cpu_base(cpu);
		struct timer_list *timer;
		unsigned long flags;

		if (!READ_ONCE(base->ready))
			continue;
		spin_lock_irqsave(&base->lock, flags);
		if (base->running_timer && match(base->running_timer, arg)) {
			*fn = base->running_timer->function;
			found = true;
		}
		list_for_each_entry(timer, &base->expired, entry)
			if (!found && match(timer, arg)) {
				*fn = timer->function;
				found = true;
			}
		for (unsigned int i = 0; i < WHEEL_SIZE && !found; i++)
			list_for_each_entry(timer, &base->wheel[i], entry)
				if (match(timer, arg)) {
					*fn = timer->function;
					found = true;
					break;
				}
		spin_unlock_irqrestore(&base->lock, flags);
		if (found)
			return true;
	}
	return false;
}
EXPORT_SYMBOL_GPL(timer_find_armed);

static int __init init_timers(void)
{
	unsigned long now = update_jiffies();
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct timer_base *base = cpu_base(cpu);

		spin_lock_init(&base->lock);
		INIT_LIST_HEAD(&base->expired);
		for (unsigned int i = 0; i < WHEEL_SIZE; i++)
			INIT_LIST_HEAD(&base->wheel[i]);
		base->clk = now;
		smp_store_release(&base->ready, true);
	}
	pr_info("per-CPU timer wheels, HZ=%u\n", HZ);
	return 0;
}
early_initcall(init_timers);

void usleep_range(unsigned long min, unsigned long max)
{
	u64 deadline = ktime_get_ns() + (u64)min * NSEC_PER_USEC, now;

	might_sleep();
	/* schedule_timeout_ns() returns early on a stray wake-up: sleep the rest. */
	while ((now = ktime_get_ns()) < deadline) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule_timeout_ns(deadline - now);
	}
}
EXPORT_SYMBOL_GPL(usleep_range);

unsigned long msleep_interruptible(unsigned int ms)
{
	msleep(ms);
	return 0;
}
EXPORT_SYMBOL_GPL(msleep_interruptible);
