// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU vector allocation and device interrupt dispatch.
 *
 * Each CPU has its own table vector_irq[vector] -> irq_desc, so the same
 * vector number serves different IRQs on different CPUs.  A device IRQ
 * gets one vector on one CPU of its affinity (the CPU with the fewest
 * vectors in use), and the chip is told through an x86 MSI message.
 *
 * Moving an IRQ (irq_set_affinity) allocates the new vector and rewrites
 * the message at once, but keeps the old vector mapped: an interrupt the
 * device sent before the rewrite may still be pending there.
 *
 * A message is several registers (MSI: address, then data; I/O APIC: two
 * halves of a redirection entry), and an MSI without mask bits may fire
 * between two of the writes.  So no write changes both the destination
 * and the vector: a move keeps the vector number when it is free on the
 * new CPU (only the destination changes).  Otherwise the new vector is
 * one that is also free on the old CPU, held there too (tramp_vector) for
 * the move: the message first changes its vector on the old CPU, then its
 * destination, and every message the device can see on the way has a
 * vector mapped to the IRQ.  The first
 * interrupt that arrives on the new vector proves the device uses it; the
 * old CPU is then asked, with the lowest-priority IRQ_MOVE_CLEANUP_VECTOR,
 * to free the old vector once its IRR bit is clear (a device vector still
 * pending there is served before the cleanup vector, which then retries).
 *
 * vector_lock protects the tables, the counts and every struct irq_cfg.
 * Lock order: desc->lock, then vector_lock.
 */
#define pr_fmt(fmt) "vector: " fmt

#include <exo/bitmap.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/irq.h>
#include <exo/list.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/smp.h>
#include <asm/traps.h>

typedef struct irq_desc *vector_irq_t[NR_VECTORS];

/*
 * A vector whose IRQ was shut down: free for allocation, but an interrupt
 * still pending on it when it was freed is acknowledged silently.
 */
#define VECTOR_SHUTDOWN	((struct irq_desc *)1)

static inline bool vector_is_free(struct irq_desc *desc)
{
	return !desc || desc == VECTOR_SHUTDOWN;
}

static DEFINE_PER_CPU(vector_irq_t, vector_irq);
static DEFINE_PER_CPU(unsigned int, vectors_used);
/* The vector being served on this CPU (irq_complete_move() compares it). */
static DEFINE_PER_CPU(unsigned int, vector_in_service);
static unsigned long system_vectors[BITS_TO_LONGS(NR_VECTORS)];
static DEFINE_SPINLOCK(vector_lock);
/* Old vectors waiting for their CPU's cleanup (not per-CPU: APs' areas come later). */
static struct list_head cleanup_list[NR_CPUS];
static bool vector_ready;

static struct irq_desc **cpu_vectors(unsigned int cpu)
{
	return *per_cpu_ptr(&vector_irq, cpu);
}

unsigned int x86_vectors_used(unsigned int cpu)
{
	return READ_ONCE(per_cpu(vectors_used, cpu));
}

struct irq_desc *x86_vector_desc(unsigned int cpu, unsigned int vector)
{
	struct irq_desc *desc = vector < NR_VECTORS ? READ_ONCE(cpu_vectors(cpu)[vector]) : NULL;

	return vector_is_free(desc) ? NULL : desc;
}

/*
 * set_irq_handler() takes a system vector: refused while a device IRQ
 * holds it on some CPU, then never handed to devices.
 */
int x86_vector_reserve_system(unsigned int vector, bool reserve)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&vector_lock, flags);
	if (reserve) {
		for (unsigned int cpu = 0; cpu < NR_CPUS && !err; cpu++)
			if (cpu_online(cpu) && !vector_is_free(cpu_vectors(cpu)[vector]))
				err = -EBUSY;
		if (!err)
			bitmap_set(system_vectors, vector, 1);
	} else {
		bitmap_clear(system_vectors, vector, 1);
	}
	spin_unlock_irqrestore(&vector_lock, flags);
	return err;
}

static bool vector_free_on(unsigned int cpu, unsigned int v)
{
	return !test_bit(v, system_vectors) && vector_is_free(cpu_vectors(cpu)[v]);
}

static void vector_take(struct irq_desc *desc, unsigned int cpu, unsigned int v)
{
	WRITE_ONCE(cpu_vectors(cpu)[v], desc);
	per_cpu(vectors_used, cpu)++;
}

/*
 * Under vector_lock: the least loaded online CPU of @dest, among those
 * where @v is free if @v is not 0.  Return: it, or NR_CPUS if none.
 */
static unsigned int vector_pick_cpu(const struct cpumask *dest, unsigned int v)
{
	unsigned int best = NR_CPUS, cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!cpumask_test_cpu(cpu, dest) || !cpu_online(cpu) ||
		    (v && !vector_free_on(cpu, v)))
			continue;
		if (best == NR_CPUS || per_cpu(vectors_used, cpu) < per_cpu(vectors_used, best))
			best = cpu;
	}
	return best;
}

/*
 * Under vector_lock: a free vector on the least loaded online CPU of @dest,
 * preferring one that is free on CPU @also too (NR_CPUS: no preference).
 */
static int vector_alloc(struct irq_desc *desc, const struct cpumask *dest,
			unsigned int *cpu_out, unsigned int also)
{
	unsigned int best = vector_pick_cpu(dest, 0), cpu;

	if (best == NR_CPUS)
		return -EINVAL;
	/* Pass 0: a vector free on @also too, on @best first, then any CPU of @dest. */
	for (int pass = also < NR_CPUS ? 0 : 1; pass < 2; pass++) {
		for (unsigned int v = FIRST_DEVICE_VECTOR; v < FIRST_SYSTEM_VECTOR; v++) {
			if (pass) {
				cpu = vector_free_on(best, v) ? best : NR_CPUS;
			} else {
				if (!vector_free_on(also, v))
					continue;
				cpu = vector_free_on(best, v) ? best : vector_pick_cpu(dest, v);
			}
			if (cpu == NR_CPUS)
				continue;
			vector_take(desc, cpu, v);
			*cpu_out = cpu;
			return v;
		}
	}
	return -ENOSPC;
}

static void vector_free(unsigned int cpu, unsigned int vector)
{
	WRITE_ONCE(cpu_vectors(cpu)[vector], VECTOR_SHUTDOWN);
	per_cpu(vectors_used, cpu)--;
}

/* The x86 message for (@cpu, @vector), then the chip writes it. */
static void vector_write_msg_to(struct irq_desc *desc, unsigned int cpu, unsigned int vector)
{
	struct irq_data *d = &desc->irq_data;
	u32 apicid = cpu_to_apicid(cpu);
	struct msi_msg msg = {
		.address_lo = 0xfee00000u | (apicid & 0xff) << 12,
		.address_hi = apicid & ~0xffu,
		.data = vector,
	};

	d->effective_cpu = cpu;
	if (d->chip->irq_compose_msi_msg)
		d->chip->irq_compose_msi_msg(d, &msg);
	d->msg = msg;
	if (d->chip->irq_write_msi_msg)
		d->chip->irq_write_msi_msg(d, &msg);
}

static void vector_write_msg(struct irq_desc *desc)
{
	vector_write_msg_to(desc, desc->cfg.cpu, desc->cfg.vector);
}

int x86_vector_activate(struct irq_desc *desc)
{
	unsigned int cpu;
	int v;

	if (!vector_ready) {
		pr_err("IRQ %u: no local APIC, no vectors\n", desc->irq_data.irq);
		return -ENODEV;
	}
	spin_lock(&vector_lock);
	v = vector_alloc(desc, &desc->irq_data.affinity, &cpu, NR_CPUS);
	if (v == -EINVAL)	/* no online CPU in the mask: any online CPU */
		v = vector_alloc(desc, &cpu_online_mask, &cpu, NR_CPUS);
	if (v > 0) {
		desc->cfg.vector = v;
		desc->cfg.cpu = cpu;
	}
	spin_unlock(&vector_lock);
	if (v < 0) {
		pr_err("IRQ %u: no free vector (%d)\n", desc->irq_data.irq, v);
		return v;
	}
	vector_write_msg(desc);
	return 0;
}

void x86_vector_deactivate(struct irq_desc *desc)
{
	struct irq_cfg *cfg = &desc->cfg;

	spin_lock(&vector_lock);
	if (cfg->vector)
		vector_free(cfg->cpu, cfg->vector);
	if (cfg->prev_vector)
		vector_free(cfg->prev_cpu, cfg->prev_vector);
	if (cfg->tramp_vector)
		vector_free(cfg->prev_cpu, cfg->tramp_vector);
	if (cfg->cleanup_queued)
		list_del_init(&cfg->cleanup);
	cfg->vector = cfg->prev_vector = cfg->tramp_vector = 0;
	cfg->move_in_progress = cfg->cleanup_queued = false;
	spin_unlock(&vector_lock);
}

int x86_vector_set_affinity(struct irq_desc *desc, const struct cpumask *dest)
{
	struct irq_cfg *cfg = &desc->cfg;
	unsigned int old_cpu, old_vector, tramp, cpu;
	int v;

	spin_lock(&vector_lock);
	old_cpu = cfg->cpu;
	old_vector = cfg->vector;
	if (cfg->prev_vector) {
		spin_unlock(&vector_lock);
		return -EBUSY;
	}
	/* The same vector number elsewhere: only the destination changes. */
	cpu = vector_pick_cpu(dest, cfg->vector);
	if (cpu < NR_CPUS) {
		v = cfg->vector;
		vector_take(desc, cpu, v);
	} else {
		v = vector_alloc(desc, dest, &cpu, old_cpu);
		if (v < 0) {
			spin_unlock(&vector_lock);
			return v;
		}
		if (cpu != old_cpu && vector_free_on(old_cpu, v)) {
			vector_take(desc, old_cpu, v);
			cfg->tramp_vector = v;
		}
	}
	cfg->prev_vector = cfg->vector;
	cfg->prev_cpu = old_cpu;
	cfg->vector = v;
	cfg->cpu = cpu;
	cfg->move_in_progress = true;
	tramp = cfg->tramp_vector;
	spin_unlock(&vector_lock);
	/* desc->lock, held by the caller, keeps irq_complete_move() out meanwhile. */
	if (tramp)
		vector_write_msg_to(desc, old_cpu, v);
	else if (old_vector != (unsigned int)v)
		pr_warn_ratelimited("IRQ %u: no vector free on CPUs %u and %u alike: the move rewrites destination and vector at once\n",
			     desc->irq_data.irq, old_cpu, cpu);
	vector_write_msg(desc);
	return 0;
}

static bool vector_pending(unsigned int v)
{
	return v && (apic_read(APIC_IRR + (v / 32) * 0x10) & (1u << (v % 32)));
}

/* Under vector_lock, on the CPU of the cleanup list. */
static bool vector_cleanup_one(struct irq_cfg *cfg, unsigned int cpu)
{
	if (vector_pending(cfg->prev_vector) || vector_pending(cfg->tramp_vector))
		return false;		/* still pending: served first, then retry */
	vector_free(cpu, cfg->prev_vector);
	if (cfg->tramp_vector)
		vector_free(cpu, cfg->tramp_vector);
	cfg->prev_vector = cfg->tramp_vector = 0;
	cfg->cleanup_queued = false;
	list_del_init(&cfg->cleanup);
	return true;
}

static void move_cleanup_interrupt(struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();
	struct list_head *head = &cleanup_list[cpu];
	struct irq_cfg *cfg, *n;
	bool retry = false;

	apic_eoi();
	spin_lock(&vector_lock);
	list_for_each_entry_safe(cfg, n, head, cleanup)
		if (!vector_cleanup_one(cfg, cpu))
			retry = true;
	spin_unlock(&vector_lock);
	if (retry)
		apic_send_ipi(cpu_to_apicid(cpu), IRQ_MOVE_CLEANUP_VECTOR);
}

/*
 * From the flow handler (desc->lock held): the first interrupt on the new
 * vector queues the old one for cleanup on its CPU.
 */
void irq_complete_move(struct irq_desc *desc)
{
	struct irq_cfg *cfg = &desc->cfg;
	unsigned int target;

	if (likely(!READ_ONCE(cfg->move_in_progress)))
		return;
	spin_lock(&vector_lock);
	if (!cfg->move_in_progress || smp_processor_id() != cfg->cpu ||
	    this_cpu_read(vector_in_service) != cfg->vector) {
		spin_unlock(&vector_lock);
		return;
	}
	cfg->move_in_progress = false;
	cfg->cleanup_queued = true;
	target = cfg->prev_cpu;
	list_add_tail(&cfg->cleanup, &cleanup_list[target]);
	spin_unlock(&vector_lock);
	apic_send_ipi(cpu_to_apicid(target), IRQ_MOVE_CLEANUP_VECTOR);
}

/* Called from do_interrupt() for a vector without system handler. */
void x86_device_interrupt(unsigned int vector)
{
	struct irq_desc *desc = (*this_cpu_ptr(&vector_irq))[vector];

	if (unlikely(vector_is_free(desc))) {
		/* Nobody owns it, but it is in service: without EOI it blocks lower vectors. */
		apic_eoi();
		if (!desc)
			pr_warn_ratelimited("CPU %u: unexpected interrupt vector %#x\n",
					    smp_processor_id(), vector);
		return;
	}
	this_cpu_write(vector_in_service, vector);
	desc->kstat_irqs[smp_processor_id()]++;
	desc->handle_irq(desc);
}

/* A device signalled through x86_vector_shutdown_msg(): nobody to call. */
static void shutdown_vector_interrupt(struct pt_regs *regs)
{
	(void)regs;
	apic_eoi();
	pr_warn_ratelimited("CPU %u: interrupt on the shutdown vector (a device without a started IRQ)\n",
			    smp_processor_id());
}

void x86_vector_shutdown_msg(struct msi_msg *msg)
{
	u32 apicid = cpu_to_apicid(0);

	msg->address_lo = 0xfee00000u | (apicid & 0xff) << 12;
	msg->address_hi = apicid & ~0xffu;
	msg->data = MANAGED_IRQ_SHUTDOWN_VECTOR;
}

/* Boot CPU, once its local APIC is enabled, before any IRQ is requested. */
void __init x86_vector_init(void)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		INIT_LIST_HEAD(&cleanup_list[cpu]);
	set_irq_handler(IRQ_MOVE_CLEANUP_VECTOR, move_cleanup_interrupt);
	set_irq_handler(MANAGED_IRQ_SHUTDOWN_VECTOR, shutdown_vector_interrupt);
	vector_ready = true;
}

/* Send @desc's vector to its CPU again: replays an edge lost while masked. */
void x86_vector_retrigger(struct irq_desc *desc)
{
	unsigned long flags;
	unsigned int cpu = 0, vector;

	spin_lock_irqsave(&vector_lock, flags);
	vector = desc->cfg.vector;
	if (vector)
		cpu = desc->cfg.cpu;
	spin_unlock_irqrestore(&vector_lock, flags);
	if (vector)
		apic_send_ipi(cpu_to_apicid(cpu), vector);
}

void apic_ack_irq(struct irq_data *d)
{
	irq_complete_move(container_of(d, struct irq_desc, irq_data));
	apic_eoi();
}
EXPORT_SYMBOL_GPL(apic_ack_irq);
