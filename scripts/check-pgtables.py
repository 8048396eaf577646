#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-pgtables.py <vmlinux> [--smp N] [--log FILE]: an external check of
the kernel's page tables.

Boots the kernel in QEMU with the vm_oracle boot parameter, waits until it
has printed translate() for a set of addresses (mm/pgtable_dump.c), stops
the guest and asks QEMU's monitor (QMP human-monitor-command) to walk the
page tables from CR3 itself:

  - gva2gpa of every oracle address equals the kernel's translate();
  - info tlb: no leaf is both writable and executable; the direct map,
    vmalloc area, rodata and data are NX; text is executable and read-only;
    every kernel leaf is global; nothing is mapped in the lower half (the
    identity map is gone);
  - the direct map is RAM only: every leaf lies inside a usable range of
    the memory map the kernel printed, write-back; the holes (VGA, BIOS
    area, LAPIC) are unmapped there and the LAPIC is reached through an
    uncached, NX ioremap() page in the ioremap part of the vmalloc area;
  - info mem is consistent (no writable range inside the text).

Prints one line per check and "pgtable-oracle: N passed, M failed, 0 skipped";
exit status 0 when everything passed.  Python standard library only.
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

KERNEL_HALF = 0xffff800000000000
PAGE_OFFSET = 0xffff888000000000
DIRECT_END = PAGE_OFFSET + (64 << 40)
VMALLOC_START, VMALLOC_END = 0xffffc90000000000, 0xffffe8ffffffffff
IOREMAP_START = 0xffffe80000000000      # the vmalloc area's last TiB
PFN_MASK = 0x000ffffffffff000


class Qmp:
    def __init__(self, path, timeout=20):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        self.f = self.sock.makefile("rw")
        self.f.readline()               # greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.f.write(json.dumps(msg) + "\n")
        self.f.flush()
        while True:
            line = self.f.readline()
            if not line:
                raise RuntimeError("QMP connection closed")
            reply = json.loads(line)
            if "event" not in reply:
                return reply

    def hmp(self, line):
        reply = self.cmd("human-monitor-command", **{"command-line": line})
        return reply.get("return", "") if "error" not in reply else "error: %s" % reply["error"]


def symbols(vmlinux):
    out = subprocess.run(["nm", vmlinux], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vmlinux")
    ap.add_argument("--smp", default="1")
    ap.add_argument("--log", default=None)
    ap.add_argument("--qemu", default=os.environ.get("QEMU", "qemu-system-x86_64"))
    opts = ap.parse_args()

    syms = symbols(opts.vmlinux)
    tmp = tempfile.mkdtemp(prefix="exo-qmp.")
    sock = os.path.join(tmp, "qmp.sock")
    serial = opts.log or os.path.join(tmp, "serial.log")
    qemu = subprocess.Popen(
        [opts.qemu, "-accel", "tcg", "-cpu", "max", "-kernel", opts.vmlinux,
         "-append", "vm_oracle loglevel=6", "-smp", opts.smp, "-m", "512M",
         "-display", "none", "-serial", "file:" + serial, "-monitor", "none",
         "-no-reboot", "-qmp", "unix:%s,server=on,wait=off" % sock],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print("  %-44s %s%s" % (name, "ok" if ok else "FAILED", (" (" + detail + ")") if detail else ""))

    try:
        deadline = time.time() + 60
        text = ""
        while "vm_oracle: ready" not in text:
            if time.time() > deadline or qemu.poll() is not None:
                check("kernel printed the oracle lines", False, "no 'vm_oracle: ready'")
                raise SystemExit
            time.sleep(0.1)
            try:
                with open(serial, errors="replace") as f:
                    text = f.read()
            except FileNotFoundError:
                pass
        oracle = {}
        for m in re.finditer(r"vm_oracle: (\w+) (0x[0-9a-f]+|0) (0x[0-9a-f]+|0|-)", text):
            oracle[m.group(1)] = (int(m.group(2), 16), None if m.group(3) == "-" else int(m.group(3), 16))
        check("kernel printed the oracle lines", len(oracle) >= 19, "%d lines" % len(oracle))
        q = Qmp(sock)
        q.cmd("stop")

        # 1. translate() agrees with the hardware walk.
        for name, (va, pa) in sorted(oracle.items()):
            out = q.hmp("gva2gpa %#x" % va).strip()
            m = re.search(r"gpa: (0x[0-9a-f]+|0)\b", out)
            got = int(m.group(1), 16) if m else None
            check("gva2gpa %-20s == translate()" % name, got == pa,
                  "monitor %s, kernel %s" % (hex(got) if got is not None else out,
                                             hex(pa) if pa is not None else "unmapped"))
        expect_unmapped = ["stack_guard", "image_below", "image_above", "identity", "null",
                           "modules", "vmalloc_guard_after", "vmalloc_guard_before",
                           "direct_hole", "direct_bios", "direct_lapic"]
        check("guards, identity map, holes are unmapped",
              all(oracle.get(n, (0, 1))[1] is None for n in expect_unmapped))

        # 2. info tlb: one line per leaf "VA: PA XGPDACTUW".
        leaves = []
        for line in q.hmp("info tlb").splitlines():
            m = re.match(r"([0-9a-f]+): ([0-9a-f]+) ([-XGPDACTUW]{9})", line.strip())
            if m:
                leaves.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
        check("info tlb lists the kernel's leaves", len(leaves) > 100, "%d leaves" % len(leaves))
        nx = lambda f: f[0] == "X"
        w = lambda f: f[8] == "W"
        wx = [l for l in leaves if w(l[2]) and not nx(l[2])]
        check("no writable+executable leaf", not wx,
              ", ".join("%#x" % l[0] for l in wx[:5]))
        low = [l for l in leaves if l[0] < KERNEL_HALF]
        check("nothing mapped in the lower half (no identity map)", not low,
              ", ".join("%#x" % l[0] for l in low[:5]))
        nonglobal = [l for l in leaves if l[0] >= KERNEL_HALF and l[2][1] != "G"]
        check("every kernel leaf is global", not nonglobal,
              ", ".join("%#x" % l[0] for l in nonglobal[:5]))
        direct = [l for l in leaves if PAGE_OFFSET <= l[0] < DIRECT_END]
        check("direct map present, all NX", direct and all(nx(l[2]) for l in direct),
              "%d leaves" % len(direct))
        huge = [l for l in direct if l[2][2] == "P"]
        check("direct map uses huge pages", len(huge) > 0, "%d huge leaves" % len(huge))
        # RAM only: each leaf inside one RAM range the kernel printed (memblock).
        usable = [(int(m.group(1), 16), int(m.group(2), 16)) for m in
                  re.finditer(r"vm_oracle_ram: (0x[0-9a-f]+|0) (0x[0-9a-f]+)", text)]
        starts = set(l[0] for l in leaves)

        def pgsize(l):
            # info tlb prints one line per leaf without its size: a huge leaf
            # is 1 GiB when the next 2 MiB is no leaf of its own yet translates
            # contiguously (which only a 1 GiB page does).
            if l[2][2] != "P":
                return 4096
            nxt = l[0] + (2 << 20)
            if l[0] % (1 << 30) or nxt in starts:
                return 2 << 20
            m = re.search(r"gpa: (0x[0-9a-f]+)", q.hmp("gva2gpa %#x" % nxt))
            return (1 << 30) if m and int(m.group(1), 16) == l[1] + (2 << 20) else (2 << 20)
        not_ram = []
        for l in direct:
            size = pgsize(l)
            if not any(lo <= l[1] and l[1] + size <= hi for lo, hi in usable):
                not_ram.append(l)
        check("direct map: RAM only (inside memblock ranges)", usable and not not_ram,
              "%d RAM ranges; outside: %s" % (len(usable),
                                                 ", ".join("%#x" % l[1] for l in not_ram[:4])))
        check("direct map: write-back (no PCD/PWT leaf)",
              all(l[2][5] != "C" and l[2][6] != "T" for l in direct))
        io = oracle.get("ioremap", (None, None))[0]
        io_leaf = [l for l in leaves if io is not None and l[0] == io & ~0xfff]
        check("ioremap(LAPIC): ioremap area, uncached, NX, writable",
              io_leaf and IOREMAP_START <= io_leaf[0][0] <= VMALLOC_END and
              io_leaf[0][2][5] == "C" and nx(io_leaf[0][2]) and w(io_leaf[0][2]),
              io_leaf[0][2] if io_leaf else "no leaf")
        vmal = [l for l in leaves if VMALLOC_START <= l[0] <= VMALLOC_END]
        check("vmalloc area NX", vmal and all(nx(l[2]) for l in vmal), "%d leaves" % len(vmal))

        def in_sym(lo, hi):
            return [l for l in leaves if syms[lo] <= l[0] < syms[hi]]
        text_l = in_sym("_text", "_etext")
        check("text: executable, read-only", text_l and all(not nx(l[2]) and not w(l[2]) for l in text_l),
              "%d pages" % len(text_l))
        ro = in_sym("_rodata", "_erodata")
        check("rodata: read-only, NX", ro and all(nx(l[2]) and not w(l[2]) for l in ro),
              "%d pages" % len(ro))
        data = in_sym("_data", "__init_begin")
        check("data: writable, NX", data and all(nx(l[2]) and w(l[2]) for l in data),
              "%d pages" % len(data))
        bss = [l for l in leaves if syms["__bss_start"] <= l[0] < syms["__bss_end"]]
        check("bss: writable, NX", bss and all(nx(l[2]) and w(l[2]) for l in bss),
              "%d pages" % len(bss))
        init = in_sym("__init_begin", "__init_end")
        check("freed init memory is unmapped", not init, "%d pages" % len(init))

        # 3. info mem agrees: no writable range overlapping the text.
        bad = []
        for line in q.hmp("info mem").splitlines():
            m = re.match(r"([0-9a-f]+)-([0-9a-f]+) [0-9a-f]+ ([-urw]{3})", line.strip())
            if m and m.group(3)[2] == "w":
                lo, hi = int(m.group(1), 16), int(m.group(2), 16)
                if lo < syms["_etext"] and hi > syms["_text"]:
                    bad.append(line.strip())
        check("info mem: no writable range over the text", not bad, "; ".join(bad[:2]))

        # 4. Table entries (not leaves) have nothing in bits 52-63: translate()'s
        #    walk takes the next table's address with one and $-4096.
        m = re.search(r"CR3=([0-9a-f]+)", q.hmp("info registers"))
        tables, high = 0, []
        todo = [(int(m.group(1), 16) & PFN_MASK, 4)] if m else []
        while todo:
            pa, level = todo.pop()
            tables += 1
            words = [int(x, 16) for x in re.findall(r"0x([0-9a-f]{16})", q.hmp("xp /512gx %#x" % pa))]
            if len(words) != 512:
                high.append("table %#x unreadable" % pa)
            for e in words:
                if not e & 1 or (level < 4 and e & 0x80):
                    continue        # not present, or a huge leaf
                if e >> 52:
                    high.append("%#x" % e)
                if level > 2:
                    todo.append((e & PFN_MASK, level - 1))
        check("table entries: no bit 52-63 set", m and tables > 3 and not high,
              "%d tables%s" % (tables, (", " + ", ".join(high[:3])) if high else ""))
        q.cmd("quit")
    except SystemExit:
        pass
    except Exception as e:          # pylint: disable=broad-except
        check("QMP session", False, repr(e))
    finally:
        try:
            qemu.wait(timeout=10)
        except subprocess.TimeoutExpired:
            qemu.kill()
    passed = sum(1 for r in results if r)
    failed = len(results) - passed
    print("pgtable-oracle: %d passed, %d failed, 0 skipped" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
