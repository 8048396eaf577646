/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Intel MultiProcessor Specification 1.4 tables (the "MP table"), as
 * firmware builds them: SeaBIOS (QEMU) and the Bochs BIOS.  Exo-OS takes
 * CPUs and I/O APICs from the MADT; what it wants from the MP table is the
 * one thing the MADT cannot say without AML: which I/O APIC input a PCI
 * device's INTx pin reaches (the I/O interrupt assignment entries of the
 * PCI buses).  See arch/x86/kernel/mpparse.c and Documentation/irq.rst,
 * "PCI INTx routing".
 *
 * The parser is portable (no kernel-only calls besides acpi_os_map()), so
 * tests/fuzz/fuzz_mpparse.c fuzzes it hosted; hence include/exo/ rather
 * than asm/.
 */
#ifndef _EXO_MPSPEC_H
#define _EXO_MPSPEC_H

#include <exo/types.h>
#include <exo/compiler.h>

/* MP floating pointer structure, on a 16-byte boundary. */
struct mpf_intel {
	char signature[4];		/* "_MP_" */
	u32 physptr;			/* configuration table, 0: default config */
	u8 length;			/* in 16-byte units: 1 */
	u8 specification;		/* 1 (1.1) or 4 (1.4) */
	u8 checksum;			/* the structure sums to 0 */
	u8 feature1;			/* default configuration type, 0: none */
	u8 feature2;			/* bit 7: IMCR present */
	u8 feature3, feature4, feature5;
} __packed;

/* MP configuration table header; base entries follow. */
struct mpc_table {
	char signature[4];		/* "PCMP" */
	u16 length;			/* of the base table, header included */
	u8 spec;
	u8 checksum;			/* the base table sums to 0 */
	char oem[8];
	char productid[12];
	u32 oemptr;
	u16 oemsize;
	u16 oemcount;			/* number of base entries */
	u32 lapic;
	u16 extlength;			/* extended table, after the base one */
	u8 extchecksum;
	u8 reserved;
} __packed;

/* Base entry types, and their sizes. */
#define MP_PROCESSOR		0	/* 20 bytes */
#define MP_BUS			1	/* 8 bytes, and all below */
#define MP_IOAPIC		2
#define MP_INTSRC		3
#define MP_LINTSRC		4

struct mpc_bus {
	u8 type;
	u8 busid;
	char bustype[6];		/* "PCI   ", "ISA   ", ... */
} __packed;

struct mpc_ioapic {
	u8 type;
	u8 apicid;
	u8 apicver;
	u8 flags;			/* bit 0: usable */
	u32 apicaddr;
} __packed;

#define MPC_APIC_USABLE		0x01

struct mpc_intsrc {
	u8 type;
	u8 irqtype;			/* mp_INT, mp_NMI, mp_SMI, mp_ExtINT */
	u16 irqflag;			/* polarity bits 0-1, trigger bits 2-3 */
	u8 srcbus;
	u8 srcbusirq;			/* PCI: device << 2 | (pin - 1) */
	u8 dstapic;			/* I/O APIC ID, 0xff: all */
	u8 dstirq;			/* input pin of that I/O APIC */
} __packed;

enum mp_irq_source_types { mp_INT = 0, mp_NMI = 1, mp_SMI = 2, mp_ExtINT = 3 };

#define MP_IRQPOL_MASK		0x3
#define  MP_IRQPOL_DEFAULT	0x0	/* conforming: PCI is active low */
#define  MP_IRQPOL_ACTIVE_HIGH	0x1
#define  MP_IRQPOL_RESERVED	0x2
#define  MP_IRQPOL_ACTIVE_LOW	0x3
#define MP_IRQTRIG_MASK		0xc
#define  MP_IRQTRIG_DEFAULT	0x0	/* conforming: PCI is level */
#define  MP_IRQTRIG_EDGE	0x4
#define  MP_IRQTRIG_RESERVED	0x8
#define  MP_IRQTRIG_LEVEL	0xc

#define MP_APIC_ALL		0xff

/* What mp_parse_config() keeps. */
#define MP_MAX_IOAPICS		8
#define MP_MAX_IRQS		256

enum mp_bustype { MP_BUS_NONE, MP_BUS_ISA, MP_BUS_PCI, MP_BUS_OTHER };

struct mp_ioapic_info {
	u8 id;
	u8 version;
	bool usable;
	u32 address;
};

struct mp_config_info {
	u32 lapic;
	unsigned int nr_cpus;
	u8 bus_type[256];		/* enum mp_bustype, by bus ID */
	unsigned int nr_ioapics;
	struct mp_ioapic_info ioapics[MP_MAX_IOAPICS];
	unsigned int nr_irqs;		/* I/O interrupt assignments, as listed */
	struct mpc_intsrc irqs[MP_MAX_IRQS];
};

/**
 * mpf_checksum_ok() - is @mpf a valid floating pointer structure?
 * @mpf: candidate, 16 readable bytes
 *
 * Signature, length 1, specification 1 or 4 and checksum; no log line (the
 * BIOS-area scan tries every 16-byte boundary).
 */
bool mpf_checksum_ok(const struct mpf_intel *mpf);

/**
 * mp_parse_config() - validate an MP configuration table and extract it
 * @mpc: the table
 * @avail: bytes readable at @mpc (the header's length must fit in it)
 * @info: filled on success; cleared first
 *
 * Refused, with a log line: a bad signature, checksum or specification
 * revision, a length shorter than the header or longer than @avail, an
 * entry crossing the end or of unknown type, an entry count that differs
 * from the header's, a bus or I/O APIC ID declared twice, more I/O APICs
 * or interrupt assignments than this structure holds, reserved polarity or
 * trigger values, an assignment naming an undeclared bus or I/O APIC, and
 * a PCI source IRQ with reserved bit 7 set.
 * Return: 0, or -EINVAL for a table that cannot be trusted.
 */
int mp_parse_config(const struct mpc_table *mpc, size_t avail, struct mp_config_info *info);

/**
 * mp_find_config() - find the MP table in firmware memory and parse it
 * @info: filled on success
 *
 * Scans for "_MP_" in the first KiB of the EBDA, the last KiB of base
 * memory and 0xF0000-0xFFFFF (in that order, as the specification says),
 * through acpi_os_map().  Return: 0; -ENOENT when there is no floating
 * pointer or it names a default configuration (no table); -EINVAL as
 * mp_parse_config() (logged).
 */
int mp_find_config(struct mp_config_info *info);

/* The MP table of this machine, valid after mp_table_init() returned 0. */
extern struct mp_config_info mp_config;

/**
 * mp_table_init() - find and parse this machine's MP table, once
 *
 * Return: as mp_find_config(), the same value on every call.
 */
int mp_table_init(void);

#endif /* _EXO_MPSPEC_H */
