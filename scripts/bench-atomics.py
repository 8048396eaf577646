#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Structural rows of `make bench`: atomic RMWs and shared-line stores.

Under -icount an atomic read-modify-write (`lock bts`, `xchg` with memory)
counts as one instruction, and a store to a cache line that other CPUs
also write costs nothing more than a store to a private one: the guest
figures cannot show either.  This script counts both from the disassembly
of each fast path of vmlinux, so that every `make bench` re-checks them:

    scripts/bench-atomics.py [--objdump OBJDUMP] [--md] [--check]
                             [--guest LOG_OR_TABLE [--partial]] [-v] vmlinux
    scripts/bench-atomics.py selftest

`--check` alone is structural (make check): it fails when a walked
function is missing, a walk is incomplete (`?`), a loop row's loop head is
not in its run function, or a zero row backtracked or is not zero.  With
`--guest` (make bench, its own run's guest.log) it also compares each walk
with its benchmark's figure.  `selftest` checks the walker on a synthetic
disassembly (SELFTEST_FUNCS).

Which instructions form the fast path.  From the entry of the function
(or of each function of a pair, in order), the walk takes the
fall-through of every conditional branch, follows unconditional jumps and
tail calls, descends into direct calls and comes back at their `ret`.
The compilers lay the likely successor out as the fall-through
(`likely()`/`unlikely()`, and the cold blocks moved to `.cold` or the end
of the function), so this is the hit path; a path that revisits an
instruction is reported as a loop and cut there.  A row whose benchmark
takes another path says so (PATHS): the functions the walk must enter, in
order (`via`), those it must not (`avoid`), and the directions of the
first undetermined conditional branches in a function (`dirs`); a walk
that breaks them backs up to its last branch and takes the other side.
The number of instructions walked is printed beside the counts, with the
row's instructions per operation under -icount (`--guest`: make bench's
guest.log or a guest table of a run of the same vmlinux): one pass of
the walked loop is one operation, so the figure must be the walk plus
the row's `batch` share (what a batch runs outside the loop, over its
operations) to within GAP_TOLERANCE.  Outside it, the walk took another
path than the benchmark: `--check` fails, as it does for a benchmarked
row without a figure unless `--partial` (a BENCH= subset run).  A `?`
after the count: no path that keeps
the row's conditions was found within MAX_WALKS walks (the counts are
then those of the last one).

Atomic RMW: any `lock`-prefixed instruction, and `xchg` with a memory
operand (locked by the CPU without the prefix).

Stores to shared cache lines.  A store is an instruction whose last AT&T
operand is memory (mov, arithmetic, set*, ...; push and call write the
stack and are local).  Each register carries one of these tags, tracked
along the walked path:
  cpu    per-CPU data: made by adding a %gs: offset (this_cpu_ptr()), or
         loaded from one of the %gs: variables of LOCAL_PERCPU, whose value
         points at this CPU's (or the running thread's) own data; kept
         through mov/lea/arithmetic.  A pointer loaded from any other %gs:
         variable (`current`) is `other`: its target may be shared;
  owned  loaded through a `cpu` pointer: an object on this CPU's own
         free list (only this CPU holds it until it hands it out);
  arg    an argument register at the path's entry: memory the caller
         owns (the object it frees, its out-parameter);
  stack  %rsp/%rbp;
  other  anything else (a global, a pointer read from shared memory).
After a call the caller-saved registers are `other`, and the callee-saved
ones (%rbx, %rbp, %r12-%r15) have their tags of before the call again,
as the ABI has the callee restore them.
A store through %gs:, `cpu`, `owned`, `arg` or `stack` is local; a store
through a %rip-relative address (a global) or an `other` register is
counted as a store to a shared line.  The heuristic errs towards shared:
an unknown base counts.  It cannot see false sharing of an object's line
with a neighbour that another CPU holds (`arg`/`owned` stores), which is
inherent to intrusive free lists.
"""
import argparse
import bisect
import importlib.util
import os
import re
import struct
import subprocess
import sys

# The fast paths, one dict per row:
#   row    its label;
#   funcs  the functions walked, in call order;
#   bench  the guest benchmark of the same path, whose instructions per
#          operation the walk must match (None: a path no benchmark
#          isolates);
#   loop   true: funcs is the benchmark's own run function, and the walk
#          is one pass round its loop, calls included: the operation the
#          figure counts (the loop head must be in that function);
#   batch  (instructions, ops): what each batch runs outside the walked
#          pass (the run function's entry to its loop head and its exit to
#          its `ret`, the indirect call) and the benchmark's operations per
#          batch (its .ops): the figure must be the walk plus
#          instructions/ops, to within GAP_TOLERANCE per op;
#   module (file, function): the benchmark's run function is in that
#          module, beside vmlinux: its loop is walked there too (a call
#          to the kernel counts as the call alone) and its pass added;
#   args   argument registers holding caller-owned memory;
#   consts argument values known to the row (they resolve compares and the
#          jump tables of switches on them);
#   via    {walked function: [functions its walk must enter, in order]};
#   avoid  functions no walk may enter (the slow paths of other rows);
#   dirs   {function: "TF..."}: the first undetermined conditional branches
#          met in that function's own code, in walk order, taken (T) or
#          not (F); the rest take the fall-through first;
#   zero   (lowest, highest) instructions: the walk must show no atomic
#          RMW and no shared-line store, and be that long.
# --check fails when a function is missing, a walk is incomplete, a loop
# row's loop head is not in its run function, a zero row is not zero or
# backtracked; with --guest, also when a row's walk and its benchmark's
# figure disagree.
T1_SLOW = ["__kmalloc_slow", "__kfree_full", "__kfree_slow", "__kfree_other",
           "__kmalloc_big", "printk"]
TRAPS = ["slab_trap_null", "slab_trap_void"]
LARGE_SLOW = ["kmalloc_large", "free_large_pages", "free_large_refused_kfree", "free_large_numa",
              "__kfree_slow"]
PATHS = [
    # mm/slab_bench.c's loop, kmalloc()/kfree() inlined: the built-in path.
    dict(row="kmalloc(64)+kfree, built in (inlined)", funcs=["pair"], loop=True,
         avoid=T1_SLOW, batch=(60, 64), bench="kmalloc64_pair", zero=(12, 60)),
    # slab_bench_module.ko's kmalloc(64, GFP_KERNEL) calls kmalloc_kernel():
    # its loop (pair64) is in the module and walked there.
    dict(row="kmalloc(64)+kfree, module (exported)", funcs=["kmalloc_kernel", "kfree"],
         args=("%rdi",), consts={"%rdi": 64}, avoid=T1_SLOW, bench="kmalloc64_pair_module",
         module=("mm/slab_bench_module.ko", "pair64"), batch=(41, 64), zero=(12, 60)),
    # Tiers 2 and 3 from the built-in loop: the inline size test sends
    # them to __kmalloc_big(), the inline class test of kfree() to
    # __kfree_other(); tier 3's large block goes on to kfree_other_slow()
    # and the per-CPU large-block cache.
    # In __kmalloc_big(): not in a trap (F), then above 4096 bytes or not;
    # in __kfree_other(): not in a trap (F), then a tier-2 object (F) or
    # not (T: the class has no tier-2 free mask, straight to
    # kfree_other_slow(); as QEMU -d exec shows the benchmark go).
    dict(row="kmalloc(2048)+kfree, tier 2", funcs=["pair"], loop=True,
         via={"pair": ["__kmalloc_big", "__kfree_other"]},
         dirs={"__kmalloc_big": "FF", "__kfree_other": "FF"},
         avoid=["__kmalloc_slow", "__kfree_full", "kfree_other_slow", "kmalloc_slow", "printk",
                "kfree_t1_node", "kfree_t2_node"] + LARGE_SLOW + TRAPS,
         batch=(31, 64), bench="kmalloc2048_pair"),
    dict(row="kmalloc(16384)+kfree, tier 3", funcs=["pair"], loop=True,
         via={"pair": ["__kmalloc_big", "__kfree_other", "kfree_other_slow"]},
         dirs={"__kmalloc_big": "FT", "__kfree_other": "FT"},
         avoid=["__kmalloc_slow", "__kfree_full", "kmalloc_slow", "printk",
                "kfree_t1_node", "kfree_t2_node"] + LARGE_SLOW + TRAPS,
         batch=(31, 64), bench="kmalloc16384_pair"),
    dict(row="kmem_cache_alloc+kmem_cache_free, 64 B", funcs=["cache_pair"], loop=True,
         via={"cache_pair": ["__kmem_cache_alloc", "kmem_cache_free"]},
         avoid=["kmem_cache_free_slow", "kmem_cache_free_node", "printk"] + TRAPS,
         batch=(18, 64), bench="kmem_cache64_pair"),
    dict(row="alloc_frame+free_frame", funcs=["frame_pair"], loop=True,
         via={"frame_pair": ["alloc_frame", "free_frame"]},
         avoid=["alloc_frame_slow", "free_frame_slow", "printk"],
         batch=(26, 64), bench="page_frame_pair"),
    # alloc_pages(gfp, n)/__free_pages(page, n) with a constant order, as
    # alloc_page()/__free_page() and the page_order*_pair benches write
    # them, compile to alloc_pages_order<n>/__free_pages_order<n>
    # (<exo/page_alloc.h>).
    dict(row="alloc_pages+__free_pages, order 0", funcs=["order0_pair"], loop=True,
         via={"order0_pair": ["alloc_pages_order0", "__free_pages_order0"]},
         avoid=["alloc_pages_slow", "__free_pages_slow", "printk"],
         batch=(18, 64), bench="page_order0_pair"),
    dict(row="alloc_pages+__free_pages, order 3", funcs=["order3_pair"], loop=True,
         via={"order3_pair": ["alloc_pages_order3", "__free_pages_order3"]},
         avoid=["alloc_pages_slow", "__free_pages_slow", "printk"],
         batch=(18, 64), bench="page_order3_pair"),
    dict(row="alloc_pages+__free_pages, order 9", funcs=["order9_pair"], loop=True,
         via={"order9_pair": ["alloc_pages_order9", "__free_pages_order9"]},
         avoid=["alloc_pages_slow", "__free_pages_slow", "printk"],
         batch=(18, 4), bench="page_order9_pair"),
    dict(row="map_page+unmap_page 4 KiB", funcs=["map_unmap_4k"], loop=True,
         via={"map_unmap_4k": ["map_page", "unmap_page"]}, avoid=["printk"],
         batch=(23, 64), bench="vm_map_unmap_4k"),
    dict(row="translate (cache hit)", funcs=["translate_one"], loop=True,
         via={"translate_one": ["translate"]}, dirs={"translate": "F"},
         batch=(29, 64), bench="vm_translate"),
    # Both caches miss: past the leaf-table cache (T), past the
    # page-directory cache (T) into the walk from the PDPT.
    dict(row="translate miss, cold 4 KiB walk", funcs=["translate_miss"], loop=True,
         via={"translate_miss": ["translate"]}, dirs={"translate": "TT"},
         avoid=["translate_current", "printk"],
         batch=(28, 512), bench="vm_translate_miss_cold_4k"),
    # The slow paths the 4096 bursts take once per batch: the per-CPU
    # frame cache's refill from the buddy lists and its flush back, the
    # thread cache's, one pass (their loops run once per object of the
    # batch and are cut: no benchmark figure to compare).
    dict(row="alloc_frame refill (4096 burst, per batch)", funcs=["alloc_frame"], args=("%rdi",),
         via={"alloc_frame": ["alloc_frame_slow", "take_frame"]},
         avoid=["retry_frame", "alloc_block", "printk", "__ratelimit", "__stack_chk_fail"],
         bench=None),
    # The flush: free_frame_slow()'s first test sends a full ring to
    # frame_ring_full(), whose `cmp; jb` falls through to the ring no
    # longer full (interrupts drained it): pcp_push_slow must be named to
    # walk the drain.  The walk is one drain, run once every
    # PCP_REFILL_BLOCKS(0) (64) frees past the mark (1/64 of it per op),
    # its fall-throughs a whole block then a run scan; bench=None: no
    # figure to compare, so no batch share.
    dict(row="free_frame flush (4096 burst, per batch)", funcs=["free_frame"],
         via={"free_frame": ["free_frame_slow", "frame_ring_full", "pcp_push_slow"]},
         avoid=["free_finish", "free_block_numa", "free_range", "printk"], bench=None),
    # The refill the 4096 burst takes once a list's worth of allocations:
    # both lists empty, so __kmalloc_slow() finds left[i] back at 0 (T)
    # and no freed list (T) and goes to kmalloc_refill(), whose cache is
    # live (F, T); tcache_refill() finds a clean head (F), this CPU's
    # array empty (t2_take(): F, F, F, then no object, T) and takes the
    # whole list the burst's frees put in the transfer cache (T; in
    # slab_xfer_get(): a list there, T; memmove() of the lists above the
    # one taken, none: the list put last, T).  Only named, a walk may
    # enter slab_xfer_get() and take its empty return, then go on to
    # slab_new(): the directions and the slow paths avoided hold it to
    # the list taken.  __stack_chk_fail() (its panic() and printing) is
    # avoided as in the frame refill: no walk returns from it.
    dict(row="kmalloc(64) refill (4096 burst, per batch)", funcs=["kmalloc_kernel"],
         consts={"%rdi": 64},
         via={"kmalloc_kernel": ["__kmalloc_slow", "kmalloc_refill", "tcache_refill", "t2_take",
                                 "slab_xfer_get"]},
         dirs={"kmalloc_kernel": "T", "__kmalloc_slow": "FTT", "kmalloc_refill": "FT",
               "tcache_refill": "FTT", "t2_take": "FFFT", "slab_xfer_get": "T", "memmove": "T"},
         avoid=["kmalloc_slow", "tcache_head_bad", "tcache_splice", "slab_new",
                "slab_get_bulk_from", "preempt_schedule", "__stack_chk_fail", "printk"] + TRAPS,
         bench=None),
    # The flush of a full list to the transfer cache (whole, in O(1),
    # under the class's lock), as the 4096 burst takes it: named, or the
    # walk takes tcache_push()'s fall-through, where the list has room.
    dict(row="kfree flush (4096 burst, per batch)", funcs=["kfree"], args=("%rdi",),
         via={"kfree": ["__kfree_full", "tcache_push", "slab_xfer_put"]},
         avoid=["kfree_common", "printk"] + TRAPS,
         bench=None),
]

# Walks tried (each backing up to the last branch) before giving up.
MAX_WALKS = 2000

# Per-CPU variables whose value points at local data: this CPU's area
# base, and the running thread's own tier-1 cache.
LOCAL_PERCPU = ("this_cpu_off", "slab_cur_cache")

ARG_REGS = ("%rdi", "%rsi", "%rdx", "%rcx", "%r8", "%r9")
CALLER_SAVED = ("%rax", "%rcx", "%rdx", "%rsi", "%rdi", "%r8", "%r9", "%r10", "%r11")
# What a callee gives back as it found it (the SysV ABI): at a call the
# walk keeps their tags and constants and puts them back at the `ret`,
# whatever the callee did with them in between.
CALLEE_SAVED = ("%rbx", "%rbp", "%r12", "%r13", "%r14", "%r15")
REG64 = {}
for r in "abcd":
    for n in (f"%r{r}x", f"%e{r}x", f"%{r}x", f"%{r}l"):
        REG64[n] = f"%r{r}x"
for r in ("si", "di", "bp", "sp"):
    for n in (f"%r{r}", f"%e{r}", f"%{r}", f"%{r}l"):
        REG64[n] = f"%r{r}"
for i in range(8, 16):
    for n in (f"%r{i}", f"%r{i}d", f"%r{i}w", f"%r{i}b"):
        REG64[n] = f"%r{i}"

HIGH_BYTE = {f"%{r}h": f"%r{r}x" for r in "abcd"}

LINE = re.compile(r"^\s*([0-9a-f]+):\s+(.*)$")
FUNC = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
TARGET = re.compile(r"^([0-9a-f]+)(?: <([^>+]+)(\+0x[0-9a-f]+)?>)?$")
MEM = re.compile(r"^(%[a-z]s:)?(-?0x[0-9a-f]+|-?\d+)?(\(([^)]*)\))?$")


def disassemble(objdump, vmlinux):
    """Return {addr: (mnemonic, operands)} and {name: addr} of the image."""
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", "-M", "att", vmlinux],
                         capture_output=True, text=True, check=True).stdout
    return parse_objdump(out)


def parse_objdump(out):
    """{addr: (mnemonic, operands)} and {name: addr} of `objdump -d` text."""
    insns, syms = {}, {}
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            syms.setdefault(m.group(2), int(m.group(1), 16))
            continue
        m = LINE.match(line)
        if not m:
            continue
        text = m.group(2).split("#")[0].strip()
        if not text or text.startswith("(bad)"):
            continue
        parts = text.split(None, 1)
        if parts[0] in ("lock", "rep", "repz", "repnz", "notrack", "bnd", "ds", "cs"):
            sub = parts[1].split(None, 1) if len(parts) > 1 else [""]
            mnem = parts[0] + " " + sub[0]
            ops = sub[1] if len(sub) > 1 else ""
        else:
            mnem, ops = parts[0], parts[1] if len(parts) > 1 else ""
        insns[int(m.group(1), 16)] = (mnem, ops.strip())
    return insns, syms


def percpu_offsets(nm, vmlinux, names):
    """The %gs: offsets of the per-CPU variables @names."""
    out = subprocess.run([nm, vmlinux], capture_output=True, text=True, check=True).stdout
    offs = set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] in names:
            offs.add(int(f[0], 16))
    return offs


def read_sections(vmlinux):
    """[(addr, size, file offset)] of the image's PROGBITS sections (jump tables)."""
    with open(vmlinux, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3a)
    secs = []
    for i in range(shnum):
        _, typ, _, addr, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        if typ == 1 and addr:
            secs.append((addr, size, off))
    return data, secs


def read_u64(image, addr):
    data, secs = image
    for a, size, off in secs:
        if a <= addr < a + size - 7:
            return struct.unpack_from("<Q", data, off + addr - a)[0]
    return None


def split_ops(ops):
    out, depth, cur = [], 0, ""
    for ch in ops:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def is_mem(op):
    if re.match(r"^%[a-z]s:", op):	# %gs:0x18, %gs:(%rax): segment-relative memory
        return True
    return not op.startswith("%") and not op.startswith("$") and ("(" in op or ":" in op)


def mem_base(op):
    """(segment, base register or 'rip', index) of a memory operand."""
    m = MEM.match(op)
    if not m:
        return None, None, None
    seg = m.group(1)
    inner = m.group(4) or ""
    regs = [r.strip() for r in inner.split(",")] if inner else []
    base = regs[0] if regs and regs[0] else None
    if base == "%rip":
        base = "rip"
    elif base:
        base = REG64.get(base, base)
    index = REG64.get(regs[1], regs[1]) if len(regs) > 1 and regs[1] else None
    return seg, base, index


NO_STORE = ("push", "call", "cmp", "test", "bt", "nop", "prefetch", "clflush", "lea", "jmp",
            "invlpg", "lgdt", "lidt")


class Walk:
    """One fast path: the walked instructions and what each one does."""

    def __init__(self, insns, addrs, image, verbose, local_percpu=frozenset(), syms=None):
        self.insns, self.addrs, self.image, self.verbose = insns, addrs, image, verbose
        self.local_percpu = local_percpu
        syms = syms or {}
        self.sym_at = {a: n for n, a in syms.items()}	# function entries
        self.starts = sorted(self.sym_at)
        self.via, self.avoid, self.dirs = (), frozenset(), {}
        self.entry_span = None	# (start, end) of the entry function
        self.backtracked = False	# a walk gave up and backed up to a branch
        self.cycle_head = None		# (addr, call depth) of the loop head
        self.path = []		# (addr, text, is_atomic, store class or None)
        self.notes = []
        self.cycle = None	# index of the loop head when the walk closed a loop
        self.flags = None	# (a, b) of a `cmp $b, reg` whose reg holds a known a
        self.unlinked = False	# a module's code: a call to the next instruction calls out

    def tag_of(self, tags, reg):
        if reg in ("%rsp", "%rbp"):
            return "stack"
        return tags.get(reg, "other")

    def store_class(self, tags, op):
        seg, base, _ = mem_base(op)
        if seg == "%gs:":
            return "cpu"
        if base == "rip" or base is None:
            return "other"
        return self.tag_of(tags, base)

    def step(self, addr, mnem, ops, tags, consts):
        """Account one instruction; update the register tags and constants."""
        plain = mnem.split()[-1]
        operands = split_ops(ops)
        atomic = mnem.startswith("lock ") or \
            (plain.startswith("xchg") and any(is_mem(o) for o in operands))
        store = None
        if operands and is_mem(operands[-1]) and not plain.startswith(NO_STORE) \
                and not plain.startswith("j") and not plain.startswith("ret"):
            store = self.store_class(tags, operands[-1])
        self.path.append((addr, f"{mnem} {ops}".strip(), atomic, store))
        if plain.startswith(("cmp", "test", "sub", "and", "add")) or store or \
                (operands and REG64.get(operands[-1])):
            self.flags = None
        if plain.startswith("cmp") and len(operands) == 2 and operands[0].startswith("$") \
                and REG64.get(operands[1]) in consts:
            self.flags = (consts[REG64[operands[1]]], int(operands[0][1:], 0))
        # The interrupt flag: the benchmarks run with interrupts on, so a
        # `pushf; pop reg` yields IF (0x200) set, and the irq-restore's
        # `test $0x200, reg` or `and $0x2, %Xh` finds it set.
        high = HIGH_BYTE.get(operands[-1]) if operands else None
        if plain.startswith(("test", "and")) and len(operands) == 2 and \
                operands[0].startswith("$") and \
                (REG64.get(operands[1]) in consts or high in consts):
            v = consts[high] >> 8 if high else consts[REG64[operands[1]]]
            self.flags = ("z", v & int(operands[0][1:], 0))
            if high:	# `and` on a high byte: the rest of the register is unknown
                consts.pop(high)
                return
        if plain.startswith("pushf"):
            self.pushed_flags = True
            return
        if plain.startswith("pop") and getattr(self, "pushed_flags", False) and \
                REG64.get(operands[-1] if operands else ""):
            self.pushed_flags = False
            tags[REG64[operands[-1]]] = "other"
            consts[REG64[operands[-1]]] = 0x200
            return
        self.pushed_flags = False
        if not operands:
            return
        dst = REG64.get(operands[-1])
        if not dst or plain.startswith(("cmp", "test", "bt", "push")):
            return
        src = operands[0] if len(operands) > 1 else None
        consts.pop(dst, None)
        if plain.startswith("lea"):
            _, base, _ = mem_base(src)
            tags[dst] = self.tag_of(tags, base) if base and base != "rip" else "other"
        elif plain.startswith("mov") and src:
            if src.startswith("%gs:"):
                m = MEM.match(src)
                disp = int(m.group(2), 0) if m and m.group(2) else 0
                tags[dst] = "cpu" if disp in self.local_percpu else "other"
            elif REG64.get(src):
                tags[dst] = self.tag_of(tags, REG64[src])
                if REG64[src] in consts:
                    consts[dst] = consts[REG64[src]]
            elif is_mem(src):
                seg, base, _ = mem_base(src)
                tags[dst] = "owned" if base and base != "rip" and \
                    self.tag_of(tags, base) == "cpu" else "other"
            else:
                tags[dst] = "other"
                if src.startswith("$"):
                    consts[dst] = int(src[1:], 0)
        elif plain.startswith("add") and src and src.startswith("%gs:"):
            tags[dst] = "cpu"
        elif plain.startswith("xor") and src == operands[-1]:
            tags[dst] = "other"
            consts[dst] = 0
        elif plain.startswith(("add", "sub", "and", "or", "shl", "shr", "sar", "not", "neg",
                               "inc", "dec", "xor")):
            pass  # pointer arithmetic keeps the tag
        else:
            tags[dst] = "other"

    def known_branch(self, plain):
        """Whether a branch on the flags of a compare of known values is taken."""
        if self.flags is None:
            return None
        a, b = self.flags
        if a == "z":	# a `test` or `and` result
            return {"je": b == 0, "jz": b == 0, "jne": b != 0, "jnz": b != 0}.get(plain)
        ops = {"ja": a > b, "jae": a >= b, "jb": a < b, "jbe": a <= b, "je": a == b,
               "jne": a != b, "jz": a == b, "jnz": a != b, "jnb": a >= b, "jnc": a >= b,
               "jc": a < b, "jna": a <= b, "jnbe": a > b, "jnae": a < b}
        return ops.get(plain)

    def next_addr(self, addr):
        i = bisect.bisect_right(self.addrs, addr)
        return self.addrs[i] if i < len(self.addrs) else None

    def jump_table(self, ops, consts):
        """Target of `jmp *table(,%reg,8)` when %reg holds a known value."""
        m = re.match(r"^\*(-?0x[0-9a-f]+)\(,(%[a-z0-9]+),8\)$", ops)
        if not m or REG64.get(m.group(2)) not in consts:
            return None
        table = int(m.group(1), 16) & 0xffffffffffffffff
        return read_u64(self.image, table + 8 * consts[REG64[m.group(2)]])

    def func_of(self, addr):
        """The function (symbol) whose code holds @addr."""
        i = bisect.bisect_right(self.starts, addr) - 1
        return self.sym_at[self.starts[i]] if i >= 0 else None

    def run(self, entry, tags, consts, loop_row, via=(), avoid=(), dirs=None):
        """Walk from @entry to its `ret`.

        Takes the fall-through (or a backward branch) first, and the
        directions of @dirs; a walk that runs into a loop in a row that is
        not a benchmark loop (a spin wait after a failed `lock cmpxchg`),
        enters a function of @avoid or returns without having entered
        those of @via in order backs up to the last conditional branch and
        takes its other side.
        """
        self.via, self.avoid, self.dirs = tuple(via), frozenset(avoid), dict(dirs or {})
        i = bisect.bisect_right(self.starts, entry)
        self.entry_span = (entry, self.starts[i] if i < len(self.starts) else float("inf"))
        state = (entry, [], tags, consts, {}, len(self.path), (), {})
        alternatives = []
        notes = len(self.notes)
        for _ in range(MAX_WALKS):
            del self.notes[notes:]	# only the last walk's notes
            ok = self.walk(state, alternatives, loop_row)
            if ok or not alternatives:
                return ok
            state = alternatives.pop()
            del self.path[state[5]:]
            self.cycle = None
            self.backtracked = True
        return False

    def via_kept(self, entered):
        """Whether @entered holds the functions of via in order."""
        it = iter(entered)
        if all(v in it for v in self.via):
            return True
        self.notes.append(f"did not enter {' then '.join(self.via)}")
        return False

    def walk(self, state, alternatives, loop_row):
        addr, stack, tags, consts, visited, _, entered, used = state
        stack, tags, consts, visited = list(stack), dict(tags), dict(consts), dict(visited)
        used = dict(used)
        constrained = bool(self.via or self.avoid or self.dirs)
        while True:
            if addr not in self.insns:
                self.notes.append(f"left the disassembly at {addr:x}")
                return False
            if addr in visited:
                self.cycle, depth = visited[addr]
                self.cycle_head = (addr, depth)
                if not loop_row:
                    return False
                # One pass round the benchmark's own loop, not a callee's.
                if constrained and (depth or not
                                    self.entry_span[0] <= addr < self.entry_span[1]):
                    return False
                return self.via_kept(entered)
            visited[addr] = (len(self.path), len(stack))
            mnem, ops = self.insns[addr]
            if self.verbose:
                print(f"    {'  ' * len(stack)}{addr:x}: {mnem} {ops}", file=sys.stderr)
            self.step(addr, mnem, ops, tags, consts)
            plain = mnem.split()[-1]
            nxt = self.next_addr(addr)
            if plain.startswith("ret"):
                if not stack:
                    return self.via_kept(entered)
                addr, saved = stack.pop()
                for r in CALLER_SAVED:
                    tags[r] = "other"
                    consts.pop(r, None)
                for r, (tag, const) in saved.items():
                    tags.pop(r, None)
                    consts.pop(r, None)
                    if tag is not None:
                        tags[r] = tag
                    if const is not None:
                        consts[r] = const
                continue
            if plain.startswith("j") and not plain.startswith("jmp"):
                m = TARGET.match(ops)
                tgt = int(m.group(1), 16) if m else None
                # A backward branch closes a loop: the loop runs again.  (A
                # branch from a .cold part back into its function is not one.)
                func = self.func_of(addr)
                back = tgt is not None and tgt < addr and self.func_of(tgt) == func
                first, other = (tgt, nxt) if back else (nxt, tgt)
                taken = self.known_branch(plain)
                if taken is None and used.get(func, 0) < len(self.dirs.get(func, "")):
                    taken = self.dirs[func][used.get(func, 0)] == "T"
                    used[func] = used.get(func, 0) + 1
                if taken is not None:
                    first, other = (tgt, None) if taken else (nxt, None)
                if other is not None and (constrained or not loop_row):
                    # A copy: this walk goes on changing its own.
                    alternatives.append((other, list(stack), dict(tags), dict(consts),
                                         dict(visited), len(self.path), entered, dict(used)))
                addr = first
                continue
            if plain.startswith("jmp") or plain.startswith("call"):
                if ops.startswith("*"):
                    tgt = self.jump_table(ops, consts)
                else:
                    m = TARGET.match(ops)
                    tgt = int(m.group(1), 16) if m else None
                if tgt is None:
                    self.notes.append(f"{plain} {ops} not followed")
                    return False
                if plain.startswith("call") and tgt == nxt and self.unlinked:
                    addr = nxt	# a module's call out, not relocated: the call alone
                    continue
                name = self.sym_at.get(tgt)
                if name in self.avoid:
                    self.notes.append(f"entered {name}")
                    return False
                if name:
                    entered += (name,)
                if plain.startswith("call"):
                    if len(stack) > 8:
                        self.notes.append("call depth cut")
                        return False
                    stack.append((nxt, {r: (tags.get(r), consts.get(r))
                                        for r in CALLEE_SAVED}))
                addr = tgt
                continue
            if nxt is None:
                return False
            addr = nxt


def loop_problems(w, funcs, syms, ends):
    """Why a loop row's walk is not one pass round its run function's loop (or [])."""
    start = syms[funcs[0]]
    i = bisect.bisect_right(ends, start)
    end = ends[i] if i < len(ends) else float("inf")
    if w.cycle_head is None:
        return ["no benchmark loop closed"]
    if w.cycle_head[1] or not start <= w.cycle_head[0] < end:
        return [f"loop head {w.cycle_head[0]:x} (call depth {w.cycle_head[1]}) "
                f"not in {funcs[0]}'s own loop"]
    return []


def zero_row_problems(w, path, loop, expect):
    """Why the walk of a ZERO row does not prove the fast path (or [])."""
    bad = []
    if w.backtracked:
        bad.append("the walk backtracked: not the straight fast path")
    if loop and any(t.split()[0].startswith("call") for _, t, _, _ in path):
        bad.append("a call on the path: not inlined")
    if not expect[0] <= len(path) <= expect[1]:
        bad.append(f"{len(path)} instructions walked, expected {expect[0]}..{expect[1]}")
    return bad


def read_figures(path):
    """{benchmark: instructions per op} of a guest log or a guest table ({} if none)."""
    try:
        with open(path, errors="replace") as f:
            text = f.read()
    except (OSError, TypeError):
        return {}
    spec = importlib.util.spec_from_file_location(
        "bench_table", os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench-table.py"))
    table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(table)
    if table.BEGIN in text:
        text = text[text.index(table.BEGIN):text.find(table.END, text.index(table.BEGIN))]
    out = {}
    for line in text.splitlines():	# the guest table's rows (the first table that has one)
        m = re.match(r"^\| `([a-z0-9_]+)` \| (?:[^|\\]|\\.)* \| ([0-9.]+) \| ", line)
        if m and m.group(1) not in out:
            out[m.group(1)] = float(m.group(2))
    if not out:
        rows, unit = table.read_rows(path)
        if unit in ("instr/op", None):
            out = {n: float(r[1]) for n, r in rows.items() if r[1] is not None}
    return out


# How far (instructions per op) a figure may be from the walk plus its
# batch's share: an operation's instructions are exact under -icount.
GAP_TOLERANCE = 0.5


def figure_problem(walked, fig, batch):
    """Why a walk of @walked instructions is not the path of a figure (or None)."""
    if fig is None:
        return None
    gap = batch[0] / batch[1]
    if abs(fig - walked - gap) > GAP_TOLERANCE:
        return (f"{walked} instructions walked + {batch[0]}/{batch[1]} per batch = "
                f"{walked + gap:.2f}, the benchmark {fig:g} per op (tolerance "
                f"{GAP_TOLERANCE}): not the benchmark's path")
    return None


def module_pass(objdump, vmlinux, module, verbose=False):
    """(instructions of one pass round @module's loop, problem or None).

    @module is (file beside vmlinux, run function).  In the module's
    unlinked code a call to the kernel targets its own next instruction:
    the walk counts it as the call alone (the kernel's side is the row's
    walk of vmlinux).
    """
    path = os.path.join(os.path.dirname(os.path.abspath(vmlinux)), module[0])
    try:
        out = subprocess.run([objdump, "-d", "-j", ".text", "--no-show-raw-insn", "-M", "att",
                              path], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        return None, f"cannot disassemble {module[0]}: {e}"
    insns, syms = parse_objdump(out)
    if module[1] not in syms:
        return None, f"no {module[1]} in {module[0]}"
    w = Walk(insns, sorted(insns), (b"", []), verbose, frozenset(), syms)
    w.unlinked = True
    tags = {r: "other" for r in ARG_REGS}
    if not w.run(syms[module[1]], tags, {}, True) or w.cycle is None:
        return None, f"no loop walked in {module[1]} of {module[0]}"
    bad = loop_problems(w, [module[1]], syms, sorted(syms.values()))
    return len(w.path) - w.cycle, (bad[0] + f" ({module[0]})") if bad else None


class Row:
    """The walk of one row of PATHS and what the structural check finds."""

    def __init__(self, p, insns, addrs, image, local_percpu, syms, ends, verbose=False):
        self.p, funcs = p, p["funcs"]
        self.missing = [f for f in funcs if f not in syms]
        w = self.w = Walk(insns, addrs, image, verbose, local_percpu, syms)
        self.incomplete = False
        for f in funcs:
            if f in self.missing:
                continue
            tags = {r: ("arg" if r in p.get("args", ()) else "other") for r in ARG_REGS}
            if verbose:
                print(f"  {p['row']}: {f}", file=sys.stderr)
            if not w.run(syms[f], tags, dict(p.get("consts", {})), bool(p.get("loop")),
                         p.get("via", {}).get(f, ()), p.get("avoid", ()), p.get("dirs")):
                w.notes.append(f"no path through {f} that keeps the row's conditions: the "
                               f"counts are of the last walk tried")
                self.incomplete = True
        # A benchmark loop: one pass round the loop is one operation.
        path = self.path = w.path[w.cycle:] if w.cycle is not None and p.get("loop") else w.path
        self.atomics = [f"{a:x}: {t}" for a, t, at, _ in path if at]
        self.shared = [f"{a:x}: {t}" for a, t, _, st in path if st == "other"]
        self.local = sum(1 for _, _, _, st in path if st not in (None, "other"))
        self.bad = []
        if p.get("loop") and not self.missing:
            self.bad += loop_problems(w, funcs, syms, ends)
        if "zero" in p:
            self.bad += zero_row_problems(w, path, p.get("loop"), p["zero"])
            if self.atomics or self.shared:
                self.bad.append("not zero")

    def failed(self):
        return bool(self.missing or self.incomplete or self.bad)


def main():
    if sys.argv[1:] == ["selftest"]:
        return selftest()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("vmlinux", help="the image (or `selftest`: check the walker on a "
                    "synthetic disassembly)")
    ap.add_argument("--objdump", default="objdump")
    ap.add_argument("--nm", default="nm")
    ap.add_argument("--md", action="store_true", help="a Markdown table")
    ap.add_argument("--check", action="store_true",
                    help="fail when a function is missing, a walk is incomplete, a loop row's "
                    "loop is not its run function's, a zero row is not zero or backtracked; "
                    "with --guest also when a walk disagrees with its benchmark's figure")
    ap.add_argument("--guest", help="guest.log of a make bench run of this vmlinux, or its "
                    "guest table: the figures the walks are compared with")
    ap.add_argument("--partial", action="store_true", help="--guest is a run of some "
                    "benchmarks: a row without a figure passes (else it fails)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the walked paths")
    args = ap.parse_args()
    insns, syms = disassemble(args.objdump, args.vmlinux)
    image = read_sections(args.vmlinux)
    local_percpu = percpu_offsets(args.nm, args.vmlinux, LOCAL_PERCPU)
    figures = read_figures(args.guest) if args.guest else None
    failed = report(PATHS, insns, syms, image, local_percpu, figures, args.md, args.verbose,
                    args.objdump, args.vmlinux, args.partial)
    if args.check and failed:
        what = "a missing function, an incomplete walk, a loop outside the run function, " \
               "a zero row not zero"
        if figures is not None:
            what += f", or a walk that is not its benchmark's path (figures from " \
                    f"{os.path.relpath(args.guest)}, which must be a run of this vmlinux)"
        print(f"bench-atomics: FAILED: {failed} row(s) with {what}")
        return 1
    return 0


def report(paths, insns, syms, image, local_percpu, figures, md, verbose, objdump="objdump",
           vmlinux="vmlinux", partial=False):
    """Print the rows of @paths; return how many fail.

    @figures: {benchmark: figure} of a run of this vmlinux, None for a
    structural check; @partial: a run of some benchmarks only (a row
    without a figure is not checked against one).
    """
    addrs = sorted(insns)
    ends = sorted(syms.values())
    if md:
        print("| fast path (functions walked) | instructions walked | `-icount` per op "
              "| atomic RMW | stores to shared lines | local stores | which |")
        print("|---|---:|---:|---:|---:|---:|---|")
    else:
        print(f"{'fast path':44} {'insns':>5} {'icount':>7} {'atomic RMW':>10} "
              f"{'shared-line stores':>18} {'local stores':>12}  which")
    failed = 0
    for p in paths:
        r = Row(p, insns, addrs, image, local_percpu, syms, ends, verbose)
        fig = (figures or {}).get(p["bench"]) if p.get("bench") else None
        walked_n = len(r.path)
        if p.get("module") and figures is not None:
            n, why = module_pass(objdump, vmlinux, p["module"], verbose)
            if why:
                r.bad.append(why)
            else:
                walked_n += n
                r.w.notes.append(f"+ {n} in {p['module'][1]}'s loop ({p['module'][0]})")
        if figures is not None and p.get("bench") and fig is None and not partial:
            r.bad.append(f"no figure for {p['bench']} in the guest log (renamed, or the "
                         f"boot died)")
        why = figure_problem(walked_n, fig, p["batch"]) if fig is not None and \
            not r.incomplete else None
        if why:
            r.bad.append(why)
        r.w.notes += r.bad
        failed += r.failed()
        walked = f"{len(r.path)}{'?' if r.incomplete else ''}"
        figtext = f"{fig:g}" if fig is not None else ("--" if p.get("bench") else "n/a")
        which = "; ".join([f"no symbol {m}" for m in r.missing] + r.w.notes +
                          [f"RMW `{x}`" for x in r.atomics] + [f"store `{x}`" for x in r.shared])
        row, funcs = p["row"], p["funcs"]
        if md:
            bench = f"; `{p['bench']}`" if p.get("bench") else ""
            print(f"| {row} (`{'`, `'.join(funcs)}`{bench}) | {walked} | {figtext} "
                  f"| {len(r.atomics)} | {len(r.shared)} | {r.local} | {which.replace('|', '/')} |")
        else:
            print(f"{row:44} {walked:>5} {figtext:>7} {len(r.atomics):10d} {len(r.shared):18d} "
                  f"{r.local:12d}  {which.replace('`', '')}")
    return failed



# The selftest's synthetic image: {function: [(label or None, instruction)]};
# `@label` in an instruction is that label's address, as objdump prints a
# branch target.  %gs:0x10 is a LOCAL_PERCPU variable, %gs:0x20 `current`.
SELFTEST_FUNCS = {
    # A benchmark loop with the fast path inlined: a per-CPU free list.
    "run_inline": [
        (None, "push   %rbx"), (None, "mov    %esi,%ebx"),
        ("head", "mov    %gs:0x10,%rax"), (None, "mov    (%rax),%rdx"),
        (None, "test   %rdx,%rdx"), (None, "je     @cold"),
        (None, "mov    (%rdx),%rcx"), (None, "mov    %rcx,(%rax)"),
        (None, "mov    %rdx,(%rax)"), (None, "sub    $0x1,%ebx"),
        (None, "jne    @head"), (None, "pop    %rbx"), (None, "ret"),
        ("cold", "call   @slowfn"), (None, "jmp    @head")],
    # The slow path: an atomic RMW and stores to a global, through `current`.
    "slowfn": [
        (None, "lock incl 0x100(%rip)"), (None, "mov    %gs:0x20,%rax"),
        (None, "mov    %rdi,0x8(%rax)"), (None, "ret")],
    # A loop calling a fast or a slow function.
    "run_calls": [
        ("head", "mov    %gs:0x10,%rax"), (None, "cmpq   $0x0,(%rax)"),
        (None, "je     @slow"), (None, "call   @fastfn"), (None, "jmp    @next"),
        ("slow", "call   @slowfn"), ("next", "sub    $0x1,%esi"),
        (None, "jne    @head"), (None, "ret")],
    "fastfn": [(None, "mov    %rdi,%gs:0x18"), (None, "ret")],
    # A per-CPU pointer kept in %rbx across a call whose callee uses
    # %rbx for a global and restores it: the store after the call is local.
    "keeps_rbx": [
        (None, "push   %rbx"), (None, "mov    %gs:0x10,%rbx"), (None, "call   @clobbers_rbx"),
        (None, "mov    %rax,(%rbx)"), (None, "pop    %rbx"), (None, "ret")],
    "clobbers_rbx": [
        (None, "push   %rbx"), (None, "lea    0x100(%rip),%rbx"), (None, "mov    (%rbx),%rax"),
        (None, "pop    %rbx"), (None, "ret")],
    # Its loop is in its callee: not a benchmark run function.
    "outer": [(None, "call   @inner"), (None, "ret")],
    "inner": [("l", "sub    $0x1,%edi"), (None, "jne    @l"), (None, "ret")],
}


def selftest_objdump(funcs, base=0xffffffff81000000):
    """`objdump -d --no-show-raw-insn` text of @funcs, 4 bytes an instruction."""
    addr, labels, layout = base, {}, []
    for name, body in funcs.items():
        labels[(name, None)] = (addr, name, 0)
        for label, text in body:
            if label:
                labels[(name, label)] = (addr, name, addr - labels[(name, None)][0])
            layout.append((name, addr, text))
            addr += 4
        addr += 0x10
    out, cur = [], None
    for name, a, text in layout:
        if name != cur:
            out += ["", f"{a:016x} <{name}>:"]
            cur = name
        m = re.search(r"@(\w+)", text)
        if m:
            key = (m.group(1), None) if (m.group(1), None) in labels else (name, m.group(1))
            t, sym, off = labels[key]
            where = f"<{sym}+0x{off:x}>" if off else f"<{sym}>"
            text = text.replace(m.group(0), f"{t:x} {where}")
        out.append(f"{a:x}:\t{text}")
    return "\n".join(out) + "\n"


def selftest():
    """Check the walker on SELFTEST_FUNCS; return 0 when every case holds."""
    insns, syms = parse_objdump(selftest_objdump(SELFTEST_FUNCS))
    image = (b"", [])
    failures = []

    def row(**kw):
        p = dict(row="t", **kw)
        return Row(p, insns, sorted(insns), image, {0x10}, syms, sorted(syms.values()))

    def expect(name, cond, got):
        print(f"{'ok' if cond else 'not ok'} - {name}" + ("" if cond else f": got {got}"))
        if not cond:
            failures.append(name)

    r = row(funcs=["run_inline"], loop=True, zero=(5, 12))
    expect("inlined loop: one pass of 9 instructions, zero, 2 local stores",
           not r.failed() and len(r.path) == 9 and r.local == 2 and not r.atomics,
           (len(r.path), r.local, r.bad))
    r = row(funcs=["run_inline"], loop=True, zero=(5, 8))
    expect("zero row out of its length range fails", r.failed(), r.bad)
    r = row(funcs=["run_inline"], loop=True, via={"run_inline": ["slowfn"]}, zero=(5, 20))
    expect("zero row through the slow path: backtracked, not zero, a call",
           r.w.backtracked and "not zero" in r.bad and
           any("call on the path" in b for b in r.bad), r.bad)
    expect("slow path: 1 atomic RMW, 2 shared-line stores (a global, through current)",
           len(r.atomics) == 1 and len(r.shared) == 2, (r.atomics, r.shared))
    r = row(funcs=["run_calls"], loop=True, via={"run_calls": ["fastfn"]})
    expect("loop with calls: fast side, %gs store local, nothing shared",
           not r.failed() and not r.shared and r.local == 1 and len(r.path) == 9,
           (len(r.path), r.bad, r.shared))
    r = row(funcs=["run_calls"], loop=True, dirs={"run_calls": "T"})
    expect("dirs T takes the branch to the slow path",
           not r.failed() and len(r.atomics) == 1, (r.atomics, r.bad))
    r = row(funcs=["run_calls"], loop=True, avoid=["fastfn", "slowfn"])
    expect("no path that keeps the conditions: incomplete", r.incomplete and r.failed(), r.bad)
    r = row(funcs=["keeps_rbx"])
    expect("a callee-saved register keeps its tag across a call: the store is local",
           not r.failed() and not r.shared and r.local == 1, (r.shared, r.local, r.bad))
    r = row(funcs=["outer"], loop=True)
    expect("loop head in a callee: not the run function's loop",
           any("not in outer's own loop" in b for b in r.bad), r.bad)
    r = row(funcs=["no_such_function"])
    expect("missing function fails", r.missing and r.failed(), r.missing)
    expect("figure = walk + batch/ops within 0.5 passes",
           figure_problem(63, 63.05, (28, 512)) is None and
           figure_problem(47, 51.5, (18, 4)) is None, "")
    expect("a walk 2 short of the figure fails (wrong direction)",
           figure_problem(61, 63.05, (28, 512)) is not None, "")
    expect("a walk 1 off with 4 ops a batch fails", figure_problem(46, 51.5, (18, 4)) is not None
           and figure_problem(48, 51.5, (18, 4)) is not None, "")
    expect("figure below the walk fails", figure_problem(9, 8, (0, 64)) is not None, "")
    print(f"bench-atomics selftest: {'FAILED: ' + ', '.join(failures) if failures else 'ok'}")
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main())
