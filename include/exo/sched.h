/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel threads and the per-CPU round-robin scheduler (kernel/sched/).
 *
 * Every CPU has a run queue of runnable threads and an idle thread that
 * halts when the queue is empty.  A thread runs until it blocks, yields or
 * uses up its time slice (checked from the timer interrupt, which then
 * preempts it on interrupt return if preemption is enabled).  Threads stay
 * on the CPU they were created for (kthread_bind(), or round-robin
 * placement), so a run queue is only ever touched under its own lock.
 *
 * `current` is the running thread; per-thread state of other subsystems
 * (the thread-local kmalloc tier) hangs off it and is flushed by the
 * exit hooks when the thread ends.
 */
#ifndef _EXO_SCHED_H
#define _EXO_SCHED_H

#include <exo/types.h>
#include <exo/atomic.h>
#include <exo/jiffies.h>
#include <exo/limits.h>
#include <exo/list.h>
#include <exo/lockdep.h>
#include <exo/percpu.h>
#include <exo/spinlock.h>

/* Thread states. */
#define TASK_RUNNING		0	/* on a run queue or running */
#define TASK_INTERRUPTIBLE	1	/* sleeping, any wake-up ends it */
#define TASK_UNINTERRUPTIBLE	2	/* sleeping, same (no signals here) */
#define TASK_NEW		4	/* created, never woken */
#define TASK_DEAD		8	/* exited, waiting to be joined */

/* Task flags. */
#define PF_IDLE		0x1	/* the CPU's idle thread */
#define PF_KTHREAD	0x2	/* created by kthread_create() */
#define PF_DETACHED	0x4	/* nobody joins it: freed when it exits */
#define PF_BOUND	0x8	/* kthread_bind()ed: never placed elsewhere */

#define TASK_COMM_LEN	16

struct task_struct {
	unsigned long sp;		/* saved stack pointer; first (switch.S) */
	int state;			/* TASK_* */
	unsigned int flags;		/* PF_* */
	unsigned int cpu;		/* run queue it belongs to */
	bool on_rq;			/* queued or running */
	bool stop;			/* kthread_stop() asked it to end */
	void *stack;			/* lowest address of the stack */
	size_t stack_size;
	int (*fn)(void *arg);
	void *arg;
	int exit_code;
	u64 wake_at;			/* sleeping: ktime deadline, 0 if none */
	u64 slice_start;		/* ktime when it last got the CPU */
	u64 nr_switches;		/* times it was switched in */
	struct list_head run_list;	/* run queue */
	struct list_head sleep_list;	/* timed sleepers of its run queue */
	struct list_head tasks;		/* all threads */
	bool switched_out;		/* dead and off its stack: joinable */
	void *slab_cache;		/* thread-local kmalloc tier (mm/slab_tcache.c) */
#ifdef CONFIG_LOCKDEP
	struct lockdep_task lockdep;	/* sleeping locks held (lockdep.c) */
#endif
#ifdef CONFIG_KASAN
	unsigned int kasan_depth;	/* kasan_disable_current() nesting */
#endif
	char comm[TASK_COMM_LEN];
	int pid;			/* from 1, in creation order; idle threads 0 */
};

DECLARE_PER_CPU(struct task_struct *, current_task);

/* The thread running on this CPU. */
static __always_inline struct task_struct *get_current(void)
{
	return this_cpu_read(current_task);
}
#define current get_current()

/* @t's thread id: 0 for the idle threads, as Linux's swapper. */
static inline int task_pid_nr(const struct task_struct *t)
{
	return t->flags & PF_IDLE ? 0 : t->pid;
}

/* Set current's state before testing a sleep condition (wait.h). */
#define set_current_state(s)	do { WRITE_ONCE(current->state, (s)); smp_mb(); } while (0)
#define __set_current_state(s)	WRITE_ONCE(current->state, (s))

/* Time slice of a thread before the tick asks for a switch. */
#define SCHED_SLICE_NS		(10ULL * 1000 * 1000)

/**
 * schedule() - give the CPU to the next runnable thread
 *
 * If current->state is not TASK_RUNNING, the thread sleeps until
 * wake_up_process(); otherwise it goes to the back of its run queue.
 * Must be called with preemption enabled (count 0), outside interrupts.
 */
void schedule(void);

/**
 * yield() - let the other runnable threads of this CPU run first
 */
void yield(void);

/**
 * wake_up_process() - make a sleeping or new thread runnable
 * @p: the thread
 *
 * Safe from any CPU and from interrupt context.  A thread on another CPU
 * gets there by a reschedule IPI.
 * Return: true if @p was not runnable and now is.
 */
bool wake_up_process(struct task_struct *p);

/**
 * schedule_timeout_ns() - sleep at most @ns nanoseconds
 * @ns: the longest sleep
 *
 * The precise sleep under schedule_timeout(), msleep() and usleep_range():
 * the deadline is the TSC clock's, not a tick.  As Linux's
 * schedule_timeout(), it sleeps in the state the caller set
 * (set_current_state(), prepare_to_wait()); a wake-up since then left the
 * thread TASK_RUNNING, and then it returns at once instead of sleeping
 * through that wake-up.  Returns early on wake_up_process().
 * Return: nanoseconds left (0 if the time ran out).
 */
u64 schedule_timeout_ns(u64 ns);

/* schedule_timeout() without a timeout: sleep until woken. */
#define MAX_SCHEDULE_TIMEOUT	LONG_MAX

/**
 * schedule_timeout() - sleep at most @timeout jiffies
 * @timeout: the longest sleep, in jiffies (msecs_to_jiffies()), or
 *	MAX_SCHEDULE_TIMEOUT for no limit
 *
 * As Linux's: the caller sets its sleeping state first
 * (set_current_state(TASK_UNINTERRUPTIBLE), or use
 * schedule_timeout_uninterruptible()); a thread still TASK_RUNNING does
 * not sleep.  Returns early on wake_up_process().  A negative @timeout is
 * refused with a log line.
 * Return: the jiffies left, rounded up (0 if the time ran out, or for a
 * negative @timeout); MAX_SCHEDULE_TIMEOUT for MAX_SCHEDULE_TIMEOUT.
 */
long schedule_timeout(long timeout);

/** schedule_timeout_uninterruptible() - set TASK_UNINTERRUPTIBLE, schedule_timeout() */
static inline long schedule_timeout_uninterruptible(long timeout)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

/** schedule_timeout_interruptible() - as uninterruptible: there are no signals */
static inline long schedule_timeout_interruptible(long timeout)
{
	set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

/**
 * msleep() - sleep for at least @ms milliseconds
 * @ms: duration
 */
void msleep(unsigned int ms);

/**
 * scheduler_tick() - timer interrupt hook, on every CPU
 *
 * Wakes the sleepers whose time has come and asks for a switch when the
 * current thread has used its slice.  Called with interrupts disabled.
 */
void scheduler_tick(void);

/**
 * sched_init() - make the boot context the "init" thread of CPU 0
 *
 * Also creates CPU 0's idle thread.  Needs the page allocator.
 */
void sched_init(void);

/**
 * sched_init_ap() - prepare this AP's run queue; its boot context becomes idle
 * @cpu: this CPU's number
 * @stack: lowest address of the stack the AP runs on
 * @size: its size
 *
 * Call on the AP, before it is marked online, then cpu_startup_entry().
 * Return: 0, or -ENOMEM.
 */
int sched_init_ap(unsigned int cpu, void *stack, size_t size);

/**
 * cpu_startup_entry() - turn an AP's boot context into its idle thread
 * @cpu: this CPU
 *
 * Called by the SMP bring-up code as the last step of an AP's start, with
 * its per-CPU area in place and interrupts still disabled.  Never returns.
 */
void __noreturn cpu_startup_entry(unsigned int cpu);

/**
 * smp_send_reschedule() - make @cpu look at its run queue now
 * @cpu: another online CPU
 *
 * The SMP code overrides this weak no-op with a reschedule IPI; without
 * it a remote wake-up waits for that CPU's next tick.
 */
void smp_send_reschedule(unsigned int cpu);

/**
 * preempt_schedule_irq() - preempt on return from an interrupt
 *
 * Called by the interrupt exit path with interrupts disabled when the
 * preempt count is 0 and a switch is pending.
 */
void preempt_schedule_irq(void);

/* Per-CPU scheduler statistics for `cpus`/`ps`. */
struct sched_cpu_stats {
	unsigned int nr_running;	/* runnable, not counting idle */
	u64 nr_switches;
	u64 idle_ns;			/* time spent in the idle thread */
	u64 ticks;
};

/**
 * sched_cpu_stats() - a CPU's scheduler counters
 * @cpu: CPU number
 * @st: filled in
 */
void sched_cpu_stats(unsigned int cpu, struct sched_cpu_stats *st);

/**
 * nr_threads() - number of threads that exist (idle threads included)
 */
unsigned int nr_threads(void);

/**
 * sched_ready() - has sched_init() run (is `current` valid)?
 */
bool sched_ready(void);

/**
 * copy_thread() - arch hook: make a new thread's stack switchable-to
 * @p: the new thread, with @p->stack and @p->stack_size set
 *
 * Builds the frame the arch's __switch_to() resumes from, such that the
 * first switch to @p enters the arch's ret_from_kthread, which calls
 * schedule_tail(prev) and then kthread_main(@p); sets @p->sp to it.
 * Called by kernel/kthread.c before the thread is visible to anyone.
 * (x86: arch/x86/kernel/process.c; Linux's copy_thread() also handles
 * user-space forks, which this kernel does not have.)
 * Return: 0, or a negative errno if the arch cannot set up the thread
 * (the caller then frees it).
 */
int copy_thread(struct task_struct *p);

/* Hook for subsystems that keep per-thread state: run by a thread on exit. */
struct task_exit_hook {
	void (*fn)(struct task_struct *t);
	struct task_exit_hook *next;
};

/**
 * register_task_exit_hook() - call @h->fn(current) in every exiting thread
 * @h: static hook
 */
void register_task_exit_hook(struct task_exit_hook *h);

#endif /* _EXO_SCHED_H */
