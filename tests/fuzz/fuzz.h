/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the fuzz targets: invariant checks that abort (libFuzzer then
 * saves the input as a crash reproducer) and a byte-stream reader for
 * targets whose input is a sequence of operations.
 */
#ifndef _TESTS_FUZZ_H
#define _TESTS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The parsers' log lines are noise while fuzzing; FUZZ_VERBOSE=1 prints
 * them, to replay one input.  The target includes <exo/printk.h>.
 */
#define fuzz_quiet_unless_verbose() \
	((void)(console_loglevel = getenv("FUZZ_VERBOSE") ? 8 : 0))

/* LLVMFuzzerInitialize() of a target with nothing else to set up. */
#define FUZZ_DEFINE_QUIET_INIT()					\
int LLVMFuzzerInitialize(int *argc, char ***argv)			\
{									\
	(void)argc;							\
	(void)argv;							\
	fuzz_quiet_unless_verbose();					\
	return 0;							\
}

#define FUZZ_CHECK(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
			__FILE__, __LINE__, #c);			\
		abort();						\
	}								\
} while (0)

/* Reads the input front to back; past its end every read returns 0. */
struct fuzz_stream {
	const uint8_t *p, *end;
};

static inline bool fuzz_more(const struct fuzz_stream *s)
{
	return s->p < s->end;
}

static inline uint64_t fuzz_bytes(struct fuzz_stream *s, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)(s->p < s->end ? *s->p++ : 0) << (8 * i);
	return v;
}

/* Firmware tables: the byte sum (0 when a checksum is right), a little-endian field. */
static inline uint8_t fuzz_sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

static inline uint32_t fuzz_le(const uint8_t *p, unsigned int n)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

/*
 * The rest of @s as an ACPI table, in a malloc()ed buffer of exactly its
 * size (*@len bytes; ASan catches a read past it); @fix_checksum makes the
 * header's checksum right first, so that the fuzzer gets past it.
 */
static inline uint8_t *fuzz_acpi_table(struct fuzz_stream *s, int fix_checksum, size_t *len)
{
	size_t n = (size_t)(s->end - s->p);
	uint8_t *t = malloc(n ? n : 1);

	FUZZ_CHECK(t);
	memcpy(t, s->p, n);
	if (fix_checksum && n >= 10) {
		uint32_t l = fuzz_le(t + 4, 4);

		t[9] = 0;
		t[9] = (uint8_t)-fuzz_sum8(t, l <= n ? l : n);
	}
	*len = n;
	return t;
}

#define fuzz_u8(s)	((uint8_t)fuzz_bytes(s, 1))
#define fuzz_u16(s)	((uint16_t)fuzz_bytes(s, 2))
#define fuzz_u32(s)	((uint32_t)fuzz_bytes(s, 4))
#define fuzz_u64(s)	fuzz_bytes(s, 8)

#endif
