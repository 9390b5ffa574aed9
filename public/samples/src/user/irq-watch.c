// SPDX-License-Identifier: GPL-2.0
/*
 * irq-watch.c - an interrupt arrives while a program computes (Ring Zero).
 *
 * Reads the irqcount driver's count from /dev/irqcount, then computes for
 * a while in ring 3 without making any system call, then reads the count
 * again and prints both:
 *
 *     before: 0
 *     after:  1
 *
 * If the device raised its line during the loop, the processor left this
 * program between two of its instructions, ran the driver's handler in
 * ring 0, acknowledged the interrupt and came back with iretq. The program
 * itself cannot tell: only the count shows that it happened.
 */
#include "sys.h"

#define SPIN 32			/* loop iterations: ring 3 work, no system call */

static char before[16], after[16];
static volatile unsigned long work;	/* volatile: the loop really runs */

/* open, read once, close: each read of a fresh open starts at position 0. */
static long read_count(char *buf, size_t size)
{
	long fd, n;

	fd = sys_openat(AT_FDCWD, "/dev/irqcount", O_RDONLY, 0);
	if (fd < 0)
		sys_exit_group(-fd);
	n = sys_read(fd, buf, size);	/* irqcount_read() in ring 0 */
	sys_close(fd);
	if (n < 0)
		sys_exit_group(-n);
	return n;
}

void __attribute__((noreturn)) _start(void)
{
	long n1, n2, i;

	n1 = read_count(before, sizeof(before));
	for (i = 0; i < SPIN; i++)
		work++;
	n2 = read_count(after, sizeof(after));

	sys_write(STDOUT_FILENO, "before: ", 8);
	sys_write(STDOUT_FILENO, before, n1);
	sys_write(STDOUT_FILENO, "after:  ", 8);
	sys_write(STDOUT_FILENO, after, n2);
	sys_exit_group(0);
}
