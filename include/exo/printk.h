/* SPDX-License-Identifier: GPL-2.0 */
/*
 * printk: the kernel log.  A message starts with an optional level prefix
 * (KERN_ERR ...); messages go to a ring buffer (dmesg) and to every console
 * whose level admits them (loglevel= on the command line).
 */
#ifndef _EXO_PRINTK_H
#define _EXO_PRINTK_H

#include <exo/types.h>
#include <stdarg.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"

#define LOGLEVEL_DEFAULT 4	/* printk() without a level, as in Linux */
#define LOGLEVEL_ERR	3
#define LOGLEVEL_WARNING 4
#define LOGLEVEL_NOTICE	5
#define LOGLEVEL_INFO	6
#define LOGLEVEL_DEBUG	7

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

/**
 * printk() - log a message
 * @fmt: format, optionally prefixed by a KERN_* level
 *
 * Return: the number of characters of the formatted message.
 */
__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);

/**
 * log_buf_read_line() - copy the log's next whole line at *@pos into @buf
 * @pos: a position in the log's byte stream (log_buf_first_line() to
 *	start); advanced past the line; moved forward if the text there was
 *	overwritten
 * @buf: destination
 * @size: bytes at @buf
 *
 * For /dev/kmsg.  A line longer than @size is cut to @size bytes (its
 * last one a newline) and passed all the same, so a reader never sticks.
 * Return: the bytes copied, newline included; -EAGAIN no whole line yet;
 * -EINVAL @size is 0.
 */
ssize_t log_buf_read_line(u64 *pos, char *buf, size_t size);

/* The position of the oldest whole line still in the log. */
u64 log_buf_first_line(void);

#ifdef CONFIG_KTEST
unsigned long printk_test_lock_log(void);
void printk_test_unlock_log(unsigned long flags);
unsigned long printk_dropped_count(void);
#endif

/* Current console level; messages with a level >= it are not shown. */
extern int console_loglevel;

#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

/*
 * Rate limiting: at most a burst of 10 messages per call site, then one in
 * every 1000.  Error paths of the allocators use it so that a caller looping
 * on bad input cannot flood the console.
 */
struct ratelimit_state {
	unsigned int count;
};
bool __ratelimit(struct ratelimit_state *rs);

#define printk_ratelimited(fmt, ...) ({					\
	static struct ratelimit_state _rs;				\
	__ratelimit(&_rs) ? printk(fmt, ##__VA_ARGS__) : 0;		\
})
#define pr_err_ratelimited(fmt, ...) \
	printk_ratelimited(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...) \
	printk_ratelimited(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)

int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* _EXO_PRINTK_H */
