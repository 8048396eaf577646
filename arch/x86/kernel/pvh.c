// SPDX-License-Identifier: GPL-2.0
/*
 * PVH boot (QEMU -kernel): the loader enters _start32 with %ebx pointing to
 * struct hvm_start_info, whose fields are physical addresses of the command
 * line, the module list and the memory map.
 *
 * Every byte is read through the caller's map function, which says what is
 * reachable: nothing the loader hands over is trusted, strings included
 * (they are copied byte by byte as far as they are mapped, never with an
 * unbounded strlen), and structures are copied out with memcpy() (the
 * loader may hand over misaligned addresses).  Portable: the hosted fuzzer
 * tests/fuzz/fuzz_pvh.c drives pvh_parse() with arbitrary memory images.
 */
#include <exo/bootinfo.h>
#include <exo/bootparse.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/string.h>

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

/*
 * Copy the NUL-terminated string at @pa into @dst (always terminated),
 * stopping at @dstsz - 1 bytes or at the first unreachable byte.  Returns
 * the string's length as far as it is reachable, looking at most @scan
 * bytes (so a caller can tell that it was cut).
 */
static size_t copy_phys_string(char *dst, size_t dstsz, u64 pa, boot_map_fn map, size_t scan)
{
	size_t n = 0;

	for (; n < scan && pa + n >= pa; n++) {
		const char *c = map(pa + n, 1);

		if (!c || !*c)
			break;
		if (n + 1 < dstsz)
			dst[n] = *c;
	}
	dst[min(n, dstsz - 1)] = 0;
	return n;
}

static int parse_memmap(const struct hvm_start_info *si, boot_map_fn map, struct boot_info *bi)
{
	u32 n = si->memmap_entries;
	const u8 *e = map(si->memmap_paddr, (u64)n * sizeof(struct hvm_memmap_entry));

	if (!e) {
		pr_err("pvh: memory map (%u entries at %#llx) is out of reach\n", n,
		       si->memmap_paddr);
		return -EINVAL;
	}
	if (n > BOOT_MAX_MMAP) {
		pr_warn("pvh: %u memory map entries, keeping %d\n", n, BOOT_MAX_MMAP);
		n = BOOT_MAX_MMAP;
	}
	for (u32 i = 0; i < n; i++) {
		struct hvm_memmap_entry m;

		memcpy(&m, e + i * sizeof(m), sizeof(m));
		bi->mmap[i].addr = m.addr;
		bi->mmap[i].len = m.size;
		bi->mmap[i].type = m.type;
	}
	bi->nr_mmap = n;
	return 0;
}

static int parse_modules(const struct hvm_start_info *si, boot_map_fn map, struct boot_info *bi)
{
	u32 n = si->nr_modules;
	const u8 *list = map(si->modlist_paddr, (u64)n * sizeof(struct hvm_modlist_entry));

	if (!list) {
		pr_err("pvh: module list (%u entries at %#llx) is out of reach\n", n,
		       si->modlist_paddr);
		return -EINVAL;
	}
	if (n > BOOT_MAX_MODULES) {
		pr_warn("pvh: %u modules, keeping %d\n", n, BOOT_MAX_MODULES);
		n = BOOT_MAX_MODULES;
	}
	for (u32 i = 0; i < n; i++) {
		struct boot_module *bm = &bi->modules[i];
		struct hvm_modlist_entry m;

		memcpy(&m, list + i * sizeof(m), sizeof(m));
		if (m.paddr + m.size < m.paddr) {
			pr_err("pvh: module %u [%#llx+%#llx] wraps around\n", i, m.paddr, m.size);
			return -EINVAL;
		}
		bm->start = m.paddr;
		bm->end = m.paddr + m.size;
		bm->name[0] = 0;
		if (m.cmdline_paddr)
			copy_phys_string(bm->name, sizeof(bm->name), m.cmdline_paddr, map,
					 sizeof(bm->name) - 1);
	}
	bi->nr_modules = n;
	return 0;
}

int pvh_parse(u64 info_pa, boot_map_fn map, struct boot_info *bi)
{
	const void *p = map(info_pa, sizeof(struct hvm_start_info));
	struct hvm_start_info copy, *si = &copy;
	int err;

	if (p)
		memcpy(&copy, p, sizeof(copy));
	if (!p || si->magic != PVH_START_MAGIC) {
		pr_err("pvh: no start info at %#llx\n", info_pa);
		return -EINVAL;
	}
	if (si->cmdline_paddr)
		bi->cmdline_len = copy_phys_string(bi->cmdline, sizeof(bi->cmdline),
						   si->cmdline_paddr, map, BOOT_CMDLINE_SCAN);
	if (si->version >= 1 && si->memmap_entries) {
		err = parse_memmap(si, map, bi);
		if (err)
			return err;
	}
	if (si->nr_modules) {
		err = parse_modules(si, map, bi);
		if (err)
			return err;
	}
	bi->rsdp_phys = si->rsdp_paddr;
	bi->info_start = info_pa;
	bi->info_end = info_pa + sizeof(copy);
	strlcpy(bi->loader_name, "qemu (pvh)", sizeof(bi->loader_name));
	bi->protocol = "pvh";
	return 0;
}
