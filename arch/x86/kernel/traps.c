// SPDX-License-Identifier: GPL-2.0
/*
 * Exception handling: an exception in the kernel is either expected (an
 * instruction listed in the exception table, e.g. probe_read()) and fixed
 * up, or a bug, which prints an oops (vector, error code, CR2, registers,
 * symbolised backtrace) and panics.
 */
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/kallsyms.h>
#include <exo/module.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <asm/processor.h>
#include <asm/traps.h>

void do_trap(struct pt_regs *regs);

static const char *const trap_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault",
	"coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection",
};

struct exception_table_entry {
	unsigned long insn;
	unsigned long fixup;
};

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

bool fixup_exception(struct pt_regs *regs)
{
	for (const struct exception_table_entry *e = __start___ex_table;
	     e < __stop___ex_table; e++) {
		if (e->insn == regs->rip) {
			regs->rip = e->fixup;
			return true;
		}
	}
	return false;
}

/*
 * Oopses in progress on this CPU.  An oops raised while printing one (a
 * corrupted module list, say) must not walk the modules again: it would
 * fault the same way, for ever.
 */
static DEFINE_PER_CPU(unsigned int, oops_depth);
extern const char _text[], _etext[];

static bool nested_oops(void)
{
	return this_cpu_read(oops_depth) > 1;
}

static void print_symbol(const char *prefix, unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long off;
	bool core = addr >= (unsigned long)_text && addr < (unsigned long)_etext;

	if ((!core && nested_oops()) || !kallsyms_lookup(addr, &off)) {
		printk(KERN_EMERG "%s[<%016lx>] ?\n", prefix, addr);
		return;
	}
	sprint_symbol(sym, addr);
	printk(KERN_EMERG "%s[<%016lx>] %s\n", prefix, addr, sym);
}

/* A frame pointer is believable if it lies in the kernel half and is aligned. */
static bool frame_ok(unsigned long fp)
{
	return fp >= 0xffff800000000000UL && !(fp & 7);
}

void show_backtrace(unsigned long rbp, unsigned long rip)
{
	printk(KERN_EMERG "Call trace:\n");
	if (rip)
		print_symbol("  ", rip);
	for (int depth = 0; depth < 32 && frame_ok(rbp); depth++) {
		unsigned long *frame = (unsigned long *)rbp;
		unsigned long ret = frame[1];

		if (!ret)
			break;
		print_symbol("  ", ret);
		if (frame[0] <= rbp)
			break;	/* the chain must go up the stack */
		rbp = frame[0];
	}
}

void dump_stack(void)
{
	show_backtrace((unsigned long)__builtin_frame_address(0), 0);
}

void show_regs(const struct pt_regs *r)
{
	printk(KERN_EMERG "RIP: %04lx:%016lx RFLAGS: %08lx\n", r->cs, r->rip, r->rflags);
	print_symbol("RIP is at ", r->rip);
	printk(KERN_EMERG "RSP: %04lx:%016lx\n", r->ss, r->rsp);
	printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
	printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
	printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n", r->rbp, r->r8, r->r9);
	printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
	printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
	printk(KERN_EMERG "CR2: %016lx CR3: %016lx CR4: %016lx\n",
	       read_cr2(), read_cr3(), read_cr4());
}

bool (*page_fault_hook)(struct pt_regs *regs, unsigned long addr);
bool (*nmi_handler_hook)(struct pt_regs *regs);
bool (*debug_trap_hook)(struct pt_regs *regs);

void do_trap(struct pt_regs *regs)
{
	unsigned int vec = regs->vector;
	unsigned long cr2 = vec == X86_TRAP_PF ? read_cr2() : 0;

	if (vec == X86_TRAP_NMI && nmi_handler_hook && nmi_handler_hook(regs))
		return;
	if (vec == X86_TRAP_DB && debug_trap_hook && debug_trap_hook(regs))
		return;
	if (fixup_exception(regs))
		return;
	if (vec == X86_TRAP_PF && page_fault_hook && page_fault_hook(regs, cr2))
		return;

	printk(KERN_EMERG "Oops: %s (vector %u) error code 0x%lx on CPU %u\n",
	       vec < 32 && trap_names[vec] ? trap_names[vec] : "exception",
	       vec, regs->error_code, smp_processor_id());
	if (vec == X86_TRAP_PF)
		printk(KERN_EMERG "page fault at address %016lx (%s, %s)%s\n", cr2,
		       regs->error_code & 2 ? "write" : "read",
		       regs->error_code & 1 ? "protection violation" : "not present",
		       regs->error_code & 16 ? " instruction fetch" : "");
	if (vec == X86_TRAP_DF)
		printk(KERN_EMERG "double fault: kernel stack overflow? (RSP %016lx)\n",
		       regs->rsp);
	this_cpu_inc(oops_depth);
	show_regs(regs);
	show_backtrace(regs->rbp, regs->rip);
	/* After the registers: a bad module list must not hide them. */
	if (nested_oops())
		printk(KERN_EMERG "Modules linked in: (skipped in a nested oops)\n");
	else
		print_modules();
	panic("fatal exception %u", vec);
}
