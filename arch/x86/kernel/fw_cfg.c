// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's fw_cfg interface as a second source of boot information, for the
 * one case where the PVH start info cannot be trusted: QEMU's PVH option
 * ROM (pc-bios/optionrom/pvh_main.c) reads the command line into a 4096-
 * byte buffer with no bound, and its start info lies right after that
 * buffer.  A longer -append line overwrites the start info before the
 * kernel runs: %ebx still points at it, but it holds command-line text
 * (only cmdline_paddr is written after the copy).
 *
 * fw_cfg holds the whole command line and the initrd's address and size.
 * It is read through its I/O ports (selector 0x510, data 0x511), byte by
 * byte: the legacy interface, present on every QEMU x86 machine.
 *
 * The memory map is another matter: fw_cfg's "etc/e820" is what QEMU set
 * up (RAM), without what the firmware (SeaBIOS) reserved for itself: the
 * EBDA, and its ACPI tables at the top of low RAM, which the kernel would
 * then overwrite.  The ROM got the firmware's map with int 15h e820 into a
 * table of its own (u32 count, u32 reserved, 24-byte entries), which its
 * linker places below the command-line buffer and which the overflow does
 * not reach.  That table is searched for below the buffer and accepted
 * only if it is consistent with fw_cfg's map: a PC map that starts at 0,
 * sorted, non-overlapping, every usable range inside RAM fw_cfg knows.
 */
#define pr_fmt(fmt) "fw_cfg: " fmt

#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/setup.h>

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511

#define FW_CFG_SIGNATURE	0x00
#define FW_CFG_INITRD_ADDR	0x0a
#define FW_CFG_INITRD_SIZE	0x0b
#define FW_CFG_CMDLINE_SIZE	0x14
#define FW_CFG_CMDLINE_DATA	0x15
#define FW_CFG_FILE_DIR		0x19

/* struct hvm_start_info: where the ROM stores the command line's address. */
#define PVH_CMDLINE_PADDR_OFF	24

/* How far below the command-line buffer the ROM's memory map may start. */
#define ROM_MAP_WINDOW		(16 * 1024)
#define ROM_MAP_MAX		128
#define FW_RAM_MAX		32

struct rom_map_entry {
	u64 addr;
	u64 size;
	u32 type;
	u32 reserved;
};

struct fw_cfg_e820 {
	u64 addr;
	u64 len;
	u32 type;
} __packed;

static void __init fw_cfg_select(u16 key)
{
	outw(FW_CFG_PORT_SEL, key);
}

/* The next @len bytes of the selected item (zeros past its end). */
static void __init fw_cfg_read(void *buf, size_t len)
{
	u8 *p = buf;

	while (len--)
		*p++ = inb(FW_CFG_PORT_DATA);
}

static u32 __init fw_cfg_read_le32(u16 key)
{
	u8 b[4];

	fw_cfg_select(key);
	fw_cfg_read(b, 4);
	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

static u32 __init be32(const u8 *b)
{
	return (u32)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

/* Selector key and size of the named file, or -ENOENT. */
static int __init fw_cfg_find_file(const char *name, u16 *key, u32 *size)
{
	u8 b[4], ent[64];
	u32 n;

	fw_cfg_select(FW_CFG_FILE_DIR);
	fw_cfg_read(b, 4);
	n = be32(b);
	for (u32 i = 0; i < n && i < 4096; i++) {
		fw_cfg_read(ent, sizeof(ent));	/* size, select, reserved, name[56] */
		ent[63] = 0;
		if (!strcmp((const char *)ent + 8, name)) {
			*size = be32(ent);
			*key = (u16)(ent[4] << 8 | ent[5]);
			return 0;
		}
	}
	return -ENOENT;
}

static bool __init fw_cfg_present(void)
{
	char sig[4];

	fw_cfg_select(FW_CFG_SIGNATURE);
	fw_cfg_read(sig, 4);
	return !memcmp(sig, "QEMU", 4);
}

/*
 * Is the PVH start info at @info (physical @info_pa) really command-line
 * text, i.e. did QEMU's ROM overflow its buffer into it?  True only if the
 * address the ROM stored after the copy lies below @info by less than the
 * line's @len bytes and the first bytes at @info are that part of the
 * line.  Only magic, version and flags are compared: the ROM writes
 * nr_modules, modlist_paddr and cmdline_paddr after the copy.
 */
static bool __init start_info_is_cmdline(u32 info_pa, const u8 *info, u32 len)
{
	u64 cl_pa, dist;
	u8 line[12];
	size_t n;

	memcpy(&cl_pa, info + PVH_CMDLINE_PADDR_OFF, sizeof(cl_pa));
	if (cl_pa >= info_pa || info_pa - cl_pa >= len)
		return false;
	dist = info_pa - cl_pa;
	n = min_t(u64, sizeof(line), len - dist);
	fw_cfg_select(FW_CFG_CMDLINE_DATA);
	for (u64 skip = dist; skip; skip--)
		inb(FW_CFG_PORT_DATA);
	fw_cfg_read(line, n);
	return !memcmp(line, info, n);
}

/* fw_cfg's RAM ranges ("etc/e820" type 1): their count, or -errno. */
static int __init fw_cfg_ram(struct fw_cfg_e820 *ram, unsigned int max)
{
	unsigned int n = 0;
	u32 size;
	u16 key;

	if (fw_cfg_find_file("etc/e820", &key, &size))
		return -ENOENT;
	fw_cfg_select(key);
	for (u32 i = 0; i < size / sizeof(*ram) && n < max; i++) {
		fw_cfg_read(&ram[n], sizeof(*ram));
		if (ram[n].type == BOOT_MEM_USABLE && ram[n].len)
			n++;
	}
	return n;
}

static bool __init inside_ram(u64 addr, u64 len, const struct fw_cfg_e820 *ram, int nram)
{
	for (int i = 0; i < nram; i++)
		if (addr >= ram[i].addr && addr - ram[i].addr <= ram[i].len &&
		    len <= ram[i].len - (addr - ram[i].addr))
			return true;
	return false;
}

/* Is @p (@avail bytes readable) the ROM's copy of the firmware's map? */
static bool __init rom_map_valid(const u8 *p, size_t avail, const struct fw_cfg_e820 *ram,
				 int nram)
{
	u32 n, reserved;
	u64 next = 0;
	bool usable = false;

	memcpy(&n, p, 4);
	memcpy(&reserved, p + 4, 4);
	if (!n || n > ROM_MAP_MAX || reserved || 8 + (size_t)n * sizeof(struct rom_map_entry) > avail)
		return false;
	for (u32 i = 0; i < n; i++) {
		struct rom_map_entry e;

		memcpy(&e, p + 8 + i * sizeof(e), sizeof(e));
		if (e.addr != next && (i == 0 || e.addr < next))
			return false;		/* not from 0, unsorted or overlapping */
		if (!e.size || e.addr + e.size < e.addr || !e.type || e.type > BOOT_MEM_BAD)
			return false;
		if (e.type == BOOT_MEM_USABLE) {
			if (!inside_ram(e.addr, e.size, ram, nram))
				return false;
			usable = true;
		}
		next = e.addr + e.size;
	}
	return usable;
}

/* Find the ROM's memory map below the command-line buffer at @cl_pa; fill @bi. */
static int __init rom_memory_map(u64 cl_pa, struct boot_info *bi)
{
	static struct fw_cfg_e820 ram[FW_RAM_MAX] __initdata;
	u64 lo = cl_pa > ROM_MAP_WINDOW + 0x500 ? cl_pa - ROM_MAP_WINDOW : 0x500;
	const u8 *win = phys_to_virt(lo);
	int nram = fw_cfg_ram(ram, FW_RAM_MAX);

	if (nram <= 0 || cl_pa <= lo)
		return -ENOENT;
	for (u64 off = 0; off + 8 < cl_pa - lo; off += 8) {
		const u8 *p = win + off;
		u32 n;

		if (!rom_map_valid(p, cl_pa - lo - off, ram, nram))
			continue;
		memcpy(&n, p, 4);
		for (u32 i = 0; i < n && i < BOOT_MAX_MMAP; i++) {
			struct rom_map_entry e;

			memcpy(&e, p + 8 + i * sizeof(e), sizeof(e));
			bi->mmap[i].addr = e.addr;
			bi->mmap[i].len = e.size;
			bi->mmap[i].type = e.type;
		}
		bi->nr_mmap = min_t(u32, n, BOOT_MAX_MMAP);
		pr_info("firmware memory map: %u entries at %#llx (the ROM's copy)\n", n, lo + off);
		return 0;
	}
	return -ENOENT;
}

/**
 * fw_cfg_boot_info() - boot information from QEMU's fw_cfg, if the PVH
 *                      start info was overwritten by the command line
 * @info_pa: physical address the loader passed in %ebx
 * @info: that address through the early mapping (at least 32 bytes)
 * @bi: filled in on success (the caller's scratch copy)
 *
 * Return: 0 with @bi filled (memory map, command line, initrd), -ENODEV
 * when there is no fw_cfg or the start info is not command-line text
 * (then it is just garbage, and the caller reports it), -ENOENT when the
 * firmware's memory map cannot be found.
 */
int __init fw_cfg_boot_info(u32 info_pa, const void *info, struct boot_info *bi)
{
	u32 len, initrd;
	u64 cl_pa;

	if (!fw_cfg_present())
		return -ENODEV;
	len = fw_cfg_read_le32(FW_CFG_CMDLINE_SIZE);	/* NUL included */
	if (!start_info_is_cmdline(info_pa, info, len))
		return -ENODEV;
	memcpy(&cl_pa, (const u8 *)info + PVH_CMDLINE_PADDR_OFF, sizeof(cl_pa));
	if (rom_memory_map(cl_pa, bi)) {
		pr_err("the PVH loader's memory map is not below its command line at %#llx\n",
		       cl_pa);
		return -ENOENT;
	}
	fw_cfg_select(FW_CFG_CMDLINE_DATA);
	fw_cfg_read(bi->cmdline, min_t(size_t, len, sizeof(bi->cmdline) - 1));
	bi->cmdline[sizeof(bi->cmdline) - 1] = 0;
	bi->cmdline_len = strnlen(bi->cmdline, sizeof(bi->cmdline));
	if (bi->cmdline_len == sizeof(bi->cmdline) - 1)
		bi->cmdline_len = len ? len - 1 : 0;
	initrd = fw_cfg_read_le32(FW_CFG_INITRD_SIZE);
	if (initrd) {
		bi->modules[0].start = fw_cfg_read_le32(FW_CFG_INITRD_ADDR);
		bi->modules[0].end = bi->modules[0].start + initrd;
		bi->nr_modules = 1;
	}
	strlcpy(bi->loader_name, "qemu (pvh, start info rebuilt from fw_cfg)",
		sizeof(bi->loader_name));
	bi->protocol = "pvh";
	return 0;
}
