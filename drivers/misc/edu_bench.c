// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt round trip through a real device: QEMU's edu raises its MSI
 * when INTR_RAISE (0x60) is written.  One operation, with the MSI
 * targeted at this CPU: write INTR_RAISE, take the interrupt (entry, the
 * IRQ core's edge flow, the handler, EOI, return); the handler reads the
 * status (0x24), acknowledges it (0x64) and counts; the operation ends
 * when the count moved.  Under -icount the figure is the instructions of
 * the receiving CPU, MMIO exits included.  The bench borrows the first
 * edu device from its driver (make bench passes -device edu) and gives it
 * back; without one its setup fails (logged).
 */
#include <exo/bench.h>
#include <exo/device.h>
#include <exo/edu.h>
#include <exo/interrupt.h>
#include <exo/irq.h>
#include <exo/pci.h>
#include <exo/smp.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

static struct {
	struct pci_dev *pdev;
	void __iomem *mmio;
	bool was_bound, enabled;
	int irq;
	unsigned long count;
} eb;

static irqreturn_t eb_handler(int irq, void *dev_id)
{
	u32 st = readl((u8 __iomem *)eb.mmio + EDU_IRQ_STATUS);

	(void)irq;
	(void)dev_id;
	if (!st)
		return IRQ_NONE;
	writel(st, (u8 __iomem *)eb.mmio + EDU_IRQ_ACK);
	WRITE_ONCE(eb.count, eb.count + 1);
	return IRQ_HANDLED;
}

static void eb_release(void)
{
	struct pci_dev *p = eb.pdev;

	if (eb.irq > 0)
		free_irq(eb.irq, &eb);
	if (p->irq_vecs)
		pci_free_irq_vectors(p);
	if (eb.mmio)
		pci_iounmap(p, eb.mmio);
	if (eb.enabled) {
		pci_clear_master(p);
		pci_disable_device(p);
		eb.enabled = false;
	}
	if (eb.was_bound && device_attach(&p->dev) < 0)
		pr_err("edu_bench: %s not bound again\n", dev_name(&p->dev));
	put_device(&p->dev);
	eb.pdev = NULL;
}

static int eb_setup(struct bench *b)
{
	struct cpumask here;
	int ret;

	(void)b;
	eb.pdev = pci_get_device(EDU_VENDOR, EDU_DEVICE, NULL);
	if (!eb.pdev) {
		pr_info("edu_bench: no edu device (QEMU -device edu)\n");
		return -ENODEV;
	}
	eb.was_bound = eb.pdev->dev.driver;
	if (eb.was_bound)
		device_release_driver(&eb.pdev->dev);
	eb.irq = 0;
	eb.count = 0;
	eb.mmio = NULL;
	ret = pci_enable_device(eb.pdev);
	if (ret)
		goto fail;
	eb.enabled = true;
	pci_set_master(eb.pdev);	/* an MSI is a memory write */
	eb.mmio = pci_iomap(eb.pdev, 0);
	ret = -ENOMEM;
	if (!eb.mmio)
		goto fail;
	ret = pci_alloc_irq_vectors(eb.pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		goto fail;
	ret = pci_irq_vector(eb.pdev, 0);
	if (ret < 0)
		goto fail;
	eb.irq = ret;
	ret = request_irq(eb.irq, eb_handler, 0, "edu-bench", &eb);
	if (ret) {
		eb.irq = 0;
		goto fail;
	}
	cpumask_clear(&here);
	cpumask_set_cpu(smp_processor_id(), &here);
	ret = irq_set_affinity(eb.irq, &here);
	if (ret)
		goto fail;
	return 0;
fail:
	pr_err("edu_bench: setup failed: %d\n", ret);
	eb_release();
	return ret;
}

static void eb_teardown(struct bench *b)
{
	(void)b;
	if (eb.pdev)
		eb_release();
}

/*
 * The framework runs a batch with interrupts off (no tick inside); each
 * operation turns them on to take its MSI, as the self-IPI benches do.
 */
static void eb_run(struct bench *b, unsigned int ops)
{
	(void)b;
	for (unsigned int i = 0; i < ops; i++) {
		unsigned long seen = READ_ONCE(eb.count);

		writel(EDU_IRQ_PING, (u8 __iomem *)eb.mmio + EDU_IRQ_RAISE);
		local_irq_enable();
		/* Bounded: a lost MSI ends the run with a log line, not a hang. */
		for (unsigned long spins = 0; READ_ONCE(eb.count) == seen; spins++) {
			if (spins == 1UL << 30) {
				local_irq_disable();
				pr_err("edu_bench: MSI %u of %u never arrived\n", i, ops);
				return;
			}
			cpu_relax();
		}
		local_irq_disable();
	}
}
DEFINE_BENCH_FULL(irq_edu_msi_roundtrip, .desc = "edu MSI: INTR_RAISE to the handler's end",
		  .setup = eb_setup, .teardown = eb_teardown, .run = eb_run);
