// SPDX-License-Identifier: GPL-2.0
/*
 * miscdev.c - a "misc" character device (Ring Zero).
 *
 * Unlike hello.c, which only reserves a major with register_chrdev(),
 * misc_register() creates a real struct device (class "misc", major 10,
 * a minor chosen by the kernel). That device sends a uevent, and devtmpfs
 * or udev creates /dev/miscdev by itself: no mknod needed.
 *
 *     insmod miscdev.ko && cat /dev/miscdev
 */
#include <linux/module.h>
#include <linux/fs.h>		/* struct file_operations, simple_read_from_buffer */
#include <linux/miscdevice.h>	/* struct miscdevice, misc_register */

static const char miscdev_msg[] = "Hello from a misc device!\n";

/* read(2): copy what is left of the message after *ppos, then 0 (EOF). */
static ssize_t miscdev_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	return simple_read_from_buffer(buf, count, ppos,
				       miscdev_msg, sizeof(miscdev_msg) - 1);
}

static const struct file_operations miscdev_fops = {
	.owner = THIS_MODULE,
	.read  = miscdev_read,
};

static struct miscdevice miscdev_dev = {
	.minor = MISC_DYNAMIC_MINOR,	/* "pick a free minor for me" */
	.name  = "miscdev",		/* the node becomes /dev/miscdev */
	.fops  = &miscdev_fops,
	.mode  = 0444,			/* anyone may read it */
};

static int __init miscdev_init(void)
{
	int err = misc_register(&miscdev_dev);

	if (err) {
		pr_err("miscdev: misc_register failed: %d\n", err);
		return err;
	}
	/* misc_register() wrote the chosen minor back into miscdev_dev. */
	pr_info("miscdev: loaded, /dev/miscdev is 10:%d\n", miscdev_dev.minor);
	return 0;
}

static void __exit miscdev_exit(void)
{
	misc_deregister(&miscdev_dev);	/* removes the device and its node */
	pr_info("miscdev: unloaded\n");
}

module_init(miscdev_init);
module_exit(miscdev_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("A misc character device with an automatic /dev node");
