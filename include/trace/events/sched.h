/* SPDX-License-Identifier: GPL-2.0 */
/* Scheduler events, in the format of Linux's sched:sched_switch/wakeup. */
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/tracepoint.h>

/* Outside the guard: a header included above may set it too. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM sched

#if !defined(_TRACE_SCHED_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_SCHED_H

/* One priority for every thread: Linux's nice 0. */
#define TRACE_SCHED_PRIO	120

/* ftrace's letters for a state: R, S, D, X. */
static inline char trace_sched_state_char(int state)
{
	switch (state) {
	case TASK_RUNNING: return 'R';
	case TASK_INTERRUPTIBLE: return 'S';
	case TASK_UNINTERRUPTIBLE: return 'D';
	case TASK_DEAD: return 'X';
	default: return '?';
	}
}

TRACE_EVENT(sched_switch,
	TP_PROTO(bool preempt, struct task_struct *prev, struct task_struct *next),
	TP_ARGS(preempt, prev, next),
	TP_STRUCT__entry(
		__array(char, prev_comm, TASK_COMM_LEN)
		__field(int, prev_pid)
		__field(char, prev_state)
		__array(char, next_comm, TASK_COMM_LEN)
		__field(int, next_pid)
	),
	TP_fast_assign(
		memcpy(__entry->prev_comm, prev->comm, TASK_COMM_LEN);
		__entry->prev_pid = task_pid_nr(prev);
		__entry->prev_state = preempt ? 'R' : trace_sched_state_char(prev->state);
		memcpy(__entry->next_comm, next->comm, TASK_COMM_LEN);
		__entry->next_pid = task_pid_nr(next);
	),
	TP_printk("prev_comm=%.16s prev_pid=%d prev_prio=%d prev_state=%c ==> next_comm=%.16s next_pid=%d next_prio=%d",
		  __entry->prev_comm, __entry->prev_pid, TRACE_SCHED_PRIO, __entry->prev_state,
		  __entry->next_comm, __entry->next_pid, TRACE_SCHED_PRIO)
);

TRACE_EVENT(sched_wakeup,
	TP_PROTO(struct task_struct *p),
	TP_ARGS(p),
	TP_STRUCT__entry(
		__array(char, comm, TASK_COMM_LEN)
		__field(int, pid)
		__field(int, target_cpu)
	),
	TP_fast_assign(
		memcpy(__entry->comm, p->comm, TASK_COMM_LEN);
		__entry->pid = task_pid_nr(p);
		__entry->target_cpu = p->cpu;
	),
	TP_printk("comm=%.16s pid=%d prio=%d target_cpu=%03d", __entry->comm, __entry->pid,
		  TRACE_SCHED_PRIO, __entry->target_cpu)
);

#endif /* _TRACE_SCHED_H */
