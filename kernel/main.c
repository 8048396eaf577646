// SPDX-License-Identifier: GPL-2.0
/*
 * start_kernel(): the order of boot, in one place.
 *
 *   early params -> TSC -> memory (memblock, buddy) -> initcalls by level ->
 *   free __init memory -> tests / benchmarks / shell as the command line asks.
 */
#include <exo/bench.h>
#include <exo/bootinfo.h>
#include <exo/console.h>
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/ftrace.h>
#include <exo/init.h>
#include <exo/ktest.h>
#include <exo/mm.h>
#include <exo/sched.h>
#include <exo/printk.h>
#include <exo/reboot.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/stress.h>
#include <exo/string.h>
#include <exo/time.h>
#include <generated/compile.h>
#include <asm/setup.h>

static const char *ktest_filter;
static bool ktest_quick;
static const char *bench_filter;
static bool shell_enabled = IS_ENABLED(CONFIG_KERNEL_SHELL);

static int __init ktest_setup(const char *val)
{
	ktest_filter = *val ? val : "all";
	return 0;
}
__setup_desc("ktest=", ktest_setup, "all, or suites and suite.case items, -item to leave out");

static int __init ktest_quick_setup(const char *val)
{
	ktest_quick = true;
	return 0;
}
__setup("ktest_quick", ktest_quick_setup);

static int __init bench_setup(const char *val)
{
	bench_filter = *val ? val : "all";
	return 0;
}
__setup_desc("bench=", bench_setup, "all, none or a name prefix");

static int __init shell_setup(const char *val)
{
	shell_enabled = strcmp(val, "0") && strcmp(val, "off");
	return 0;
}
__setup_choice("shell=", shell_setup, "0", "off", "1", "on");

extern initcall_t __initcall_early_start[], __initcall_core_start[],
	__initcall_postcore_start[], __initcall_arch_start[],
	__initcall_subsys_start[], __initcall_fs_start[],
	__initcall_device_start[], __initcall_late_start[], __initcall_end[];

static initcall_t *const initcall_levels[] __initconst = {
	__initcall_early_start, __initcall_core_start, __initcall_postcore_start,
	__initcall_arch_start, __initcall_subsys_start, __initcall_fs_start,
	__initcall_device_start, __initcall_late_start, __initcall_end,
};

static const char *const initcall_level_names[] __initconst = {
	"early", "core", "postcore", "arch", "subsys", "fs", "device", "late",
};

static void __init do_initcall_level(int level)
{
	for (initcall_t *fn = initcall_levels[level]; fn < initcall_levels[level + 1]; fn++) {
		u64 t0 = ktime_get_ns();
		int ret = (*fn)();
		u64 us = (ktime_get_ns() - t0) / 1000;

		pr_debug("initcall %pS (%s) returned %d after %llu us\n",
			 (void *)*fn, initcall_level_names[level], ret, us);
		if (ret && ret != -ENODEV)
			pr_warn("initcall %pS (%s) failed: %d\n", (void *)*fn,
				initcall_level_names[level], ret);
	}
}

static void __init do_initcalls(void)
{
	for (int level = 0; level < (int)ARRAY_SIZE(initcall_level_names); level++)
		do_initcall_level(level);
}

/* What `make run </dev/null` and `make bochs` show before powering off. */
static void show_stats(void)
{
	static const char *const cmds[] = { "meminfo", "buddyinfo", "cpus", "interrupts", "ps",
					    "slabinfo", "tlbinfo", "ptdump", "lsmod", "lspci -v",
					    "lsblk", "softirqs", "ip link", "ls -l /dev",
					    "lsdev -t" };

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		char name[16];

		strlcpy(name, cmds[i], sizeof(name));
		if (strchr(name, ' '))
			*strchr(name, ' ') = '\0';
		if (!shell_has_command(name))
			continue;
		printk("exo> %s\n", cmds[i]);
		shell_run_command(cmds[i]);
	}
}

/*
 * Everything after boot.  Not __init and never inlined into start_kernel():
 * free_initmem() fills start_kernel() with int3.
 */
static noinline __noreturn void kernel_run(void)
{
	int failed = 0;

	free_initmem();
	/* Tests, benchmarks and the shell meet every device driven already. */
	wait_for_device_probe();
	pr_notice("Boot done in %llu ms\n", ktime_get_ns() / NSEC_PER_MSEC);
	if (stress_requested()) {
		long errors = stress_run();

		pr_notice("stress: %s\n", errors ? "FAILED" : "PASSED");
		emulator_exit(errors == 0);
	}
	if (ktest_filter) {
		failed = ktest_run(strcmp(ktest_filter, "all") ? ktest_filter : NULL, ktest_quick);
		pr_notice("ktest: %s\n", failed ? "FAILED" : "PASSED");
		emulator_exit(failed == 0);
	}
	if (bench_filter) {
		int ran = bench_run(bench_filter);

		pr_notice("bench: %s\n", ran < 0 ? "FAILED" : "done");
		emulator_exit(ran >= 0);
	}
	/* The shell returns for "exit": nothing else runs, the machine goes off. */
	if (IS_ENABLED(CONFIG_KERNEL_SHELL) && shell_enabled)
		shell_loop();
	else
		show_stats();
	pr_notice("Powering off.\n");
	machine_power_off();
}

__noreturn void __init start_kernel(void)
{
	/* First: the text is still writable and no other CPU runs. */
	ftrace_init();
	parse_args(boot_command_line, 1);
	tsc_calibrate();
	pr_notice("Exo-OS %s (%s)\n", UTS_RELEASE, EXO_COMPILER);
	pr_info("Boot protocol: %s, loader: %s\n", boot_info.protocol,
		boot_info.loader_name[0] ? boot_info.loader_name : "?");
	pr_info("Command line: %s\n", boot_command_line);
	pr_info("TSC: %llu.%03llu MHz\n", tsc_khz / 1000, tsc_khz % 1000);
	mm_core_init();
	fbcon_early_init();
	sched_init();
	smp_init();
	/* The tick and IPIs may now arrive: from here on the boot CPU is preemptible too. */
	local_irq_enable();
	parse_args(boot_command_line, 0);
	do_initcalls();
	kernel_run();
}
