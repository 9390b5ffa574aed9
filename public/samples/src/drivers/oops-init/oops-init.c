// SPDX-License-Identifier: GPL-2.0
/*
 * oops-init.c - a BUGGY module: its init dereferences NULL (Ring Zero).
 *
 * init runs in the context of the insmod process, inside the
 * init_module/finit_module system call. The NULL load faults at CPL 0,
 * the kernel prints an Oops and kills insmod ("Killed"); the module stays
 * half-loaded in the "coming" state (/proc/modules shows it as
 * "Loading") and can never be unloaded until reboot.
 * DO NOT load this on a machine you care about.
 */
#include <linux/module.h>

static int __init oops_init_init(void)
{
	char *volatile ptr = NULL;	/* volatile: the load below is kept */

	pr_info("oops_init: about to dereference NULL\n");
	return *ptr;		/* the bug: a load from address 0 */
}

static void __exit oops_init_exit(void)
{
	pr_info("oops_init: unloaded\n");	/* never reached */
}

module_init(oops_init_init);
module_exit(oops_init_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("BUGGY: init dereferences a NULL pointer");
