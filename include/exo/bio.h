/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bios, as in Linux 6.1: allocate one for a block device, add its data,
 * submit it, and be told in bi_end_io (or wait with submit_bio_wait()).
 *
 *	struct bio *bio = bio_alloc(bdev, 1, REQ_OP_READ, GFP_KERNEL);
 *
 *	bio->bi_iter.bi_sector = lba;
 *	bio_add_virt(bio, buf, 4096);		// or bio_add_page()
 *	err = submit_bio_wait(bio);		// 0 or a negative errno
 *	bio_put(bio);
 *
 * Data buffers live in the direct map (kmalloc, alloc_pages), never in
 * vmalloc memory, and start on a boundary of the queue's DMA alignment
 * (dma_alignment + 1, 512 bytes by default); their length and the start
 * sector are multiples of the logical block size.  A bio that breaks
 * these rules completes with BLK_STS_IOERR and a log line.
 */
#ifndef _EXO_BIO_H
#define _EXO_BIO_H

#include <exo/blk_types.h>
#include <exo/bug.h>
#include <exo/gfp.h>
#include <exo/page_alloc.h>

/* Most bio_vecs in one bio. */
#define BIO_MAX_VECS	256

static inline enum req_op bio_op(const struct bio *bio)
{
	return (enum req_op)(bio->bi_opf & REQ_OP_MASK);
}

/* WRITE (1) for an operation that sends data to the device, else READ (0). */
#define READ	0
#define WRITE	1
static inline int bio_data_dir(const struct bio *bio)
{
	return op_is_write(bio->bi_opf) ? WRITE : READ;
}

static inline unsigned int bio_sectors(const struct bio *bio)
{
	return bio->bi_iter.bi_size >> SECTOR_SHIFT;
}

static inline sector_t bio_end_sector(const struct bio *bio)
{
	return bio->bi_iter.bi_sector + bio_sectors(bio);
}

static inline bool bio_flagged(const struct bio *bio, unsigned int bit)
{
	return bio->bi_flags & (1u << bit);
}

static inline void bio_set_flag(struct bio *bio, unsigned int bit)
{
	bio->bi_flags |= 1u << bit;
}

static inline bool bio_has_data(const struct bio *bio)
{
	return bio->bi_iter.bi_size && op_has_data(bio_op(bio));
}

/* The segment at @iter: the rest of the current bio_vec, bounded by bi_size. */
static inline struct bio_vec bvec_iter_bvec(const struct bio_vec *bvec, struct bvec_iter iter)
{
	const struct bio_vec *bv = &bvec[iter.bi_idx];
	unsigned int len = bv->bv_len - iter.bi_bvec_done;

	return (struct bio_vec){
		.bv_page = bv->bv_page,
		.bv_len = len < iter.bi_size ? len : iter.bi_size,
		.bv_offset = bv->bv_offset + iter.bi_bvec_done,
	};
}

#define bio_iter_iovec(bio, iter)	bvec_iter_bvec((bio)->bi_io_vec, (iter))

/* Move @iter @bytes forward; the bytes must lie within bi_size. */
static inline void bvec_iter_advance(const struct bio_vec *bv, struct bvec_iter *iter,
				     unsigned int bytes)
{
	iter->bi_sector += bytes >> SECTOR_SHIFT;
	iter->bi_size -= bytes;
	bytes += iter->bi_bvec_done;
	while (bytes && bytes >= bv[iter->bi_idx].bv_len) {
		bytes -= bv[iter->bi_idx].bv_len;
		iter->bi_idx++;
	}
	iter->bi_bvec_done = bytes;
}

static inline void bio_advance_iter(const struct bio *bio, struct bvec_iter *iter,
				    unsigned int bytes)
{
	bvec_iter_advance(bio->bi_io_vec, iter, bytes);
}

/*
 * Each physically contiguous segment of @bio from its current position.
 * Segments may span pages (see struct bio_vec): drivers use
 * page_address(bv.bv_page) + bv.bv_offset for bv.bv_len bytes.
 */
#define __bio_for_each_segment(bvl, bio, iter, start)			\
	for (iter = (start);						\
	     (iter).bi_size && ((bvl = bio_iter_iovec((bio), (iter))), 1); \
	     bio_advance_iter((bio), &(iter), (bvl).bv_len))

#define bio_for_each_segment(bvl, bio, iter)				\
	__bio_for_each_segment(bvl, bio, iter, (bio)->bi_iter)

#define bio_for_each_bvec(bvl, bio, iter)	bio_for_each_segment(bvl, bio, iter)

/* Direct-map address of a segment's first byte. */
static inline void *bvec_virt(const struct bio_vec *bv)
{
	return (u8 *)page_address(bv->bv_page) + bv->bv_offset;
}

/**
 * bio_alloc() - allocate a bio with room for @nr_vecs bio_vecs
 * @bdev: the block device it targets (may be NULL, set bi_bdev later)
 * @nr_vecs: bio_vecs to make room for, 0 .. BIO_MAX_VECS
 * @opf: operation and REQ_* flags
 * @gfp: allocation flags
 *
 * Return: the bio, with one reference, or NULL if out of memory or
 * @nr_vecs is too large.
 */
struct bio *bio_alloc(struct block_device *bdev, unsigned short nr_vecs,
		      blk_opf_t opf, gfp_t gfp);

/**
 * bio_init() - set up a bio the caller allocated (on its stack, say)
 * @bio: the bio
 * @bdev: the block device
 * @table: its bio_vecs
 * @max_vecs: entries in @table
 * @opf: operation and flags
 *
 * A bio set up this way is never freed by bio_put(); the caller keeps it
 * alive until it completed.
 */
void bio_init(struct bio *bio, struct block_device *bdev, struct bio_vec *table,
	      unsigned short max_vecs, blk_opf_t opf);

/**
 * bio_get() - take a reference on @bio
 */
static inline void bio_get(struct bio *bio)
{
	atomic_add(1, &bio->__bi_cnt);
}

/**
 * bio_put() - drop a reference; the last one frees a bio_alloc() bio
 * @bio: the bio
 */
void bio_put(struct bio *bio);

/**
 * bio_add_page() - append @len bytes of @page from @off to @bio
 * @bio: a bio not yet submitted
 * @page: first page of the data (physically contiguous for @len bytes)
 * @len: bytes, more than 0
 * @off: offset into @page
 *
 * A piece that continues the last bio_vec physically is merged into it.
 *
 * Return: @len, or 0 if the bio is full or @len is 0 (nothing added).
 */
int bio_add_page(struct bio *bio, struct page *page, unsigned int len, unsigned int off);

/**
 * bio_add_virt() - append a direct-map buffer to @bio
 * @bio: a bio not yet submitted
 * @vaddr: the buffer (kmalloc or page memory, not vmalloc)
 * @len: bytes, more than 0
 *
 * Exo's form of Linux's bio_add_virt_nofail(), reporting failure.
 *
 * Return: @len, or 0 if the bio is full or @len is 0.
 */
int bio_add_virt(struct bio *bio, void *vaddr, unsigned int len);

/**
 * bio_endio() - complete @bio with its bi_status
 * @bio: the bio
 *
 * Calls bi_end_io once the bio and every bio chained to it completed
 * (bio_chain()).  Safe in interrupt context.
 */
void bio_endio(struct bio *bio);

/* Complete @bio with BLK_STS_IOERR. */
static inline void bio_io_error(struct bio *bio)
{
	bio->bi_status = BLK_STS_IOERR;
	bio_endio(bio);
}

/**
 * bio_chain() - make @parent complete only after @bio
 * @bio: the child
 * @parent: the parent
 *
 * @bio's bi_end_io is replaced; its error, if any, is passed to @parent.
 */
void bio_chain(struct bio *bio, struct bio *parent);

/**
 * bio_split() - split the first @sectors off @bio
 * @bio: the bio, which keeps the remainder
 * @sectors: sectors in the split, fewer than bio_sectors(@bio)
 * @gfp: allocation flags
 *
 * The split shares @bio's bio_vecs (BIO_CLONED); chain it to @bio with
 * bio_chain() so @bio completes after it.
 *
 * Return: the split, or NULL if out of memory.
 */
struct bio *bio_split(struct bio *bio, int sectors, gfp_t gfp);

/**
 * submit_bio() - hand @bio to the block layer
 * @bio: the bio; bi_bdev, bi_opf, bi_iter and the data are set
 *
 * Remaps a partition's sector to the disk, checks the bio against the
 * device (range, alignment, length, supported operation), and queues it.
 * The outcome arrives in bi_end_io: a bad bio completes at once with
 * BLK_STS_IOERR (or BLK_STS_NOTSUPP) and a log line.  May sleep waiting
 * for a free request unless REQ_NOWAIT is set.
 */
void submit_bio(struct bio *bio);

/**
 * submit_bio_wait() - submit @bio and wait for it
 * @bio: the bio; bi_end_io and bi_private are overwritten
 *
 * Return: 0 or the negative errno of the bio's status: -EIO for a device
 * error or a bad bio, -ETIMEDOUT for a request the device did not
 * complete in time, -EOPNOTSUPP for an operation the device lacks.
 */
int submit_bio_wait(struct bio *bio);

#endif /* _EXO_BIO_H */
