// SPDX-License-Identifier: GPL-2.0
/*
 * Which loader booted us, and boot_info from its structures.  The parsers
 * (multiboot2.c, pvh.c) fill a scratch copy; boot_info is replaced only if
 * they accept the structure, so garbage never half-fills it (and the
 * kernel panics with a message naming the loader).
 */
#include <exo/bootinfo.h>
#include <exo/bootparse.h>
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <asm/page.h>
#include <asm/setup.h>

/* The early page tables map the first 4 GiB: what the loader may point to. */
static const void *early_map(u64 pa, u64 len)
{
	if (!pa || pa >= (4ULL << 30) || len > (4ULL << 30) - pa)
		return NULL;
	return phys_to_virt(pa);
}

static struct boot_info scratch __initdata;

/*
 * A command line that did not fit (the loader's, or ours with
 * CONFIG_CMDLINE): its last kept word may be cut in the middle, and a cut
 * value ("loglevel=1" of "loglevel=12") must not take effect, so that word
 * goes too, and the warning shows where the kept part ends.
 */
static void __init cut_cmdline(const char *what, size_t len)
{
	char *end = strrchr(boot_info.cmdline, ' ');
	size_t kept;

	if (!end)
		end = boot_info.cmdline;
	*end = 0;
	kept = strlen(boot_info.cmdline);
	pr_warn("boot: the %s is %zu%s characters, longer than the %d this kernel keeps: "
		"only the first %zu (up to \"...%s\") are used, the rest is ignored\n", what,
		len, len == BOOT_CMDLINE_SCAN ? " or more" : "", BOOT_CMDLINE_MAX - 1, kept,
		boot_info.cmdline + (kept > 24 ? kept - 24 : 0));
}

void __init parse_boot_info(u32 magic, u32 info_phys)
{
	const void *info = early_map(info_phys, 8);
	int err = -EINVAL;

	memset(&scratch, 0, sizeof(scratch));
	if (magic == MULTIBOOT2_BOOTLOADER_MAGIC && info) {
		err = multiboot2_parse(info, 16U << 20, &scratch);
		scratch.info_start = info_phys;
		scratch.info_end = info_phys + *(const u32 *)info;
	} else if (info && *(const u32 *)info == PVH_START_MAGIC) {
		err = pvh_parse(info_phys, early_map, &scratch);
	} else if (early_map(info_phys, 32) &&
		   (err = fw_cfg_boot_info(info_phys, early_map(info_phys, 32), &scratch)) != -ENODEV) {
		if (err)
			panic("the PVH start info at %#x was overwritten by the command line and "
			      "cannot be rebuilt: use a command line under 4096 characters",
			      info_phys);
		pr_warn("boot: the PVH start info at %#x was overwritten by the %zu-character "
			"command line (QEMU's PVH loader copies it into a 4096-byte buffer); "
			"memory map, command line and initrd recovered through fw_cfg\n",
			info_phys, scratch.cmdline_len);
	} else {
		panic("unknown boot protocol (magic %#x, info %#x): boot with GRUB "
		      "(multiboot2) or QEMU -kernel (PVH)", magic, info_phys);
	}
	if (err)
		panic("malformed boot information from the %s loader",
		      magic == MULTIBOOT2_BOOTLOADER_MAGIC ? "multiboot2" : "PVH");
	boot_info = scratch;
	if (boot_info.cmdline_len >= sizeof(boot_info.cmdline))
		cut_cmdline("boot loader's command line", boot_info.cmdline_len);
	if (CONFIG_CMDLINE[0]) {
		size_t n = strlen(boot_info.cmdline);
		int want = snprintf(boot_info.cmdline + n, sizeof(boot_info.cmdline) - n, "%s%s",
				    n ? " " : "", CONFIG_CMDLINE);

		if (n + want >= sizeof(boot_info.cmdline))
			cut_cmdline("command line with CONFIG_CMDLINE appended", n + want);
	}
	strlcpy(boot_command_line, boot_info.cmdline, BOOT_CMDLINE_MAX);
}
