// SPDX-License-Identifier: GPL-2.0
/*
 * The function tracer.  The kernel and modules are built with
 * -fpatchable-function-entry=5,0: each function not marked notrace
 * starts with five bytes of NOPs, its "site", and the compiler lists the
 * sites in __patchable_function_entries (the kernel's: __start_mcount_loc,
 * sorted by ftrace_init(); a module's: taken at load).  Tracing a
 * function rewrites its site into "call ftrace_caller"
 * (arch/x86/kernel/ftrace_64.S), which calls ftrace_handler() with the
 * function's address and its caller's; the handler writes a record to
 * the trace buffer, which trace_show() prints in ftrace's function
 * tracer format, "func <-parent".
 *
 * The sites are written as the static keys' are, by text_poke_batch():
 * through a writable, non-executable alias while every other CPU waits
 * with interrupts off (arch/x86/kernel/text_patch.c).  A site holds one
 * instruction at a time (ftrace_init() makes gcc's five 1-byte NOPs one
 * NOP5 before the other CPUs start), so no CPU resumes inside a new one.
 *
 * Not traced, besides this directory (ccflags-remove-y): the text
 * patcher, the exception handlers (traps.c) and cross-CPU calls, the
 * clock, the sanitizers' runtimes (their Makefiles), and whatever is
 * notrace, which includes the code that runs in the interrupted context
 * on the way in and out of an interrupt: do_interrupt() and the softirq
 * entry (irq_exit_softirq(), handle_softirqs()).
 * A function the handler calls that is traced recurses into the handler
 * once: a per-CPU bit per context (task, softirq, hardirq, exception or
 * NMI; Linux's trace_test_and_set_recursion()) drops that record and
 * counts it in ftrace_lost, which the trace header shows.  An interrupt
 * arriving while a record is written is another context once its count
 * is added: the calls its handlers and softirqs make are recorded (an
 * exception or NMI nested in another is not: counted lost).
 *
 * Locks: ftrace_lock protects the tables, the sites' text and the glob;
 * order module_mutex, ftrace_lock, trace_lock, text_mutex.
 */
#include <exo/elf.h>
#include <exo/errno.h>
#include <exo/ftrace.h>
#include <exo/init.h>
#include <exo/kallsyms.h>
#include <exo/kernel.h>
#include <exo/list.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/ftrace.h>
#include <asm/text-patching.h>

#include "trace.h"

extern unsigned long __start_mcount_loc[], __stop_mcount_loc[];
extern char _text[], _etext[];

/* Sites written per rendezvous (text_poke_batch() call). */
#define FTRACE_BATCH	256

struct ftrace_table {
	struct list_head list;
	struct module *mod;		/* NULL: the kernel's */
	unsigned long *sites;		/* sorted */
	unsigned int n;
};

static DEFINE_MUTEX(ftrace_lock);
static LIST_HEAD(ftrace_tables);	/* the kernel's first */
static struct ftrace_table kernel_table;
static char ftrace_glob[KSYM_NAME_LEN];	/* "" when off */
static bool ftrace_active;
static struct text_poke_loc batch[FTRACE_BATCH];
static unsigned int batch_n;

static const u8 nop5[FTRACE_INSN_SIZE] = { FTRACE_NOP5 };

/* ------------------------------------------------------------------------
 * The handler.
 */
struct ftrace_entry {
	struct trace_entry ent;
	unsigned long ip;
	unsigned long parent_ip;
};

/* A bit per context the handler is writing a record in, on this CPU. */
static DEFINE_PER_CPU(unsigned int, ftrace_recursion);
/*
 * The calls a bit of ftrace_recursion dropped on this CPU, written by that
 * CPU only; ftrace_lost_base is its value at the last reset, so that a
 * reset never writes a counter another CPU may be incrementing.
 */
static DEFINE_PER_CPU(unsigned long, ftrace_lost);
static DEFINE_PER_CPU(unsigned long, ftrace_lost_base);
#ifdef CONFIG_KTEST
void (*ftrace_test_in_record)(void);
#endif

/* The context bit of preempt count @pc: the innermost kind of context. */
static __always_inline unsigned int ftrace_context_bit(unsigned int pc)
{
	if (pc & TRAP_MASK)
		return 1U << 3;
	if (pc & HARDIRQ_MASK)
		return 1U << 2;
	if (pc & SOFTIRQ_OFFSET)
		return 1U << 1;
	return 1U << 0;
}

/* "name" or "name [module]": the symbol of @addr without its offset. */
static void print_sym(struct trace_seq *s, unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	char *plus, *mod;

	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	if (plus) {
		mod = strchr(plus, ' ');
		if (mod)
			memmove(plus, mod, strlen(mod) + 1);
		else
			*plus = '\0';
	}
	trace_seq_printf(s, "%s", buf);
}

static void ftrace_print(struct trace_seq *s, const struct trace_entry *ent)
{
	const struct ftrace_entry *e = (const struct ftrace_entry *)ent;

	print_sym(s, e->ip);
	trace_seq_printf(s, " <-");
	print_sym(s, e->parent_ip);
}

struct trace_event_call ftrace_function_event = {
	.system = "ftrace",
	.name = "function",
	.size = sizeof(struct ftrace_entry),
	.type = TRACE_TYPE_FUNCTION,
	.print = ftrace_print,
};

/* The calls dropped as recursion on every CPU since the last trace_clear(). */
unsigned long ftrace_lost_calls(void)
{
	unsigned long n = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(per_cpu(ftrace_lost, cpu)) -
		     READ_ONCE(per_cpu(ftrace_lost_base, cpu));
	return n;
}

/* Start the counts again from zero (trace_clear(), under trace_lock). */
void ftrace_lost_reset(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		WRITE_ONCE(per_cpu(ftrace_lost_base, cpu),
			   READ_ONCE(per_cpu(ftrace_lost, cpu)));
}

void notrace ftrace_handler(unsigned long ip, unsigned long parent_ip)
{
	unsigned int count = preempt_count();
	unsigned int pc = count & 0xff;	/* the traced function's */
	unsigned int bit = ftrace_context_bit(count);
	struct trace_event_buffer fb;
	struct ftrace_entry *e;

	/*
	 * The count is per CPU: preemption off first.  Not re-enabled with
	 * a reschedule: preempt_schedule() calls traced functions, which
	 * would come back here and re-enable again.  A pending switch
	 * happens at the next preemption point.
	 */
	preempt_disable();
	/*
	 * An interrupt between the test and the set is another context, and
	 * leaves the word as it found it: no atomic needed on this CPU.
	 */
	if (this_cpu_read(ftrace_recursion) & bit) {
		this_cpu_inc(ftrace_lost);
		preempt_enable_no_resched();
		return;
	}
	this_cpu_add(ftrace_recursion, bit);	/* clear: the add sets it */
	barrier();
	e = trace_event_buffer_reserve(&fb, &ftrace_function_event);
	if (e) {
		e->ent.preempt_count = pc;
		e->ip = ip;
		e->parent_ip = parent_ip;
#ifdef CONFIG_KTEST
		if (unlikely(READ_ONCE(ftrace_test_in_record)))
			ftrace_test_in_record();
#endif
		trace_event_buffer_commit(&fb);
	}
	barrier();
	this_cpu_add(ftrace_recursion, -bit);
	preempt_enable_no_resched();
}

/* ------------------------------------------------------------------------
 * The tables.
 */
static void sift_down(unsigned long *a, unsigned int root, unsigned int n)
{
	for (;;) {
		unsigned int child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		swap(a[root], a[child]);
		root = child;
	}
}

/* Heapsort: no allocation, O(n log n) whatever the order the linker left. */
static void sort_sites(unsigned long *a, unsigned int n)
{
	for (unsigned int i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (unsigned int end = n; end-- > 1;) {
		swap(a[0], a[end]);
		sift_down(a, 0, end);
	}
}

/* The index of @ip in @t, or -1. */
static int find_site(const struct ftrace_table *t, unsigned long ip)
{
	unsigned int lo = 0, hi = t->n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (t->sites[mid] == ip)
			return mid;
		if (t->sites[mid] < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void __init ftrace_init(void)
{
	unsigned long *s = __start_mcount_loc;
	unsigned int n = __stop_mcount_loc - __start_mcount_loc, kept = 0, init = 0, bad = 0;

	sort_sites(s, n);
	for (unsigned int i = 0; i < n; i++) {
		unsigned long ip = s[i];

		if (ip < (unsigned long)_text || ip > (unsigned long)_etext - FTRACE_INSN_SIZE) {
			init++;		/* __init text (freed), or a discarded function */
			continue;
		}
		if (kept && s[kept - 1] == ip)
			continue;
		if (!ftrace_is_compiler_nop((u8 *)ip)) {	/* the NOP5 too */
			bad++;
			pr_err("ftrace: %pS: no NOP at the function's entry, not traceable\n",
			       (void *)ip);
			continue;
		}
		/* Still the boot page tables: the text is writable. */
		text_poke_early((void *)ip, nop5, sizeof(nop5));
		s[kept++] = ip;
	}
	kernel_table.sites = s;
	kernel_table.n = kept;
	list_add(&kernel_table.list, &ftrace_tables);
	pr_info("ftrace: %u functions traceable (%u in init text, %u refused)\n", kept, init, bad);
}

/* The function name of site @ip of @t, or NULL. */
static const char *site_name(const struct ftrace_table *t, unsigned long ip)
{
	unsigned long off;
	const char *name;

	if (t->mod) {
		const Elf64_Sym *syms = t->mod->symtab;

		for (unsigned int i = 1; i < t->mod->nr_symtab; i++)
			if (ELF64_ST_TYPE(syms[i].st_info) == STT_FUNC &&
			    syms[i].st_shndx != SHN_UNDEF && syms[i].st_value == ip)
				return t->mod->strtab + syms[i].st_name;
		return NULL;
	}
	name = kallsyms_lookup(ip, &off);
	return name && !off ? name : NULL;
}

/* Shell-style glob: '*' any run, '?' any one character. */
static bool glob_match(const char *pat, const char *str)
{
	const char *star = NULL, *resume = NULL;

	while (*str) {
		if (*pat == '*') {
			star = ++pat;
			resume = str;
		} else if (*pat == '?' || *pat == *str) {
			pat++;
			str++;
		} else if (star) {
			pat = star;
			str = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

static int check_glob(const char *glob)
{
	size_t len = strlen(glob);

	if (!len || len >= KSYM_NAME_LEN) {
		pr_warn("trace: function glob must have 1 to %d characters (-EINVAL)\n",
			KSYM_NAME_LEN - 1);
		return -EINVAL;
	}
	for (const char *p = glob; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_.*?", *p))) {
			pr_warn("trace: bad character %#x in function glob '%s': want letters, digits, '_', '.', '*' and '?' (-EINVAL)\n",
				(unsigned char)*p, glob);
			return -EINVAL;
		}
	return 0;
}

static bool site_traced(unsigned long ip)
{
	u8 call[FTRACE_INSN_SIZE];

	return ftrace_make_call(ip, call) && !memcmp((u8 *)ip, call, sizeof(call));
}

#ifdef CONFIG_KTEST
unsigned int ftrace_test_fail_batch;

/*
 * The test's forced failure: the ftrace_test_fail_batch-th batch written
 * from now fails as a timed-out rendezvous does, nothing written, once.
 */
static int test_fail(void)
{
	if (ftrace_test_fail_batch && !--ftrace_test_fail_batch) {
		pr_info("ftrace: test hook: batch write fails (-ETIMEDOUT)\n");
		return -ETIMEDOUT;
	}
	return 0;
}
#else
static int test_fail(void)
{
	return 0;
}
#endif

static int flush_batch(void)
{
	int err = batch_n ? test_fail() : 0;

	if (!err && batch_n)
		err = text_poke_batch(batch, batch_n);

	batch_n = 0;
	return err;
}

/*
 * Make every site a call if its function matches @glob (NULL: none),
 * else a NOP5.  ftrace_lock held.  A site holding neither, or out of
 * the trampoline's reach, is skipped (logged).  Return: the functions
 * traced, or text_poke_batch()'s error (some batches may be written then).
 */
static int apply(const char *glob)
{
	struct ftrace_table *t;
	int matched = 0, err = 0;

	mutex_lock(&text_mutex);
	list_for_each_entry(t, &ftrace_tables, list) {
		for (unsigned int i = 0; i < t->n && !err; i++) {
			unsigned long ip = t->sites[i];
			const char *name = glob ? site_name(t, ip) : NULL;
			bool want = name && glob_match(glob, name), is = site_traced(ip);
			struct text_poke_loc *l;

			if (want == is) {
				matched += want;
				continue;
			}
			if (!is && memcmp((u8 *)ip, nop5, sizeof(nop5))) {
				/* Neither ours nor the NOP: someone else's, left alone. */
				pr_err("ftrace: %pS: site holds neither the NOP nor the call, skipped\n",
				       (void *)ip);
				continue;
			}
			l = &batch[batch_n];
			if (want && !ftrace_make_call(ip, l->new)) {
				pr_err("ftrace: %pS: trampoline out of a call's reach, skipped\n",
				       (void *)ip);
				continue;
			}
			if (!want)
				memcpy(l->new, nop5, sizeof(nop5));
			l->addr = (void *)ip;
			l->len = FTRACE_INSN_SIZE;
			memcpy(l->old, (u8 *)ip, FTRACE_INSN_SIZE);
			matched += want;
			batch_n++;
			if (batch_n == FTRACE_BATCH)
				err = flush_batch();
		}
	}
	if (!err)
		err = flush_batch();
	batch_n = 0;
	mutex_unlock(&text_mutex);
	return err ? err : matched;
}

/* How many functions @glob matches; ftrace_lock held. */
static int count_matches(const char *glob)
{
	struct ftrace_table *t;
	int n = 0;

	list_for_each_entry(t, &ftrace_tables, list)
		for (unsigned int i = 0; i < t->n; i++) {
			const char *name = site_name(t, t->sites[i]);

			n += name && glob_match(glob, name);
		}
	return n;
}

/*
 * Every site back to NOP5; ftrace_lock held.  The tracer is off only
 * once that succeeded: after a failure some sites may still call the
 * trampoline, so it stays active (the trace's header says so) and
 * trace_function_stop() tries again.
 */
static int stop_locked(void)
{
	int err = apply(NULL);

	if (err < 0) {
		pr_err("ftrace: restoring the sites failed (%d), the tracer stays on\n", err);
		WRITE_ONCE(ftrace_active, true);
		return err;
	}
	ftrace_glob[0] = '\0';
	WRITE_ONCE(ftrace_active, false);
	return 0;
}

/**
 * trace_function_set() - trace exactly the functions matching @glob
 * @glob: a shell glob ('*', '?') on function names, modules' included
 *
 * Replaces the previous glob: functions it matched and @glob does not
 * are no longer traced.  Functions of a module loaded later are traced
 * if they match.  On an error the tracer is as before.
 * Return: the number of functions traced; -EINVAL (logged) for an empty
 * or overlong glob or one with other characters than letters, digits,
 * '_', '.', '*' and '?'; -ENOENT (logged) when it matches no traceable
 * function; -ENOMEM for the buffer; text_poke_batch()'s error (logged:
 * every site is then restored to its NOP and the tracer is off, or, if
 * that fails too, the tracer stays on until trace_function_stop()
 * succeeds).
 */
int trace_function_set(const char *glob)
{
	int n, err;

	err = check_glob(glob);
	if (err)
		return err;
	mutex_lock(&ftrace_lock);
	n = count_matches(glob);
	if (!n) {
		pr_warn("trace: no traceable function matches '%s' (-ENOENT)\n", glob);
		err = -ENOENT;
		goto out;
	}
	mutex_lock(&trace_lock);
	err = trace_alloc_buffer();
	mutex_unlock(&trace_lock);
	if (err)
		goto out;
	n = apply(glob);
	if (n < 0) {
		err = n;
		pr_err("ftrace: tracing '%s' failed (%d), untracing every function\n", glob, err);
		stop_locked();
		goto out;
	}
	strlcpy(ftrace_glob, glob, sizeof(ftrace_glob));
	WRITE_ONCE(ftrace_active, true);
out:
	mutex_unlock(&ftrace_lock);
	return err ? err : n;
}

/**
 * trace_function_stop() - trace no function: every site back to its NOP
 *
 * Return: 0; text_poke_batch()'s error (logged), the tracer then still
 * on with some sites traced: calling again retries.
 */
int trace_function_stop(void)
{
	int err = 0;

	mutex_lock(&ftrace_lock);
	if (ftrace_active)
		err = stop_locked();
	mutex_unlock(&ftrace_lock);
	return err;
}

/** trace_function_active() - is some function traced?  Lockless. */
bool trace_function_active(void)
{
	return READ_ONCE(ftrace_active);
}

/* ------------------------------------------------------------------------
 * Modules and tests.
 */
int ftrace_add_module(struct module *mod, unsigned long *sites, unsigned int n)
{
	struct ftrace_table *t = kzalloc(sizeof(*t), GFP_KERNEL);
	unsigned long text = (unsigned long)mod->base;

	if (!t) {
		kfree(sites);
		return -ENOMEM;
	}
	t->mod = mod;
	t->sites = sites;
	t->n = n;
	sort_sites(sites, n);
	for (unsigned int i = 0; i < n; i++) {
		unsigned long ip = sites[i];

		if (ip < text || ip + FTRACE_INSN_SIZE > text + mod->text_size ||
		    (i && sites[i - 1] + FTRACE_INSN_SIZE > ip) ||
		    !ftrace_is_compiler_nop((u8 *)ip)) {
			pr_err("%s: function tracer site %#lx is not a NOP at a function's entry in its text (-EINVAL)\n",
			       mod->name, ip);
			kfree(sites);
			kfree(t);
			return -EINVAL;
		}
	}
	mutex_lock(&ftrace_lock);
	for (unsigned int i = 0; i < n; i++) {
		const char *name = ftrace_active ? site_name(t, sites[i]) : NULL;
		u8 insn[FTRACE_INSN_SIZE];

		memcpy(insn, nop5, sizeof(insn));
		if (name && glob_match(ftrace_glob, name))
			ftrace_make_call(sites[i], insn);
		/* Not yet executable: written directly. */
		text_poke_early((void *)sites[i], insn, sizeof(insn));
	}
	list_add_tail(&t->list, &ftrace_tables);
	mutex_unlock(&ftrace_lock);
	return 0;
}

void ftrace_del_module(struct module *mod)
{
	struct ftrace_table *t, *found = NULL;

	mutex_lock(&ftrace_lock);
	list_for_each_entry(t, &ftrace_tables, list)
		if (t->mod == mod) {
			found = t;
			break;
		}
	if (found)
		list_del(&found->list);
	mutex_unlock(&ftrace_lock);
	if (found) {
		kfree(found->sites);
		kfree(found);
	}
}

int ftrace_site_insn(unsigned long ip, u8 *insn)
{
	struct ftrace_table *t;
	int err = -ENOENT;

	mutex_lock(&ftrace_lock);
	list_for_each_entry(t, &ftrace_tables, list)
		if (find_site(t, ip) >= 0) {
			memcpy(insn, (u8 *)ip, FTRACE_INSN_SIZE);
			err = 0;
			break;
		}
	mutex_unlock(&ftrace_lock);
	return err;
}

unsigned int ftrace_nr_sites(void)
{
	struct ftrace_table *t;
	unsigned int n = 0;

	mutex_lock(&ftrace_lock);
	list_for_each_entry(t, &ftrace_tables, list)
		n += t->n;
	mutex_unlock(&ftrace_lock);
	return n;
}
