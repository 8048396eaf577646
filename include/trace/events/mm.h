/* SPDX-License-Identifier: GPL-2.0 */
/* Memory events: the page allocator, kmalloc and TLB flushes. */
#include <exo/tracepoint.h>
#include <asm/page.h>

/* Outside the guard: a header included above may set it too. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mm

#if !defined(_TRACE_MM_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_MM_H

TRACE_EVENT(page_alloc,
	TP_PROTO(unsigned long pfn, unsigned int order, gfp_t gfp_flags),
	TP_ARGS(pfn, order, gfp_flags),
	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__field(unsigned int, gfp_flags)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->order = order;
		__entry->gfp_flags = (__force unsigned int)gfp_flags;
	),
	TP_printk("pfn=0x%lx order=%u gfp_flags=%#x", __entry->pfn, __entry->order,
		  __entry->gfp_flags)
);

TRACE_EVENT(page_free,
	TP_PROTO(unsigned long pfn, unsigned int order),
	TP_ARGS(pfn, order),
	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(unsigned int, order)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->order = order;
	),
	TP_printk("pfn=0x%lx order=%u", __entry->pfn, __entry->order)
);

TRACE_EVENT(kmalloc,
	TP_PROTO(unsigned long call_site, const void *ptr, size_t bytes_req,
		 unsigned int gfp_flags),
	TP_ARGS(call_site, ptr, bytes_req, gfp_flags),
	TP_STRUCT__entry(
		__field(unsigned long, call_site)
		__field(const void *, ptr)
		__field(size_t, bytes_req)
		__field(unsigned int, gfp_flags)
	),
	TP_fast_assign(
		__entry->call_site = call_site;
		__entry->ptr = ptr;
		__entry->bytes_req = bytes_req;
		__entry->gfp_flags = gfp_flags;
	),
	TP_printk("call_site=%pS ptr=%p bytes_req=%zu gfp_flags=%#x",
		  (void *)__entry->call_site, __entry->ptr, __entry->bytes_req,
		  __entry->gfp_flags)
);

TRACE_EVENT(kfree,
	TP_PROTO(unsigned long call_site, const void *ptr),
	TP_ARGS(call_site, ptr),
	TP_STRUCT__entry(
		__field(unsigned long, call_site)
		__field(const void *, ptr)
	),
	TP_fast_assign(
		__entry->call_site = call_site;
		__entry->ptr = ptr;
	),
	TP_printk("call_site=%pS ptr=%p", (void *)__entry->call_site, __entry->ptr)
);

/* A TLB flush of [start, end) on @cpus CPUs. */
DECLARE_EVENT_CLASS(tlb_range,
	TP_PROTO(unsigned int cpus, unsigned long start, unsigned long end),
	TP_ARGS(cpus, start, end),
	TP_STRUCT__entry(
		__field(unsigned long, start)
		__field(unsigned long, pages)
		__field(unsigned int, cpus)
	),
	TP_fast_assign(
		__entry->start = start;
		__entry->pages = (end - start) >> PAGE_SHIFT;
		__entry->cpus = cpus;
	),
	TP_printk("start=0x%lx pages=%lu cpus=%u", __entry->start, __entry->pages, __entry->cpus)
);

/* This CPU's own flush (cpus is 1). */
DEFINE_EVENT(tlb_range, tlb_flush,
	TP_PROTO(unsigned int cpus, unsigned long start, unsigned long end),
	TP_ARGS(cpus, start, end)
);

/* The flush IPIs sent to @cpus other CPUs. */
DEFINE_EVENT(tlb_range, tlb_shootdown,
	TP_PROTO(unsigned int cpus, unsigned long start, unsigned long end),
	TP_ARGS(cpus, start, end)
);

#endif /* _TRACE_MM_H */
