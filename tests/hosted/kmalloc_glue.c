// SPDX-License-Identifier: GPL-2.0
/*
 * The hosted kmalloc as a drop-in object for shared/anchors/host-alloc
 * (KMALLOC_ALLOCS="exo:exo_kmalloc.o"): kmalloc/kfree/krealloc with no
 * set-up call.  A constructor builds the fake RAM arena and the caches and
 * makes the main thread CPU 0; every other thread that calls in becomes the
 * next free hosted CPU with its own `current` on its first call, and gives
 * the CPU back (after the exit hooks flush its thread cache) when it ends.
 * kmalloc/kfree are mm/slab_common.c's own: their hit paths cost nothing
 * extra (a new thread's cache pointer is slab_no_tcache, so its first calls
 * take the out-of-line paths, and its preempt count starts with one trap
 * level, HOSTED_PREEMPT_INIT, so that the tier-2 and krealloc() hits' test
 * of in_trap() sends them out of line too; there the allocator built with
 * CONFIG_HOSTED_GLUE checks hosted_glue_ready).  The rest of the
 * allocator's symbols are made local (objcopy).
 */
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <asm/hosted.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

__thread int hosted_glue_ready;
void hosted_glue_thread_init(void);
static pthread_key_t glue_key;
static pthread_mutex_t glue_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long cpus_used = 1;	/* CPU 0: the main thread */

static void glue_thread_exit(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg - 1;

	hosted_task_end();
	/*
	 * The slot may go to a new thread at once: a later call from this
	 * thread (another key's destructor) must set itself up again, not
	 * share the slot's arrays.
	 */
	hosted_glue_ready = 0;
	hosted_preempt_count += HOSTED_PREEMPT_INIT;
	pthread_mutex_lock(&glue_lock);
	cpus_used &= ~(1UL << cpu);
	pthread_mutex_unlock(&glue_lock);
}

/* See mm/slab.h (slab_entry()): a thread's first out-of-line call. */
noinline void hosted_glue_thread_init(void)
{
	unsigned int cpu;

	/* Not in a trap: the trap level that sent this thread here goes. */
	hosted_preempt_count -= HOSTED_PREEMPT_INIT;
	pthread_mutex_lock(&glue_lock);
	for (cpu = 1; cpu < NR_CPUS && (cpus_used & (1UL << cpu)); cpu++)
		;
	if (cpu == NR_CPUS) {
		fprintf(stderr, "exo kmalloc: more than %d threads at once\n", NR_CPUS);
		abort();
	}
	cpus_used |= 1UL << cpu;
	pthread_mutex_unlock(&glue_lock);
	hosted_set_cpu((int)cpu);
	hosted_task_begin("bench-thread");
	pthread_setspecific(glue_key, (void *)(unsigned long)(cpu + 1));
	hosted_glue_ready = 1;
}

__attribute__((constructor)) static void glue_init(void)
{
	hosted_preempt_count -= HOSTED_PREEMPT_INIT;
	console_loglevel = LOGLEVEL_WARNING;
	hosted_set_cpu(0);
	if (hosted_mm_init(NULL)) {
		fprintf(stderr, "exo kmalloc: hosted_mm_init failed\n");
		abort();
	}
	kmem_cache_init();
	hosted_task_begin("bench-main");
	pthread_key_create(&glue_key, glue_thread_exit);
	hosted_glue_ready = 1;
}
