// SPDX-License-Identifier: GPL-2.0
/*
 * Cross-CPU calls, reschedule IPIs and the panic stop.
 *
 * Design: every CPU has a lock-free call queue (a stack of call_single_data
 * pushed with cmpxchg, taken whole with xchg by the owner).  A sender queues
 * one csd per target and sends the call-function IPI only when the target's
 * queue was empty: a non-empty queue means an IPI is already on its way and
 * the handler will find the new entry too.  Each CPU owns one csd per
 * possible target (csd_data), reused only once the previous call through it
 * has completed (CSD_LOCKED clear), so asynchronous calls need no allocation.
 *
 * smp_call_function_many() queues on every target first and then sends the
 * IPIs in one arch_send_call_function_ipi_mask(), as Linux does.  Waiting
 * for a csd meanwhile, with IPIs still held back, cannot deadlock: that
 * csd belongs to an earlier call, whose IPI was sent before it returned.
 *
 * The architecture sends the IPIs and takes them (the arch_*() hooks in
 * <exo/smp.h>; its handlers call generic_smp_call_function_interrupt() and
 * generic_smp_reschedule_interrupt()), and stops CPUs for a panic
 * (arch_smp_send_stop(), smp_stop_begin()/smp_stop_end()).
 *
 * Invariants:
 *   C1  a csd is on at most one queue, and only while CSD_LOCKED is set;
 *   C2  the handler clears CSD_LOCKED after the function returned (sync) or
 *       after it copied func/info (async), with release ordering, so a
 *       waiting sender sees the function's side effects;
 *   C3  a CPU that waits with interrupts disabled keeps serving its own
 *       queue, so two CPUs calling each other with interrupts off progress.
 *   C4  a CPU's csds are only used by the thread running there, with
 *       preemption off: never from an interrupt, exception or NMI handler,
 *       which could have interrupted that thread between its csd_wait()
 *       and queue_call() and would queue an already-queued csd (a cycle in
 *       the target's queue) or wait forever for one the interrupted thread
 *       has locked.  Such calls are refused (csd_context_ok()).  Thread
 *       context with interrupts off is fine, unlike in Linux: nothing on
 *       this CPU can then reach the csds, and C3 prevents the deadlock
 *       Linux warns about.
 */
#define pr_fmt(fmt) "smp: " fmt

#include <exo/atomic.h>
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/spinlock.h>
#include <exo/time.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/smp.h>

struct cpumask cpu_online_mask = { .bits = { 1 } };
struct cpumask cpu_possible_mask = { .bits = { 1 } };
unsigned int nr_cpu_ids = 1;

#define CSD_LOCKED	0x1
#define CSD_SYNC	0x2

struct call_single_data {
	struct call_single_data *next;
	smp_call_func_t func;
	void *info;
	unsigned int flags;
};

static DEFINE_PER_CPU(struct call_single_data *, call_queue);
static DEFINE_PER_CPU_ALIGNED(struct call_single_data [NR_CPUS], csd_data);

static DEFINE_PER_CPU(unsigned long, ipi_sent);
static DEFINE_PER_CPU(unsigned long, ipi_received);
static DEFINE_PER_CPU(unsigned long, calls_sent);
static DEFINE_PER_CPU(unsigned long, calls_handled);
static DEFINE_PER_CPU(unsigned long, resched_received);
static DEFINE_PER_CPU(u64, wait_ticks);

void set_cpu_online(unsigned int cpu, bool online)
{
	if (online)
		__atomic_fetch_or(&cpu_online_mask.bits[cpu / BITS_PER_LONG],
				  1UL << (cpu % BITS_PER_LONG), __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&cpu_online_mask.bits[cpu / BITS_PER_LONG],
				   ~(1UL << (cpu % BITS_PER_LONG)), __ATOMIC_SEQ_CST);
}

/* Run everything queued for this CPU; interrupts disabled. */
static void flush_call_queue(void)
{
	struct call_single_data **head = this_cpu_ptr(&call_queue);
	struct call_single_data *list, *rev = NULL;

	list = __atomic_exchange_n(head, NULL, __ATOMIC_ACQUIRE);
	/* The queue is a stack: reverse it so calls run in the order sent. */
	while (list) {
		struct call_single_data *next = list->next;

		list->next = rev;
		rev = list;
		list = next;
	}
	while (rev) {
		struct call_single_data *csd = rev;
		smp_call_func_t func = csd->func;
		void *info = csd->info;

		rev = csd->next;
		this_cpu_inc(calls_handled);
		if (csd->flags & CSD_SYNC) {
			func(info);
			smp_store_release(&csd->flags, 0);
		} else {
			smp_store_release(&csd->flags, 0);
			func(info);
		}
	}
}

void generic_smp_call_function_interrupt(void)
{
	this_cpu_inc(ipi_received);
	flush_call_queue();
}

void generic_smp_reschedule_interrupt(void)
{
	this_cpu_inc(ipi_received);
	this_cpu_inc(resched_received);
	set_preempt_need_resched();	/* the interrupt exit switches on the way out */
}

/* Wait for a csd to be free again (C3: serve our own queue meanwhile). */
static void csd_wait(struct call_single_data *csd)
{
	u64 t0;

	while (smp_load_acquire(&csd->flags) & CSD_LOCKED) {
		if (irqs_disabled()) {
			/*
			 * The calls run as from the IPI handler: a call that
			 * made a cross-CPU call of its own here would take
			 * csds this thread holds locked (C4 refuses it).
			 */
			__preempt_count_add(HARDIRQ_OFFSET);
			flush_call_queue();
			__preempt_count_add(-(int)HARDIRQ_OFFSET);
		}
		/*
		 * The TSC ticks spent in the pause: under QEMU -icount the
		 * other vCPUs run there (round-robin), which lets make bench
		 * tell a sender's own instructions from theirs.
		 */
		t0 = rdtsc();
		cpu_relax();
		this_cpu_add(wait_ticks, rdtsc() - t0);
	}
}

/* Queue @csd on @cpu.  Return: whether @cpu needs an IPI (its queue was empty). */
static bool queue_call(unsigned int cpu, struct call_single_data *csd)
{
	struct call_single_data **head = per_cpu_ptr(&call_queue, cpu);
	struct call_single_data *old = __atomic_load_n(head, __ATOMIC_RELAXED);

	do {
		csd->next = old;
	} while (!__atomic_compare_exchange_n(head, &old, csd, true, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	this_cpu_inc(calls_sent);
	return !old;
}

static void run_local(smp_call_func_t func, void *info)
{
	unsigned long flags = arch_local_irq_save();

	func(info);
	arch_local_irq_restore(flags);
}

/* C4: may this context use the csds?  WARNs (once) when it may not. */
static bool csd_context_ok(void)
{
	return !WARN_ON_ONCE(in_interrupt());
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, bool wait)
{
	struct call_single_data *csd;

	if (!csd_context_ok())
		return -EDEADLK;
	if (cpu >= NR_CPUS || !cpu_online(cpu)) {
		pr_err_ratelimited("smp_call_function_single: CPU %u is not online\n", cpu);
		return -ENXIO;
	}
	preempt_disable();
	if (cpu == smp_processor_id()) {
		run_local(func, info);
		preempt_enable();
		return 0;
	}
	csd = &this_cpu_ptr(&csd_data)[0][cpu];
	csd_wait(csd);
	csd->func = func;
	csd->info = info;
	csd->flags = CSD_LOCKED | (wait ? CSD_SYNC : 0);
	if (queue_call(cpu, csd)) {
		this_cpu_inc(ipi_sent);
		arch_send_call_function_single_ipi(cpu);
	}
	if (wait)
		csd_wait(csd);
	preempt_enable();
	return 0;
}

void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func,
			    void *info, bool wait)
{
	struct call_single_data *csds;
	struct cpumask ipi = {};
	unsigned int cpu, me, nr_ipi = 0;

	if (!csd_context_ok())
		return;
	preempt_disable();
	me = smp_processor_id();
	csds = this_cpu_ptr(&csd_data)[0];
	for_each_cpu(cpu, mask) {
		if (cpu == me || !cpu_online(cpu))
			continue;
		csd_wait(&csds[cpu]);
		csds[cpu].func = func;
		csds[cpu].info = info;
		csds[cpu].flags = CSD_LOCKED | (wait ? CSD_SYNC : 0);
		if (queue_call(cpu, &csds[cpu])) {
			cpumask_set_cpu(cpu, &ipi);
			nr_ipi++;
		}
	}
	if (nr_ipi) {
		this_cpu_add(ipi_sent, nr_ipi);
		arch_send_call_function_ipi_mask(&ipi);
	}
	if (wait) {
		for_each_cpu(cpu, mask)
			if (cpu != me)
				csd_wait(&csds[cpu]);
	}
	preempt_enable();
}

void smp_call_function(smp_call_func_t func, void *info, bool wait)
{
	smp_call_function_many(&cpu_online_mask, func, info, wait);
}

void on_each_cpu(smp_call_func_t func, void *info, bool wait)
{
	if (!csd_context_ok())
		return;
	preempt_disable();
	smp_call_function_many(&cpu_online_mask, func, info, wait);
	run_local(func, info);
	preempt_enable();
}

void smp_send_reschedule(unsigned int cpu)
{
	if (cpu != smp_processor_id() && cpu_online(cpu)) {
		this_cpu_inc(ipi_sent);
		arch_smp_send_reschedule(cpu);
	}
}

/* ---- panic: stop the others, each prints its state once ---- */

static int stopping_cpu = -1;
static atomic_t cpus_stopped = ATOMIC_INIT(0);
static int stop_print_lock;

/* notrace: run by the stop NMI, which a text_poke rendezvous does not hold. */
notrace bool smp_stop_begin(void)
{
	int by = READ_ONCE(stopping_cpu);

	if (by < 0 || by == (int)smp_processor_id())
		return false;
	while (__atomic_exchange_n(&stop_print_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	printk(KERN_EMERG "CPU %u stopped by CPU %d:\n", smp_processor_id(), by);
	return true;
}

notrace void smp_stop_end(void)
{
	__atomic_store_n(&stop_print_lock, 0, __ATOMIC_RELEASE);
	set_cpu_online(smp_processor_id(), false);
	atomic_inc(&cpus_stopped);
}

void smp_send_stop(void)
{
	unsigned int cpu, me = smp_processor_id(), others = 0;
	u64 deadline;

	if (num_online_cpus() < 2)
		return;
	WRITE_ONCE(stopping_cpu, (int)me);
	smp_mb();
	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		arch_smp_send_stop(cpu);
		others++;
	}
	/* Give them a moment to print, but never hang the panic on them. */
	deadline = ktime_get_ns() + 500 * NSEC_PER_MSEC;
	while ((unsigned int)atomic_read(&cpus_stopped) < others && ktime_get_ns() < deadline)
		cpu_relax();
	printk(KERN_EMERG "%d of %u other CPUs stopped\n", atomic_read(&cpus_stopped), others);
}

void smp_cpu_stats(unsigned int cpu, struct smp_cpu_stats *st)
{
	if (!cpu_possible(cpu)) {
		memset(st, 0, sizeof(*st));
		return;
	}
	st->ipi_sent = READ_ONCE(per_cpu(ipi_sent, cpu));
	st->ipi_received = READ_ONCE(per_cpu(ipi_received, cpu));
	st->calls_sent = READ_ONCE(per_cpu(calls_sent, cpu));
	st->calls_handled = READ_ONCE(per_cpu(calls_handled, cpu));
	st->resched_received = READ_ONCE(per_cpu(resched_received, cpu));
	st->wait_ticks = READ_ONCE(per_cpu(wait_ticks, cpu));
	arch_smp_cpu_stats(cpu, st);
}

void __init smp_init(void)
{
	smp_prepare_boot_cpu();
	smp_boot_cpus();
}
