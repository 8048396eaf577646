#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-hotplug.py <vmlinux> [--smp N] [--cycles N] [--log FILE]: PCIe native
hotplug driven from QEMU's monitor (QMP), on q35 with two pcie-root-port slots.

The guest boots with modules=auto (nothing loads without a device that
needs it) and its shell on the serial port; the script types `hpcheck`
commands there (drivers/pci/hotplug/hotplug_check.c) and reads the uevents
the kernel logs (uevent.debug=1).  Checks:

  - pciehp autoloads for both root ports and finds their slots empty;
  - device_add virtio-rng-pci,bus=rp1: virtio_rng autoloads and binds, the
    hwrng becomes current and reads (with the drivers built in, as in
    allyesconfig, it binds and nothing loads);
  - device_del while an hwrng reader runs: the reader ends with ENODEV,
    QEMU reports DEVICE_DELETED, the function is gone and virtio_rng's
    refcount is 0;
  - N add/remove cycles of an edu (rp2) and a virtio-rng (rp1) at once:
    kmalloc objects, interrupt vectors, live DMA mappings and PCI
    functions come back exactly, and free pages (plus kmalloc slab pages)
    within PAGE_SLACK, to the figures taken after the warm-up cycles
    (min(5, N // 2)); at least 3 cycles must follow the baseline, and
    each cycle issues both device_adds, then both device_dels, before
    waiting for either;
  - rmmod pciehp frees its vectors; modprobe pciehp finds the slots again
    and a card added and removed then works;
  - with pciehp's thread held between reading and handling events
    (event_hold_ms), a card added right after a removal is enabled from
    the removal's presence change and stays on: the Attention Button
    Pressed QEMU signals with its hot-add is no press.

HOTPLUG_TRACE=1 prints the figures after every cycle.

Prints one line per check and "hotplug: N passed, M failed"; exit status 0
when everything passed.  Python standard library only.
"""
import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

PROMPT = "exo> "
PAGE_SLACK = 4


def _pgtables_qmp():
    """check-pgtables.py's Qmp: its connection, greeting and capabilities."""
    # Importing it must not leave a __pycache__ in the source tree.
    sys.dont_write_bytecode = True
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check-pgtables.py")
    spec = importlib.util.spec_from_file_location("check_pgtables", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.Qmp


class Qmp(_pgtables_qmp()):
    """The same session, with its events kept for wait_event().

    Once the reader thread runs, it alone reads the stream (the base class's
    buffered file, which may already hold early events) and commands go out
    with sock.sendall(): a text wrapper written from one thread while
    another reads it drops the characters it had decoded ahead.  Replies
    are matched to their command by "id"."""

    def __init__(self, path, timeout=30):
        super().__init__(path, timeout)
        self.replies = {}
        self.events = []
        self.next_id = 0
        self.closed = False
        self.cond = threading.Condition()
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        for line in self.f:
            msg = json.loads(line)
            with self.cond:
                if "event" in msg:
                    self.events.append(msg)
                elif "id" in msg:
                    self.replies[msg["id"]] = msg
                self.cond.notify_all()
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def cmd(self, name, **args):
        # Until the reader runs (qmp_capabilities), the base class answers.
        if not hasattr(self, "replies"):
            return super().cmd(name, **args)
        with self.cond:
            self.next_id += 1
            cid = self.next_id
        msg = {"execute": name, "id": cid}
        if args:
            msg["arguments"] = args
        self.sock.sendall((json.dumps(msg) + "\n").encode())
        deadline = time.time() + 30
        with self.cond:
            while cid not in self.replies:
                left = deadline - time.time()
                if self.closed or left <= 0:
                    return {"error": {"desc": "QMP %s: no reply" % name}}
                self.cond.wait(left)
            return self.replies.pop(cid)

    def wait_event(self, name, timeout, **data):
        """The first event @name whose data has @data, removed from the list."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for i, ev in enumerate(self.events):
                    d = ev.get("data", {})
                    if ev["event"] == name and all(d.get(k) == v for k, v in data.items()):
                        return self.events.pop(i)
                left = deadline - time.time()
                if left <= 0:
                    return None
                self.cond.wait(left)


class Serial:
    """The guest's console on QEMU's stdio: read in the background, typed into."""

    def __init__(self, proc, log):
        self.proc = proc
        self.text = ""
        self.cond = threading.Condition()
        self.log = log
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                break
            s = chunk.decode(errors="replace").replace("\r", "")
            if self.log:
                self.log.write(s)
                self.log.flush()
            with self.cond:
                self.text += s
                self.cond.notify_all()

    def wait(self, pattern, start, timeout):
        """The first match of @pattern at or after offset @start, or None."""
        rx = re.compile(pattern)
        deadline = time.time() + timeout
        with self.cond:
            while True:
                m = rx.search(self.text, start)
                if m:
                    return m
                left = deadline - time.time()
                if left <= 0 or self.proc.poll() is not None:
                    return None
                self.cond.wait(min(left, 1))

    def mark(self):
        with self.cond:
            return len(self.text)

    def run(self, line, timeout=60):
        """Type @line at the prompt; return its echo and output up to the next prompt."""
        start = self.mark()
        self.proc.stdin.write((line + "\r").encode())
        self.proc.stdin.flush()
        # The echo is not waited for: a kernel line printed while the
        # characters come back can split it.  The next prompt ends the output.
        end = self.wait(re.escape(PROMPT), start, timeout)
        return self.text[start:end.start()] if end else None


def state(serial):
    out = serial.run("hpcheck state") or ""
    m = re.search(r"hpcheck: state (.*)", out)
    if not m:
        return {}
    return dict(kv.split("=", 1) for kv in m.group(1).split())


class Session:
    """One guest, its serial shell and its QMP monitor, and the results."""

    def __init__(self, opts):
        self.opts = opts
        self.results = []
        tmp = tempfile.mkdtemp(prefix="exo-hotplug.")
        self.sock = os.path.join(tmp, "qmp.sock")
        modules = os.path.join(os.path.dirname(opts.vmlinux), "modules.cpio")
        # The spec's 5 s button wait and 1 s power-off wait, shortened: QEMU
        # acts on the slot control write at once (see Documentation/hotplug.rst).
        append = ("modules=auto uevent.debug=1 loglevel=8 pciehp.button_delay_ms=50 "
                  "pciehp.power_off_delay_ms=0")
        self.qemu = subprocess.Popen(
            [opts.qemu, "-accel", "tcg", "-cpu", "max", "-M", "q35", "-kernel", opts.vmlinux,
             "-initrd", modules, "-append", append, "-smp", opts.smp, "-m", "512M",
             # q35 hands its slots to ACPI hotplug by default since QEMU 6.1: native here.
             "-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off",
             "-device", "pcie-root-port,id=rp1,slot=1,chassis=1",
             "-device", "pcie-root-port,id=rp2,slot=2,chassis=2",
             "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
             "-qmp", "unix:%s,server=on,wait=off" % self.sock],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # QEMU's own complaints (an assertion, a crash) in the log, if it dies.
        self.qemu_err = []
        threading.Thread(target=lambda: self.qemu_err.extend(
            line.decode(errors="replace").rstrip() for line in self.qemu.stderr),
            daemon=True).start()
        self.serial = Serial(self.qemu, open(opts.log, "w") if opts.log else None)
        self.qmp = None
        self.slots, self.modular, self.base = [], False, None

    def check(self, name, ok, detail=""):
        self.results.append(bool(ok))
        print("  %-58s %s%s" % (name, "ok" if ok else "FAILED",
                                (" (" + detail + ")") if detail else ""), flush=True)
        return ok

    @staticmethod
    def bind_rx(driver, sub="pci"):
        """A slot's bind line: the PCI function, then (virtio) its virtio device."""
        return (r"uevent: ACTION=bind DEVPATH=/devices/pci0000:00/0000:00:[0-9a-f.]+/"
                r"0000:([0-9a-f]{2}):00\.0\S* SUBSYSTEM=%s DRIVER=%s " % (sub, driver))

    def add(self, dev_id, args):
        r = self.qmp.cmd("device_add", **args, id=dev_id)
        return "error" not in r, r.get("error", {}).get("desc", "")

    def delete(self, dev_id, timeout=60):
        return self.del_cmd(dev_id) and self.deleted(dev_id, timeout)

    def del_cmd(self, dev_id):
        """device_del, retried while QEMU says the slot is busy: True if taken."""
        # QEMU refuses while the slot's power indicator blinks (the guest
        # is still bringing it up): that is an answer to wait on, once.
        tries = []
        for _ in range(50):
            r = self.qmp.cmd("device_del", id=dev_id)
            tries.append(r.get("error", {}).get("desc", "ok"))
            if "busy" not in tries[-1]:
                break
            time.sleep(0.1)
        # A refusal does not always stop QEMU's unplug: after "busy" the
        # device can be gone already, and its DEVICE_DELETED decides.
        if len(tries) > 1 and "not found" in tries[-1]:
            return True
        if "error" in r:
            self.del_err = "device_del %s: %s" % (dev_id, "; ".join(tries))
        return "error" not in r

    def deleted(self, dev_id, timeout=60):
        return self.qmp.wait_event("DEVICE_DELETED", timeout, device=dev_id) is not None

    def enabled(self, slot, mark, timeout=30):
        return self.serial.wait(r"pciehp %s: slot: card enabled" % re.escape(slot), mark,
                                timeout)

    def add_bound(self, dev_id, driver, bus, slot, sub="pci"):
        """device_add, then its bind line and the slot enabled: (ok, error)."""
        mark = self.serial.mark()
        ok, err = self.add(dev_id, {"driver": driver, "bus": bus})
        return ok and self.bound(driver, slot, sub, mark), err

    def bound(self, driver, slot, sub, mark):
        drv = "virtio_rng" if driver == "virtio-rng-pci" else driver
        return self.serial.wait(self.bind_rx(drv, sub), mark, 30) is not None and \
            self.enabled(slot, mark) is not None

    def boot(self):
        self.check("shell prompt", self.serial.wait(re.escape(PROMPT), 0, 120) is not None)
        self.qmp = Qmp(self.sock)
        text = self.serial.text
        self.slots = [m[0] for m in re.findall(r"pciehp (\S+): slot #(\d+): off", text)]
        # A kernel with the drivers built in (allyesconfig) loads no module.
        self.modular = "module: pciehp: loaded" in text
        self.check("pciehp %s for both slots, empty" %
                   ("autoloaded" if self.modular else "bound"), len(self.slots) == 2,
                   repr(self.slots))
        self.base0 = state(self.serial)
        self.check("state before any hotplug", bool(self.base0), repr(self.base0))

    def test_add(self):
        """Hot-add: the module autoloads, binds, the hwrng reads."""
        mark = self.serial.mark()
        ok, err = self.add_bound("rng0", "virtio-rng-pci", "rp1", self.slots[0], "virtio")
        self.check("device_add virtio-rng-pci,bus=rp1: bound", ok, err)
        self.check("virtio_rng %s" % ("autoloaded" if self.modular else "built in"),
                   not self.modular or self.serial.wait(
                       r"modalias: virtio\d+: loaded the module for virtio:", mark, 30))
        self.check("add uevent carries MODALIAS", re.search(
            r"uevent: ACTION=add DEVPATH=/devices/pci0000:00/\S+ SUBSYSTEM=pci "
            r"MODALIAS=pci:v00001AF4d00001044", self.serial.text[mark:]) is not None)
        st = state(self.serial)
        self.check("hwrng current is virtio_rng", st.get("hwrng", "").startswith("virtio_rng"),
                   st.get("hwrng"))
        out = self.serial.run("hwrng 16") or ""
        self.check("hwrng reads", re.search(r"([0-9a-f]{2} ?){16}", out) is not None,
                   out.strip())

    def test_remove_under_reader(self):
        """Removal under a reader: ENODEV, gone, refcount back."""
        out = self.serial.run("hpcheck reader") or ""
        m = re.search(r"reader started, (\d+) reads", out)
        self.check("reader started and reading", m is not None and int(m.group(1)) > 0,
                   out.strip())
        self.check("device_del rng0 (DEVICE_DELETED)", self.delete("rng0"))
        out = self.serial.run("hpcheck wait") or ""
        m = re.search(r"reader: (\d+) reads, then (\S+)", out)
        self.check("reader ended with ENODEV after reading", m is not None and
                   m.group(2) == "ENODEV" and int(m.group(1)) > 0, out.strip())
        out = self.serial.run("lsdev") or ""
        self.check("the function is gone", re.search(r"0000:0[1-9]:00\.0", out) is None)
        st = state(self.serial)
        self.check("virtio_rng refcount back to 0", st.get("virtio_rng_refs") ==
                   ("0" if self.modular else "-1"), st.get("virtio_rng_refs"))
        self.check("no hwrng left", st.get("hwrng") == "-", st.get("hwrng"))
        self.check("PCI functions back",
                   st.get("pci_functions") == self.base0.get("pci_functions"))

    def test_cycles(self):
        """Cycles of edu and virtio-rng at once, then the figures."""
        # The baseline follows a few warm-up cycles: the first loads the
        # modules, and the next ones fill the per-thread object caches of
        # the IRQ threads and workers, whose slab pages stay pinned.
        cycles = self.opts.cycles
        warmup = min(5, cycles // 2)
        self.check("at least 3 cycles measured after the warm-up", cycles - warmup - 1 >= 3,
                   "--cycles %d" % cycles)
        bad, tc = [], time.time()
        for i in range(cycles):
            edu, rng = "edu%d" % i, "rng%d" % (i + 1)
            # Both slots change at once: both commands go out before any wait.
            mark = self.serial.mark()
            ok1, e1 = self.add(edu, {"driver": "edu", "bus": "rp2"})
            ok2, e2 = self.add(rng, {"driver": "virtio-rng-pci", "bus": "rp1"})
            ok1 = ok1 and self.bound("edu", self.slots[1], "pci", mark)
            ok2 = ok2 and self.bound("virtio-rng-pci", self.slots[0], "virtio", mark)
            d1, d2 = self.del_cmd(edu), self.del_cmd(rng)
            d1, d2 = d1 and self.deleted(edu), d2 and self.deleted(rng)
            if not (ok1 and ok2 and d1 and d2):
                rc = self.qemu.poll()
                bad.append("cycle %d: add+bind %s/%s del %s/%s %s %s %s%s" %
                           (i, ok1, ok2, d1, d2, e1, e2, getattr(self, "del_err", ""),
                            "" if rc is None else " (QEMU exited with %d)" % rc))
                break
            if i == warmup:
                self.base = state(self.serial)
            elif os.environ.get("HOTPLUG_TRACE"):
                print("    cycle %d: %s" % (i, state(self.serial)), flush=True)
        self.check("%d add/remove cycles of edu + virtio-rng" % cycles, not bad,
                   "; ".join(bad) or "%.1f s" % (time.time() - tc))
        self.compare(state(self.serial), warmup)

    def compare(self, after, warmup):
        """Pages within PAGE_SLACK (a page leaked per cycle would show as
        cycles - warmup), everything else exactly.  The pages are the free
        ones plus those the kmalloc slabs hold: the slabs' live objects are
        compared exactly, and how they spread over slab pages
        (fragmentation) is no leak."""
        base = self.base
        for key in ("free_pages", "slab_objects", "vectors", "dma_live", "pci_functions",
                    "virtio_rng_refs"):
            if base is None or key not in after or key not in base:
                ok = False
            elif key == "free_pages":
                ok = (int(base[key]) + int(base["slab_pages"]) -
                      int(after[key]) - int(after["slab_pages"])) <= PAGE_SLACK
            else:
                ok = after[key] == base[key]
            self.check("%s back to baseline" % key, ok, "after cycle %d %s, at the end %s" %
                       (warmup + 1, base and base.get(key), after.get(key)))

    def test_reload(self):
        """pciehp unloads (its IRQs go) and comes back to a working slot."""
        mark = self.serial.mark()
        self.serial.run("rmmod pciehp")
        st = state(self.serial)
        self.check("rmmod pciehp frees its vectors", self.base is not None and
                   st.get("vectors") == str(int(self.base["vectors"]) - 2), st.get("vectors"))
        self.serial.run("modprobe pciehp")
        self.check("modprobe pciehp finds both slots again", len(re.findall(
            r"pciehp \S+: slot #\d+: off", self.serial.text[mark:])) == 2)
        ok, err = self.add_bound("rngz", "virtio-rng-pci", "rp1", self.slots[0], "virtio")
        self.check("a slot works after pciehp is reloaded", ok and self.delete("rngz"), err)

    def test_add_during_removal(self):
        """A card added while pciehp still handles the last removal's
        presence change (pciehp.event_hold_ms holds its thread there) is
        enabled from that event, and QEMU's Attention Button Pressed of the
        hot-add must not then read as a press that powers the card off."""
        self.serial.run("rmmod pciehp")
        self.serial.run("modprobe pciehp event_hold_ms=300")
        ok, err = self.add_bound("rngh0", "virtio-rng-pci", "rp1", self.slots[0], "virtio")
        ok = ok and self.delete("rngh0")
        mark = self.serial.mark()
        ok2, err2 = self.add("rngh1", {"driver": "virtio-rng-pci", "bus": "rp1"})
        ok2 = ok2 and self.bound("virtio-rng-pci", self.slots[0], "virtio", mark)
        self.check("a card added during the removal's event is enabled", ok and ok2,
                   err or err2)
        # A press would power it off after the hold and button_delay_ms.
        press = self.serial.wait(r"pciehp %s: slot: button pressed" %
                                 re.escape(self.slots[0]), mark, 1)
        gone = self.deleted("rngh1", 0)
        self.check("its hot-add's button bit is no press: it stays", not press and not gone,
                   press.group(0) if press else "")
        self.check("and device_del removes it", not gone and self.delete("rngh1"),
                   getattr(self, "del_err", ""))

    def run(self):
        try:
            self.boot()
            self.test_add()
            self.test_remove_under_reader()
            self.test_cycles()
            if self.modular:
                self.test_reload()
                self.test_add_during_removal()
            self.check("no oops, warning, KASAN, lockdep, DMA-API or resource report",
                       not re.search(r"Oops|WARNING|BUG:|panic|validator off|still claimed|"
                                     r"device is leaked|DMA-API: (?!debugging enabled)",
                                     self.serial.text))
        except Exception as e:           # a broken session is a failure, not a crash
            rc = self.qemu.poll()
            self.check("QMP/serial session", False, repr(e) + (
                "; QEMU exited with %d%s" % (rc, "".join("\n    qemu: " + l for l in self.qemu_err[-10:]))
                if rc is not None else ""))
        finally:
            try:
                self.qemu.kill()
                self.qemu.wait(10)
            except Exception:
                pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vmlinux")
    ap.add_argument("--smp", default="4")
    ap.add_argument("--cycles", type=int, default=50)
    ap.add_argument("--log", default=None)
    ap.add_argument("--qemu", default=os.environ.get("QEMU", "qemu-system-x86_64"))
    opts = ap.parse_args()
    t0 = time.time()
    session = Session(opts)
    session.run()
    results = session.results
    passed = sum(results)
    print("hotplug: %d passed, %d failed (%.1f s)" % (passed, len(results) - passed,
                                                    time.time() - t0))
    return 0 if all(results) and results else 1


if __name__ == "__main__":
    sys.exit(main())
