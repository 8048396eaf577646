#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""depmod.py: modules.dep and modules.alias for a set of .ko files, as
Linux's depmod writes them.

    depmod.py <objtree> <modules.order> <outdir>

modules.dep: one line per module, "name.ko: dep.ko ...", listing every
module it needs, directly or not, with each module after the ones that
need it: loading the list from its end, then the module, works.  A module
needs another when it uses a symbol that one exports (EXPORT_SYMBOL puts a
__ksymtab_<sym> symbol in the exporter).

modules.alias: "alias <pattern> <name>" for every MODULE_DEVICE_TABLE entry,
in Linux's file2alias forms:
    pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X*
    virtio:d%08Xv%08X*
with "*" for a wildcard field (PCI_ANY_ID, or a class byte the mask
ignores).  A PCI class mask byte other than 00 or ff has no alias form:
the entry gets none (a warning), as in Linux.  See Documentation/modules.rst.
"""
import os
import struct
import sys

ANY_ID = 0xffffffff


class Ko:
    """The symbol table and section contents of an ELF64 relocatable."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if d[:4] != b"\x7fELF" or d[4] != 2 or d[5] != 1:
            raise ValueError("%s: not an ELF64 little-endian file" % path)
        shoff, = struct.unpack_from("<Q", d, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3a)
        self.sh = [struct.unpack_from("<IIQQQQIIQQ", d, shoff + i * shentsize)
                   for i in range(shnum)]
        self.syms = []
        for s in self.sh:
            if s[1] != 2:       # SHT_SYMTAB
                continue
            strtab = self.sh[s[6]]
            for off in range(s[4], s[4] + s[5], 24):
                name, info, _, shndx, value, size = struct.unpack_from("<IBBHQQ", d, off)
                self.syms.append((self.cstr(strtab[4] + name), info, shndx, value, size))

    def cstr(self, off):
        return self.data[off:self.data.index(b"\0", off)].decode()

    def undefined(self):
        return {s[0] for s in self.syms if s[2] == 0 and s[0] and s[1] >> 4 != 0}

    def exports(self):
        return {s[0][len("__ksymtab_"):] for s in self.syms
                if s[0].startswith("__ksymtab_") and s[2] != 0}

    def table(self, bus, entsize):
        """The entries of MODULE_DEVICE_TABLE(bus, ...) up to the zero one."""
        for name, _, shndx, value, _ in self.syms:
            if name != "__mod_%s__device_table" % bus or shndx == 0:
                continue
            off = self.sh[shndx][4] + value
            out = []
            while off + entsize <= len(self.data):
                e = self.data[off:off + entsize]
                if not any(e):
                    break
                out.append(e)
                off += entsize
            return out
        return []


def field(prefix, present, value, width=8):
    return prefix + ("%0*X" % (width, value) if present else "*")


def wildcard(alias):
    return alias if alias.endswith("*") else alias + "*"


def pci_alias(e):
    vendor, device, subv, subd, cls, mask = struct.unpack_from("<6I", e)
    a = "pci:" + field("v", vendor != ANY_ID, vendor) + field("d", device != ANY_ID, device)
    a += field("sv", subv != ANY_ID, subv) + field("sd", subd != ANY_ID, subd)
    for name, shift in (("bc", 16), ("sc", 8), ("i", 0)):
        m = (mask >> shift) & 0xff
        if m not in (0, 0xff):
            return None         # as Linux's file2alias: no alias for it
        a += field(name, m == 0xff, (cls >> shift) & 0xff, 2)
    return wildcard(a)


def virtio_alias(e):
    device, vendor = struct.unpack_from("<2I", e)
    return wildcard("virtio:" + field("d", device != ANY_ID, device) +
                    field("v", vendor != ANY_ID, vendor))


# bus: (sizeof the id struct, its alias)
TABLES = {"pci": (32, pci_alias), "virtio": (8, virtio_alias)}


def depmod(kos):
    """kos: {name: Ko}.  Return (dep lines, alias lines)."""
    owner = {}
    for name, ko in kos.items():
        for sym in ko.exports():
            owner.setdefault(sym, name)
    direct = {n: sorted({owner[s] for s in ko.undefined() if s in owner} - {n})
              for n, ko in kos.items()}

    def closure(n):
        # Depth-first, each module after everything that needs it.
        order, seen = [], set()

        def visit(m, path):
            if m in path:
                raise ValueError("dependency loop: %s" % " -> ".join(path + [m]))
            for d in direct[m]:
                visit(d, path + [m])
            if m not in seen:
                seen.add(m)
                order.append(m)
        visit(n, [])
        return list(reversed(order[:-1]))

    deps = ["%s.ko:%s" % (n, "".join(" %s.ko" % d for d in closure(n))) for n in kos]
    aliases = []
    for n, ko in kos.items():
        for bus, (size, fn) in TABLES.items():
            for e in ko.table(bus, size):
                a = fn(e)
                if a is None:
                    print("depmod: %s: a %s id with a class mask byte neither 00 nor ff: "
                          "no alias" % (n, bus), file=sys.stderr)
                else:
                    aliases.append("alias %s %s" % (a, n))
    return deps, aliases


def from_order(objtree, order):
    kos = {}
    if os.path.exists(order):
        with open(order) as f:
            for line in f:
                if line.strip():
                    path = os.path.join(objtree, line.strip())
                    kos[os.path.basename(path)[:-3]] = Ko(path)
    return kos


def main():
    objtree, order, outdir = sys.argv[1:4]
    deps, aliases = depmod(from_order(objtree, order))
    for name, lines in (("modules.dep", deps), ("modules.alias", aliases)):
        with open(os.path.join(outdir, name), "w") as f:
            f.write("".join(l + "\n" for l in lines))


if __name__ == "__main__":
    main()
