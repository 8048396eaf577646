// SPDX-License-Identifier: GPL-2.0
/*
 * PVH boot (QEMU -kernel): the loader enters _start32 with %ebx pointing to
 * struct hvm_start_info.  Also the dispatcher between boot protocols.
 */
#include <exo/bootinfo.h>
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <asm/page.h>
#include <asm/setup.h>

struct hvm_start_info {
	u32 magic;
	u32 version;
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;
	u64 cmdline_paddr;
	u64 rsdp_paddr;
	u64 memmap_paddr;
	u32 memmap_entries;
	u32 reserved;
};

struct hvm_modlist_entry {
	u64 paddr;
	u64 size;
	u64 cmdline_paddr;
	u64 reserved;
};

struct hvm_memmap_entry {
	u64 addr;
	u64 size;
	u32 type;
	u32 reserved;
};

/* Physical addresses handed over by the loader must lie in the early direct map. */
static bool early_mapped(u64 pa, u64 len)
{
	return pa && pa < (4ULL << 30) && len <= (4ULL << 30) - pa;
}

int pvh_parse(const void *si_ptr)
{
	const struct hvm_start_info *si = si_ptr;

	if (si->magic != PVH_START_MAGIC)
		return -EINVAL;
	if (si->cmdline_paddr && early_mapped(si->cmdline_paddr, 1))
		strlcpy(boot_info.cmdline, phys_to_virt(si->cmdline_paddr),
			sizeof(boot_info.cmdline));
	if (si->version >= 1 && si->memmap_entries) {
		const struct hvm_memmap_entry *e = phys_to_virt(si->memmap_paddr);
		u32 n = si->memmap_entries;

		if (!early_mapped(si->memmap_paddr, (u64)n * sizeof(*e))) {
			pr_err("pvh: memory map at %#llx is out of reach\n", si->memmap_paddr);
			return -EINVAL;
		}
		if (n > BOOT_MAX_MMAP) {
			pr_warn("pvh: %u memory map entries, keeping %d\n", n, BOOT_MAX_MMAP);
			n = BOOT_MAX_MMAP;
		}
		for (u32 i = 0; i < n; i++) {
			boot_info.mmap[i].addr = e[i].addr;
			boot_info.mmap[i].len = e[i].size;
			boot_info.mmap[i].type = e[i].type;
		}
		boot_info.nr_mmap = n;
	}
	if (si->nr_modules && early_mapped(si->modlist_paddr,
					   si->nr_modules * sizeof(struct hvm_modlist_entry))) {
		const struct hvm_modlist_entry *m = phys_to_virt(si->modlist_paddr);

		for (u32 i = 0; i < si->nr_modules && i < BOOT_MAX_MODULES; i++) {
			struct boot_module *bm = &boot_info.modules[boot_info.nr_modules++];

			bm->start = m[i].paddr;
			bm->end = m[i].paddr + m[i].size;
			if (m[i].cmdline_paddr && early_mapped(m[i].cmdline_paddr, 1))
				strlcpy(bm->name, phys_to_virt(m[i].cmdline_paddr),
					sizeof(bm->name));
		}
	}
	boot_info.rsdp_phys = si->rsdp_paddr;
	boot_info.info_start = virt_to_phys(si);
	boot_info.info_end = boot_info.info_start + sizeof(*si);
	strlcpy(boot_info.loader_name, "qemu (pvh)", sizeof(boot_info.loader_name));
	boot_info.protocol = "pvh";
	return 0;
}

void __init parse_boot_info(u32 magic, u32 info_phys)
{
	const void *info = phys_to_virt(info_phys);
	int err = -EINVAL;

	if (magic == MULTIBOOT2_BOOTLOADER_MAGIC) {
		err = multiboot2_parse(info, 16U << 20);
		boot_info.info_start = info_phys;
		boot_info.info_end = info_phys + *(const u32 *)info;
	} else if (info_phys && *(const u32 *)info == PVH_START_MAGIC) {
		err = pvh_parse(info);
	} else {
		panic("unknown boot protocol (magic %#x, info %#x): boot with GRUB "
		      "(multiboot2) or QEMU -kernel (PVH)", magic, info_phys);
	}
	if (err)
		panic("malformed boot information from the %s loader",
		      magic == MULTIBOOT2_BOOTLOADER_MAGIC ? "multiboot2" : "PVH");
	if (CONFIG_CMDLINE[0]) {
		size_t n = strlen(boot_info.cmdline);

		snprintf(boot_info.cmdline + n, sizeof(boot_info.cmdline) - n, "%s%s",
			 n ? " " : "", CONFIG_CMDLINE);
	}
	strlcpy(boot_command_line, boot_info.cmdline, BOOT_CMDLINE_MAX);
}
