/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI static tables: just enough to find the CPUs and interrupt
 * controllers (MADT) and to let drivers look up other tables (MCFG, HPET).
 *
 * drivers/acpi/tables.c finds the RSDP (Multiboot2 ACPI tag, PVH pointer,
 * or the BIOS-area scan, never on UEFI), walks the XSDT (or RSDT) and verifies every
 * checksum; drivers/acpi/madt.c turns the MADT into struct madt_info.  A
 * missing or malformed table is reported and the kernel boots with one CPU
 * and without the I/O APIC rather than trusting it.
 */
#ifndef _EXO_ACPI_H
#define _EXO_ACPI_H

#include <exo/types.h>
#include <exo/compiler.h>
#include <exo/percpu.h>

struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	u8 checksum;			/* first 20 bytes sum to 0 */
	char oem_id[6];
	u8 revision;			/* 0: ACPI 1.0 (RSDT only), 2+: XSDT */
	u32 rsdt_address;
	u32 length;			/* revision >= 2 */
	u64 xsdt_address;
	u8 extended_checksum;		/* whole structure sums to 0 */
	u8 reserved[3];
} __packed;

struct acpi_table_header {
	char signature[4];
	u32 length;			/* of the whole table, header included */
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

struct acpi_table_madt {
	struct acpi_table_header header;
	u32 lapic_address;
	u32 flags;			/* bit 0: 8259 PICs present */
	/* variable-length entries follow */
} __packed;

/* MADT entry types. */
#define ACPI_MADT_LAPIC			0
#define ACPI_MADT_IOAPIC		1
#define ACPI_MADT_INT_OVERRIDE		2
#define ACPI_MADT_NMI_SOURCE		3
#define ACPI_MADT_LAPIC_NMI		4
#define ACPI_MADT_LAPIC_OVERRIDE	5
#define ACPI_MADT_X2APIC		9
#define ACPI_MADT_X2APIC_NMI		10

#define ACPI_MADT_ENABLED		0x1	/* LAPIC/x2APIC flags */
#define ACPI_MADT_ONLINE_CAPABLE	0x2

struct acpi_madt_entry {
	u8 type;
	u8 length;
} __packed;

#define MADT_MAX_IOAPICS	8
#define MADT_MAX_OVERRIDES	16
#define MADT_MAX_NMIS		8

struct madt_ioapic {
	u32 id;
	u32 address;
	u32 gsi_base;
};

struct madt_override {
	u8 bus_irq;			/* ISA IRQ */
	u32 gsi;
	u16 flags;			/* MPS INTI polarity / trigger */
};

struct madt_lapic_nmi {
	u32 acpi_uid;			/* 0xff / 0xffffffff: all processors */
	u8 lint;			/* LINT0 or LINT1 */
	u16 flags;
};

/* What the MADT says, validated. */
struct madt_info {
	u64 lapic_address;
	bool has_8259;
	unsigned int nr_cpus;			/* enabled CPUs kept (<= NR_CPUS) */
	unsigned int nr_ignored;		/* enabled CPUs beyond NR_CPUS */
	u32 ignored_apic_min, ignored_apic_max;	/* their APIC IDs' range */
	unsigned int nr_disabled;		/* entries neither enabled nor online-capable */
	u32 apic_ids[NR_CPUS];			/* [0] is the first listed, not the BSP */
	unsigned int nr_ioapics;
	struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
	unsigned int nr_overrides;
	struct madt_override overrides[MADT_MAX_OVERRIDES];
	unsigned int nr_nmis;
	struct madt_lapic_nmi nmis[MADT_MAX_NMIS];
};

/**
 * acpi_checksum_ok() - do @len bytes at @p sum to zero (mod 256)?
 */
bool acpi_checksum_ok(const void *p, size_t len);

/**
 * acpi_table_check() - check a table's signature, length and checksum
 * @h: the table
 * @len: bytes readable at @h
 * @sig: the signature it must have, e.g. "SRAT"
 * @min_len: the size of its fixed part, header included
 * @name: how log lines call it
 *
 * Return: 0 when the header's length lies in [@min_len, @len] and the
 * bytes it covers sum to zero; else -EINVAL with a log line.
 */
int acpi_table_check(const struct acpi_table_header *h, size_t len, const char *sig,
		     size_t min_len, const char *name);

/**
 * acpi_validate_rsdp() - check an RSDP's signature, checksums and length
 * @rsdp: candidate structure
 * @avail: bytes readable at @rsdp
 *
 * Return: 0, or -EINVAL (with a log line naming what is wrong).
 */
int acpi_validate_rsdp(const struct acpi_rsdp *rsdp, size_t avail);

/**
 * acpi_table_init() - find the RSDP and the root table, check them
 *
 * Return: 0, -ENOENT when there is no ACPI, -EINVAL when it is malformed.
 * Either failure is logged; acpi_get_table() then finds nothing.
 */
int acpi_table_init(void);

/**
 * acpi_get_table() - look up a table by signature
 * @sig: four-character signature, e.g. "APIC" (the MADT) or "MCFG"
 * @instance: 0 for the first table with that signature, 1 for the next ...
 *
 * Only tables whose length is sane and whose checksum is right are
 * returned.  Return: the table in the kernel's address space, or NULL.
 */
const struct acpi_table_header *acpi_get_table(const char *sig, unsigned int instance);

/**
 * acpi_parse_madt() - validate a MADT and extract CPUs and interrupt controllers
 * @madt: the table
 * @len: bytes readable at @madt (the header's length must fit in it)
 * @info: filled on success; cleared first
 *
 * Every entry is bounds-checked; entries of unknown type are skipped, a
 * zero or overrunning entry length ends the walk with an error.  Enabled
 * CPUs beyond NR_CPUS and duplicate APIC IDs are counted and reported.
 * Return: 0, or -EINVAL for a table that cannot be trusted.
 */
int acpi_parse_madt(const struct acpi_table_madt *madt, size_t len, struct madt_info *info);

/* The parsed MADT of this machine (valid after acpi_table_init() and smp_prepare). */
extern struct madt_info acpi_madt;
extern bool acpi_madt_valid;

/**
 * acpi_os_map() - kernel address of firmware memory [@pa, @pa + @len)
 *
 * Architecture hook.  RAM comes from the direct map; anything else gets a
 * read-only, write-back, NX mapping, shared with an earlier one that
 * covers the range (reference-counted).  Return: the address, or NULL
 * (logged) for len 0, an impossible range or no memory.
 */
void *acpi_os_map(phys_addr_t pa, size_t len);

/**
 * acpi_os_unmap() - drop what acpi_os_map() returned
 * @ptr: its result (NULL does nothing)
 * @len: the length it was mapped with
 * Return: 0; -ENOENT (logged) for a pointer acpi_os_map() did not return.
 */
int acpi_os_unmap(const void *ptr, size_t len);

/* ---- SRAT and SLIT (drivers/acpi/srat.c) ---- */

struct acpi_table_srat {
	struct acpi_table_header header;
	u32 table_revision;		/* 1 */
	u64 reserved;
	/* variable-length entries follow (struct acpi_subtable_header) */
} __packed;

struct acpi_table_slit {
	struct acpi_table_header header;
	u64 locality_count;
	u8 entry[];			/* locality_count^2 distances, row-major */
} __packed;

/* SRAT entry types. */
#define ACPI_SRAT_TYPE_CPU_AFFINITY	0
#define ACPI_SRAT_TYPE_MEMORY_AFFINITY	1
#define ACPI_SRAT_TYPE_X2APIC_AFFINITY	2

#define ACPI_SRAT_CPU_ENABLED		0x1	/* CPU affinity flags */
#define ACPI_SRAT_MEM_ENABLED		0x1	/* memory affinity flags */
#define ACPI_SRAT_MEM_HOT_PLUGGABLE	0x2
#define ACPI_SRAT_MEM_NON_VOLATILE	0x4

#define SRAT_MAX_MEMS		64
#define SRAT_MAX_PXMS		64	/* distinct proximity domains (MAX_NUMNODES) */

struct srat_cpu {
	u32 apic_id;
	u32 pxm;
};

struct srat_mem {
	u64 base;
	u64 size;
	u32 pxm;
	u32 flags;			/* ACPI_SRAT_MEM_* */
};

/* What the SRAT says, validated: enabled entries only. */
struct srat_info {
	unsigned int nr_cpus;			/* distinct APIC IDs kept */
	unsigned int nr_cpus_ignored;		/* beyond NR_CPUS entries */
	unsigned int nr_mems;
	unsigned int nr_disabled;		/* entries without their enabled flag */
	unsigned int nr_pxms;			/* distinct domains, ascending in pxms[] */
	u32 pxms[SRAT_MAX_PXMS];
	struct srat_cpu cpus[NR_CPUS];
	struct srat_mem mems[SRAT_MAX_MEMS];
};

/**
 * acpi_parse_srat() - validate an SRAT and extract the affinity entries
 * @srat: the table
 * @len: bytes readable at @srat (the header's length must fit in it)
 * @info: filled on success; cleared first
 *
 * Every entry is bounds-checked before a field is read; unknown types are
 * skipped.  Before table revision 2 a processor or memory domain is its low
 * 8 bits (as in Linux).  Disabled entries are counted and dropped.
 * Return: 0, or -EINVAL (logged) for a truncated table or entry, a bad
 * checksum, a memory range that wraps or lies beyond 2^52, two memory
 * ranges of different domains that overlap, one APIC ID in two domains,
 * more than SRAT_MAX_PXMS domains or SRAT_MAX_MEMS ranges, or no enabled
 * entry at all.
 */
int acpi_parse_srat(const struct acpi_table_srat *srat, size_t len, struct srat_info *info);

/**
 * acpi_parse_slit() - validate a SLIT
 * @slit: the table
 * @len: bytes readable at @slit
 *
 * The matrix must fit the table, every diagonal entry be 10 and every
 * other entry above 10 (255 is "unreachable").
 * Return: the locality count (1 or more), or -EINVAL (logged).
 */
long acpi_parse_slit(const struct acpi_table_slit *slit, size_t len);

#endif /* _EXO_ACPI_H */
