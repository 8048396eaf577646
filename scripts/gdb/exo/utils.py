# SPDX-License-Identifier: GPL-2.0
"""Helpers shared by the lx-* commands: types, lists, per-CPU data."""
import gdb


class CachedType:
    """A gdb type looked up on first use (symbols may load later)."""

    def __init__(self, name):
        self.name = name
        self.type = None

    def get(self):
        if self.type is None:
            self.type = gdb.lookup_type(self.name)
        return self.type

    def pointer(self):
        return self.get().pointer()


def offset_of(gtype, field):
    """Byte offset of @field in the struct type @gtype."""
    for f in gtype.fields():
        if f.name == field:
            return f.bitpos // 8
    raise gdb.GdbError(f"no field {field} in {gtype}")


def container_of(ptr, gtype, member):
    """The struct @gtype whose @member is at @ptr (a gdb.Value pointer)."""
    addr = int(ptr) - offset_of(gtype, member)
    return gdb.Value(addr).cast(gtype.pointer()).dereference()


def list_for_each_entry(head, gtype, member):
    """Yield each @gtype on the struct list_head @head (a gdb.Value) by @member."""
    node = head['next']
    end = int(head.address)
    seen = 0
    while int(node) != end:
        if not int(node):
            raise gdb.GdbError("list corrupted: NULL next pointer")
        yield container_of(node, gtype, member)
        node = node['next']
        seen += 1
        if seen > 1 << 20:
            raise gdb.GdbError("list corrupted: no end in sight")


def argv(arg, lo, hi, usage):
    """@arg split as gdb does, with between @lo and @hi words, or an error."""
    words = gdb.string_to_argv(arg)
    if not lo <= len(words) <= hi:
        raise gdb.GdbError(f"usage: {usage}")
    return words


def symbol_value(name):
    """The value of the global or file-static variable @name."""
    return gdb.parse_and_eval(name)


def read_bytes(addr, size):
    return bytes(gdb.selected_inferior().read_memory(addr, size))


def read_u64(addr):
    return int.from_bytes(read_bytes(addr, 8), 'little')


def nr_cpu_ids():
    return int(symbol_value('nr_cpu_ids'))


def cpu_online(cpu):
    bits = symbol_value('cpu_online_mask')['bits']
    return bool((int(bits[cpu // 64]) >> (cpu % 64)) & 1)


def online_cpus():
    return [c for c in range(nr_cpu_ids()) if cpu_online(c)]


def per_cpu_ptr(var_addr, cpu):
    """Address of CPU @cpu's copy of the per-CPU variable at @var_addr."""
    return int(var_addr) + int(symbol_value('__per_cpu_offset')[cpu])


def per_cpu(var, cpu):
    """CPU @cpu's copy of the per-CPU variable (a gdb.Value lvalue)."""
    ptr = gdb.Value(per_cpu_ptr(var.address, cpu)).cast(var.type.pointer())
    return ptr.dereference()


def c_string(val):
    """A char array or char pointer as a Python string."""
    try:
        return val.string(errors='replace')
    except gdb.MemoryError:
        return '?'
