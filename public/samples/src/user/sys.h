/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys.h - Linux system calls on x86-64 without a C library (Ring Zero samples).
 *
 * The user programs are built with -nostdlib: there is no libc, no printf
 * and no crt0. They start at _start and talk to the kernel only through
 * the `syscall` instruction, using the x86-64 Linux convention:
 *
 *   rax = system call number      (see arch/x86/entry/syscalls/syscall_64.tbl)
 *   rdi, rsi, rdx, r10, r8, r9 = arguments 1..6  (r10, not rcx: see below)
 *   rax = result on return; -4095..-1 means -errno
 *
 * `syscall` itself overwrites rcx (saved RIP) and r11 (saved RFLAGS),
 * so both are listed as clobbered, and "memory" tells the compiler the
 * kernel may read or write memory we pointed it at.
 */
#ifndef RING0_SYS_H
#define RING0_SYS_H

typedef unsigned long size_t;
typedef long ssize_t;

/* x86-64 system call numbers (Linux 6.1 syscall_64.tbl). */
#define SYS_read        0
#define SYS_write       1
#define SYS_close       3
#define SYS_ioctl       16
#define SYS_getpid      39
#define SYS_exit_group  231
#define SYS_openat      257

#define AT_FDCWD  (-100)	/* openat: relative paths start at the cwd */
#define O_RDONLY  0
#define O_WRONLY  1
#define O_RDWR    2

#define STDOUT_FILENO 1

static inline long sys_call1(long n, long a1)
{
	long ret;
	asm volatile ("syscall"
		      : "=a" (ret)
		      : "a" (n), "D" (a1)
		      : "rcx", "r11", "memory");
	return ret;
}

static inline long sys_call3(long n, long a1, long a2, long a3)
{
	long ret;
	asm volatile ("syscall"
		      : "=a" (ret)
		      : "a" (n), "D" (a1), "S" (a2), "d" (a3)
		      : "rcx", "r11", "memory");
	return ret;
}

static inline long sys_call4(long n, long a1, long a2, long a3, long a4)
{
	long ret;
	/* There is no register constraint letter for r10: bind it by name. */
	register long r10 asm("r10") = a4;
	asm volatile ("syscall"
		      : "=a" (ret)
		      : "a" (n), "D" (a1), "S" (a2), "d" (a3), "r" (r10)
		      : "rcx", "r11", "memory");
	return ret;
}

static inline ssize_t sys_read(int fd, void *buf, size_t count)
{
	return sys_call3(SYS_read, fd, (long)buf, (long)count);
}

static inline ssize_t sys_write(int fd, const void *buf, size_t count)
{
	return sys_call3(SYS_write, fd, (long)buf, (long)count);
}

static inline int sys_openat(int dirfd, const char *path, int flags, int mode)
{
	return sys_call4(SYS_openat, dirfd, (long)path, flags, mode);
}

static inline int sys_close(int fd)
{
	return sys_call1(SYS_close, fd);
}

static inline long sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	return sys_call3(SYS_ioctl, fd, cmd, (long)arg);
}

static inline int sys_getpid(void)
{
	long ret;
	asm volatile ("syscall" : "=a" (ret) : "a" (SYS_getpid)
		      : "rcx", "r11", "memory");
	return ret;
}

/* Ends the whole process; never returns. */
static inline __attribute__((noreturn)) void sys_exit_group(int status)
{
	sys_call1(SYS_exit_group, status);
	__builtin_unreachable();
}

/* The length of a NUL-terminated string (no libc strlen here). */
static inline size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

#endif /* RING0_SYS_H */
