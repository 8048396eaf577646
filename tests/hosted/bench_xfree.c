// SPDX-License-Identifier: GPL-2.0
/*
 * Cross-thread frees, for make bench (Documentation/benchmarks.md, "Host
 * multi-thread: cross-thread frees"): a producer thread pinned to one CPU
 * allocates 64-byte objects in batches and passes them through a
 * single-producer single-consumer ring to a consumer pinned to another CPU,
 * which frees them.  Every free is of an object another thread allocated,
 * the case a per-thread cache cannot serve locally.
 *
 * The allocator is chosen when the program is built:
 *   (default)           malloc/free of whatever library is linked first
 *                       (glibc, -lmimalloc, -ltcmalloc_minimal)
 *   -DXF_KMALLOC        kmalloc(64, 0)/kfree of libexo_kmalloc.so
 *   -DXF_RING_ONLY      no allocation: the producer passes the addresses
 *                       of a static array, the floor of the ring itself
 *
 * Usage: bench_xfree NAME SECONDS RUNS [PRODUCER_CPU CONSUMER_CPU]
 * Prints one line: NAME, the median of RUNS runs of SECONDS each in
 * millions of objects per second (allocated and freed), the lowest and the
 * highest run, and the batch size.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OBJ_SIZE	64
#define BATCH		64	/* objects per batch, both sides */
#define RING		4096	/* slots, a power of two */
#define MAX_RUNS	99

#if defined(XF_KMALLOC)
void *kmalloc(size_t size, unsigned int gfp);
void kfree(const void *p);
#define XF_ALLOC()	kmalloc(OBJ_SIZE, 0u)
#define XF_FREE(p)	kfree(p)
#elif defined(XF_RING_ONLY)
static char objs[RING + BATCH][OBJ_SIZE];
static unsigned long obj_next;
#define XF_ALLOC()	((void *)objs[obj_next++ % (RING + BATCH)])
#define XF_FREE(p)	((void)(p))
#else
#define XF_ALLOC()	malloc(OBJ_SIZE)
#define XF_FREE(p)	free(p)
#endif

struct ring {
	_Alignas(64) unsigned long head;	/* written by the producer */
	_Alignas(64) unsigned long tail;	/* written by the consumer */
	_Alignas(64) void *slot[RING];
};

static struct ring ring;
static volatile int stop;
static int cpu_prod, cpu_cons;
static unsigned long freed;

/*
 * A wait: spin a while, then yield, so that on a loaded machine a waiting
 * thread gives its CPU to whatever the other side waits for.
 */
static void wait_a_bit(unsigned int *spins)
{
	if (++*spins < 1000) {
		__builtin_ia32_pause();
		return;
	}
	*spins = 0;
	sched_yield();
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		fprintf(stderr, "bench_xfree: cannot pin to CPU %d (running unpinned)\n", cpu);
}

static void *producer(void *arg)
{
	unsigned long head = 0;
	unsigned int spins = 0;

	(void)arg;
	pin(cpu_prod);
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		while (head + BATCH - __atomic_load_n(&ring.tail, __ATOMIC_ACQUIRE) > RING)
			if (__atomic_load_n(&stop, __ATOMIC_RELAXED))
				goto out;
			else
				wait_a_bit(&spins);
		for (int i = 0; i < BATCH; i++) {
			char *p = XF_ALLOC();

			if (!p) {
				fprintf(stderr, "bench_xfree: allocation failed\n");
				exit(1);
			}
			p[0] = (char)i;	/* touch it, as a user would */
			ring.slot[(head + i) % RING] = p;
		}
		head += BATCH;
		__atomic_store_n(&ring.head, head, __ATOMIC_RELEASE);
	}
out:
	return NULL;
}

static void *consumer(void *arg)
{
	unsigned long tail = 0, head;
	unsigned int spins = 0;

	(void)arg;
	pin(cpu_cons);
	for (;;) {
		head = __atomic_load_n(&ring.head, __ATOMIC_ACQUIRE);
		if (head - tail < BATCH) {
			if (__atomic_load_n(&stop, __ATOMIC_ACQUIRE) &&
			    head == __atomic_load_n(&ring.head, __ATOMIC_ACQUIRE) && head == tail)
				break;
			wait_a_bit(&spins);
			continue;
		}
		for (int i = 0; i < BATCH; i++)
			XF_FREE(ring.slot[(tail + i) % RING]);
		tail += BATCH;
		__atomic_store_n(&ring.tail, tail, __ATOMIC_RELEASE);
	}
	freed = tail;
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One run of @seconds: millions of objects allocated and freed per second. */
static double run(double seconds)
{
	pthread_t p, c;
	struct timespec d = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };
	double t0, t1;

	memset(&ring, 0, sizeof(ring));
	stop = 0;
	t0 = now();
	if (pthread_create(&c, NULL, consumer, NULL) || pthread_create(&p, NULL, producer, NULL)) {
		fprintf(stderr, "bench_xfree: pthread_create failed\n");
		exit(1);
	}
	nanosleep(&d, NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	t1 = now();
	return freed / (t1 - t0) / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	double r[MAX_RUNS], seconds;
	int runs;

	if (argc != 4 && argc != 6) {
		fprintf(stderr, "usage: %s NAME SECONDS RUNS [PRODUCER_CPU CONSUMER_CPU]\n", argv[0]);
		return 2;
	}
	seconds = atof(argv[2]);
	runs = atoi(argv[3]);
	cpu_prod = argc == 6 ? atoi(argv[4]) : 0;
	cpu_cons = argc == 6 ? atoi(argv[5]) : 1;
	if (seconds <= 0 || seconds > 3600 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "bench_xfree: SECONDS must be in (0, 3600], RUNS in 1..%d\n", MAX_RUNS);
		return 2;
	}
	for (int i = 0; i < runs; i++)
		r[i] = run(seconds);
	qsort(r, runs, sizeof(r[0]), cmp);
	printf("%s %.2f %.2f %.2f %d\n", argv[1], r[runs / 2], r[0], r[runs - 1], BATCH);
	return 0;
}
