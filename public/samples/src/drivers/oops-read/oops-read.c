// SPDX-License-Identifier: GPL-2.0
/*
 * oops-read.c - a BUGGY driver: its read dereferences NULL (Ring Zero).
 *
 * Loading works. Then `cat /dev/oops_read` makes the kernel, at CPL 0, load
 * a byte from address 0. Nothing is mapped there, so the CPU raises a page
 * fault (#PF) in kernel mode; the kernel cannot blame a user program, so it
 * prints an "Oops" (registers, call trace), kills the reading process (cat
 * dies with SIGKILL, the shell says "Killed") and marks itself tainted (D).
 * The kernel keeps running, but the module can no longer be trusted.
 * DO NOT load this on a machine you care about.
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>

static ssize_t oops_read_read(struct file *file, char __user *buf,
			      size_t count, loff_t *ppos)
{
	/*
	 * `volatile` makes the compiler store NULL in the variable and load
	 * it back, so it cannot see that the pointer is NULL and must keep
	 * the faulting load below.
	 */
	char *volatile ptr = NULL;

	return *ptr;		/* the bug: a load from address 0 */
}

static const struct file_operations oops_read_fops = {
	.owner = THIS_MODULE,
	.read  = oops_read_read,
};

static struct miscdevice oops_read_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name  = "oops_read",		/* /dev/oops_read */
	.fops  = &oops_read_fops,
	.mode  = 0444,
};

static int __init oops_read_init(void)
{
	int err = misc_register(&oops_read_dev);

	if (err)
		return err;
	pr_info("oops_read: loaded; reading /dev/oops_read will oops\n");
	return 0;
}

static void __exit oops_read_exit(void)
{
	misc_deregister(&oops_read_dev);
	pr_info("oops_read: unloaded\n");
}

module_init(oops_read_init);
module_exit(oops_read_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("BUGGY: read() dereferences a NULL pointer");
