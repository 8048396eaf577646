#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check-extmod.py <srctree> <objtree> <workdir>: make M= on samples/extmod.

Builds the sample out-of-tree module (samples/extmod/Kbuild: one .ko from
two objects) against the built tree <objtree> with its output in <workdir>
(MO=, so the sources stay clean), then checks the .ko the way the module
loader does before it runs anything (kernel/module_elf.c): an ELF64
relocatable for x86-64, .modinfo with the tree's vermagic (its
generated/compile.h), the module's name and a GPL-compatible license,
struct module in .gnu.linkonce.this_module, and every undefined symbol an
export of the tree's vmlinux.  A second make must rebuild nothing, and
make M= against a tree that is not built must fail with a message.
With --boot, the kernel then boots (QEMU -smp 1, the ktest suite only)
with the tree's modules plus hello_ext.ko in its boot archive and
"hello_ext.greeting=outside" on its command line: the loader must load it
and its init must print the parameter's value.
Prints one line per check, exits with the number that failed.
"""
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import depmod  # noqa: E402

failed = 0


def check(what, good, detail=""):
    global failed
    failed += not good
    print("%s: %s%s" % ("ok" if good else "FAILED", what, "" if good else " (%s)" % detail))


def make(src, objtree, mod, out, *extra):
    p = subprocess.run(["make", "-C", src, "O=" + objtree, "M=" + mod, "MO=" + out] +
                       list(extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(p.stdout)
    return p


def section_names(ko):
    shstrtab = ko.sh[struct.unpack_from("<H", ko.data, 0x3e)[0]]
    return [ko.cstr(shstrtab[4] + s[0]) for s in ko.sh]


def modinfo(ko):
    for name, s in zip(section_names(ko), ko.sh):
        if name == ".modinfo":
            raw = ko.data[s[4]:s[4] + s[5]]
            return dict(f.split("=", 1) for f in raw.decode().split("\0") if "=" in f)
    return {}


def main():
    src, objtree, out = (os.path.abspath(a) for a in sys.argv[1:4])
    mod = os.path.join(src, "samples", "extmod")
    p = make(src, objtree, mod, out)
    path = os.path.join(out, "hello_ext.ko")
    check("make M=samples/extmod builds hello_ext.ko", p.returncode == 0 and os.path.exists(path),
          "exit status %d" % p.returncode)
    if not os.path.exists(path):
        return failed
    ko = depmod.Ko(path)
    check("ELF64 relocatable for x86-64", ko.data[16] == 1 and ko.data[18] == 62,
          "e_type %d, e_machine %d" % (ko.data[16], ko.data[18]))
    with open(os.path.join(objtree, "include", "generated", "compile.h")) as f:
        m = re.search(r'#define VERMAGIC_STRING "([^"]*)"', f.read())
    info = modinfo(ko)
    check("vermagic is the tree's", m and info.get("vermagic") == m.group(1),
          "%r vs %r" % (info.get("vermagic"), m and m.group(1)))
    check("modinfo name hello_ext", info.get("name") == "hello_ext", info.get("name"))
    check("modinfo license GPL", info.get("license") == "GPL", info.get("license"))
    check("modinfo parm greeting", "greeting" in info.get("parmtype", "") +
          info.get("parm", ""), str(info))
    names = set(section_names(ko))
    check("struct module in .gnu.linkonce.this_module",
          ".gnu.linkonce.this_module" in names, sorted(names))
    defined = {s[0] for s in ko.syms if s[2] != 0}
    check("both objects linked in", {"hello_count_words", "hello_ext_init"} <= defined,
          "defined: %s" % sorted(defined)[:20])
    exports = depmod.Ko(os.path.join(objtree, "vmlinux")).exports()
    missing = sorted(ko.undefined() - exports)
    check("every undefined symbol is exported by vmlinux", not missing, missing)
    p = make(src, objtree, mod, out)
    check("a second make rebuilds nothing", p.returncode == 0 and
          not re.search(r"^\s+(CC|LD)\b", p.stdout, re.M), p.stdout[-300:])
    p = make(src, os.path.join(out, "no-tree"), mod, os.path.join(out, "no-tree-out"))
    check("M= against an unbuilt tree fails with a message",
          p.returncode != 0 and "make" in p.stdout and "first" in p.stdout, p.stdout[-300:])
    if "--boot" in sys.argv[4:]:
        boot(src, objtree, out, path)
    return failed


def boot(src, objtree, out, ko):
    """Boot the tree's kernel with hello_ext.ko among the boot modules."""
    bdir = os.path.join(out, "boot")
    os.makedirs(bdir, exist_ok=True)
    kernel = os.path.join(bdir, "vmlinux")
    if os.path.lexists(kernel):
        os.remove(kernel)
    os.symlink(os.path.join(objtree, "vmlinux"), kernel)
    order = os.path.join(bdir, "modules.order")
    with open(os.path.join(objtree, "modules.order")) as f:
        mods = f.read()
    with open(order, "w") as f:
        f.write(mods + os.path.relpath(ko, objtree) + "\n")
    p = subprocess.run([sys.executable, os.path.join(src, "scripts", "mkmodarchive.py"),
                        os.path.join(bdir, "modules.cpio"), objtree, order],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check("boot archive with hello_ext.ko", p.returncode == 0, p.stdout[-300:])
    log = os.path.join(out, "boot.log")
    p = subprocess.run([os.path.join(src, "scripts", "ktest-qemu.sh"), kernel, "1", log,
                        "ktest=ktest loglevel=7 hello_ext.greeting=outside"],
                       stdout=subprocess.PIPE, text=True)
    rc = p.stdout.strip()
    with open(log, errors="replace") as f:
        text = f.read()
    check("boot exits 33 (pass)", rc == "33", "exit status %s, %s" % (rc, log))
    check("the loader loaded hello_ext.ko with its parameter",
          "hello_ext: outside (1 words)" in text, log)
    check("the loader placed it", "module: hello_ext: loaded at" in text, log)
    errors = [l for l in text.splitlines()
              if re.search(r"hello_ext.*(error|fail|refus|bad|unknown)", l, re.I)]
    check("no loader complaint about hello_ext", not errors, errors[:3])


if __name__ == "__main__":
    sys.exit(main())
