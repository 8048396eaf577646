#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpora of tests/fuzz/corpus/<target>/ (run from anywhere).

Seeds are small, valid (or deliberately malformed) inputs in each
harness's input format, so that the fuzzers start from deep paths; the
regress-* seeds replay the bugs the fuzzers found (see
Documentation/fuzzing.rst) on every run.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


# --- multiboot2: total_size, reserved, then 8-byte aligned tags ---------
def mb2_tag(t, payload):
    raw = struct.pack('<II', t, 8 + len(payload)) + payload
    return raw + b'\0' * (-len(raw) % 8)


def mb2(tags):
    body = b''.join(tags) + mb2_tag(0, b'')
    return struct.pack('<II', 8 + len(body), 0) + body


mmap = struct.pack('<II', 24, 0) + b''.join(
    struct.pack('<QQII', a, l, t, 0) for a, l, t in
    [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0x100000, 0x1fee0000, 1), (0xfffc0000, 0x40000, 2)])
module = struct.pack('<II', 0x200000, 0x212345) + b'initrd\0'
rsdp = b'RSD PTR ' + bytes(28)
write('multiboot2', 'grub', mb2([mb2_tag(1, b'ktest=all loglevel=6\0'), mb2_tag(2, b'GRUB 2.06\0'),
                                 mb2_tag(6, mmap), mb2_tag(3, module), mb2_tag(15, rsdp)]))
write('multiboot2', 'minimal', mb2([]))
write('multiboot2', 'bad-size', struct.pack('<IIII', 24, 0, 6, 0xffff) + bytes(8))


# --- pvh: memory image at physical 0x1000, start info first ---------------
BASE = 0x1000


def pvh(cmdline=b'console=ttyS0 ktest=all\0', nmods=1, memmap_at=None, name_at_end=None,
        wrap=False):
    img = bytearray(56)
    def put(b):
        off = len(img)
        img.extend(b)
        return BASE + off
    cl = put(cmdline) if cmdline else 0
    while len(img) % 8:
        img.append(0)
    if memmap_at == 'misaligned':
        img.append(0)
    mm = put(b''.join(struct.pack('<QQII', a, l, t, 0) for a, l, t in
                      [(0, 0x9fc00, 1), (0x100000, 0x1ff00000, 1), (0xfec00000, 0x1000, 2)]))
    names = [put(b'initrd\0')]
    mods = b''
    for i in range(nmods):
        size = 0xffffffffffffffff if wrap else 0x1000
        mods += struct.pack('<QQQQ', 0x400000 + i * 0x1000, size, names[0], 0)
    ml = put(mods) if nmods else 0
    if name_at_end is not None:
        cl = put(name_at_end)		# no NUL: runs into the end of the image
    struct.pack_into('<IIIIQQQQII', img, 0, 0x336ec578, 1, 0, nmods, ml, cl, 0xf5a00, mm, 3, 0)
    return bytes(img)


write('pvh', 'qemu', pvh())
write('pvh', 'no-modules', pvh(nmods=0))
write('pvh', 'regress-cmdline-unterminated', pvh(name_at_end=b'loglevel=7 no NUL here'))
write('pvh', 'regress-memmap-misaligned', pvh(memmap_at='misaligned'))
write('pvh', 'regress-module-wraps', pvh(wrap=True))

# --- cmdline: one command line per file ----------------------------------
for i, line in enumerate([b'loglevel=7 quiet ktest=all poweroff',
                          b'  dup=1  a=x  a  loglevel=bad unknown=1 ',
                          b'ktest=' + b'x' * 1500 + b' loglevel=3 ' + b'y' * 700]):
    write('cmdline', 'line%d' % i, line)


# --- memblock: count, entries (mode-coded numbers), ranges, operations ----
def mb_num(v):
    return struct.pack('<BQ', 3, v)		# mode 3: raw 64-bit


entries = [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0x100000, 0xbf00000, 1), (0xc000000, 0x1000, 3),
           (0x100000000, 0x8000000, 1), (0x104000000, 0x8000000, 1), (0xfffffffffffff000, 0x2000, 1)]
seed = bytes([len(entries)]) + b''.join(mb_num(a) + mb_num(l) + bytes([t]) for a, l, t in entries)
seed += mb_num(0x100000) + mb_num(0x200000)			# kernel image
seed += mb_num(0x500000) + struct.pack('<H', 0x800)		# loader block
seed += bytes([1]) + mb_num(0x600000) + mb_num(0x12345)		# one module
ops = b''
for op, a, b in [(1, 0x3000, 0), (3, 0x1000, 0), (0, 0x700000, 0x4000), (2, 0x2000, 0x1000000),
                 (4, 0, 0), (1, 0x1000, 0), (3, 0x1000, 0), (0, 0x80000, 0x1000)]:
    ops += bytes([op]) + mb_num(a) + mb_num(b) + bytes([12])
    if op == 2:
        ops += mb_num(0x1000000)
write('memblock', 'pc', seed + ops)
# Two nodes over the RAM, a third inside node 1, then the error cases.
nodes = b''
for a, b, nid in [(0, 0x8000000, 0), (0x8000000, 0x200000000, 1), (0x104000000, 0x1000000, 2),
                  (0, 0, 0), (0x1000, 0x1000, 64), (0xfffffffffffff000, 0x2000, 1)]:
    nodes += bytes([5]) + mb_num(a) + mb_num(b) + bytes([12, nid])
write('memblock', 'nodes', seed + nodes + ops)

# --- page_alloc: order, then (op, u16) pairs and bad-free kinds ----------
write('page_alloc', 'mixed', bytes([6]) + b''.join(
    bytes([op]) + struct.pack('<H', r) + (bytes([k]) + struct.pack('<H', r) if op in (5, 6) else b'')
    for op, r, k in [(0, 1, 0), (2, 7, 0), (2, 33, 0), (3, 5, 0), (5, 3, 0), (4, 0x0102, 0),
                     (6, 9, 4), (7, 0, 0), (2, 64, 0), (5, 11, 2), (0, 0, 0), (6, 1, 1)]))
write('page_alloc', 'exhaust', bytes([4]) + b''.join(bytes([0]) + struct.pack('<H', i)
                                                     for i in range(20)) + b'\x07\0\0')

# --- slab: op byte (op % 16), then each op's own fields ----------------------
def sz(mode, r):
    return bytes([mode]) + struct.pack('<H', r)


SLAB_ALLOC, SLAB_ZALLOC, SLAB_FREE, SLAB_REALLOC = 0, 3, 4, 7
SLAB_CCREATE, SLAB_CALLOC, SLAB_CFREE, SLAB_CDESTROY, SLAB_BAD = 8, 9, 10, 11, 12
SLAB_MOVE, SLAB_EXIT, SLAB_DRAIN = 13, 14, 15
tiers = b''.join(bytes([SLAB_ALLOC]) + sz(m, r) for m, r in
                 [(0, 63), (0, 200), (2, 300), (2, 3000), (4, 1), (4, 20000), (5, 12), (6, 7)])
frees = b''.join(bytes([SLAB_FREE, i, i & 1]) for i in range(4))
write('slab', 'tiers', tiers + frees + bytes([SLAB_DRAIN | 0x80]))
write('slab', 'realloc', tiers + b''.join(bytes([SLAB_REALLOC, i]) + sz(m, r) for i, m, r in
                                          [(0, 2, 700), (1, 0, 5), (2, 4, 9000), (3, 7, 0)]))
write('slab', 'zalloc', b''.join(bytes([SLAB_ZALLOC | (k << 7)]) + sz(m, r) + bytes([3])
                                 for k, m, r in [(0, 0, 40), (1, 2, 900), (1, 4, 5000), (0, 7, 0)]))
write('slab', 'caches', bytes([SLAB_CCREATE, 0]) + struct.pack('<H', 0x3040) + bytes([0]) +
      bytes([SLAB_CCREATE, 1]) + struct.pack('<H', 0x0200) + bytes([1]) +
      bytes([SLAB_CCREATE, 2]) + struct.pack('<H', 0x0010) + bytes([0x81]) +
      b''.join(bytes([SLAB_CALLOC, i % 2]) for i in range(12)) +
      bytes([SLAB_CDESTROY, 0]) + b''.join(bytes([SLAB_CFREE, i]) for i in range(6)) +
      bytes([SLAB_BAD, 5, 1, 0, 0]) + bytes([SLAB_CDESTROY, 1]))
write('slab', 'cpus', b''.join(bytes([SLAB_ALLOC]) + sz(m, r) + bytes([SLAB_MOVE | (c << 4)])
                               for c, m, r in [(1, 0, 30), (2, 2, 1000), (3, 0, 100), (0, 2, 2000)] * 3) +
      bytes([SLAB_EXIT | 0x80, SLAB_DRAIN | 0x10]) +
      b''.join(bytes([SLAB_FREE, i, 0, SLAB_MOVE | ((i % 4) << 4)]) for i in range(10)))
write('slab', 'bad', tiers + b''.join(bytes([SLAB_BAD, k]) + struct.pack('<H', r) + bytes([i])
                                      for k, r, i in [(0, 5, 0), (1, 3, 0), (2, 9, 0), (3, 17, 1),
                                                      (4, 0x8003, 4), (6, 77, 0)]))
# slab_debug: the same harness on CONFIG_SLAB_DEBUG; plus red-zone overwrites
for name in ['tiers', 'realloc', 'zalloc', 'caches', 'cpus', 'bad']:
    with open(os.path.join(HERE, 'corpus', 'slab', name), 'rb') as f:
        write('slab_debug', name, f.read())
write('slab_debug', 'redzone', tiers + b''.join(bytes([SLAB_EXIT | 0x40, i]) for i in range(5)))

# --- pgtable: op byte (op % 8), then va (mode: window | kind << 2, u32),
# size flag, flags (u16), pa (mode, u32) / range size (mode, u16) ------------
def pva(win, kind, r):
    return bytes([win | (kind << 2)]) + struct.pack('<I', r)


def ppa(mode, r):
    return bytes([mode]) + struct.pack('<I', r)


def pmap(win, kind, r, size, flags, pamode, par):
    return bytes([0]) + pva(win, kind, r) + bytes([size]) + struct.pack('<H', flags) + ppa(pamode, par)


def prange(op, win, kind, r, smode, sr, flags, pamode=3, par=0, same=0):
    raw = bytes([op]) + pva(win, kind, r) + bytes([smode]) + struct.pack('<H', sr) + struct.pack('<H', flags)
    if op == 3:
        raw += ppa(pamode, par) + bytes([same])
    return raw


def punmap(win, kind, r):
    return bytes([2]) + pva(win, kind, r)


# 4 KiB, 2 MiB and 1 GiB pages in each window, then unmaps that split them
seed = b''.join(pmap(w, k, r, sz, 1, 3, r) for w in range(4)
                for k, r, sz in [(0, 5, 0), (3, 3, 1), (5, 1, 2)])
seed += b''.join(punmap(w, 6, 0x00090001 | (w << 24)) for w in range(4))
seed += punmap(0, 3, 3) + punmap(2, 5, 1)
write('pgtable', 'pages', seed)
# ranges with huge pieces, protect across their ends, unmap of pieces
seed = prange(3, 0, 5, 1, 5, 1, 1, 2, 0, 1) + prange(3, 1, 3, 7, 3, 0x0103, 3, 3, 7, 1)
seed += prange(5, 0, 0, 0x40100, 0, 700, 0) + prange(4, 0, 0, 0x40300, 3, 2, 0)
seed += prange(3, 2, 3, 9, 4, 0x0201, 0x10, 3, 9, 1) + prange(5, 2, 3, 9, 0, 3, 0x12)
seed += prange(4, 1, 7, 0, 7, 0, 0) + prange(3, 3, 7, 3, 7, 0, 1) + prange(4, 3, 0, 0, 0, 100, 0)
write('pgtable', 'ranges', seed)
# bad arguments and errors: unknown flags, USER in the kernel half, GLOBAL below,
# misaligned, near 2^52, ranges of size 0 / wrapping / crossing the lower half
seed = pmap(0, 0, 1, 0, 0x8001, 3, 1) + pmap(2, 0, 1, 0, 0x0004, 3, 1) + pmap(0, 0, 1, 0, 0x0100, 3, 1)
seed += pmap(0, 0, 2, 1, 1, 1, 0x777) + pmap(0, 0, 3, 0, 1, 0, 1) + pmap(0, 0, 3, 0, 1, 0, 1)
seed += prange(3, 1, 7, 5, 6, 3, 0) + prange(3, 1, 7, 5, 6, 2, 0) + prange(4, 0, 0, 9, 6, 0, 0)
seed += prange(3, 0, 0, 0x100, 0, 2, 1, 0, 1) + prange(5, 0, 0, 0x100, 0, 4, 1)
seed += bytes([6, 0]) + struct.pack('<I', 77) + bytes([6, 5]) + struct.pack('<I', 0) + bytes([3])
seed += bytes([6, 4]) + struct.pack('<I', 5)
write('pgtable', 'bad', seed)

# --- madt: mode byte; 0 = a MADT alone, 1 = firmware image at 0xE0000 --------
def acpi_sum_fix(b, at):
    b = bytearray(b)
    b[at] = 0
    b[at] = (-sum(b)) & 0xff
    return bytes(b)


def acpi_table(sig, body, rev=1):
    raw = sig + struct.pack('<IBB6s8sIII', 36 + len(body), rev, 0, b'EXO   ', b'FUZZSEED', 1, 0, 0) + body
    return acpi_sum_fix(raw, 9)


def madt_body(entries, lapic=0xfee00000, flags=1):
    return struct.pack('<II', lapic, flags) + b''.join(entries)


MADT_ENTRIES = [
    struct.pack('<BBBBI', 0, 8, 0, 0, 1), struct.pack('<BBBBI', 0, 8, 1, 1, 1),
    struct.pack('<BBBBI', 0, 8, 2, 2, 0), struct.pack('<BBBBI', 0, 8, 3, 1, 1),   # disabled, duplicate
    struct.pack('<BBHIII', 9, 16, 0, 0x100, 1, 7),                                   # x2APIC
    struct.pack('<BBBBII', 1, 12, 2, 0, 0xfec00000, 0),                              # I/O APIC
    struct.pack('<BBBBIH', 2, 10, 0, 0, 2, 0), struct.pack('<BBBBIH', 2, 10, 0, 9, 9, 0xd),
    struct.pack('<BBBHB', 4, 6, 0xff, 5, 1), struct.pack('<BBHIB3s', 10, 12, 5, 0xffffffff, 1, b''),
    struct.pack('<BBHQ', 5, 12, 0, 0xfee00000), bytes([0x7f, 4, 0, 0]),              # unknown type
]
madt = acpi_table(b'APIC', madt_body(MADT_ENTRIES))
write('madt', 'madt-qemu', bytes([0]) + madt)
write('madt', 'madt-many-cpus', bytes([0]) + acpi_table(b'APIC', madt_body(
    [struct.pack('<BBBBI', 0, 8, i, i, 1) for i in range(12)])))
write('madt', 'madt-short-entry', bytes([0x80]) + acpi_table(b'APIC', madt_body(
    [struct.pack('<BBBBI', 0, 8, 0, 0, 1), bytes([1, 6, 0, 0, 0, 0])])))


def rsdp(rev, rsdt, xsdt):
    raw = struct.pack('<8sB6sBI', b'RSD PTR ', 0, b'EXO   ', rev, rsdt)
    raw = acpi_sum_fix(raw, 8)
    if rev >= 2:
        raw += struct.pack('<IQB3s', 36, xsdt, 0, b'')
        raw = raw[:32] + bytes([(-sum(raw)) & 0xff]) + raw[33:]
    return raw


def firmware(rev, src, use_xsdt=True):
    base = 0xe0000
    img = bytearray(0x400)
    facp = acpi_table(b'FACP', bytes(16))
    ptrs = [base + 0x100, base + 0x300]
    root = acpi_table(b'XSDT', b''.join(struct.pack('<Q', p) for p in ptrs)) if use_xsdt else \
        acpi_table(b'RSDT', b''.join(struct.pack('<I', p) for p in ptrs))
    r = rsdp(rev, base + 0x40 if not use_xsdt else 0, base + 0x40 if use_xsdt else 0)
    img[0:len(r)] = r
    img[0x40:0x40 + len(root)] = root
    img[0x100:0x100 + len(madt)] = madt
    img[0x300:0x300 + len(facp)] = facp
    return bytes([1]) + bytes([src, 0, 0]) + bytes(img)


write('madt', 'fw-xsdt-copy', firmware(2, 0))
write('madt', 'fw-rsdt-scan', firmware(0, 2, use_xsdt=False))
write('madt', 'fw-xsdt-pointer', firmware(2, 1))

# --- mpparse: mode byte; bit 0 clear = an MP configuration table alone, set =
# BIOS data area words then low memory at 0x9f000 (4 KiB) and 0xf0000 (64 KiB)
def mp_table(entries, count=None):
    body = b''.join(entries)
    hdr = struct.pack('<4sHBB8s12sIHHIHBB', b'PCMP', 44 + len(body), 4, 0, b'EXO     ',
                      b'FUZZSEED    ', 0, 0, len(entries) if count is None else count,
                      0xfee00000, 0, 0, 0)
    return acpi_sum_fix(hdr + body, 7)


def mp_intsrc(bus, srcirq, apic, pin, flag=0):
    return struct.pack('<BBHBBBB', 3, 0, flag, bus, srcirq, apic, pin)


MP_SEABIOS = [struct.pack('<BBBBIIII', 0, 0, 0x14, 3, 0x663, 0x781abfd, 0, 0),
              struct.pack('<BB6s', 1, 0, b'PCI   '), struct.pack('<BB6s', 1, 1, b'ISA   '),
              struct.pack('<BBBBI', 2, 0, 0x11, 1, 0xfec00000),
              mp_intsrc(0, 1 << 2, 0, 9, 1), mp_intsrc(0, 3 << 2, 0, 11, 1),
              mp_intsrc(0, 4 << 2, 0, 11, 1)] + \
             [mp_intsrc(1, i, 0, i) for i in (0, 1, 3, 4, 6, 8, 12, 14, 15)] + \
             [struct.pack('<BBHBBBB', 4, 3, 0, 1, 0, 0, 0), struct.pack('<BBHBBBB', 4, 1, 0, 1, 0, 0xff, 1)]
mpc = mp_table(MP_SEABIOS)
write('mpparse', 'mpc-seabios', bytes([0]) + mpc)
write('mpparse', 'mpc-two-ioapics', bytes([0xc0]) + mp_table(
    [struct.pack('<BB6s', 1, 0, b'PCI   '), struct.pack('<BB6s', 1, 2, b'PCI   '),
     struct.pack('<BBBBI', 2, 0, 0x11, 1, 0xfec00000), struct.pack('<BBBBI', 2, 1, 0x20, 0, 0xfec01000),
     mp_intsrc(2, 5 << 2 | 3, 1, 7, 0xf), mp_intsrc(0, 2 << 2 | 1, 0, 16)]))
write('mpparse', 'mpc-bad-count', bytes([0x80]) + mp_table(MP_SEABIOS, count=3))


def mp_firmware(where):
    """The floating pointer in the EBDA (0x9fc00) or the BIOS area, the table after it."""
    low, bios = bytearray(0x1000), bytearray(0x200)
    img, base = (low, 0x9f000) if where == 'ebda' else (bios, 0xf0000)
    at = 0xc00 if where == 'ebda' else 0x100
    mpf = struct.pack('<4sIBBBBBBBB', b'_MP_', base + at + 16, 1, 4, 0, 0, 0, 0, 0, 0)
    img[at:at + 16] = acpi_sum_fix(mpf, 10)
    img[at + 16:at + 16 + len(mpc)] = mpc
    return bytes([1]) + struct.pack('<HH', 0x9fc0, 639) + bytes(low) + bytes(bios)


write('mpparse', 'fw-ebda', mp_firmware('ebda'))
write('mpparse', 'fw-bios', mp_firmware('bios'))

# --- module: flags byte (bit 0: accept the image's own vermagic), then a .ko --
# The seeds are the tree's own modules without debug sections; rewrite them
# with MODULE_BUILD=<build dir> (e.g. build/x after "make O=build/x").
# The elf_* ones are kernel/module_test's hostile variants (as built: a
# strip would repair some of them).  regress-* are kept as they are.
MODULE_SEEDS = {'drivers/clocksource/i8253.ko': 1, 'drivers/misc/edu.ko': 1}
for n in ['modtest_a', 'modtest_b', 'modtest_inert', 'modtest_leak', 'bad_dupexport', 'bad_init',
          'bad_nolicense', 'bad_proprietary', 'bad_unknown']:
    MODULE_SEEDS['kernel/module_test/%s.ko' % n] = 1
HOSTILE = {'elf_reloc_offset': 1, 'elf_reloc_overflow': 9, 'elf_reloc_sym': 1, 'elf_overlap': 1,
           'elf_vermagic': 0, 'elf_section_past_end': 1}
if os.environ.get('MODULE_BUILD'):
    import subprocess
    import tempfile
    bdir = os.environ['MODULE_BUILD']
    for rel, flag in MODULE_SEEDS.items():
        with tempfile.NamedTemporaryFile() as tmp:
            subprocess.run(['objcopy', '--strip-debug', os.path.join(bdir, rel), tmp.name], check=True)
            write('module', os.path.basename(rel)[:-3], bytes([flag]) + open(tmp.name, 'rb').read())
    for n, flag in HOSTILE.items():
        with open(os.path.join(bdir, 'kernel/module_test/%s.ko' % n), 'rb') as f:
            write('module', n, bytes([flag]) + f.read())

# --- virtqueue: header (log2 size, bit 3 indirect, bit 4 event idx), then ops
# (fuzz_virtqueue.c): 0 add <token> <nout> <nin> <len>..., 2 kick,
# 3 use <mode> (<len8> | <id32> <len32> if mode & 0x80), 4 get.
def vq_add(tok, lens_out, lens_in):
    return bytes([0, tok, len(lens_out), len(lens_in)] + lens_out + lens_in)


VQ_ROUND = (vq_add(1, [15], [31]) + vq_add(2, [7, 7], [63, 0]) + bytes([2]) +
            bytes([3, 0, 40]) + bytes([4]) + bytes([3, 0, 3]) + bytes([4]))
write('virtqueue', 'chain', bytes([3]) + VQ_ROUND)
write('virtqueue', 'indirect-event', bytes([3 | 8 | 16]) + VQ_ROUND)
write('virtqueue', 'full', bytes([1]) + b''.join(vq_add(t, [], [8]) for t in range(4)) +
      bytes([2, 3, 0, 5, 4]) + vq_add(9, [], [8]))
write('virtqueue', 'liar', bytes([2]) + vq_add(1, [], [8]) + bytes([3, 0x80]) +
      struct.pack('<II', 7, 0) + bytes([4]) + vq_add(2, [], [8]))

# --- srat: mode byte; bit 0 clear = an SRAT, set = a SLIT; bit 7 fixes the checksum
def srat_table(entries, rev=3):
    return acpi_table(b'SRAT', struct.pack('<IQ', 1, 0) + b''.join(entries), rev)


def srat_cpu(apic, pxm, flags=1):
    return struct.pack('<BBBBIB3sI', 0, 16, pxm & 0xff, apic, flags, 0,
                       bytes([pxm >> 8 & 0xff, pxm >> 16 & 0xff, pxm >> 24 & 0xff]), 0)


def srat_x2apic(apic, pxm, flags=1):
    return struct.pack('<BBHIIIII', 2, 24, 0, pxm, apic, flags, 0, 0)


def srat_mem(base, size, pxm, flags=1):
    return struct.pack('<BBIHQQIIQ', 1, 40, pxm, 0, base, size, 0, flags, 0)


write('srat', 'srat-qemu-4nodes', bytes([0]) + srat_table(
    [srat_cpu(i, i // 3) for i in range(8)] +
    [srat_mem(0, 0xa0000, 0), srat_mem(0x100000, 0xff00000, 0), srat_mem(0x10000000, 0x10000000, 1),
     srat_mem(0x20000000, 0x10000000, 3), srat_mem(0, 0, 0, 0), srat_mem(1 << 32, 1 << 30, 4, 3)], rev=1))
write('srat', 'srat-x2apic', bytes([0]) + srat_table(
    [srat_x2apic(300, 0x10002), srat_x2apic(301, 0x10002), srat_cpu(0, 0x10002), srat_cpu(1, 2, 0),
     srat_mem(0, 1 << 30, 0x10002), bytes([0x7f, 4, 0, 0])]))
write('srat', 'srat-overlap', bytes([0x80]) + srat_table(
    [srat_cpu(0, 0), srat_mem(0, 2 << 20, 0), srat_mem(1 << 20, 2 << 20, 1)]))
write('srat', 'slit-4', bytes([1]) + acpi_table(b'SLIT', struct.pack('<Q', 4) + bytes(
    [10, 15, 20, 30, 15, 10, 25, 20, 20, 25, 10, 15, 30, 20, 15, 10])))
write('srat', 'slit-bad-diagonal', bytes([0x81]) + acpi_table(b'SLIT', struct.pack('<Q', 2) + bytes(
    [10, 20, 20, 11])))
