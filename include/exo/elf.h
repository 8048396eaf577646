/* SPDX-License-Identifier: GPL-2.0 */
/* ELF64 structures and constants the module loader reads (System V gABI, x86-64 psABI). */
#ifndef _EXO_ELF_H
#define _EXO_ELF_H

#include <exo/types.h>

#define EI_NIDENT	16
#define ELFMAG		"\177ELF"
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_REL		1
#define EM_X86_64	62

#define SHT_NULL	0
#define SHT_PROGBITS	1
#define SHT_SYMTAB	2
#define SHT_STRTAB	3
#define SHT_RELA	4
#define SHT_NOBITS	8
#define SHT_REL		9

#define SHF_WRITE	0x1
#define SHF_ALLOC	0x2
#define SHF_EXECINSTR	0x4

#define SHN_UNDEF	0
#define SHN_LORESERVE	0xff00
#define SHN_ABS		0xfff1
#define SHN_COMMON	0xfff2

#define STB_LOCAL	0
#define STB_GLOBAL	1
#define STB_WEAK	2
#define STT_FUNC	2
#define STT_SECTION	3

#define ELF64_ST_BIND(i)	((i) >> 4)
#define ELF64_ST_TYPE(i)	((i) & 0xf)
#define ELF64_R_SYM(i)		((u32)((i) >> 32))
#define ELF64_R_TYPE(i)		((u32)(i))
#define ELF64_R_INFO(s, t)	(((u64)(s) << 32) | (u32)(t))

#define R_X86_64_NONE	0
#define R_X86_64_64	1
#define R_X86_64_PC32	2
#define R_X86_64_PLT32	4
#define R_X86_64_32	10
#define R_X86_64_32S	11
#define R_X86_64_PC64	24

typedef struct {
	u8 e_ident[EI_NIDENT];
	u16 e_type;
	u16 e_machine;
	u32 e_version;
	u64 e_entry;
	u64 e_phoff;
	u64 e_shoff;
	u32 e_flags;
	u16 e_ehsize;
	u16 e_phentsize;
	u16 e_phnum;
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	u32 sh_name;
	u32 sh_type;
	u64 sh_flags;
	u64 sh_addr;
	u64 sh_offset;
	u64 sh_size;
	u32 sh_link;
	u32 sh_info;
	u64 sh_addralign;
	u64 sh_entsize;
} Elf64_Shdr;

typedef struct {
	u32 st_name;
	u8 st_info;
	u8 st_other;
	u16 st_shndx;
	u64 st_value;
	u64 st_size;
} Elf64_Sym;

typedef struct {
	u64 r_offset;
	u64 r_info;
	s64 r_addend;
} Elf64_Rela;

#endif /* _EXO_ELF_H */
