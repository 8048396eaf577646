/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scatter-gather lists, as in Linux: an array of struct scatterlist, each
 * entry a (page, offset, length) piece of a buffer.  dma_map_sg()
 * (<exo/dma-mapping.h>) fills in each entry's bus address and length,
 * read back with sg_dma_address()/sg_dma_len().  The last entry carries
 * the end mark that sg_init_table() sets; there is no chaining.
 *
 *	struct scatterlist sg[2];
 *
 *	sg_init_table(sg, 2);
 *	sg_set_buf(&sg[0], hdr, sizeof(*hdr));
 *	sg_set_page(&sg[1], page, PAGE_SIZE, 0);
 *	n = dma_map_sg(dev, sg, 2, DMA_TO_DEVICE);
 *	for_each_sg(sg, s, n, i)
 *		program(sg_dma_address(s), sg_dma_len(s));
 */
#ifndef _EXO_SCATTERLIST_H
#define _EXO_SCATTERLIST_H

#include <exo/page_alloc.h>
#include <exo/string.h>
#include <exo/types.h>
#include <asm/page.h>

typedef u64 dma_addr_t;

#define SG_END	0x2UL

#ifndef offset_in_page
#define offset_in_page(p)	((unsigned long)(p) & (PAGE_SIZE - 1))
#endif

struct scatterlist {
	unsigned long page_link;	/* struct page *, end mark in bit 1 */
	unsigned int offset;
	unsigned int length;
	dma_addr_t dma_address;
	unsigned int dma_length;
};

#define sg_dma_address(sg)	((sg)->dma_address)
#define sg_dma_len(sg)		((sg)->dma_length)

static inline struct page *sg_page(struct scatterlist *sg)
{
	return (struct page *)(sg->page_link & ~SG_END);
}

static inline bool sg_is_last(const struct scatterlist *sg)
{
	return sg->page_link & SG_END;
}

/**
 * sg_set_page() - point @sg at @len bytes of @page from @offset
 * @sg: the entry
 * @page: first page of the piece (physically contiguous with what follows)
 * @len: bytes
 * @offset: start inside @page (may exceed PAGE_SIZE for a multi-page block)
 */
static inline void sg_set_page(struct scatterlist *sg, struct page *page,
			       unsigned int len, unsigned int offset)
{
	sg->page_link = (unsigned long)page | (sg->page_link & SG_END);
	sg->offset = offset;
	sg->length = len;
}

/**
 * sg_set_buf() - point @sg at a direct-map (kmalloc, page) buffer
 * @sg: the entry
 * @buf: the buffer; physically contiguous, not vmalloc memory
 * @buflen: bytes
 */
static inline void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_set_page(sg, virt_to_page(buf), buflen, offset_in_page(buf));
}

/* Direct-map address of the start of @sg's piece. */
static inline void *sg_virt(struct scatterlist *sg)
{
	return (u8 *)page_address(sg_page(sg)) + sg->offset;
}

static inline phys_addr_t sg_phys(struct scatterlist *sg)
{
	return page_to_phys(sg_page(sg)) + sg->offset;
}

static inline void sg_mark_end(struct scatterlist *sg)
{
	sg->page_link |= SG_END;
}

static inline void sg_unmark_end(struct scatterlist *sg)
{
	sg->page_link &= ~SG_END;
}

/**
 * sg_init_table() - zero @nents entries and mark the last one as the end
 * @sgl: the array
 * @nents: its length, at least 1
 */
static inline void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	memset(sgl, 0, sizeof(*sgl) * nents);
	sg_mark_end(&sgl[nents - 1]);
}

/**
 * sg_init_one() - a one-entry table for @buf
 */
static inline void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_init_table(sg, 1);
	sg_set_buf(sg, buf, buflen);
}

/* The entry after @sg, or NULL after the last. */
static inline struct scatterlist *sg_next(struct scatterlist *sg)
{
	return sg_is_last(sg) ? NULL : sg + 1;
}

/* Number of entries up to the end mark. */
static inline int sg_nents(struct scatterlist *sg)
{
	int n;

	for (n = 0; sg; sg = sg_next(sg))
		n++;
	return n;
}

#define for_each_sg(sglist, sg, nr, __i)	\
	for (__i = 0, sg = (sglist); __i < (nr); __i++, sg = sg_next(sg))

#endif /* _EXO_SCATTERLIST_H */
