#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test layer, summed into one line "N passed, M failed".
#
#  1. builds: gcc defconfig and allyesconfig with sparse (C=1), clang
#     (LLVM=1) defconfig and allyesconfig, allnoconfig -- zero warnings
#     (-Werror, -Wsparse-error); the build system itself: C=1, make help,
#     gdb, clean and the no-.config hint (scripts/check-kbuild.sh), a
#     configuration change + make without clean (check-reconfig.sh), every
#     README target asking deps.sh first on a fake fresh machine
#     (check-deps.sh), every documentation example (check-docs.py), every
#     symbol of the driver API exported (check-driver-api.py);
#  2. hosted unit tests of the portable code (ASan + UBSan), and their
#     concurrency cases under ThreadSanitizer;
#  3. every in-kernel ktest suite booted in QEMU TCG -smp 1, -smp 4 and
#     -smp 8 (all but edu, e1000 and the RTC there), the clang kernel in
#     QEMU -smp 2, and Bochs with 4 CPUs (GRUB
#     ISO; the suites a CPU feature or chipset can change); variant boots
#     run the suites their variant can change: q35, the kernel without
#     tier 1 and without tier 2 of kmalloc (slab_notier1/2_defconfig), the
#     tracepoints and function tracer on defconfig (trace_defconfig), the
#     kernel without loadable modules (nomodules_defconfig), a CPU without
#     a PAT (-cpu max,-pat), 64 GiB, an AP that never starts;
#  4. the allnoconfig kernel boots to the end of init; the shell is driven
#     from a terminal as `make run` shows it (scripts/check-shell.py);
#  5. the hardening builds: allyesconfig (UBSAN, UBSAN_PANIC, KASAN, stack
#     protector, lockdep, fault injection...) with gcc and with clang, both
#     booted with every ktest (gcc -smp 2, clang -smp 1) and no KASAN report
#     but the kasan suite's own, no circular-locking report but between the
#     ktests' own lock classes; each hosted fuzzer for FUZZ_SECONDS (6) s.
#  6. the SMP soak, short (scripts/stress.sh, Documentation/stress.rst): every
#     stress worker on 4 CPUs of the allyesconfig kernel (lock debugging,
#     lockdep, UBSAN) for STRESS_SECONDS (12) s in QEMU, and for
#     BOCHS_STRESS (200ms) in Bochs; then the same soak in QEMU for
#     FAULT_STRESS_SECONDS (10) s with fault injection armed at all three
#     points (fail_page_alloc, fail_slab, fail_pgtable): every injected
#     failure must be survived, every point must have injected, and the
#     end-of-run leak and consistency checks must still pass; and the NUMA
#     soak: the 4-node layout (SLIT, memoryless and CPU-less nodes) at -smp 8
#     under KASAN, the numa_alloc suite then NUMA_STRESS_SECONDS (6) s of
#     soak, no KASAN report;
#  7. page tables seen from outside: QEMU's monitor walks CR3 and must agree
#     with translate() and the layout (scripts/check-pgtables.py), and a
#     deliberate kernel stack overflow must oops on the #DF IST stack, not
#     triple-fault.
#
# Each build or boot step counts as one test; each KTAP case counts as one.
# Logs: build/check/ (CHECK_OUT=dir to move it).  QUICK=1 skips Bochs.
# CHECK_ONLY=<regex>: only the steps whose names match, and the builds they
# need (e.g. CHECK_ONLY='^qemu-smp4$').
#
# Steps run in parallel (see "Scheduling" in scripts/check-sched.sh): every
# step function (build, clone_build, ktest_qemu, ktest_bochs, boot_qemu,
# crash_qemu, stress_step, script_step, ... in scripts/check-steps.sh)
# queues its step instead of running it, and a step that boots or reads
# $out/<build>/ waits for that build.  Adding a step is one line in the list
# at the end, e.g.
#	ktest_qemu qemu-smp16 "$out/gcc/vmlinux" 16
# and a step with a function of its own is queued with run_step:
#	run_step my_step my-name "$out/gcc/vmlinux" ...
# (the function gets its arguments and reports with ok/bad/add_counts; it
# runs alone unless --cost says otherwise, see "Scheduling" in
# scripts/check-sched.sh).
# The results print in list order; $logs/times.txt has each step's wall
# and CPU time.
set -u
# A user's KCFLAGS/KAFLAGS would change the kernels under test.
unset KCONFIG_CONFIG MAKEFLAGS MAKELEVEL KCFLAGS KAFLAGS
src=$(cd "$(dirname "$0")/.." && pwd)
out=${CHECK_OUT:-$src/build/check}
mkdir -p "$out/logs"
logs=$out/logs
passed=0
failed=0
failures=()
jobs=${JOBS:-$(nproc)}

"$src/scripts/deps.sh" check || exit 1

note() {
	((in_job)) || echo "check.sh: step $1 ran outside the scheduler (queue it with run_step)" >&2
	printf '%-44s %s\n' "$1" "$2"
}
ok() { passed=$((passed + 1)); note "$1" "ok"; }
bad() { failed=$((failed + 1)); failures+=("$1"); note "$1" "FAILED (${2:-see $logs})"; }

# add_counts <label> <log>: fold a "label: N passed, M failed, K skipped" line in.
add_counts() {
	local line p f
	line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed" "$2" | tail -n 1)
	if [ -z "$line" ]; then
		bad "$1" "no result line"
		return
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failures+=("$1")
	note "$1" "$line"
	grep -E "^  $1: " "$2" | head -20
}

# The step queue and its scheduler, then the kinds of step; the list of
# steps follows.
. "$src/scripts/check-sched.sh"
. "$src/scripts/check-steps.sh"

section "== builds"
# In order of need: most steps boot gcc, the soak boots allyes.
build gcc defconfig C=1
# The fuzzers' build early: their runs (below) fill the CPUs beside the builds.
run_step --cost 1 fuzz_build fuzz-build
# The kernels make check only boots have no debug information (KCFLAGS=-g0:
# 9% less compile time with gcc, 16% with clang); gcc's defconfig keeps it
# for make gdb and the trees cloned from it.
build allyes allyesconfig C=1 KCFLAGS=-g0
build clang defconfig LLVM=1 KCFLAGS=-g0
build allno allnoconfig KCFLAGS=-g0
# KASAN is booted in both allyesconfig kernels (gcc and clang), with every
# other debugging option; kasan_defconfig (defconfig + KASAN alone) is for
# a developer's quicker build, not built here.
build clang-allyes allyesconfig LLVM=1 KCFLAGS=-g0
# The allocator with one of its first two tiers configured out: defconfig
# but one option, so gcc's objects are reused (about half are rebuilt).
clone_build notier1 gcc slab_notier1_defconfig
clone_build notier2 gcc slab_notier2_defconfig
# Tracing on defconfig's fast paths (trace_defconfig: + CONFIG_TRACEPOINTS and
# CONFIG_FUNCTION_TRACER, no fault injection, which sends the allocators to
# their slow paths): every event fires where most calls go.  The function
# tracer's NOP sites rebuild every object.
clone_build trace gcc trace_defconfig
# No loadable modules (nomodules_defconfig: CONFIG_MODULES=n), every
# tristate driver built in: about half of gcc's objects are rebuilt.
clone_build nomod gcc nomodules_defconfig

section "== the build system"
# C=1, plain make without .config, make help, make gdb, make clean.
script_step kbuild "$src/scripts/check-kbuild.sh" "$out/gcc" "$out/kbuild"
# A configuration change + make (no clean) gives the new configuration's kernel.
run_step --cost 1 _script_step reconfig "$src/scripts/check-reconfig.sh" "$out/gcc" "$out/reconfig"
# Every README target asks deps.sh for its packages before it needs them.
script_step deps "$src/scripts/check-deps.sh" "$out/deps"
# Every example in README.md and Documentation/ compiles or names what exists.
script_step docs "$src/scripts/check-docs.py" "$src" "$out/gcc" "$out/docs"
# modules.dep and modules.alias (scripts/depmod.py) from the gcc tree's modules.
script_step depmod "$src/scripts/check-depmod.py" "$out/gcc"
# The kunit tool out of linux-source-6.1's tarball, for kunit-parse below.
script_step kunit-unpack "$src/scripts/check-kunit-parse.py" --unpack "$out/kunit"
# make M= builds samples/extmod against the gcc tree; its .ko passes the
# loader's checks, and a boot (QEMU -smp 1, ktest=ktest: a boot, so alone)
# loads it from the boot archive with a parameter.
run_step _script_step extmod "$src/scripts/check-extmod.py" "$src" "$out/gcc" "$out/extmod" --boot
# scripts/blkimage.py: the host's integrity pattern matches the kernel's, and catches corruption.
script_step blkimage python3 "$src/scripts/blkimage.py" selftest
# scripts/bench-table.py: the guest table make bench writes into Documentation/benchmarks.md.
script_step bench-table python3 "$src/scripts/bench-table.py" selftest
# scripts/bench-plot.py: the rows with a Linux figure become an SVG (gnuplot).
script_step bench-plot python3 "$src/scripts/bench-plot.py" selftest
# scripts/bench-shoot.py: the vm_shoot lines become the shootdown table, goal line and SVG.
script_step bench-shoot python3 "$src/scripts/bench-shoot.py" selftest
# scripts/bench-goals.py: issue 20's goals (scripts/bench-goals.txt) against a run's figures.
script_step bench-goals python3 "$src/scripts/bench-goals.py" selftest
# scripts/bench-atomics.py: its walker on a synthetic disassembly, then the
# structure of the gcc vmlinux's fast paths: every function present, every
# walk complete, each loop row's loop in its run function, the kmalloc hit
# rows straight, without atomic RMW or shared-line store.  No figures: make
# bench compares the walks with its own run's guest.log.
script_step bench-atomics-selftest python3 "$src/scripts/bench-atomics.py" selftest
script_step bench-atomics python3 "$src/scripts/bench-atomics.py" --check "$out/gcc/vmlinux"
# Every symbol Documentation/driver-api.rst offers to modules exists.
script_step driver-api "$src/scripts/check-driver-api.py" "$src/Documentation/driver-api.rst" \
	"$out/gcc/vmlinux" "$src"

section "== hosted unit tests (ASan + UBSan; concurrency cases under TSan)"
run_step --cost 1 hosted_tests hosted
# The concurrency cases again under ThreadSanitizer (TSAN_CASES).
run_step --cost 1 _hosted_tsan hosted-tsan

section "== in-kernel tests"
# ktest= filters (kernel/ktest.c) for the boots that exist for one variant
# (a fallback, a CPU feature, a chipset, a kmalloc tier, a machine size):
# the suites the variant can change.  The main boots (-smp 1 and 4, the
# clang, allyesconfig and 10 MiB kernels) run every suite; -smp 8 all but
# three drivers.
# Portable code that no CPU feature or chipset changes, left out of Bochs.
PORTABLE_OUT=-ktest,-line_edit,-shell,-printk,-workqueue,-module,-module_param,-kmod,\
-completion,-mutex,-lib,-bitmap,-bootparse,-stackprotector,-net
# Bochs: nor the ATA driver's cases of queue logic that no chipset changes
# and that wait out timeouts (they run in QEMU's ata boot).
BOCHS_SUITES=$PORTABLE_OUT,-ata.test_ata_internal_exclusive,-ata.test_ata_stale_timeout
# The memory manager, for a machine size or a kmalloc tier.
MM_SUITES=page_alloc,slab,pgtable,vmalloc,tlb,dma
# q35 changes the chipset (ECAM, PCIe, its interrupt routing, its NIC), not
# the memory manager, scheduler or portable code.
Q35_OUT=$PORTABLE_OUT,-page_alloc,-slab,-pgtable,-vmalloc,-tlb,-sched,-softirq
# Bochs first: the longest boot, and one CPU's worth.
if [ "${QUICK:-0}" != 1 ]; then
	ktest_bochs bochs-smp4 "$out/gcc/vmlinux"
	bochs_ata_verify bochs-ata-verify-smp4 bochs-smp4 "$out/gcc/vmlinux"
fi
# A UEFI boot (OVMF, the hybrid GRUB ISO) at -smp 2.
uefi_qemu qemu-uefi-smp2 "$out/gcc/vmlinux" 2
# The gdb helpers (scripts/gdb/) against a live kernel: lx-symbols follows
# insmod, lx-dmesg/lx-ps/lx-buddyinfo print what the shell prints
# (scripts/check-gdb.py, one -smp 2 boot, ~5 s; not timing-sensitive).
run_step --cost 1 _script_step gdb-qemu python3 "$src/scripts/check-gdb.py" \
	"$out/gcc/vmlinux" --log "$logs/gdb-qemu.session.log"
# 10 000 DMA round trips over both devices, a thread each on its own CPU.
# QEMU ends each DMA 100 ms of virtual time after its command (1000 s in
# all); under -icount with sleep=off the virtual clock jumps to the next
# timer when every vCPU halts, which the interrupt-driven driver lets them
# do.  -smp 2: icount runs the vCPUs in turn, and each more one adds ticks.
# TCG only: QEMU refuses -icount with KVM.  The guest's clock counts its
# instructions, not the host's time: a build beside it changes nothing the
# guest sees, so it costs one slot, and comes early to run beside one.
ACCEL=tcg QEMU_DEVICES="-device edu -device edu" QEMU_EXTRA="-icount shift=0,sleep=off" \
	run_step --cost 1 _ktest_suite_qemu qemu-edu-dma10k-icount-smp2 "$out/gcc/vmlinux" 2 \
	edu.test_edu_dma_stress "edu_test_roundtrips=10000"
# PCIe hot-plug through QMP on q35 at -smp 4.
hotplug_qmp hotplug-qmp-q35-smp4 "$out/gcc/vmlinux"
# The same under KASAN and lockdep (allyesconfig: drivers built in), 8 cycles:
# 4 warm-up, 3 measured after the baseline.
hotplug_qmp hotplug-qmp-allyes-q35-smp4 "$out/allyes/vmlinux" --cycles 8
# Module parameters from the command line (the module_param suite).
MODPARAM_CMDLINE="module_param_test.builtin_int=7 module_param_test.builtin_bad=xyz \
module_param_test.builtin_str=boot modtest_param.from_cmdline=42"
# virtio_blk's cycles during traffic in full here (50; 10 elsewhere); e1000's
# full run has a boot of its own (qemu-e1000-full-smp2).
ktest_qemu qemu-smp4 "$out/gcc/vmlinux" 4 "$MODPARAM_CMDLINE virtio_blk_test_cycles=50"
# Linux's own KTAP parser (kunit.py parse from linux-source-6.1) on that
# boot's log: no errors, and ktap.py's pass/fail/skip counts.
run_step --background --after qemu-smp4 --after kunit-unpack _script_step kunit-parse \
	"$src/scripts/check-kunit-parse.py" "$logs/qemu-smp4.log" "$out/kunit"
# q35 (ICH9, PCIe): ECAM, extended capabilities, and its NIC, an e1000e
# with PM, PCIe and MSI-X capabilities (the pci and pci_setup suites).  The
# default device list's NICs displace q35's default one: it is added back,
# on a hub of its own.
QEMU_EXTRA="-M q35 -netdev hubport,id=q0,hubid=2 -device e1000e,netdev=q0,romfile=" \
PCI_EXPECT=1234:11e8,1b36:0005,8086:10d3,1af4:1005 \
	ktest_qemu qemu-q35-smp4 "$out/gcc/vmlinux" 4 "virtio_blk_test_cycles=50 ktest=$Q35_OUT"
# Modalias autoload at boot on pc and q35 at -smp 4 (modules=auto): every
# device a boot module claims (virtio-rng, -blk, -net, e1000, edu, the IDE
# controller) is bound with no insmod (kmod.test_autoload_bound_all).
ktest_suite_qemu qemu-autoload-pc-smp4 "$out/gcc/vmlinux" 4 kmod.test_autoload_bound_all \
	"modules=auto"
QEMU_EXTRA="-M q35 -netdev hubport,id=q0,hubid=2 -device e1000e,netdev=q0,romfile=" \
	ktest_suite_qemu qemu-autoload-q35-smp4 "$out/gcc/vmlinux" 4 \
	kmod.test_autoload_bound_all "modules=auto"
# The block integrity test through virtio_blk, on pc and q35 (-smp 4).
blk_integrity_qemu blk-integrity-virtio-pc-smp4 "$out/gcc/vmlinux" pc
blk_integrity_qemu blk-integrity-virtio-q35-smp4 "$out/gcc/vmlinux" q35
# 8 vCPUs on 2 host cores: the slowest QEMU boot, whose time grows fastest
# when the host is busy (10 min, not 5, before a hang is declared).
# The drivers with a boot of their own (edu) or one queue whatever the
# CPUs (e1000, the RTC) are left out.
TIMEOUT=600 ktest_qemu qemu-smp8 "$out/gcc/vmlinux" 8 "ktest=-edu,-e1000,-rtc_cmos"
# NUMA topology from QEMU's SRAT/SLIT at -smp 8 (the numa suite) and
# node-local page and slab allocation (numa_alloc): 2 nodes with the
# default distances, and 4 nodes with a SLIT, a memoryless node (2) and a
# CPU-less one (3).  The 2-node boot also runs page_alloc and slab: with
# more than one node every free takes the path that checks its node.  numa_test_expect= is what the -numa
# options say: each CPU's node / each node's MiB / the distance matrix.
MEM=512M QEMU_EXTRA="$(numa_ram 0 1) -numa node,nodeid=0,cpus=0-3,memdev=m0 \
	-numa node,nodeid=1,cpus=4-7,memdev=m1" ktest_suite_qemu qemu-numa2-smp8 \
	"$out/gcc/vmlinux" 8 numa,numa_alloc,numa_place,page_alloc,slab,slab_remote \
	"numa_test_expect=0,0,0,0,1,1,1,1/256,256/10,20,20,10"
# The 4-node layout (also booted under KASAN by the NUMA soak, below).
NUMA4_QEMU="$(numa_ram 0 1 3) -numa node,nodeid=0,cpus=0-2,memdev=m0 \
	-numa node,nodeid=1,cpus=3-5,memdev=m1 -numa node,nodeid=2,cpus=6-7 \
	-numa node,nodeid=3,memdev=m3 -numa dist,src=0,dst=1,val=15 \
	-numa dist,src=0,dst=2,val=20 -numa dist,src=0,dst=3,val=30 -numa dist,src=1,dst=2,val=25 \
	-numa dist,src=1,dst=3,val=20 -numa dist,src=2,dst=3,val=15"
NUMA4_EXPECT="numa_test_expect=0,0,0,1,1,1,2,2/256,256,0,256/10,15,20,30,15,10,25,20,20,25,10,15,30,20,15,10"
MEM=768M QEMU_EXTRA="$NUMA4_QEMU" \
	ktest_suite_qemu qemu-numa4-slit-smp8 "$out/gcc/vmlinux" 8 numa,numa_alloc,numa_place,slab_remote \
		"$NUMA4_EXPECT"
# All RAM on node 1, all CPUs on memoryless node 0: the page allocator
# keeps one node (1), which every per-node sum must count once.
MEM=256M QEMU_EXTRA="$(numa_ram 1) -numa node,nodeid=0,cpus=0-7 -numa node,nodeid=1,memdev=m1" \
	ktest_suite_qemu qemu-numa-ram1-smp8 "$out/gcc/vmlinux" 8 numa_alloc,numa_place ""
# -smp 64, the NR_CPUS default: the suites in SMP64_SUITES (smp, page_alloc:
# cross-calls, ticks, preemption and page caches on every CPU), and all 64
# CPUs online (the smp suite accepts NR_CPUS of them from a kernel built for
# fewer).  SMP64_SUITES=all runs every ktest, which on 2 busy host cores
# takes well over 50 min: each TLB shootdown waits for all 64 vCPUs.
rm -f "$logs"/qemu-smp64*.log
for s in ${SMP64_SUITES:-smp page_alloc}; do
	if [ "$s" = all ]; then
		TIMEOUT=7200 ktest_qemu qemu-smp64 "$out/gcc/vmlinux" 64
	else
		ktest_suite_qemu "qemu-smp64-$s" "$out/gcc/vmlinux" 64 "$s" ""
	fi
done
smp64_after=()
for s in ${SMP64_SUITES:-smp page_alloc}; do
	if [ "$s" = all ]; then smp64_after+=(--after qemu-smp64); else smp64_after+=(--after "qemu-smp64-$s"); fi
done
run_step --cost 0 "${smp64_after[@]}" _smp64_online "qemu-smp64: 64 CPUs online"
# Tiny machines: 10 MiB with 4 CPUs, every ktest passes or is skipped for lack
# of RAM (KTEST_CASE_RAM).  A CPU left out for want of a per-CPU area (APIC
# ID 2, as on a machine too small for it): every statistics walker, and the
# smp suite accounting for it.
# No virtio-blk disk and no NIC there (-nic none: pc's default e1000 too):
# virtio_blk's tag set does not fit in what the allocator manages (probe
# fails, -ENOMEM), and a NIC's rings take what the tests need.  At 8 MiB
# the boot modules (edu.ko) no longer fit beside the kernel.
MEM=10M KTEST_MIN_PASSED=160 QEMU_DEVICES="-device edu -device pci-testdev,membar=2M -device virtio-rng-pci -nic none" \
	ktest_qemu qemu-10m-smp4 "$out/gcc/vmlinux" 4
# 7 MiB: APs really get no per-CPU area, or no stack or idle thread (CPU
# state no-mem).  At 6 MiB the kernel no longer finds room for its own
# page tables (a panic, as it must be with so little).
stats_boot_qemu boot-7m-smp4-stats "$out/gcc/vmlinux" 4 7M
stats_boot_qemu boot-nomem-cpu-smp4-stats "$out/gcc/vmlinux" 4 128M "smp_test_nomem_apic=2"
ktest_suite_qemu qemu-nomem-cpu-smp4 "$out/gcc/vmlinux" 4 smp "smp_test_nomem_apic=2"
# The edu driver (drivers/misc/edu_test.c) on two devices, pc and q35: MSI
# and INTx, interrupt counts, affinity moves and 100 rmmod/insmod cycles
# during traffic (edu_test_full; the ktest=all boots run 10).
QEMU_DEVICES="-device edu -device edu" \
	ktest_suite_qemu qemu-edu-smp4 "$out/gcc/vmlinux" 4 edu "edu_test_full"
QEMU_DEVICES="-device edu -device edu" QEMU_EXTRA="-M q35" \
	ktest_suite_qemu qemu-edu-q35-smp4 "$out/gcc/vmlinux" 4 edu "edu_test_full"
# The network layer's frame test at the issue's size: 100 000 frames of
# 60-1514 bytes over a 4-queue veth pair, a sender per queue on its own
# CPU, every byte and the order checked (net_test_full; the ktest=all
# boots send 2000 each way).
ktest_suite_qemu qemu-net-full-smp4 "$out/gcc/vmlinux" 4 net "net_test_full"
# virtio_net (drivers/net/virtio_net_test.c) at the issue's size, on the
# two virtio-net NICs of QEMU's hub: 100 000 frames (50 000 each way) on
# q35, and 50 rmmod/modprobe cycles during traffic on q35 and pc (the
# ktest=all boots send 500 frames each way and run 10 cycles).
QEMU_EXTRA="-M q35" ktest_suite_qemu qemu-vnet-full-q35-smp4 "$out/gcc/vmlinux" 4 virtio_net \
	"virtio_net_test_frames=50000 virtio_net_test_cycles=50"
ktest_suite_qemu qemu-vnet-cycles-smp4 "$out/gcc/vmlinux" 4 \
	virtio_net.test_virtio_net_rmmod_during_traffic "virtio_net_test_cycles=50"
# The ATA driver (drivers/ata/ata_test.c) on QEMU pc's PIIX3 IDE with two
# disks on the primary channel: integrity by DMA and by PIO from 4 CPUs,
# LBA48, bad requests, a device error and a timeout, rmmod/modprobe.
run_step --vcpus 4 _ktest_ata_qemu qemu-ata-smp4 "$out/gcc/vmlinux" 4 ata ""
# Variant boots (a fallback, a CPU feature, a kmalloc tier) run with
# ktest_quick: without the long SMP stress cases (KTEST_F_SLOW), which the
# main boots run and which do not depend on the variant.
# Fallbacks: no ACPI means one CPU (after qemu-smp1, below); an AP that
# never answers is skipped (CPU 3), one that starts after its time-out
# (CPU 2) stands down instead of taking the next CPU's stack, and so does
# one whose local APIC is not the MADT's (CPU 1), at once.
# The per-CPU walkers (cross-calls, shootdowns, page and slab caches,
# workqueues, timers, softirqs, interrupt affinity and MSI vectors) must
# skip the CPU that never came up.
ktest_qemu qemu-silent-ap-smp6 "$out/gcc/vmlinux" 6 "smp_test_silent_cpu=3 smp_test_late_cpu=2 \
smp_test_wrong_apic_cpu=1 smp_callin_timeout_ms=2000 ktest_quick \
ktest=x86_core,smp,sched,tlb,page_alloc,slab,vmalloc,workqueue,timer,softirq,irq,pci_msi" 3
crash_qemu crash-oops-smp4 "$out/gcc/vmlinux" 4
# allyesconfig turns the debug options on (page poisoning, spinlock debugging,
# lockdep, UBSAN with UBSAN_PANIC, fault injection, stack protector), and
# the function tracer, whose ftrace suite runs here and in the clang one.
# Every suite under KASAN: no report outside the kasan suite's own (and no
# lockdep report outside the ktests' own lock classes).
ktest_kasan qemu-allyes-smp2 "$out/allyes/vmlinux" 2
# The e1000 suite in full: 100 000 frames (50 000 each way) across the pair
# and 50 rmmod/modprobe cycles during traffic (the other boots: 2000, 5).
# Mostly waits for QEMU's link-up after each open: at -smp 2 it shares the
# host with another small boot instead of holding up the -smp 4 one.
ktest_suite_qemu qemu-e1000-full-smp2 "$out/gcc/vmlinux" 2 e1000 "e1000_test_full"
# The clang allyesconfig kernel at -smp 1, beside the gcc kernel at -smp 1
# and then without ACPI (one CPU runs, the APs are never started): one
# busy vCPU each side.
side_by_side qemu-clang-allyes-smp1,smp1,acpi-off \
	_ktest_kasan qemu-clang-allyes-smp1 "$out/clang-allyes/vmlinux" 1 -- \
	_smp1_then_acpi_off qemu-smp1 "$out/gcc/vmlinux" qemu-acpi-off-smp4
q_also[q_n - 1]+=" qemu-acpi-off-smp4"
# A CPU without a PAT: ioremap_wc() must fall back to UC- (TCG only; KVM uses -cpu host).
QEMU_CPU=max,-pat ktest_qemu qemu-nopat-smp2 "$out/gcc/vmlinux" 2 \
	"ktest_quick ktest=x86_cpu,ioremap,pgtable,dma,smp.test_cpus_online"
# The tracing suites on trace_defconfig, the allocators' fast paths live,
# with one case per event (the mm and sched events' in the trace suite,
# the others' in their subsystem's), and the function tracer at -smp 4.
TRACE_EVENT_CASES=irq.test_irq_trace_events,module.test_module_trace_events
TRACE_EVENT_CASES+=,net_core.test_net_trace_events,block.test_block_trace_events
ktest_suite_qemu qemu-trace-smp4 "$out/trace/vmlinux" 4 \
	"trace,ftrace,ring_buffer,jump_label,$TRACE_EVENT_CASES"
# kmalloc without its thread tier, and without its per-CPU tier.
ktest_qemu qemu-notier1-smp2 "$out/notier1/vmlinux" 2 "ktest_quick ktest=$MM_SUITES,module,block,net"
ktest_qemu qemu-notier2-smp2 "$out/notier2/vmlinux" 2 "ktest_quick ktest=$MM_SUITES,module,block,net"
# Without loadable modules: the drivers built in, each owner NULL and
# never counted, loading refused (-ENOSYS); every suite, one vCPU.
ktest_qemu qemu-nomodules-smp1 "$out/nomod/vmlinux" 1 ktest_quick
# The clang kernel also drives its tick in one-shot mode, loads only the
# boot modules a device's modalias asks for (the kmod suite: edu.ko), and
# keeps ticket spinlocks under QEMU (nopvspin, Documentation/locking.rst).
# All suites but the drivers with boots of their own (edu, e1000's full run).
ktest_qemu qemu-clang-smp2 "$out/clang/vmlinux" 2 \
	"apic_timer=oneshot modules=auto nopvspin $MODPARAM_CMDLINE ktest=-edu,-e1000"
# A machine bigger than one buddy block's worth of class map (Documentation/mm/slab.rst).
# The memory-manager suites but five long cases whose size is set by the
# RAM and which test nothing a small machine does not (SMP stress,
# page tables with all of RAM taken, twice; a random sequence of
# allocations; every free page taken to drain the large-block caches,
# twice, which would make the host back all 64 GiB).
ktest_bigmem qemu-64g-smp2 "$out/gcc/vmlinux" 2 64G \
	"ktest=$MM_SUITES,-page_alloc.test_smp_stress,-pgtable.test_enomem,-page_alloc.test_random_sequence,-slab.test_large_cache_remote_drain,-slab.test_large_cache_page_pressure"
# The edu suite in a 6 GiB guest: buffers above 4 GiB, beyond edu's 28-bit
# DMA mask, are bounced.
QEMU_DEVICES="-device edu -device edu" MEM=6G \
	QEMU_EXTRA="-object memory-backend-file,id=m0,size=6G,mem-path=/dev/shm,share=on,reserve=off -machine memory-backend=m0" \
	ktest_suite_qemu qemu-edu-6g-smp2 "$out/gcc/vmlinux" 2 edu ""
# PCI INTx routing behind a PCI-PCI bridge: the swizzled pin falls back to
# the PIIX's wiring, and edu's interrupt must arrive on the line it names.
QEMU_DEVICES="-device edu -device pci-bridge,id=br0,chassis_nr=1 -device edu,bus=br0,addr=3" \
	ktest_suite_qemu qemu-pci-intx-bridge-smp2 "$out/gcc/vmlinux" 2 pci_intx ""
# Command lines of 2047, 3000 and 10 000 characters (Documentation/boot.rst).
for len in 2047 3000 10000; do cmdline_qemu "qemu-cmdline-$len" "$out/gcc/vmlinux" "$len"; done
boot_qemu boot-allnoconfig "$out/allno/vmlinux" 1
# The shell as `make run` shows it, on a terminal: bad parameters and
# arguments, line editing, history, a 5000-character line, exit and
# poweroff ending with status 0 (scripts/check-shell.py, two boots, ~3 s).
# The first boot also takes samples/extmod, built after it boots, through
# make load's socket (broken frames NAKed), then insmod/rmmod.
shell_qemu shell-qemu-smp2 "$out/gcc/vmlinux"
# Its tracing steps (`trace`, the function tracer) on the allyesconfig
# kernel, which has the tracer (defconfig has not): one boot, ~8 s.
shell_qemu shell-trace-allyes-smp2 "$out/allyes/vmlinux" --trace-only
# A TLB shootdown from an interrupt handler stops the kernel (mm/tlb.c).
panic_qemu crash-shootdown-irq-smp2 "$out/gcc/vmlinux" 2 shootdown_irq "TLB shootdown from an interrupt"
crash_module_qemu crash-module-oops "$out/gcc/vmlinux"

section "== SMP soak (short)"
# The SMP soak (scripts/stress.sh) in QEMU and Bochs.
stress_step stress-qemu-allyes-smp4 qemu "$out/allyes/vmlinux" "${STRESS_SECONDS:-12}"
if [ "${QUICK:-0}" != 1 ]; then
	stress_step stress-bochs-allyes-smp4 bochs "$out/allyes/vmlinux" "${BOCHS_STRESS:-200ms}"
fi
# Injected allocation failures during the soak: survived, counted, no leak.
stress_step stress-qemu-allyes-smp4-faults qemu "$out/allyes/vmlinux" \
	"${FAULT_STRESS_SECONDS:-10}" faults
# The NUMA soak under KASAN: the allyesconfig kernel on the 4-node layout
# of qemu-numa4-slit-smp8 (a SLIT, memoryless node 2 with CPUs 6-7,
# CPU-less node 3), 8 CPUs.  First the numa, numa_alloc and slab_remote
# suites (alloc_pages_node() and kmalloc_node() on every node, remote
# frees and their per-CPU batches, fallback by distance), then every
# stress worker for NUMA_STRESS_SECONDS (6) s: the frames and slab
# workers hand one free in 8 (16) to the next CPU, across the node
# boundaries 2|3, 5|6 and 7|0, and memoryless node 2 allocates from
# node 3 (its nearest memory node in the SLIT: 2-3 15, 2-0 20, 2-1 25).
# Any KASAN report fails it (no kasan suite here to
# provoke one), as do lockdep reports outside the ktests' lock classes.
numa_kasan_soak stress-numa4-kasan-smp8 "$out/allyes/vmlinux"

section "== fuzzers (hosted, libFuzzer + ASan + UBSan, ${FUZZ_SECONDS:-6} s each)"
for t in page_alloc memblock multiboot2 pvh cmdline slab slab_debug pgtable madt module mpparse \
	virtqueue; do
	run_step --background --after fuzz-build fuzz_run "fuzz-$t"
done
run_step --background --after fuzz-build fuzz_run fuzz-srat
section "== page tables from outside"
# The page tables seen through QMP; a kernel stack overflow must oops and panic.
pgtable_oracle pgtable-oracle "$out/gcc/vmlinux"
stack_overflow stack-overflow-oops "$out/gcc/vmlinux"

finish
echo
if ((${#failures[@]})); then
	echo "failed: ${failures[*]} (logs in $logs)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
