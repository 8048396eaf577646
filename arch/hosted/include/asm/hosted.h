/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hosted build: entry points that let tests, benchmarks and fuzzers drive
 * the portable mm code on the host (the C files of arch/hosted).
 *
 *	hosted_set_cpu(0);			// the calling thread is CPU 0
 *	hosted_mm_init(NULL);			// fresh allocator, default layout
 *	alloc_frame(&pa); ...			// the real mm/page_alloc.c
 *
 * hosted_mm_init() may be called again at any time for a fresh allocator
 * (the previous arena is unmapped).
 */
#ifndef _ASM_HOSTED_HOSTED_H
#define _ASM_HOSTED_HOSTED_H

#include <exo/types.h>
#include <exo/bootinfo.h>

/*
 * A fake machine: an E820-style map (any order, overlaps and absurd
 * entries allowed, exactly as a loader could hand them over) plus the
 * ranges memblock_init() reserves.  Physical address X is byte X of the
 * arena (hosted_ram_base + X); holes and firmware ranges are mapped
 * PROT_NONE, so any access to them faults.
 */
struct hosted_mem_layout {
	const char *name;
	const struct boot_mmap_entry *map;
	unsigned int nr_map;
	phys_addr_t kernel_start, kernel_end;	/* fake kernel image */
	phys_addr_t info_start, info_end;	/* fake loader information */
	const struct boot_module *modules;
	unsigned int nr_modules;
};

/*
 * The default machine (see arch/hosted/arena.c): about 250 MiB of RAM in
 * the DMA (< 16 MiB, with a firmware hole), DMA32 (with ACPI, NVS and bad
 * ranges inside) and NORMAL (above 4 GiB) zones, a hole from 128 MiB to
 * 4 GiB, plus unsorted, overlapping, zero-length, wrapping and
 * beyond-2^52 entries.
 */
extern const struct hosted_mem_layout hosted_default_layout;

/**
 * hosted_mm_init() - build a fresh arena and bring up memblock + page_alloc
 * @layout: the machine, or NULL for hosted_default_layout
 *
 * Calls memblock_init(&boot_info) and page_alloc_init() exactly as the
 * kernel does.  Return: 0, -EINVAL for a bad layout, -E2BIG if RAM ends
 * beyond 64 GiB, -ENOMEM if the arena cannot be mapped.
 */
int hosted_mm_init(const struct hosted_mem_layout *layout);

/* Unmap the arena (the allocator must not be used afterwards). */
void hosted_mm_exit(void);

/* Bytes of the current arena (= end of RAM). */
extern size_t hosted_arena_size;

/**
 * hosted_run_on_cpus() - run @fn(@arg) on @nr threads, as CPUs @first ..
 * @first + @nr - 1, and wait for all of them
 *
 * Return: 0, or -EAGAIN if a thread could not be created.
 */
int hosted_run_on_cpus(unsigned int first, unsigned int nr, void (*fn)(void *), void *arg);

/*
 * `current` for the calling host thread: a fresh task (hosted_run_on_cpus()
 * threads get one automatically); hosted_task_end() runs the exit hooks
 * (e.g. the kmalloc thread-cache flush) and frees it.
 */
struct task_struct *hosted_task_begin(const char *name);
void hosted_task_end(void);

/* Called with every printk() message (after formatting), under a lock. */
extern void (*hosted_printk_hook)(const char *msg);

/* What the page-table code asked the (absent) TLB to flush (arch/hosted/tlb.c). */
struct hosted_tlb_log {
	unsigned long calls;		/* flush_tlb_mm_range() + flush_tlb_all() */
	unsigned long full;		/* with TLB_FLUSH_FULL (tables freed) */
	unsigned long last_start, last_end;
	unsigned int last_stride_shift, last_flags;
};
extern struct hosted_tlb_log hosted_tlb_log;

/*
 * hosted_pgtable_init() - a fresh init_mm on the current arena (call after
 * every hosted_mm_init() before using the page-table code)
 * Return: 0 or -ENOMEM.
 */
int hosted_pgtable_init(void);

/*
 * hosted_cross_call() - run @fn(@cpu) as @cpu's interrupt handler would run:
 * once @cpu has interrupts on, with @cpu kept from turning them off until
 * @fn returns (see <asm/irqflags.h>).  Call with interrupts on.  Not in
 * the benchmark build.
 */
void hosted_cross_call(unsigned int cpu, void (*fn)(unsigned int cpu));

/* WARN_ON() hits so far. */
extern unsigned long hosted_warn_count;

#endif
