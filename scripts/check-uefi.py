#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-uefi.py <vmlinux> <dir> [--smp N] [--log FILE]: one UEFI boot, as a
real PC boots: OVMF, the hybrid GRUB ISO (scripts/mkiso.sh), Multiboot2.

The serial log must show the EFI memory map in use, the RSDP from GRUB's
ACPI tag (no BIOS area scan), every CPU online (the smp suite's
test_cpus_online with expect_cpus=N) and a clean KTAP run of the few
suites booted.  Without isa-debug-exit the kernel halts after its verdict, its screen
flushed: QMP's screendump then gives the framebuffer console as a PPM,
which must show the banner row and the log printed since the console
registered exactly as scripts/psf2c.py's glyphs draw them (grey on
black, the banner white), cell by cell.
Prints "FAILED: ..." lines and exits 1 on failure.
"""
import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time

# Importing the helpers must not leave a __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import psf2c  # noqa: E402

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FONT = os.environ.get('FBCON_FONT', '/usr/share/consolefonts/Lat15-Fixed16.psf.gz')
OVMF_CODE = os.environ.get('OVMF_CODE', '/usr/share/OVMF/OVMF_CODE.fd')
OVMF_VARS = os.environ.get('OVMF_VARS', '/usr/share/OVMF/OVMF_VARS.fd')
FG, BG, BANNER_FG = (0xaa, 0xaa, 0xaa), (0, 0, 0), (0xff, 0xff, 0xff)
SUITES = 'smp.test_cpus_online,bootparse'
failures = []


def check(ok, what):
    print('%s: %s' % ('ok' if ok else 'FAILED', what))
    if not ok:
        failures.append(what)
    return ok


def _pgtables_qmp():
    """check-pgtables.py's Qmp: connection, greeting, capabilities, cmd()."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'check-pgtables.py')
    spec = importlib.util.spec_from_file_location('check_pgtables', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.Qmp


Qmp = _pgtables_qmp()


def read_ppm(path):
    with open(path, 'rb') as f:
        data = f.read()
    m = re.match(rb'P6\s+(\d+)\s+(\d+)\s+(\d+)\s', data)
    if not m:
        raise ValueError('%s: not a binary PPM' % path)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h * 3]


def screen_rows(text, cols, rows):
    """The text rows fbcon shows for @text (after the banner row): wrapped
    at @cols, the last @rows of them (the cursor's row, empty after a
    final newline, included)."""
    out = []
    for line in text.split('\n'):
        line = ''.join(c if ' ' <= c <= '~' else '?' for c in line.replace('\r', ''))
        chunks = [line[i:i + cols] for i in range(0, len(line), cols)] or ['']
        out.extend(chunks)
    return out[-rows:]


def cell_mismatches(pix, width, x0, y0, glyph, fg):
    bad = 0
    for y in range(16):
        for x in range(8):
            want = fg if glyph[y] & (0x80 >> x) else BG
            o = ((y0 + y) * width + x0 + x) * 3
            bad += tuple(pix[o:o + 3]) != want
    return bad


def check_screen(ppm, banner, log_text):
    width, height, pix = read_ppm(ppm)
    _, fh, _, glyphs = psf2c.glyphs(FONT)
    cols, rows = width // 8, height // fh - 1

    def glyph(c):
        return glyphs[ord(c) - psf2c.FIRST] if ' ' <= c <= '~' else glyphs[ord('?') - psf2c.FIRST]

    # The banner row: its pixels, counted, and every cell exact.
    lit = sum(1 for x in range(width) for y in range(fh)
              if tuple(pix[(y * width + x) * 3:(y * width + x) * 3 + 3]) != BG)
    want = sum(bin(b).count('1') for c in banner[:cols] for b in glyph(c))
    check(lit == want, 'banner row: %d lit pixels, %d expected for "%s"' % (lit, want, banner))
    bad = sum(cell_mismatches(pix, width, i * 8, 0, glyph(c), BANNER_FG)
              for i, c in enumerate(banner[:cols].ljust(cols)))
    check(bad == 0, 'banner row drawn exactly (%d wrong pixels)' % bad)
    # The log's last rows: what the serial console printed, as fbcon wraps it.
    shown = screen_rows(log_text, cols, rows)
    top = rows - len(shown)
    bad_rows = []
    for r, line in enumerate(shown):
        y0 = (top + r + 1) * fh
        bad = sum(cell_mismatches(pix, width, i * 8, y0, glyph(c), FG)
                  for i, c in enumerate(line.ljust(cols)))
        if bad:
            bad_rows.append('%d (%r: %d pixels)' % (top + r, line[:40], bad))
    check(not bad_rows, 'text area shows the last %d log rows exactly%s' %
          (len(shown), '; wrong rows: ' + ', '.join(bad_rows[:5]) if bad_rows else ''))
    lit = sum(1 for i in range(fh * width * 3, len(pix), 3) if tuple(pix[i:i + 3]) != BG)
    check(lit > 0, 'text area: %d lit pixels' % lit)


def wait_end(qmp, log, timeout):
    """Wait for ktest's verdict (or a panic) in the serial log."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(log, errors='replace') as f:
                if re.search(r'ktest: (PASSED|FAILED)|Kernel panic', f.read()):
                    return True
        except OSError:
            pass
        if qmp.cmd('query-status')['return']['status'] != 'running':
            return False
        time.sleep(0.5)
    return False


def screen_settled(qmp, shot, timeout=60):
    """The kernel draws the screen in emulator_exit()'s console_flush(),
    after the verdict: take screendumps until two in a row are equal."""
    prev = None
    deadline = time.time() + timeout
    while time.time() < deadline:
        time.sleep(1)
        if 'return' not in qmp.cmd('screendump', filename=shot):
            return False
        with open(shot, 'rb') as f:
            data = f.read()
        if data == prev:
            return True
        prev = data
    return False


def boot(args, tmp):
    iso = os.path.join(tmp, 'exo-uefi.iso')
    vars_fd = os.path.join(tmp, 'OVMF_VARS.fd')
    shutil.copyfile(OVMF_VARS, vars_fd)
    objdir = os.path.dirname(args.vmlinux)
    try:
        with open(os.path.join(objdir, 'modules.order')) as f:
            mods = [os.path.join(objdir, m.strip()) for m in f if m.strip()]
    except OSError:
        mods = []
    cmdline = 'shell=0 loglevel=7 ktest=%s expect_cpus=%d' % (SUITES, args.smp)
    subprocess.run([os.path.join(SRC, 'scripts/mkiso.sh'), args.vmlinux, iso, cmdline] + mods,
                   check=True, stdout=subprocess.DEVNULL)
    sock = os.path.join(tmp, 'qmp.sock')
    accel = os.environ.get('QEMU_ACCEL', '-accel tcg -cpu max').split()
    qemu = subprocess.Popen(
        [os.environ.get('QEMU', 'qemu-system-x86_64')] + accel +
        ['-drive', 'if=pflash,format=raw,readonly=on,file=' + OVMF_CODE,
         '-drive', 'if=pflash,format=raw,file=' + vars_fd, '-cdrom', iso,
         '-smp', str(args.smp), '-m', '512M', '-display', 'none', '-vga', 'std',
         '-serial', 'file:' + args.log, '-monitor', 'none', '-no-reboot',
         '-qmp', 'unix:%s,server=on,wait=off' % sock],
        stdin=subprocess.DEVNULL)
    shot = os.path.join(tmp, 'screen.ppm')
    try:
        qmp = Qmp(sock)
        check(wait_end(qmp, args.log, args.timeout), 'the ktest run ended (serial log)')
        check(screen_settled(qmp, shot), 'the screen settled (two equal screendumps)')
        qmp.cmd('quit')
    finally:
        try:
            qemu.wait(timeout=30)
        except subprocess.TimeoutExpired:
            qemu.kill()
    return shot if os.path.exists(shot) else None


def main():
    p = argparse.ArgumentParser()
    p.add_argument('vmlinux')
    p.add_argument('dir')
    p.add_argument('--smp', type=int, default=2)
    p.add_argument('--log')
    p.add_argument('--timeout', type=int, default=300)
    args = p.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    args.log = args.log or os.path.join(args.dir, 'serial.log')
    shot = boot(args, args.dir)
    with open(args.log, errors='replace') as f:
        log = f.read().replace('\r', '')
    # What the console printed once it was registered (its replay of the
    # earlier log also shows the lines above the console loglevel).
    start = log.find('] fbcon: ')
    kernel_log = log[log.rfind('\n', 0, start) + 1:] if start >= 0 else ''
    efi_map = re.search(r'EFI-provided physical RAM map \((\d+) descriptors\):\n'
                        r'((?:.*\[mem 0x.*\n)*)', log)
    check(efi_map and int(efi_map.group(1)) > 0,
          'memory map from the EFI memory map tag, with descriptors')
    check(efi_map and re.search(r'\[mem 0x[0-9a-f]+-0x[0-9a-f]+\] usable$', efi_map.group(2), re.M),
          'a usable range in the EFI memory map')
    check(re.search(r'ACPI: RSDP rev \d+ \(Multiboot2 ACPI tag', log), 'RSDP from the ACPI tag')
    check('BIOS area scan' not in log and 'not scanning for a BIOS RSDP' not in log,
          'no legacy BIOS area scan')
    check(re.search(r'# test_cpus_online: %d CPUs online' % args.smp, log),
          '%d CPUs online' % args.smp)
    check(re.search(r'fbcon: \d+x\d+, 32 bpp at .*text console', log), 'framebuffer console up')
    ktap = subprocess.run([sys.executable, os.path.join(SRC, 'scripts/ktap.py'), args.log,
                           '--expect-suites', '2', '--name', 'uefi'],
                          capture_output=True, text=True)
    print(ktap.stdout, end='')
    check(ktap.returncode == 0 and re.search(r'^uefi: \d+ passed, 0 failed', ktap.stdout, re.M),
          'KTAP: the suites passed')
    m = re.search(r'\] (Exo-OS \S+ \(.*\))\n', log)
    if check(shot and m, 'a screenshot and the banner line'):
        check_screen(shot, m.group(1), kernel_log)
    if failures:
        print('FAILED: %d checks' % len(failures))
        return 1
    print('uefi: all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
