# SPDX-License-Identifier: GPL-2.0
# Exo-OS top-level Makefile.  See Documentation/build.rst; "make help" lists
# the targets.

VERSION = 0
PATCHLEVEL = 1
SUBLEVEL = 0
KERNELRELEASE = $(VERSION).$(PATCHLEVEL).$(SUBLEVEL)
export KERNELRELEASE

MAKEFLAGS += -rR --no-print-directory

srctree := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
ifneq ($(O),)
objtree := $(abspath $(O))
$(shell mkdir -p $(objtree))
else
objtree := $(srctree)
endif
export srctree objtree

# External modules: make O=<configured, built tree> M=<dir> [MO=<out dir>]
# builds the modules <dir>/Kbuild lists against that tree, as Linux's M=
# does; the objects and .ko files go to <dir>, or to MO= (which leaves the
# module's sources untouched).  Documentation/modules.rst.
ifneq ($(M),)
KBUILD_EXTMOD := $(abspath $(M))
KBUILD_EXTMOD_OUTPUT := $(abspath $(or $(MO),$(M)))
$(shell mkdir -p $(KBUILD_EXTMOD_OUTPUT))
endif
export KBUILD_EXTMOD KBUILD_EXTMOD_OUTPUT

# ARCH=x86 (the default; x86_64 is the same) or ARCH=hosted: the portable
# code as a host program for the tests and fuzzers (arch/hosted/Kconfig).
ARCH ?= x86
SRCARCH := $(patsubst x86_64,x86,$(ARCH))
ifeq ($(wildcard $(srctree)/arch/$(SRCARCH)/Kconfig),)
$(error ARCH=$(ARCH): no arch/$(SRCARCH)/ (known: x86, hosted))
endif
export ARCH SRCARCH

PHONY := all
ifeq ($(SRCARCH),hosted)
all: hosted
else ifneq ($(KBUILD_EXTMOD),)
all: modules
else
all: vmlinux modules
endif

include $(srctree)/scripts/Kbuild.include
export V Q quiet C

# ---------------------------------------------------------------------------
# Toolchain
PYTHON ?= /usr/bin/python3
ifeq ($(LLVM),1)
CC	:= clang
LD	:= ld.lld
NM	:= llvm-nm
OBJCOPY	:= llvm-objcopy
else
CC	:= gcc
LD	:= ld
NM	:= nm
OBJCOPY	:= objcopy
endif
CPP	:= $(CC) -E
HOSTCC	?= gcc
CHECK	?= sparse
export CC LD NM OBJCOPY CPP HOSTCC CHECK PYTHON LLVM

# The kernel's generic flags.  The arch's Makefile (arch/$(SRCARCH)/Makefile,
# included once the configuration is read) adds its own; the rest of the
# generic ones follow it.  ARCH=hosted replaces them all with a host
# program's flags (its sanitizer choice is a Kconfig option).
ifneq ($(SRCARCH),hosted)
KBUILD_CPPFLAGS := -nostdinc -isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-I$(objtree)/include -I$(srctree)/arch/$(SRCARCH)/include -I$(srctree)/include \
	-include $(srctree)/include/exo/kconfig.h

KBUILD_CFLAGS := $(KBUILD_CPPFLAGS) -std=gnu11 -O2 -g \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers \
	-Wno-sign-compare -Wstrict-prototypes -Wmissing-prototypes -Wundef \
	-ffreestanding -fno-builtin-printf -fno-common -fno-strict-aliasing
KBUILD_AFLAGS := $(KBUILD_CPPFLAGS) -D__ASSEMBLER__ -g
LDFLAGS_vmlinux := -nostdlib -static
endif
# Appended to below, not inherited: a recursive make starts again from here.
CHECKFLAGS :=
KBUILD_CFLAGS_MODULE := -DMODULE
export KBUILD_CFLAGS KBUILD_AFLAGS CHECKFLAGS KBUILD_CFLAGS_MODULE

# ---------------------------------------------------------------------------
# Configuration (Debian's python3-kconfiglib)
# Only a command-line KCONFIG_CONFIG overrides the build directory's .config
# (an inherited environment value must not leak into O= builds).
ifneq ($(origin KCONFIG_CONFIG),command line)
KCONFIG_CONFIG := $(objtree)/.config
endif
export KCONFIG_CONFIG
# The Kconfig files the last genconfig read (--file-list): auto.conf is
# remade when one changes.  Not a find over the source tree, which would
# walk every O= tree inside it on every make.
KCONFIG_FILES := $(addprefix $(srctree)/,$(shell cat $(objtree)/include/config/kconfig-files 2>/dev/null))
KCONFIG_DEFCONFIG := $(srctree)/arch/$(SRCARCH)/configs/$(if $(filter hosted,$(SRCARCH)),hosted_defconfig,defconfig)

config-targets := menuconfig olddefconfig savedefconfig defconfig allyesconfig \
	allnoconfig alldefconfig oldconfig listnewconfig %_defconfig
PHONY += $(config-targets)

kconfig = cd $(srctree) && $(PYTHON) -m $(1)

# Every entry point runs scripts/deps.sh for what it is about to use, before
# using it: on a fresh machine it installs the Debian packages (as root) or
# prints the apt-get line and stops.  Build needs: gcc, binutils, kconfiglib,
# plus sparse for C=1/2 and clang + lld for LLVM=1.
deps = $(Q)$(srctree)/scripts/deps.sh $(1)
deps-build := build $(if $(filter 1 2,$(C)),sparse) $(if $(filter 1,$(LLVM)),llvm)

menuconfig:
	$(call deps,config)
	$(Q)$(call kconfig,menuconfig) Kconfig
olddefconfig oldconfig alldefconfig allyesconfig allnoconfig listnewconfig:
	$(call deps,config)
	$(Q)$(call kconfig,$@) Kconfig
defconfig:
	$(call deps,config)
	$(Q)$(call kconfig,defconfig) --kconfig Kconfig $(KCONFIG_DEFCONFIG)
%_defconfig:
	$(call deps,config)
	$(Q)$(call kconfig,defconfig) --kconfig Kconfig $(srctree)/arch/$(SRCARCH)/configs/$@
savedefconfig:
	$(call deps,config)
	$(Q)$(call kconfig,savedefconfig) --kconfig Kconfig --out $(objtree)/defconfig
	@echo "  GEN     defconfig (copy it to arch/$(SRCARCH)/configs/ to make it the default)"

# syncconfig: autoconf.h, then the include/config/<sym>.h stamp of every
# symbol whose value differs from the PREVIOUS auto.conf, then the new
# auto.conf.  sync_deps() reads include/config/auto.conf as the old values
# and writes it itself, so nothing else may write that file first (with
# --config-out it already held the new values: no stamp was ever touched
# and no object was rebuilt after a configuration change).
$(objtree)/include/config/auto.conf: $(KCONFIG_CONFIG) $(KCONFIG_FILES) \
		$(if $(wildcard $(objtree)/include/config/kconfig-files),,FORCE)
	$(call deps,$(deps-build))
	@mkdir -p $(objtree)/include/config $(objtree)/include/generated
	$(Q)$(call kconfig,olddefconfig) Kconfig >/dev/null
	$(Q)$(call kconfig,genconfig) --header-path $(objtree)/include/generated/autoconf.h \
		--sync-deps $(objtree)/include/config \
		--file-list $(objtree)/include/config/kconfig-files Kconfig
	$(Q)touch $@ $(objtree)/include/generated/autoconf.h

no-config-goals := $(config-targets) clean mrproper help check bench hosted-test fuzz stress \
	ensure-config run bochs gdb
ifneq ($(filter-out $(no-config-goals),$(MAKECMDGOALS))$(if $(MAKECMDGOALS),,all),)
# A goal that builds needs a configuration; say so once, before make tries
# (and fails) to remake auto.conf from a .config that does not exist.
ifeq ($(wildcard $(KCONFIG_CONFIG)),)
$(error No configuration in $(objtree): run 'make$(if $(O), O=$(O)) defconfig' \
	(or menuconfig) first; 'make run' does it for you)
endif
# include, not -include: if making auto.conf fails (deps.sh, Kconfig),
# make stops there instead of going on to "No rule to make target".
include $(objtree)/include/config/auto.conf
endif

include $(srctree)/arch/$(SRCARCH)/Makefile

ifneq ($(SRCARCH),hosted)
KBUILD_CFLAGS += -fno-omit-frame-pointer -fno-optimize-sibling-calls -fno-stack-protector \
	-fno-delete-null-pointer-checks
ifeq ($(LLVM),1)
KBUILD_CFLAGS += -Wno-gnu-variable-sized-type-not-at-end
else
KBUILD_CFLAGS += --param=min-pagesize=0 -Wno-array-bounds
endif
LDFLAGS_vmlinux += -z noexecstack
ifneq ($(LLVM),1)
LDFLAGS_vmlinux += --no-warn-rwx-segments
endif
endif
CHECKFLAGS += -Wbitwise -Wno-return-void -Wno-unknown-attribute -Wno-cast-truncate -Wsparse-error

# ---------------------------------------------------------------------------
# Hardening flags (lib/Kconfig.debug).  A file opts out with
# CFLAGS_foo.o += $(DISABLE_UBSAN) / $(DISABLE_STACKPROTECTOR); the later
# flag wins.
DISABLE_UBSAN := -fno-sanitize=all
DISABLE_STACKPROTECTOR := -fno-stack-protector
export DISABLE_UBSAN DISABLE_STACKPROTECTOR
ifdef CONFIG_KASAN
# Generic KASAN, outline: every checked access is a call into mm/kasan/
# (threshold 0), which returns at once until kasan_init() has mapped the
# shadow, so early boot code needs no opt-out.  No stack or global red
# zones yet: thread stacks live in vmalloc space, which has no shadow, and
# no constructors run to register globals (Documentation/hardening.rst).
# KASAN_SHADOW_OFFSET comes from the arch's Makefile.
ifeq ($(LLVM),1)
CFLAGS_KASAN := -fsanitize=kernel-address -mllvm -asan-mapping-offset=$(KASAN_SHADOW_OFFSET) \
	-mllvm -asan-instrumentation-with-call-threshold=0 -mllvm -asan-stack=0 \
	-mllvm -asan-globals=0
else
CFLAGS_KASAN := -fsanitize=kernel-address -fasan-shadow-offset=$(KASAN_SHADOW_OFFSET) \
	--param asan-instrumentation-with-call-threshold=0 --param asan-stack=0 \
	--param asan-globals=0
endif
CFLAGS_KASAN += -D__EXO_KASAN_SANITIZE__
endif
# scripts/Makefile.build adds CFLAGS_KASAN to every built-in object except
# those with KASAN_SANITIZE_foo.o := n (or KASAN_SANITIZE := n for a whole
# directory): gcc rejects -fasan-shadow-offset once a later flag turns the
# sanitizer off, so opting out must drop the flags, not override them.
# Modules live in the module area, which has no shadow: never instrumented.
export CFLAGS_KASAN
ifdef CONFIG_UBSAN
# The checks that mean something in C in a kernel.  Not used: enum (a no-op
# in C), pointer-overflow (address arithmetic on the higher half wraps by
# design), float-* (no FPU code), return (C++ only); bounds is
# array-bounds for clang (its local-bounds traps instead of calling us).
# No -fsanitize-undefined-trap-on-error: lib/ubsan.c reports and goes on.
UBSAN_CHECKS := shift,integer-divide-by-zero,unreachable,vla-bound,signed-integer-overflow,bool,builtin
ifeq ($(LLVM),1)
UBSAN_CHECKS := $(UBSAN_CHECKS),array-bounds
else
UBSAN_CHECKS := $(UBSAN_CHECKS),bounds,object-size
endif
ifdef CONFIG_UBSAN_ALIGNMENT
UBSAN_CHECKS := $(UBSAN_CHECKS),alignment
endif
KBUILD_CFLAGS += -fsanitize=$(UBSAN_CHECKS) -fsanitize-recover=all
endif
ifdef CONFIG_STACKPROTECTOR
# One global canary (__stack_chk_guard, lib/stackprotector.c) rather than
# gcc's default %gs:40: it is valid from the first instruction of C, before
# the per-CPU base is loaded on the boot CPU or on an AP, it does not pin
# the layout of the per-CPU area, and gcc and clang both generate the same
# code for it with -mcmodel=kernel (a RIP-relative load).  The canary is
# per boot, not per CPU or thread, which is what a %gs slot copied from the
# per-CPU template would give too.
KBUILD_CFLAGS := $(filter-out -fno-stack-protector,$(KBUILD_CFLAGS)) \
	-fstack-protector-strong -mstack-protector-guard=global
endif
ifdef CONFIG_FUNCTION_TRACER
# Every function starts with 5 bytes of NOPs the function tracer turns into
# a call (kernel/trace/ftrace.c); `notrace` functions get none, and files
# or directories opt out with CFLAGS_REMOVE_foo.o / ccflags-remove-y
# += $(CC_FLAGS_FTRACE).  Modules are built with it too.
CC_FLAGS_FTRACE := -fpatchable-function-entry=5,0
KBUILD_CFLAGS += $(CC_FLAGS_FTRACE)
endif
export CC_FLAGS_FTRACE
# The user's own flags, last so that they win (KCFLAGS=-g0 drops the debug
# information, as make check does for the kernels it only boots).
KBUILD_CFLAGS += $(KCFLAGS)
KBUILD_AFLAGS += $(KAFLAGS)

$(objtree)/scripts/basic/fixdep: $(srctree)/scripts/basic/fixdep.c
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -O2 -Wall -o $@ $<

$(objtree)/scripts/kallsyms: $(srctree)/scripts/kallsyms.c
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -O2 -Wall -o $@ $<

PHONY += prepare
prepare: $(objtree)/include/config/auto.conf $(objtree)/scripts/basic/fixdep \
	 $(objtree)/scripts/kallsyms $(objtree)/include/generated/compile.h

$(objtree)/include/generated/compile.h: $(objtree)/include/config/auto.conf FORCE
	$(Q)$(srctree)/scripts/mkcompile_h $@ $(KERNELRELEASE) "$(CC)" $(KCONFIG_CONFIG)

# ---------------------------------------------------------------------------
# vmlinux: built-in.o of the tree + the linker script, linked twice so the
# symbol table for backtraces (kallsyms) can be placed after everything else.
PHONY += build-tree
build-tree: prepare
	$(Q)$(MAKE) -f $(srctree)/scripts/Makefile.build obj=.

LDS := $(objtree)/arch/$(SRCARCH)/kernel/vmlinux.lds

quiet_cmd_link_vmlinux = LD      vmlinux
      cmd_link_vmlinux = $(srctree)/scripts/link-vmlinux.sh "$(LD)" "$(LDFLAGS_vmlinux)" \
			 $(LDS) $(objtree)/built-in.o $@

$(objtree)/built-in.o $(LDS): build-tree ;

PHONY += vmlinux
vmlinux: $(objtree)/vmlinux
$(objtree)/vmlinux: $(objtree)/built-in.o $(LDS) FORCE
	$(call if_changed,link_vmlinux)

-include $(objtree)/.vmlinux.cmd

# ---------------------------------------------------------------------------
# Modules: every obj-m .ko (built with the tree) listed in modules.order,
# packed into modules.cpio (newc) for QEMU -initrd; GRUB gets them one by one.
PHONY += modules
ifneq ($(KBUILD_EXTMOD),)
# An external module links against a tree already built: its vermagic is
# the tree's (generated/compile.h), its symbols the tree's exports.  The
# tree itself is not remade here.
modules:
	$(Q)test -f $(objtree)/vmlinux -a -f $(objtree)/include/generated/compile.h || \
		{ echo "M=$(M): $(objtree) is not a built tree: run make$(if $(O), O=$(O)) first" >&2; exit 1; }
	$(Q)test -f $(KBUILD_EXTMOD)/Kbuild -o -f $(KBUILD_EXTMOD)/Makefile || \
		{ echo "M=$(M): no Kbuild or Makefile in $(KBUILD_EXTMOD)" >&2; exit 1; }
	$(Q)$(MAKE) -f $(srctree)/scripts/Makefile.build obj=.
else
modules: $(objtree)/modules.cpio
endif
$(objtree)/modules.cpio: $(objtree)/built-in.o $(srctree)/scripts/mkmodarchive.py $(srctree)/scripts/depmod.py FORCE
	$(Q)$(PYTHON) $(srctree)/scripts/mkmodarchive.py $@ $(objtree) $(objtree)/modules.order

# ---------------------------------------------------------------------------
# Images, emulators, tests.  Each runs scripts/deps.sh for what it needs
# first, then creates the configuration if there is none (make defconfig).
PHONY += iso run bochs check bench gdb stress hosted-test ensure-config
iso: $(objtree)/exo.iso
$(objtree)/exo.iso: $(objtree)/vmlinux $(objtree)/modules.cpio $(srctree)/scripts/mkiso.sh
	$(call deps,iso)
	$(Q)$(srctree)/scripts/mkiso.sh $(objtree)/vmlinux $@ "$(ISO_CMDLINE)" \
		$$(sed 's|^|$(objtree)/|' $(objtree)/modules.order 2>/dev/null)

ensure-config:
	$(Q)test -f $(KCONFIG_CONFIG) || $(MAKE) defconfig

run:
	$(call deps,run $(if $(filter 1,$(UEFI)),uefi) $(deps-build))
	$(Q)$(MAKE) ensure-config
	$(Q)$(MAKE) vmlinux modules
	$(Q)UEFI=$(UEFI) $(srctree)/scripts/run-qemu.sh $(objtree)/vmlinux

# make load M=<dir> MOD=<name>: build the external module, send <name>.ko
# to the kernel `make run` is running (its pci-serial port's socket), then
# `insmod <name>` in its shell.  Documentation/modules.rst.
PHONY += load
load:
	$(Q)test -n "$(M)" -a -n "$(MOD)" || \
		{ echo "usage: make$(if $(O), O=$(O)) load M=<dir> MOD=<module name>" >&2; exit 1; }
	$(Q)$(MAKE) modules
	$(Q)$(PYTHON) $(srctree)/scripts/modload.py \
		$(or $(MODLOAD_SOCK),$(objtree)/modload.sock) $(KBUILD_EXTMOD_OUTPUT)/$(MOD).ko

bochs:
	$(call deps,bochs $(deps-build))
	$(Q)$(MAKE) ensure-config
	$(Q)$(MAKE) vmlinux modules
	$(Q)$(srctree)/scripts/run-bochs.sh $(objtree)/vmlinux

# The serial log goes to the build directory (ignored by git).
gdb:
	$(call deps,gdb $(deps-build))
	$(Q)$(MAKE) ensure-config
	$(Q)$(MAKE) vmlinux
	$(Q)SERIAL_LOG=$(objtree)/serial-gdb.log $(srctree)/scripts/run-gdb.sh $(objtree)/vmlinux $(GDB_ARGS)

check:
	$(Q)$(srctree)/scripts/check.sh

bench:
	$(Q)$(srctree)/scripts/bench.sh

hosted-test:
	$(call deps,hosted)
	$(Q)$(MAKE) -f $(srctree)/tests/hosted/Makefile

# The SMP soak (Documentation/stress.rst): its own debug build in
# $(objtree)/build/stress, STRESS_SECONDS (default 60) in QEMU -smp 4, then Bochs.
PHONY += stress
stress:
	$(call deps,stress)
	$(Q)STRESS_OUT=$(objtree)/build/stress $(srctree)/scripts/stress.sh

# Hosted libFuzzer targets (tests/fuzz/), FUZZ_SECONDS each (default 60).
PHONY += fuzz
fuzz:
	$(call deps,fuzz)
	$(Q)$(MAKE) -f $(srctree)/tests/fuzz/Makefile O=$(objtree)/build-fuzz run

# ---------------------------------------------------------------------------
# clean removes what this build directory's own targets made, and nothing
# in other build directories: it looks only in the directories Kbuild
# builds, so O= trees inside the source tree (build/, where make check,
# make stress and make bench build) are left alone.
PHONY += clean mrproper help
kbuild-dirs := $(subst $$(SRCARCH),$(SRCARCH),$(patsubst %/,%,$(filter %/,$(shell sed -n 's/^obj-[^ ]* *+= *//p' $(srctree)/Kbuild)))) scripts
ifneq ($(KBUILD_EXTMOD),)
# make M=dir clean: the external module's output only, never the tree's.
clean:
	$(Q)find $(KBUILD_EXTMOD_OUTPUT) \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '.*.d' -o -name 'modules.order' -o -name '*.mod.c' \) -delete
else
clean:
	$(Q)find $(addprefix $(objtree)/,$(kbuild-dirs)) \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '.*.d' -o -name '*.lds' -o -name 'modules.order' -o -name '*.mod.c' \
		-o -name '*.mod.o' -o -name 'elf_stamp' \) -delete 2>/dev/null || true
	$(Q)rm -rf $(objtree)/built-in.o $(objtree)/.built-in.o.cmd $(objtree)/modules.order \
		$(objtree)/vmlinux $(objtree)/vmlinux.tmp* $(objtree)/.vmlinux.cmd \
		$(objtree)/modules.cpio $(objtree)/.tmp_kallsyms* $(objtree)/exo.iso \
		$(objtree)/build-hosted $(objtree)/build-fuzz $(objtree)/serial-gdb.log \
		$(objtree)/.iso-root $(objtree)/test-results \
		$(objtree)/uefi $(objtree)/drivers/video/fbcon_font.h \
		$(addprefix $(objtree)/tests/hosted/,page_alloc_test fuzz_page_alloc bench_page_alloc bench_slab)
endif

mrproper: clean
	$(Q)rm -rf $(objtree)/include/generated $(objtree)/include/config \
		$(objtree)/.config $(objtree)/.config.old $(objtree)/scripts/basic/fixdep \
		$(objtree)/scripts/kallsyms $(objtree)/defconfig

help:
	@echo 'Configuration (python3-kconfiglib; installed by the first target that needs it):'
	@echo '  defconfig       - arch/x86/configs/defconfig (<name>_defconfig: the others there)'
	@echo '                    ARCH=hosted: arch/hosted/configs/hosted_defconfig (and the others there)'
	@echo '  menuconfig      - change options in a text UI, then "make" rebuilds what they affect'
	@echo '  olddefconfig    - update .config, new options at their defaults'
	@echo '  savedefconfig   - minimal defconfig in the build directory'
	@echo '  allyesconfig allnoconfig alldefconfig oldconfig listnewconfig'
	@echo ''
	@echo 'Build:'
	@echo '  all             - vmlinux and modules (the default target)'
	@echo '  vmlinux         - the kernel (ELF with symbols)'
	@echo '  modules         - every =m driver as a .ko, packed into modules.cpio'
	@echo '  iso             - exo.iso: GRUB rescue image (Multiboot2), BIOS and UEFI'
	@echo '  clean           - remove the build products (not .config; not other O= trees)'
	@echo '  mrproper        - clean, and remove .config and the generated files'
	@echo ''
	@echo 'Run and test:'
	@echo '  run             - boot in QEMU (4 CPUs, 512 MiB), shell on the terminal;'
	@echo '                    stdin not a terminal: boot, print the stats, power off;'
	@echo '                    UEFI=1: the GRUB ISO with OVMF (UEFI firmware)'
	@echo '  load M=dir MOD=name - build dir/name.ko and send it to the kernel make run runs'
	@echo '                    (then insmod name in its shell; Documentation/modules.rst)'
	@echo '  bochs           - boot exo.iso in Bochs (4 CPUs), print the log and the stats'
	@echo '  gdb             - QEMU halted at the first instruction + gdb with symbols'
	@echo '  check           - every test layer (Documentation/testing.rst)'
	@echo '  bench           - micro-benchmarks (Documentation/benchmarks.md)'
	@echo '  hosted-test     - only the hosted unit tests (ASan + UBSan)'
	@echo '  fuzz            - hosted libFuzzer targets, FUZZ_SECONDS=N each'
	@echo '  stress          - SMP soak with lock debugging, STRESS_SECONDS=N (QEMU, then Bochs)'
	@echo ''
	@echo 'Options:'
	@echo '  make V=1        - print every command'
	@echo '  make O=dir      - build in dir (sources are never written)'
	@echo '  make M=dir      - the external modules dir/Kbuild lists, against the built O= tree'
	@echo '                    (MO=out: their output in out; Documentation/modules.rst)'
	@echo '  make C=1        - sparse on every C file compiled (C=2: on every C file)'
	@echo '  make LLVM=1     - clang and ld.lld instead of gcc and ld'
	@echo '  make ARCH=hosted - the portable code as host programs (hosted tests, fuzzers)'
	@echo '  make help       - this list'

.PHONY: $(PHONY)
