// SPDX-License-Identifier: GPL-2.0
/*
 * Driver for QEMU's educational PCI device "edu" (vendor 0x1234, device
 * 0x11e8; docs/specs/edu.txt and hw/misc/edu.c in QEMU).  BAR0 is 1 MiB
 * of MMIO:
 *
 *   0x00 identification 0xRRrr00ed    0x04 liveness: reads back ~written
 *   0x08 factorial: write n, read n!  0x20 status: bit 0 computing,
 *                                          bit 7 interrupt when done
 *   0x24 interrupt status  0x60 raise (set bits)  0x64 acknowledge (clear)
 *   0x80 DMA source  0x88 DMA dest    0x90 DMA count  0x98 DMA command
 *        (bit 0 start/busy, bit 1 direction 1 = device to RAM,
 *         bit 2 interrupt when done)
 *   the device's DMA buffer is at 0x40000 in its own address space.
 *
 * Every operation ends with the device's interrupt: the handler
 * acknowledges what it read from the status register and completes the
 * waiter of each bit, so no code polls.  The interrupt is an MSI, or the
 * shared level INTx line (the use_msi parameter), where the status register tells
 * whether the interrupt is ours.  QEMU masks DMA addresses to 28 bits (its
 * dma_mask property), so the DMA mask is 28 bits and the DMA layer bounces
 * (swiotlb) a buffer the device cannot reach.  QEMU completes a DMA from a
 * virtual-clock timer 100 ms after the command.  Only 32-bit MMIO accesses
 * are used below 0x80 (the device ignores other sizes there).  One mutex
 * per unit (factorial, DMA, ping) serialises its register sequence and
 * wait.  Everything is managed (pcim_/devm_/pci_alloc_irq_vectors after
 * pcim_enable_device()), so there is no remove(): the devres run in
 * reverse order, so the device is silenced (edu_quiesce) before its IRQ is
 * freed and its BAR unmapped.
 *
 * Lifetime: a user of the operations holds a reference on the device and
 * on the module, never the binding.  Each operation is fenced by
 * dev_enter()/dev_exit() and fails with -ENODEV (ident and liveness read
 * all ones, as from a removed device) once unbinding has started, and the
 * core waits for the operations inside before the devres (the BAR mapping,
 * the IRQ, struct edu) go.  The probe uses the register helpers directly.
 *
 * Each bound device also has a character device, /dev/eduN (see edu_chr
 * below).
 */
#define pr_fmt(fmt) "edu: " fmt

#include <exo/atomic.h>
#include <exo/bitmap.h>
#include <exo/cdev.h>
#include <exo/completion.h>
#include <exo/dma-mapping.h>
#include <exo/edu.h>
#include <exo/errno.h>
#include <exo/interrupt.h>
#include <exo/jiffies.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/mutex.h>
#include <exo/pci.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <asm/io.h>

#define EDU_IDENT	0x00
#define EDU_LIVENESS	0x04
#define EDU_FACTORIAL	0x08
#define EDU_STATUS	0x20
#define  EDU_STATUS_COMPUTING	0x01
#define  EDU_STATUS_IRQFACT	0x80
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define  EDU_DMA_START		0x01
#define  EDU_DMA_TO_RAM		0x02
#define  EDU_DMA_IRQ		0x04
#define EDU_DMA_BUF	0x40000
#define EDU_DMA_BITS	28
/* A DMA takes 100 ms of virtual time; a busy TCG host may stretch it. */
#define EDU_TIMEOUT	(10 * HZ)	/* jiffies */
#define EDU_GONE_CHECK	(HZ / 10)	/* how often a wait checks the device is there */

/*
 * How devices probed from now on ask for their interrupt: the use_msi
 * parameter (insmod edu use_msi=0, or edu.use_msi=0 on the command line),
 * also set through edu_ops.set_irq_mode.
 */
static bool use_msi = true;
module_param(use_msi, bool, 0644);
MODULE_PARM_DESC(use_msi, "ask for MSI, falling back to INTx (default); 0: INTx only");

/*
 * One unit of the device (factorial, DMA, ping): its register sequence and
 * wait, and how to tell it is still busy (@busy_reg & @busy_bit; 0: never)
 * and which interrupt status bit it raises.
 */
struct edu_unit {
	struct mutex lock;
	struct completion done;
	unsigned int busy_reg;
	u32 busy_bit;
	u32 irq_bit;
};

struct edu {
	struct edu_drvdata drvdata;	/* first: see include/exo/edu.h */
	struct pci_dev *pdev;
	void __iomem *mmio;
	int irq;
	bool msi;
	struct edu_unit fact, dma, ping;
	bool dead;		/* a unit stayed busy after a timeout: nothing more is started */
	unsigned long timeout;	/* jiffies an operation waits for its interrupt */
	atomic_long_t handled, none, fact_irqs, dma_irqs, ping_irqs, timeouts;
};

static u32 edu_read(struct edu *edu, unsigned int reg)
{
	return readl((u8 __iomem *)edu->mmio + reg);
}

static void edu_write(struct edu *edu, unsigned int reg, u32 v)
{
	writel(v, (u8 __iomem *)edu->mmio + reg);
}

static struct pci_driver edu_driver;

/*
 * Admit an operation on @dev: bound to this driver, and staying bound
 * until edu_put().  Return: its struct edu, or NULL (the caller fails with
 * -ENODEV).
 */
static struct edu *edu_get(struct device *dev)
{
	if (!dev_enter(dev))
		return NULL;
	if (dev->driver != &edu_driver.driver) {
		dev_exit(dev);
		return NULL;
	}
	return dev_get_drvdata(dev);
}

static void edu_put(struct edu *edu)
{
	dev_exit(&edu->pdev->dev);
}

/*
 * Acknowledge exactly the bits read: a bit raised after the read stays
 * pending and (MSI) signals again, or (INTx) keeps the line asserted.
 */
static irqreturn_t edu_irq(int irq, void *data)
{
	struct edu *edu = data;
	u32 st = edu_read(edu, EDU_IRQ_STATUS);

	(void)irq;
	if (!st || st == ~0u) {		/* not ours, or the device is gone */
		atomic_long_inc(&edu->none);
		return IRQ_NONE;
	}
	edu_write(edu, EDU_IRQ_ACK, st);
	atomic_long_inc(&edu->handled);
	if (st & EDU_IRQ_FACT) {
		atomic_long_inc(&edu->fact_irqs);
		complete(&edu->fact.done);
	}
	if (st & EDU_IRQ_DMA) {
		atomic_long_inc(&edu->dma_irqs);
		complete(&edu->dma.done);
	}
	if (st & EDU_IRQ_PING) {
		atomic_long_inc(&edu->ping_irqs);
		complete(&edu->ping.done);
	}
	return IRQ_HANDLED;
}

/*
 * After a timeout of @u: the device ignores a unit's registers while the
 * unit is busy, and its late interrupt would complete the next operation.
 * Wait (bounded) until the unit is idle, acknowledge its bit, let a
 * handler that already read it finish, and consume its completion.
 * Return: -ETIMEDOUT, or -EIO if the unit stays busy (the device is then
 * dead to the driver: a DMA may still be writing).
 */
static int edu_recover(struct edu *edu, struct edu_unit *u, const char *what)
{
	u64 end = ktime_get_ns() + 2 * NSEC_PER_SEC;

	while (u->busy_reg && (edu_read(edu, u->busy_reg) & u->busy_bit)) {
		if (ktime_get_ns() > end) {
			WRITE_ONCE(edu->dead, true);
			dev_err(&edu->pdev->dev, "%s: still busy after its timeout, device disabled\n",
				what);
			return -EIO;
		}
		msleep(1);
	}
	edu_write(edu, EDU_IRQ_ACK, u->irq_bit);
	synchronize_irq(edu->irq);
	reinit_completion(&u->done);
	return -ETIMEDOUT;
}

/*
 * Start an operation of @u by writing @val to @reg, and wait for its
 * interrupt; @u->lock held.  Return: 0, -ETIMEDOUT, -EIO (device dead) or
 * -ENODEV (device removed: it reads all ones).
 */
static int edu_start_wait(struct edu *edu, struct edu_unit *u, unsigned int reg, u32 val,
			  const char *what)
{
	unsigned long left = READ_ONCE(edu->timeout);

	if (READ_ONCE(edu->dead))
		return -EIO;
	reinit_completion(&u->done);
	edu_write(edu, reg, val);
	/*
	 * In slices: a device removed under us (hot removal) reads all ones
	 * and never interrupts; its user gets -ENODEV at once, not after the
	 * whole timeout (unbinding waits for this operation to end).
	 */
	while (left) {
		unsigned long slice = min(left, (unsigned long)EDU_GONE_CHECK);

		if (wait_for_completion_timeout(&u->done, slice))
			return 0;
		left -= slice;
		if (edu_read(edu, EDU_IDENT) == ~0u) {
			WRITE_ONCE(edu->dead, true);
			dev_err(&edu->pdev->dev, "%s: the device is gone\n", what);
			return -ENODEV;
		}
	}
	atomic_long_inc(&edu->timeouts);
	dev_err(&edu->pdev->dev, "%s: no interrupt (status %#x)\n", what,
		edu_read(edu, EDU_IRQ_STATUS));
	return edu_recover(edu, u, what);
}

static u32 __edu_ident(struct edu *edu, u32 unused)
{
	return edu_read(edu, EDU_IDENT);
}

static u32 __edu_liveness(struct edu *edu, u32 v)
{
	u32 r;

	mutex_lock(&edu->fact.lock);
	edu_write(edu, EDU_LIVENESS, v);
	r = edu_read(edu, EDU_LIVENESS);
	mutex_unlock(&edu->fact.lock);
	return r;
}

/* @op(@v) under the fence; all ones, as a removed device reads, if unbound. */
static u32 edu_fenced_read(struct device *dev, u32 (*op)(struct edu *edu, u32 v), u32 v)
{
	struct edu *edu = edu_get(dev);
	u32 r;

	if (!edu)
		return ~0u;
	r = op(edu, v);
	edu_put(edu);
	return r;
}

static u32 edu_ident(struct device *dev)
{
	return edu_fenced_read(dev, __edu_ident, 0);
}

static u32 edu_liveness(struct device *dev, u32 v)
{
	return edu_fenced_read(dev, __edu_liveness, v);
}

/*
 * A fenced operation of the unit at @unit (offsetof() in struct edu): start
 * it by writing @val to @reg, wait, and read @result (if not NULL) from
 * @reg.  Return: 0, -ENODEV unbound, -ETIMEDOUT or -EIO.
 */
static int edu_run(struct device *dev, size_t unit, unsigned int reg, u32 val,
		   const char *what, u32 *result)
{
	struct edu *edu = edu_get(dev);
	struct edu_unit *u;
	int ret;

	if (!edu)
		return -ENODEV;
	u = (struct edu_unit *)((char *)edu + unit);
	mutex_lock(&u->lock);
	ret = edu_start_wait(edu, u, reg, val, what);
	if (!ret && result)
		*result = edu_read(edu, reg);
	mutex_unlock(&u->lock);
	edu_put(edu);
	return ret;
}

static int edu_factorial(struct device *dev, u32 n, u32 *result)
{
	return edu_run(dev, offsetof(struct edu, fact), EDU_FACTORIAL, n, "factorial", result);
}

/*
 * One transfer between RAM at @addr and the device's buffer at @off;
 * dma.lock held.
 */
static int edu_dma(struct edu *edu, dma_addr_t addr, u32 off, u32 len, bool to_ram)
{
	/*
	 * The DMA registers are 64 bits wide; a 32-bit write sets the whole
	 * register (zero-extended), enough for a 28-bit @addr.
	 */
	edu_write(edu, EDU_DMA_SRC, to_ram ? EDU_DMA_BUF + off : (u32)addr);
	edu_write(edu, EDU_DMA_DST, to_ram ? (u32)addr : EDU_DMA_BUF + off);
	edu_write(edu, EDU_DMA_COUNT, len);
	return edu_start_wait(edu, &edu->dma, EDU_DMA_CMD,
			      EDU_DMA_START | EDU_DMA_IRQ | (to_ram ? EDU_DMA_TO_RAM : 0),
			      to_ram ? "DMA to RAM" : "DMA from RAM");
}

/* Map @buf, transfer, unmap.  Return: 0, -ENOMEM, -ETIMEDOUT or -EIO. */
static int edu_dma_buf(struct edu *edu, void *buf, u32 off, u32 len, bool to_ram)
{
	enum dma_data_direction dir = to_ram ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
	struct device *dev = &edu->pdev->dev;
	dma_addr_t addr;
	int ret;

	addr = dma_map_single(dev, buf, len, dir);
	if (dma_mapping_error(dev, addr))
		return -ENOMEM;
	ret = edu_dma(edu, addr, off, len, to_ram);
	if (ret == -EIO) {
		/* The engine may still write there: better a leak than a corruption. */
		dev_err(dev, "DMA mapping %#llx (%u bytes) left mapped\n", (u64)addr, len);
		return ret;
	}
	dma_unmap_single(dev, addr, len, dir);
	return ret;
}

static int edu_dma_roundtrip(struct device *dev, const void *src, void *dst, size_t len)
{
	struct edu *edu;
	int ret;

	if (!len || len > EDU_DMA_SIZE) {
		dev_err(dev, "DMA length %zu not in 1..%d\n", len, EDU_DMA_SIZE);
		return -EINVAL;
	}
	edu = edu_get(dev);
	if (!edu)
		return -ENODEV;
	mutex_lock(&edu->dma.lock);
	/* DMA_TO_DEVICE only reads the buffer. */
	ret = edu_dma_buf(edu, (void *)src, 0, len, false);
	if (!ret)
		ret = edu_dma_buf(edu, dst, 0, len, true);
	mutex_unlock(&edu->dma.lock);
	edu_put(edu);
	return ret;
}

static int edu_ping(struct device *dev)
{
	return edu_run(dev, offsetof(struct edu, ping), EDU_IRQ_RAISE, EDU_IRQ_PING, "ping", NULL);
}

static void edu_get_stats(struct device *dev, struct edu_stats *st)
{
	struct edu *edu = edu_get(dev);

	memset(st, 0, sizeof(*st));
	if (!edu)
		return;
	st->irq = edu->irq;
	st->msi = edu->msi;
	st->handled = atomic_long_read(&edu->handled);
	st->none = atomic_long_read(&edu->none);
	st->fact_irqs = atomic_long_read(&edu->fact_irqs);
	st->dma_irqs = atomic_long_read(&edu->dma_irqs);
	st->ping_irqs = atomic_long_read(&edu->ping_irqs);
	st->timeouts = atomic_long_read(&edu->timeouts);
	edu_put(edu);
}

static int edu_set_irq_mode(struct device *dev, enum edu_irq_mode mode)
{
	if (mode != EDU_IRQ_MODE_MSI && mode != EDU_IRQ_MODE_INTX) {
		dev_err(dev, "irq_mode %d is not MSI (%d) or INTx (%d)\n", mode,
			EDU_IRQ_MODE_MSI, EDU_IRQ_MODE_INTX);
		return -EINVAL;
	}
	WRITE_ONCE(use_msi, mode == EDU_IRQ_MODE_MSI);
	return 0;
}

static void edu_set_timeout(struct device *dev, unsigned long timeout)
{
	struct edu *edu = edu_get(dev);

	if (!edu)
		return;
	WRITE_ONCE(edu->timeout, timeout);
	edu_put(edu);
}

static const struct edu_ops edu_ops = {
	.set_timeout = edu_set_timeout,
	.ident = edu_ident,
	.liveness = edu_liveness,
	.factorial = edu_factorial,
	.dma_roundtrip = edu_dma_roundtrip,
	.ping = edu_ping,
	.get_stats = edu_get_stats,
	.set_irq_mode = edu_set_irq_mode,
};

/*
 * /dev/eduN: read and write reach the device's DMA buffer at the file
 * position (by DMA, through a bounce buffer), EDU_IOC_FACTORIAL computes
 * n! and EDU_IOC_IDENT reads the identification register.
 *
 * struct edu_chr outlives the binding: it is freed by its device's
 * release(), after the last file is closed.  @edu is the bound device
 * until edu_chr_remove() (a managed action: it runs first at unbind,
 * before the interrupt and the mapping go) clears it under @lock, which
 * every file operation holds: so an operation either finishes before
 * the unbind goes on, or starts after and gets -ENODEV.
 */
struct edu_chr {
	struct device dev;
	struct cdev cdev;
	struct mutex lock;
	struct edu *edu;
};

static dev_t edu_devt;
static DEFINE_MUTEX(edu_minor_lock);
static DECLARE_BITMAP(edu_minors, EDU_MAX_DEVS);

/* Lock @ec and return its device, or NULL (unlocked) once unbound. */
static struct edu *edu_chr_get(struct edu_chr *ec)
{
	mutex_lock(&ec->lock);
	if (!ec->edu)
		mutex_unlock(&ec->lock);
	return ec->edu;
}

static int edu_chr_open(struct inode *inode, struct file *file)
{
	file->private_data = container_of(inode->i_cdev, struct edu_chr, cdev);
	return 0;
}

/*
 * One read or write of [*@ppos, *@ppos + @count) of the device's buffer.
 * Like a fixed-size device in Linux: a read from the end on gives 0, a
 * write there -ENOSPC, and a range running past the end is shortened.
 */
static ssize_t edu_chr_rw(struct file *file, char __user *ubuf, const char __user *wbuf,
			  size_t count, loff_t *ppos)
{
	struct edu_chr *ec = file->private_data;
	loff_t pos = *ppos;
	struct edu *edu;
	void *bounce;
	int ret;

	if (pos < 0)
		return -EINVAL;
	if (pos >= EDU_DMA_SIZE)
		return wbuf ? -ENOSPC : 0;
	count = min_t(size_t, count, EDU_DMA_SIZE - pos);
	bounce = kmalloc(count, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	if (wbuf && copy_from_user(bounce, wbuf, count)) {
		kfree(bounce);
		return -EFAULT;
	}
	edu = edu_chr_get(ec);
	if (!edu) {
		kfree(bounce);
		return -ENODEV;
	}
	mutex_lock(&edu->dma.lock);
	ret = edu_dma_buf(edu, bounce, pos, count, !wbuf);
	mutex_unlock(&edu->dma.lock);
	mutex_unlock(&ec->lock);
	if (!ret && ubuf && copy_to_user(ubuf, bounce, count))
		ret = -EFAULT;
	/* -EIO left the mapping (and so the buffer) to the engine. */
	if (ret != -EIO)
		kfree(bounce);
	if (ret)
		return ret;
	*ppos = pos + count;
	return count;
}

static ssize_t edu_chr_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	return edu_chr_rw(file, buf, NULL, count, ppos);
}

static ssize_t edu_chr_write(struct file *file, const char __user *buf, size_t count,
			     loff_t *ppos)
{
	return edu_chr_rw(file, NULL, buf, count, ppos);
}

static loff_t edu_chr_llseek(struct file *file, loff_t offset, int whence)
{
	return fixed_size_llseek(file, offset, whence, EDU_DMA_SIZE);
}

static long edu_chr_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct edu_chr *ec = file->private_data;
	u32 __user *uarg = (u32 __user *)arg;
	struct edu *edu;
	u32 n = 0, v = 0;
	long ret = 0;

	if (cmd != EDU_IOC_FACTORIAL && cmd != EDU_IOC_IDENT)
		return -ENOTTY;
	if (cmd == EDU_IOC_FACTORIAL && get_user(n, uarg))
		return -EFAULT;
	edu = edu_chr_get(ec);
	if (!edu)
		return -ENODEV;
	if (cmd == EDU_IOC_IDENT)
		v = edu_read(edu, EDU_IDENT);
	else
		ret = edu_factorial(&edu->pdev->dev, n, &v);
	mutex_unlock(&ec->lock);
	if (!ret && put_user(v, uarg))
		ret = -EFAULT;
	return ret;
}

static const struct file_operations edu_chr_fops = {
	.owner = THIS_MODULE,
	.open = edu_chr_open,
	.read = edu_chr_read,
	.write = edu_chr_write,
	.llseek = edu_chr_llseek,
	.unlocked_ioctl = edu_chr_ioctl,
};

static void edu_chr_release(struct device *dev)
{
	kfree(container_of(dev, struct edu_chr, dev));
}

static void edu_chr_remove(void *data)
{
	struct edu_chr *ec = data;
	unsigned int minor = MINOR(ec->cdev.dev) - MINOR(edu_devt);

	cdev_device_del(&ec->cdev, &ec->dev);
	mutex_lock(&ec->lock);
	ec->edu = NULL;
	mutex_unlock(&ec->lock);
	mutex_lock(&edu_minor_lock);
	clear_bit(minor, edu_minors);
	mutex_unlock(&edu_minor_lock);
	put_device(&ec->dev);
}

/* /dev/eduN for @edu, removed at unbind.  0 or -errno. */
static int edu_chr_add(struct edu *edu)
{
	struct pci_dev *pdev = edu->pdev;
	struct edu_chr *ec;
	unsigned int minor;
	int ret;

	mutex_lock(&edu_minor_lock);
	for (minor = 0; minor < EDU_MAX_DEVS && test_bit(minor, edu_minors); minor++)
		;
	if (minor < EDU_MAX_DEVS)
		set_bit(minor, edu_minors);
	mutex_unlock(&edu_minor_lock);
	if (minor >= EDU_MAX_DEVS) {
		dev_err(&pdev->dev, "no /dev/edu node: %d devices already\n", EDU_MAX_DEVS);
		return -EBUSY;
	}
	ec = kzalloc(sizeof(*ec), GFP_KERNEL);
	if (!ec) {
		ret = -ENOMEM;
		goto free_minor;
	}
	mutex_init(&ec->lock);
	ec->edu = edu;
	device_initialize(&ec->dev);
	ec->dev.parent = &pdev->dev;
	ec->dev.release = edu_chr_release;
	dev_set_name(&ec->dev, "edu%u", minor);
	cdev_init(&ec->cdev, &edu_chr_fops);
	ec->cdev.owner = THIS_MODULE;
	ec->cdev.dev = edu_devt + minor;
	ret = cdev_device_add(&ec->cdev, &ec->dev);
	if (ret) {
		put_device(&ec->dev);
		goto free_minor;
	}
	return devm_add_action_or_reset(&pdev->dev, edu_chr_remove, ec);
free_minor:
	mutex_lock(&edu_minor_lock);
	clear_bit(minor, edu_minors);
	mutex_unlock(&edu_minor_lock);
	return ret;
}

/* Unbinding: the device raises nothing more, and nothing stays pending. */
static void edu_quiesce(void *data)
{
	struct edu *edu = data;

	edu_write(edu, EDU_STATUS, 0);
	edu_write(edu, EDU_IRQ_ACK, ~0u);
}

static int edu_setup_irq(struct edu *edu)
{
	struct pci_dev *pdev = edu->pdev;
	unsigned int flags = PCI_IRQ_LEGACY;
	int ret;

	if (READ_ONCE(use_msi))
		flags |= PCI_IRQ_MSI;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, flags);
	if (ret < 0)
		return ret;
	edu->irq = pci_irq_vector(pdev, 0);
	if (edu->irq < 0)
		return edu->irq;
	edu->msi = pci_dev_msi_enabled(pdev);
	/* Nothing left from an earlier binding may look like ours. */
	edu_write(edu, EDU_IRQ_ACK, ~0u);
	ret = devm_request_irq(&pdev->dev, edu->irq, edu_irq, edu->msi ? 0 : IRQF_SHARED,
			       "edu", edu);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(&pdev->dev, edu_quiesce, edu);
	if (ret)
		return ret;
	edu_write(edu, EDU_STATUS, EDU_STATUS_IRQFACT);
	return 0;
}

static void edu_unit_init(struct edu_unit *u, unsigned int busy_reg, u32 busy_bit, u32 irq_bit)
{
	mutex_init(&u->lock);
	init_completion(&u->done);
	u->busy_reg = busy_reg;
	u->busy_bit = busy_bit;
	u->irq_bit = irq_bit;
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu *edu;
	u32 ident;
	int ret;

	(void)id;
	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, 1 << 0, "edu");
	if (ret)
		return ret;
	edu->mmio = pcim_iomap_table(pdev)[0];
	edu->pdev = pdev;
	ident = edu_read(edu, EDU_IDENT);
	if ((ident & 0xff) != 0xed) {
		dev_err(&pdev->dev, "identification %#x is not an edu device\n", ident);
		return -ENODEV;
	}
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret) {
		dev_err(&pdev->dev, "no usable %d-bit DMA\n", EDU_DMA_BITS);
		return ret;
	}
	pci_set_master(pdev);
	edu->drvdata.ops = &edu_ops;
	edu->timeout = EDU_TIMEOUT;
	edu_unit_init(&edu->fact, EDU_STATUS, EDU_STATUS_COMPUTING, EDU_IRQ_FACT);
	edu_unit_init(&edu->dma, EDU_DMA_CMD, EDU_DMA_START, EDU_IRQ_DMA);
	edu_unit_init(&edu->ping, 0, 0, EDU_IRQ_PING);
	pci_set_drvdata(pdev, edu);
	ret = edu_setup_irq(edu);
	if (ret) {
		dev_err(&pdev->dev, "no interrupt: %d\n", ret);
		return ret;
	}
	if (__edu_liveness(edu, 0x12345678) != ~0x12345678u) {
		dev_err(&pdev->dev, "liveness check failed\n");
		return -EIO;
	}
	ret = edu_chr_add(edu);
	if (ret)
		return ret;
	dev_info(&pdev->dev, "edu v%u.%u, MMIO at %#llx, IRQ %d (%s)\n", ident >> 24,
		 (ident >> 16) & 0xff, pci_resource_start(pdev, 0), edu->irq,
		 edu->msi ? "MSI" : "INTx");
	return 0;
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = "edu",
	.id_table = edu_ids,
	.probe = edu_probe,
};
static int __init edu_init(void)
{
	int ret = alloc_chrdev_region(&edu_devt, 0, EDU_MAX_DEVS, "edu");

	if (ret)
		return ret;
	ret = pci_register_driver(&edu_driver);
	if (ret)
		unregister_chrdev_region(edu_devt, EDU_MAX_DEVS);
	return ret;
}
module_init(edu_init);

static void edu_exit(void)
{
	pci_unregister_driver(&edu_driver);
	unregister_chrdev_region(edu_devt, EDU_MAX_DEVS);
}
module_exit(edu_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("QEMU edu educational PCI device");
