// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms - read `nm -n` output, write an assembly file with the kernel's
 * text symbols for symbolised backtraces:
 *
 *	kallsyms_num		number of entries (u64)
 *	kallsyms_addrs[]	sorted addresses (u64)
 *	kallsyms_names[]	offsets into kallsyms_strtab (u32)
 *	kallsyms_strtab		NUL-terminated names
 *
 * Everything goes into section .kallsyms, which the linker script places
 * after every other section.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sym {
	unsigned long long addr;
	char *name;
};

static int keep(char type, const char *name)
{
	if (!strchr("tTwW", type))
		return 0;
	/* local labels and linker-generated noise */
	return name[0] != '.' && strncmp(name, "__kallsyms", 10) != 0 &&
	       strcmp(name, "_text") != 0 && strcmp(name, "_etext") != 0;
}

int main(void)
{
	struct sym *syms = NULL;
	size_t n = 0, cap = 0, off = 0;
	char line[1024];

	while (fgets(line, sizeof(line), stdin)) {
		unsigned long long addr;
		char type, name[900];

		if (sscanf(line, "%llx %c %899s", &addr, &type, name) != 3)
			continue;
		if (!keep(type, name) || addr < 0xffffffff80000000ULL)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			syms = realloc(syms, cap * sizeof(*syms));
			if (!syms)
				return 1;
		}
		syms[n].addr = addr;
		syms[n].name = strdup(name);
		n++;
	}
	printf("\t.section .kallsyms, \"a\"\n\t.balign 8\n");
	printf("\t.globl kallsyms_num\nkallsyms_num:\n\t.quad %zu\n", n);
	printf("\t.globl kallsyms_addrs\nkallsyms_addrs:\n");
	for (size_t i = 0; i < n; i++)
		printf("\t.quad 0x%llx\n", syms[i].addr);
	printf("\t.globl kallsyms_names\nkallsyms_names:\n");
	for (size_t i = 0; i < n; i++) {
		printf("\t.long %zu\n", off);
		off += strlen(syms[i].name) + 1;
	}
	printf("\t.globl kallsyms_strtab\nkallsyms_strtab:\n");
	for (size_t i = 0; i < n; i++)
		printf("\t.asciz \"%s\"\n", syms[i].name);
	printf("\t.section .note.GNU-stack, \"\", @progbits\n");
	return 0;
}
