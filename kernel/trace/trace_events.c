// SPDX-License-Identifier: GPL-2.0
/*
 * The one place each event header is read with CREATE_TRACE_POINTS: it
 * defines every event's tracepoint, record, printer and descriptor
 * (include/exo/tracepoint.h).  A new events header is added here.
 */
#define CREATE_TRACE_POINTS
#include <trace/events/mm.h>
#include <trace/events/irq.h>
#include <trace/events/sched.h>
#include <trace/events/module.h>
#ifdef CONFIG_BLOCK
#include <trace/events/block.h>
#endif
#ifdef CONFIG_NET
#include <trace/events/net.h>
#endif
#ifdef CONFIG_KTEST
#include <trace/events/ktest.h>
#endif
