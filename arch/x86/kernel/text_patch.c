// SPDX-License-Identifier: GPL-2.0
/*
 * Rewriting live text: the static keys' sites (kernel/jump_label.c).
 *
 * W^X: kernel and module text stay read-only and executable.  Each page
 * to change is mapped a second time, writable and not executable, in a
 * reservation of the vmalloc area used only here (under text_mutex); the
 * write goes through that alias and the alias is unmapped (with a TLB
 * shootdown) before text_poke_batch() returns.
 *
 * CPU synchronisation, a stop-machine rendezvous: the patching CPU sends
 * every other online CPU an asynchronous cross-CPU call that counts
 * itself in and spins, interrupts off, until released; the patching CPU
 * waits, interrupts off, until all have arrived, writes, releases them,
 * and every CPU then executes a serialising instruction (CPUID) before
 * it returns to other code.  That is the protocol of the Intel SDM for
 * cross-modifying code (vol. 3, 9.1.3): no CPU executes the bytes while
 * they change, and none runs an instruction it fetched before the change.
 * An interrupted context's saved instruction pointer is always an
 * instruction boundary, and every change keeps instruction boundaries
 * (one instruction replaced by one of the same length), so no CPU or
 * sleeping thread resumes inside a new instruction.  The one context the
 * rendezvous does not hold is an NMI taken by a waiting CPU: NMI code
 * must contain no patched site (notrace, no static branch), which is
 * the case for the exception entry code (assembly) and the stop NMI's
 * own code (arch/x86/kernel/smp.c, smp_stop_begin()/smp_stop_end() in
 * kernel/smp.c) but not for the printk() it calls: printing from a CPU
 * stopped by a panic while a rendezvous writes printk's sites is an
 * accepted risk (the system is going down anyway).  Everything the
 * rendezvous runs is notrace.
 *
 * The rendezvous holds CPUs with interrupts off, and a CPU answers the
 * call only when its interrupts are on.  Invariant: no spinlock taken
 * with interrupts enabled may be spun on with interrupts off anywhere
 * else; otherwise a CPU spinning, interrupts off, on a lock whose holder
 * is the patcher (or waits for it) never arrives.  The patcher waits for
 * the others poke_arrive_ms() at most; then it releases those that
 * arrived, writes nothing, logs the CPUs missing, WARNs and fails with
 * -ETIMEDOUT (safe: no byte is written before every CPU is held).  The
 * CPUs called are a snapshot of the online mask, taken once, and the
 * patcher waits for exactly those.
 */
#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/mutex.h>
#include <exo/pgtable.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/vmalloc.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/text-patching.h>

DEFINE_MUTEX(text_mutex);

/* Alias pages per rendezvous: a batch touching more pages takes several. */
#define POKE_ALIAS_PAGES	64

static unsigned long alias_base;	/* the reservation, made on first use */
static unsigned long alias_page[POKE_ALIAS_PAGES];	/* text page of each slot */
static unsigned int alias_used;

/*
 * The rendezvous' state, text_mutex held.  Each rendezvous has a new
 * generation: a CPU records the generation it arrived for and left, and
 * waits until the patcher releases that generation (written or aborted),
 * so a CPU whose call comes after an aborted rendezvous gave up on it
 * finds it released and leaves at once.
 */
static unsigned long poke_gen;
static unsigned long poke_arrived[NR_CPUS];
static unsigned long poke_left[NR_CPUS];
static unsigned long poke_released;

/*
 * How long the patcher waits for @others CPUs to arrive: 5 s, and 100 ms
 * more per CPU.  Under TCG every vCPU is a host thread: 255 of them on two
 * host cores take more than 5 s to all be scheduled once.
 */
static notrace unsigned int poke_arrive_ms(unsigned int others)
{
	return 5000 + 100 * others;
}

/* The alias of text byte @addr; its page must have a slot. */
static notrace u8 *alias_of(unsigned long addr)
{
	unsigned long page = addr & PAGE_MASK;

	for (unsigned int i = 0; i < alias_used; i++)
		if (alias_page[i] == page)
			return (u8 *)(alias_base + i * PAGE_SIZE + (addr & ~PAGE_MASK));
	return NULL;
}

/* A slot for the page of @addr: 0, -ENOSPC all slots taken, or map_page()'s error. */
static int alias_map(unsigned long addr)
{
	unsigned long page = addr & PAGE_MASK;
	phys_addr_t phys;
	int err;

	if (alias_of(addr))
		return 0;
	if (alias_used == POKE_ALIAS_PAGES)
		return -ENOSPC;
	err = translate(page, &phys);
	if (err)
		return err;
	err = map_page(alias_base + alias_used * PAGE_SIZE, phys, PAGE_WRITABLE);
	if (err)
		return err;
	alias_page[alias_used++] = page;
	return 0;
}

static void alias_unmap_all(void)
{
	if (alias_used)
		unmap_range(alias_base, alias_used * PAGE_SIZE);
	alias_used = 0;
}

static notrace void poke_write(struct text_poke_loc *locs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int b = 0; b < locs[i].len; b++)
			*alias_of((unsigned long)locs[i].addr + b) = locs[i].new[b];
}

/* Another CPU's part: arrive, wait for the release, serialise, leave. */
static notrace void poke_wait(void *info)
{
	unsigned long gen = (unsigned long)info;
	unsigned int cpu = smp_processor_id();

	__atomic_store_n(&poke_arrived[cpu], gen, __ATOMIC_RELEASE);
	/*
	 * Interrupts are off here (a cross-CPU call): see the file header
	 * for why this must not wait on anything but the patcher.
	 */
	while (__atomic_load_n(&poke_released, __ATOMIC_ACQUIRE) < gen)
		cpu_relax();
	sync_core();
	__atomic_store_n(&poke_left[cpu], gen, __ATOMIC_RELEASE);
}

/* The CPUs of @mask that have not yet recorded @gen in @seen. */
static notrace unsigned int poke_missing(const struct cpumask *mask, const unsigned long *seen,
					 unsigned long gen)
{
	unsigned int cpu, missing = 0;

	for_each_cpu(cpu, mask)
		if (__atomic_load_n(&seen[cpu], __ATOMIC_ACQUIRE) != gen)
			missing++;
	return missing;
}

/*
 * One rendezvous writing @locs, whose pages all have alias slots:
 * 0, or -ETIMEDOUT (logged, WARN, nothing written) when some CPU did not
 * arrive within poke_arrive_ms().
 */
static notrace int poke_stop_cpus(struct text_poke_loc *locs, unsigned int n)
{
	struct cpumask others;
	unsigned long flags, gen;
	u64 start, bound;
	unsigned int cpu, ms;
	bool timeout = false;

	preempt_disable();
	gen = ++poke_gen;
	/* One snapshot for the call and the count. */
	others = cpu_online_mask;
	cpumask_clear_cpu(smp_processor_id(), &others);
	ms = poke_arrive_ms(cpumask_weight(&others));
	/* Without a TSC frequency: 4 GHz, an upper bound. */
	bound = (tsc_khz ? tsc_khz : 4000000) * (u64)ms;
	if (!cpumask_empty(&others))
		smp_call_function_many(&others, poke_wait, (void *)gen, false);
	flags = arch_local_irq_save();
	/*
	 * Interrupts off until every other CPU has arrived: a CPU spinning,
	 * interrupts off, on a lock whose holder waits for us never answers
	 * the call, hence the bound.
	 */
	start = rdtsc();
	while (poke_missing(&others, poke_arrived, gen)) {
		if (rdtsc() - start > bound) {
			timeout = true;
			break;
		}
		cpu_relax();
	}
	if (!timeout)
		poke_write(locs, n);
	__atomic_store_n(&poke_released, gen, __ATOMIC_RELEASE);
	sync_core();
	arch_local_irq_restore(flags);
	if (timeout) {
		for_each_cpu(cpu, &others)
			if (__atomic_load_n(&poke_arrived[cpu], __ATOMIC_ACQUIRE) != gen)
				pr_err("text_poke: CPU %u did not arrive within %u ms\n", cpu, ms);
		pr_err("text_poke: rendezvous timed out, nothing written (-ETIMEDOUT)\n");
		WARN_ON(1);
		preempt_enable();
		return -ETIMEDOUT;
	}
	while (poke_missing(&others, poke_left, gen))
		cpu_relax();
	preempt_enable();
	return 0;
}

static bool site_ok(const struct text_poke_loc *l)
{
	phys_addr_t phys;

	if (!l->len || l->len > POKE_MAX_INSN)
		return false;
	/* Both ends mapped (a site may straddle a page boundary). */
	if (translate((unsigned long)l->addr, &phys) ||
	    translate((unsigned long)l->addr + l->len - 1, &phys))
		return false;
	return !memcmp(l->addr, l->old, l->len);
}

int text_poke_batch(struct text_poke_loc *locs, unsigned int n)
{
	unsigned int first = 0;

	/* It sleeps on text_mutex's holder's behalf and calls other CPUs. */
	if (in_interrupt()) {
		pr_err("text_poke: called from interrupt context (-EBUSY)\n");
		WARN_ON_ONCE(1);
		return -EBUSY;
	}
	lockdep_assert_held(&text_mutex);

	for (unsigned int i = 0; i < n; i++)
		if (!site_ok(&locs[i])) {
			pr_err("text_poke: %pS (%p): not the expected %u-byte instruction, nothing patched\n",
			       locs[i].addr, locs[i].addr, locs[i].len);
			return -EINVAL;
		}
	if (!alias_base) {
		alias_base = get_vm_area(POKE_ALIAS_PAGES * PAGE_SIZE, 0);
		if (!alias_base)
			return -ENOMEM;
	}
	for (unsigned int i = 0; i <= n; i++) {
		int err = 0;

		if (i < n) {
			err = alias_map((unsigned long)locs[i].addr);
			if (!err)
				err = alias_map((unsigned long)locs[i].addr + locs[i].len - 1);
			if (!err)
				continue;
		}
		/* The end, or no slot left: write what is mapped, then go on. */
		if (i > first) {
			int werr = poke_stop_cpus(&locs[first], i - first);

			if (werr) {
				alias_unmap_all();
				pr_err("text_poke: %u of %u sites written\n", first, n);
				return werr;
			}
		}
		alias_unmap_all();
		if (i == n)
			break;
		if (err != -ENOSPC) {
			pr_err("text_poke: cannot alias %pS: %d (%u of %u sites written)\n",
			       locs[i].addr, err, i, n);
			return err;
		}
		first = i--;	/* retry this site with empty slots */
	}
	return 0;
}

void text_poke_early(void *addr, const void *insn, size_t len)
{
	memcpy(addr, insn, len);
}
