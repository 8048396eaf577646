#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check-driver-api.py <driver-api.rst> <vmlinux> <src>: every symbol that
Documentation/driver-api.rst offers to modules exists.

The .rst lists symbols in tables whose header row starts "Symbol  Kind":
the first column is ``name`` or ``name()``, the second its kind:

  fn, var        must be exported: vmlinux has its __ksymtab_<name> entry
                 (include/exo/export.h), EXPORT_SYMBOL or EXPORT_SYMBOL_GPL
  macro, inline  header-only: some header under <src>/include or
                 <src>/arch/*/include must #define it or define it
                 "static inline"

A listed symbol that is missing is one failure line.  The check then runs
once more with a name that cannot exist added, and fails unless that name
is reported: a checker that cannot fail proves nothing.  The exit status is
the number of failures.
"""
import glob
import re
import subprocess
import sys

rst, vmlinux, src = sys.argv[1:4]
BOGUS = ("__driver_api_no_such_symbol", "fn")


def listed(path):
    """(name, kind, line number) of every row of every symbol table."""
    rows, in_table, bars = [], False, 0
    for n, line in enumerate(open(path), 1):
        if re.match(r"^Symbol\s+Kind\b", line):
            in_table, bars = True, 0
            continue
        if not in_table:
            continue
        if re.match(r"^=+(\s+=+)*\s*$", line):
            bars += 1
            if bars == 2:		# the table's closing bar
                in_table = False
            continue
        m = re.match(r"^``([A-Za-z_][A-Za-z0-9_]*)(?:\(\))?``\s+(\w+)", line)
        if not m:
            print(f"  driver-api: {path}:{n}: not a symbol row: {line.rstrip()}")
            rows.append((None, None, n))
            continue
        rows.append((m.group(1), m.group(2), n))
    return rows


def exported(path):
    out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    return {m.group(1) for m in re.finditer(r" __ksymtab_(\S+)$", out, re.M)}


def header_names(root):
    names = set()
    files = glob.glob(f"{root}/include/**/*.h", recursive=True) + \
        glob.glob(f"{root}/arch/*/include/**/*.h", recursive=True)
    for f in files:
        text = open(f, errors="replace").read()
        names.update(re.findall(r"^#\s*define\s+([A-Za-z_]\w*)", text, re.M))
        names.update(re.findall(r"static\s+(?:__always_)?inline\b[^;{(]*?\b([A-Za-z_]\w*)\s*\(",
                                text))
    return names


def missing(rows, exports, macros):
    bad = []
    for name, kind, n in rows:
        if name is None:
            bad.append((n, "?", "unparsable row"))
        elif kind in ("fn", "var"):
            if name not in exports:
                bad.append((n, name, "not exported (no __ksymtab_%s in vmlinux)" % name))
        elif kind in ("macro", "inline"):
            if name not in macros:
                bad.append((n, name, "no #define or static inline in the headers"))
        else:
            bad.append((n, name, "unknown kind '%s'" % kind))
    return bad


rows = listed(rst)
exports, macros = exported(vmlinux), header_names(src)
failures = 0
for n, name, why in missing(rows, exports, macros):
    print(f"  driver-api: {rst}:{n}: {name}: {why}")
    failures += 1
if not any(k in ("fn", "var") for _, k, _ in rows):
    print(f"  driver-api: {rst}: no symbol table found")
    failures += 1
selftest = missing(rows + [BOGUS + (0,)], exports, macros)
if not any(name == BOGUS[0] for _, name, _ in selftest):
    print("  driver-api: self-test: a symbol that does not exist was not reported")
    failures += 1
nfn = sum(k in ("fn", "var") for _, k, _ in rows)
print(f"driver-api: {len(rows)} symbols listed, {nfn} exports checked, {failures} FAILED"
      if failures else f"driver-api: {len(rows)} symbols listed, {nfn} exports checked, all present")
sys.exit(min(failures, 125))
