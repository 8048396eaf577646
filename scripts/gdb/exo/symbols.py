# SPDX-License-Identifier: GPL-2.0
"""lx-symbols and lx-lsmod: the loaded modules, and their debug information
placed where the loader put each section (struct module's sect_addrs).

lx-symbols [DIR...] finds each module's .ko under DIR (default: the
directory of vmlinux), loads it with add-symbol-file and one -s option per
loaded section, and keeps doing so on every load and unload through
breakpoints on kernel/module.c's do_init_module() (the module is on the
list, its init not yet run) and free_module() (off the list).
"""
import os
import struct

import gdb

from exo import utils

module_type = utils.CachedType('struct module')

SHF_ALLOC = 0x2


def modules():
    """Every module on the loader's list (any state), as gdb.Values."""
    head = utils.symbol_value('modules_list')
    return list(utils.list_for_each_entry(head, module_type.get(), 'list'))


def module_name(mod):
    return utils.c_string(mod['name'])


def elf_section_names(path):
    """Names of the sections of the ELF file @path, by index."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:4] != b'\x7fELF' or data[4] != 2:
        raise gdb.GdbError(f"{path}: not an ELF64 file")
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3a)
    hdrs = [struct.unpack_from('<IIQQQQ', data, shoff + i * shentsize)
            for i in range(shnum)]
    stroff = hdrs[shstrndx][4]
    names = []
    for name, _type, flags, _addr, _off, _size in hdrs:
        end = data.index(b'\0', stroff + name)
        names.append((data[stroff + name:end].decode(), flags))
    return names


class LxSymbols(gdb.Command):
    """(Re)load the symbols of vmlinux's loaded modules: lx-symbols [DIR...].

Searches DIR (default: vmlinux's directory) for each module's .ko and adds
its debug information at the module's section addresses; then follows
insmod and rmmod through breakpoints on do_init_module and free_module."""

    def __init__(self):
        super().__init__('lx-symbols', gdb.COMMAND_FILES, gdb.COMPLETE_FILENAME)
        self.dirs = []
        self.ko_files = {}
        self.loaded = {}        # module name -> (file, text address)
        self.breakpoints = []

    def find_ko_files(self):
        self.ko_files = {}
        for d in self.dirs:
            for root, _dirs, files in os.walk(d):
                for f in files:
                    if f.endswith('.ko'):
                        name = f[:-3].replace('-', '_')
                        self.ko_files.setdefault(name, os.path.join(root, f))

    def section_args(self, mod, path):
        """add-symbol-file's arguments for @mod: .text's address first."""
        names = elf_section_names(path)
        nr = int(mod['nr_sects'])
        if nr != len(names):
            raise gdb.GdbError(f"{path} has {len(names)} sections, the loaded "
                               f"{module_name(mod)} {nr}: another build?")
        addrs = mod['sect_addrs']
        text, others = None, []
        for i, (name, flags) in enumerate(names):
            addr = int(addrs[i])
            if not addr or not flags & SHF_ALLOC:
                continue
            if name == '.text':
                text = addr
            else:
                others.append(f"-s {name} {addr:#x}")
        return text, others

    def load_module_symbols(self, mod):
        name = module_name(mod)
        # Files and modules may spell a '-' as '_' (virtio-rng).
        key = name.replace('-', '_')
        path = self.ko_files.get(key)
        if not path:
            self.find_ko_files()
            path = self.ko_files.get(key)
        if not path:
            gdb.write(f"lx-symbols: no {name}.ko under {' '.join(self.dirs)}\n")
            return
        text, others = self.section_args(mod, path)
        if self.loaded.get(name) == (path, text):
            return
        self.unload_module_symbols(name)
        base = f"{text:#x}" if text else ""
        gdb.write(f"loading @{base or '(no .text)'}: {path}\n")
        gdb.execute(f"add-symbol-file {path} {base} {' '.join(others)}", to_string=True)
        self.loaded[name] = (path, text)

    def unload_module_symbols(self, name):
        path, text = self.loaded.pop(name, (None, None))
        if path:
            gdb.write(f"unloading {name}\n")
            gdb.execute(f"remove-symbol-file {path}", to_string=True)

    def reload(self):
        """Match the symbol files to the module list as it is now."""
        live = {}
        for mod in modules():
            live[module_name(mod)] = mod
        for name in list(self.loaded):
            if name not in live:
                self.unload_module_symbols(name)
        for mod in live.values():
            self.load_module_symbols(mod)

    def invoke(self, arg, from_tty):
        self.dirs = [os.path.abspath(os.path.expanduser(d)) for d in gdb.string_to_argv(arg)]
        if not self.dirs:
            vmlinux = gdb.current_progspace().filename
            self.dirs = [os.path.dirname(os.path.abspath(vmlinux or '.'))]
        self.find_ko_files()
        try:
            self.reload()
        except gdb.MemoryError:
            # Stopped before the kernel's address space is up (make gdb
            # starts at the first instruction): the hooks do it later.
            gdb.write("lx-symbols: the module list is not readable yet\n")
        if not self.breakpoints:
            self.breakpoints = [ModuleBreakpoint('do_init_module', self),
                                ModuleBreakpoint('free_module', self)]


class ModuleBreakpoint(gdb.Breakpoint):
    """An internal breakpoint that reloads module symbols and goes on."""

    def __init__(self, spec, command):
        super().__init__(spec, internal=True)
        self.silent = True
        self.command = command

    def stop(self):
        # An exception here would stop the kernel at an internal
        # breakpoint: warn and let it run on.
        try:
            self.command.reload()
        except gdb.GdbError as e:
            gdb.write(f"lx-symbols: {e}\n", gdb.STDERR)
        return False


LxSymbols()


class LxLsmod(gdb.Command):
    """Loaded modules as the shell's lsmod lists them, with each one's load
address and state: lx-lsmod."""

    STATES = {0: 'unformed', 1: 'coming', 2: 'live', 3: 'going'}
    REF_BASE = 1        # kernel/module.c's MODULE_REF_BASE

    def __init__(self):
        super().__init__('lx-lsmod', gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        gdb.write(f"{'Address':18} {'Module':20} {'Size':>8} {'Used':>5}  State\n")
        for mod in modules():
            refs = int(mod['refcnt']['counter'])
            state = int(mod['state'])
            # module_refcount(): one going away has given up its base.
            users = refs if state == 3 else max(refs - self.REF_BASE, 0)
            gdb.write(f"{int(mod['base']):#018x} {module_name(mod):20} "
                      f"{int(mod['size']):8} {users:5}  {self.STATES.get(state, '?')}\n")


LxLsmod()
