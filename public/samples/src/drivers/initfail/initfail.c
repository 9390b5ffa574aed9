// SPDX-License-Identifier: GPL-2.0
/*
 * initfail.c - a module whose init function fails (Ring Zero sample).
 *
 * init prints a line and returns -ENODEV, as a driver does when the hardware it wants is
 * absent. load_module() has already linked the module by then; do_init_module() sees the
 * error, frees the module again, and finit_module returns -ENODEV to insmod, which prints
 * "No such device". Nothing stays loaded.
 */
#include <linux/module.h>
#include <linux/errno.h>

static int __init initfail_init(void)
{
	pr_info("initfail: no device here, giving up\n");
	return -ENODEV;
}

static void __exit initfail_exit(void)
{
	pr_info("initfail: unloaded\n");	/* never runs: the module never goes live */
}

module_init(initfail_init);
module_exit(initfail_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero");
MODULE_DESCRIPTION("A module whose init fails with -ENODEV");
