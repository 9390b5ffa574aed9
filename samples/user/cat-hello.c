// SPDX-License-Identifier: GPL-2.0
/*
 * cat-hello.c - a tiny `cat /dev/hello` (Ring Zero, chapters 3 and 10).
 *
 * Opens /dev/hello, reads once, writes what it got to standard output
 * and exits with 0, or with the errno of the call that failed (so the
 * shell's $? shows e.g. 2 for ENOENT when the node was never mknod'ed).
 * Every step is one `syscall` into the kernel: watch the ring change.
 */
#include "sys.h"

static char buf[64];

void __attribute__((noreturn)) _start(void)
{
	long fd, n;

	fd = sys_openat(AT_FDCWD, "/dev/hello", O_RDONLY, 0);
	if (fd < 0)
		sys_exit_group(-fd);	/* e.g. ENOENT, ENXIO */

	/* The kernel runs hello_read() in ring 0 and fills buf. */
	n = sys_read(fd, buf, sizeof(buf));
	if (n < 0)
		sys_exit_group(-n);

	sys_write(STDOUT_FILENO, buf, n);
	sys_close(fd);
	sys_exit_group(0);
}
