// SPDX-License-Identifier: GPL-2.0
/*
 * IDT setup and interrupt dispatch.  Every vector enters through the stubs
 * in entry.S and lands in do_interrupt(): exceptions (0-31) go to the trap
 * handlers, system vectors (timer, IPIs) to the handler installed by
 * set_irq_handler(), device vectors to their IRQ's flow handler
 * (apic/vector.c, kernel/irq/).
 */
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/interrupt.h>
#include <exo/printk.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <asm/traps.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/irqflags.h>
#include <asm/pcp.h>

struct idt_entry {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __packed;

static struct idt_entry idt[256] __aligned(4096);
static sysvec_handler_t irq_handlers[256];
extern const char interrupt_stubs[];

void do_interrupt(struct pt_regs *regs);
void do_trap(struct pt_regs *regs);

static void set_gate(unsigned int vec, unsigned long addr, unsigned int ist)
{
	struct idt_entry *e = &idt[vec];

	e->offset_low = addr & 0xffff;
	e->selector = KERNEL_CS;
	e->ist = ist;
	e->type_attr = 0x8e;	/* present, DPL 0, 64-bit interrupt gate */
	e->offset_mid = (addr >> 16) & 0xffff;
	e->offset_high = addr >> 32;
	e->reserved = 0;
}

/* Build the table once; every CPU loads the same IDT. */
void __init idt_init(void)
{
	for (unsigned int v = 0; v < 256; v++) {
		unsigned int ist = 0;

		if (v == X86_TRAP_DF)
			ist = IST_DF;
		else if (v == X86_TRAP_NMI)
			ist = IST_NMI;
		else if (v == X86_TRAP_MC)
			ist = IST_MC;
		set_gate(v, (unsigned long)interrupt_stubs + 16 * v, ist);
	}
	/* Before the first interrupt and the other CPUs: see pcp_restart_init(). */
	pcp_restart_init();
	load_idt();
	/*
	 * The 8259 PICs come out of reset delivering IRQ 0-7 on vectors 8-15,
	 * i.e. on top of exceptions.  Mask every line before anything enables
	 * interrupts; the APIC code routes the devices it wants.
	 */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void load_idt(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (unsigned long)idt };

	__asm__ __volatile__("lidt %0" : : "m"(p));
}

int set_irq_handler(unsigned int vector, sysvec_handler_t fn)
{
	if (vector < 32 || vector > 255) {
		pr_err("set_irq_handler: vector %u is not an interrupt vector\n", vector);
		return -EINVAL;
	}
	if (fn && irq_handlers[vector]) {
		pr_err("set_irq_handler: vector %u already has a handler\n", vector);
		return -EBUSY;
	}
	if (!fn) {
		/* Handler gone before the vector is freed: its next owner never reaches it. */
		WRITE_ONCE(irq_handlers[vector], NULL);
		x86_vector_reserve_system(vector, false);
		return 0;
	}
	if (x86_vector_reserve_system(vector, fn)) {
		pr_err("set_irq_handler: vector %u is a device IRQ's\n", vector);
		return -EBUSY;
	}
	WRITE_ONCE(irq_handlers[vector], fn);
	return 0;
}

DEFINE_PER_CPU(unsigned long, irq_count);	/* interrupts taken, for `cpus` */

/*
 * Called from entry.S with interrupts disabled.  notrace: it runs before
 * the hard interrupt or trap count is added and after it is removed, in
 * the interrupted context, where the function tracer would drop its
 * calls as recursion whenever that context is writing a record.
 */
void notrace do_interrupt(struct pt_regs *regs)
{
	unsigned int vec = regs->vector;
	sysvec_handler_t fn;
	void *slab_tc;

	if (vec < 32) {
		/*
		 * Exceptions and NMIs interrupt anything, interrupt handlers
		 * and interrupts-off sections included: they are counted apart
		 * (in_trap()), and see no thread cache either, so that kmalloc
		 * refuses them rather than use the interrupted code's lists
		 * (mm/slab.h I5, I8).
		 */
		__preempt_count_add(TRAP_OFFSET);
		slab_tc = slab_irq_enter();
		do_trap(regs);
		slab_irq_exit(slab_tc);
		__preempt_count_add(-(int)TRAP_OFFSET);
		return;
	}
	/*
	 * First: no interrupt handler, softirq or thread switched to may
	 * run on this CPU's page caches or tier-2 kmalloc arrays under a
	 * half-done push or pop, nor on translate()'s cache under a
	 * half-done read (<asm/pcp.h>).  Exceptions and NMIs (vectors
	 * 0-31) are not rewound: a fault or #DB inside a sequence must
	 * resume at the faulting instruction, and their handlers never
	 * touch the page caches, the kmalloc arrays or translate()'s cache
	 * (the page allocator warns when called in_trap(), the slab
	 * refuses a trap's kmalloc/kfree: mm/slab.h I8), so what the
	 * sequence loaded before them is still current after them.
	 */
	pcp_restart_fixup(regs);
	__preempt_count_add(HARDIRQ_OFFSET);
	/* Handlers never see the interrupted thread's kmalloc cache (mm/slab.h I5). */
	slab_tc = slab_irq_enter();
	this_cpu_inc(irq_count);
	fn = READ_ONCE(irq_handlers[vec]);
	if (fn)
		fn(regs);
	else
		x86_device_interrupt(vec);
	__preempt_count_add(-(int)HARDIRQ_OFFSET);
	/* Softirqs run before the interrupted code gets its cache back. */
	if (unlikely(local_softirq_pending()))
		irq_exit_softirq();
	slab_irq_exit(slab_tc);
	/*
	 * Preempt on the way out if a switch is pending (the timer tick or a
	 * reschedule IPI asked for one), the interrupted code had interrupts
	 * on and held no preempt count: the raw count is 0 only then.
	 */
	if (unlikely(this_cpu_read(__preempt_count) == 0) && (regs->rflags & X86_EFLAGS_IF))
		preempt_schedule_irq();
}
