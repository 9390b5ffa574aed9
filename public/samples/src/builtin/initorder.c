// SPDX-License-Identifier: GPL-2.0
/*
 * initorder.c - built-in code at four initcall levels (Ring Zero sample, built-in only).
 *
 * Linked into the built-in image *after* drivers/hello/hello.o, yet its core_initcall and
 * subsys_initcall run before hello_init (a device_initcall, level 6, which is what
 * module_init means in built-in code): do_initcalls() walks the levels in order, and only
 * inside one level does link order decide. Its rootfs_initcall sits between levels 5 and 6
 * in the linker script, so it runs at the end of level 5 ("fs"). Its late_initcall_sync
 * returns -ENODEV, as a built-in driver does when its hardware is absent: the kernel notes
 * it (only initcall_debug prints the value) and boots on.
 *
 * This is kernel code, not a driver that could be a module: it has no MODULE_LICENSE, so it
 * gets no "file=" entry in .modinfo and is not listed in modules.builtin. The *_initcall
 * macros other than module_init() cannot be used in a module at all (include/linux/module.h
 * turns each into module_init, and a module may have only one), which is why this file is
 * built only as built-in, by samples/build.sh's built-in step.
 */
#include <linux/init.h>
#include <linux/errno.h>
#include <linux/printk.h>

static int __init initorder_core(void)
{
	pr_info("initorder: core_initcall (level 1)\n");
	return 0;
}
core_initcall(initorder_core);

static int __init initorder_subsys(void)
{
	pr_info("initorder: subsys_initcall (level 4)\n");
	return 0;
}
subsys_initcall(initorder_subsys);

static int __init initorder_rootfs(void)
{
	pr_info("initorder: rootfs_initcall (after level 5s, before level 6)\n");
	return 0;
}
rootfs_initcall(initorder_rootfs);

static int __init initorder_late(void)
{
	pr_info("initorder: late_initcall_sync (level 7s): no device, -ENODEV\n");
	return -ENODEV;
}
late_initcall_sync(initorder_late);
