// SPDX-License-Identifier: GPL-2.0
/*
 * irqcount.c - a driver that counts the interrupts of one line (Ring Zero).
 *
 * Loading it asks the kernel for an interrupt line with request_irq() and
 * gives it a handler. From then on, each time the device on that line
 * raises it, the processor stops whatever it was running (a user program,
 * the kernel, or the idle loop), enters ring 0 through the IDT, and the
 * kernel's interrupt code calls irqcount_handler(). Reading the device
 * prints how many interrupts the handler has seen:
 *
 *     insmod irqcount.ko            (irq=3 by default: the line of COM2)
 *     mknod /dev/irqcount c <major> 0
 *     cat /dev/irqcount             prints e.g. "2"
 *     grep irqcount /proc/interrupts
 *
 * The handler runs in interrupt context: it must not sleep, so it only
 * counts (an atomic increment) and returns at once. The acknowledgement of
 * the interrupt (EOI) is the kernel's job, not the driver's.
 */
#include <linux/module.h>	/* module_init, MODULE_LICENSE, ... */
#include <linux/moduleparam.h>	/* module_param */
#include <linux/fs.h>		/* register_chrdev, struct file_operations */
#include <linux/interrupt.h>	/* request_irq, free_irq, irqreturn_t */
#include <linux/atomic.h>	/* atomic_t */

static int irq = 3;		/* the ISA line of the PC's second serial port */
module_param(irq, int, 0444);
MODULE_PARM_DESC(irq, "The interrupt line to count (default 3)");

/*
 * What the handler updates. Its address is the dev_id given to
 * request_irq(): the kernel passes it back to every call of the handler
 * (and free_irq() uses it to find this handler again).
 */
static atomic_t irqcount_seen = ATOMIC_INIT(0);
static int irqcount_major;

/* Runs in ring 0 with interrupts off, once per interrupt on the line. */
static irqreturn_t irqcount_handler(int irq, void *dev_id)
{
	atomic_t *seen = dev_id;

	atomic_inc(seen);
	return IRQ_HANDLED;	/* "it was our device": the kernel counts it as handled */
}

/* read(2): the count as decimal text, then 0 (end of file). */
static ssize_t irqcount_read(struct file *file, char __user *buf,
			     size_t count, loff_t *ppos)
{
	char text[16];
	int len = scnprintf(text, sizeof(text), "%d\n",
			    atomic_read(&irqcount_seen));

	return simple_read_from_buffer(buf, count, ppos, text, len);
}

static const struct file_operations irqcount_fops = {
	.owner = THIS_MODULE,
	.read  = irqcount_read,
};

static int __init irqcount_init(void)
{
	int err;

	irqcount_major = register_chrdev(0, "irqcount", &irqcount_fops);
	if (irqcount_major < 0)
		return irqcount_major;

	/*
	 * Flags 0: the line is ours alone (no IRQF_SHARED). From the moment
	 * this returns 0, the handler can run: the kernel has given the line
	 * a vector and unmasked it.
	 */
	err = request_irq(irq, irqcount_handler, 0, "irqcount", &irqcount_seen);
	if (err) {
		pr_err("irqcount: request_irq(%d) failed: %d\n", irq, err);
		unregister_chrdev(irqcount_major, "irqcount");
		return err;
	}
	pr_info("irqcount: counting IRQ %d, major %d\n", irq, irqcount_major);
	return 0;
}

static void __exit irqcount_exit(void)
{
	/* Masks the line and waits until no handler is running. */
	free_irq(irq, &irqcount_seen);
	unregister_chrdev(irqcount_major, "irqcount");
	pr_info("irqcount: unloaded after %d interrupts\n",
		atomic_read(&irqcount_seen));
}

module_init(irqcount_init);
module_exit(irqcount_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("Counts the interrupts of one line and reports the count on read");
