// SPDX-License-Identifier: GPL-2.0
/*
 * gplonly.c - a GPL module calling a GPL-only export (Ring Zero).
 *
 * ktime_get() is exported with EXPORT_SYMBOL_GPL: only modules whose
 * MODULE_LICENSE is GPL-compatible may link against it. Change the licence
 * below to "Proprietary" and kbuild refuses to build the module:
 *
 *     ERROR: modpost: GPL-incompatible module gplonly.ko uses GPL-only symbol 'ktime_get'
 *
 * and the kernel refuses to load such a module too (see samples/variants.md).
 */
#include <linux/module.h>
#include <linux/ktime.h>	/* ktime_get, ktime_t */
#include <linux/timekeeping.h>

static ktime_t gplonly_loaded_at;

static int __init gplonly_init(void)
{
	/* Monotonic time since boot, in nanoseconds (a GPL-only export). */
	gplonly_loaded_at = ktime_get();
	pr_info("gplonly: loaded at %lld ns since boot\n",
		ktime_to_ns(gplonly_loaded_at));
	return 0;
}

static void __exit gplonly_exit(void)
{
	s64 alive = ktime_to_ns(ktime_sub(ktime_get(), gplonly_loaded_at));

	pr_info("gplonly: unloaded after %lld ns\n", alive);
}

module_init(gplonly_init);
module_exit(gplonly_exit);

MODULE_LICENSE("GPL");		/* required to use ktime_get() */
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("Uses the GPL-only export ktime_get");
