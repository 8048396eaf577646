#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""mkmodarchive.py <out.cpio> <objtree> <modules.order>

Pack the modules listed in modules.order (paths relative to objtree) into
a newc cpio archive, each as "<name>.ko" at the top level, followed by
modules.dep and modules.alias (scripts/depmod.py), which modprobe and the
modalias autoloader read.  QEMU hands it to the kernel as the PVH boot
module (-initrd).  The archive is rewritten only when it changes.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import depmod  # noqa: E402


def entry(name, data, ino):
    name_b = name.encode() + b"\0"
    fields = [ino, 0o100644 if data is not None else 0, 0, 0, 1, 0,
              len(data or b""), 0, 0, 0, 0, len(name_b), 0]
    hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = hdr + name_b
    out += b"\0" * (-len(out) % 4)
    if data:
        out += data + b"\0" * (-len(data) % 4)
    return out


def main():
    out, objtree, order = sys.argv[1:4]
    blob = b""
    mods = []
    if os.path.exists(order):
        with open(order) as f:
            mods = [l.strip() for l in f if l.strip()]
    for i, m in enumerate(mods):
        with open(os.path.join(objtree, m), "rb") as f:
            blob += entry(os.path.basename(m), f.read(), i + 1)
    deps, aliases = depmod.depmod(depmod.from_order(objtree, order))
    for i, (name, lines) in enumerate((("modules.dep", deps), ("modules.alias", aliases))):
        blob += entry(name, "".join(l + "\n" for l in lines).encode(), len(mods) + i + 1)
    blob += entry("TRAILER!!!", None, 0)
    blob += b"\0" * (-len(blob) % 512)
    if os.path.exists(out):
        with open(out, "rb") as f:
            if f.read() == blob:
                return
    with open(out + ".tmp", "wb") as f:
        f.write(blob)
    os.replace(out + ".tmp", out)
    print("  CPIO    %s (%d modules)" % (os.path.relpath(out, objtree), len(mods)))


main()
