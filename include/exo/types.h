/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-size integer types and the address types of the memory API.
 * phys_addr_t is deliberately a plain integer (the contract says so); use
 * phys_to_virt()/virt_to_phys() to cross between the two spaces.
 */
#ifndef _EXO_TYPES_H
#define _EXO_TYPES_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <exo/compiler.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;	/* %llu, as in Linux */
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;

typedef u64 phys_addr_t;		/* physical address */
typedef unsigned long pgflags_t;	/* PAGE_* mapping flags */
typedef long ssize_t;
#ifndef __HOSTED__
typedef u32 dev_t;			/* device number: <exo/fs.h> MAJOR(), MINOR() */
#else
/* The host's <sys/types.h> type, which hosted files include beside this. */
typedef unsigned long dev_t;
#endif

/* Fixed-endian values (<exo/byteorder.h> converts): bitwise for sparse. */
typedef u16 __bitwise __le16;
typedef u16 __bitwise __be16;
typedef u32 __bitwise __le32;
typedef u32 __bitwise __be32;
typedef u64 __bitwise __le64;
typedef u64 __bitwise __be64;

/* gfp_t is bitwise so sparse rejects mixing it with plain integers. */
typedef unsigned int __bitwise gfp_t;

#endif /* _EXO_TYPES_H */
