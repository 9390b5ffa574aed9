/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hellorw.h - the ioctl commands of the hellorw driver, shared by the
 * driver (kernel side) and by samples/user/ioctl-hello.c (user side).
 *
 * _IOR/_IOW pack four fields into one 32-bit command number:
 * direction (read/write, seen from user space), the size of the argument
 * type, a "magic" type byte that names the driver, and a command number.
 */
#ifndef HELLORW_H
#define HELLORW_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#else
/* The user programs have no libc headers; these mirror asm-generic/ioctl.h. */
#define _IOC(dir, type, nr, size) \
	(((dir) << 30) | ((size) << 16) | ((type) << 8) | (nr))
#define _IOR(type, nr, argtype) _IOC(2U, (type), (nr), sizeof(argtype))
#define _IOW(type, nr, argtype) _IOC(1U, (type), (nr), sizeof(argtype))
#endif

#define HELLORW_MAGIC   'h'
#define HELLORW_BUFSIZE 64	/* the driver keeps at most this many bytes */

/* Copy the number of bytes stored (an int) to the user's pointer. */
#define HELLORW_GET_LEN _IOR(HELLORW_MAGIC, 1, int)	/* 0x80046801 */
/* Forget the stored bytes (the argument is not used). */
#define HELLORW_CLEAR   _IOW(HELLORW_MAGIC, 2, int)	/* 0x40046802 */

#endif /* HELLORW_H */
