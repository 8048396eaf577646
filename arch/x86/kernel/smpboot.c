// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing up the application processors.
 *
 * smp_prepare_boot_cpu() reads the ACPI tables, turns the MADT into the set
 * of possible CPUs (logical 0 is always the boot CPU; the others follow in
 * MADT order), enables the boot CPU's local APIC and timer and masks the
 * I/O APICs.  smp_boot_cpus() then starts the APs one at a time:
 *
 *   BSP: stack, trampoline parameters (for one APIC ID); INIT, 10 ms,
 *        STARTUP, 200 us, STARTUP; wait for the AP to claim them, then for
 *        its call-in (each bounded: a silent CPU is reported and skipped).
 *   AP:  trampoline -> long mode -> claims the parameters if they carry
 *        its APIC ID, else halts (it started after its time-out: see
 *        start_ap()) -> secondary_startup_64(): kernel CR3 and
 *        CR4, per-CPU base, GDT/TSS/IDT, local APIC, idle thread; marks
 *        itself online, starts its tick and enters the idle loop.
 *
 * One AP at a time keeps the trampoline and its parameter block simple:
 * nothing else touches them while an AP is starting (a late AP only fails
 * to claim them).
 *
 * Every per-CPU area (a copy of the pristine template) is allocated when
 * the MADT is read, before any AP starts, and a CPU becomes possible only
 * once it has one: walkers of the possible CPUs may read any CPU's per-CPU
 * data.  A CPU that gets no memory for its area is left out (no logical
 * number), and so are the CPUs beyond NR_CPUS; both are logged and listed
 * by `cpus`.
 */
#define pr_fmt(fmt) "smpboot: " fmt

#include <exo/acpi.h>
#include <exo/numa.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/memblock.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/tlb.h>
#include <exo/vmalloc.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/msr-index.h>
#include <asm/page.h>
#include <asm/pat.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <asm/tlbflush.h>
#include <asm/trampoline.h>

#define AP_STACK_SIZE		KTHREAD_STACK_SIZE

struct trampoline_params {
	u16 gdt_limit;
	u32 gdt_base;
	u16 pad0;
	u32 pm_offset;
	u16 pm_sel;
	u16 pad1;
	u32 lm_offset;
	u16 lm_sel;
	u16 pad2;
	u32 cr3;
	u32 efer;
	u32 cr0;
	u32 cpu;
	u64 stack;
	u64 entry;
	u16 idt_limit;
	u32 idt_base;
	u16 pad3;
} __packed;

extern const char trampoline_start[], trampoline_end[], trampoline_params[];
extern const char tr_gdt[], tr_pm32[], tr_lm64[], tr_apicid[], tr_stood_down[], tr_seen[];
extern const char tr_idt[], tr_parked[], tr_parked_wakeups[], tr_parked_sp[];
extern char __per_cpu_load[], __per_cpu_start[], __per_cpu_end[];

u32 x86_cpu_to_apicid[NR_CPUS];
struct madt_info acpi_madt;
bool acpi_madt_valid;
struct cpu_info cpu_data[NR_CPUS];

static phys_addr_t tramp_phys;
static phys_addr_t tramp_pgtable;	/* PML4 of the trampoline's page table */
static unsigned long kernel_cr3, bsp_cr4;
static void *ap_stack[NR_CPUS];
/*
 * The call-in: 0 while the AP starts; the AP swaps in AP_COMMITTED (it
 * will be online in a few instructions, then 1) or -ENOMEM, the boot CPU
 * -ETIMEDOUT when it gives up.  One cmpxchg each: exactly one wins.
 */
#define AP_COMMITTED	2
static volatile int ap_callin;
/* APIC IDs of the CPUs left out for lack of memory for their per-CPU area. */
static u32 nomem_apicid[NR_CPUS];
static unsigned int nr_nomem_apicid;
static u64 smp_boot_ns;
static unsigned int stood_down;
static unsigned int parked_wakeups;
static bool parked_stray_stack;
static unsigned int silent_cpu;

/*
 * smp_test_silent_cpu=N: never send CPU N its STARTUP IPIs (tests the
 * time-out path).  CPU 0 is the boot CPU: 0 means none, the default.
 */
/* A test parameter's CPU number, below NR_CPUS, into @cpu. */
static int __init test_cpu_param(const char *val, unsigned int *cpu)
{
	unsigned long n;

	if (kstrtoul(val, 10, &n) || n >= NR_CPUS)
		return -EINVAL;
	*cpu = n;
	return 0;
}

static int __init silent_cpu_setup(const char *val)
{
	return test_cpu_param(val, &silent_cpu);
}
early_param_desc("smp_test_silent_cpu=", silent_cpu_setup, "a CPU number below NR_CPUS");

/*
 * smp_callin_timeout_ms=N: how long an AP has to take its parameters after
 * its STARTUP IPIs (default 10 s, as Linux waits), and again to finish
 * starting once it has them.  Only a CPU that never answers costs it: the
 * time-out tests pass a shorter one.  Under TCG, 256 vCPU threads on two
 * host cores leave an AP unscheduled for seconds.
 */
static unsigned int callin_timeout_ms = 10000;

static int __init callin_timeout_setup(const char *val)
{
	unsigned long n;

	if (kstrtoul(val, 10, &n) || !n || n > 600000)
		return -EINVAL;
	callin_timeout_ms = n;
	return 0;
}
early_param_desc("smp_callin_timeout_ms=", callin_timeout_setup, "milliseconds, 1-600000");

/*
 * smp_test_late_cpu=N: CPU N gets its STARTUP IPI only after its call-in
 * timed out, once the next CPU's parameters are in the trampoline (tests
 * that a late AP stands down instead of taking another CPU's identity).
 */
static unsigned int late_cpu;
static u32 late_apic_pending = ~0U;

/*
 * smp_test_wrong_apic_cpu=N: CPU N's parameters carry an APIC ID its local
 * APIC does not have, as if the MADT were wrong: it must stand down and be
 * given up at once (tests the mismatch path).
 */
static unsigned int wrong_apic_cpu;

static int __init wrong_apic_setup(const char *val)
{
	return test_cpu_param(val, &wrong_apic_cpu);
}
early_param_desc("smp_test_wrong_apic_cpu=", wrong_apic_setup, "a CPU number below NR_CPUS");

static int __init late_cpu_setup(const char *val)
{
	return test_cpu_param(val, &late_cpu);
}
early_param_desc("smp_test_late_cpu=", late_cpu_setup, "a CPU number below NR_CPUS");

/*
 * smp_test_nomem_apic=N: the CPU with APIC ID N gets no per-CPU area, as on
 * a machine too small for it (tests the left-out path and the walkers).
 */
static u32 nomem_test_apic = ~0U;

static int __init nomem_apic_setup(const char *val)
{
	unsigned long n;

	if (kstrtoul(val, 10, &n) || n >= ~0U)
		return -EINVAL;
	nomem_test_apic = n;
	return 0;
}
early_param("smp_test_nomem_apic=", nomem_apic_setup);

/*
 * cpu_init_udelay=N: microseconds between INIT and the first STARTUP IPI
 * (default 10000, the MP specification's wait for old CPUs).  Linux skips
 * it on CPUs newer than the P6; here it stays unless asked, and `make
 * bench` passes 0 to its -icount SMP boots, where the spin of 10 ms per CPU
 * costs QEMU's round-robin vCPU loop minutes at -smp 64.
 */
static unsigned int init_udelay = 10000;

static int __init init_udelay_setup(const char *val)
{
	unsigned long n;

	if (kstrtoul(val, 10, &n) || n > 1000000)
		return -EINVAL;
	init_udelay = n;
	return 0;
}
early_param_desc("cpu_init_udelay=", init_udelay_setup, "microseconds, 0-1000000");

void __noreturn secondary_startup_64(unsigned int cpu);

static void cpu_collect_info(unsigned int cpu)
{
	struct cpu_info *c = &cpu_data[cpu];

	c->apic_id = read_apic_id();
	c->tsc_khz = tsc_khz;
}

static size_t percpu_area_pages(void)
{
	return DIV_ROUND_UP(__per_cpu_end - __per_cpu_start, PAGE_SIZE);
}

/* CPU @cpu's per-CPU area: exactly its pages, a copy of the pristine template. */
static int __init alloc_percpu_area(unsigned int cpu)
{
	phys_addr_t pa;
	int err = alloc_contiguous(percpu_area_pages(), &pa);

	if (err)
		return err;
	memcpy(phys_to_virt(pa), __per_cpu_load, __per_cpu_end - __per_cpu_start);
	__per_cpu_offset[cpu] = (unsigned long)phys_to_virt(pa);
	return 0;
}

/*
 * Move CPU @cpu's per-CPU area to its memory node, once numa_init() has
 * said which that is.  The AP has not run: its area is still the template
 * copy, with nothing pointing into it, so a copy elsewhere is the same
 * area.  On failure the area stays where it is, with a log line.
 */
static void __init percpu_area_to_node(unsigned int cpu)
{
	size_t pages = percpu_area_pages(), bytes = __per_cpu_end - __per_cpu_start;
	unsigned int order = order_base_2(pages);
	void *old = (void *)__per_cpu_offset[cpu];
	int nid = cpu_to_mem(cpu);
	struct page *pg;

	if (page_to_nid(virt_to_page(old)) == nid)
		return;
	/* Without __GFP_THISNODE: a full node gives the next one by distance. */
	pg = alloc_pages_node(nid, GFP_KERNEL | __GFP_NOWARN, order);
	if (!pg) {
		pr_warn("NUMA: no memory for CPU %u's per-CPU area on node %d: it stays on node %d\n",
			cpu, nid, page_to_nid(virt_to_page(old)));
		return;
	}
	if (page_to_nid(pg) != nid)
		pr_warn("NUMA: node %d is full: CPU %u's per-CPU area goes to node %d\n", nid,
			cpu, page_to_nid(pg));
	/* The block's tail past the area goes back now. */
	if (pages < 1UL << order)
		free_contiguous(page_to_phys(pg) + pages * PAGE_SIZE, (1UL << order) - pages);
	memcpy(page_address(pg), old, bytes);
	__per_cpu_offset[cpu] = (unsigned long)page_address(pg);
	free_contiguous(virt_to_phys(old), pages);
}

/*
 * The APs' per-CPU areas (and with them their IST stacks) on their memory
 * nodes.  The boot CPU's is the copy in the image's .bss, in use since
 * the first instruction: it stays there.
 */
static void __init percpu_areas_to_nodes(void)
{
	if (pa_nr_nodes <= 1)
		return;
	for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++)
		if (__per_cpu_offset[cpu])
			percpu_area_to_node(cpu);
}

/*
 * " 3 5-9 12" from @v[0..@n) (runs of consecutive values), " ..." when
 * @buf is full: a machine with little memory may leave out a hundred CPUs.
 */
static void format_ranges(char *buf, size_t size, const u32 *v, unsigned int n)
{
	size_t len = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < n; i++) {
		unsigned int j = i;

		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		if (len >= size - 16) {
			snprintf(buf + len, size - len, " ...");
			return;
		}
		len += snprintf(buf + len, size - len, j > i ? " %u-%u" : " %u", v[i], v[j]);
		i = j;
	}
}

/*
 * The possible CPUs from the MADT, the boot CPU first, each with its
 * per-CPU area.  Those beyond NR_CPUS and those without memory for an area
 * are left out, with one line saying which and why.
 */
static void __init build_cpu_map(void)
{
	u32 bsp = read_apic_id();
	unsigned int n = 1;

	x86_cpu_to_apicid[0] = bsp;
	for (unsigned int i = 0; i < acpi_madt.nr_cpus && n < NR_CPUS; i++) {
		u32 apic_id = acpi_madt.apic_ids[i];

		if (apic_id == bsp)
			continue;
		if (apic_id == nomem_test_apic || alloc_percpu_area(n)) {
			nomem_apicid[nr_nomem_apicid++] = apic_id;
			continue;
		}
		x86_cpu_to_apicid[n] = apic_id;
		cpumask_set_cpu(n, &cpu_possible_mask);
		n++;
	}
	nr_cpu_ids = n;
	if (nr_nomem_apicid) {
		char ids[96];

		format_ranges(ids, sizeof(ids), nomem_apicid, nr_nomem_apicid);
		pr_err("%u CPU(s) left out: no memory for a per-CPU area (%zu KiB each); APIC IDs%s\n",
		       nr_nomem_apicid, percpu_area_pages() * PAGE_SIZE >> 10, ids);
	}
	if (acpi_madt.nr_ignored)
		pr_warn("%u CPU(s) left out: this kernel is built for NR_CPUS=%u (APIC IDs %u to %u are not used); set CONFIG_NR_CPUS to %u or more to use them\n",
			acpi_madt.nr_ignored, NR_CPUS, acpi_madt.ignored_apic_min,
			acpi_madt.ignored_apic_max, acpi_madt.nr_cpus + acpi_madt.nr_ignored);
}

/**
 * smp_cpus_without_memory() - CPUs listed by the firmware that lack memory
 *
 * Those left out for want of a per-CPU area, plus the possible CPUs that
 * could not get a stack or an idle thread (state CPU_STATE_NOMEM).
 * Return: their number.
 */
unsigned int smp_cpus_without_memory(void)
{
	unsigned int n = nr_nomem_apicid;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		n += cpu_data[cpu].state == CPU_STATE_NOMEM;
	return n;
}

void __init smp_prepare_boot_cpu(void)
{
	const struct acpi_table_header *h;

	smp_ipi_init();
	if (!acpi_table_init() && (h = acpi_get_table("APIC", 0)) &&
	    !acpi_parse_madt((const void *)h, h->length, &acpi_madt)) {
		acpi_madt_valid = true;
		pr_info("MADT: %u CPUs (%u disabled), %u I/O APICs, %u overrides, %u NMI entries\n",
			acpi_madt.nr_cpus, acpi_madt.nr_disabled, acpi_madt.nr_ioapics,
			acpi_madt.nr_overrides, acpi_madt.nr_nmis);
	} else {
		pr_warn("no usable MADT: one CPU, no I/O APIC\n");
	}
	cpu_data[0].state = CPU_STATE_ONLINE;
	if (apic_init_bsp(acpi_madt_valid ? acpi_madt.lapic_address : 0))
		return;
	cpu_collect_info(0);
	apic_setup_lint_nmi(0);
	if (acpi_madt_valid)
		build_cpu_map();
	else
		x86_cpu_to_apicid[0] = read_apic_id();
	numa_init();
	page_alloc_numa_init();
	percpu_areas_to_nodes();
	x86_vector_init();
	ioapic_init();
	apic_timer_calibrate();
	apic_timer_start();
}

/* Identity map of the first 2 MiB + the kernel half of the current PML4. */
static int __init build_trampoline_pgtable(void)
{
	u64 *pml4, *pdpt, *pd, *kpml4;
	struct page *pg = alloc_pages(GFP_DMA32 | __GFP_ZERO, 2);

	if (!pg)
		return -ENOMEM;
	tramp_pgtable = page_to_phys(pg);
	pml4 = phys_to_virt(tramp_pgtable);
	pdpt = pml4 + 512;
	pd = pdpt + 512;
	kpml4 = phys_to_virt(read_cr3() & ~0xfffUL & ((1UL << 52) - 1));
	memcpy(pml4 + 256, kpml4 + 256, 256 * sizeof(u64));
	pml4[0] = virt_to_phys(pdpt) | 0x3;	/* present, writable */
	pdpt[0] = virt_to_phys(pd) | 0x3;
	pd[0] = 0x0 | 0x83;			/* 2 MiB page at 0, executable */
	return 0;
}

static struct trampoline_params *tramp_params(void)
{
	return phys_to_virt(tramp_phys + (trampoline_params - trampoline_start));
}

/*
 * The copy's APIC ID field (TRAMPOLINE_NOBODY, the starting AP's ID, or
 * TRAMPOLINE_CLAIMED) and its count of APs that stood down.
 */
static u32 *tramp_apic_id(void)
{
	return phys_to_virt(tramp_phys + (tr_apicid - trampoline_start));
}

static u32 *tramp_stood_down(void)
{
	return phys_to_virt(tramp_phys + (tr_stood_down - trampoline_start));
}

/* The APIC ID the last CPU to stand down read from its local APIC. */
static u32 *tramp_seen(void)
{
	return phys_to_virt(tramp_phys + (tr_seen - trampoline_start));
}

/* NMIs (or exceptions) that CPUs parked after standing down have taken. */
static u32 *tramp_parked_wakeups(void)
{
	return phys_to_virt(tramp_phys + (tr_parked_wakeups - trampoline_start));
}

/* ESP of the last CPU that took an NMI (or exception) parked. */
static u32 *tramp_parked_sp(void)
{
	return phys_to_virt(tramp_phys + (tr_parked_sp - trampoline_start));
}

/* The trampoline GDT's flat 32-bit code selector (tr_gdt). */
#define TRAMPOLINE_CODE32_SEL	0x08
/* Gate type byte: present, DPL 0, 32-bit interrupt gate (IF cleared). */
#define GATE32_INTERRUPT	0x8e

/*
 * The IDT a CPU loads when it stands down (trampoline.S): 32-bit interrupt
 * gates, flat code selector, every one to tr_parked.
 */
static void __init fill_stand_down_idt(char *t, struct trampoline_params *p)
{
	u64 *idt = (u64 *)(t + (tr_idt - trampoline_start));
	u32 park = tramp_phys + (tr_parked - trampoline_start);
	u64 gate = (park & 0xffffULL) | ((u64)TRAMPOLINE_CODE32_SEL << 16) |
		   ((u64)GATE32_INTERRUPT << 40) | ((u64)(park >> 16) << 48);

	for (unsigned int i = 0; i < TRAMPOLINE_IDT_GATES; i++)
		idt[i] = gate;
	p->idt_base = tramp_phys + (tr_idt - trampoline_start);
}

static int __init setup_trampoline(void)
{
	size_t len = trampoline_end - trampoline_start;
	char *t;
	struct trampoline_params *p;

	tramp_phys = memblock_alloc_low(PAGE_SIZE, PAGE_SIZE, "SMP trampoline");
	if (!tramp_phys || len > PAGE_SIZE) {
		pr_err("no page below 1 MiB for the trampoline: one CPU only\n");
		return -ENOMEM;
	}
	if (build_trampoline_pgtable()) {
		pr_err("no memory for the trampoline page table: one CPU only\n");
		return -ENOMEM;
	}
	t = phys_to_virt(tramp_phys);
	memcpy(t, trampoline_start, len);
	p = (void *)(t + (trampoline_params - trampoline_start));
	p->gdt_base = tramp_phys + (tr_gdt - trampoline_start);
	p->pm_offset = tramp_phys + (tr_pm32 - trampoline_start);
	p->lm_offset = tramp_phys + (tr_lm64 - trampoline_start);
	fill_stand_down_idt(t, p);
	p->cr3 = tramp_pgtable;
	p->efer = rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE);
	p->cr0 = read_cr0();
	p->entry = (unsigned long)secondary_startup_64;
	kernel_cr3 = read_cr3();
	bsp_cr4 = read_cr4();
	return 0;
}

/* 0 -> @val in ap_callin, unless the other side swapped first. */
static bool callin_swap(int val)
{
	int old = 0;

	return __atomic_compare_exchange_n(&ap_callin, &old, val, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

void __noreturn secondary_startup_64(unsigned int cpu)
{
	/*
	 * The kernel's tables without PCID bits, and the boot CPU's CR4 minus
	 * PCIDE: cr4_init() turns PCID (and the rest) on for this CPU once
	 * its per-CPU area is reachable.
	 */
	write_cr3(kernel_cr3 & ~0xfffUL & ~(1UL << 63));
	write_cr4(bsp_cr4 & ~X86_CR4_PCIDE);
	setup_percpu_base(cpu, __per_cpu_offset[cpu]);
	identify_secondary_cpu();
	pat_cpu_init();
	cr4_init();
	tlb_cpu_init();
	cpu_init_descriptors(cpu);
	apic_init_ap();
	apic_setup_lint_nmi(cpu);
	cpu_collect_info(cpu);
	if (sched_init_ap(cpu, ap_stack[cpu], AP_STACK_SIZE)) {
		callin_swap(-ENOMEM);
		for (;;)
			halt();
	}
	/* Lost: the boot CPU gave up on this CPU, which never goes online. */
	if (!callin_swap(AP_COMMITTED))
		for (;;)
			halt();
	cpu_data[cpu].state = CPU_STATE_ONLINE;
	set_cpu_online(cpu, true);
	/*
	 * Kernel mappings have been in use since tlb_cpu_init(), but until the
	 * seq_cst set_cpu_online() above a flush (local-only hook or shootdown)
	 * left this CPU out.  Pairing with the flushers' fence before they read
	 * the mask, either they see this CPU online (and include it), or the
	 * entries they cleared are visible here and this flush drops what this
	 * CPU cached of them.
	 */
	__flush_tlb_global_cr4();
	smp_store_release(&ap_callin, 1);
	apic_timer_start();
	cpu_startup_entry(cpu);
}

/**
 * smp_boot_stack() - the stack CPU @cpu started on (its idle thread's)
 * @cpu: an AP's number
 *
 * Return: its lowest address, NULL for the boot CPU (the image's boot
 * stack) and for a CPU that never got one.
 */
void *smp_boot_stack(unsigned int cpu)
{
	return cpu < NR_CPUS ? ap_stack[cpu] : NULL;
}

static int __init alloc_ap_stack(unsigned int cpu)
{
	if (!ap_stack[cpu])
		/* Guard page below; frames of the CPU's memory node. */
		ap_stack[cpu] = alloc_kernel_stack_node(AP_STACK_SIZE, cpu_to_mem(cpu), NULL);
	return ap_stack[cpu] ? 0 : -ENOMEM;
}

/* Wait until @cond or @ms pass; whether @cond came true. */
#define wait_ms(cond, ms)							\
({									\
	u64 __deadline = ktime_get_ns() + (u64)(ms) * NSEC_PER_MSEC;	\
	bool __ok;							\
									\
	while (!(__ok = (cond)) && ktime_get_ns() < __deadline)		\
		cpu_relax();						\
	__ok;								\
})

static void park_cpu(u32 apic_id)
{
	apic_send_ipi(apic_id, APIC_DM_INIT | APIC_ICR_LEVEL | APIC_ICR_ASSERT);
}

/*
 * smp_test_late_cpu: the late CPU's STARTUP IPI, sent while another CPU's
 * parameters (or nobody's) are in the trampoline; it must stand down.
 */
static void __init send_late_sipi(u32 sipi)
{
	u32 before = READ_ONCE(*tramp_stood_down()), woken, sp;

	if (late_apic_pending == ~0U)
		return;
	apic_send_ipi(late_apic_pending, sipi);
	/*
	 * Another CPU may stand down meanwhile (a STARTUP IPI pending since
	 * before its INIT): the count alone does not say the late CPU has its
	 * IDT yet.  tr_seen, written after its lidt, does.
	 */
	if (!wait_ms(READ_ONCE(*tramp_stood_down()) != before &&
		     READ_ONCE(*tramp_seen()) == late_apic_pending, callin_timeout_ms)) {
		pr_err("test: late CPU (APIC %u) did not stand down\n", late_apic_pending);
	} else {
		/* Parked, it must take an NMI and stay parked (not reset the machine). */
		woken = READ_ONCE(*tramp_parked_wakeups());
		apic_send_ipi(late_apic_pending, APIC_DM_NMI);
		if (!wait_ms(READ_ONCE(*tramp_parked_wakeups()) != woken, callin_timeout_ms)) {
			pr_err("test: late CPU (APIC %u) took no NMI where it stood down\n",
			       late_apic_pending);
		} else {
			/* Its frame went on the park stack, in the trampoline page. */
			sp = READ_ONCE(*tramp_parked_sp());
			if (sp <= tramp_phys || sp > tramp_phys + PAGE_SIZE) {
				pr_err("test: late CPU (APIC %u) parked with ESP %#x, outside the trampoline page\n",
				       late_apic_pending, sp);
				parked_stray_stack = true;
			}
		}
	}
	late_apic_pending = ~0U;
}

/* Take the parameters back from @apic_id, unless it claimed them first. */
static bool __init give_up_on(u32 *claim, u32 apic_id)
{
	u32 old = apic_id;

	return __atomic_compare_exchange_n(claim, &old, TRAMPOLINE_NOBODY, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* Whether @apic_id is another possible CPU's than @cpu. */
static bool __init other_cpus_apic_id(u32 apic_id, unsigned int cpu)
{
	unsigned int i;

	for_each_possible_cpu(i)
		if (i != cpu && cpu_to_apicid(i) == apic_id)
			return true;
	return false;
}

/*
 * Wait for @cpu to claim the parameters (for @apic_id): whether it did.  A
 * CPU that stands down after the count was @stood with an APIC ID no other CPU has is @cpu itself,
 * its local APIC at odds with the MADT (*@mismatch): no use waiting on.
 * One with another CPU's ID started after that one's time-out.
 */
static bool __init wait_claim(unsigned int cpu, u32 *claim, u32 apic_id, u32 stood,
			      bool *mismatch)
{
	u64 deadline = ktime_get_ns() + (u64)callin_timeout_ms * NSEC_PER_MSEC;

	*mismatch = false;
	while (READ_ONCE(*claim) == apic_id && ktime_get_ns() < deadline) {
		if (READ_ONCE(*tramp_stood_down()) != stood) {
			stood = READ_ONCE(*tramp_stood_down());
			if (!other_cpus_apic_id(READ_ONCE(*tramp_seen()), cpu)) {
				*mismatch = true;
				return false;
			}
		}
		cpu_relax();
	}
	return READ_ONCE(*claim) != apic_id;
}

/*
 * The AP claims its parameters in the trampoline by swapping its own APIC
 * ID in the trampoline's APIC ID field for TRAMPOLINE_CLAIMED; the boot CPU gives up on it by
 * swapping in TRAMPOLINE_NOBODY.  Exactly one of the two wins, so a CPU
 * that starts late never runs on a stack or a CPU number handed out since,
 * and one that claimed in time is always waited for.
 */
static int __init start_ap(unsigned int cpu)
{
	u32 apic_id = cpu_to_apicid(cpu);
	struct trampoline_params *p = tramp_params();
	u32 sipi = APIC_DM_STARTUP | (u32)(tramp_phys >> PAGE_SHIFT);
	u32 *claim = tramp_apic_id();
	u32 want = cpu == wrong_apic_cpu ? apic_id ^ 0x40000000 : apic_id;
	u32 stood;
	bool mismatch;
	int err;

	err = alloc_ap_stack(cpu);
	if (err) {
		cpu_data[cpu].state = CPU_STATE_NOMEM;	/* reported by report_nomem_cpus() */
		return err;
	}
	p->cpu = cpu;
	p->stack = (unsigned long)ap_stack[cpu] + AP_STACK_SIZE;
	ap_callin = 0;
	cpu_data[cpu].state = CPU_STATE_BOOTING;
	smp_store_release(claim, want);
	send_late_sipi(sipi);
	stood = READ_ONCE(*tramp_stood_down());

	park_cpu(apic_id);
	if (init_udelay)
		udelay(init_udelay);
	if (cpu == late_cpu) {
		late_apic_pending = apic_id;
	} else if (cpu != silent_cpu) {
		apic_send_ipi(apic_id, sipi);
		udelay(200);
		if (READ_ONCE(*claim) == want) {
			apic_send_ipi(apic_id, sipi);
			udelay(200);
		}
	}
	if (!wait_claim(cpu, claim, want, stood, &mismatch) && give_up_on(claim, want)) {
		cpu_data[cpu].state = CPU_STATE_DEAD;
		/* In case it is still on its way: back to waiting for a STARTUP IPI. */
		park_cpu(apic_id);
		if (mismatch)
			pr_err("CPU %u (APIC %u) stood down: its local APIC says ID %u\n", cpu,
			       apic_id, READ_ONCE(*tramp_seen()));
		else
			pr_err("CPU %u (APIC %u) did not answer within %u ms: skipped\n", cpu,
			       apic_id, callin_timeout_ms);
		return -ETIMEDOUT;
	}
	/* Claimed: it runs on its own stack now; wait for it to commit. */
	if (!wait_ms(smp_load_acquire(&ap_callin), callin_timeout_ms) &&
	    callin_swap(-ETIMEDOUT)) {
		cpu_data[cpu].state = CPU_STATE_DEAD;
		park_cpu(apic_id);
		pr_err("CPU %u (APIC %u) took its parameters but did not finish within %u ms: stopped\n",
		       cpu, apic_id, callin_timeout_ms);
		return -ETIMEDOUT;
	}
	while (smp_load_acquire(&ap_callin) == AP_COMMITTED)
		cpu_relax();
	if (ap_callin > 0)
		return 0;
	cpu_data[cpu].state = ap_callin == -ENOMEM ? CPU_STATE_NOMEM : CPU_STATE_DEAD;
	if (ap_callin != -ENOMEM)
		pr_err("CPU %u (APIC %u) failed to start (%d): skipped\n", cpu, apic_id, ap_callin);
	return ap_callin;
}

/*
 * One line for the possible CPUs that got no stack or idle thread (a
 * machine with little memory may have a hundred).
 */
static void __init report_nomem_cpus(void)
{
	static u32 cpus[NR_CPUS] __initdata;
	unsigned int n = 0;
	char list[96];

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_data[cpu].state == CPU_STATE_NOMEM)
			cpus[n++] = cpu;
	if (!n)
		return;
	format_ranges(list, sizeof(list), cpus, n);
	pr_err("%u CPU(s) left out: no memory for a stack or an idle thread; CPUs%s\n", n, list);
}

/*
 * A CPU that stood down halts in the trampoline, paging off; one given up
 * on after it claimed halts in secondary_startup_64().  INIT puts every
 * possible CPU that is not online (nor left without memory: never started)
 * back to waiting for a STARTUP IPI, which nothing sends it.
 */
static void __init park_offline_cpus(void)
{
	unsigned int cpu;

	stood_down = READ_ONCE(*tramp_stood_down());
	parked_wakeups = READ_ONCE(*tramp_parked_wakeups());
	if (stood_down)
		pr_err("%u time(s) a CPU stood down (started after its time-out, or not the MADT's APIC ID)\n",
		       stood_down);
	for_each_possible_cpu(cpu)
		if (!cpu_online(cpu) && cpu_data[cpu].state != CPU_STATE_NOMEM)
			park_cpu(cpu_to_apicid(cpu));
}

/**
 * smp_cpus_stood_down() - how often an AP stood down in the trampoline
 *
 * Such a CPU found the trampoline's parameters not its own (it started
 * after its time-out, or its local APIC disagrees with the MADT) and
 * halted there; it is parked again and never online.  One CPU may count
 * twice: the INIT that parks it brings back a STARTUP IPI still pending.
 *
 * Return: the count at the end of smp_boot_cpus().
 */
unsigned int smp_cpus_stood_down(void)
{
	return stood_down;
}

/**
 * smp_stood_down_wakeups() - NMIs taken by CPUs parked after standing down
 *
 * A CPU that stood down loads the trampoline's own IDT, so that an NMI
 * finds a gate: it counts the wake-up and stays halted with NMIs blocked.
 * smp_test_late_cpu= sends the late CPU one NMI once it stood down.
 *
 * Return: the count at the end of smp_boot_cpus().
 */
unsigned int smp_stood_down_wakeups(void)
{
	return parked_wakeups;
}

/**
 * smp_stood_down_stray_stack() - whether a parked CPU's NMI frame went astray
 *
 * A CPU that stands down parks on a small stack in the trampoline page;
 * smp_test_late_cpu= checks the late CPU's stack pointer after its NMI is
 * there (not below ESP 0, at the top of the physical address space).
 *
 * Return: true if that check found the stack pointer outside the page.
 */
bool smp_stood_down_stray_stack(void)
{
	return parked_stray_stack;
}

/**
 * smp_test_late_cpu_nr() - the CPU smp_test_late_cpu= started late
 *
 * Return: its number, 0 (the boot CPU) when the test was not asked for.
 */
unsigned int smp_test_late_cpu_nr(void)
{
	return late_cpu;
}

/**
 * smp_test_wrong_apic_cpu_nr() - the CPU smp_test_wrong_apic_cpu= misnamed
 *
 * Return: its number, 0 (the boot CPU) when the test was not asked for.
 */
unsigned int smp_test_wrong_apic_cpu_nr(void)
{
	return wrong_apic_cpu;
}

/*
 * Whether the all-but-self IPI shorthand reaches exactly the online CPUs
 * but the sender: every enabled CPU the MADT lists, the boot CPU among
 * them, is online (none left out for NR_CPUS or memory, none parked after
 * a failed start), and the online mask is the possible mask.
 */
static bool __init ipi_shorthand_safe(void)
{
	u32 bsp = cpu_to_apicid(0);
	bool bsp_listed = false;
	unsigned int cpu;

	for (unsigned int i = 0; i < acpi_madt.nr_cpus; i++)
		bsp_listed |= acpi_madt.apic_ids[i] == bsp;
	if (!bsp_listed || acpi_madt.nr_ignored || nr_nomem_apicid ||
	    num_online_cpus() != acpi_madt.nr_cpus)
		return false;
	/* A parked (dead) or no-mem CPU is possible and not online. */
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu) != cpu_possible(cpu))
			return false;
	return true;
}

void __init smp_boot_cpus(void)
{
	u64 t0 = ktime_get_ns();
	unsigned int cpu;

	if (!IS_ENABLED(CONFIG_SMP) || nr_cpu_ids < 2 || !acpi_madt_valid)
		goto out;
	if (setup_trampoline())
		goto out;
	for_each_possible_cpu(cpu) {
		if (cpu != 0)
			start_ap(cpu);
	}
	send_late_sipi(APIC_DM_STARTUP | (u32)(tramp_phys >> PAGE_SHIFT));
	park_offline_cpus();
	free_pages((unsigned long)phys_to_virt(tramp_pgtable), 2);
	report_nomem_cpus();
	if (ipi_shorthand_safe())
		smp_ipi_shorthand_setup(num_online_cpus());
	else
		pr_info("IPIs: one per CPU (the all-but-self shorthand could reach CPUs not online)\n");
out:
	smp_boot_ns = ktime_get_ns() - t0;
	pr_info("%u of %u CPUs online (%llu us)\n", num_online_cpus(), nr_cpu_ids,
		smp_boot_ns / 1000);
}

static const char *const state_names[] = {
	[CPU_STATE_ABSENT] = "absent", [CPU_STATE_BOOTING] = "booting",
	[CPU_STATE_ONLINE] = "online", [CPU_STATE_DEAD] = "dead",
	[CPU_STATE_NOMEM] = "no-mem",
};

/*
 * The named features (x86_cap_flags) CPU @cpu has, as CPUID reported them
 * when it started; empty for a CPU that never ran.
 */
static void format_features(char *buf, size_t size, unsigned int cpu)
{
	const struct cpuinfo_x86 *c;
	size_t n = 0;

	buf[0] = 0;
	if (cpu_data[cpu].state != CPU_STATE_ONLINE)
		return;
	c = per_cpu_ptr(&cpu_info, cpu);
	for (unsigned int i = 0; i < NCAPINTS * 32 && n < size; i++)
		if (x86_cap_flags[i] && cpu_has(c, i))
			n += snprintf(buf + n, size - n, "%s ", x86_cap_flags[i]);
}

static int cmd_cpus(int argc, char **argv)
{
	unsigned int cpu;

	printk("%u CPUs online of %u possible, APIC mode %s, timer %llu Hz\n",
	       num_online_cpus(), nr_cpu_ids, x2apic_mode ? "x2APIC" : "xAPIC",
	       (unsigned long long)APIC_TIMER_HZ);
	printk("CPU APIC state    TSC MHz  ticks    irqs     IPIs-tx  IPIs-rx  calls   features\n");
	for_each_possible_cpu(cpu) {
		struct cpu_info *c = &cpu_data[cpu];
		struct smp_cpu_stats st;
		char f[160];

		smp_cpu_stats(cpu, &st);
		format_features(f, sizeof(f), cpu);
		printk("%3u %4u %-8s %4llu.%03llu %-8lu %-8lu %-8lu %-8lu %-7lu %s\n", cpu,
		       cpu_to_apicid(cpu), state_names[c->state], c->tsc_khz / 1000,
		       c->tsc_khz % 1000, st.timer_ticks, st.irqs, st.ipi_sent, st.ipi_received,
		       st.calls_handled, f);
	}
	if (nr_nomem_apicid) {
		char ids[96];

		format_ranges(ids, sizeof(ids), nomem_apicid, nr_nomem_apicid);
		printk("%u CPU(s) left out: no memory for a per-CPU area; APIC IDs%s\n",
		       nr_nomem_apicid, ids);
	}
	if (acpi_madt.nr_ignored)
		printk("%u CPU(s) left out: beyond NR_CPUS=%u; APIC IDs %u to %u\n",
		       acpi_madt.nr_ignored, NR_CPUS, acpi_madt.ignored_apic_min,
		       acpi_madt.ignored_apic_max);
	return 0;
}
DEFINE_SHELL_CMD(cpus, "CPUs: APIC IDs, state, TSC, features, IPI counters", cmd_cpus);
