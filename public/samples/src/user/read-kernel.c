// SPDX-License-Identifier: GPL-2.0
/*
 * read-kernel.c - try to read kernel memory from ring 3 (Ring Zero, chapter 1).
 *
 * 0xffffffff81000000 is where the kernel's text starts without KASLR.
 * The page tables mark kernel pages supervisor-only (U/S = 0), so this
 * load raises a page fault (#PF) with CR2 = that address. The kernel
 * finds no user mapping there and sends SIGSEGV.
 */
#include "sys.h"

#define KERNEL_TEXT 0xffffffff81000000UL

void __attribute__((noreturn)) _start(void)
{
	/* volatile: the compiler must really perform this load. */
	volatile const unsigned char *p = (volatile const unsigned char *)KERNEL_TEXT;
	unsigned char first = *p;	/* #PF here */

	sys_exit_group(first);		/* never reached */
}
