// SPDX-License-Identifier: GPL-2.0
/*
 * CRC-32 a bit at a time: the users (GPT headers, module images sent over
 * a serial line) checksum a few MiB at most, far less than the time the
 * bytes take to arrive, so a table is not worth its 1 KiB.
 */
#include <exo/crc32.h>
#include <exo/export.h>

#define CRC32_POLY_LE	0xedb88320u

u32 crc32_le(u32 crc, const void *p, size_t len)
{
	const u8 *b = p;

	while (len--) {
		crc ^= *b++;
		for (int i = 0; i < 8; i++)
			crc = (crc >> 1) ^ (CRC32_POLY_LE & -(crc & 1));
	}
	return crc;
}
EXPORT_SYMBOL_GPL(crc32_le);
