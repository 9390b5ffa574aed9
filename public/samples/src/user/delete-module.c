// SPDX-License-Identifier: GPL-2.0
/*
 * delete-module.c - ask the kernel itself to unload a module (Ring Zero).
 *
 *     delete-module NAME [0]
 *
 * kmod's rmmod reads /sys/module/NAME/refcnt and holders/ first and, if
 * the module is in use, refuses without ever asking the kernel. This
 * program skips those checks: it makes the delete_module system call
 * (number 176) itself, with O_NONBLOCK as rmmod passes it (or with flags
 * 0 when the second argument is "0"), so the kernel's own checks answer:
 * -EWOULDBLOCK (= -EAGAIN, errno 11) while someone holds the module.
 *
 * It prints the call and the kernel's answer, and exits with 0 or the
 * errno. There is no C library: the arguments come from the stack the
 * kernel built at exec (argc, then the argv pointers), read by the
 * assembly entry point below.
 */
#include "sys.h"

#define SYS_delete_module 176
#define O_NONBLOCK 04000

/*
 * At exec the kernel leaves RSP pointing at argc, with argv[0..argc-1]
 * and a NULL just above it. _start passes that address to start_c in
 * rdi and keeps the stack 16-byte aligned for the call.
 */
asm(".globl _start\n"
    "_start:\n"
    "\tmov %rsp, %rdi\n"
    "\tand $-16, %rsp\n"
    "\tcall start_c\n");

/* The errors delete_module can return, with glibc's words for them. */
static const char *const err_name[] = {
	[1] = "EPERM (Operation not permitted)",
	[2] = "ENOENT (No such file or directory)",
	[4] = "EINTR (Interrupted system call)",
	[11] = "EAGAIN (Resource temporarily unavailable)",
	[14] = "EFAULT (Bad address)",
	[16] = "EBUSY (Device or resource busy)",
};

static char out[160];
static size_t len;

static void put(const char *s)
{
	while (*s && len < sizeof(out))
		out[len++] = *s++;
}

static void put_dec(unsigned long v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n && len < sizeof(out))
		out[len++] = digits[--n];
}

void __attribute__((noreturn, used)) start_c(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	unsigned long flags = O_NONBLOCK;
	long r;

	if (argc < 2 || argc > 3 || (argc == 3 && (argv[2][0] != '0' || argv[2][1]))) {
		put("usage: delete-module NAME [0]\n");
		sys_write(2, out, len);
		sys_exit_group(2);
	}
	if (argc == 3)
		flags = 0;

	r = sys_call3(SYS_delete_module, (long)argv[1], flags, 0);

	put("delete_module(\"");
	put(argv[1]);
	put(flags ? "\", O_NONBLOCK) = " : "\", 0) = ");
	if (r == 0) {
		put("0\n");
	} else {
		put("-1, errno ");
		put_dec(-r);
		put(" ");
		put(-r < (long)(sizeof(err_name) / sizeof(err_name[0])) && err_name[-r] ? err_name[-r] : "(unexpected)");
		put("\n");
	}
	sys_write(STDOUT_FILENO, out, len);
	sys_exit_group(r ? -r : 0);
}
