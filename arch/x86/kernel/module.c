// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 module relocations (psABI): the types a kernel module built with
 * -mcmodel=kernel uses, applied by apply_relocate_add() for the generic
 * loader (kernel/module_elf.c) and checked entry by entry, since the image
 * is untrusted: nothing is written outside the target section.  Also
 * built into the hosted module fuzzer.
 */
#define pr_fmt(fmt) "module: " fmt

#include <exo/errno.h>
#include <exo/moduleloader.h>
#include <exo/string.h>

const u16 module_elf_machine = EM_X86_64;
const char module_elf_arch_name[] = "x86-64";

int apply_relocate_add(const Elf64_Shdr *sechdrs, const char *strtab, unsigned int symindex,
		       unsigned int relsec, struct load_info *info)
{
	const Elf64_Shdr *rs = &sechdrs[relsec];
	const Elf64_Shdr *target = &sechdrs[rs->sh_info];
	const Elf64_Rela *rel = (const Elf64_Rela *)(info->img + rs->sh_offset);
	unsigned long n = rs->sh_size / sizeof(*rel);

	if (target->sh_type == SHT_NOBITS) {
		load_err(info, "relocations for a section without contents (%s)",
			 module_sec_name(info, target));
		return -ENOEXEC;
	}
	for (unsigned long i = 0; i < n; i++) {
		u32 type = ELF64_R_TYPE(rel[i].r_info), symi = ELF64_R_SYM(rel[i].r_info);
		unsigned int size = (type == R_X86_64_64 || type == R_X86_64_PC64) ? 8 : 4;
		u64 off = rel[i].r_offset, loc, val;

		if (type == R_X86_64_NONE)
			continue;
		if (!range_ok(off, size, target->sh_size)) {
			load_err(info, "relocation %lu in %s: offset %#llx is out of range (size %#llx)",
				 i, module_sec_name(info, target), off, target->sh_size);
			return -ENOEXEC;
		}
		if (symi >= info->nsyms || (symi && !info->symok[symi])) {
			load_err(info, "relocation %lu in %s: bad symbol %u", i,
				 module_sec_name(info, target), symi);
			return -ENOEXEC;
		}
		loc = info->secaddr[rs->sh_info] + off;
		val = info->symval[symi] + rel[i].r_addend;
		switch (type) {
		case R_X86_64_64:
			memcpy((void *)loc, &val, 8);
			continue;
		case R_X86_64_PC64:
			val -= loc;
			memcpy((void *)loc, &val, 8);
			continue;
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
			val -= loc;
			fallthrough;
		case R_X86_64_32S:
			if ((s64)val != (s32)val)
				goto overflow;
			break;
		case R_X86_64_32:
			if (val != (u32)val)
				goto overflow;
			break;
		default:
			load_err(info, "relocation %lu in %s: unsupported type %u", i,
				 module_sec_name(info, target), type);
			return -ENOEXEC;
		}
		{
			u32 v32 = (u32)val;

			memcpy((void *)loc, &v32, 4);
		}
		continue;
overflow:
		load_err(info, "relocation %lu (type %u) in %s: value %#llx overflows 32 bits",
			 i, type, module_sec_name(info, target), val);
		return -ERANGE;
	}
	return 0;
}
