// SPDX-License-Identifier: GPL-2.0
/*
 * hellorw.c - a character driver you can write to, read back and control
 * with ioctl (Ring Zero, chapters 3 and 10).
 *
 *   write(2)  stores up to HELLORW_BUFSIZE bytes (copy_from_user)
 *   read(2)   returns the stored bytes        (simple_read_from_buffer)
 *   ioctl(2)  HELLORW_GET_LEN / HELLORW_CLEAR (see hellorw.h)
 *
 * One static buffer for all openers and no locking: fine for the book's
 * single-threaded examples, wrong for a real driver (it would need a mutex).
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/uaccess.h>	/* copy_from_user, copy_to_user */
#include "hellorw.h"

static char rw_buf[HELLORW_BUFSIZE];	/* the stored bytes */
static size_t rw_len;			/* how many of them are valid */
static int rw_major;

static ssize_t hellorw_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	return simple_read_from_buffer(buf, count, ppos, rw_buf, rw_len);
}

/* Each write replaces the buffer; only the first HELLORW_BUFSIZE bytes count. */
static ssize_t hellorw_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	if (count > HELLORW_BUFSIZE)
		count = HELLORW_BUFSIZE;
	/* copy_from_user returns the number of bytes it could NOT copy. */
	if (copy_from_user(rw_buf, buf, count))
		return -EFAULT;	/* a bad user pointer */
	rw_len = count;
	return count;		/* bytes accepted */
}

/* cmd is one of the numbers built by _IOR/_IOW; arg is a user pointer or value. */
static long hellorw_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	int len;

	switch (cmd) {
	case HELLORW_GET_LEN:
		/* arg is a user pointer to an int: copy our length there. */
		len = rw_len;
		if (copy_to_user((int __user *)arg, &len, sizeof(len)))
			return -EFAULT;
		return 0;
	case HELLORW_CLEAR:
		rw_len = 0;
		return 0;
	default:
		return -ENOTTY;	/* "inappropriate ioctl for device" */
	}
}

static const struct file_operations hellorw_fops = {
	.owner		= THIS_MODULE,
	.read		= hellorw_read,
	.write		= hellorw_write,
	.unlocked_ioctl	= hellorw_ioctl,
};

static int __init hellorw_init(void)
{
	rw_major = register_chrdev(0, "hellorw", &hellorw_fops);
	if (rw_major < 0)
		return rw_major;
	pr_info("hellorw: loaded, major %d\n", rw_major);
	return 0;
}

static void __exit hellorw_exit(void)
{
	unregister_chrdev(rw_major, "hellorw");
	pr_info("hellorw: unloaded\n");
}

module_init(hellorw_init);
module_exit(hellorw_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("A character device with read, write and ioctl");
