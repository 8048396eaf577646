#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Drive the kernel shell from a terminal, as a user of `make run` does.

usage: check-shell.py <vmlinux> [--log FILE] [--name LABEL] [--trace-only]

Starts scripts/run-qemu.sh under a pseudo-terminal, so that it takes its
interactive path (-nographic, the serial console on the terminal), with
bad parameters on the kernel command line.  Checks the boot log, then
types commands as a user would (bad arguments, cursor keys, history,
Ctrl keys, Tab completion, a 5000-character line) and checks what the
console shows.  Then `make load`'s path: samples/extmod is built against
the kernel's tree (the directory of <vmlinux>) and sent to the running
kernel through its pci-serial socket (live_load()).  Ends with `exit`,
which must power off with run-qemu.sh exiting 0.  A second, short boot
does the same with `poweroff`.  --trace-only: one boot, `help`, the
tracing steps and `exit` (for a kernel with the tracer, make check's
allyesconfig one).

Steps that need a command `help` does not list (trace, without
CONFIG_TRACEPOINTS) are skipped, each such command with a KTAP
"ok N LABEL.CMD # SKIP" line; so are the function tracer's steps
("function") when `trace function off` says there is none.  Prints
each failed check and "LABEL: N passed, M failed, K skipped";
exits 1 if anything failed.  The whole console output goes to --log.
"""
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1bO[A-Z]")
STAMP = re.compile(r"^\[\s*\d+\.\d+\] ", re.M)
PROMPT = "exo> "

# Bad values on the command line: each must be refused with a line that
# says what the parameter accepts, and the boot must go on.
BAD_PARAMS = [
    ("crash_test=opps", "want one of: oops, panic, overflow"),
    ("apic_timer=bogus", "want one of: periodic, oneshot"),
    ("loglevel=abc", "want 0-8 or debug"),
    ("stress=xyz", "want SECONDS or Nms"),
    ("acpi=maybe", "want one of: off, on"),
    ("modules=no", "want one of: 0, off, 1, on"),
    ("expect_cpus=two", "want a number of CPUs"),
    ("vm_oracle=1", "vm_oracle takes no value"),
]

UP, DOWN, LEFT, RIGHT = "\x1b[A", "\x1b[B", "\x1b[D", "\x1b[C"
HOME, END, DELETE = "\x1b[H", "\x1b[F", "\x1b[3~"
# In -nographic mode Ctrl-A is QEMU's escape key: Ctrl-A Ctrl-A sends one.
CTRL_A = "\x01\x01"

# (keys typed, patterns the output must show, patterns it must not show
# [, the command the step needs: skipped when `help` does not list it])
STEPS = [
    ("help\r", [r"ptdump \[all\]", r"tlbinfo \[ceiling 1-4096\]", r"Up/Down history"], []),
    ("ptdump foo\r", [r"ptdump: unknown argument 'foo'", r"usage: ptdump \[all\]"],
     [r"---\["]),
    ("tlbinfo foo\r", [r"tlbinfo: unknown argument 'foo'", r"usage: tlbinfo"], [r"PCID"]),
    ("tlbinfo ceiling\r", [r"ceiling needs a number", r"usage: tlbinfo"], [r"PCID"]),
    ("tlbinfo ceiling 12x\r", [r"'12x' is not a number from 1 to 4096"], [r"PCID"]),
    ("loglevel 9\r", [r"'9' is not a number from 0 to 8", r"usage: loglevel \[0-8\]"], []),
    ("help me\r", [r"help: too many arguments", r"usage: help"], [r"ptdump"]),
    ("ktest nosuchsuite\r", [r"no suite named 'nosuchsuite'", r"ktest: suites: .*x86_core",
                             r"nothing run \(ENOENT\)"], [r"PASSED", r"^ok 1"]),
    ("ktest slab.nosuch\r", [r"suite slab has no case 'nosuch'"], [r"ok 1 slab"]),
    # Started from the shell, with no ktest= on the command line.
    ("ktest x86_core\r", [r"ok 1 x86_core", r"ktest: 0 failed"], [r"not ok"]),
    ("bench nosuch\r", [r"no benchmark name starts with 'nosuch'"], [r"benchmarks run"]),
    ("unbind pci 0000:00:03.0\r", [r"unbind: 0000:00:03.0 detached from edu"], []),
    ("unbind pci 0000:00:03.0\r", [r"unbind: 0000:00:03.0: ENODEV \(it has no driver\)"], []),
    ("bind pci 0000:00:03.0 edu\r", [r"bind: 0000:00:03.0 bound to edu"], []),
    ("bind pci 0000:00:03.0 edu\r", [r"bind: 0000:00:03.0: EBUSY"], []),
    ("bind pci 0000:00:03.0 nosuch\r", [r"bind: no driver 'nosuch' on bus pci"], []),
    ("bind pci 0000:00:03.0\r", [r"bind: missing arguments", r"usage: bind <bus> <device>"], []),
    # /dev and /sys through open/read/write/ioctl/close (fs/, Documentation/chardev.rst).
    ("ls /dev\r", [r"^null$", r"^zero$", r"^kmsg$", r"^ttyS0$", r"^edu0$"], [r"ls:"]),
    ("ls -l /dev\r", [r"^c666 +1, +3 null$"], [r"ls:"]),
    ("cat /sys/bus/pci/devices/0000:00:03.0/vendor\r", [r"^0x1234$"], [r"cat:"]),
    ("hexdump -n 16 /dev/zero\r", [r"^00000000  (00 ){16} *\|\.{16}\|$"], [r"hexdump:"]),
    ("echo <3>shell-echo-check > /dev/kmsg\r", [r"^shell-echo-check$"], [r"echo:"]),
    ("ioctl /dev/edu0 0xc0044501 10\r", [r"returned 0, value 3628800"], []),
    ("ioctl /dev/null 0x5401\r", [r"ioctl: /dev/null: 0x5401: ENOTTY"], []),
    ("echo bogus > /sys/bus/pci/devices/0000:00:03.0/enable\r",
     [r"enable: 'bogus' is not 0 or 1", r"echo: .*enable: write: EINVAL"], []),
    ("cat /dev/nosuch\r", [r"cat: /dev/nosuch: ENOENT"], []),
    ("lsdev -t\r", [r"0000:00:03.0 \[pci edu\]", r"`- edu0"], []),
    # Tracing (Documentation/trace.rst): ftrace's format; show's own kcalloc is recorded.
    # A kernel built without CONFIG_TRACEPOINTS has no trace command: skipped there.
    ("trace enable mm:nosuch\r", [r"trace: no event matches 'mm:nosuch'"], [r"enabled"], "trace"),
    ("trace enable mm:kmalloc\r", [r"trace: 1 event enabled"], [], "trace"),
    ("trace show\r", [r"^# tracer: nop$", r"^#           TASK-PID   CPU#  \|\|\|\|    TIMESTAMP  FUNCTION$",
                      r"^ +[\w/<>-]+-\d+ +\[\d{3}\] [d.][N.][hs.][\d.] +\d+\.\d{6}: kmalloc: "
                      r"call_site=\S+ ptr=\S+ bytes_req=\d+ gfp_flags=0x[0-9a-f]+$"], [], "trace"),
    ("trace disable\r", [], [r"trace:"], "trace"),
    ("trace list\r", [r"^  mm:kmalloc$", r"^  sched:sched_switch$"], [r"^\* "], "trace"),
    # The function tracer (CONFIG_FUNCTION_TRACER): the edu driver's functions,
    # called by the factorial ioctl; "func <-parent" lines.
    # `trace function off` says so when the kernel has no function tracer
    # (CONFIG_TRACEPOINTS=y, CONFIG_FUNCTION_TRACER=n): the steps needing
    # "function" are then skipped.
    ("trace function off\r", [], [], "trace"),
    ("trace clear\r", [], [r"trace:"], "function"),
    ("trace function edu_*\r", [r"^trace: tracing \d+ functions$"], [], "function"),
    ("ioctl /dev/edu0 0xc0044501 10\r", [r"returned 0, value 3628800"], [], "function"),
    ("trace show\r", [r"^# tracer: function$",
                      r"^ +[\w/<>-]+-\d+ +\[\d{3}\] [d.][N.][hs.][\d.] +\d+\.\d{6}: "
                      r"edu_\w+( \[edu\])? <-\w+( \[\w+\])?$"], [r": kmalloc: "], "function"),
    ("trace function no_such_fn\r", [r"trace: no traceable function matches 'no_such_fn' \(-ENOENT\)"],
     [], "function"),
    ("trace function off\r", [], [r"trace:"], "function"),
    ("trace clear\r", [], [r"trace:"], "trace"),
    # Line editing: Home/End, Left/Right, Delete, Backspace, Ctrl keys.
    ("ptime" + HOME + "u" + END + "\r", [r"^up \d+\.\d{3} s"], [r"unknown command"]),
    ("xversoin" + HOME + DELETE + END + LEFT + LEFT + "\x7f" + RIGHT + "o\r",
     [r"^Exo-OS .*\ncommand line:"], [r"unknown command"]),
    ("ersion" + CTRL_A + "v\x05\r", [r"^Exo-OS "], [r"unknown command"]),
    ("garbage\x15uptime\r", [r"^up \d"], [r"unknown command"]),
    ("uptime extra\x17\x17\x17uptime\r", [r"^up \d"], [r"unknown command", r"too many"]),
    ("rm -rf\x03", [r"\^C"], [r"unknown command"]),
    # History: Up recalls the last line (it printed "[A: unknown command").
    (UP + "\r", [r"^up \d"], [r"unknown command"]),
    # Newest first: uptime, version, uptime; Down comes back to version.
    (UP + UP + UP + DOWN + "\r", [r"^Exo-OS "], [r"unknown command"]),
    # Tab: a unique prefix completes (in the middle of a line too); an
    # ambiguous one lists the candidates; arguments are not completed.
    ("upt\t\r", [r"^up \d"], [r"unknown command"]),
    ("ver extra" + HOME + RIGHT * 3 + "\t\x0b\r", [r"^Exo-OS "], [r"unknown command"]),
    ("ls\t\x03", [r"(^|  )lsmod  ", r"(^|  )ls  ", r"\^C"], [r"unknown command"]),
    ("help upt\t\r", [r"help: too many arguments"], [r"uptime"]),
    # Unknown escape sequences (Page Up, F5) leave nothing on the line.
    ("\x1b[5~\x1b[15~" + "uptime\r", [r"^up \d"], [r"unknown command"]),
    # A long line is refused whole, not cut and run.
    ("x" * 5000 + "\r", [r"line too long \(more than 255 characters\): not run"],
     [r"unknown command"]),
    ("a b c d e f g h i j k l m n o p q\r", [r"too many words \(more than 16\): not run"],
     [r"unknown command"]),
]


class Term:
    """run-qemu.sh on a pseudo-terminal; everything it prints is kept."""

    def __init__(self, kernel, cmdline, log, sock=None):
        master, slave = pty.openpty()
        env = dict(os.environ, SMP="2", CMDLINE=cmdline)
        if sock is not None:
            env["MODLOAD_SOCK"] = sock
        self.proc = subprocess.Popen([os.path.join(SRC, "scripts/run-qemu.sh"), kernel],
                                     stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True)
        os.close(slave)
        self.fd = master
        self.raw = ""
        self.mark = 0
        self.log = log

    def read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        text = data.decode("latin-1")
        self.raw += text
        self.log.write(text)
        return True

    def text(self, start=None):
        """What the terminal showed since @start, without escapes, CRs and stamps."""
        t = self.raw[self.mark if start is None else start:]
        return STAMP.sub("", ANSI.sub("", t).replace("\r", ""))

    def wait_for(self, pattern, timeout):
        end = time.time() + timeout
        while time.time() < end:
            if re.search(pattern, self.text(), re.M):
                return True
            if not self.read(min(0.5, max(0.01, end - time.time()))) and \
                    self.proc.poll() is not None:
                return bool(re.search(pattern, self.text(), re.M))
        return False

    def wait_prompt(self, timeout):
        """Until the terminal ends with a prompt and then stays quiet for
        0.3 s: the redraw after a Tab listing ends with a prompt too, for
        the moment before the line and the rest of the keys are echoed."""
        end = time.time() + timeout
        while self.wait_for(r"\n" + re.escape(PROMPT) + r"$", end - time.time()):
            if not self.read(0.3):
                return True
        return False

    def type(self, keys):
        self.mark = len(self.raw)
        data = keys.encode("latin-1")
        while data:
            _, w, _ = select.select([], [self.fd], [], 5)
            if w:
                n = os.write(self.fd, data[:256])
                data = data[n:]
            self.read(0)

    def host(self, argv, timeout):
        """Run @argv on the host while the console is read; (status, output)."""
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        end = time.time() + timeout
        while p.poll() is None and time.time() < end:
            self.read(0.05)
        if p.poll() is None:
            p.kill()
        out = p.communicate()[0]
        self.log.write("\n[host] %s: %s\n%s" % (" ".join(argv), p.returncode, out))
        return p.returncode, out

    def command(self, line, timeout=60):
        """Type @line and Enter; what it printed up to the next prompt."""
        self.type(line + "\r")
        self.wait_for(r"\n" + re.escape(PROMPT) + r"$", timeout)
        return self.text()

    def finish(self, timeout):
        end = time.time() + timeout
        while self.proc.poll() is None and time.time() < end:
            self.read(0.2)
        while self.read(0.1):
            pass
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
            return None
        return self.proc.returncode


def live_load(t, kernel, check):
    """make load's path: build a module after boot, send it, insmod, rmmod.

    samples/extmod is built now (make M=, against the kernel's tree) and
    sent over the pci-serial port's socket by `make load M= MOD=`
    (scripts/modload.py; the broken frames by modload.py itself); the shell
    then loads it with a parameter, sees its init and exit print, and
    refuses a received image that is not a module as it would a boot
    module.  Broken frames get a NAK and a log line, and the link still
    works after them.
    """
    objtree = os.path.dirname(os.path.abspath(kernel))
    if not os.path.exists(os.path.join(objtree, "include", "generated", "compile.h")):
        check(False, "live load: %s is not a built tree" % objtree)
        return
    out = os.path.join(t.tmp, "extmod")
    sock = os.path.join(t.tmp, "modload.sock")
    send = [sys.executable, os.path.join(SRC, "scripts", "modload.py"), "--timeout", "30", sock]
    ko = os.path.join(out, "hello_ext.ko")
    rc, text = t.host(["make", "-C", SRC, "O=" + objtree, "M=" + os.path.join(SRC, "samples",
                       "extmod"), "MO=" + out], 300)
    check(rc == 0 and os.path.exists(ko), "live load: make M=samples/extmod: %s" % text[-300:])
    if rc:
        return
    check(re.search(r"modload_serial.*receiving module images", t.text(0)),
          "live load: modload_serial did not bind at boot")
    for bad, errno in (("crc", "EBADMSG"), ("oversize", "E2BIG"), ("name", "EINVAL"),
                       ("truncated", "ETIMEDOUT")):
        t.mark = len(t.raw)
        rc, text = t.host(send + ["--bad", bad, ko], 40)
        check(rc == 1 and text.startswith("NAK " + errno), "live load: --bad %s: %r" % (bad, text))
        t.wait_for(r"modload: frame refused: " + errno, 5)
        check(re.search(r"modload: frame refused: " + errno, t.text()),
              "live load: --bad %s: no log line" % bad)
    # The good image through the target a developer types: make load
    # (its build finds hello_ext.ko up to date, then scripts/modload.py).
    rc, text = t.host(["make", "-s", "-C", SRC, "O=" + objtree, "load",
                       "M=" + os.path.join(SRC, "samples", "extmod"), "MO=" + out,
                       "MOD=hello_ext", "MODLOAD_SOCK=" + sock], 120)
    check(rc == 0 and re.search(r"^ACK hello_ext %d$" % os.path.getsize(ko), text, re.M),
          "live load: make load: %r" % text[-300:])
    out = t.command("modload")
    check(re.search(r"^hello_ext +%d bytes  crc [0-9a-f]{8}$" % os.path.getsize(ko), out, re.M),
          "live load: modload lists no hello_ext: %r" % out[-300:])
    out = t.command("modinfo hello_ext")
    check("received after boot" in out and "name=hello_ext" in out,
          "live load: modinfo: %r" % out[-300:])
    out = t.command("insmod hello_ext greeting=live-loaded")
    check("hello_ext: live-loaded (1 words)" in out, "live load: insmod: %r" % out[-300:])
    out = t.command("lsmod")
    check(re.search(r"^hello_ext\b", out, re.M), "live load: lsmod: %r" % out[-300:])
    out = t.command("rmmod hello_ext")
    check("hello_ext: bye" in out, "live load: rmmod: %r" % out[-300:])
    # A frame that arrives intact but holds no module: insmod's checks refuse it.
    junk = os.path.join(t.tmp, "junk.ko")
    with open(junk, "wb") as f:
        f.write(b"\x7fELF not really" * 64)
    rc, text = t.host(send + [junk], 60)
    check(rc == 0 and text.startswith("ACK junk "), "live load: junk: %r" % text)
    out = t.command("insmod junk")
    check(re.search(r"insmod: junk: ENOEXEC", out), "live load: insmod junk: %r" % out[-300:])
    out = t.command("modload rm junk")
    check(not re.search(r"no received|usage", out), "live load: modload rm: %r" % out[-300:])
    out = t.command("modload")
    check(re.search(r"^hello_ext ", out, re.M) and not re.search(r"^junk ", out, re.M),
          "live load: junk still listed after modload rm: %r" % out[-300:])
    check(not re.search(r"Kernel panic|Oops:", t.text(0)), "live load: panic or oops")


def main():
    args = sys.argv[1:]
    kernel = args[0]
    name = args[args.index("--name") + 1] if "--name" in args else "shell"
    logname = args[args.index("--log") + 1] if "--log" in args else os.devnull
    trace_only = "--trace-only" in args
    steps = [s for s in STEPS if s[0] == "help\r" or s[3:] in (("trace",), ("function",))] \
        if trace_only else STEPS
    passed = failed = 0
    problems = []
    # KTAP lines for the steps a kernel built without their command skips.
    skips = {}

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            problems.append(what)

    with open(logname, "w") as log:
        cmdline = " ".join(p for p, _ in BAD_PARAMS)
        tmp = tempfile.TemporaryDirectory(prefix="exo-shell-")
        t = Term(kernel, cmdline, log, sock=os.path.join(tmp.name, "modload.sock"))
        t.tmp = tmp.name
        booted = t.wait_for(re.escape(PROMPT), 60)
        check(booted, "no shell prompt after boot")
        boot = t.text(0)
        for param, want in BAD_PARAMS:
            check(re.search(r"cmdline: '%s' ignored: %s" % (re.escape(param), want), boot),
                  "boot: no refusal of %s (%s)" % (param, want))
        check("unknown parameter 'no_such_param" not in boot,
              "boot: a test's 'unknown parameter' line is in the log")
        check(not re.search(r"Kernel panic|Oops:", boot), "boot: panic or oops")
        commands = None
        for keys, want, never, *needs in steps if booted else []:
            label = repr(keys if len(keys) < 40 else keys[:20] + "...")
            if needs and commands is not None and needs[0] not in commands:
                skips[needs[0]] = skips.get(needs[0], 0) + 1
                continue
            t.type(keys)
            # The command's output ends at the next prompt.
            got = t.wait_prompt(60)
            out = t.text()
            check(got, "%s: no prompt after it" % label)
            if keys == "help\r":
                commands = set(re.findall(r"^  ([a-z_]+)\b", out, re.M))
            if keys == "trace function off\r" and commands is not None and \
                    "no function tracer" not in out:
                commands.add("function")
            for p in want:
                check(re.search(p, out, re.M), "%s: no %r in %r" % (label, p, out[-300:]))
            for p in never:
                check(not re.search(p, out, re.M), "%s: %r in %r" % (label, p, out[-300:]))
        if booted and not trace_only:
            live_load(t, kernel, check)
        t.type("exit\r")
        check(t.wait_for(r"the machine powers off", 20), "exit: did not say it powers off")
        rc = t.finish(30)
        check(rc == 0, "exit: run-qemu.sh exit status %s (want 0)" % rc)

        if not trace_only:
            t = Term(kernel, "", log, sock="")
            if t.wait_for(re.escape(PROMPT), 60):
                t.type("poweroff\r")
            rc = t.finish(30)
            check(rc == 0, "poweroff: run-qemu.sh exit status %s (want 0)" % rc)

    for n, (cmd, steps) in enumerate(sorted(skips.items()), 1):
        print("ok %d %s.%s # SKIP no '%s' in this kernel (%d steps)" %
              (n, name, cmd, cmd, steps))
    for p in problems:
        print("  %s: %s" % (name, p))
    print("%s: %d passed, %d failed, %d skipped" % (name, passed, failed, sum(skips.values())))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
