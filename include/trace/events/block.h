/* SPDX-License-Identifier: GPL-2.0 */
/* Block request events: a request handed to the driver, and its end. */
#include <exo/blk-mq.h>
#include <exo/blkdev.h>
#include <exo/string.h>
#include <exo/tracepoint.h>

/* Outside the guard: a header included above may set it too. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM block

#if !defined(_TRACE_BLOCK_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_BLOCK_H

#define TRACE_DISK_NAME_LEN	16

/* Linux's rwbs letter of the operation: R, W, F(lush), D(iscard), N(one). */
static inline char trace_block_rwbs(const struct request *rq)
{
	switch (req_op(rq)) {
	case REQ_OP_READ: return 'R';
	case REQ_OP_WRITE: return 'W';
	case REQ_OP_FLUSH: return 'F';
	case REQ_OP_DISCARD: return 'D';
	default: return 'N';
	}
}

static inline void trace_block_disk(char *name, const struct request *rq)
{
	const struct gendisk *disk = rq->q ? rq->q->disk : NULL;

	strlcpy(name, disk ? disk->disk_name : "?", TRACE_DISK_NAME_LEN);
}

TRACE_EVENT(block_rq_issue,
	TP_PROTO(struct request *rq),
	TP_ARGS(rq),
	TP_STRUCT__entry(
		__field(u64, sector)
		__array(char, disk, TRACE_DISK_NAME_LEN)
		__field(unsigned int, nr_sector)
		__field(int, tag)
		__field(char, rwbs)
	),
	TP_fast_assign(
		trace_block_disk(__entry->disk, rq);
		__entry->sector = rq->__sector;
		__entry->nr_sector = rq->__data_len >> 9;
		__entry->tag = rq->tag;
		__entry->rwbs = trace_block_rwbs(rq);
	),
	TP_printk("dev=%s rwbs=%c sector=%llu nr_sector=%u tag=%d", __entry->disk, __entry->rwbs,
		  (unsigned long long)__entry->sector, __entry->nr_sector, __entry->tag)
);

TRACE_EVENT(block_rq_complete,
	TP_PROTO(struct request *rq, int error),
	TP_ARGS(rq, error),
	TP_STRUCT__entry(
		__array(char, disk, TRACE_DISK_NAME_LEN)
		__field(u64, sector)
		__field(int, tag)
		__field(int, error)
		__field(char, rwbs)
	),
	TP_fast_assign(
		trace_block_disk(__entry->disk, rq);
		__entry->sector = rq->__sector;
		__entry->tag = rq->tag;
		__entry->error = error;
		__entry->rwbs = trace_block_rwbs(rq);
	),
	TP_printk("dev=%s rwbs=%c sector=%llu tag=%d error=%d", __entry->disk, __entry->rwbs,
		  (unsigned long long)__entry->sector, __entry->tag, __entry->error)
);

#endif /* _TRACE_BLOCK_H */
