/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel image layout.  Boot code and headers sit at 1 MiB with VMA == LMA;
 * everything else runs at KERNEL_VMA + physical.  Each region that gets its
 * own permissions (text RX, rodata R, data RW, init) starts on a page.
 * The per-CPU template is linked at address 0 so that a per-CPU symbol's
 * address is its offset in every CPU's area (%gs-relative access).
 */
#include <asm/page.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(_start32)

#define KVMA 0xffffffff80000000
#define LOAD(x) AT(ADDR(x) - KVMA)

SECTIONS
{
	. = 0x100000;
	_boot_start = .;
	.boot : {
		KEEP(*(.multiboot))
		*(.boot.text)
		*(.boot.data)
	}
	.boot.bss (NOLOAD) : ALIGN(4096) {
		*(.boot.bss)
	}
	. = ALIGN(4096);
	_boot_end = .;

	. += KVMA;
	_text = .;
	.text : LOAD(.text) {
		*(.text.hot .text.hot.*)
		*(.text .text.*)
		*(.fixup)
		. = ALIGN(16);
	}
	_etext = .;

	. = ALIGN(4096);
	_rodata = .;
	.rodata : LOAD(.rodata) {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__start___ex_table = .;
		KEEP(*(__ex_table))
		__stop___ex_table = .;
		. = ALIGN(8);
		__start___jump_table = .;
		KEEP(*(__jump_table))
		__stop___jump_table = .;
		. = ALIGN(8);
		__start___pcp_restart = .;
		KEEP(*(__pcp_restart))
		__stop___pcp_restart = .;
		. = ALIGN(8);
		__ktest_suites_start = .;
		KEEP(*(.ktest_suites))
		__ktest_suites_end = .;
		. = ALIGN(8);
		__shell_cmds_start = .;
		KEEP(*(.shell_cmds))
		__shell_cmds_end = .;
		. = ALIGN(8);
		__benches_start = .;
		KEEP(*(.benches))
		__benches_end = .;
		. = ALIGN(8);
		__start__ftrace_events = .;
		KEEP(*(_ftrace_events))
		__stop__ftrace_events = .;
		. = ALIGN(8);
		__start___ksymtab = .;
		KEEP(*(SORT(___ksymtab+*)))
		__stop___ksymtab = .;
		__start___ksymtab_gpl = .;
		KEEP(*(SORT(___ksymtab_gpl+*)))
		__stop___ksymtab_gpl = .;
		KEEP(*(__ksymtab_strings))
		. = ALIGN(8);
		__start___param = .;
		KEEP(*(__param))
		__stop___param = .;
	}
	.notes : LOAD(.notes) {
		KEEP(*(.note.Xen))
	}
	. = ALIGN(4096);
	_erodata = .;

	_data = .;
	.data : LOAD(.data) {
		*(.data .data.[0-9a-zA-Z_]*)
		. = ALIGN(64);
		*(.data..read_mostly)
		. = ALIGN(64);
	}
	/*
	 * The function tracer's sites (-fpatchable-function-entry): the
	 * address of each function's entry NOP, sorted at boot by
	 * ftrace_init() (kernel/trace/ftrace.c), hence writable.
	 */
	. = ALIGN(8);
	.mcount_loc : LOAD(.mcount_loc) {
		__start_mcount_loc = .;
		KEEP(*(__patchable_function_entries))
		__stop_mcount_loc = .;
	}
	. = ALIGN(4096);
	_edata = .;

	/* Template of the per-CPU area: every CPU's area starts as a copy. */
	__per_cpu_load = .;
	.data..percpu 0 : AT(__per_cpu_load - KVMA) {
		__per_cpu_start = .;
		*(.data..percpu.first)
		*(.data..percpu)
		. = ALIGN(64);
		__per_cpu_end = .;
	}
	. = __per_cpu_load + SIZEOF(.data..percpu);
	. = ALIGN(4096);

	/* Freed after boot: init code, init data, parameters, initcalls. */
	__init_begin = .;
	.init.text : LOAD(.init.text) {
		*(.init.text .init.text.*)
	}
	. = ALIGN(4096);
	__init_data_begin = .;
	.init.data : LOAD(.init.data) {
		*(.init.data .init.data.*)
		*(.init.rodata .init.rodata.*)
		. = ALIGN(8);
		__setup_start = .;
		KEEP(*(.init.setup))
		__setup_end = .;
		__initcall_early_start = .;
		KEEP(*(.initcall_early.init))
		__initcall_core_start = .;
		KEEP(*(.initcall_core.init))
		__initcall_postcore_start = .;
		KEEP(*(.initcall_postcore.init))
		__initcall_arch_start = .;
		KEEP(*(.initcall_arch.init))
		__initcall_subsys_start = .;
		KEEP(*(.initcall_subsys.init))
		__initcall_fs_start = .;
		KEEP(*(.initcall_fs.init))
		__initcall_device_start = .;
		KEEP(*(.initcall_device.init))
		__initcall_late_start = .;
		KEEP(*(.initcall_late.init))
		__initcall_end = .;
	}
	. = ALIGN(4096);
	__init_end = .;

	.bss : LOAD(.bss) {
		__bss_start = .;
		*(.bss..stack)
		__bss_stack_end = .;
		*(.bss .bss.[0-9a-zA-Z_]*)
		*(COMMON)
		/*
		 * The boot CPU's per-CPU area: a copy of the template, so the
		 * template keeps its initial values for the APs' copies.
		 */
		. = ALIGN(4096);
		__per_cpu_bsp = .;
		. += __per_cpu_end - __per_cpu_start;
		. = ALIGN(4096);
		__bss_end = .;
	}

	/* Symbol table for backtraces; see scripts/link-vmlinux.sh. */
	. = ALIGN(4096);
	.kallsyms : LOAD(.kallsyms) {
		__kallsyms_start = .;
		KEEP(*(.kallsyms))
		__kallsyms_end = .;
	}
	. = ALIGN(4096);
	_end = .;

	/DISCARD/ : {
		*(.eh_frame .eh_frame_hdr .note.gnu.property .comment .note.GNU-stack)
	}
}
