// SPDX-License-Identifier: GPL-2.0
/*
 * 16550 UART on COM1 (0x3f8), 115200 8N1, used as the console from the
 * first line of boot.  Output is polled (waits for THR empty).  Once the
 * I/O APIC is up, the receive interrupt (IRQ 4) wakes the shell, which then
 * reads the bytes; without it the shell polls.  The harness depends on console_flush() draining the
 * transmitter before the emulator exits, or Bochs drops the last bytes.
 */
#include <exo/console.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/interrupt.h>
#include <asm/io.h>
#include <asm/processor.h>

#define COM1	0x3f8
#define THR	0
#define RBR	0
#define IER	1
#define FCR	2
#define LCR	3
#define MCR	4
#define LSR	5
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40

static bool uart_present;

static void uart_putc(char c)
{
	for (int spins = 0; !(inb(COM1 + LSR) & LSR_THRE) && spins < 100000; spins++)
		cpu_relax();
	outb(COM1 + THR, c);
}

static void uart_write(struct console *con, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

static int uart_read(struct console *con)
{
	if (!(inb(COM1 + LSR) & LSR_DR))
		return -1;
	return inb(COM1 + RBR);
}

static void uart_flush(struct console *con)
{
	for (int spins = 0; !(inb(COM1 + LSR) & LSR_TEMT) && spins < 1000000; spins++)
		cpu_relax();
}

static struct console uart_console = {
	.name = "ttyS0",
	.write = uart_write,
	.read = uart_read,
	.flush = uart_flush,
};

/* Program the UART; false if nothing answers at COM1 (scratch register test). */
static bool uart_init(void)
{
	outb(COM1 + 7, 0xa5);
	if (inb(COM1 + 7) != 0xa5)
		return false;
	outb(COM1 + IER, 0x00);
	outb(COM1 + LCR, 0x80);		/* DLAB */
	outb(COM1 + 0, 1);		/* divisor 1 = 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + LCR, 0x03);		/* 8N1 */
	outb(COM1 + FCR, 0xc7);		/* FIFO on, clear, 14-byte threshold */
	outb(COM1 + MCR, 0x0b);		/* DTR, RTS, OUT2 */
	return true;
}

static void uart_rx_interrupt(unsigned int irq, void *dev)
{
	/* The shell reads the bytes; reading them also drops the IRQ line. */
	console_input_ready();
}

static int __init serial8250_irq_init(void)
{
	if (!uart_present || request_irq(4, uart_rx_interrupt, "ttyS0", &uart_console))
		return -ENODEV;
	outb(COM1 + IER, 0x01);		/* received-data interrupt */
	return 0;
}
device_initcall(serial8250_irq_init);

void serial8250_early_init(void);

void serial8250_early_init(void)
{
	uart_present = uart_init();
	if (uart_present)
		register_console(&uart_console);
}
