// SPDX-License-Identifier: GPL-2.0
/*
 * cli.c - try to switch interrupts off from ring 3 (Ring Zero, chapter 1).
 *
 * `cli` clears RFLAGS.IF. It is allowed only when CPL <= IOPL, and Linux
 * runs user programs at CPL 3 with IOPL 0, so the CPU refuses: it raises
 * a general-protection fault, #GP(0), before the instruction does anything.
 * The kernel's #GP handler sees the fault came from user mode and sends
 * SIGSEGV; the shell reports "Segmentation fault". The write below never
 * runs.
 */
#include "sys.h"

static const char msg[] = "interrupts are off?!\n";

void __attribute__((noreturn)) _start(void)
{
	asm volatile ("cli");	/* #GP(0) at CPL 3 */
	sys_write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	sys_exit_group(0);
}
