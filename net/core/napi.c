// SPDX-License-Identifier: GPL-2.0
/*
 * NAPI and the NET_RX softirq, as Linux's net/core/dev.c.
 *
 * A NAPI context's NAPI_STATE_SCHED bit is its ownership: whoever sets it
 * (napi_schedule_prep()) queues the context on the current CPU's
 * poll_list, and it stays set through the poll until napi_complete_done().
 * A schedule attempt while it is set records NAPI_STATE_MISSED, and the
 * completion then reschedules instead of finishing, so an interrupt that
 * races with the end of a poll is never lost.  napi_disable() takes SCHED
 * itself (waiting for a running poll to complete) and keeps it until
 * napi_enable().
 *
 * net_rx_action() polls the CPU's contexts with each one's weight, at
 * most netdev_budget packets and 2 ms per run; a context that used its
 * whole weight goes to the back of the list, and work left over raises
 * NET_RX again (ksoftirqd takes it when it keeps coming).
 *
 * netif_rx() (no NAPI) queues on a per-CPU backlog that a per-CPU NAPI
 * context drains.
 */
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/netdevice.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/time.h>
#include "internal.h"

#define NAPIF_STATE_SCHED	(1UL << NAPI_STATE_SCHED)
#define NAPIF_STATE_MISSED	(1UL << NAPI_STATE_MISSED)
#define NAPIF_STATE_DISABLE	(1UL << NAPI_STATE_DISABLE)
#define NET_RX_TIME_NS		(2 * 1000 * 1000ULL)

int netdev_budget = 300;
EXPORT_SYMBOL_GPL(netdev_budget);

DEFINE_PER_CPU(struct softnet_data, softnet_data);

static bool napi_state_cmpxchg(struct napi_struct *n, unsigned long *old, unsigned long new)
{
	return __atomic_compare_exchange_n(&n->state, old, new, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_RELAXED);
}

/**
 * netif_napi_add_weight() - set up @napi, disabled
 * @dev: its device
 * @napi: the context
 * @poll: the driver's poll function
 * @weight: packets per poll call (above NAPI_POLL_WEIGHT is logged)
 */
void netif_napi_add_weight(struct net_device *dev, struct napi_struct *napi,
			   int (*poll)(struct napi_struct *, int), int weight)
{
	if (weight <= 0 || weight > NAPI_POLL_WEIGHT) {
		pr_err("net: %s: NAPI weight %d out of 1..%d, using %d\n", dev->name, weight,
		       NAPI_POLL_WEIGHT, NAPI_POLL_WEIGHT);
		weight = NAPI_POLL_WEIGHT;
	}
	INIT_LIST_HEAD(&napi->poll_list);
	napi->weight = weight;
	napi->poll = poll;
	napi->dev = dev;
	napi->poll_cpu = -1;
	/* Disabled until napi_enable(). */
	napi->state = NAPIF_STATE_SCHED | (1UL << NAPI_STATE_LISTED);
	list_add_tail(&napi->dev_list, &dev->napi_list);
}
EXPORT_SYMBOL_GPL(netif_napi_add_weight);

/**
 * netif_napi_del() - remove @napi from its device
 * @napi: a disabled context
 */
void netif_napi_del(struct napi_struct *napi)
{
	if (!test_and_clear_bit(NAPI_STATE_LISTED, &napi->state))
		return;
	WARN_ON_ONCE(!test_bit(NAPI_STATE_SCHED, &napi->state));
	list_del_init(&napi->dev_list);
}
EXPORT_SYMBOL_GPL(netif_napi_del);

/**
 * napi_schedule_prep() - claim @napi for a poll
 * @napi: the context
 *
 * Return: true if the caller must __napi_schedule() it.
 */
bool napi_schedule_prep(struct napi_struct *napi)
{
	unsigned long val = READ_ONCE(napi->state), new;

	do {
		if (unlikely(val & NAPIF_STATE_DISABLE))
			return false;
		new = val | NAPIF_STATE_SCHED;
		if (val & NAPIF_STATE_SCHED)
			new |= NAPIF_STATE_MISSED;
	} while (!napi_state_cmpxchg(napi, &val, new));
	return !(val & NAPIF_STATE_SCHED);
}
EXPORT_SYMBOL_GPL(napi_schedule_prep);

/**
 * __napi_schedule_irqoff() - queue @napi on this CPU, interrupts off
 * @napi: a context claimed with napi_schedule_prep()
 */
void __napi_schedule_irqoff(struct napi_struct *napi)
{
	struct softnet_data *sd = this_cpu_ptr(&softnet_data);

	list_add_tail(&napi->poll_list, &sd->poll_list);
	raise_softirq_irqoff(NET_RX_SOFTIRQ);
}
EXPORT_SYMBOL_GPL(__napi_schedule_irqoff);

/**
 * __napi_schedule() - queue @napi on this CPU
 * @napi: a context claimed with napi_schedule_prep()
 */
void __napi_schedule(struct napi_struct *napi)
{
	unsigned long flags;

	local_irq_save(flags);
	__napi_schedule_irqoff(napi);
	local_irq_restore(flags);
}
EXPORT_SYMBOL_GPL(__napi_schedule);

/**
 * napi_complete_done() - end a poll
 * @napi: the context
 * @work_done: packets processed (below the budget)
 *
 * Return: true if done, false if rescheduled meanwhile.
 */
bool napi_complete_done(struct napi_struct *napi, int work_done)
{
	unsigned long val = READ_ONCE(napi->state), new, flags;

	if (unlikely(!list_empty(&napi->poll_list))) {
		local_irq_save(flags);
		list_del_init(&napi->poll_list);
		local_irq_restore(flags);
	}
	do {
		WARN_ON_ONCE(!(val & NAPIF_STATE_SCHED));
		new = val & ~(NAPIF_STATE_SCHED | NAPIF_STATE_MISSED);
		/* Scheduled again while it ran: keep SCHED and run once more. */
		if (val & NAPIF_STATE_MISSED)
			new |= NAPIF_STATE_SCHED;
	} while (!napi_state_cmpxchg(napi, &val, new));
	if (unlikely(val & NAPIF_STATE_MISSED)) {
		__napi_schedule(napi);
		return false;
	}
	return true;
}
EXPORT_SYMBOL_GPL(napi_complete_done);

/**
 * napi_disable() - wait for a running poll and keep @napi off
 * @napi: an enabled context
 */
void napi_disable(struct napi_struct *napi)
{
	unsigned long val, new;

	set_bit(NAPI_STATE_DISABLE, &napi->state);
	for (;;) {
		val = READ_ONCE(napi->state);
		if (val & (NAPIF_STATE_SCHED)) {
			msleep(1);
			continue;
		}
		new = val | NAPIF_STATE_SCHED;
		if (napi_state_cmpxchg(napi, &val, new))
			break;
	}
	clear_bit(NAPI_STATE_DISABLE, &napi->state);
}
EXPORT_SYMBOL_GPL(napi_disable);

/**
 * napi_enable() - let @napi be scheduled
 * @napi: a disabled context (a second enable is logged)
 */
void napi_enable(struct napi_struct *napi)
{
	if (WARN_ON_ONCE(!test_bit(NAPI_STATE_SCHED, &napi->state)))
		return;
	smp_mb();
	clear_bit(NAPI_STATE_MISSED, &napi->state);
	clear_bit(NAPI_STATE_SCHED, &napi->state);
}
EXPORT_SYMBOL_GPL(napi_enable);

/**
 * napi_synchronize() - wait until @napi is not scheduled
 * @napi: the context
 */
void napi_synchronize(const struct napi_struct *napi)
{
	while (test_bit(NAPI_STATE_SCHED, &napi->state))
		msleep(1);
}
EXPORT_SYMBOL_GPL(napi_synchronize);

/* Move @list's entries to the end of @head; @list ends up empty. */
static void poll_list_move_tail(struct list_head *list, struct list_head *head)
{
	if (list_empty(list))
		return;
	list->next->prev = head->prev;
	head->prev->next = list->next;
	list->prev->next = head;
	head->prev = list->prev;
	INIT_LIST_HEAD(list);
}

/* Poll @n once; put it on @repoll if it used its whole weight. */
static int napi_poll(struct napi_struct *n, struct list_head *repoll)
{
	int weight = n->weight, work;

	list_del_init(&n->poll_list);
	WRITE_ONCE(n->poll_cpu, (int)smp_processor_id());
	work = n->poll(n, weight);
	WRITE_ONCE(n->poll_cpu, -1);
	if (unlikely(work > weight)) {
		if (net_ratelimit())
			pr_err("net: %pS returned %d, over the budget %d\n", (void *)n->poll, work,
			       weight);
		work = weight;
	}
	if (work < weight)
		return work;
	/* Whole budget used: the driver did not complete; poll it again. */
	if (unlikely(test_bit(NAPI_STATE_DISABLE, &n->state))) {
		napi_complete(n);
		return work;
	}
	list_add_tail(&n->poll_list, repoll);
	return work;
}

/**
 * net_rx_action() - NET_RX_SOFTIRQ: poll this CPU's NAPI contexts
 * @h: the vector
 */
void net_rx_action(struct softirq_action *h)
{
	struct softnet_data *sd = this_cpu_ptr(&softnet_data);
	u64 end = ktime_get_ns() + NET_RX_TIME_NS;
	int budget = READ_ONCE(netdev_budget);
	LIST_HEAD(list);
	LIST_HEAD(repoll);

	local_irq_disable();
	poll_list_move_tail(&sd->poll_list, &list);
	local_irq_enable();
	while (!list_empty(&list)) {
		struct napi_struct *n = list_first_entry(&list, struct napi_struct, poll_list);
		int work = napi_poll(n, &repoll);

		sd->processed += (unsigned long)work;
		budget -= work;
		if (unlikely(budget <= 0 || ktime_get_ns() > end)) {
			if (!list_empty(&list) || !list_empty(&repoll))
				sd->time_squeeze++;
			break;
		}
	}
	local_irq_disable();
	/* Left over first, then the re-polls, then those scheduled meanwhile. */
	poll_list_move_tail(&sd->poll_list, &list);
	poll_list_move_tail(&repoll, &list);
	poll_list_move_tail(&list, &sd->poll_list);
	if (!list_empty(&sd->poll_list))
		raise_softirq_irqoff(NET_RX_SOFTIRQ);
	local_irq_enable();
}

/* The per-CPU backlog's poll: netif_rx() packets of this CPU. */
static int process_backlog(struct napi_struct *napi, int quota)
{
	struct softnet_data *sd = container_of(napi, struct softnet_data, backlog);
	struct net_device *dev;
	int work = 0;

	while (work < quota) {
		struct sk_buff *skb;

		local_irq_disable();
		skb = __skb_dequeue(&sd->input_pkt_queue);
		if (!skb) {
			/* Only this CPU, interrupts off, queues here: no race. */
			WRITE_ONCE(napi->state, 0);
			local_irq_enable();
			break;
		}
		local_irq_enable();
		dev = skb->dev;
		netif_receive_skb(skb);
		dev_put(dev);		/* netif_rx()'s reference */
		work++;
	}
	return work;
}

/**
 * netif_rx() - receive @skb without NAPI
 * @skb: the packet (skb->dev and protocol set); consumed
 *
 * Return: NET_RX_SUCCESS, or NET_RX_DROP when this CPU's backlog is full.
 */
int netif_rx(struct sk_buff *skb)
{
	struct softnet_data *sd;
	unsigned long flags;
	int ret = NET_RX_SUCCESS;

	local_irq_save(flags);
	sd = this_cpu_ptr(&softnet_data);
	if (likely(skb_queue_len(&sd->input_pkt_queue) < NETDEV_MAX_BACKLOG)) {
		/* The queued skb keeps its device: flush_backlog() drops it early. */
		dev_hold(skb->dev);
		__skb_queue_tail(&sd->input_pkt_queue, skb);
		if (!test_and_set_bit(NAPI_STATE_SCHED, &sd->backlog.state))
			__napi_schedule_irqoff(&sd->backlog);
	} else {
		sd->dropped++;
		if (skb->dev)
			atomic_long_inc(&skb->dev->rx_dropped);
		kfree_skb(skb);
		ret = NET_RX_DROP;
	}
	local_irq_restore(flags);
	return ret;
}
EXPORT_SYMBOL_GPL(netif_rx);

/* On each CPU, interrupts off: drop the backlog's skbs of @arg's device. */
static void flush_backlog_cpu(void *arg)
{
	struct softnet_data *sd = this_cpu_ptr(&softnet_data);
	struct net_device *dev = arg;
	struct sk_buff *skb, *tmp;

	skb_queue_walk_safe(&sd->input_pkt_queue, skb, tmp) {
		if (skb->dev != dev)
			continue;
		__skb_unlink(skb, &sd->input_pkt_queue);
		atomic_long_inc(&dev->rx_dropped);
		kfree_skb(skb);
		dev_put(dev);
	}
}

/*
 * unregister_netdev(): drop the skbs of @dev still queued on any CPU's
 * backlog by netif_rx(), as Linux's flush_backlog().  One that
 * process_backlog() already dequeued (or one queued after the flush) is
 * still delivered, to the taps for every device only (@dev's are gone);
 * the reference each holds keeps @dev's memory valid until then.
 */
void flush_backlog(struct net_device *dev)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		smp_call_function_single(cpu, flush_backlog_cpu, dev, true);
}

static int __init net_dev_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct softnet_data *sd = per_cpu_ptr(&softnet_data, cpu);

		INIT_LIST_HEAD(&sd->poll_list);
		sd->output_queue = NULL;
		sd->output_queue_tailp = &sd->output_queue;
		skb_queue_head_init(&sd->input_pkt_queue);
		INIT_LIST_HEAD(&sd->backlog.poll_list);
		INIT_LIST_HEAD(&sd->backlog.dev_list);
		sd->backlog.poll = process_backlog;
		sd->backlog.weight = NAPI_POLL_WEIGHT;
		sd->backlog.poll_cpu = -1;
		sd->backlog.state = 0;
	}
	open_softirq(NET_TX_SOFTIRQ, net_tx_action);
	open_softirq(NET_RX_SOFTIRQ, net_rx_action);
	return 0;
}
subsys_initcall(net_dev_init);
