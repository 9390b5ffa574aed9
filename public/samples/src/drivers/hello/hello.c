// SPDX-License-Identifier: GPL-2.0
/*
 * hello.c - the smallest useful character driver (Ring Zero, chapters 3 and 10).
 *
 * Loading it asks the kernel for a free major number and prints it.
 * Reading the device returns one fixed line of text, so
 *
 *     mknod /dev/hello c <major> 0 && cat /dev/hello
 *
 * prints "Hello from ring 0!". register_chrdev() creates no device node:
 * someone must run mknod (or the driver would have to use misc_register()).
 */
#include <linux/module.h>	/* module_init, MODULE_LICENSE, ... */
#include <linux/fs.h>		/* register_chrdev, struct file_operations */

static const char hello_msg[] = "Hello from ring 0!\n";
static int hello_major;		/* chosen by the kernel at load time */

/*
 * Called for read(2) on /dev/hello. simple_read_from_buffer() copies
 * what is left of hello_msg after *ppos to the user's buffer (with
 * copy_to_user, which may fail with -EFAULT) and advances *ppos, so the
 * second read returns 0 (end of file) and cat stops.
 */
static ssize_t hello_read(struct file *file, char __user *buf,
			  size_t count, loff_t *ppos)
{
	return simple_read_from_buffer(buf, count, ppos,
				       hello_msg, sizeof(hello_msg) - 1);
}

/* The table the VFS calls through: only .read is filled in. */
static const struct file_operations hello_fops = {
	.owner = THIS_MODULE,
	.read  = hello_read,
};

/* Runs once, in process context, when insmod loads the module. */
static int __init hello_init(void)
{
	/* Major 0 means "pick a free one for me" and return it. */
	hello_major = register_chrdev(0, "hello", &hello_fops);
	if (hello_major < 0) {
		pr_err("hello: register_chrdev failed: %d\n", hello_major);
		return hello_major;	/* a negative errno: insmod fails */
	}
	pr_info("hello: loaded, major %d\n", hello_major);
	return 0;
}

/* Runs when rmmod unloads the module: undo everything init did. */
static void __exit hello_exit(void)
{
	unregister_chrdev(hello_major, "hello");
	pr_info("hello: unloaded\n");
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("A character device that says hello from ring 0");
