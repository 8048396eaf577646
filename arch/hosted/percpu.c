// SPDX-License-Identifier: GPL-2.0
/*
 * Hosted per-CPU emulation.  The "exo_percpu" section is the template and
 * CPU 0's area (offset 0), as in the kernel where the boot CPU runs on the
 * template.  hosted_set_cpu(n) gives CPU n a copy of the template -- of
 * CPU 0's live data, exactly like an SMP bring-up that copies the boot
 * CPU's area -- and makes the calling thread CPU n.  Interrupt flag and
 * preempt count are per thread.
 */
#include <exo/percpu.h>
#include <exo/smp.h>
#include <asm/irqflags.h>
#include <asm/percpu.h>
#include <asm/preempt.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

__thread unsigned long hosted_this_cpu_off;
__thread unsigned long hosted_irqflags = X86_EFLAGS_IF;
__thread unsigned int hosted_preempt_count;

unsigned long __per_cpu_offset[NR_CPUS];
DEFINE_PER_CPU(unsigned int, cpu_number);

struct cpumask cpu_online_mask = { .bits = { 1 } };
struct cpumask cpu_possible_mask = { .bits = { 1 } };
unsigned int nr_cpu_ids = 1;

extern char __start_exo_percpu[], __stop_exo_percpu[];

static pthread_mutex_t percpu_lock = PTHREAD_MUTEX_INITIALIZER;
/* Keeps the areas reachable for LeakSanitizer (offsets are not pointers). */
static char *areas[NR_CPUS];

/* Byte copy that ASan does not check: the template may hold redzones. */
__attribute__((no_sanitize_address)) static void copy_template(char *dst)
{
	volatile const char *src = __start_exo_percpu;

	for (size_t i = 0; i < (size_t)(__stop_exo_percpu - __start_exo_percpu); i++)
		dst[i] = src[i];
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
		copy_template(area);
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
	if (cpu)
		setup_area(cpu);
	hosted_this_cpu_off = __per_cpu_offset[cpu];
	this_cpu_write(cpu_number, (unsigned int)cpu);
}
