// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol table lookup.  scripts/kallsyms writes the table into .kallsyms
 * (layout: u64 count, u64 sorted addresses[count], u32 name offsets[count],
 * string table); the first link of vmlinux has an empty section.
 */
#include <exo/export.h>
#include <exo/kallsyms.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/spinlock.h>
#include <exo/string.h>

extern const char __kallsyms_start[], __kallsyms_end[];
extern const char _text[], _etext[];

struct ksym_table {
	u64 num;
	const u64 *addrs;
	const u32 *names;
	const char *strtab;
};

static bool get_table(struct ksym_table *t)
{
	const char *p = __kallsyms_start;

	if (__kallsyms_end - __kallsyms_start < 8)
		return false;
	t->num = *(const u64 *)p;
	t->addrs = (const u64 *)(p + 8);
	t->names = (const u32 *)(t->addrs + t->num);
	t->strtab = (const char *)(t->names + t->num);
	return t->num > 0;
}

/* The symbol covering @addr; *@modname: its module's name, NULL in vmlinux. */
static const char *lookup(unsigned long addr, unsigned long *offset, const char **modname)
{
	struct ksym_table t;
	u64 lo = 0, hi;

	*modname = NULL;
	if (addr < (unsigned long)_text || addr >= (unsigned long)_etext)
		return module_address_lookup(addr, offset, modname);
	if (!get_table(&t))
		return NULL;
	hi = t.num;
	/* Last symbol with address <= addr. */
	while (hi - lo > 1) {
		u64 mid = (lo + hi) / 2;

		if (t.addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (t.addrs[lo] > addr)
		return NULL;
	*offset = addr - t.addrs[lo];
	return t.strtab + t.names[lo];
}

const char *kallsyms_lookup(unsigned long addr, unsigned long *offset)
{
	const char *modname;

	return lookup(addr, offset, &modname);
}

int sprint_symbol(char *buffer, unsigned long address)
{
	const char *modname, *name;
	unsigned long off, flags;
	int n;

	/* A module's names stay valid until we allow its unload to finish. */
	local_irq_save(flags);
	name = lookup(address, &off, &modname);
	if (!name)
		n = snprintf(buffer, KSYM_SYMBOL_LEN, "0x%lx", address);
	else if (modname)
		n = snprintf(buffer, KSYM_SYMBOL_LEN, "%s+0x%lx [%s]", name, off, modname);
	else
		n = snprintf(buffer, KSYM_SYMBOL_LEN, "%s+0x%lx", name, off);
	local_irq_restore(flags);
	/* snprintf() returns what it wanted to write: give what it wrote. */
	return min_t(int, n, KSYM_SYMBOL_LEN - 1);
}
EXPORT_SYMBOL_GPL(sprint_symbol);

unsigned long kallsyms_lookup_name(const char *name)
{
	struct ksym_table t;

	if (!get_table(&t))
		return 0;
	for (u64 i = 0; i < t.num; i++)
		if (!strcmp(t.strtab + t.names[i], name))
			return t.addrs[i];
	return 0;
}
