// SPDX-License-Identifier: GPL-2.0
/*
 * Rewriting live text: static-key sites and function-tracer sites.
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
 * the case for the stop NMI (arch/x86/kernel/smp.c) and the exception
 * entry code (assembly).  Everything the rendezvous runs is notrace.
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

struct poke_sync {
	atomic_t arrived;
	atomic_t left;
	int go;
};

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

/* Another CPU's part: arrive, wait for the write, serialise, leave. */
static notrace void poke_wait(void *info)
{
	struct poke_sync *s = info;

	atomic_inc(&s->arrived);
	while (!__atomic_load_n(&s->go, __ATOMIC_ACQUIRE))
		cpu_relax();
	sync_core();
	atomic_inc(&s->left);	/* @s is the patcher's: not touched after this */
}

/* One rendezvous writing @locs, whose pages all have alias slots. */
static notrace void poke_stop_cpus(struct text_poke_loc *locs, unsigned int n)
{
	struct poke_sync s = { .arrived = ATOMIC_INIT(0), .left = ATOMIC_INIT(0) };
	unsigned long flags;
	int others;

	preempt_disable();
	others = num_online_cpus() - 1;
	if (others)
		smp_call_function(poke_wait, &s, false);
	flags = arch_local_irq_save();
	while (atomic_read(&s.arrived) < others)
		cpu_relax();
	poke_write(locs, n);
	__atomic_store_n(&s.go, 1, __ATOMIC_RELEASE);
	sync_core();
	arch_local_irq_restore(flags);
	while (atomic_read(&s.left) < others)
		cpu_relax();
	preempt_enable();
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
		if (i > first)
			poke_stop_cpus(&locs[first], i - first);
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
