// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol table lookup.  scripts/kallsyms writes the table into .kallsyms
 * (layout: u64 count, u64 sorted addresses[count], u32 name offsets[count],
 * string table); the first link of vmlinux has an empty section.
 */
#include <exo/kallsyms.h>
#include <exo/string.h>

extern const char __kallsyms_start[], __kallsyms_end[];
extern const char _text[], _etext[];

const char *(*module_address_lookup)(unsigned long addr, unsigned long *offset,
				     const char **modname);

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

const char *kallsyms_lookup(unsigned long addr, unsigned long *offset)
{
	struct ksym_table t;
	u64 lo = 0, hi;

	if (addr < (unsigned long)_text || addr >= (unsigned long)_etext) {
		const char *mod;

		if (module_address_lookup)
			return module_address_lookup(addr, offset, &mod);
		return NULL;
	}
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
