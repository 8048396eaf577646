/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers of the boot loaders' information structures (arch/x86/kernel/
 * multiboot2.c and pvh.c).  They are portable on purpose: the hosted
 * fuzzers (tests/fuzz/) drive them with arbitrary bytes.  Each fills the
 * struct boot_info it is given; the caller commits it only on success
 * (parse_boot_info() in arch/x86/kernel/bootinfo.c), so a rejected
 * structure changes nothing.
 */
#ifndef _EXO_BOOTPARSE_H
#define _EXO_BOOTPARSE_H

#include <exo/bootinfo.h>
#include <exo/types.h>

#define MULTIBOOT2_BOOTLOADER_MAGIC	0x36d76289
#define PVH_START_MAGIC			0x336ec578

/**
 * multiboot2_parse() - fill @bi from a Multiboot2 information block
 * @mbi: the block (total_size u32, reserved u32, then 8-byte aligned tags)
 * @avail: bytes readable at @mbi (the parser never reads past it)
 * @bi: filled in (partly, on error)
 *
 * Return: 0, or -EINVAL for a malformed block (a message says which tag).
 */
int multiboot2_parse(const void *mbi, size_t avail, struct boot_info *bi);

/*
 * How a parser reads the loader's memory: a pointer to @len readable bytes
 * at physical address @pa, or NULL if they are not all reachable.
 */
typedef const void *(*boot_map_fn)(u64 pa, u64 len);

/**
 * pvh_parse() - fill @bi from a PVH struct hvm_start_info
 * @info_pa: its physical address
 * @map: reads the loader's memory (the structure and what it points to)
 * @bi: filled in (partly, on error)
 *
 * Strings are copied only as far as @map can reach and truncated to fit.
 * Return: 0, or -EINVAL for a bad magic, an unreachable memory map or
 * module list, or a module that wraps around the address space.
 */
int pvh_parse(u64 info_pa, boot_map_fn map, struct boot_info *bi);

#endif /* _EXO_BOOTPARSE_H */
