// SPDX-License-Identifier: GPL-2.0
/*
 * printk: format a message, stamp it with the time since boot, append it to
 * the log ring buffer (2^CONFIG_LOG_BUF_SHIFT bytes, oldest text overwritten)
 * and write it to every registered console if its level is below
 * console_loglevel.
 *
 * One spinlock (irqsave) orders messages from all CPUs; a panicking CPU
 * stops taking it (console_force_unlock) so that a CPU that died holding it
 * cannot silence the oops.
 */
#include <exo/console.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/wait.h>
#include <asm/processor.h>

#define LOG_BUF_LEN (1UL << CONFIG_LOG_BUF_SHIFT)

static char log_buf[LOG_BUF_LEN];
static u64 log_head;			/* total bytes ever written */
static DEFINE_SPINLOCK(logbuf_lock);
static LIST_HEAD(console_list);
static bool console_unlocked_for_panic;
static bool line_open;			/* last message did not end in '\n' */
int console_loglevel = CONFIG_DEFAULT_LOGLEVEL;

static int __init loglevel_setup(const char *val)
{
	unsigned long lvl;

	if (!strcmp(val, "debug"))
		lvl = 8;
	else if (kstrtoul(val, 10, &lvl) || lvl > 8)
		return -EINVAL;
	console_loglevel = (int)lvl;
	return 0;
}
early_param_desc("loglevel=", loglevel_setup, "0-8 or debug");

static int __init quiet_setup(const char *val)
{
	console_loglevel = 4;
	return 0;
}
early_param("quiet", quiet_setup);

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) & (LOG_BUF_LEN - 1)] = s[i];
	log_head += n;
}

static void consoles_write(const char *s, size_t n)
{
	struct console *con;

	list_for_each_entry(con, &console_list, list)
		con->write(con, s, n);
}

/* Lines an exception or NMI handler could not log (lock_log()). */
static unsigned long printk_dropped;

/* The CPU holding the log lock, or -1: tells a handler whom it interrupted. */
static int log_owner = -1;

/* How long a handler waits for another CPU to finish its line. */
#define TRAP_LOG_WAIT_NS	(1000 * NSEC_PER_MSEC)

/*
 * Take the log lock, interrupts off.  An exception or NMI handler may have
 * interrupted this very CPU inside vprintk(), holding the lock, and would
 * spin on it for ever: from such a handler (in_trap()), a lock this CPU
 * holds is given up at once, and one another CPU holds is waited for
 * TRAP_LOG_WAIT_NS at most (this CPU may have been interrupted between
 * taking the lock and noting itself as its owner).  Then *@held is false
 * and the caller must not touch the log (vprintk() counts its line in
 * printk_dropped instead).  Once a panic has begun (console_force_unlock())
 * nobody takes the lock.
 */
static unsigned long lock_log(bool *held) __acquires(&logbuf_lock)
{
	unsigned long flags = arch_local_irq_save();
	int me = (int)smp_processor_id();
	u64 deadline = 0;

	*held = true;
	if (READ_ONCE(console_unlocked_for_panic)) {
		__acquire(&logbuf_lock);
		return flags;
	}
	if (likely(!in_trap())) {
		spin_lock(&logbuf_lock);
	} else {
		while (!spin_trylock(&logbuf_lock)) {
			u64 now = ktime_get_ns();

			if (!deadline)
				deadline = now + TRAP_LOG_WAIT_NS;
			if (READ_ONCE(log_owner) == me || now > deadline) {
				*held = false;
				__acquire(&logbuf_lock);
				return flags;
			}
			cpu_relax();
		}
		__acquire(&logbuf_lock);
	}
	WRITE_ONCE(log_owner, me);
	return flags;
}

static void unlock_log(unsigned long flags, bool held) __releases(&logbuf_lock)
{
	if (held && !READ_ONCE(console_unlocked_for_panic)) {
		WRITE_ONCE(log_owner, -1);
		spin_unlock(&logbuf_lock);
	} else {
		__release(&logbuf_lock);
	}
	arch_local_irq_restore(flags);
}

/* "[seconds.micros] ", the time since boot that starts each line. */
static int log_stamp(char *buf, size_t size)
{
	u64 ns = ktime_get_ns();

	return snprintf(buf, size, "[%5llu.%06llu] ", ns / NSEC_PER_SEC,
			(ns % NSEC_PER_SEC) / 1000);
}

/*
 * Report the lines handlers dropped, in order: before the next message.
 * Called with the log lock held.
 */
static void log_dropped(void)
{
	unsigned long n = __atomic_exchange_n(&printk_dropped, 0, __ATOMIC_RELAXED);
	char msg[128];
	int len;

	if (!n)
		return;
	len = log_stamp(msg, sizeof(msg));
	len += snprintf(msg + len, sizeof(msg) - len,
			"printk: %lu line(s) from exception/NMI handlers dropped (log busy)\n", n);
	if (line_open)
		log_store("\n", 1);
	line_open = false;
	log_store(msg, len);
	consoles_write(msg, len);
}

#ifdef CONFIG_KTEST
/**
 * printk_test_lock_log() - hold the log lock, as an interrupted printk does
 *
 * For printk's tests only: interrupts are off until printk_test_unlock_log().
 *
 * Return: the flags to pass to printk_test_unlock_log().
 */
unsigned long printk_test_lock_log(void)
{
	bool held;
	unsigned long flags = lock_log(&held);

	__release(&logbuf_lock);
	return flags;
}

/**
 * printk_test_unlock_log() - release what printk_test_lock_log() took
 * @flags: its return value
 */
void printk_test_unlock_log(unsigned long flags)
{
	__acquire(&logbuf_lock);
	unlock_log(flags, true);
}

/**
 * printk_dropped_count() - lines dropped and not yet reported
 *
 * Return: how many lines exception or NMI handlers could not log since
 * the last message that reported them.
 */
unsigned long printk_dropped_count(void)
{
	return READ_ONCE(printk_dropped);
}
#endif

int vprintk(const char *fmt, va_list ap)
{
	char text[512], prefix[32];
	int level = LOGLEVEL_DEFAULT, len, plen = 0;
	bool cont = false, held;
	unsigned long flags;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else
			level = fmt[1] - '0';
		fmt += 2;
	}
	len = vsnprintf(text, sizeof(text), fmt, ap);
	if (len >= (int)sizeof(text))
		len = sizeof(text) - 1;

	flags = lock_log(&held);
	if (unlikely(!held)) {
		__atomic_fetch_add(&printk_dropped, 1, __ATOMIC_RELAXED);
		unlock_log(flags, false);
		return 0;
	}
	log_dropped();
	if (!(cont && line_open)) {
		if (line_open)
			log_store("\n", 1);
		plen = log_stamp(prefix, sizeof(prefix));
		log_store(prefix, plen);
	}
	log_store(text, len);
	line_open = len && text[len - 1] != '\n';
	if (level < console_loglevel) {
		if (plen)
			consoles_write(prefix, plen);
		consoles_write(text, len);
	}
	unlock_log(flags, true);
	return len;
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

void register_console(struct console *con)
{
	bool held;
	unsigned long flags = lock_log(&held);
	u64 start = log_head > LOG_BUF_LEN ? log_head - LOG_BUF_LEN : 0;

	list_add_tail(&con->list, &console_list);
	/* Replay what was logged before this console existed. */
	for (u64 i = start; i < log_head; i++)
		con->write(con, &log_buf[i & (LOG_BUF_LEN - 1)], 1);
	unlock_log(flags, held);
}

void unregister_console(struct console *con)
{
	bool held;
	unsigned long flags = lock_log(&held);

	list_del(&con->list);
	unlock_log(flags, held);
}

void console_write_raw(const char *s, size_t n)
{
	bool held;
	unsigned long flags = lock_log(&held);

	if (held)
		consoles_write(s, n);
	unlock_log(flags, held);
}

static DECLARE_WAIT_QUEUE_HEAD(console_input_wq);
static unsigned long console_input_events;

void console_input_ready(void)
{
	WRITE_ONCE(console_input_events, console_input_events + 1);
	wake_up(&console_input_wq);
}

void console_wait_input(unsigned int ms)
{
	unsigned long seen = READ_ONCE(console_input_events);

	if (!sched_ready() || in_interrupt() || irqs_disabled()) {
		cpu_relax();
		return;
	}
	wait_event_timeout(console_input_wq, READ_ONCE(console_input_events) != seen,
			   msecs_to_jiffies(ms));
}

int console_getc(void)
{
	struct console *con;
	int c = -1;

	list_for_each_entry(con, &console_list, list) {
		if (con->read) {
			c = con->read(con);
			if (c >= 0)
				break;
		}
	}
	return c;
}

void console_flush(void)
{
	struct console *con;

	list_for_each_entry(con, &console_list, list)
		if (con->flush)
			con->flush(con);
}

void log_buf_dump(void)
{
	bool held;
	unsigned long flags = lock_log(&held);
	u64 i = log_head > LOG_BUF_LEN ? log_head - LOG_BUF_LEN : 0;

	/* After a wrap, start at the first whole line. */
	if (i)
		while (i < log_head && log_buf[i++ & (LOG_BUF_LEN - 1)] != '\n')
			;
	for (; i < log_head; i++)
		consoles_write(&log_buf[i & (LOG_BUF_LEN - 1)], 1);
	unlock_log(flags, held);
}

ssize_t log_buf_read_line(u64 *pos, char *buf, size_t size)
{
	bool held;
	unsigned long flags = lock_log(&held);
	u64 first = log_head > LOG_BUF_LEN ? log_head - LOG_BUF_LEN : 0;
	u64 i, end;
	ssize_t ret;

	if (*pos < first) {
		/* Overwritten: go on at the next whole line, as dmesg does. */
		for (*pos = first; *pos < log_head &&
		     log_buf[(*pos)++ & (LOG_BUF_LEN - 1)] != '\n';)
			;
	}
	for (end = *pos; end < log_head && log_buf[end & (LOG_BUF_LEN - 1)] != '\n'; end++)
		;
	if (end == log_head) {
		ret = -EAGAIN;
	} else if (!size) {
		ret = -EINVAL;
	} else {
		/* A line longer than @buf comes cut, newline-ended, and is passed. */
		u64 stop = end - *pos < size ? end : *pos + size - 1;

		for (i = *pos; i < stop; i++)
			buf[i - *pos] = log_buf[i & (LOG_BUF_LEN - 1)];
		buf[stop - *pos] = '\n';
		ret = stop + 1 - *pos;
		*pos = end + 1;
	}
	unlock_log(flags, held);
	return ret;
}

u64 log_buf_first_line(void)
{
	bool held;
	unsigned long flags = lock_log(&held);
	u64 i = log_head > LOG_BUF_LEN ? log_head - LOG_BUF_LEN : 0;

	if (i)
		while (i < log_head && log_buf[i++ & (LOG_BUF_LEN - 1)] != '\n')
			;
	unlock_log(flags, held);
	return i;
}

void console_force_unlock(void)
{
	WRITE_ONCE(console_unlocked_for_panic, true);
}

/**
 * console_in_panic() - whether a panic has begun
 *
 * A console with locks of its own stops taking them then, as printk's log
 * lock does: a CPU the panic stopped may hold them for ever.
 *
 * Return: true once console_force_unlock() has run.
 */
bool console_in_panic(void)
{
	return READ_ONCE(console_unlocked_for_panic);
}
