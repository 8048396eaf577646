# SPDX-License-Identifier: GPL-2.0
"""Memory: lx-buddyinfo (free blocks per zone and order), lx-slabinfo
(the kmalloc caches) and lx-pte (a page-table walk)."""
import gdb

from exo import utils

cache_type = utils.CachedType('struct kmem_cache')
mm_type = utils.CachedType('struct mm_struct')

# arch/x86/include/asm/page.h: the direct map of all RAM starts here.
PAGE_OFFSET = 0xffff888000000000
PHYS_MASK = 0x000ffffffffff000


class LxBuddyinfo(gdb.Command):
    """Free blocks per order in each zone, as the shell's buddyinfo (and
Linux's /proc/buddyinfo) shows them: lx-buddyinfo."""

    def __init__(self):
        super().__init__('lx-buddyinfo', gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        zones = utils.symbol_value('global_pa')['zones']
        nr_zones = zones.type.range()[1] + 1
        nr_orders = zones[0]['free_area'].type.range()[1] + 1
        gdb.write(f"{'order:':<21}" + ''.join(f" {o:6}" for o in range(nr_orders)) + "\n")
        for z in range(nr_zones):
            zone = zones[z]
            if not int(zone['managed']):
                continue
            line = f"Node 0, zone {utils.c_string(zone['name']):>8}"
            line += ''.join(f" {int(zone['free_area'][o]['nr_free']):6}"
                            for o in range(nr_orders))
            gdb.write(line + "\n")


LxBuddyinfo()


class LxSlabinfo(gdb.Command):
    """The slab caches: object size, slot, objects per slab, slab order,
slabs (empty ones), objects in them and free in them: lx-slabinfo.

Objects cached in the per-thread and per-CPU tiers count as used here;
the shell's slabinfo splits them out."""

    def __init__(self):
        super().__init__('lx-slabinfo', gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        head = utils.symbol_value('slab_caches')
        gdb.write(f"{'# name':<14} {'size':>5} {'slot':>5} {'objs':>4} {'ord':>3} "
                  f"{'slabs':>6} {'empty':>5} {'total':>7} {'free':>7} "
                  f"{'allocs':>9} {'frees':>9}\n")
        for c in utils.list_for_each_entry(head, cache_type.get(), 'list'):
            objs = int(c['objs'])
            slabs = int(c['nr_slabs'])
            gdb.write(f"{utils.c_string(c['name']):<14} {int(c['size']):5} "
                      f"{int(c['stride']):5} {objs:4} {int(c['order']):3} "
                      f"{slabs:6} {int(c['nr_empty']):5} {slabs * objs:7} "
                      f"{int(c['nr_slab_free']):7} {int(c['slab_allocs']):9} "
                      f"{int(c['slab_frees']):9}\n")


LxSlabinfo()

LEVELS = (('PGD', 39), ('PUD', 30), ('PMD', 21), ('PTE', 12))
FLAGS = ((0, 'P'), (1, 'RW'), (2, 'US'), (3, 'PWT'), (4, 'PCD'), (5, 'A'), (6, 'D'),
         (7, 'PS'), (8, 'G'), (63, 'NX'))


def flag_names(entry, level):
    names = []
    for bit, name in FLAGS:
        if entry >> bit & 1:
            # Bit 7 of a last-level entry is PAT, not a page size.
            names.append('PAT' if bit == 7 and level == 'PTE' else name)
    return ' '.join(names)


def page_table_root(arg):
    """Physical address of the top table: an mm's pgd_phys, or CR3."""
    if arg:
        mm = gdb.parse_and_eval(arg)
        if mm.type.code != gdb.TYPE_CODE_PTR:
            mm = mm.address
        mm = mm.cast(mm_type.pointer())
        return int(mm['pgd_phys']) & PHYS_MASK, f"mm {int(mm):#x}"
    cr3 = int(gdb.parse_and_eval('$cr3'))
    return cr3 & PHYS_MASK, f"CR3 {cr3:#x} (the current CPU's)"


class LxPte(gdb.Command):
    """Walk the page tables for a virtual address: lx-pte ADDR [MM].

MM is an expression for a struct mm_struct (or a pointer to one, e.g.
&init_mm); without it the walk starts at the selected CPU's CR3.  Each
level's entry is shown with its flags, down to the physical address."""

    def __init__(self):
        super().__init__('lx-pte', gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        argv = utils.argv(arg, 1, 2, "lx-pte ADDR [MM]")
        va = int(gdb.parse_and_eval(argv[0])) & 0xffffffffffffffff
        table, root = page_table_root(argv[1] if len(argv) == 2 else None)
        gdb.write(f"{va:#018x} from {root}, top table at phys {table:#x}\n")
        for level, shift in LEVELS:
            idx = va >> shift & 511
            try:
                entry = utils.read_u64(PAGE_OFFSET + table + idx * 8)
            except gdb.MemoryError:
                raise gdb.GdbError(f"{level} table at phys {table:#x} is not readable")
            gdb.write(f"  {level}[{idx:3}] = {entry:#018x} {flag_names(entry, level)}\n")
            if not entry & 1:
                gdb.write(f"  not mapped (no {level} entry)\n")
                return
            if level == 'PTE' or (level in ('PUD', 'PMD') and entry >> 7 & 1):
                size = 1 << shift
                phys = (entry & PHYS_MASK & ~(size - 1)) + (va & (size - 1))
                gdb.write(f"  => phys {phys:#x} ({size >> 10} KiB page)\n")
                return
            table = entry & PHYS_MASK


LxPte()
