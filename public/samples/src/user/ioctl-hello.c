// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-hello.c - talk to the hellorw driver (Ring Zero, chapters 3 and 10).
 *
 * Opens /dev/hellorw, writes a message into the driver's buffer, asks the
 * driver with ioctl(HELLORW_GET_LEN) how many bytes it kept, prints
 * "len=N" and exits with 0 (or the errno of the call that failed).
 */
#include "sys.h"
#include "../drivers/hellorw/hellorw.h"	/* the same command numbers as the driver */

static const char msg[] = "ring 3 was here";

/* Writes v in decimal just before `end`; returns where the digits start. */
static char *put_dec(char *end, unsigned int v)
{
	do {
		*--end = '0' + v % 10;	/* last digit first */
		v /= 10;
	} while (v);
	return end;
}

void __attribute__((noreturn)) _start(void)
{
	char line[16], *p = line + sizeof(line);
	int len = 0;
	long fd, r;

	fd = sys_openat(AT_FDCWD, "/dev/hellorw", O_RDWR, 0);
	if (fd < 0)
		sys_exit_group(-fd);

	r = sys_write(fd, msg, sizeof(msg) - 1);	/* hellorw_write() */
	if (r < 0)
		sys_exit_group(-r);

	/* hellorw_ioctl() copies the stored length into len. */
	r = sys_ioctl(fd, HELLORW_GET_LEN, (unsigned long)&len);
	if (r < 0)
		sys_exit_group(-r);

	/* Build "len=N\n" backwards from the end of line[]. */
	*--p = '\n';
	p = put_dec(p, len);
	p -= 4;
	p[0] = 'l'; p[1] = 'e'; p[2] = 'n'; p[3] = '=';
	sys_write(STDOUT_FILENO, p, line + sizeof(line) - p);

	sys_close(fd);
	sys_exit_group(0);
}
