// SPDX-License-Identifier: GPL-2.0
/*
 * Exports of core kernel symbols defined outside the module code, kept in
 * one place so that the files of other subsystems stay untouched until
 * their owners move each EXPORT_SYMBOL() next to its definition.  Only
 * what modules need: libc-like helpers, printk, the page and kernel
 * allocators, the page-table contract (map_page, unmap_page, translate), time,
 * the per-CPU variables that inline helpers (smp_processor_id(),
 * preempt_disable()) reference, and the spinlock debug hooks.
 * The device model, platform, PCI and RTC code export their own API.
 */
#include <exo/bug.h>
#include <exo/export.h>
#include <exo/lockdep.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/stackprotector.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/tlb.h>

EXPORT_SYMBOL(memcpy);
EXPORT_SYMBOL(memmove);
EXPORT_SYMBOL(memset);
EXPORT_SYMBOL(memcmp);
EXPORT_SYMBOL(memchr);
EXPORT_SYMBOL(memchr_inv);
EXPORT_SYMBOL(strlen);
EXPORT_SYMBOL(strnlen);
EXPORT_SYMBOL(strcmp);
EXPORT_SYMBOL(strncmp);
EXPORT_SYMBOL(strlcpy);
EXPORT_SYMBOL(strchr);
EXPORT_SYMBOL(snprintf);
EXPORT_SYMBOL(vsnprintf);
EXPORT_SYMBOL(printk);
EXPORT_SYMBOL(__warn);
EXPORT_SYMBOL(dump_stack);
EXPORT_SYMBOL(panic);

/*
 * The alloc_pages() and __free_pages() macros of <exo/page_alloc.h> call
 * the _order<N>() copies for a constant order: a module's calls need them.
 */
EXPORT_SYMBOL(alloc_pages);
EXPORT_SYMBOL(alloc_pages_order0);
EXPORT_SYMBOL(alloc_pages_order1);
EXPORT_SYMBOL(alloc_pages_order2);
EXPORT_SYMBOL(alloc_pages_order3);
EXPORT_SYMBOL(alloc_pages_order9);
EXPORT_SYMBOL(alloc_pages_node);
EXPORT_SYMBOL(page_to_nid);
EXPORT_SYMBOL(numa_mem_id);
EXPORT_SYMBOL(cpu_to_mem);
EXPORT_SYMBOL(__free_pages);
EXPORT_SYMBOL(__free_pages_order0);
EXPORT_SYMBOL(__free_pages_order1);
EXPORT_SYMBOL(__free_pages_order2);
EXPORT_SYMBOL(__free_pages_order3);
EXPORT_SYMBOL(__free_pages_order9);
EXPORT_SYMBOL(__get_free_pages);
EXPORT_SYMBOL(get_zeroed_page);
EXPORT_SYMBOL(free_pages);
EXPORT_SYMBOL(alloc_frame);
EXPORT_SYMBOL(free_frame);
EXPORT_SYMBOL(nr_free_pages);
EXPORT_SYMBOL(mem_map);

/* kmalloc and kfree: mm/slab_common.c, next to their out-of-line definitions. */
EXPORT_SYMBOL(kzalloc);
EXPORT_SYMBOL(kmalloc_node);
EXPORT_SYMBOL(kzalloc_node);
EXPORT_SYMBOL(kmem_cache_alloc_node);
EXPORT_SYMBOL(kcalloc);
EXPORT_SYMBOL(kmalloc_array);
EXPORT_SYMBOL(krealloc);
EXPORT_SYMBOL(ksize);
EXPORT_SYMBOL(map_page);
EXPORT_SYMBOL(unmap_page);
EXPORT_SYMBOL(translate);
EXPORT_SYMBOL(flush_tlb);

EXPORT_SYMBOL(ktime_get_ns);
EXPORT_SYMBOL(udelay);
EXPORT_SYMBOL(mdelay);

EXPORT_SYMBOL(cpu_number);
EXPORT_SYMBOL(nr_cpu_ids);	/* Linux exports it too: drivers size per-CPU queues */
/* num_online_cpus() is inline: the mask and the popcount it compiles to. */
int __popcountdi2(long v);
EXPORT_SYMBOL(cpu_online_mask);
EXPORT_SYMBOL(__popcountdi2);
EXPORT_SYMBOL(__preempt_count);
/* null_blk: completion by IPI on the next online CPU. */
EXPORT_SYMBOL_GPL(smp_call_function_single);
#ifdef CONFIG_DEBUG_SPINLOCK
EXPORT_SYMBOL(spin_debug_before);
EXPORT_SYMBOL(spin_debug_after);
EXPORT_SYMBOL(spin_debug_unlock);
EXPORT_SYMBOL(spin_debug_long_spin);
#endif
/*
 * lockdep_acquire/release, the UBSAN handlers, the stack canary, the
 * scheduler, wait queues, kthreads, vmalloc and ioremap are exported where
 * they are defined.
 */
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
EXPORT_SYMBOL(__might_sleep);
#endif
