/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracepoint call's own test event (kernel/trace/trace_test.c,
 * CONFIG_KTEST only): what the recorder finds on the stack, the stack
 * pointer's alignment (its frame pointer modulo 16, which the ABI makes
 * 0 in a function entered by an aligned call) and the return addresses
 * of the three frames above it, which a backtrace taken there would show.
 */
#include <exo/tracepoint.h>

#undef TRACE_SYSTEM
#define TRACE_SYSTEM ktest

#if !defined(_TRACE_KTEST_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_KTEST_H

TRACE_EVENT(ktest_frame,
	TP_PROTO(unsigned long cookie),
	TP_ARGS(cookie),
	TP_STRUCT__entry(
		__field(unsigned long, cookie)
		__field(unsigned int, misalign)
		__array(unsigned long, ret, 3)
	),
	TP_fast_assign(
		const unsigned long *fp = __builtin_frame_address(0);

		__entry->cookie = cookie;
		__entry->misalign = (unsigned long)fp & 15;
		for (int i = 0; i < 3; i++) {
			__entry->ret[i] = fp ? fp[1] : 0;
			fp = fp ? (const unsigned long *)fp[0] : NULL;
		}
	),
	TP_printk("cookie=%lu misalign=%u ret=%pS,%pS,%pS", __entry->cookie,
		  __entry->misalign, (void *)__entry->ret[0], (void *)__entry->ret[1],
		  (void *)__entry->ret[2])
);

#endif /* _TRACE_KTEST_H */
