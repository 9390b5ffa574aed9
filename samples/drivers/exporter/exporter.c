// SPDX-License-Identifier: GPL-2.0
/*
 * exporter.c - a module that exports a function to other modules (Ring Zero).
 *
 * EXPORT_SYMBOL(ring0_greet) puts an entry in this module's __ksymtab
 * (and its CRC in __kcrctab), so once exporter.ko is loaded, the kernel's
 * module loader can resolve ring0_greet in modules loaded after it, exactly
 * as it resolves _printk in vmlinux. importer.ko uses it; while importer is
 * loaded, exporter cannot be unloaded (it is "in use by: importer").
 */
#include <linux/module.h>

static int ring0_greet_calls;	/* how many times ring0_greet() ran */

/* Print a greeting; return how many greetings there have been so far. */
int ring0_greet(const char *who)
{
	ring0_greet_calls++;
	pr_info("exporter: hello, %s (call %d)\n", who, ring0_greet_calls);
	return ring0_greet_calls;
}
EXPORT_SYMBOL(ring0_greet);	/* not _GPL: any module may call it */

static int __init exporter_init(void)
{
	pr_info("exporter: loaded, exporting ring0_greet\n");
	return 0;
}

static void __exit exporter_exit(void)
{
	pr_info("exporter: unloaded\n");
}

module_init(exporter_init);
module_exit(exporter_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("Exports ring0_greet() to other modules");
