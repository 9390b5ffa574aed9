// SPDX-License-Identifier: GPL-2.0
/*
 * ring0_peek.c - the oracle's helper module (samples/oracle/run.sh only; never
 * part of the book's samples).
 *
 * Prints the bytes at kernel addresses given as module parameters, so the
 * oracle can record what another module's sections hold after the real
 * kernel loaded, relocated and patched them:
 *
 *     insmod ring0_peek.ko addr=0xffffffffc0000000,0x... len=32,37 name=.text,.exit.text
 *
 * Each region is printed as "ring0_peek: <name> <address> <len> bytes"
 * followed by print_hex_dump() lines with offsets (not %p addresses, which
 * the kernel would hash). The module stays loaded until rmmod; it only reads.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#define RING0_PEEK_MAX 16

static unsigned long addr[RING0_PEEK_MAX];
static unsigned int len[RING0_PEEK_MAX];
static char *name[RING0_PEEK_MAX];
static int n_addr, n_len, n_name;

module_param_array(addr, ulong, &n_addr, 0444);
MODULE_PARM_DESC(addr, "Kernel addresses to dump (comma-separated)");
module_param_array(len, uint, &n_len, 0444);
MODULE_PARM_DESC(len, "Bytes to dump at each address (at most 4096)");
module_param_array(name, charp, &n_name, 0444);
MODULE_PARM_DESC(name, "A label for each address");

static int __init ring0_peek_init(void)
{
	int i;

	if (n_len != n_addr) {
		pr_err("ring0_peek: %d addresses but %d lengths\n", n_addr, n_len);
		return -EINVAL;
	}
	for (i = 0; i < n_addr; i++) {
		unsigned int n = min_t(unsigned int, len[i], 4096);

		pr_info("ring0_peek: %s %px %u bytes\n",
			i < n_name ? name[i] : "?", (void *)addr[i], n);
		print_hex_dump(KERN_INFO, "ring0_peek: ", DUMP_PREFIX_OFFSET,
			       16, 1, (const void *)addr[i], n, false);
	}
	return 0;
}

static void __exit ring0_peek_exit(void)
{
}

module_init(ring0_peek_init);
module_exit(ring0_peek_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Ring Zero oracle helper: hex-dumps kernel memory at given addresses");
