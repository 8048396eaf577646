/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block layer types shared by bios, requests and drivers, as in Linux 6.1:
 * sector_t, blk_status_t, the operations (REQ_OP_*) and their flags
 * (REQ_FUA, REQ_PREFLUSH...), struct bio_vec/bvec_iter and struct bio.
 * Documentation/block.rst describes the layer.
 */
#ifndef _EXO_BLK_TYPES_H
#define _EXO_BLK_TYPES_H

#include <exo/atomic.h>
#include <exo/types.h>

struct bio;
struct block_device;
struct page;

/* A 512-byte sector number or count, whatever the device's block size. */
typedef u64 sector_t;

#define SECTOR_SHIFT	9
#define SECTOR_SIZE	(1 << SECTOR_SHIFT)

/*
 * The outcome of a bio or request, with Linux's values.  Drivers return
 * BLK_STS_RESOURCE (or BLK_STS_DEV_RESOURCE) from queue_rq when the device
 * is full: the core requeues the request and dispatches it again once a
 * request completes or the queue is restarted.
 */
typedef u8 blk_status_t;

#define BLK_STS_OK		((blk_status_t)0)
#define BLK_STS_NOTSUPP		((blk_status_t)1)
#define BLK_STS_TIMEOUT		((blk_status_t)2)
#define BLK_STS_NOSPC		((blk_status_t)3)
#define BLK_STS_TRANSPORT	((blk_status_t)4)
#define BLK_STS_TARGET		((blk_status_t)5)
#define BLK_STS_NEXUS		((blk_status_t)6)
#define BLK_STS_MEDIUM		((blk_status_t)7)
#define BLK_STS_PROTECTION	((blk_status_t)8)
#define BLK_STS_RESOURCE	((blk_status_t)9)
#define BLK_STS_IOERR		((blk_status_t)10)
#define BLK_STS_DM_REQUEUE	((blk_status_t)11)
#define BLK_STS_AGAIN		((blk_status_t)12)
#define BLK_STS_DEV_RESOURCE	((blk_status_t)13)
#define BLK_STS_OFFLINE		((blk_status_t)17)

/**
 * blk_status_to_errno() - the negative errno for a status
 * @status: a BLK_STS_* value
 *
 * Return: 0 for BLK_STS_OK, -EOPNOTSUPP, -ETIMEDOUT, -ENOSPC, -ENOLINK,
 * -EREMOTEIO, -EBADE, -ENODATA, -EILSEQ, -ENOMEM, -EAGAIN, -ENODEV, and
 * -EIO for BLK_STS_IOERR and any unknown value.
 */
int blk_status_to_errno(blk_status_t status);

/**
 * errno_to_blk_status() - the status for a negative errno
 * @errno: 0 or a negative errno
 *
 * Return: the BLK_STS_* value blk_status_to_errno() maps back to @errno;
 * BLK_STS_IOERR for an errno without one.
 */
blk_status_t errno_to_blk_status(int errno);

/**
 * blk_status_name() - a short name of @status for log lines ("IOERR")
 */
const char *blk_status_name(blk_status_t status);

/*
 * bi_opf / cmd_flags: the operation in the low REQ_OP_BITS bits, flags
 * above.  Odd operations transfer data to the device (op_is_write()).
 */
typedef u32 blk_opf_t;

#define REQ_OP_BITS	8
#define REQ_OP_MASK	((1u << REQ_OP_BITS) - 1)

enum req_op {
	REQ_OP_READ		= 0,	/* read sectors */
	REQ_OP_WRITE		= 1,	/* write sectors */
	REQ_OP_FLUSH		= 2,	/* flush the volatile write cache */
	REQ_OP_DISCARD		= 3,	/* the sectors' data may be dropped */
	REQ_OP_WRITE_ZEROES	= 9,	/* write zeroes, no data buffer */
	REQ_OP_LAST		= 10,
};

enum req_flag_bits {
	__REQ_FAILFAST_DEV = REQ_OP_BITS,
	__REQ_SYNC,		/* the submitter waits for it */
	__REQ_META,
	__REQ_PRIO,
	__REQ_NOMERGE,		/* never merged with another bio */
	__REQ_IDLE,
	__REQ_FUA,		/* on stable media when completed */
	__REQ_PREFLUSH,		/* flush the write cache before the data */
	__REQ_RAHEAD,
	__REQ_BACKGROUND,
	__REQ_NOWAIT,		/* fail with BLK_STS_AGAIN instead of sleeping for a tag */
	__REQ_NR_BITS,
};

#define REQ_FAILFAST_DEV	(1u << __REQ_FAILFAST_DEV)
#define REQ_SYNC		(1u << __REQ_SYNC)
#define REQ_META		(1u << __REQ_META)
#define REQ_PRIO		(1u << __REQ_PRIO)
#define REQ_NOMERGE		(1u << __REQ_NOMERGE)
#define REQ_IDLE		(1u << __REQ_IDLE)
#define REQ_FUA			(1u << __REQ_FUA)
#define REQ_PREFLUSH		(1u << __REQ_PREFLUSH)
#define REQ_RAHEAD		(1u << __REQ_RAHEAD)
#define REQ_BACKGROUND		(1u << __REQ_BACKGROUND)
#define REQ_NOWAIT		(1u << __REQ_NOWAIT)

static inline bool op_is_write(blk_opf_t op)
{
	return op & 1;
}

/* A flush, or data that must reach stable media before completion. */
static inline bool op_is_flush(blk_opf_t op)
{
	return op & (REQ_FUA | REQ_PREFLUSH);
}

/* Operations that move data through bio_vecs. */
static inline bool op_has_data(enum req_op op)
{
	return op == REQ_OP_READ || op == REQ_OP_WRITE;
}

/*
 * A physically contiguous piece of memory: @bv_len bytes from @bv_offset
 * into @bv_page.  As in Linux's multi-page bvecs, the piece may span
 * several pages of one direct-map block (kmalloc memory, a page block);
 * @bv_offset may then exceed PAGE_SIZE.
 */
struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

/* A position in a bio's data: where the next byte is, how many are left. */
struct bvec_iter {
	sector_t bi_sector;		/* device address, 512-byte sectors */
	unsigned int bi_size;		/* bytes left */
	unsigned int bi_idx;		/* current index into bi_io_vec */
	unsigned int bi_bvec_done;	/* bytes of bi_io_vec[bi_idx] done */
};

typedef void (bio_end_io_t)(struct bio *bio);

/* bi_flags bits. */
enum {
	BIO_CLONED,		/* shares its parent's bi_io_vec (bio_split) */
	BIO_CHAIN,		/* __bi_remaining is counted (bio_chain) */
	BIO_QUIET,		/* no log line for an error */
};

/*
 * The unit of I/O a submitter hands to the block layer: an operation on
 * bi_iter.bi_size bytes from sector bi_iter.bi_sector of bi_bdev (a disk
 * or a partition), with its data in bi_io_vec.  bi_end_io runs when it
 * completes, with the outcome in bi_status; it may run in interrupt
 * context.
 */
struct bio {
	struct bio *bi_next;		/* request's list of bios */
	struct block_device *bi_bdev;
	blk_opf_t bi_opf;		/* operation and REQ_* flags */
	unsigned short bi_flags;	/* BIO_* bits */
	blk_status_t bi_status;
	atomic_t __bi_remaining;	/* chained children + 1 */
	struct bvec_iter bi_iter;
	bio_end_io_t *bi_end_io;
	void *bi_private;		/* the submitter's, for bi_end_io */
	struct bio *bi_parent;		/* bio_chain()'s parent */
	unsigned short bi_vcnt;		/* bio_vecs in use */
	unsigned short bi_max_vecs;	/* bio_vecs allocated */
	atomic_t __bi_cnt;		/* references (bio_get/bio_put) */
	struct bio_vec *bi_io_vec;
	struct bio_vec bi_inline_vecs[];
};

#endif /* _EXO_BLK_TYPES_H */
