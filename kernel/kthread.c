// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel threads: creation, placement, exit, join.
 *
 * A thread's life: kthread_create() (TASK_NEW, stack with guard page,
 * initial frame from the arch's copy_thread() that "returns" into
 * ret_from_kthread) -> wake_up_process()
 * -> runs fn(arg) -> kthread_exit() (exit hooks, TASK_DEAD, last switch)
 * -> the next thread on that CPU reaps it in finish_task_switch(): a
 * detached thread is freed there, a joinable one is handed to
 * kthread_join(), which frees it.
 */
#define pr_fmt(fmt) "kthread: " fmt

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/vmalloc.h>
#include <exo/wait.h>
#include <asm/irqflags.h>

#include "sched/sched.h"

static DEFINE_SPINLOCK(tasks_lock);
static LIST_HEAD(all_tasks);
static unsigned int nr_tasks;
static int last_pid;
static DECLARE_WAIT_QUEUE_HEAD(exit_wq);
static struct task_exit_hook *exit_hooks;
static unsigned int next_cpu;


/* Add @t to the list of all threads (ps). */
void kthread_register(struct task_struct *t)
{
	unsigned long flags;

	spin_lock_irqsave(&tasks_lock, flags);
	t->pid = ++last_pid;
	list_add_tail(&t->tasks, &all_tasks);
	nr_tasks++;
	spin_unlock_irqrestore(&tasks_lock, flags);
}

unsigned int nr_threads(void)
{
	return READ_ONCE(nr_tasks);
}

void register_task_exit_hook(struct task_exit_hook *h)
{
	unsigned long flags;

	spin_lock_irqsave(&tasks_lock, flags);
	h->next = exit_hooks;
	exit_hooks = h;
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* Round-robin over the online CPUs for threads nobody bound. */
static unsigned int place_thread(void)
{
	unsigned long flags;
	unsigned int cpu;

	spin_lock_irqsave(&tasks_lock, flags);
	cpu = cpumask_next(next_cpu, &cpu_online_mask);
	if (cpu >= NR_CPUS)
		cpu = cpumask_next(-1, &cpu_online_mask);
	next_cpu = cpu;
	spin_unlock_irqrestore(&tasks_lock, flags);
	return cpu;
}

/*
 * Thread stacks live in the vmalloc area with an unmapped guard page
 * directly below (mm/vmalloc.c): an overflow faults, and the #DF handler's
 * IST stack turns it into an oops instead of a triple fault.
 */
static void *thread_stack_alloc(size_t size, int nid)
{
	return alloc_kernel_stack_node(size, nid, NULL);
}

static void thread_stack_free(void *stack, size_t size)
{
	free_kernel_stack(stack, size);
}

/* Free what kthread_create() allocated. */
static void task_free(struct task_struct *t)
{
	unsigned long flags;

	spin_lock_irqsave(&tasks_lock, flags);
	list_del(&t->tasks);
	spin_unlock_irqrestore(&tasks_lock, flags);
	thread_stack_free(t->stack, t->stack_size);
	free_page((unsigned long)t);
	/*
	 * A thread counts until its memory is back: whoever sees nr_threads()
	 * drop (a leak check, say) may then count free pages.  The frees go to
	 * this CPU's page cache, which the waiter's drain reaches only if they
	 * happened before it.
	 */
	spin_lock_irqsave(&tasks_lock, flags);
	nr_tasks--;
	spin_unlock_irqrestore(&tasks_lock, flags);
}

static struct task_struct *task_create(int (*fn)(void *), void *arg, unsigned int cpu,
				       unsigned int flags)
{
	/* A thread bound from the start gets its memory on its CPU's node. */
	int nid = flags & PF_BOUND ? cpu_to_mem(cpu) : NUMA_NO_NODE;
	struct page *pg = alloc_pages_node(nid, GFP_KERNEL | __GFP_ZERO, 0);
	struct task_struct *t = pg ? page_address(pg) : NULL;

	if (!t)
		goto nomem;
	t->stack = thread_stack_alloc(KTHREAD_STACK_SIZE, nid);
	if (!t->stack) {
		free_page((unsigned long)t);
		goto nomem;
	}
	t->stack_size = KTHREAD_STACK_SIZE;
	t->fn = fn;
	t->arg = arg;
	t->cpu = cpu;
	t->flags = flags | PF_KTHREAD;
	t->state = TASK_NEW;
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->sleep_list);
	if (copy_thread(t)) {
		thread_stack_free(t->stack, t->stack_size);
		free_page((unsigned long)t);
		goto nomem;
	}
	kthread_register(t);
	return t;
nomem:
	pr_err("no memory for a thread\n");
	return NULL;
}

struct task_struct *kthread_create(int (*fn)(void *arg), void *arg, const char *namefmt, ...)
{
	struct task_struct *t = task_create(fn, arg, place_thread(), 0);
	va_list ap;

	if (!t)
		return NULL;
	va_start(ap, namefmt);
	vsnprintf(t->comm, sizeof(t->comm), namefmt, ap);
	va_end(ap);
	return t;
}
EXPORT_SYMBOL_GPL(kthread_create);

/* CPU @cpu's idle thread, for a CPU whose boot context keeps other work. */
struct task_struct *kthread_create_idle(unsigned int cpu)
{
	struct task_struct *t = task_create(idle_thread_fn, NULL, cpu, PF_IDLE | PF_BOUND);

	if (!t)
		return NULL;
	snprintf(t->comm, sizeof(t->comm), "idle/%u", cpu);
	t->state = TASK_RUNNING;	/* never queued: picked when nothing else is */
	return t;
}

/*
 * A new thread bound to @cpu: its stack moves to @cpu's memory node if it
 * is elsewhere (nothing has run on it yet: copy_thread() builds the first
 * frame again).  Best effort: without memory there it stays.
 */
static void stack_to_node(struct task_struct *t, unsigned int cpu)
{
	int nid = cpu_to_mem(cpu);
	phys_addr_t pa;
	void *stack;

	if (pa_nr_nodes <= 1 || translate((unsigned long)t->stack, &pa) ||
	    page_to_nid(phys_to_page(pa)) == nid)
		return;
	stack = thread_stack_alloc(t->stack_size, nid);
	if (!stack)
		return;
	thread_stack_free(t->stack, t->stack_size);
	t->stack = stack;
	copy_thread(t);
}

int kthread_bind(struct task_struct *t, unsigned int cpu)
{
	if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
		pr_err("kthread_bind(%s, %u): CPU not online (-EINVAL)\n", t->comm, cpu);
		return -EINVAL;
	}
	if (READ_ONCE(t->state) != TASK_NEW) {
		pr_err("kthread_bind(%s, %u): already running (-EBUSY)\n", t->comm, cpu);
		return -EBUSY;
	}
	stack_to_node(t, cpu);
	t->cpu = cpu;
	t->flags |= PF_BOUND;
	return 0;
}
EXPORT_SYMBOL_GPL(kthread_bind);

void kthread_detach(struct task_struct *t)
{
	WARN_ON(READ_ONCE(t->state) != TASK_NEW);
	t->flags |= PF_DETACHED;
}
EXPORT_SYMBOL_GPL(kthread_detach);

/* First C function of a thread, after schedule_tail(). */
void kthread_main(struct task_struct *t)
{
	kthread_exit(t->fn(t->arg));
}

void __noreturn kthread_exit(int code)
{
	struct task_struct *t = current;

	for (struct task_exit_hook *h = READ_ONCE(exit_hooks); h; h = h->next)
		h->fn(t);
	t->exit_code = code;
	/* No preemption between here and the switch: a dead thread never runs again. */
	local_irq_disable();
	set_current_dead();
	schedule();
	BUG();
}
EXPORT_SYMBOL_GPL(kthread_exit);

/*
 * Called by the thread that ran after @t's last switch on @t's CPU: @t's
 * stack is no longer in use.
 */
void kthread_reap(struct task_struct *t)
{
	if (t->flags & PF_DETACHED) {
		task_free(t);
		return;
	}
	smp_store_release(&t->switched_out, true);
	wake_up(&exit_wq);
}

int kthread_join(struct task_struct *t)
{
	int code;

	if (WARN_ON(t == current || (t->flags & PF_DETACHED)))
		return -EINVAL;
	if (READ_ONCE(t->state) == TASK_NEW)
		wake_up_process(t);	/* joining a thread never started */
	wait_event(exit_wq, smp_load_acquire(&t->switched_out));
	code = t->exit_code;
	task_free(t);
	return code;
}
EXPORT_SYMBOL_GPL(kthread_join);

bool kthread_should_stop(void)
{
	return READ_ONCE(current->stop);
}
EXPORT_SYMBOL_GPL(kthread_should_stop);

int kthread_stop(struct task_struct *t)
{
	WRITE_ONCE(t->stop, true);
	wake_up_process(t);
	return kthread_join(t);
}
EXPORT_SYMBOL_GPL(kthread_stop);

static const char *state_name(const struct task_struct *t)
{
	switch (READ_ONCE(t->state)) {
	case TASK_RUNNING: return t->flags & PF_IDLE ? "idle" : "R";
	case TASK_INTERRUPTIBLE: return "S";
	case TASK_UNINTERRUPTIBLE: return "D";
	case TASK_NEW: return "new";
	case TASK_DEAD: return "dead";
	default: return "?";
	}
}

static int cmd_ps(int argc, char **argv)
{
	struct task_struct *t;
	unsigned long flags;

	printk(KERN_INFO "%-16s %4s %5s %12s %6s\n", "NAME", "CPU", "STATE", "SWITCHES", "STACK");
	spin_lock_irqsave(&tasks_lock, flags);
	list_for_each_entry(t, &all_tasks, tasks)
		printk(KERN_INFO "%-16s %4u %5s %12llu %5zuK\n", t->comm, t->cpu, state_name(t),
		       t->nr_switches, t->stack_size >> 10);
	spin_unlock_irqrestore(&tasks_lock, flags);
	return 0;
}
DEFINE_SHELL_CMD(ps, "list kernel threads", cmd_ps);
