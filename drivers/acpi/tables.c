// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI static table discovery.
 *
 * The RSDP comes from, in order: the copy the boot loader put in the
 * Multiboot2 information (GRUB), the pointer in the PVH start info (QEMU
 * -kernel), or the legacy BIOS scan (EBDA, then 0xE0000-0xFFFFF on 16-byte
 * boundaries).  A UEFI machine has no BIOS data area or BIOS ROM copy
 * there (whatever sits in low memory is RAM the firmware reused), so on a
 * UEFI boot the loader's tag is the only source.  The root table is the
 * XSDT when the RSDP is ACPI 2.0+ and has one, else the RSDT.  Nothing is
 * trusted before its signature, length and checksum are verified; a bad
 * table is reported once and skipped.
 *
 * Mappings (acpi_os_map(): the direct map covers RAM only, firmware memory
 * gets read-only mappings on demand): the RSDP is copied out of the BIOS
 * area or wherever the loader pointed, the root table is unmapped once its
 * entries are read, and every table that passes its checks stays mapped
 * (table_virt[]), so acpi_get_table()'s result is valid for good and costs
 * no mapping.
 */
#define pr_fmt(fmt) "ACPI: " fmt

#include <exo/acpi.h>
#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/string.h>

#define ACPI_MAX_TABLES		64
#define ACPI_MAX_TABLE_LEN	(1UL << 20)	/* larger than any sane static table */

static phys_addr_t table_phys[ACPI_MAX_TABLES];
static const struct acpi_table_header *table_virt[ACPI_MAX_TABLES];	/* validated */
static unsigned int nr_tables;
static struct acpi_rsdp rsdp_copy;
static bool acpi_disabled;

/* acpi=off: ignore the firmware tables (tests the uniprocessor fallback). */
static int __init acpi_setup(const char *val)
{
	acpi_disabled = !strcmp(val, "off");
	return 0;
}
early_param_choice("acpi=", acpi_setup, "off", "on");

bool acpi_checksum_ok(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

int acpi_table_check(const struct acpi_table_header *h, size_t len, const char *sig,
		     size_t min_len, const char *name)
{
	if (len < min_len || memcmp(h->signature, sig, 4) || h->length < min_len ||
	    h->length > len) {
		pr_err("%s: truncated or mislabelled table\n", name);
		return -EINVAL;
	}
	if (!acpi_checksum_ok(h, h->length)) {
		pr_err("%s: bad checksum\n", name);
		return -EINVAL;
	}
	return 0;
}

int acpi_validate_rsdp(const struct acpi_rsdp *rsdp, size_t avail)
{
	if (avail < 20 || memcmp(rsdp->signature, "RSD PTR ", 8)) {
		pr_err("RSDP: bad signature\n");
		return -EINVAL;
	}
	if (!acpi_checksum_ok(rsdp, 20)) {
		pr_err("RSDP: bad checksum\n");
		return -EINVAL;
	}
	if (rsdp->revision < 2)
		return 0;
	if (avail < sizeof(*rsdp) || rsdp->length < sizeof(*rsdp) || rsdp->length > avail) {
		pr_err("RSDP: revision %u with bad length %u\n", rsdp->revision,
		       avail < 24 ? 0 : rsdp->length);
		return -EINVAL;
	}
	if (!acpi_checksum_ok(rsdp, rsdp->length)) {
		pr_err("RSDP: bad extended checksum\n");
		return -EINVAL;
	}
	return 0;
}

/* The table at @pa, mapped, if it is what it claims to be; else NULL. */
static const struct acpi_table_header *map_table(phys_addr_t pa, const char *what)
{
	const struct acpi_table_header *hdr, *h;
	u32 len;

	if (!pa)
		return NULL;
	hdr = acpi_os_map(pa, sizeof(*hdr));
	if (!hdr)
		return NULL;
	len = hdr->length;
	if (len < sizeof(*hdr) || len > ACPI_MAX_TABLE_LEN) {
		pr_err("%s at %#llx: absurd length %u\n", what, (unsigned long long)pa, len);
		acpi_os_unmap(hdr, sizeof(*hdr));
		return NULL;
	}
	/* Mapped before the header is dropped: shares its window when it fits. */
	h = acpi_os_map(pa, len);
	acpi_os_unmap(hdr, sizeof(*hdr));
	if (h && (h->length != len || !acpi_checksum_ok(h, len))) {
		acpi_os_unmap(h, len);
		h = NULL;
	}
	if (!h)
		pr_err("%s at %#llx: bad checksum\n", what, (unsigned long long)pa);
	return h;
}

/* Copy the RSDP at @r (@avail bytes readable) into rsdp_copy. */
static const struct acpi_rsdp *keep_rsdp(const void *r, size_t avail)
{
	memset(&rsdp_copy, 0, sizeof(rsdp_copy));
	memcpy(&rsdp_copy, r, min(avail, sizeof(rsdp_copy)));
	return &rsdp_copy;
}

static const struct acpi_rsdp *scan_area(phys_addr_t start, size_t len)
{
	const u8 *area = acpi_os_map(start, len);
	const struct acpi_rsdp *found = NULL;

	if (!area)
		return NULL;
	for (size_t off = 0; off + 20 <= len; off += 16) {
		const struct acpi_rsdp *r = (const void *)(area + off);

		if (!memcmp(r->signature, "RSD PTR ", 8) && acpi_checksum_ok(r, 20)) {
			found = keep_rsdp(r, len - off);
			break;
		}
	}
	acpi_os_unmap(area, len);
	return found;
}

static const struct acpi_rsdp *find_rsdp(const char **where)
{
	const struct acpi_rsdp *r;
	const u16 *ebda_ptr;
	u16 ebda_seg;

	if (boot_info.has_rsdp_copy) {
		*where = "Multiboot2 ACPI tag";
		return (const struct acpi_rsdp *)boot_info.rsdp_copy;
	}
	if (boot_info.rsdp_phys) {
		*where = "boot loader pointer";
		r = acpi_os_map(boot_info.rsdp_phys, sizeof(*r));
		if (!r)
			return NULL;
		keep_rsdp(r, sizeof(*r));
		acpi_os_unmap(r, sizeof(*r));
		return &rsdp_copy;
	}
	if (boot_info.efi) {
		pr_warn("UEFI boot without a Multiboot2 ACPI tag: not scanning for a BIOS RSDP\n");
		return NULL;
	}
	*where = "BIOS area scan";
	ebda_ptr = acpi_os_map(0x40e, 2);
	ebda_seg = ebda_ptr ? *ebda_ptr : 0;
	acpi_os_unmap(ebda_ptr, 2);
	if (ebda_seg) {
		r = scan_area((phys_addr_t)ebda_seg << 4, 1024);
		if (r)
			return r;
	}
	return scan_area(0xe0000, 0x20000);
}

/* Record the entries of the XSDT (8-byte) or RSDT (4-byte pointers). */
static int read_root(const struct acpi_table_header *root, size_t entry_size)
{
	const u8 *p = (const u8 *)(root + 1);
	size_t n = (root->length - sizeof(*root)) / entry_size;

	if (n > ACPI_MAX_TABLES) {
		pr_warn("%zu tables, using the first %u\n", n, ACPI_MAX_TABLES);
		n = ACPI_MAX_TABLES;
	}
	for (size_t i = 0; i < n; i++) {
		u64 pa = 0;

		memcpy(&pa, p + i * entry_size, entry_size);	/* unaligned in an RSDT */
		table_phys[nr_tables++] = pa;
	}
	return 0;
}

static void list_tables(void)
{
	char line[8 * ACPI_MAX_TABLES / 2];
	size_t used = 0;

	line[0] = 0;
	for (unsigned int i = 0; i < nr_tables; i++) {
		const struct acpi_table_header *h = map_table(table_phys[i], "table");

		table_virt[i] = h;
		if (h && used + 6 < sizeof(line))
			used += snprintf(line + used, sizeof(line) - used, " %.4s", h->signature);
	}
	pr_info("%u tables:%s\n", nr_tables, line);
}

int __init acpi_table_init(void)
{
	const struct acpi_rsdp *rsdp;
	const struct acpi_table_header *root;
	const char *where;
	bool xsdt;

	nr_tables = 0;
	if (acpi_disabled) {
		pr_warn("disabled on the command line (acpi=off): booting on one CPU\n");
		return -ENOENT;
	}
	rsdp = find_rsdp(&where);
	if (!rsdp) {
		pr_warn("no RSDP found: no ACPI, booting on one CPU\n");
		return -ENOENT;
	}
	if (acpi_validate_rsdp(rsdp, rsdp->revision >= 2 ? sizeof(*rsdp) : 20))
		return -EINVAL;
	xsdt = rsdp->revision >= 2 && rsdp->xsdt_address;
	root = map_table(xsdt ? rsdp->xsdt_address : rsdp->rsdt_address, xsdt ? "XSDT" : "RSDT");
	if (!root || memcmp(root->signature, xsdt ? "XSDT" : "RSDT", 4)) {
		pr_err("%s: missing or malformed, ignoring ACPI\n", xsdt ? "XSDT" : "RSDT");
		if (root)
			acpi_os_unmap(root, root->length);
		return -EINVAL;
	}
	pr_info("RSDP rev %u (%s, OEM %.6s), %s at %#llx\n", rsdp->revision, where,
		rsdp->oem_id, xsdt ? "XSDT" : "RSDT",
		(unsigned long long)(xsdt ? rsdp->xsdt_address : rsdp->rsdt_address));
	read_root(root, xsdt ? 8 : 4);
	acpi_os_unmap(root, root->length);
	list_tables();
	return 0;
}

const struct acpi_table_header *acpi_get_table(const char *sig, unsigned int instance)
{
	for (unsigned int i = 0; i < nr_tables; i++) {
		const struct acpi_table_header *h = table_virt[i];

		if (h && !memcmp(h->signature, sig, 4) && instance-- == 0)
			return h;
	}
	return NULL;
}
