# SPDX-License-Identifier: GPL-2.0
"""lx-ps: every thread (kernel/kthread.c's all_tasks), as the shell's ps
prints them: name, CPU, state, switches, stack."""
import gdb

from exo import utils

task_type = utils.CachedType('struct task_struct')

TASK_STATES = {0: 'R', 1: 'S', 2: 'D', 4: 'new', 8: 'dead'}
PF_IDLE = 0x1


def tasks():
    head = utils.symbol_value('all_tasks')
    return utils.list_for_each_entry(head, task_type.get(), 'tasks')


def state_name(task):
    """kthread.c's state_name()."""
    state = int(task['state'])
    if state == 0 and int(task['flags']) & PF_IDLE:
        return 'idle'
    return TASK_STATES.get(state, '?')


def current_task(cpu):
    return utils.per_cpu(utils.symbol_value('current_task'), cpu)


class LxPs(gdb.Command):
    """List the threads: name, CPU, state, switches, stack size: lx-ps.

The columns are the shell's ps; a '*' after the state marks the thread
running on its CPU now (current_task)."""

    def __init__(self):
        super().__init__('lx-ps', gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        running = {int(current_task(c)) for c in utils.online_cpus()}
        gdb.write(f"{'NAME':<16} {'CPU':>4} {'STATE':>5} {'SWITCHES':>12} {'STACK':>6}\n")
        for t in tasks():
            mark = '*' if int(t.address) in running else ''
            gdb.write(f"{utils.c_string(t['comm']):<16} {int(t['cpu']):4} "
                      f"{state_name(t):>5} {int(t['nr_switches']):12} "
                      f"{int(t['stack_size']) >> 10:5}K{mark}\n")


LxPs()
