// SPDX-License-Identifier: GPL-2.0
/* The hosted benchmarks' timing harness: see bench_harness.h. */
#include <asm/processor.h>

#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench_harness.h"

static int perf_fd = -1;

/* Retired user-space instructions, if perf events are available. */
static void perf_open(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_HARDWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	perf_fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static u64 perf_read(void)
{
	u64 v = 0;

	if (perf_fd >= 0 && read(perf_fd, &v, sizeof(v)) != sizeof(v))
		v = 0;
	return v;
}

int hbench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

bool hbench_has_insn(void)
{
	return perf_fd >= 0;
}

/* Median cost of an empty timing bracket. */
u64 hbench_init(void)
{
	u64 t[HBENCH_BATCHES];

	perf_open();
	for (int i = 0; i < HBENCH_BATCHES; i++) {
		u64 s = rdtsc_ordered();

		t[i] = rdtscp_ordered() - s;
	}
	qsort(t, HBENCH_BATCHES, sizeof(t[0]), hbench_cmp_u64);
	return t[HBENCH_BATCHES / 2];
}

struct hbench_result hbench_measure(const struct hbench *b, u64 overhead)
{
	u64 t[HBENCH_BATCHES], insn[HBENCH_BATCHES];
	struct hbench_result r;

	for (int i = 0; i < HBENCH_WARMUP; i++)
		b->run(b->ops);
	for (int i = 0; i < HBENCH_BATCHES; i++) {
		u64 i0 = perf_read();
		u64 s = rdtsc_ordered();
		u64 e;

		b->run(b->ops);
		e = rdtscp_ordered();
		insn[i] = perf_read() - i0;
		t[i] = e - s > overhead ? e - s - overhead : 0;
	}
	qsort(t, HBENCH_BATCHES, sizeof(t[0]), hbench_cmp_u64);
	qsort(insn, HBENCH_BATCHES, sizeof(insn[0]), hbench_cmp_u64);
	r.best = (double)t[0] / b->ops;
	r.p10 = (double)t[HBENCH_BATCHES / 10] / b->ops;
	r.median = (double)t[HBENCH_BATCHES / 2] / b->ops;
	r.p90 = (double)t[HBENCH_BATCHES * 9 / 10] / b->ops;
	r.insn = perf_fd >= 0 ? (double)insn[HBENCH_BATCHES / 2] / b->ops : -1;
	return r;
}
