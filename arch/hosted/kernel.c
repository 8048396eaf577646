// SPDX-License-Identifier: GPL-2.0
/*
 * Hosted build: the kernel services portable code links against, on top of
 * libc.  printk() goes to stdout (level prefix stripped, loglevel applied),
 * panic() aborts, time comes from CLOCK_MONOTONIC.
 */
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/ktest.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/hosted.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int console_loglevel = 7;
void (*hosted_printk_hook)(const char *msg);
unsigned long hosted_warn_count;
u64 tsc_khz;

static pthread_mutex_t printk_lock = PTHREAD_MUTEX_INITIALIZER;

int vprintk(const char *fmt, va_list ap)
{
	int level = LOGLEVEL_DEFAULT, n;
	char buf[1024];

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	pthread_mutex_lock(&printk_lock);
	if (hosted_printk_hook)
		hosted_printk_hook(buf);
	if (level < console_loglevel) {
		fputs(buf, stdout);
		fflush(stdout);
	}
	pthread_mutex_unlock(&printk_lock);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

bool __ratelimit(struct ratelimit_state *rs)
{
	unsigned int n = __atomic_fetch_add(&rs->count, 1, __ATOMIC_RELAXED);

	return n < 10 || n % 1000 == 0;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("Kernel panic - not syncing: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void __warn(const char *file, int line, const char *cond)
{
	__atomic_fetch_add(&hosted_warn_count, 1, __ATOMIC_RELAXED);
	printk(KERN_WARNING "WARNING: at %s:%d: %s\n", file, line, cond);
}

void dump_stack(void)
{
	printk(KERN_WARNING "(no backtrace in the hosted build)\n");
}

/*
 * Hosted CPUs are threads that cannot be interrupted, so there is nobody to
 * deliver a cross-CPU call to: the call does nothing.  Tests drain the caches
 * of finished CPU threads with drain_cpu_pages() instead.
 */
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			    bool wait)
{
	(void)mask;
	(void)func;
	(void)info;
	(void)wait;
}

void preempt_schedule(void)
{
}

int probe_read(const volatile void *addr, u8 *val)
{
	(void)addr;
	(void)val;
	return -ENOSYS;
}

int probe_write(volatile void *addr, u8 v)
{
	(void)addr;
	(void)v;
	return -ENOSYS;
}

u64 ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
}

void udelay(unsigned long us)
{
	u64 end = ktime_get_ns() + us * NSEC_PER_USEC;

	while (ktime_get_ns() < end)
		;
}

void mdelay(unsigned long ms)
{
	udelay(ms * 1000);
}

/* The few string helpers glibc 2.36 lacks (see include/exo/string.h). */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

void *memchr_inv(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned long pattern = (unsigned char)c * 0x0101010101010101UL;

	while (n && ((unsigned long)p & 7)) {
		if (*p != (unsigned char)c)
			return (void *)p;
		p++;
		n--;
	}
	for (; n >= 8; p += 8, n -= 8) {
		if (*(const unsigned long *)p != pattern)
			break;
	}
	for (; n; p++, n--)
		if (*p != (unsigned char)c)
			return (void *)p;
	return NULL;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	v = strtoul(s, &end, (int)base);
	if (*end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	*res = v;
	return 0;
}
