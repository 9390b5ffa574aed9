// SPDX-License-Identifier: GPL-2.0
/*
 * busy-loop.c - count to 100 million, then exit (Ring Zero benchmark).
 *
 * The same bytes run natively (`time ./busy-loop`) and in the emulator,
 * which gives the emulator's speed as a fraction of the real CPU's.
 * The loop does no system call until the end.
 *
 * The compiler must not replace the loop by its result, so the running
 * value lives in a register the compiler cannot see through: the empty
 * asm statement says "x may have changed here". The exit status is the
 * low byte of the final value, which depends on every iteration.
 */
#include "sys.h"

#define ITERATIONS 100000000UL

void __attribute__((noreturn)) _start(void)
{
	unsigned long i, x = 0;

	for (i = 0; i < ITERATIONS; i++) {
		x += i ^ (x >> 3);	/* cheap, but each step needs the last */
		asm volatile ("" : "+r" (x));
	}
	sys_exit_group((int)(x & 0xff));
}
