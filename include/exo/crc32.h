/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320), as Linux's
 * <linux/crc32.h>: crc32_le() neither inverts its seed nor its result, so
 * the common "CRC-32" (zlib's crc32(), Python's zlib.crc32(), GPT, PNG) is
 * ~crc32_le(~0, buf, len), and a long buffer may be fed in pieces.
 */
#ifndef _EXO_CRC32_H
#define _EXO_CRC32_H

#include <exo/types.h>

/**
 * crc32_le() - update a little-endian (reflected) CRC-32 with @len bytes
 * @crc: the CRC so far (~0 to start the common CRC-32)
 * @p: the bytes
 * @len: how many
 * Return: the updated CRC, not inverted.
 */
u32 crc32_le(u32 crc, const void *p, size_t len);

#endif
