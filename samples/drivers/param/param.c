// SPDX-License-Identifier: GPL-2.0
/*
 * param.c - a module parameter (Ring Zero).
 *
 *     insmod param.ko            prints "param: count = 1"
 *     insmod param.ko count=5    prints "param: count = 5"
 *
 * The kernel parses "count=5" from insmod's argument string (parse_args(),
 * using the kernel_param entry module_param() leaves in the __param section)
 * and stores 5 into `count` BEFORE param_init() runs. Permission 0444 makes
 * the value readable, not writable, at /sys/module/param/parameters/count.
 */
#include <linux/module.h>	/* module_init, MODULE_LICENSE, ... */
#include <linux/moduleparam.h>	/* module_param, MODULE_PARM_DESC */

static int count = 1;		/* the default when insmod gives no count= */
module_param(count, int, 0444);
MODULE_PARM_DESC(count, "A number to print at load time (default 1)");

static int __init param_init(void)
{
	pr_info("param: count = %d\n", count);
	return 0;
}

static void __exit param_exit(void)
{
	pr_info("param: unloaded\n");
}

module_init(param_init);
module_exit(param_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("Prints the value of its module parameter");
