// SPDX-License-Identifier: GPL-2.0
/*
 * Loadable modules: an ELF64 relocatable object (.ko) linked into the
 * running kernel.
 *
 * Goal: accept exactly the files our build produces and refuse everything
 * else with one clear line, leaving nothing behind.  The image is never
 * written (it may be a boot module or a blob in .rodata); everything the
 * loader derives lives in one scratch block freed at the end.
 *
 * Steps, each of which can refuse the file:
 *  1. ELF header: class, data, version, type ET_REL, machine x86-64,
 *     section table inside the file.
 *  2. Section table: every section's bytes inside the file, no two
 *     sections (or a section and the headers) overlapping, sane alignment,
 *     string tables NUL-terminated, one symbol table, RELA tables that
 *     point at real sections.  SHT_REL is refused (x86-64 uses RELA).
 *  3. .modinfo: vermagic equal to ours (kernel release + config hash),
 *     a name not loaded yet, the license (decides GPL-only symbols).
 *  4. Layout: SHF_ALLOC sections in three page-aligned regions of one
 *     module_alloc() block: text (RX), rodata (R), data + bss (RW, NX),
 *     followed in the data region by a copy of the symbol table for
 *     backtraces.
 *  5. Symbols: undefined ones resolved against the kernel's export table
 *     (sorted by the linker script: bisection) and the live modules'
 *     exports; each module we resolve against becomes a dependency and
 *     gets a reference.
 *  6. Relocations: R_X86_64_64, PC32, PLT32, 32, 32S, PC64, each with its
 *     offset inside the target section and an overflow check.
 *  7. Exports: the module's own __ksymtab entries must point inside the
 *     module and not clash with an existing export.
 *  8. Permissions, then init_module(); an error from init unwinds all.
 *
 * Invariants: a module on modules_list in state COMING or LIVE has all
 * its dependencies LIVE with refcnt counting it; refcnt is a base
 * (MODULE_REF_BASE) plus one per user, and a module with users cannot be
 * unloaded.  module_mutex serialises load and unload (init and
 * exit run under it: they must not load or unload modules).
 *
 * The boot loader's modules are found and loaded by kernel/module_boot.c,
 * the shell's lsmod, modinfo, insmod and rmmod are kernel/module_shell.c.
 */
#define pr_fmt(fmt) "module: " fmt

#include <exo/atomic.h>
#include <exo/device.h>
#include <exo/elf.h>
#include <exo/errno.h>
#include <exo/ftrace.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kallsyms.h>
#include <exo/kernel.h>
#include <exo/modload.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/page_alloc.h>
#include <exo/pci.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/workqueue.h>
#include <generated/compile.h>
#include <asm/page.h>
#include <trace/events/module.h>

#include "module-internal.h"
#include "module_elf.h"

/* ------------------------------------------------------------------------
 * The module list and module_mutex, which serialises loads and unloads and
 * protects the list.  It is held across a module's init and exit, which
 * may sleep and register drivers (the device core's locks nest inside it).
 */
LIST_HEAD(modules_list);
DEFINE_MUTEX(module_mutex);

/*
 * Oops and %pS walk modules_list without module_mutex, with interrupts off.
 * Writers (under module_mutex) publish a module with a release store of the
 * link that makes it reachable, and unlink it without touching its own next
 * pointer, so a walker standing on it still reaches the head; the memory is
 * freed only after an IPI to every CPU has come back, which a CPU with
 * interrupts off cannot answer until its walk is over.
 */
static void module_list_add(struct module *mod)
{
	struct list_head *prev = modules_list.prev;

	mod->list.next = &modules_list;
	mod->list.prev = prev;
	smp_store_release(&prev->next, &mod->list);
	modules_list.prev = &mod->list;
}

static void sync_nop(void *info)
{
}

static void module_list_del(struct module *mod)
{
	mod->list.next->prev = mod->list.prev;
	WRITE_ONCE(mod->list.prev->next, mod->list.next);
	on_each_cpu(sync_nop, NULL, true);
}

/* Bounds a lockless walk: a list corrupted into a cycle must not hang an oops. */
#define MODULES_WALK_MAX	1024
#define for_each_module_lockless(m, n)						\
	for (m = list_entry(smp_load_acquire(&modules_list.next), struct module, list), n = 0; \
	     &m->list != &modules_list && n < MODULES_WALK_MAX;			\
	     m = list_entry(smp_load_acquire(&m->list.next), struct module, list), n++)
static size_t bytes_allocated;

size_t module_bytes_allocated(void)
{
	return READ_ONCE(bytes_allocated);
}

unsigned int module_nr_loaded(void)
{
	struct module *m;
	unsigned int n = 0;

	mutex_lock(&module_mutex);
	list_for_each_entry(m, &modules_list, list)
		n++;
	mutex_unlock(&module_mutex);
	return n;
}

struct module *__find_module(const char *name)
{
	struct module *m;

	list_for_each_entry(m, &modules_list, list)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

struct module *find_module(const char *name)
{
	struct module *m;

	mutex_lock(&module_mutex);
	m = __find_module(name);
	if (m && m->state != MODULE_STATE_LIVE)
		m = NULL;
	mutex_unlock(&module_mutex);
	return m;
}

struct module *find_module_get(const char *name)
{
	struct module *m;

	/* Under module_mutex the module cannot be freed between find and get. */
	mutex_lock(&module_mutex);
	m = __find_module(name);
	if (m && (m->state != MODULE_STATE_LIVE || !try_module_get(m)))
		m = NULL;
	mutex_unlock(&module_mutex);
	return m;
}
EXPORT_SYMBOL_GPL(find_module_get);

/*
 * Unload against try_module_get(), as in Linux: a module that can be got
 * holds MODULE_REF_BASE in refcnt besides its users.  Unloading removes the
 * base atomically, and only if nothing else is there (try_stop_module());
 * a getter increments refcnt only while it is not zero, so once the base
 * is gone no getter can succeed, whatever it read of the state before.
 * The state (GOING) then tells new getters early; it is written under
 * module_mutex, which serialises the unloaders.
 */
#define MODULE_REF_BASE	1

static bool atomic_inc_not_zero(atomic_t *v)
{
	int old = atomic_read(v);

	do {
		if (!old)
			return false;
	} while (!atomic_try_cmpxchg(v, &old, old + 1));
	return true;
}

#ifdef CONFIG_KTEST
void (*try_module_get_test_hook)(struct module *mod);
#endif

bool try_module_get(struct module *mod)
{
	enum module_state state;

	if (!mod)
		return true;
	state = READ_ONCE(mod->state);
	if (state != MODULE_STATE_LIVE && state != MODULE_STATE_COMING)
		return false;
#ifdef CONFIG_KTEST
	/* A ktest unloads its fake module here, after the state was read LIVE. */
	{
		void (*hook)(struct module *) = READ_ONCE(try_module_get_test_hook);

		if (unlikely(hook))
			hook(mod);
	}
#endif
	return atomic_inc_not_zero(&mod->refcnt);
}
EXPORT_SYMBOL(try_module_get);

void module_put(struct module *mod)
{
	int old;

	if (!mod)
		return;
	old = atomic_read(&mod->refcnt);
	do {
		/*
		 * Only an unload (GOING) gives up the base: a put that would
		 * eat it has no get to match, and is refused.
		 */
		if (old <= 0 || (old <= MODULE_REF_BASE &&
				 READ_ONCE(mod->state) != MODULE_STATE_GOING)) {
			pr_err("module_put: %s: reference count underflow\n", mod->name);
			WARN_ON(1);
			return;
		}
	} while (!atomic_try_cmpxchg(&mod->refcnt, &old, old - 1));
	/* The last user of a module whose init failed: its memory may go. */
	if (old == 1 && READ_ONCE(mod->users_pin))
		module_memory_put(mod);
}
EXPORT_SYMBOL(module_put);

int module_refcount(struct module *mod)
{
	int n = atomic_read(&mod->refcnt);

	/* A module being unloaded has given up its base. */
	if (READ_ONCE(mod->state) == MODULE_STATE_GOING)
		return n;
	return n > 0 ? n - MODULE_REF_BASE : 0;
}

int try_stop_module(struct module *mod)
{
	int old = MODULE_REF_BASE;

	/*
	 * Drop the base only if it is all there is, in one step: the count
	 * never dips below its users, so module_put() can tell an unbalanced
	 * put from a racing unload.
	 */
	if (!atomic_try_cmpxchg(&mod->refcnt, &old, 0))
		return -EBUSY;
	WRITE_ONCE(mod->state, MODULE_STATE_GOING);
	return 0;
}

void module_ref_init(struct module *mod)
{
	atomic_set(&mod->refcnt, MODULE_REF_BASE);
}

int module_for_each(int (*fn)(struct module *mod, void *data), void *data)
{
	struct module *mod;
	int ret = 0;

	mutex_lock(&module_mutex);
	list_for_each_entry(mod, &modules_list, list) {
		if (mod->state != MODULE_STATE_LIVE)
			continue;
		ret = fn(mod, data);
		if (ret)
			break;
	}
	mutex_unlock(&module_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(module_for_each);

/* ------------------------------------------------------------------------
 * Export tables.
 */
extern const struct kernel_symbol __start___ksymtab[], __stop___ksymtab[];
extern const struct kernel_symbol __start___ksymtab_gpl[], __stop___ksymtab_gpl[];

static const struct kernel_symbol *bsearch_sym(const struct kernel_symbol *lo,
					       const struct kernel_symbol *hi, const char *name)
{
	while (lo < hi) {
		const struct kernel_symbol *mid = lo + (hi - lo) / 2;
		int c = strcmp(name, mid->name);

		if (!c)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const struct kernel_symbol *lsearch_sym(const struct kernel_symbol *s, unsigned int n,
					       const char *name)
{
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return &s[i];
	return NULL;
}

/*
 * Exported symbol @name: kernel first, then modules (except @self).
 * @owner is set to the exporting module (NULL: the kernel), @gpl to
 * whether the export is GPL-only.
 */
static const struct kernel_symbol *find_symbol(const char *name, const struct module *self,
					       struct module **owner, bool *gpl)
{
	const struct kernel_symbol *s;
	struct module *m;

	*owner = NULL;
	*gpl = false;
	s = bsearch_sym(__start___ksymtab, __stop___ksymtab, name);
	if (s)
		return s;
	s = bsearch_sym(__start___ksymtab_gpl, __stop___ksymtab_gpl, name);
	if (s) {
		*gpl = true;
		return s;
	}
	list_for_each_entry(m, &modules_list, list) {
		if (m == self || m->state == MODULE_STATE_UNFORMED ||
		    m->state == MODULE_STATE_GOING)
			continue;
		*owner = m;
		s = lsearch_sym(m->syms, m->nr_syms, name);
		if (s)
			return s;
		s = lsearch_sym(m->gpl_syms, m->nr_gpl_syms, name);
		if (s) {
			*gpl = true;
			return s;
		}
	}
	*owner = NULL;
	return NULL;
}

unsigned long find_exported_symbol(const char *name)
{
	const struct kernel_symbol *s;
	struct module *owner;
	bool gpl;

	mutex_lock(&module_mutex);
	s = find_symbol(name, NULL, &owner, &gpl);
	mutex_unlock(&module_mutex);
	return s ? s->value : 0;
}

/* ------------------------------------------------------------------------
 * Loading: the ELF work is kernel/module_elf.c's; these are its callbacks.
 */
static void *kernel_alloc(struct load_info *info, size_t size)
{
	void *p = module_alloc(size);

	if (p)
		bytes_allocated += size;
	return p;
}

static void *kernel_scratch_alloc(struct load_info *info, size_t size)
{
	info->scratch_order = order_base_2(DIV_ROUND_UP(size, PAGE_SIZE));
	return (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, info->scratch_order);
}

static bool kernel_name_taken(struct load_info *info, const char *name)
{
	return __find_module(name) != NULL;
}

static int kernel_lookup(struct load_info *info, const char *name, unsigned long *value,
			 bool *gpl, struct module **owner)
{
	const struct kernel_symbol *ks = find_symbol(name, NULL, owner, gpl);

	if (!ks)
		return -ENOENT;
	*value = ks->value;
	return 0;
}

static const struct module_elf_ops kernel_elf_ops = {
	.vermagic = VERMAGIC_STRING,
	.alloc = kernel_alloc,
	.scratch_alloc = kernel_scratch_alloc,
	.name_taken = kernel_name_taken,
	.lookup = kernel_lookup,
};

static unsigned int pages(size_t n)
{
	return n / PAGE_SIZE;
}

static void protect(struct module *m)
{
	unsigned long b = (unsigned long)m->base;
	size_t data = m->size - m->text_size - m->ro_size;

	if (m->text_size) {
		set_memory_ro(b, pages(m->text_size));
		set_memory_x(b, pages(m->text_size));
	}
	if (m->ro_size) {
		set_memory_ro(b + m->text_size, pages(m->ro_size));
		set_memory_nx(b + m->text_size, pages(m->ro_size));
	}
	set_memory_nx(b + m->text_size + m->ro_size, pages(data));
}

/* Back to plain RW+NX memory before it is freed. */
static void unprotect(void *base, size_t size)
{
	/* NX first: making text writable while it is still executable is refused (W^X). */
	set_memory_nx((unsigned long)base, pages(size));
	set_memory_rw((unsigned long)base, pages(size));
}

static void drop_deps(struct module **deps, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		module_put(deps[i]);
}

/*
 * The module's static-branch sites (its __jump_table section), set for
 * their keys' states while the text is still writable.
 */
static int load_jump_table(struct load_info *info)
{
#ifdef CONFIG_JUMP_LABEL
	for (unsigned int i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *s = &info->sh[i];

		if (!(s->sh_flags & SHF_ALLOC) || s->sh_name >= info->shstr_size ||
		    strcmp(info->shstr + s->sh_name, "__jump_table"))
			continue;
		if (s->sh_type != SHT_PROGBITS || s->sh_size % sizeof(struct jump_entry) ||
		    !IS_ALIGNED(info->secaddr[i], __alignof__(struct jump_entry))) {
			load_err(info, "malformed __jump_table section");
			return -ENOEXEC;
		}
		return jump_label_add_module(info->mod, (struct jump_entry *)info->secaddr[i],
					     s->sh_size / sizeof(struct jump_entry));
	}
#endif
	return 0;
}

/*
 * The module's function tracer sites (its __patchable_function_entries
 * sections: ld -r keeps one per text section), handed to the tracer
 * while the text is still writable.
 */
static int load_ftrace_sites(struct load_info *info)
{
#ifdef CONFIG_FUNCTION_TRACER
	static const char name[] = "__patchable_function_entries";
	unsigned long *sites = NULL;
	unsigned int n = 0;

	for (int pass = 0; pass < 2; pass++) {
		unsigned int k = 0;

		for (unsigned int i = 1; i < info->shnum; i++) {
			const Elf64_Shdr *s = &info->sh[i];

			if (!(s->sh_flags & SHF_ALLOC) || s->sh_name >= info->shstr_size ||
			    strcmp(info->shstr + s->sh_name, name))
				continue;
			if (!pass && (s->sh_type != SHT_PROGBITS || s->sh_size % sizeof(long) ||
				      !IS_ALIGNED(info->secaddr[i], sizeof(long)))) {
				load_err(info, "malformed __patchable_function_entries section");
				return -ENOEXEC;
			}
			if (!pass)
				n += s->sh_size / sizeof(long);
			else
				memcpy(&sites[k], (void *)info->secaddr[i], s->sh_size);
			k += s->sh_size / sizeof(long);
		}
		if (!pass) {
			if (!n)
				return 0;
			sites = kmalloc_array(n, sizeof(*sites), GFP_KERNEL);
			if (!sites)
				return -ENOMEM;
		}
	}
	return ftrace_add_module(info->mod, sites, n);
#else
	return 0;
#endif
}

static int do_load(struct load_info *info)
{
	int ret = module_elf_load(info);

	if (!ret)
		ret = load_jump_table(info);
	if (!ret)
		ret = load_ftrace_sites(info);
	if (!ret)
		protect(info->mod);
	return ret;
}

void free_load_info(struct load_info *info)
{
	if (info->scratch)
		free_pages((unsigned long)info->scratch, info->scratch_order);
	if (info->copy)
		free_pages((unsigned long)info->copy, info->copy_order);
}

static void free_module_memory(void *base, size_t size)
{
	unprotect(base, size);
	module_memfree(base);
	bytes_allocated -= size;
}

/*
 * The two debugger hooks, as on Linux: out of line and global so that gdb
 * can stop on them (scripts/gdb lx-symbols).  do_init_module() runs with
 * @mod on the list and its sections in place, before any of its code, so
 * the debugger loads its symbols in time for breakpoints in its init;
 * free_module() runs once @mod is off the list, before its memory goes.
 */
noinline int do_init_module(struct module *mod)
{
	return mod->init ? mod->init() : 0;
}

noinline void free_module(struct module *mod)
{
	jump_label_del_module(mod);	/* no flip may write into freed text */
	ftrace_del_module(mod);
	free_module_memory(mod->base, mod->size);	/* mod itself lives in there */
}

/* ------------------------------------------------------------------------
 * The module's memory outlives its unload while something still needs it:
 * a device whose release() is in it (its last put_device() may come after
 * rmmod), or users a failed init left behind.  mem_refs counts them, plus
 * one for the list; whoever drops the last one frees the memory (and the
 * references on its dependencies, whose code it may call until then): the
 * loader at once, anyone else through module_free_work, as module_mutex
 * is needed and module_memory_put() may be called from any context.
 * That work runs on module_free_wq, a workqueue of its own: on system_wq
 * it would wait for module_mutex in the per-CPU worker that a module init
 * (holding module_mutex) may itself be waiting on (a probe flushing a
 * work queued with schedule_work()), and neither would ever finish.
 */
static LIST_HEAD(module_free_list);
static DEFINE_SPINLOCK(module_free_lock);

/* Off the list, no reference left: its dependencies, then its memory. */
static void module_release(struct module *mod)
{
	drop_deps(mod->deps, mod->nr_deps);
	free_module(mod);
}

static void module_free_fn(struct work_struct *work)
{
	unsigned long flags;

	for (;;) {
		struct module *mod = NULL;

		spin_lock_irqsave(&module_free_lock, flags);
		if (!list_empty(&module_free_list)) {
			mod = list_first_entry(&module_free_list, struct module, free_node);
			list_del(&mod->free_node);
		}
		spin_unlock_irqrestore(&module_free_lock, flags);
		if (!mod)
			return;
		mutex_lock(&module_mutex);
		pr_info("%s: the last reference to its code is gone: memory freed (%zu bytes)\n",
			mod->name, mod->size);
		module_release(mod);
		mutex_unlock(&module_mutex);
	}
}
static DECLARE_WORK(module_free_work, module_free_fn);
static struct workqueue_struct *module_free_wq;

static int __init module_free_wq_init(void)
{
	module_free_wq = alloc_workqueue("module_free", WQ_UNBOUND, 1);
	if (!module_free_wq)
		panic("module: cannot create the module_free workqueue");
	return 0;
}
postcore_initcall(module_free_wq_init);

struct module *module_memory_get(unsigned long addr)
{
	struct module *m, *found = NULL;
	unsigned long flags;
	unsigned int n;

	/*
	 * A module on the list holds its list reference, dropped only after
	 * module_list_del(), whose IPI waits for this walk: the count seen
	 * here is never 0.
	 */
	local_irq_save(flags);
	for_each_module_lockless(m, n) {
		if (addr - (unsigned long)m->base < m->size) {
			atomic_inc(&m->mem_refs);
			found = m;
			break;
		}
	}
	local_irq_restore(flags);
	return found;
}

void module_memory_put(struct module *mod)
{
	unsigned long flags;

	if (!mod || !atomic_dec_and_test(&mod->mem_refs))
		return;
	spin_lock_irqsave(&module_free_lock, flags);
	list_add_tail(&mod->free_node, &module_free_list);
	spin_unlock_irqrestore(&module_free_lock, flags);
	queue_work(module_free_wq, &module_free_work);
}

void module_flush_frees(void)
{
	flush_work(&module_free_work);
}

/*
 * Drop the list's reference to @mod's memory, @mod off the list and
 * module_mutex held: free it now, or say what keeps it (module_free_fn()
 * cannot run before module_mutex goes, so @mod is still there to name).
 */
static void module_memory_put_unlisted(struct module *mod)
{
	int left = atomic_dec_return(&mod->mem_refs);

	if (!left) {
		module_release(mod);
		return;
	}
	pr_warn("%s: %d device(s) it made are still referenced: its memory (%zu bytes) is freed when the last is released\n",
		mod->name, left, mod->size);
}

/*
 * Parameters, before init: the command line's "name.key=value" words, then
 * @args (insmod's), so that an explicit argument wins.  Linux leaves the
 * command line to modprobe; there is no user space here to do it.
 */
static int module_set_params(struct module *mod, const char *args)
{
	char prefix[MODULE_NAME_LEN + 1];
	int ret = module_check_params(mod);

	if (ret)
		return ret;
	snprintf(prefix, sizeof(prefix), "%s.", mod->name);
	ret = module_parse_args(mod, boot_command_line, "cmdline", prefix);
	if (!ret)
		ret = module_parse_args(mod, args, "arguments", NULL);
	if (ret) {
		pr_err("%s: not loaded: a parameter was refused\n", mod->name);
		module_destroy_params(mod);
	}
	return ret;
}

int load_module_args(const void *image, size_t len, const char *args, struct module **modp)
{
	struct load_info info = { .ops = &kernel_elf_ops, .label = "(unnamed .ko)", .img = image,
				  .len = len };
	struct module *mod;
	int ret, users;

	if (!image) {
		pr_err("load_module: no image\n");
		return -EINVAL;
	}
	/* The ELF structures need 8-byte alignment; cpio data has only 4. */
	if (!IS_ALIGNED((unsigned long)image, 8) && len) {
		info.copy_order = order_base_2(DIV_ROUND_UP(len, PAGE_SIZE));
		info.copy = (void *)__get_free_pages(GFP_KERNEL, info.copy_order);
		if (!info.copy) {
			pr_err("out of memory for a %zu-byte module image\n", len);
			return -ENOMEM;
		}
		memcpy(info.copy, image, len);
		info.img = info.copy;
	}
	info.hdr = (const Elf64_Ehdr *)info.img;

	mutex_lock(&module_mutex);
	ret = do_load(&info);
	if (!ret)
		ret = module_set_params(info.mod, args);
	if (ret) {
		drop_deps(info.deps, info.nr_deps);
		if (info.mod) {
			jump_label_del_module(info.mod);
			ftrace_del_module(info.mod);
		}
		if (info.base)
			free_module_memory(info.base, info.size);
		goto out;
	}
	mod = info.mod;
	module_ref_init(mod);
	atomic_set(&mod->mem_refs, 1);		/* the list's */
	mod->users_pin = false;
	INIT_LIST_HEAD(&mod->free_node);
	mod->state = MODULE_STATE_COMING;
	module_list_add(mod);
	trace_module_load(mod);
	ret = do_init_module(mod);
	if (ret) {
		pr_err("%s: init failed with error %d, unloading\n", mod->name, ret);
		if (ret > 0)
			ret = -EINVAL;
		WRITE_ONCE(mod->state, MODULE_STATE_GOING);
		driver_unregister_owner(mod);
		module_list_del(mod);
		module_destroy_params(mod);
		/*
		 * Give up the base as an unload does: a getter that read
		 * COMING fails from now.  Those that got in before keep the
		 * module's memory (and its dependencies): the list's reference
		 * to it becomes theirs, and the module_put() that takes refcnt
		 * to 0 drops it (users_pin, set before the base goes).
		 */
		WRITE_ONCE(mod->users_pin, true);
		users = atomic_add_return(-MODULE_REF_BASE, &mod->refcnt);
		if (users > 0) {
			pr_err("%s: %d users left after its failed init: its memory is freed when the last of them goes\n",
			       mod->name, users);
			goto out;
		}
		module_memory_put_unlisted(mod);
		goto out;
	}
	mod->state = MODULE_STATE_LIVE;
	pr_info("%s: loaded at %p (text %zu, rodata %zu, data %zu bytes)%s\n", mod->name,
		mod->base, mod->text_size, mod->ro_size, mod->size - mod->text_size - mod->ro_size,
		mod->nr_deps ? ", uses other modules" : "");
	if (modp)
		*modp = mod;
out:
	mutex_unlock(&module_mutex);
	free_load_info(&info);
	return ret;
}
EXPORT_SYMBOL_GPL(load_module_args);

int load_module(const void *image, size_t len, struct module **modp)
{
	return load_module_args(image, len, NULL, modp);
}
EXPORT_SYMBOL_GPL(load_module);

int module_users(struct module *mod, char *buf, size_t size)
{
	size_t n = 0;
	unsigned int mods = 0;
	struct module *u;
	int users = module_refcount(mod);

	n = snprintf(buf, size, "%s: in use by", mod->name);
	list_for_each_entry(u, &modules_list, list)
		for (unsigned int i = 0; i < u->nr_deps; i++)
			if (u->deps[i] == mod && n < size) {
				n += snprintf(buf + n, size - n, " %s", u->name);
				mods++;
			}
	if (n < size)
		snprintf(buf + n, size - n, "%s (%d users%s)", mods ? "" : " the kernel", users,
			 users > (int)mods ? ", not all of them modules" : "");
	return users;
}

/* "foo: in use by bar baz (2 users)"; other users are try_module_get()s. */
static void report_users(struct module *mod)
{
	char buf[160];

	module_users(mod, buf, sizeof(buf));
	pr_err("%s\n", buf);
}

int unload_module(const char *name)
{
	struct module *mod;
	int ret = 0;

	mutex_lock(&module_mutex);
	mod = __find_module(name);
	if (!mod || mod->state != MODULE_STATE_LIVE) {
		ret = -ENOENT;
		pr_err("%s: not loaded\n", name);
	} else if (mod->init && !mod->exit) {
		ret = -EBUSY;
		pr_err("%s: has init but no exit: cannot be unloaded\n", name);
	} else if (try_stop_module(mod)) {
		ret = -EBUSY;
		report_users(mod);
	}
	if (ret) {
		mutex_unlock(&module_mutex);
		return ret;
	}
	if (mod->exit)
		mod->exit();
	/* Its code is about to go: no driver of it may stay registered. */
	driver_unregister_owner(mod);
	module_list_del(mod);
	module_destroy_params(mod);
	pr_info("%s: unloaded\n", name);
	trace_module_free(mod);
	/* Freed now, or by the last put_device() of a device it released late. */
	module_memory_put_unlisted(mod);
	mutex_unlock(&module_mutex);
	return 0;
}
EXPORT_SYMBOL_GPL(unload_module);

/*
 * %pS and backtraces inside module text.  Lockless (also used by oops): the
 * caller keeps interrupts off while it uses the names returned.
 */
const char *module_address_lookup(unsigned long addr, unsigned long *offset,
				  const char **modname)
{
	struct module *m;
	unsigned int n;

	for_each_module_lockless(m, n) {
		const Elf64_Sym *best = NULL;
		const Elf64_Sym *syms = m->symtab;

		if (addr < (unsigned long)m->base || addr >= (unsigned long)m->base + m->text_size)
			continue;
		for (unsigned int i = 1; i < m->nr_symtab; i++) {
			const Elf64_Sym *s = &syms[i];

			if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
			    !s->st_value || s->st_value > addr)
				continue;
			if (!best || s->st_value > best->st_value)
				best = s;
		}
		*modname = m->name;
		if (!best)
			return NULL;
		*offset = addr - best->st_value;
		return m->strtab + best->st_name;
	}
	return NULL;
}

void print_modules(void)
{
	struct module *m;
	unsigned long flags;
	unsigned int n;

	local_irq_save(flags);
	printk(KERN_EMERG "Modules linked in:");
	for_each_module_lockless(m, n)
		printk(KERN_CONT " %s@%p", m->name, m->base);
	printk(KERN_CONT "%s\n", n == MODULES_WALK_MAX ? " ..." : "");
	local_irq_restore(flags);
}
