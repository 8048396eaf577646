// SPDX-License-Identifier: GPL-2.0
/*
 * 16550 UART on COM1 (0x3f8), 115200 8N1, used as the console from the
 * first line of boot.  Output is polled (waits for THR empty).  Once the
 * I/O APIC is up, the receive interrupt (IRQ 4) wakes the shell, which then
 * reads the bytes; without it the shell polls.  The harness depends on console_flush() draining the
 * transmitter before the emulator exits, or Bochs drops the last bytes.
 *
 * Two stages: serial8250_early_init() programs COM1 and registers the
 * console before the first printk (no allocator, no device model); later
 * the "serial8250" platform driver binds to the platform device that
 * describes the port (drivers/platform/pc_legacy.c) and adopts the running
 * console: it checks the port answers, and from then on lsdev shows who
 * owns 0x3f8.  Unbinding leaves the console running: the kernel log must
 * never lose its only output.  While bound, COM1 is also /dev/ttyS0
 * (major 4, minor 64): raw bytes out, and the bytes typed in (the shell
 * reads the same port: a reader of ttyS0 competes with it for input).
 */
#define pr_fmt(fmt) "serial8250: " fmt

#include <exo/cdev.h>
#include <exo/console.h>
#include <exo/device/class.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/interrupt.h>
#include <exo/kernel.h>
#include <exo/platform.h>
#include <exo/uaccess.h>
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
static bool rx_irq;		/* the receive interrupt is routed to us */

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

static irqreturn_t uart_rx_interrupt(int irq, void *dev)
{
	/* The shell reads the bytes; reading them also drops the IRQ line. */
	console_input_ready();
	return IRQ_HANDLED;
}

void serial8250_early_init(void);

void serial8250_early_init(void)
{
	uart_present = uart_init();
	if (uart_present)
		register_console(&uart_console);
}

/* Scratch-register test: something answers at @base. */
static bool uart_responds(u16 base)
{
	u8 old = inb(base + 7);
	bool ok;

	outb(base + 7, 0x5a);
	ok = inb(base + 7) == 0x5a;
	outb(base + 7, old);
	return ok;
}

#define TTY_MAJOR	4
#define TTYS_MINOR	64
#define TTYS_MINORS	32
#define TTYS0		MKDEV(TTY_MAJOR, TTYS_MINOR)
/* How long a blocking read sleeps between looks when no interrupt wakes it. */
#define TTY_WAIT_MS	50

static struct class tty_class = { .name = "tty" };
/*
 * One cdev per binding: a file left open across an unbind keeps its
 * (deleted) cdev, and the next bind adds a new one.
 */
static struct cdev *ttys_cdev;
static bool ttys0_added;

static ssize_t ttys_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	size_t n = 0;
	char c;
	int v;

	while (n < count) {
		v = uart_read(&uart_console);
		if (v < 0) {
			if (n)
				break;
			if (file->f_flags & O_NONBLOCK)
				return -EAGAIN;
			console_wait_input(TTY_WAIT_MS);
			continue;
		}
		c = (char)v;
		if (copy_to_user(buf + n, &c, 1))
			return n ? (ssize_t)n : -EFAULT;
		n++;
	}
	return n;
}

static ssize_t ttys_write(struct file *file, const char __user *buf, size_t count,
			  loff_t *ppos)
{
	char chunk[64];
	size_t done = 0;

	while (done < count) {
		size_t n = min_t(size_t, count - done, sizeof(chunk));

		if (copy_from_user(chunk, buf + done, n))
			return done ? (ssize_t)done : -EFAULT;
		uart_write(&uart_console, chunk, n);
		done += n;
	}
	return done;
}

static const struct file_operations ttys_fops = {
	.open = nonseekable_open,
	.read = ttys_read,
	.write = ttys_write,
	.llseek = no_llseek,
};

/* /dev/ttyS0 for the bound COM1; the console works without it. */
static void ttys0_add(struct platform_device *pdev)
{
	struct device *dev;

	ttys_cdev = cdev_alloc();
	if (!ttys_cdev) {
		dev_err(&pdev->dev, "no /dev/ttyS0: -ENOMEM\n");
		return;
	}
	ttys_cdev->ops = &ttys_fops;
	cdev_set_parent(ttys_cdev, &pdev->dev);
	if (cdev_add(ttys_cdev, TTYS0, 1)) {
		cdev_del(ttys_cdev);
		return;
	}
	dev = device_create(&tty_class, &pdev->dev, TTYS0, NULL, "ttyS0");
	if (IS_ERR(dev)) {
		dev_err(&pdev->dev, "no /dev/ttyS0: %ld\n", PTR_ERR(dev));
		cdev_del(ttys_cdev);
		return;
	}
	ttys0_added = true;
}

static int serial8250_probe(struct platform_device *pdev)
{
	struct resource *io = platform_get_resource(pdev, IORESOURCE_IO, 0), *irq;

	if (!io || resource_size(io) < 8) {
		dev_err(&pdev->dev, "no 8-port I/O resource\n");
		return -EINVAL;
	}
	if (!uart_responds(io->start))
		return -ENODEV;
	if (io->start != COM1) {
		/* Only COM1 carries a console; other ports are just claimed. */
		dev_info(&pdev->dev, "16550 at %#llx (no console)\n", io->start);
		return 0;
	}
	platform_set_drvdata(pdev, &uart_console);
	dev_info(&pdev->dev, "16550 at %#llx, console %s%s\n", io->start, uart_console.name,
		 uart_present ? " (adopted from early boot)" : "");
	/*
	 * The receive interrupt wakes the shell; without it (no I/O APIC)
	 * the shell polls, so a routing failure is not a probe failure.
	 */
	irq = platform_get_resource(pdev, IORESOURCE_IRQ, 0);
	rx_irq = irq && !request_irq(irq->start, uart_rx_interrupt, 0, uart_console.name,
				     &uart_console);
	if (rx_irq)
		outb(COM1 + IER, 0x01);		/* received-data interrupt */
	ttys0_add(pdev);
	return 0;
}

/* The console itself stays (printk needs it); only its interrupt goes. */
static void serial8250_remove(struct platform_device *pdev)
{
	struct resource *irq = platform_get_resource(pdev, IORESOURCE_IRQ, 0);

	if (ttys0_added && platform_get_drvdata(pdev) == &uart_console) {
		device_destroy(&tty_class, TTYS0);
		cdev_del(ttys_cdev);
		ttys0_added = false;
	}
	if (!rx_irq || platform_get_drvdata(pdev) != &uart_console || !irq)
		return;
	outb(COM1 + IER, 0x00);
	free_irq(irq->start, &uart_console);
	rx_irq = false;
}

static struct platform_driver serial8250_driver = {
	.driver = { .name = "serial8250" },
	.probe = serial8250_probe,
	.remove = serial8250_remove,
};

static int __init serial8250_driver_init(void)
{
	/* The node is an extra: the console's driver registers regardless. */
	if (class_register(&tty_class) ||
	    register_chrdev_region(MKDEV(TTY_MAJOR, TTYS_MINOR), TTYS_MINORS, "ttyS"))
		pr_err("no tty class or ttyS numbers: no /dev/ttyS0\n");
	return platform_driver_register(&serial8250_driver);
}
device_initcall(serial8250_driver_init);
