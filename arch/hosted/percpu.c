// SPDX-License-Identifier: GPL-2.0
/*
 * Hosted per-CPU emulation.  The "exo_percpu" section is the template and
 * CPU 0's area (offset 0), as in the kernel where the boot CPU runs on the
 * template.  hosted_set_cpu(n) gives CPU n a copy of the template as
 * linked (saved before anything runs), exactly like the kernel's SMP
 * bring-up, which copies the pristine template and not the boot CPU's
 * live area, and makes the calling thread CPU n.  Interrupt flag and
 * preempt count are per thread.
 */
#include <exo/percpu.h>
#include <exo/pgtable.h>
#include <exo/smp.h>
#include <asm/hosted.h>
#include <asm/irqflags.h>
#include <asm/percpu.h>
#include <asm/preempt.h>

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

__thread unsigned long hosted_this_cpu_off;
__thread unsigned long hosted_irqflags = X86_EFLAGS_IF;
#ifndef HOSTED_BENCH
__thread unsigned int *hosted_irq_self;
/* One cache line per CPU: see <asm/irqflags.h>. */
static struct {
	unsigned int state;
} __aligned(64) hosted_irq_state[NR_CPUS];
#endif
__thread unsigned int hosted_preempt_count = HOSTED_PREEMPT_INIT;

unsigned long __per_cpu_offset[NR_CPUS];
DEFINE_PER_CPU(unsigned int, cpu_number);

struct cpumask cpu_online_mask = { .bits = { 1 } };
struct cpumask cpu_possible_mask = { .bits = { 1 } };
unsigned int nr_cpu_ids = 1;

extern char __start_exo_percpu[], __stop_exo_percpu[];

static pthread_mutex_t percpu_lock = PTHREAD_MUTEX_INITIALIZER;
/* Keeps the areas reachable for LeakSanitizer (offsets are not pointers). */
static char *areas[NR_CPUS];

/* The template as linked: CPU 0 runs on (and changes) the section itself. */
static char *pristine;

/*
 * Byte copy that ASan does not check (the template may hold redzones) and
 * TSan does not watch.
 */
__attribute__((no_sanitize_address, no_sanitize_thread)) static void copy_template(char *dst,
										      const char *from)
{
	volatile const char *src = from;

	for (size_t i = 0; i < (size_t)(__stop_exo_percpu - __start_exo_percpu); i++)
		dst[i] = src[i];
}

/* Before every other constructor (101 is the first user priority). */
__attribute__((constructor(101))) static void save_template(void)
{
	pristine = malloc((size_t)(__stop_exo_percpu - __start_exo_percpu) + 1);
	if (!pristine) {
		fprintf(stderr, "hosted percpu: out of memory\n");
		abort();
	}
	copy_template(pristine, __start_exo_percpu);
}

/* Give CPU @cpu its area (a copy of the template) on first use. */
static void setup_area(unsigned int cpu)
{
	size_t size = (size_t)(__stop_exo_percpu - __start_exo_percpu);
	char *area;

	pthread_mutex_lock(&percpu_lock);
	if (!__per_cpu_offset[cpu]) {
		area = aligned_alloc(4096, (size + 4095) & ~4095UL);
		if (!area) {
			fprintf(stderr, "hosted_set_cpu: out of memory\n");
			abort();
		}
		copy_template(area, pristine);
		areas[cpu] = area;
		__per_cpu_offset[cpu] = (unsigned long)(area - __start_exo_percpu);
		cpumask_set_cpu(cpu, &cpu_possible_mask);
		cpumask_set_cpu(cpu, &cpu_online_mask);
		if (cpu + 1 > nr_cpu_ids)
			nr_cpu_ids = cpu + 1;
	}
	pthread_mutex_unlock(&percpu_lock);
}

void hosted_set_cpu(int cpu)
{
	if (cpu < 0 || cpu >= NR_CPUS) {
		fprintf(stderr, "hosted_set_cpu(%d): out of range\n", cpu);
		abort();
	}
#ifndef HOSTED_BENCH
	/*
	 * Come up with interrupts off, as a CPU does: a cross-CPU call for
	 * this CPU waits until its area exists and is set up.
	 */
	hosted_irq_self = &hosted_irq_state[cpu].state;
	arch_local_irq_disable();
#endif
	if (cpu)
		setup_area(cpu);
	hosted_this_cpu_off = __per_cpu_offset[cpu];
	this_cpu_write(cpu_number, (unsigned int)cpu);
	/* An area left by an earlier thread may hold its cache. */
	pgtable_cpu_init();
#ifndef HOSTED_BENCH
	arch_local_irq_enable();
#endif
}

#ifndef HOSTED_BENCH

/* A cross-CPU call is pending or running for this CPU: let it finish first. */
void hosted_irq_off_slow(void)
{
	unsigned int on;

	do {
		sched_yield();
		on = 0;
	} while (!__atomic_compare_exchange_n(hosted_irq_self, &on, HOSTED_IRQ_OFF, false,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
}

/*
 * Run @fn(@cpu) as an interrupt handler on @cpu would run: once @cpu has
 * interrupts on, and with @cpu kept from turning them off until @fn
 * returns.  As with a real IPI, a CPU that keeps turning interrupts off
 * and on cannot starve the call: the pending bit stops it at the next
 * "off".  The caller must have interrupts on itself.
 */
void hosted_cross_call(unsigned int cpu, void (*fn)(unsigned int cpu))
{
	unsigned int *state = &hosted_irq_state[cpu].state, old;

	for (;;) {
		old = __atomic_load_n(state, __ATOMIC_RELAXED);
		if (!(old & (HOSTED_IRQ_OFF | HOSTED_IRQ_CALL))) {
			if (__atomic_compare_exchange_n(state, &old, HOSTED_IRQ_CALL, false,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				break;
			continue;
		}
		if (!(old & HOSTED_IRQ_PENDING))
			__atomic_fetch_or(state, HOSTED_IRQ_PENDING, __ATOMIC_RELAXED);
		sched_yield();
	}
	fn(cpu);
	/* Other callers' pending bits go too: they set them again. */
	__atomic_store_n(state, 0, __ATOMIC_RELEASE);
}
#endif
