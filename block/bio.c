// SPDX-License-Identifier: GPL-2.0
/*
 * Bios: allocation, data, completion and chaining (<exo/bio.h>).
 */
#include <exo/bio.h>
#include <exo/blkdev.h>
#include <exo/completion.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/limits.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "blk.h"

atomic_long_t blk_nr_bios, blk_nr_requests, blk_nr_in_flight;
atomic_long_t blk_nr_timeouts, blk_nr_requeues, blk_nr_splits, blk_nr_merges;

void blk_get_counters(struct blk_counters *c)
{
	c->bios = atomic_long_read(&blk_nr_bios);
	c->requests = atomic_long_read(&blk_nr_requests);
	c->in_flight = atomic_long_read(&blk_nr_in_flight);
	c->timeouts = atomic_long_read(&blk_nr_timeouts);
	c->requeues = atomic_long_read(&blk_nr_requeues);
	c->splits = atomic_long_read(&blk_nr_splits);
	c->merges = atomic_long_read(&blk_nr_merges);
}

static const struct {
	int errno;
	const char *name;
} blk_errors[] = {
	[BLK_STS_OK]		= { 0, "OK" },
	[BLK_STS_NOTSUPP]	= { -EOPNOTSUPP, "NOTSUPP" },
	[BLK_STS_TIMEOUT]	= { -ETIMEDOUT, "TIMEOUT" },
	[BLK_STS_NOSPC]		= { -ENOSPC, "NOSPC" },
	[BLK_STS_TRANSPORT]	= { -EIO, "TRANSPORT" },
	[BLK_STS_TARGET]	= { -EIO, "TARGET" },
	[BLK_STS_NEXUS]		= { -EIO, "NEXUS" },
	[BLK_STS_MEDIUM]	= { -EIO, "MEDIUM" },
	[BLK_STS_PROTECTION]	= { -EIO, "PROTECTION" },
	[BLK_STS_RESOURCE]	= { -ENOMEM, "RESOURCE" },
	[BLK_STS_IOERR]		= { -EIO, "IOERR" },
	[BLK_STS_DM_REQUEUE]	= { -EIO, "DM_REQUEUE" },
	[BLK_STS_AGAIN]		= { -EAGAIN, "AGAIN" },
	[BLK_STS_DEV_RESOURCE]	= { -EBUSY, "DEV_RESOURCE" },
	[BLK_STS_OFFLINE]	= { -ENODEV, "OFFLINE" },
};

int blk_status_to_errno(blk_status_t status)
{
	if (status >= ARRAY_SIZE(blk_errors) || (status && !blk_errors[status].errno))
		return -EIO;
	return blk_errors[status].errno;
}
EXPORT_SYMBOL_GPL(blk_status_to_errno);

blk_status_t errno_to_blk_status(int errno)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(blk_errors); i++)
		if (blk_errors[i].name && blk_errors[i].errno == errno)
			return (blk_status_t)i;
	return BLK_STS_IOERR;
}
EXPORT_SYMBOL_GPL(errno_to_blk_status);

const char *blk_status_name(blk_status_t status)
{
	if (status >= ARRAY_SIZE(blk_errors) || !blk_errors[status].name)
		return "UNKNOWN";
	return blk_errors[status].name;
}
EXPORT_SYMBOL_GPL(blk_status_name);

void bio_init(struct bio *bio, struct block_device *bdev, struct bio_vec *table,
	      unsigned short max_vecs, blk_opf_t opf)
{
	memset(bio, 0, sizeof(*bio));
	bio->bi_bdev = bdev;
	bio->bi_opf = opf;
	atomic_set(&bio->__bi_remaining, 1);
	atomic_set(&bio->__bi_cnt, 1);
	bio->bi_io_vec = table;
	bio->bi_max_vecs = max_vecs;
}
EXPORT_SYMBOL_GPL(bio_init);

/* bio_alloc() bios are freed by bio_put(); bio_init() ones are not (bi_flags bit). */
#define BIO_ALLOCED	15

struct bio *bio_alloc(struct block_device *bdev, unsigned short nr_vecs, blk_opf_t opf, gfp_t gfp)
{
	struct bio *bio;

	if (nr_vecs > BIO_MAX_VECS)
		return NULL;
	bio = kmalloc(sizeof(*bio) + nr_vecs * sizeof(struct bio_vec), gfp);
	if (!bio)
		return NULL;
	bio_init(bio, bdev, bio->bi_inline_vecs, nr_vecs, opf);
	bio_set_flag(bio, BIO_ALLOCED);
	atomic_long_add_return(1, &blk_nr_bios);
	return bio;
}
EXPORT_SYMBOL_GPL(bio_alloc);

void bio_put(struct bio *bio)
{
	if (atomic_add_return(-1, &bio->__bi_cnt))
		return;
	if (bio_flagged(bio, BIO_ALLOCED)) {
		atomic_long_add_return(-1, &blk_nr_bios);
		kfree(bio);
	}
}
EXPORT_SYMBOL_GPL(bio_put);

int bio_add_page(struct bio *bio, struct page *page, unsigned int len, unsigned int off)
{
	struct bio_vec *bv;

	if (!len || bio_flagged(bio, BIO_CLONED) || bio->bi_iter.bi_size + (u64)len > UINT_MAX)
		return 0;
	if (bio->bi_vcnt) {
		bv = &bio->bi_io_vec[bio->bi_vcnt - 1];
		/* Physically contiguous with the last piece: one segment. */
		if (page_to_phys(bv->bv_page) + bv->bv_offset + bv->bv_len ==
		    page_to_phys(page) + off) {
			bv->bv_len += len;
			bio->bi_iter.bi_size += len;
			return len;
		}
	}
	if (bio->bi_vcnt >= bio->bi_max_vecs)
		return 0;
	bv = &bio->bi_io_vec[bio->bi_vcnt++];
	bv->bv_page = page;
	bv->bv_len = len;
	bv->bv_offset = off;
	bio->bi_iter.bi_size += len;
	return len;
}
EXPORT_SYMBOL_GPL(bio_add_page);

int bio_add_virt(struct bio *bio, void *vaddr, unsigned int len)
{
	unsigned long v = (unsigned long)vaddr;
	bool direct = v >= PAGE_OFFSET && v - PAGE_OFFSET < PFN_PHYS(max_pfn);
	bool image = v >= KERNEL_VMA && v < MODULES_VADDR;

	if (!direct && !image) {
		pr_err("block: bio_add_virt: %px is not direct-map memory (vmalloc?)\n", vaddr);
		return 0;
	}
	return bio_add_page(bio, virt_to_page(vaddr), len, offset_in_page(vaddr));
}
EXPORT_SYMBOL_GPL(bio_add_virt);

static struct bio *__bio_chain_endio(struct bio *bio)
{
	struct bio *parent = bio->bi_parent;

	if (bio->bi_status && !parent->bi_status)
		parent->bi_status = bio->bi_status;
	bio_put(bio);
	return parent;
}

static void bio_chain_endio(struct bio *bio)
{
	bio_endio(__bio_chain_endio(bio));
}

/* False while chained children are outstanding. */
static bool bio_remaining_done(struct bio *bio)
{
	if (!bio_flagged(bio, BIO_CHAIN))
		return true;
	return atomic_add_return(-1, &bio->__bi_remaining) == 0;
}

void bio_endio(struct bio *bio)
{
again:
	if (!bio_remaining_done(bio))
		return;
	/* Walk chains iteratively: a deep split must not recurse. */
	if (bio->bi_end_io == bio_chain_endio) {
		bio = __bio_chain_endio(bio);
		goto again;
	}
	if (bio->bi_end_io)
		bio->bi_end_io(bio);
}
EXPORT_SYMBOL_GPL(bio_endio);

void bio_chain(struct bio *bio, struct bio *parent)
{
	bio->bi_private = NULL;
	bio->bi_parent = parent;
	bio->bi_end_io = bio_chain_endio;
	if (!bio_flagged(parent, BIO_CHAIN)) {
		atomic_set(&parent->__bi_remaining, 1);
		bio_set_flag(parent, BIO_CHAIN);
	}
	atomic_add(1, &parent->__bi_remaining);
}
EXPORT_SYMBOL_GPL(bio_chain);

struct bio *bio_split(struct bio *bio, int sectors, gfp_t gfp)
{
	struct bio *split;

	if (sectors <= 0 || (unsigned int)sectors >= bio_sectors(bio))
		return NULL;
	split = bio_alloc(bio->bi_bdev, 0, bio->bi_opf, gfp);
	if (!split)
		return NULL;
	split->bi_io_vec = bio->bi_io_vec;
	split->bi_vcnt = bio->bi_vcnt;
	split->bi_iter = bio->bi_iter;
	split->bi_iter.bi_size = (unsigned int)sectors << SECTOR_SHIFT;
	bio_set_flag(split, BIO_CLONED);
	if (op_has_data(bio_op(bio)))
		bio_advance_iter(bio, &bio->bi_iter, split->bi_iter.bi_size);
	else {
		bio->bi_iter.bi_sector += sectors;
		bio->bi_iter.bi_size -= split->bi_iter.bi_size;
	}
	/* Every piece is FUA; the first alone carries the pre-flush. */
	bio->bi_opf &= ~REQ_PREFLUSH;
	return split;
}
EXPORT_SYMBOL_GPL(bio_split);

static void submit_bio_wait_endio(struct bio *bio)
{
	complete(bio->bi_private);
}

int submit_bio_wait(struct bio *bio)
{
	struct completion done;

	init_completion(&done);
	bio->bi_private = &done;
	bio->bi_end_io = submit_bio_wait_endio;
	bio->bi_opf |= REQ_SYNC;
	submit_bio(bio);
	wait_for_completion(&done);
	return blk_status_to_errno(bio->bi_status);
}
EXPORT_SYMBOL_GPL(submit_bio_wait);
