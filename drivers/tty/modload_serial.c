// SPDX-License-Identifier: GPL-2.0
/*
 * modload_serial: receives module images over a 16550 UART on PCI (QEMU's
 * pci-serial, 1b36:0002, which `make run` connects to a unix socket) in
 * the framed protocol of include/exo/modload.h, and keeps them where
 * insmod finds them.  The host side is `make load M=... MOD=...`
 * (scripts/modload.py); Documentation/modules.rst has the workflow.
 *
 * The receive interrupt moves bytes from the UART's FIFO to a ring; a
 * work item feeds the ring to the protocol receiver (which allocates and
 * checksums, so it must not run in the handler) and writes the replies.
 * When the ring is full the handler masks the receive interrupt instead
 * of dropping bytes; the bytes then wait in the FIFO and QEMU stops
 * taking them from the socket, and the work item unmasks once it has
 * drained the ring.  A frame that stops arriving is dropped with a NAK
 * after MODLOAD_TIMEOUT_MS in which the work item took no byte while
 * the ring was empty and reception unmasked (a full ring is the sender
 * being held back, not the sender gone); one cut short by unbinding the
 * port gets a NAK too.
 */
#define pr_fmt(fmt) "modload_serial: " fmt

#include <exo/errno.h>
#include <exo/interrupt.h>
#include <exo/jiffies.h>
#include <exo/kernel.h>
#include <exo/modload.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/pci.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/workqueue.h>
#include <asm/io.h>
#include <asm/processor.h>

#define PCI_VENDOR_ID_REDHAT		0x1b36
#define PCI_DEVICE_ID_REDHAT_SERIAL	0x0002

/* 16550 registers (offsets from BAR 0, an 8-port I/O BAR) */
#define UART_RX		0	/* receive buffer (read) */
#define UART_TX		0	/* transmit holding (write) */
#define UART_DLL	0	/* divisor latch, low (DLAB) */
#define UART_IER	1
#define UART_IER_RDI	0x01	/* received-data interrupt */
#define UART_DLM	1	/* divisor latch, high (DLAB) */
#define UART_IIR	2	/* interrupt identification (read) */
#define UART_IIR_NO_INT	0x01
#define UART_FCR	2	/* FIFO control (write) */
#define UART_LCR	3
#define UART_LCR_DLAB	0x80
#define UART_LCR_WLEN8	0x03
#define UART_MCR	4
#define UART_MCR_DTR_RTS_OUT2	0x0b
#define UART_LSR	5
#define UART_LSR_DR	0x01	/* a byte is ready */
#define UART_LSR_THRE	0x20	/* the transmit register is empty */
#define UART_SCR	7

#define MODLOAD_RING		16384	/* bytes between the handler and the work */
#define MODLOAD_CHUNK		512	/* bytes fed to the receiver at a time */
#define MODLOAD_TIMEOUT_MS	2000

struct modload_port {
	struct pci_dev *pdev;
	u16 base;			/* I/O port of the UART */
	int irq;
	spinlock_t lock;		/* ring, ier, dying */
	unsigned int head, tail;	/* ring indices, free-running */
	u8 ier;
	bool dying;
	struct work_struct rx_work;
	struct delayed_work timeout_work;
	struct mutex rx_lock;		/* the receiver, the transmitter, last_rx */
	unsigned long last_rx;		/* jiffies when rx_work last took bytes */
	struct modload_rx rx;
	u8 ring[MODLOAD_RING];
};

static irqreturn_t modload_interrupt(int irq, void *data)
{
	struct modload_port *port = data;

	if (inb(port->base + UART_IIR) & UART_IIR_NO_INT)
		return IRQ_NONE;
	spin_lock(&port->lock);
	while (inb(port->base + UART_LSR) & UART_LSR_DR) {
		if (port->head - port->tail == MODLOAD_RING) {
			/* Full: leave the rest in the FIFO, unmasked by the work. */
			port->ier &= ~UART_IER_RDI;
			outb(port->base + UART_IER, port->ier);
			break;
		}
		port->ring[port->head++ % MODLOAD_RING] = inb(port->base + UART_RX);
	}
	if (!port->dying)
		schedule_work(&port->rx_work);
	spin_unlock(&port->lock);
	return IRQ_HANDLED;
}

static void modload_putc(struct modload_port *port, char c)
{
	for (int spins = 0; !(inb(port->base + UART_LSR) & UART_LSR_THRE) && spins < 100000;
	     spins++)
		cpu_relax();
	outb(port->base + UART_TX, c);
}

/* The receiver's replies go back on the same line; rx_lock held. */
static void modload_reply(void *ctx, const char *line, size_t n)
{
	while (n--)
		modload_putc(ctx, *line++);
}

/* Move up to @size bytes from the ring; unmask reception once it is empty. */
static size_t modload_take(struct modload_port *port, u8 *buf, size_t size)
{
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&port->lock, flags);
	while (n < size && port->tail != port->head)
		buf[n++] = port->ring[port->tail++ % MODLOAD_RING];
	if (!n && !(port->ier & UART_IER_RDI) && !port->dying) {
		port->ier |= UART_IER_RDI;
		outb(port->base + UART_IER, port->ier);
	}
	spin_unlock_irqrestore(&port->lock, flags);
	return n;
}

static void modload_rx_work(struct work_struct *work)
{
	struct modload_port *port = container_of(work, struct modload_port, rx_work);
	u8 buf[MODLOAD_CHUNK];
	size_t n;

	mutex_lock(&port->rx_lock);
	while ((n = modload_take(port, buf, sizeof(buf)))) {
		port->last_rx = jiffies;
		modload_rx_feed(&port->rx, buf, n);
	}
	if (modload_rx_busy(&port->rx))
		mod_delayed_work(system_wq, &port->timeout_work,
				 msecs_to_jiffies(MODLOAD_TIMEOUT_MS));
	mutex_unlock(&port->rx_lock);
}

static void modload_timeout_work(struct work_struct *work)
{
	struct modload_port *port = container_of(to_delayed_work(work), struct modload_port,
						 timeout_work);
	unsigned long flags, idle, timeout = msecs_to_jiffies(MODLOAD_TIMEOUT_MS);
	bool moving, dying;

	/*
	 * rx_lock first: rx_work stamps last_rx and feeds the ring under it,
	 * so it cannot take bytes between these reads and an abort.
	 */
	mutex_lock(&port->rx_lock);
	spin_lock_irqsave(&port->lock, flags);
	dying = port->dying;
	/* Bytes wait in the ring, or in the FIFO behind a full ring. */
	moving = port->head != port->tail || !(port->ier & UART_IER_RDI);
	spin_unlock_irqrestore(&port->lock, flags);
	idle = jiffies - port->last_rx;
	/* A frame that ended needs nothing; remove() aborts one it cuts. */
	if (modload_rx_busy(&port->rx) && !dying) {
		if (moving || idle < timeout)
			mod_delayed_work(system_wq, &port->timeout_work,
					 moving ? timeout : timeout - idle);
		else
			modload_rx_abort(&port->rx, -ETIMEDOUT,
					 "frame cut short: no byte for 2 s");
	}
	mutex_unlock(&port->rx_lock);
}

/* 115200 8N1 with FIFOs; false if nothing answers (scratch-register test). */
static bool modload_uart_init(u16 base)
{
	outb(base + UART_SCR, 0x5a);
	if (inb(base + UART_SCR) != 0x5a)
		return false;
	outb(base + UART_IER, 0);
	outb(base + UART_LCR, UART_LCR_DLAB);
	outb(base + UART_DLL, 1);
	outb(base + UART_DLM, 0);
	outb(base + UART_LCR, UART_LCR_WLEN8);
	outb(base + UART_FCR, 0xc7);	/* FIFOs on and cleared, 14-byte trigger */
	outb(base + UART_MCR, UART_MCR_DTR_RTS_OUT2);
	while (inb(base + UART_LSR) & UART_LSR_DR)
		inb(base + UART_RX);	/* stale bytes of an earlier binding */
	return true;
}

static int modload_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct modload_port *port;
	int ret;

	(void)id;
	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_IO) || pci_resource_len(pdev, 0) < 8) {
		dev_err(&pdev->dev, "BAR 0 is not 8 I/O ports\n");
		return -ENODEV;
	}
	port = devm_kzalloc(&pdev->dev, sizeof(*port), GFP_KERNEL);
	if (!port)
		return -ENOMEM;
	ret = pcim_enable_device(pdev);
	if (!ret)
		ret = pci_request_region(pdev, 0, "modload_serial");
	if (ret)
		return ret;
	port->pdev = pdev;
	port->base = (u16)pci_resource_start(pdev, 0);
	if (!modload_uart_init(port->base)) {
		dev_err(&pdev->dev, "no 16550 answers at %#x\n", port->base);
		return -ENODEV;
	}
	spin_lock_init(&port->lock);
	mutex_init(&port->rx_lock);
	INIT_WORK(&port->rx_work, modload_rx_work);
	INIT_DELAYED_WORK(&port->timeout_work, modload_timeout_work);
	modload_rx_init(&port->rx, modload_reply, port);
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_LEGACY);
	if (ret < 0)
		return ret;
	port->irq = pci_irq_vector(pdev, 0);
	if (port->irq < 0)
		return port->irq;
	ret = devm_request_irq(&pdev->dev, port->irq, modload_interrupt, IRQF_SHARED,
			       "modload_serial", port);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, port);
	port->ier = UART_IER_RDI;
	outb(port->base + UART_IER, port->ier);
	dev_info(&pdev->dev, "16550 at %#x, IRQ %d: receiving module images\n", port->base,
		 port->irq);
	return 0;
}

static void modload_remove(struct pci_dev *pdev)
{
	struct modload_port *port = pci_get_drvdata(pdev);
	unsigned long flags;

	spin_lock_irqsave(&port->lock, flags);
	port->dying = true;
	port->ier = 0;
	outb(port->base + UART_IER, 0);
	spin_unlock_irqrestore(&port->lock, flags);
	cancel_work_sync(&port->rx_work);
	cancel_delayed_work_sync(&port->timeout_work);
	/* A frame cut by the unbind: tell the sender now, not after its timeout. */
	mutex_lock(&port->rx_lock);
	modload_rx_abort(&port->rx, -ENODEV, "port going away");
	mutex_unlock(&port->rx_lock);
	modload_rx_destroy(&port->rx);
}

static const struct pci_device_id modload_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT, PCI_DEVICE_ID_REDHAT_SERIAL) },
	{ }
};
MODULE_DEVICE_TABLE(pci, modload_ids);

static struct pci_driver modload_driver = {
	.name = "modload_serial",
	.id_table = modload_ids,
	.probe = modload_probe,
	.remove = modload_remove,
};
module_pci_driver(modload_driver);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("Module images over a PCI 16550 UART, for make load");
