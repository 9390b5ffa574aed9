// SPDX-License-Identifier: GPL-2.0
/*
 * importer.c - a module that calls a function exported by another module
 * (Ring Zero).
 *
 * ring0_greet() is not in the kernel: it is exported by exporter.ko. So
 *
 *     insmod importer.ko      fails: "Unknown symbol ring0_greet"
 *     insmod exporter.ko && insmod importer.ko     works
 *
 * (modprobe would load exporter first by itself, reading the dependency
 * that depmod finds in importer's undefined symbols).
 */
#include <linux/module.h>

/* Normally this prototype comes from a header the exporter provides. */
int ring0_greet(const char *who);

static int __init importer_init(void)
{
	int n = ring0_greet("importer");

	pr_info("importer: loaded, ring0_greet returned %d\n", n);
	return 0;
}

static void __exit importer_exit(void)
{
	pr_info("importer: unloaded\n");
}

module_init(importer_init);
module_exit(importer_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("Calls ring0_greet() from exporter.ko");
