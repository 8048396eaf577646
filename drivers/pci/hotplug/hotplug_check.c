// SPDX-License-Identifier: GPL-2.0
/*
 * The guest side of the QMP hotplug test (scripts/check-hotplug.py): the
 * `hpcheck` shell command reports the state a hot-add/removal cycle must
 * give back (free pages, kmalloc objects, interrupt vectors, live DMA
 * mappings, PCI functions) and runs a random-number reader that is busy
 * while the host removes the device under it.
 *
 *   hpcheck state    one "hpcheck: state ..." line, once caches are drained
 *   hpcheck reader   start a thread reading the current hwrng in a loop,
 *                    and return once it has read
 *   hpcheck wait     wait (30 s at most) for it to stop, and say why
 */
#define pr_fmt(fmt) "hpcheck: " fmt

#include <exo/device.h>
#include <exo/dma-debug.h>
#include <exo/errno.h>
#include <exo/hw_random.h>
#include <exo/kasan.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/pci.h>
#include <exo/pgtable.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/irq.h>

static struct task_struct *reader;
static unsigned long reader_reads;
static int reader_err;
static bool reader_done;

static int reader_fn(void *arg)
{
	u8 buf[16];
	ssize_t ret;

	do {
		ret = hwrng_read(buf, sizeof(buf));
		if (ret > 0)
			WRITE_ONCE(reader_reads, reader_reads + 1);
	} while (ret > 0 && !kthread_should_stop());
	WRITE_ONCE(reader_err, ret < 0 ? (int)ret : 0);
	smp_store_release(&reader_done, true);
	return 0;
}

static void print_state(void)
{
	struct dma_debug_stats st = { .live = 0 };
	unsigned int vectors = 0, cpu;
	unsigned long free, objects, slab_pages = 0;
	struct module *rng;
	char src[32] = "-";

	/* Autoloads in flight and freed objects in caches would skew the figures. */
	wait_for_device_probe();
	kasan_quarantine_drain();
	for_each_online_cpu(cpu)
		vectors += x86_vectors_used(cpu);
	dma_debug_get_stats(&st);
	hwrng_current_name(src, sizeof(src));
	rng = find_module("virtio-rng");
	free = ktest_settled_free_pages() + nr_pgtable_pages();
	objects = kmalloc_usage(&slab_pages);
	/*
	 * Page-table pages count as free: ioremap()s of the BARs at new
	 * addresses may populate page tables that stay, as in Linux.
	 */
	printk("hpcheck: state free_pages=%lu slab_objects=%lu slab_pages=%lu large_pages=%lu vectors=%u dma_live=%lu pci_functions=%u virtio_rng_refs=%d hwrng=%s\n",
	       free, objects, slab_pages, kmalloc_large_pages(), vectors, st.live,
	       pci_nr_devices(), rng ? module_refcount(rng) : -1, src);
}

static int cmd_hpcheck(int argc, char **argv)
{
	int which = shell_arg_choice(argv[0], argv[1], "state", "reader", "wait");

	if (which < 0)
		return which;
	if (which == 0) {
		print_state();
		return 0;
	}
	if (which == 1) {
		if (reader) {
			printk("hpcheck: a reader already runs (hpcheck wait)\n");
			return -EBUSY;
		}
		reader_reads = 0;
		reader_err = 0;
		reader_done = false;
		reader = kthread_run(reader_fn, NULL, "hpcheck-reader");
		if (!reader)
			return -ENOMEM;
		/* Busy for sure before the host removes the device: a read done. */
		for (unsigned int ms = 0; !READ_ONCE(reader_reads) && ms < 5000; ms += 1)
			msleep(1);
		printk("hpcheck: reader started, %lu reads so far\n", READ_ONCE(reader_reads));
		return 0;
	}
	if (!reader) {
		printk("hpcheck: no reader (hpcheck reader)\n");
		return -ENOENT;
	}
	for (unsigned int ms = 0; !smp_load_acquire(&reader_done) && ms < 30000; ms += 10)
		msleep(10);
	if (!smp_load_acquire(&reader_done)) {
		/* Its read is stuck: say so, and stop it at its next return. */
		printk("hpcheck: reader still running after 30 s\n");
		return -ETIMEDOUT;
	}
	kthread_join(reader);
	reader = NULL;
	printk("hpcheck: reader: %lu reads, then %s\n", READ_ONCE(reader_reads),
	       reader_err ? errname(reader_err) : "stopped");
	return 0;
}
DEFINE_SHELL_CMD_ARGS(hpcheck, "state|reader|wait", 1, 1,
		      "hotplug test: leak figures, a hwrng reader", cmd_hpcheck);
