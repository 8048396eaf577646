// SPDX-License-Identifier: GPL-2.0
/* Consoles that must work before anything else: COM1 and port 0xE9. */
#include <exo/init.h>
#include <asm/setup.h>

void serial8250_early_init(void);
void e9_early_init(void);

void __init early_console_init(void)
{
#ifdef CONFIG_SERIAL_8250
	serial8250_early_init();
#endif
#ifdef CONFIG_EARLY_PRINTK_E9
	e9_early_init();
#endif
}
