#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check-gdb.py <vmlinux> [--log FILE]: the gdb helpers against a live kernel.

Boots <vmlinux> (-smp 2, modules=0: no module loaded at boot, the edu
device present) stopped at its first instruction with QEMU's gdbstub on a
Unix socket, and runs gdb in batch mode on scripts/gdb/test.gdb, which
breaks in the shell's dmesg, ps and buddyinfo commands, in the edu
module's probe and in lsmod.  Meanwhile it types those commands, `insmod
edu` and `rmmod edu` on the serial console.  Checks:

  - lx-symbols loaded edu.ko when insmod ran: the breakpoint set on
    edu_probe before the module existed stops there, named, in edu.ko;
    and dropped it again on rmmod;
  - lx-dmesg, lx-ps and lx-buddyinfo, run where each shell command
    starts, print what the command then prints (lx-ps: the same threads,
    CPUs, states and stacks; switch counts move);
  - lx-symbols placed edu.ko's data sections too (info symbol of a
    .data symbol);
  - lx-lsmod lists edu, lx-pte translates &log_buf to its physical
    address from the CPU's CR3 and from &init_mm, lx-per-cpu reads a
    non-NULL current_task on CPU 0 and another on CPU 1, lx-cpus and
    lx-slabinfo print.

One line per check ("ok" or "FAILED: ..."); exits with the number failed.
"""
import argparse
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROMPT = b"exo> "
STAMP = re.compile(r"^\[\s*\d+\.\d+\] ")
COMMANDS = ["dmesg", "ps", "buddyinfo", "insmod edu", "rmmod edu", "lsmod"]
TIMEOUT = 60

failures = 0


def check(ok, what, detail=""):
    global failures
    if ok:
        print(f"ok - {what}")
    else:
        failures += 1
        print(f"FAILED: {what}{': ' + detail if detail else ''}")


def unstamp(lines):
    return [STAMP.sub("", l).rstrip() for l in lines]


def section(text, name):
    """The lines between gdb's @@name and @@end markers."""
    m = re.search(rf"^@@{re.escape(name)}\n(.*?)^@@end$", text, re.S | re.M)
    return m.group(1).splitlines() if m else None


def shell_output(serial, cmd):
    """What the shell printed for @cmd: from its echo to the next prompt."""
    m = re.search(rf"{re.escape(PROMPT.decode())}{re.escape(cmd)}\n(.*?)(?={PROMPT.decode()})",
                  serial, re.S)
    return m.group(1).splitlines() if m else None


def run(vmlinux, log):
    tmp = tempfile.mkdtemp(prefix="check-gdb-")
    sock = os.path.join(tmp, "gdb.sock")
    qemu = [os.environ.get("QEMU", "qemu-system-x86_64"), "-accel", "tcg", "-cpu", "max",
            "-kernel", vmlinux, "-append", "modules=0 loglevel=7",
            "-smp", "2", "-m", "256M", "-display", "none", "-serial", "stdio",
            "-monitor", "none", "-no-reboot", "-device", "edu",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-gdb", f"unix:{sock},server=on,wait=off", "-S"]
    archive = os.path.join(os.path.dirname(vmlinux), "modules.cpio")
    if os.path.exists(archive):
        qemu[5:5] = ["-initrd", archive]
    q = subprocess.Popen(qemu, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    for _ in range(100):
        if os.path.exists(sock) or q.poll() is not None:
            break
        time.sleep(0.05)
    g = subprocess.Popen(["gdb", "-q", "-batch", "-nx", vmlinux,
                          "-ex", f"target remote {sock}",
                          "-x", os.path.join(SRC, "scripts/gdb/exo-gdb.py"),
                          "-x", os.path.join(SRC, "scripts/gdb/test.gdb")],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, cwd=tmp)
    out, seen, cmds = b"", 0, COMMANDS + ["poweroff"]
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        r, _, _ = select.select([q.stdout], [], [], 0.5)
        if r:
            chunk = os.read(q.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
        i = out.find(PROMPT, seen)
        if i >= 0 and cmds:
            seen = i + len(PROMPT)
            q.stdin.write(cmds.pop(0).encode() + b"\r")
            q.stdin.flush()
    try:
        q.wait(timeout=max(deadline - time.monotonic(), 1))
        timed_out = False
    except subprocess.TimeoutExpired:
        timed_out = True
        q.kill()
        q.wait()
    try:
        gout = g.communicate(timeout=10)[0]
    except subprocess.TimeoutExpired:
        g.kill()
        gout = g.communicate()[0]
    shutil.rmtree(tmp, ignore_errors=True)
    serial = out.decode(errors="replace").replace("\r", "")
    gtext = gout.decode(errors="replace").replace("\r", "")
    if log:
        with open(log, "w") as f:
            f.write("==== serial\n" + serial + "\n==== gdb\n" + gtext)
    check(not timed_out and not cmds, "the shell ran every command and powered off",
          f"left: {cmds}")
    return serial, gtext


def compare(name, got, want, key=lambda l: l):
    if got is None or want is None:
        check(False, f"{name} matches the shell", "no output from " +
              ("gdb" if got is None else "the shell"))
        return
    got, want = [key(l) for l in unstamp(got)], [key(l) for l in unstamp(want)]
    diff = next((f"gdb {g!r} != shell {w!r}" for g, w in zip(got, want) if g != w),
                f"{len(got)} lines from gdb, {len(want)} from the shell")
    check(got == want and len(got) > 1, f"{name} matches the shell ({len(got)} lines)", diff)


def ps_key(line):
    """NAME CPU STATE STACK: the switch counts go on between the two."""
    f = line.replace("*", "").split()
    return " ".join(f[:3] + f[4:]) if len(f) >= 5 else line


KERNEL_VMA = 0xffffffff80000000    # arch/x86/include/asm/page.h


def kernel_symbol(vmlinux, name):
    """@name's address in @vmlinux's symbol table (nm), or -1."""
    out = subprocess.run(["nm", vmlinux], capture_output=True, text=True).stdout
    m = re.search(rf"^([0-9a-f]+) \w {re.escape(name)}$", out, re.M)
    return int(m.group(1), 16) if m else -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vmlinux")
    ap.add_argument("--log")
    a = ap.parse_args()
    serial, g = run(os.path.abspath(a.vmlinux), a.log)

    # With two CPUs gdb names the thread: "Thread 1 hit Breakpoint 4, ...".
    m = re.search(r"^(?:Thread \d+ hit )?Breakpoint \d+, (0x[0-9a-f]+ in )?(\w+) \(",
                  g[g.find("@@insmod"):], re.M)
    check(m is not None and m.group(2) == "edu_probe",
          "insmod edu stops at the breakpoint on edu_probe",
          m.group(0) if m else "no breakpoint hit after insmod")
    info = section(g, "info-symbol") or []
    check(any(re.match(r"edu_probe in section \.text of .*/edu\.ko$", l) for l in info),
          "lx-symbols placed edu.ko's .text (info symbol $pc)", " | ".join(info))
    compare("lx-dmesg", section(g, "lx-dmesg"), shell_output(serial, "dmesg"))
    compare("lx-ps", section(g, "lx-ps"), shell_output(serial, "ps"), ps_key)
    compare("lx-buddyinfo", section(g, "lx-buddyinfo"), shell_output(serial, "buddyinfo"))
    lsmod = section(g, "lx-lsmod") or []
    check(any(re.match(r"0xffff[0-9a-f]{12} edu\s+\d+\s+\d+\s+coming$", l) for l in lsmod),
          "lx-lsmod lists edu, coming (its init runs)", " | ".join(lsmod))
    data = section(g, "info-symbol-data") or []
    check(any(re.match(r"edu_driver in section \.data of .*/edu\.ko$", l) for l in data),
          "lx-symbols placed edu.ko's .data (info symbol &edu_driver)", " | ".join(data))
    pte = section(g, "lx-pte") or []
    # The image is linked at KERNEL_VMA + its physical address (no phys_base).
    want = kernel_symbol(a.vmlinux, "log_buf") - KERNEL_VMA
    check(any(re.search(rf"=> phys {want:#x} \((4|2048|1048576) KiB page\)", l) for l in pte),
          f"lx-pte &log_buf walks to {want:#x}", " | ".join(pte))
    pte = section(g, "lx-pte-init-mm") or []
    init_mm = kernel_symbol(a.vmlinux, "init_mm")
    check(any(re.search(rf" from mm {init_mm:#x}, ", l) for l in pte) and
          any(re.search(rf"=> phys {want:#x} \((4|2048|1048576) KiB page\)", l) for l in pte),
          f"lx-pte &log_buf &init_mm walks init_mm to {want:#x}", " | ".join(pte))
    tasks = []
    for cpu in (0, 1):
        pcpu = section(g, "lx-per-cpu" + ("-1" if cpu else "")) or []
        m = re.match(r"(\(struct task_struct \*\) )?(0x[0-9a-f]+)( <\w+>)?$", pcpu[0]) \
            if len(pcpu) == 1 else None
        tasks.append(int(m.group(2), 16) if m else 0)
        check(m is not None and tasks[-1] != 0,
              f"lx-per-cpu current_task {cpu} reads a non-NULL task pointer", " | ".join(pcpu))
    check(tasks[0] != tasks[1], "lx-per-cpu: CPUs 0 and 1 run different tasks",
          f"{tasks[0]:#x} {tasks[1]:#x}")
    cpus = section(g, "lx-cpus") or []
    check(any(re.match(r"\s+0\s+\d+\s+CPU_STATE_ONLINE\s", l) for l in cpus),
          "lx-cpus shows CPU 0 online", " | ".join(cpus))
    slab = section(g, "lx-slabinfo") or []
    check(any(re.match(r"kmalloc-64\s+64\s", l) for l in slab),
          "lx-slabinfo lists kmalloc-64", " | ".join(slab[:3]))
    after = section(g, "after-rmmod") or []
    check("edu_probe: None" in after and not any(" edu " in l for l in after) and
          re.search(r"^unloading edu$", g, re.M),
          "rmmod edu: lx-symbols dropped edu.ko (free_module hook)", " | ".join(after))
    print(f"gdb: {failures} failed")
    return min(failures, 125)


if __name__ == "__main__":
    sys.exit(main())
