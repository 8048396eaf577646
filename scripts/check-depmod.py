#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check-depmod.py <objtree>: scripts/depmod.py on a built tree.

Checks: the loader's test modules (modtest_b uses modtest_a's exports)
give "modtest_b.ko: modtest_a.ko"; edu.ko's PCI table gives Linux's alias;
hand-made device-table entries give Linux's file2alias strings (PCI with
wildcards and class masks, virtio); a class mask byte other than 00/ff
gets no alias.  Prints one line per check, exits with the number that failed.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import depmod  # noqa: E402

failed = 0


def check(what, got, want):
    global failed
    ok = got == want
    failed += not ok
    print("%s: %s%s" % ("ok" if ok else "FAILED", what,
                        "" if ok else " (got %r, want %r)" % (got, want)))


def main():
    objtree = sys.argv[1]
    tdir = os.path.join(objtree, "kernel", "module_test")
    kos = {n: depmod.Ko(os.path.join(tdir, n + ".ko")) for n in ("modtest_a", "modtest_b")}
    edu = os.path.join(objtree, "drivers", "misc", "edu.ko")
    if os.path.exists(edu):
        kos["edu"] = depmod.Ko(edu)
    deps, aliases = depmod.depmod(kos)
    check("modules.dep of modtest_b", [d for d in deps if d.startswith("modtest_b")],
          ["modtest_b.ko: modtest_a.ko"])
    check("modules.dep of modtest_a", [d for d in deps if d.startswith("modtest_a")],
          ["modtest_a.ko:"])
    if "edu" in kos:
        check("edu alias", aliases, ["alias pci:v00001234d000011E8sv*sd*bc*sc*i* edu"])
    any_id = 0xffffffff
    pci = struct.pack("<6IQ", any_id, any_id, any_id, any_id, 0x010601, 0xffffff, 0)
    check("pci class alias", depmod.pci_alias(pci), "pci:v*d*sv*sd*bc01sc06i01*")
    pci = struct.pack("<6IQ", 0x8086, 0x100e, 0x8086, 0x1, 0x020000, 0xffff00, 0)
    check("pci class without interface", depmod.pci_alias(pci),
          "pci:v00008086d0000100Esv00008086sd00000001bc02sc00i*")
    check("virtio alias", depmod.virtio_alias(struct.pack("<2I", 4, any_id)),
          "virtio:d00000004v*")
    check("odd class mask: no alias",
          depmod.pci_alias(struct.pack("<6IQ", 1, 2, 3, 4, 0x010601, 0xf0ffff, 0)), None)
    return failed


sys.exit(main())
