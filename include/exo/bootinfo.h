/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the boot loader told us, in one loader-independent structure filled by
 * arch/x86/kernel/multiboot2.c (GRUB) or pvh.c (QEMU -kernel) before any
 * initcall runs.  Everything is copied out of the loader's memory, so the
 * loader's structures may be reused once boot_info is filled.
 */
#ifndef _EXO_BOOTINFO_H
#define _EXO_BOOTINFO_H

#include <exo/types.h>

/* E820 / Multiboot2 memory types. */
#define BOOT_MEM_USABLE		1
#define BOOT_MEM_RESERVED	2
#define BOOT_MEM_ACPI		3	/* ACPI tables, reclaimable */
#define BOOT_MEM_NVS		4
#define BOOT_MEM_BAD		5

#define BOOT_MAX_MMAP		128
#define BOOT_MAX_MODULES	16
/*
 * Command line bytes kept, NUL included: Linux's x86 COMMAND_LINE_SIZE.
 * A longer line is cut with a warning (cmdline_len says how long it was).
 */
#define BOOT_CMDLINE_MAX	2048
/* How far a parser looks for the end of an unterminated line. */
#define BOOT_CMDLINE_SCAN	(64 * 1024)

struct boot_mmap_entry {
	u64 addr;
	u64 len;
	u32 type;
};

/*
 * A linear framebuffer the loader set up (Multiboot2 tag 8), RGB direct
 * colour only: the loader's other kinds (indexed, EGA text) are not kept.
 */
struct boot_framebuffer {
	phys_addr_t addr;		/* 0: none */
	u32 pitch;			/* bytes per scan line */
	u32 width;			/* pixels */
	u32 height;
	u8 bpp;				/* bits per pixel: 15, 16, 24 or 32 */
	u8 red_pos, red_size;		/* bit position and width of each channel */
	u8 green_pos, green_size;
	u8 blue_pos, blue_size;
};

struct boot_module {
	phys_addr_t start;
	phys_addr_t end;		/* exclusive */
	char name[64];			/* the module's command line */
};

struct boot_info {
	const char *protocol;		/* "multiboot2", "pvh" */
	char loader_name[64];
	char cmdline[BOOT_CMDLINE_MAX];
	/*
	 * The loader's line length (at most BOOT_CMDLINE_SCAN): above
	 * BOOT_CMDLINE_MAX - 1, cmdline holds only its start.
	 */
	size_t cmdline_len;
	struct boot_mmap_entry mmap[BOOT_MAX_MMAP];
	unsigned int nr_mmap;
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned int nr_modules;
	phys_addr_t rsdp_phys;		/* 0 if the loader gave none */
	u8 rsdp_copy[36];		/* RSDP as copied by the loader */
	bool has_rsdp_copy;
	/*
	 * Booted through UEFI (an EFI system table or memory map tag): there
	 * is no legacy BIOS data area to scan, the firmware tables are all
	 * reached through what the loader passed.
	 */
	bool efi;
	/*
	 * EFI boot services still running (Multiboot2 tag 18): the memory
	 * they and the loader use stays reserved.
	 */
	bool efi_bs;
	/* mmap[] was converted from the EFI memory map (Multiboot2 tag 17). */
	bool efi_mmap;
	unsigned int nr_efi_desc;	/* EFI descriptors read */
	struct boot_framebuffer fb;
	phys_addr_t info_start;		/* loader's info block, to reserve */
	phys_addr_t info_end;
};

extern struct boot_info boot_info;

/* Kernel image bounds (physical), from the linker script. */
phys_addr_t kernel_phys_start(void);
phys_addr_t kernel_phys_end(void);

#endif /* _EXO_BOOTINFO_H */
