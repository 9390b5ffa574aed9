// SPDX-License-Identifier: GPL-2.0
/* A tiny kernel module for the ELF reader's goldens (built by kbuild, never loaded). */
#include <linux/module.h>
#include <linux/init.h>

static int answer = 42;
module_param(answer, int, 0444);

static int __init tiny_init(void)
{
	pr_info("tiny: the answer is %d\n", answer);
	return 0;
}

static void __exit tiny_exit(void)
{
	pr_info("tiny: goodbye\n");
}

module_init(tiny_init);
module_exit(tiny_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ELF reader golden fixture");
