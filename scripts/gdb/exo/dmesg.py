# SPDX-License-Identifier: GPL-2.0
"""lx-dmesg: the kernel log, read from kernel/printk.c's ring.

The ring is log_buf (a power of two of bytes) and log_head the number of
bytes ever written: the text is log_buf[i % size] for i in
[max(0, head - size), head).  As log_buf_dump() does, a wrapped ring is
shown from its first whole line.
"""
import gdb

from exo import utils


def log_text():
    buf = utils.symbol_value('log_buf')
    size = buf.type.sizeof
    head = int(utils.symbol_value('log_head'))
    first = max(0, head - size)
    base = int(buf.address)
    data = bytearray()
    pos = first
    while pos < head:
        off = pos % size
        n = min(size - off, head - pos)
        data += utils.read_bytes(base + off, n)
        pos += n
    if first:
        nl = data.find(b'\n')
        data = data[nl + 1:] if nl >= 0 else bytearray()
    return data.decode('utf-8', errors='replace')


class LxDmesg(gdb.Command):
    """Print the kernel log (what the shell's dmesg prints): lx-dmesg."""

    def __init__(self):
        super().__init__('lx-dmesg', gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        gdb.write(log_text())


LxDmesg()
