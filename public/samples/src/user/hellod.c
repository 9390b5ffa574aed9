// SPDX-License-Identifier: GPL-2.0
/*
 * hellod.c - hello.ko's read() served by a driver process (Ring Zero, chapter 13).
 *
 * NOT FOR LINUX. Linux has no such calls: this program runs only on the
 * book's emulator, whose kernel MODELS the synchronous message passing of
 * microkernels such as MINIX 3 and seL4, where a driver is an ordinary
 * process in ring 3. The emulated kernel turns a client's read() of
 * /dev/hello into a request message, switches to this process, and
 * returns from its ipc_recv() with the request in `req`. We answer with
 * ipc_reply_recv(): the kernel copies our reply into the client's buffer,
 * switches back to the client, and we wait for the next request.
 *
 * The same cat-hello program that reads hello.ko's "Hello from ring 0!"
 * prints "Hello from user space!" when this driver serves /dev/hello.
 */
#include "sys.h"

/*
 * The call numbers are seL4's (non-MCS): seL4_SysRecv = -5 and
 * seL4_SysReplyRecv = -2. The arguments (rdi, rsi, rdx, r10) are the
 * emulator's own, not seL4's message registers.
 */
#define SYS_ipc_recv		(-5)	/* wait for a request */
#define SYS_ipc_reply_recv	(-2)	/* answer it, then wait for the next */

#define REQ_READ	0

/* The request message the kernel writes into our memory. */
struct request {
	long op;	/* REQ_READ */
	long count;	/* bytes the client asked for */
	long pos;	/* the client's file position */
};

static const char hello_msg[] = "Hello from user space!\n";
static struct request req;
static volatile char reply[64];	/* volatile: a plain loop, no memcpy call */

/* What hello_read() does with simple_read_from_buffer(), done in ring 3. */
static long serve_read(void)
{
	long left = (long)sizeof(hello_msg) - 1 - req.pos;
	long n = req.count, i;

	if (req.pos < 0 || left <= 0)
		return 0;		/* end of file */
	if (n > left)
		n = left;
	if (n > (long)sizeof(reply))
		n = sizeof(reply);
	for (i = 0; i < n; i++)
		reply[i] = hello_msg[req.pos + i];
	return n;
}

void __attribute__((noreturn)) _start(void)
{
	long len;

	sys_call3(SYS_ipc_recv, (long)&req, sizeof(req), 0);
	for (;;) {
		len = req.op == REQ_READ ? serve_read() : -22;	/* -EINVAL */
		sys_call4(SYS_ipc_reply_recv, (long)reply, len,
			  (long)&req, sizeof(req));
	}
}
