#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""blkimage.py: the block integrity pattern on the host.

  blkimage.py create IMAGE --seed N --sectors N [--size-mib M]
  blkimage.py check IMAGE --seed N --sectors N [--first LBA]
  blkimage.py selftest

The pattern is the kernel's (include/exo/blkdev.h, block/blk-pattern.c):
every 512-byte sector holds 64 little-endian u64 words, word 0 its LBA,
word 1 the seed, word k (2..63) LBA * A + seed * B + k * C modulo 2^64, so
a sector written at the wrong place, twice, shifted or torn is caught.

create writes the pattern over sectors 0..N-1 of IMAGE (a new file, made
--size-mib MiB long with zeroes after the pattern if asked); a kernel booted
with ktest=blkcheck blkcheck.mode=verify then checks it.  check compares
sectors FIRST..FIRST+N-1 of IMAGE with the pattern byte by byte, after a
kernel wrote it with blkcheck.mode=write: it prints the first bad byte
and the number of bad sectors, and exits 1 on any difference, 2 on a
usage or I/O error.  selftest checks this script against known values
of the kernel's pattern and that corruption is caught.
"""
import argparse
import os
import struct
import sys
import tempfile

SECTOR = 512
A = 0x9e3779b97f4a7c15
B = 0xc2b2ae3d27d4eb4f
C = 0x165667b19e3779f9
MASK = (1 << 64) - 1
KC = [(k * C) & MASK for k in range(64)]
PACK = struct.Struct('<64Q')


def sector(lba, seed):
    """The 512 bytes the pattern puts in sector @lba."""
    base = (lba * A + seed * B) & MASK
    words = [lba & MASK, seed & MASK] + [(base + KC[k]) & MASK for k in range(2, 64)]
    return PACK.pack(*words)


def create(path, seed, sectors, size_mib=0):
    with open(path, 'wb') as f:
        chunk = []
        for lba in range(sectors):
            chunk.append(sector(lba, seed))
            if len(chunk) == 2048:
                f.write(b''.join(chunk))
                chunk = []
        f.write(b''.join(chunk))
        if size_mib and size_mib * 2048 > sectors:
            f.truncate(size_mib * 1024 * 1024)


def check(path, seed, sectors, first=0, out=sys.stdout):
    """Number of bad sectors (0: all match); the first bad byte is printed."""
    bad, first_bad = 0, None
    with open(path, 'rb') as f:
        f.seek(first * SECTOR)
        lba, end = first, first + sectors
        while lba < end:
            n = min(2048, end - lba)
            data = f.read(n * SECTOR)
            if len(data) < n * SECTOR:
                print(f'{path}: ends at sector {lba + len(data) // SECTOR}, '
                      f'before sector {end}', file=out)
                return bad + (end - lba - len(data) // SECTOR) or 1
            for i in range(n):
                got = data[i * SECTOR:(i + 1) * SECTOR]
                want = sector(lba + i, seed)
                if got != want:
                    bad += 1
                    if first_bad is None:
                        off = next(j for j in range(SECTOR) if got[j] != want[j])
                        first_bad = (lba + i, off, got[off], want[off])
            lba += n
    if first_bad:
        s, off, g, w = first_bad
        lba_in = struct.unpack_from('<Q', data_of(path, s), 0)[0]
        print(f'{path}: {bad} bad sector(s); first: LBA {s} byte {off}: '
              f'{g:#04x}, want {w:#04x} (its word 0 says LBA {lba_in})', file=out)
    else:
        print(f'{path}: sectors {first}..{first + sectors - 1}, seed {seed}: OK', file=out)
    return bad


def data_of(path, lba):
    with open(path, 'rb') as f:
        f.seek(lba * SECTOR)
        return f.read(SECTOR)


def selftest():
    # Known values, also asserted by the kernel's test_block_pattern.
    s = sector(5, 7)
    words = PACK.unpack(s)
    assert words[0] == 5 and words[1] == 7
    assert words[2] == 0x96a4f3aecfb5cf84, hex(words[2])
    assert words[63] == 0xe93ba90182eddfd9, hex(words[63])
    with tempfile.TemporaryDirectory() as d:
        img = os.path.join(d, 'img')
        sink = open(os.devnull, 'w')
        create(img, 3, 300, size_mib=1)
        assert os.path.getsize(img) == 1024 * 1024
        assert check(img, 3, 300, out=sink) == 0
        assert check(img, 3, 100, first=200, out=sink) == 0
        assert check(img, 4, 1, out=sink) == 1            # another seed
        assert check(img, 3, 301, out=sink) == 1          # zeroes after the pattern
        with open(img, 'r+b') as f:                       # one flipped byte
            f.seek(77 * SECTOR + 300)
            b = f.read(1)
            f.seek(77 * SECTOR + 300)
            f.write(bytes([b[0] ^ 0x40]))
        assert check(img, 3, 300, out=sink) == 1
        create(img, 3, 300)
        with open(img, 'r+b') as f:                       # a sector written twice
            f.seek(10 * SECTOR)
            f.write(sector(11, 3))
        assert check(img, 3, 300, out=sink) == 1
        create(img, 3, 300)
        with open(img, 'r+b') as f:                       # shifted by 8 bytes
            f.seek(20 * SECTOR)
            f.write(sector(20, 3)[8:] + b'\0' * 8)
        assert check(img, 3, 300, out=sink) == 1
        assert check(img, 3, 400, out=sink) > 0           # short image
    print('blkimage.py selftest: OK')
    return 0


def main():
    p = argparse.ArgumentParser(description='block integrity pattern images')
    p.add_argument('cmd', choices=['create', 'check', 'selftest'])
    p.add_argument('image', nargs='?')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--sectors', type=int)
    p.add_argument('--first', type=int, default=0)
    p.add_argument('--size-mib', type=int, default=0)
    a = p.parse_args()
    if a.cmd == 'selftest':
        return selftest()
    if not a.image or not a.sectors or a.sectors < 0 or a.seed < 0 or a.first < 0:
        p.error('IMAGE and --sectors N (> 0) are needed; numbers are not negative')
    try:
        if a.cmd == 'create':
            create(a.image, a.seed, a.sectors, a.size_mib)
            return 0
        return 1 if check(a.image, a.seed, a.sectors, a.first) else 0
    except OSError as e:
        print(f'blkimage.py: {e}', file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())
