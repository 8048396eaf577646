/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Byte order conversions, as Linux's <asm/byteorder.h> on a little-endian
 * CPU: cpu_to_{le,be}{16,32,64}() and back, htons()/ntohs()/htonl()/ntohl().
 * The __le and __be types are bitwise, so sparse flags a missed conversion.
 */
#ifndef _EXO_BYTEORDER_H
#define _EXO_BYTEORDER_H

#include <exo/types.h>

#define cpu_to_le16(x)	((__force __le16)(u16)(x))
#define cpu_to_le32(x)	((__force __le32)(u32)(x))
#define cpu_to_le64(x)	((__force __le64)(u64)(x))
#define le16_to_cpu(x)	((__force u16)(__le16)(x))
#define le32_to_cpu(x)	((__force u32)(__le32)(x))
#define le64_to_cpu(x)	((__force u64)(__le64)(x))
#define cpu_to_be16(x)	((__force __be16)__builtin_bswap16((u16)(x)))
#define cpu_to_be32(x)	((__force __be32)__builtin_bswap32((u32)(x)))
#define cpu_to_be64(x)	((__force __be64)__builtin_bswap64((u64)(x)))
#define be16_to_cpu(x)	__builtin_bswap16((__force u16)(__be16)(x))
#define be32_to_cpu(x)	__builtin_bswap32((__force u32)(__be32)(x))
#define be64_to_cpu(x)	__builtin_bswap64((__force u64)(__be64)(x))

#define htons(x)	cpu_to_be16(x)
#define ntohs(x)	be16_to_cpu(x)
#define htonl(x)	cpu_to_be32(x)
#define ntohl(x)	be32_to_cpu(x)

#endif /* _EXO_BYTEORDER_H */
