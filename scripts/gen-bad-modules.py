#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""gen-bad-modules.py <good.ko> <outdir> <case>...

Derive malformed modules from a good one, one defect each, for the loader
tests (kernel/module_test.c): outdir/elf_<case>.ko.  Every case must be
refused by kernel/module.c with a clear message and nothing left allocated.

  notelf            first magic byte cleared
  class32           EI_CLASS = ELFCLASS32
  type              e_type = ET_EXEC
  machine           e_machine = EM_386
  truncated         the file cut in half (section table gone)
  shtab_past_end    e_shoff moved past the end of the file
  section_past_end  a PROGBITS section's size runs past the end of the file
  overlap           two sections' file bytes overlap
  shstrndx          e_shstrndx beyond the section count
  rel               a RELA section relabelled SHT_REL
  reloc_offset      a relocation's offset beyond its target section
  reloc_overflow    an R_X86_64_64 against a kernel symbol turned into R_X86_64_32
  reloc_type        a relocation of an unsupported type (R_X86_64_GOTPCREL)
  reloc_sym         a relocation naming a symbol index past the table
  vermagic          the vermagic string changed (same length)
  no_this_module    .gnu.linkonce.this_module renamed
  badalign          an allocated section's alignment not a power of two
"""
import struct
import sys

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
SHDR = struct.Struct("<IIQQQQIIQQ")
SYM = struct.Struct("<IBBHQQ")
RELA = struct.Struct("<QQq")
SHT_PROGBITS, SHT_SYMTAB, SHT_RELA, SHT_NOBITS, SHT_REL = 1, 2, 4, 8, 9
SHF_ALLOC = 2


class Elf:
    def __init__(self, data):
        self.d = bytearray(data)
        f = EHDR.unpack_from(self.d, 0)
        self.shoff, self.shnum, self.shstrndx = f[6], f[12], f[13]
        self.sh = [list(SHDR.unpack_from(self.d, self.shoff + i * 64))
                   for i in range(self.shnum)]
        strtab = self.sh[self.shstrndx]
        self.names = [self.cstr(strtab[4] + s[0]) for s in self.sh]

    def cstr(self, off):
        end = self.d.index(0, off)
        return self.d[off:end].decode()

    def put_sh(self, i):
        SHDR.pack_into(self.d, self.shoff + i * 64, *self.sh[i])

    def index(self, name):
        return self.names.index(name)

    def symtab(self):
        i = [k for k, s in enumerate(self.sh) if s[1] == SHT_SYMTAB][0]
        return i, self.sh[i]

    def relas(self, target_name=None):
        for i, s in enumerate(self.sh):
            if s[1] == SHT_RELA:
                tgt = s[7]
                if self.sh[tgt][2] & SHF_ALLOC and (target_name is None or
                                                    self.names[tgt] == target_name):
                    yield i, s


def set_ehdr(e, field, fmt, value):
    off = {"class": 4, "type": 16, "machine": 18, "shoff": 40, "shstrndx": 62}[field]
    struct.pack_into(fmt, e.d, off, value)


def first_rela(e):
    i, s = next(e.relas(".text"))
    return s[4]


def case(e, name, size):
    if name == "notelf":
        e.d[0] = 0
    elif name == "class32":
        e.d[4] = 1
    elif name == "type":
        set_ehdr(e, "type", "<H", 2)
    elif name == "machine":
        set_ehdr(e, "machine", "<H", 3)
    elif name == "truncated":
        e.d = e.d[:size // 2]
    elif name == "shtab_past_end":
        set_ehdr(e, "shoff", "<Q", size + 4096)
    elif name == "section_past_end":
        i = e.index(".text")
        e.sh[i][5] = size
        e.put_sh(i)
    elif name == "overlap":
        t = e.index(".text")
        r = [i for i, s in enumerate(e.sh) if s[1] == SHT_PROGBITS and s[5] and i != t
             and e.names[i] != ".text"][0]
        e.sh[r][4] = e.sh[t][4]
        e.put_sh(r)
    elif name == "shstrndx":
        set_ehdr(e, "shstrndx", "<H", e.shnum + 5)
    elif name == "rel":
        i, s = next(e.relas())
        e.sh[i][1] = SHT_REL
        e.put_sh(i)
    elif name == "reloc_offset":
        off = first_rela(e)
        r = list(RELA.unpack_from(e.d, off))
        r[0] = 0xfffffff0
        RELA.pack_into(e.d, off, *r)
    elif name == "reloc_overflow":
        si, st = e.symtab()
        done = False
        for i, s in e.relas():
            for k in range(s[5] // 24):
                off = s[4] + 24 * k
                r = list(RELA.unpack_from(e.d, off))
                sym = SYM.unpack_from(e.d, st[4] + 24 * (r[1] >> 32))
                if r[1] & 0xffffffff == 1 and sym[3] == 0:   # R_X86_64_64, undefined
                    r[1] = (r[1] >> 32) << 32 | 10          # -> R_X86_64_32
                    RELA.pack_into(e.d, off, *r)
                    done = True
                    break
            if done:
                break
        if not done:
            sys.exit("gen-bad-modules: no R_X86_64_64 against an undefined symbol")
    elif name == "reloc_type":
        off = first_rela(e)
        r = list(RELA.unpack_from(e.d, off))
        r[1] = (r[1] >> 32) << 32 | 9                       # R_X86_64_GOTPCREL
        RELA.pack_into(e.d, off, *r)
    elif name == "reloc_sym":
        si, st = e.symtab()
        off = first_rela(e)
        r = list(RELA.unpack_from(e.d, off))
        r[1] = ((st[5] // 24) + 100) << 32 | (r[1] & 0xffffffff)
        RELA.pack_into(e.d, off, *r)
    elif name == "vermagic":
        k = e.d.index(b"vermagic=") + len("vermagic=")
        end = e.d.index(0, k)
        e.d[k:end] = b"X" * (end - k)
    elif name == "no_this_module":
        strtab = e.sh[e.shstrndx]
        k = e.d.index(b".gnu.linkonce.this_module\0", strtab[4])
        e.d[k + 1] = ord("G")
    elif name == "badalign":
        i = e.index(".text")
        e.sh[i][8] = 24
        e.put_sh(i)
    else:
        sys.exit("gen-bad-modules: unknown case " + name)


def main():
    good, outdir = sys.argv[1], sys.argv[2]
    with open(good, "rb") as f:
        data = f.read()
    for name in sys.argv[3:]:
        e = Elf(data)
        case(e, name, len(data))
        with open("%s/elf_%s.ko" % (outdir, name), "wb") as f:
            f.write(e.d)


main()
