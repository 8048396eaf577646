/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loadable modules: what a driver writes so that the same source builds into
 * the kernel (obj-y, CONFIG_FOO=y) or into foo.ko (obj-m, CONFIG_FOO=m).
 *
 *	static int __init foo_init(void) { return pci_register_driver(&foo); }
 *	static void foo_exit(void) { pci_unregister_driver(&foo); }
 *	module_init(foo_init);
 *	module_exit(foo_exit);
 *	MODULE_LICENSE("GPL");
 *	MODULE_AUTHOR("...");
 *	MODULE_DESCRIPTION("...");
 *	MODULE_DEVICE_TABLE(pci, foo_ids);
 *
 * Built in, module_init() is a device_initcall() and module_exit() code is
 * never called.  In a module (the build passes -DMODULE), module_init()
 * makes init_module an alias of the function, the MODULE_*() tags are
 * "key=value" strings in the .modinfo section, and the generated foo.mod.c
 * adds the vermagic, the name and `struct module __this_module` in
 * .gnu.linkonce.this_module, which the loader uses in place.
 * See Documentation/modules.rst.
 */
#ifndef _EXO_MODULE_H
#define _EXO_MODULE_H

#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/list.h>
#include <exo/types.h>

struct kernel_param;

#define MODULE_NAME_LEN		56
#define MODULE_MAX_DEPS		16

enum module_state {
	MODULE_STATE_UNFORMED,		/* being loaded: not visible to lookups */
	MODULE_STATE_COMING,		/* init running: exports usable by itself only */
	MODULE_STATE_LIVE,
	MODULE_STATE_GOING,		/* exit running */
};

/*
 * One loaded module.  The first three fields are filled at build time (the
 * generated .mod.c); the rest belongs to kernel/module.c.  The structure
 * lives inside the module's own data, so its layout is part of the vermagic.
 */
struct module {
	char name[MODULE_NAME_LEN];
	int (*init)(void);
	void (*exit)(void);

	/* Loader state. */
	enum module_state state;
	struct list_head list;			/* on the loaded-modules list */
	atomic_t refcnt;			/* base + users (module_refcount()) */
	/*
	 * References to the module's memory (module_memory_get()): one while
	 * it is on the list, one per device whose release() or struct lies
	 * in it, and, after a failed init that left users, one for all of
	 * them (@users_pin: the module_put() taking @refcnt to 0 drops it).
	 * The memory is freed at the last one, at unload or later.
	 */
	atomic_t mem_refs;
	bool users_pin;
	struct list_head free_node;		/* waiting for module_free_work */
	struct module *deps[MODULE_MAX_DEPS];	/* modules we link against */
	unsigned int nr_deps;
	const struct kernel_symbol *syms, *gpl_syms;
	unsigned int nr_syms, nr_gpl_syms;
	const char *license;			/* in .modinfo (module memory) */
	const char *description;
	const char *vermagic;
	bool gpl_ok;				/* license is GPL-compatible */
	void *base;				/* module_alloc() region */
	size_t size;				/* bytes in it */
	size_t text_size, ro_size;		/* text | rodata | data, page-aligned */
	unsigned int nr_device_ids;		/* entries in MODULE_DEVICE_TABLE(pci) */
	const void *pci_ids;			/* that table (struct pci_device_id[]) */
	const char *modinfo;			/* the .modinfo strings, in module memory */
	size_t modinfo_size;
	const struct kernel_param *kp;		/* its __param section (module memory) */
	unsigned int num_kp;
	/* Symbol table, kept in module memory for backtraces (%pS). */
	const void *symtab;
	const char *strtab;
	unsigned int nr_symtab;
	/*
	 * Load address of each section of the .ko, by ELF section index (0
	 * for those not loaded): what a debugger needs to place the file's
	 * debug information (scripts/gdb lx-symbols, add-symbol-file -s).
	 */
	const unsigned long *sect_addrs;
	unsigned int nr_sects;
};

#ifdef MODULE
extern struct module __this_module;
# define THIS_MODULE (&__this_module)
#else
# define THIS_MODULE ((struct module *)NULL)
#endif

#define ___MODULE_PASTE(a, b)	a##b
#define __MODULE_PASTE(a, b)	___MODULE_PASTE(a, b)
#define __MODULE_UNIQUE_ID(p)	__MODULE_PASTE(__MODULE_PASTE(__UNIQUE_ID_, p), __COUNTER__)

/* An alias must carry its target's attributes (__init is cold). */
#if defined(__has_attribute) && __has_attribute(__copy__)
# define __mod_copy(fn)	__attribute__((__copy__(fn)))
#else
# define __mod_copy(fn)
#endif

#ifdef MODULE
# define module_init(fn)						\
	static inline initcall_t __maybe_unused __inittest(void) { return fn; } \
	int init_module(void) __mod_copy(fn) __attribute__((alias(#fn)))
# define module_exit(fn)						\
	static inline void (*__maybe_unused __exittest(void))(void) { return fn; } \
	void cleanup_module(void) __mod_copy(fn) __attribute__((alias(#fn)))
# define __MODULE_INFO(tag, info)					\
	static const char __MODULE_UNIQUE_ID(tag)[] __used __aligned(1)	\
		__section(".modinfo") = #tag "=" info
# define MODULE_DEVICE_TABLE(type, name)				\
	__MODULE_INFO(device_table, #type ":" #name);			\
	extern __typeof__(name) __mod_##type##__device_table		\
		__attribute__((unused, alias(#name)))
#else
# define module_init(fn)	device_initcall(fn)
/* Built-in code is never unloaded; the reference keeps fn "used". */
# define module_exit(fn)						\
	static void (*const __maybe_unused __exitcall_##fn)(void) = fn
# define __MODULE_INFO(tag, info)	_Static_assert(1, #tag)
# define MODULE_DEVICE_TABLE(type, name) _Static_assert(1, #name)
#endif

#define MODULE_LICENSE(l)	__MODULE_INFO(license, l)
#define MODULE_AUTHOR(a)	__MODULE_INFO(author, a)
#define MODULE_DESCRIPTION(d)	__MODULE_INFO(description, d)
#define MODULE_VERSION(v)	__MODULE_INFO(version, v)

#ifdef CONFIG_MODULES
/**
 * load_module() - link and start a module from an ELF relocatable image
 * @image: the .ko file's bytes (not modified, may be read-only)
 * @len: its size
 * @modp: set to the live module on success (may be NULL)
 *
 * Validates the file, places its sections in module memory (text RX,
 * rodata R, data RW+NX), resolves its undefined symbols against the kernel
 * and the loaded modules' exports, relocates it and runs its init.  Every
 * failure is logged in one line naming the module and leaves nothing
 * allocated.
 *
 * Return: 0; -ENOEXEC malformed file (header, sections, relocations);
 * -EINVAL bad vermagic, missing name or this_module; -ENOENT unknown
 * symbol; -EPERM GPL-only symbol from a non-GPL module; -EEXIST a module
 * of that name or an export of that name is already there; -ERANGE a
 * relocation overflows; -E2BIG too many sections, symbols or dependencies;
 * -ENOMEM; or the error init_module() returned.
 */
int load_module(const void *image, size_t len, struct module **modp);

/**
 * load_module_args() - load_module() with parameters
 * @image: the .ko file's bytes
 * @len: its size
 * @args: "key=value ..." for the module's parameters (module_param()), or
 *	NULL; applied after the kernel command line's "name.key=value" words
 * @modp: set to the live module on success (may be NULL)
 *
 * Return: as load_module(); also -EINVAL when a parameter value is
 * refused (logged: module, parameter, value, type wanted; nothing loaded).
 */
int load_module_args(const void *image, size_t len, const char *args, struct module **modp);

/**
 * unload_module() - run a module's exit and free it
 * @name: module name
 *
 * Return: 0; -ENOENT no such module; -EBUSY other modules use it, or it
 * has no exit function (cannot be unloaded safely).
 */
int unload_module(const char *name);

/**
 * find_module() - live module by name
 * Return: the module, or NULL.
 */
struct module *find_module(const char *name);

/**
 * find_module_get() - live module by name, with a reference
 * @name: the module's name
 *
 * Unlike find_module(), whose pointer may be freed by a concurrent unload
 * before the caller uses it, this takes try_module_get() under the loader's
 * lock; the caller drops it with module_put().
 *
 * Return: the referenced module, or NULL (none, or being unloaded).
 */
struct module *find_module_get(const char *name);

/**
 * find_exported_symbol() - address of an exported symbol (kernel or live
 * module), or 0 if nothing exports @name
 */
unsigned long find_exported_symbol(const char *name);

/**
 * try_module_get() - take a reference on @mod before calling into it
 * @mod: the module, or NULL (built-in code: always succeeds)
 *
 * Context: any.
 * Return: true if @mod is COMING or LIVE and now cannot be unloaded until
 * the matching module_put(); false once unloading (or a failed init) has
 * started.
 */
bool try_module_get(struct module *mod);

/**
 * module_put() - drop a reference try_module_get() took
 * @mod: the module, or NULL
 *
 * A put with no get to match (it would take the module's base reference
 * while it is not being unloaded) is refused with an error line and a
 * WARN.
 * Context: any.
 */
void module_put(struct module *mod);

/**
 * module_refcount() - current number of users of @mod
 */
int module_refcount(struct module *mod);

/**
 * module_for_each() - call @fn for each live module until it returns
 * non-zero; returns that value.  Under the loader's mutex: @fn must not
 * load or unload modules.
 */
int module_for_each(int (*fn)(struct module *mod, void *data), void *data);

/**
 * module_nr_loaded() - number of modules on the list (any state)
 */
unsigned int module_nr_loaded(void);

/**
 * module_bytes_allocated() - bytes of module memory the loader holds
 *
 * For leak checks in tests: counts every loaded module's memory, and the
 * memory of unloaded modules still kept by module_memory_get() references
 * until module_flush_frees() has run their frees.
 * Context: any; lockless snapshot.
 * Return: the total size of the module_alloc() areas not yet freed.
 */
size_t module_bytes_allocated(void);

/**
 * module_memory_get() - keep the memory of the module that holds @addr
 * @addr: an address in a module's text or data (a release() function, a
 *	struct device)
 *
 * For the driver core: a device whose release() is module code (or which
 * lives in module data) may get its last put_device() after its module
 * was unloaded; with this reference the module's memory stays until the
 * matching module_memory_put(), so that release runs in code that is
 * still there.  The module's exports and its name are gone from then on
 * (it is off the list); its dependencies stay referenced.
 * Context: any; lockless (interrupts off for the walk).
 * Return: the module, whose memory is referenced, or NULL if @addr is in
 * no loaded module.
 */
struct module *module_memory_get(unsigned long addr);

/**
 * module_memory_put() - drop a reference module_memory_get() took
 * @mod: the module, or NULL
 *
 * The last reference of a module already unloaded (or whose init failed)
 * frees its memory, from a work item on the "module_free" workqueue
 * (module_mutex is needed), and logs it.
 * Context: any.
 */
void module_memory_put(struct module *mod);

/**
 * module_flush_frees() - wait until the frees queued by module_memory_put()
 * and module_put() are done (tests: memory back to its baseline)
 *
 * The frees run on the "module_free" workqueue and take module_mutex.
 * Context: process; may sleep.  Must not be called with module_mutex held
 * (from a module's init or exit, or a module_for_each() callback): the
 * free it waits for needs that mutex.
 */
void module_flush_frees(void);

/**
 * boot_module_find() - a .ko handed over by the boot loader, by name
 * @name: module name, without ".ko"
 * @len: set to its size
 *
 * Looks in every boot module: a bare .ko (named by its command line) or a
 * newc cpio archive of .ko files (the QEMU -initrd path).
 *
 * Return: the file's bytes in the direct map, or NULL.
 */
const void *boot_module_find(const char *name, size_t *len);

/**
 * print_modules() - "Modules linked in:" with each module's load address
 *
 * What an oops prints after its registers and backtrace, so that a module's backtrace
 * offsets can be matched to its .ko file.  Lockless: for crash paths.
 */
void print_modules(void);
#else
static inline void print_modules(void) { }
static inline int load_module(const void *image, size_t len, struct module **modp)
{
	return -ENOSYS;
}
static inline int load_module_args(const void *image, size_t len, const char *args,
				   struct module **modp)
{
	return -ENOSYS;
}
static inline int unload_module(const char *name) { return -ENOENT; }
static inline unsigned long find_exported_symbol(const char *name) { return 0; }
static inline unsigned int module_nr_loaded(void) { return 0; }
static inline const void *boot_module_find(const char *name, size_t *len) { return NULL; }
static inline struct module *find_module(const char *name) { return NULL; }
static inline struct module *find_module_get(const char *name) { return NULL; }
static inline bool try_module_get(struct module *mod) { return true; }
static inline void module_put(struct module *mod) { }
static inline int module_refcount(struct module *mod) { return 0; }
static inline struct module *module_memory_get(unsigned long addr) { return NULL; }
static inline void module_memory_put(struct module *mod) { }
static inline void module_flush_frees(void) { }
static inline size_t module_bytes_allocated(void) { return 0; }
static inline int module_for_each(int (*fn)(struct module *mod, void *data), void *data)
{
	return 0;
}
#endif

#include <exo/moduleparam.h>

#endif /* _EXO_MODULE_H */
