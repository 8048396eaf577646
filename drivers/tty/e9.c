// SPDX-License-Identifier: GPL-2.0
/*
 * Port 0xE9 debug console: Bochs (port_e9_hack) and QEMU (-debugcon) print
 * every byte written to it.  Reading the port returns 0xE9 when the hack is
 * present, which is how we avoid writing into the void on real hardware.
 */
#include <exo/console.h>
#include <asm/io.h>

static void e9_write(struct console *con, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		outb(0xe9, s[i]);
}

static struct console e9_console = {
	.name = "e9",
	.write = e9_write,
};

void e9_early_init(void);

void e9_early_init(void)
{
	if (inb(0xe9) == 0xe9)
		register_console(&e9_console);
}
