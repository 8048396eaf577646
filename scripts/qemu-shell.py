#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Boot Exo-OS in QEMU, type shell commands on its serial console, power off.

usage: qemu-shell.py [--timeout S] [--log FILE] -c CMD [-c CMD ...] -- QEMU ARGS...

QEMU ARGS is the whole QEMU command line (program first); the script adds
nothing to it but reads the serial console from QEMU's stdout, so it must
contain -serial stdio (or -nographic).  Each CMD is typed once the shell
prompt shows, and the next one after the prompt comes back; then
`poweroff`.  The console output goes to stdout (and --log).  Exit status 0
when every command ran and QEMU exited, 1 on a time-out.
"""
import argparse
import os
import select
import subprocess
import sys
import time

PROMPT = b"exo> "


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--log")
    ap.add_argument("-c", dest="cmds", action="append", default=[])
    ap.add_argument("qemu", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    qemu = a.qemu[1:] if a.qemu[:1] == ["--"] else a.qemu
    p = subprocess.Popen(qemu, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = b""
    seen = 0                   # bytes of out already searched for a prompt
    cmds = list(a.cmds) + ["poweroff"]
    deadline = time.monotonic() + a.timeout
    log = open(a.log, "wb") if a.log else None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            p.kill()
            sys.stdout.buffer.write(out)
            print("\nqemu-shell.py: timed out", file=sys.stderr)
            return 1
        r, _, _ = select.select([p.stdout], [], [], min(left, 1.0))
        if r:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
            if log:
                log.write(chunk)
                log.flush()
        i = out.find(PROMPT, seen)
        if i >= 0 and cmds:
            seen = i + len(PROMPT)
            p.stdin.write(cmds.pop(0).encode() + b"\r")
            p.stdin.flush()
    p.wait()
    sys.stdout.buffer.write(out.replace(b"\r", b""))
    return 0 if not cmds else 1


if __name__ == "__main__":
    sys.exit(main())
