# SPDX-License-Identifier: GPL-2.0
"""lx-cpus (each CPU: APIC ID, state, what it runs) and lx-per-cpu."""
import gdb

from exo import utils
from exo.tasks import current_task


class LxCpus(gdb.Command):
    """Each possible CPU: APIC ID, state, TSC and the thread it runs: lx-cpus."""

    def __init__(self):
        super().__init__('lx-cpus', gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        cpu_data = utils.symbol_value('cpu_data')
        gdb.write(f"{'CPU':>3} {'APIC':>4} {'STATE':<22} {'TSC MHz':>9}  CURRENT\n")
        for cpu in range(utils.nr_cpu_ids()):
            c = cpu_data[cpu]
            cur = '-'
            if utils.cpu_online(cpu):
                task = current_task(cpu)
                if int(task):
                    cur = utils.c_string(task['comm'])
            khz = int(c['tsc_khz'])
            gdb.write(f"{cpu:3} {int(c['apic_id']):4} {str(c['state']):<22} "
                      f"{khz // 1000:4}.{khz % 1000:03}  {cur}\n")


LxCpus()


class LxPerCpu(gdb.Command):
    """Print CPU N's copy of a per-CPU variable: lx-per-cpu VAR [CPU].

VAR is any expression naming a DEFINE_PER_CPU variable (current_task,
kmalloc_ac[2], ...); CPU defaults to the CPU of the selected thread."""

    def __init__(self):
        super().__init__('lx-per-cpu', gdb.COMMAND_DATA, gdb.COMPLETE_SYMBOL)

    def invoke(self, arg, from_tty):
        argv = utils.argv(arg, 1, 2, "lx-per-cpu VAR [CPU]")
        cpu = int(argv[1], 0) if len(argv) == 2 else gdb.selected_thread().num - 1
        if not 0 <= cpu < utils.nr_cpu_ids():
            raise gdb.GdbError(f"lx-per-cpu: no CPU {cpu} (nr_cpu_ids "
                               f"{utils.nr_cpu_ids()})")
        var = gdb.parse_and_eval(argv[0])
        gdb.write(f"{utils.per_cpu(var, cpu)}\n")


LxPerCpu()
