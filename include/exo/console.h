/* SPDX-License-Identifier: GPL-2.0 */
/* Console drivers: where printk output goes and where the shell reads from. */
#ifndef _EXO_CONSOLE_H
#define _EXO_CONSOLE_H

#include <exo/list.h>

struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t n);
	/* Next input byte, or -1 if none is waiting.  Optional. */
	int (*read)(struct console *con);
	/* Wait until everything written has left the device.  Optional. */
	void (*flush)(struct console *con);
	struct list_head list;
};

/**
 * register_console() - start sending kernel messages to @con
 *
 * The log written so far is replayed to it, so late consoles miss nothing.
 */
void register_console(struct console *con);
void unregister_console(struct console *con);

/* Read one byte from any console with input; -1 if none waiting. */
int console_getc(void);

/**
 * console_input_ready() - a console's receive interrupt fired
 *
 * Called by console drivers from their interrupt handler; wakes
 * console_wait_input().
 */
void console_input_ready(void);

/**
 * console_wait_input() - sleep until console input may be waiting
 * @ms: upper bound, for consoles without an input interrupt
 */
void console_wait_input(unsigned int ms);
void console_flush(void);
/* Write raw bytes to the consoles, not to the log (shell echo). */
void console_write_raw(const char *s, size_t n);

/* Print the whole log buffer (dmesg). */
void log_buf_dump(void);

/* Bypass the console lock from now on (panic path). */
void console_force_unlock(void);
bool console_in_panic(void);

#ifdef CONFIG_FRAMEBUFFER_CONSOLE
/* Register the boot framebuffer's console (drivers/video/fbcon.c). */
void fbcon_early_init(void);
#else
static inline void fbcon_early_init(void) { }
#endif

#endif
