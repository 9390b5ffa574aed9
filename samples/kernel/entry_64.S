/* SPDX-License-Identifier: GPL-2.0 */
/*
 * entry_64.S - the emulated kernel's entry code, as real x86-64 machine code (Ring Zero, issue 5).
 *
 * Written for the project, modelled on Linux 6.1's arch/x86/entry/entry_64.S (entry_SYSCALL_64,
 * the idtentry stubs, error_entry/error_return, paranoid_entry/paranoid_exit, irq_entries_start),
 * arch/x86/lib/retpoline.S (__x86_return_thunk), arch/x86/lib/copy_user_64.S
 * (copy_user_enhanced_fast_string and its tail handler) and lib/usercopy.c (_copy_to_user and
 * _copy_from_user, which gcc compiles from C in the real kernel). It is a smaller version of
 * those, not a copy: each part says below what it stands for and what it leaves out.
 *
 * Everything else of the kernel is emulated in TypeScript ("HLE", src/sim/kernel/hle.ts). The C
 * functions this code calls (do_syscall_64, exc_page_fault, ..., common_interrupt) are HLE
 * points: 16-byte slots of int3 in .text.hle whose addresses the emulator registers; when RIP
 * reaches one, its TypeScript body runs with the System V arguments and returns as `ret` would.
 *
 * Built by samples/kernel/build.sh: cpp (for the #includes below, from the pinned 6.1 headers),
 * GNU as, GNU ld with entry.ld. The emulator loads the result from src/sim/data/kernel-entry.json
 * without binutils.
 *
 * Left out everywhere, as the emulated CPU and configuration need none of it: page-table
 * isolation (SWITCH_TO_KERNEL_CR3/USER_CR3: the oracle's CPU is not affected by Meltdown, so
 * Debian's 6.1 runs without PTI there), the entry trampoline stack (TSS.sp0 is the task stack
 * here), IBRS/UNTRAIN_RET/branch-history mitigations, ORC unwind hints, kprobe blacklists,
 * Xen PV paths, espfix64, the randomised kernel-stack offset, and lockdep/context tracking.
 */
#include <asm/ptrace-abi.h>		/* R15 ... SS: the offsets of struct pt_regs, FRAME_SIZE */
#include <asm/trapnr.h>			/* X86_TRAP_DE ... */
#include <asm/extable_fixup_types.h>	/* EX_TYPE_COPY */

/* arch/x86/include/asm/segment.h: GDT_ENTRY_KERNEL_CS = 2, GDT_ENTRY_DEFAULT_USER_DS = 5,
 * GDT_ENTRY_DEFAULT_USER_CS = 6; user selectors have RPL 3. */
#define __KERNEL_CS		(2 * 8)
#define __USER_DS		(5 * 8 + 3)
#define __USER_CS		(6 * 8 + 3)

/* include/uapi/asm-generic/errno-base.h (ENOSYS is in errno.h) */
#define ENOSYS			38

/* struct x86_hw_tss (Intel SDM Vol. 3A, Figure 8-11): a reserved dword, then sp0, sp1, sp2. The
 * real kernel takes these from asm-offsets.h (OFFSET(TSS_sp0, tss_struct, x86_tss.sp0), ...). */
#define TSS_sp0			4
#define TSS_sp1			12
#define TSS_sp2			20
#define TSS_ist1		36

/* arch/x86/include/asm/processor-flags.h */
#define X86_EFLAGS_TF		0x100
#define X86_EFLAGS_RF		0x10000

/* arch/x86/include/asm/page_64_types.h with 4-level paging (the model has no LA57) */
#define __VIRTUAL_MASK_SHIFT	47
#define PAGE_SIZE		4096
#define TASK_SIZE_MAX		((1 << __VIRTUAL_MASK_SHIFT) - PAGE_SIZE)

/* arch/x86/include/asm/msr-index.h */
#define MSR_GS_BASE		0xc0000101

/* arch/x86/include/asm/irq_vectors.h and idtentry.h (no CONFIG_X86_KERNEL_IBT in Debian's 6.1) */
#define FIRST_EXTERNAL_VECTOR	0x20
#define FIRST_SYSTEM_VECTOR	0xec	/* LOCAL_TIMER_VECTOR */
#define NR_EXTERNAL_VECTORS	(FIRST_SYSTEM_VECTOR - FIRST_EXTERNAL_VECTOR)
#define IDT_ALIGN		8

/* arch/x86/include/asm/percpu.h: a per-CPU variable is an offset from the GS base */
#define PER_CPU_VAR(var)	%gs:var

/* arch/x86/include/asm/asm.h, with the _ASM_EXTABLE_TYPE layout of 6.1: three place-relative
 * words per entry (the faulting instruction, its fix-up, the type), read by fixup_exception(). */
#define _ASM_EXTABLE_TYPE(from, to, type)	\
	.pushsection "__ex_table", "a" ;	\
	.balign 4 ;				\
	.long (from) - . ;			\
	.long (to) - . ;			\
	.long type ;				\
	.popsection
#define _ASM_EXTABLE_CPY(from, to)	_ASM_EXTABLE_TYPE(from, to, EX_TYPE_COPY)

/* include/linux/linkage.h: SYM_CODE_START/END give each routine a symbol with a type and size,
 * so the symbol map (and %pS in an oops) can name any address inside it. */
.macro SYM_CODE_START name
	.globl \name
	.type \name, @function
\name:
.endm
.macro SYM_CODE_END name
	.size \name, . - \name
.endm
/* SYM_INNER_LABEL: a global label inside a routine (e.g. entry_SYSCALL_64_after_hwframe). */
.macro SYM_INNER_LABEL name
	.globl \name
	.type \name, @notype
\name:
.endm

/* RET with CONFIG_SLS=y: the int3 stops straight-line speculation past the ret. (The real
 * kernel's RET is `jmp __x86_return_thunk`, patched back to this by apply_returns() when the
 * CPU needs no return thunk.) */
#define RET	ret; int3

/* arch/x86/entry/calling.h: PUSH_REGS builds the general-register part of struct pt_regs below
 * the hardware frame and orig_ax, in the order of asm/ptrace-abi.h (di at 112 down to r15 at 0).
 * With save_ret=1 it is called, and keeps its return address on top. CLEAR_REGS then zeroes the
 * registers that user space controlled, so that no user value reaches speculation gadgets. */
.macro PUSH_AND_CLEAR_REGS rax=%rax save_ret=0
	.if \save_ret
	pushq	%rsi			/* pt_regs->si */
	movq	8(%rsp), %rsi		/* the return address, for now in rsi */
	movq	%rdi, 8(%rsp)		/* pt_regs->di, over the return address */
	.else
	pushq	%rdi			/* pt_regs->di */
	pushq	%rsi			/* pt_regs->si */
	.endif
	pushq	%rdx			/* pt_regs->dx */
	pushq	%rcx			/* pt_regs->cx */
	pushq	\rax			/* pt_regs->ax */
	pushq	%r8			/* pt_regs->r8 */
	pushq	%r9			/* pt_regs->r9 */
	pushq	%r10			/* pt_regs->r10 */
	pushq	%r11			/* pt_regs->r11 */
	pushq	%rbx			/* pt_regs->bx */
	pushq	%rbp			/* pt_regs->bp */
	pushq	%r12			/* pt_regs->r12 */
	pushq	%r13			/* pt_regs->r13 */
	pushq	%r14			/* pt_regs->r14 */
	pushq	%r15			/* pt_regs->r15 */
	.if \save_ret
	pushq	%rsi			/* the return address back on top */
	.endif
	xorl	%esi, %esi
	xorl	%edx, %edx
	xorl	%ecx, %ecx
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%ebx, %ebx
	xorl	%ebp, %ebp
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
.endm

/* calling.h: POP_REGS undoes PUSH_REGS; the exit to user space keeps rdi for last. */
.macro POP_REGS pop_rdi=1
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	.if \pop_rdi
	popq	%rdi
	.endif
.endm

/* ---------------------------------------------------------------------------------------------
 * Per-CPU variables (one CPU). Linked at address 0, as the kernel's .data..percpu is: each symbol
 * is an offset from the GS base, which holds this CPU's per-CPU area in ring 0. The emulator
 * maps the area and writes the values (src/sim/kernel/entry.ts); nothing here is loaded.
 */
	.section .data..percpu..first, "aw"
/* arch/x86/include/asm/processor.h: struct fixed_percpu_data, first in the area so that gcc's
 * stack protector finds the canary at %gs:0x28 (40 bytes of gs_base, then stack_canary). */
	.globl fixed_percpu_data
	.type fixed_percpu_data, @object
fixed_percpu_data:
	.skip 40			/* gs_base[40] */
	.skip 8				/* stack_canary, at %gs:0x28 */
	.size fixed_percpu_data, . - fixed_percpu_data

	.section .data..percpu..page_aligned, "aw"
/* arch/x86/kernel/process.c: DEFINE_PER_CPU_PAGE_ALIGNED(struct tss_struct, cpu_tss_rw). Only
 * its struct x86_hw_tss (104 bytes) is used here; the I/O bitmap lies beyond the TSS limit. */
	.balign PAGE_SIZE
	.globl cpu_tss_rw
	.type cpu_tss_rw, @object
cpu_tss_rw:
	.skip PAGE_SIZE
	.size cpu_tss_rw, . - cpu_tss_rw
/* arch/x86/kernel/cpu/common.c: DEFINE_PER_CPU_PAGE_ALIGNED(struct exception_stacks, ...): the
 * IST stacks. Only the double-fault stack (IST1, IST_INDEX_DF = 0) is kept. The real kernel
 * reaches it through its alias in the cpu_entry_area; here TSS.ist[0] points at it directly. */
	.globl exception_stacks
	.type exception_stacks, @object
exception_stacks:
	.skip PAGE_SIZE			/* DF_stack */
	.size exception_stacks, . - exception_stacks

	.section .data..percpu, "aw"
/* arch/x86/kernel/cpu/common.c: DEFINE_PER_CPU(unsigned long, cpu_current_top_of_stack): the top
 * of the running task's kernel stack, where entry_SYSCALL_64 builds pt_regs. */
	.balign 8
	.globl cpu_current_top_of_stack
	.type cpu_current_top_of_stack, @object
cpu_current_top_of_stack:
	.skip 8
	.size cpu_current_top_of_stack, 8

/* ---------------------------------------------------------------------------------------------
 * entry_SYSCALL_64: where `syscall` lands in ring 0 (MSR_LSTAR, set by syscall_init()).
 *
 * The CPU has loaded CS/SS from MSR_STAR, put the user RIP in rcx and RFLAGS in r11, masked
 * RFLAGS with MSR_SYSCALL_MASK (IF, TF, AC, DF ... cleared), and left rsp and GS as user space
 * had them. rax is the system-call number; rdi, rsi, rdx, r10, r8, r9 its arguments.
 */
	.code64
	.section .entry.text, "ax"

SYM_CODE_START entry_SYSCALL_64
	swapgs				/* GS base: user's -> this CPU's per-CPU area */
	/* tss.sp2 is scratch space: keep the user stack pointer there for a moment. */
	movq	%rsp, PER_CPU_VAR(cpu_tss_rw + TSS_sp2)
	movq	PER_CPU_VAR(cpu_current_top_of_stack), %rsp	/* the task's kernel stack */

SYM_INNER_LABEL entry_SYSCALL_64_safe_stack
	/* Construct struct pt_regs on the stack: first the frame an interrupt would have pushed. */
	pushq	$__USER_DS				/* pt_regs->ss */
	pushq	PER_CPU_VAR(cpu_tss_rw + TSS_sp2)	/* pt_regs->sp */
	pushq	%r11					/* pt_regs->flags */
	pushq	$__USER_CS				/* pt_regs->cs */
	pushq	%rcx					/* pt_regs->ip */
SYM_INNER_LABEL entry_SYSCALL_64_after_hwframe
	pushq	%rax					/* pt_regs->orig_ax: the call number */

	PUSH_AND_CLEAR_REGS rax=$-ENOSYS		/* pt_regs->ax: -ENOSYS until the call answers */

	movq	%rsp, %rdi		/* do_syscall_64(struct pt_regs *regs, */
	movslq	%eax, %rsi		/*               int nr): sign-extended, as syscall numbers are int */
	call	do_syscall_64		/* HLE: x64_sys_call() writes the result to regs->ax */

	/*
	 * Return with sysretq only to a clean 64-bit user context, as 6.1 checks it here: RCX must
	 * equal RIP and be canonical (Intel's sysret would #GP in ring 0 on a non-canonical RCX, with
	 * the user's stack), CS and SS must be what sysret loads, R11 must equal RFLAGS, and neither
	 * RF nor TF may be set. Anything else leaves through iretq.
	 */
	movq	RCX(%rsp), %rcx
	movq	RIP(%rsp), %r11
	cmpq	%rcx, %r11		/* SYSRET requires RCX == RIP */
	jne	swapgs_restore_regs_and_return_to_usermode

	shl	$(64 - (__VIRTUAL_MASK_SHIFT + 1)), %rcx	/* sign-extend from bit 47 ... */
	sar	$(64 - (__VIRTUAL_MASK_SHIFT + 1)), %rcx
	cmpq	%rcx, %r11		/* ... and if that changed it, it was not canonical */
	jne	swapgs_restore_regs_and_return_to_usermode

	cmpq	$__USER_CS, CS(%rsp)	/* CS must match SYSRET */
	jne	swapgs_restore_regs_and_return_to_usermode

	movq	R11(%rsp), %r11
	cmpq	%r11, EFLAGS(%rsp)	/* R11 == RFLAGS */
	jne	swapgs_restore_regs_and_return_to_usermode

	testq	$(X86_EFLAGS_RF | X86_EFLAGS_TF), %r11
	jnz	swapgs_restore_regs_and_return_to_usermode

	cmpq	$__USER_DS, SS(%rsp)	/* SS must match SYSRET */
	jne	swapgs_restore_regs_and_return_to_usermode

SYM_INNER_LABEL syscall_return_via_sysret
	POP_REGS			/* every user register back, rax now holding the result */
	/* The stack is now orig_ax, RIP, CS, EFLAGS, RSP, SS. 6.1 copies RSP and RDI to the entry
	 * trampoline stack first (for PTI); without it, the user RSP is loaded straight from here. */
	movq	RSP - ORIG_RAX(%rsp), %rsp
SYM_INNER_LABEL entry_SYSRETQ_unsafe_stack
	swapgs				/* GS base: per-CPU area -> user's */
	sysretq				/* RIP <- rcx, RFLAGS <- r11, CS/SS of ring 3 */
SYM_INNER_LABEL entry_SYSRETQ_end
	int3
SYM_CODE_END entry_SYSCALL_64

/* ---------------------------------------------------------------------------------------------
 * The IDT entry stubs (6.1's idtentry macro and the DECLARE_IDTENTRY* list of
 * arch/x86/include/asm/idtentry.h). The CPU arrives on the task's kernel stack (TSS.sp0, from
 * ring 3) or on the interrupted kernel stack, having pushed SS, RSP, RFLAGS, CS, RIP and, for
 * some vectors, an error code. The stub makes that a struct pt_regs and calls the C handler
 * cfunc(regs) or cfunc(regs, error_code).
 */
.macro idtentry vector asmsym cfunc has_error_code:req
	.p2align 4, 0xcc
SYM_CODE_START \asmsym
	clac				/* ASM_CLAC: no user access unless the handler asks (SMAP) */
	cld

	.if \has_error_code == 0
	pushq	$-1			/* orig_ax: no syscall to restart */
	.endif

	.if \vector == X86_TRAP_BP
	/* From kernel mode, leave a 6-word gap so that the int3 handler can emulate a call. */
	testb	$3, CS - ORIG_RAX(%rsp)
	jnz	.Lfrom_usermode_no_gap_\@
	.rept	6
	pushq	5*8(%rsp)
	.endr
.Lfrom_usermode_no_gap_\@:
	.endif

	call	error_entry		/* save the registers; swapgs if we came from ring 3 */
	movq	%rax, %rsp		/* error_entry returns where pt_regs is */

	movq	%rsp, %rdi		/* pt_regs pointer into the first argument */
	.if \has_error_code == 1
	movq	ORIG_RAX(%rsp), %rsi	/* the error code into the second */
	movq	$-1, ORIG_RAX(%rsp)	/* no syscall to restart */
	.endif

	call	\cfunc
	jmp	error_return
SYM_CODE_END \asmsym
.endm

/* idtentry_df: the double fault arrives on its own IST stack and is "straight paranoid": GS is
 * checked by reading MSR_GS_BASE instead of trusting CS. */
.macro idtentry_df vector asmsym cfunc
	.p2align 4, 0xcc
SYM_CODE_START \asmsym
	clac
	cld
	call	paranoid_entry
	movq	%rsp, %rdi		/* pt_regs pointer */
	movq	ORIG_RAX(%rsp), %rsi	/* the error code (always 0 for #DF) */
	movq	$-1, ORIG_RAX(%rsp)
	call	\cfunc
	jmp	paranoid_exit
SYM_CODE_END \asmsym
.endm

	.p2align 4, 0xcc
SYM_INNER_LABEL __irqentry_text_start

/* The exceptions this CPU model raises, with 6.1's names and error-code shapes. Left out: #DB,
 * NMI and #MC (paranoid IST entries for events the model never delivers), and #OF, #BR, #NM,
 * #MF, #XF, #VC (exceptions the model's CPU cannot raise). */
	idtentry	X86_TRAP_DE	asm_exc_divide_error		exc_divide_error		has_error_code=0
	idtentry	X86_TRAP_BP	asm_exc_int3			exc_int3			has_error_code=0
	idtentry	X86_TRAP_UD	asm_exc_invalid_op		exc_invalid_op			has_error_code=0
	idtentry	X86_TRAP_TS	asm_exc_invalid_tss		exc_invalid_tss			has_error_code=1
	idtentry	X86_TRAP_NP	asm_exc_segment_not_present	exc_segment_not_present		has_error_code=1
	idtentry	X86_TRAP_SS	asm_exc_stack_segment		exc_stack_segment		has_error_code=1
	idtentry	X86_TRAP_GP	asm_exc_general_protection	exc_general_protection		has_error_code=1
	idtentry	X86_TRAP_AC	asm_exc_alignment_check		exc_alignment_check		has_error_code=1
	idtentry	X86_TRAP_PF	asm_exc_page_fault		exc_page_fault			has_error_code=1
	idtentry_df	X86_TRAP_DF	asm_exc_double_fault		exc_double_fault

/* Device interrupts (idtentry_irq): the per-vector stub below pushes its vector where the error
 * code would be, so common_interrupt(regs, vector) finds it as its second argument. Aligned to
 * a cache line (CONFIG_X86_L1_CACHE_SHIFT = 6) as the hot path it is. */
	.p2align 6, 0xcc
	idtentry	FIRST_EXTERNAL_VECTOR	asm_common_interrupt	common_interrupt	has_error_code=1

	.p2align 4, 0xcc
SYM_INNER_LABEL __irqentry_text_end

/*
 * irq_entries_start: one IDT_ALIGN-byte stub per external vector (0x20 up to the first system
 * vector). The IDT gate of vector v points at irq_entries_start + (v - 0x20) * IDT_ALIGN
 * (idt_setup_apic_and_irq_gates()). Each pushes its vector as a sign-extended byte
 * (common_interrupt reads it back as (u8)) and jumps to asm_common_interrupt.
 */
	.p2align 3, 0xcc
SYM_CODE_START irq_entries_start
	vector = FIRST_EXTERNAL_VECTOR
	.rept	NR_EXTERNAL_VECTORS
0:	.byte	0x6a, vector		/* pushq $vector */
	jmp	asm_common_interrupt
	.fill	0b + IDT_ALIGN - ., 1, 0xcc
	vector = vector + 1
	.endr
SYM_CODE_END irq_entries_start

/*
 * error_entry: save all registers into pt_regs (PUSH_AND_CLEAR_REGS save_ret=1) and, when the
 * exception came from ring 3 (the RPL of the CS the CPU pushed), swapgs to the kernel's GS.
 * Returns the pt_regs pointer in rax. 6.1 also moves pt_regs from the entry stack to the task
 * stack (sync_regs) and repairs faults on the iretq to user space; here TSS.sp0 already is the
 * task stack and iretq's faults are not modelled.
 */
	.p2align 4, 0xcc
SYM_CODE_START error_entry
	PUSH_AND_CLEAR_REGS save_ret=1
	testb	$3, CS+8(%rsp)		/* from ring 3? (+8: our return address) */
	jz	.Lerror_kernelspace
	swapgs				/* user GS -> kernel GS */
.Lerror_kernelspace:
	leaq	8(%rsp), %rax		/* return the pt_regs pointer */
	RET
SYM_CODE_END error_entry

/* error_return: back to where the exception came from. */
SYM_CODE_START error_return
	testb	$3, CS(%rsp)
	jz	restore_regs_and_return_to_kernel
	jmp	swapgs_restore_regs_and_return_to_usermode
SYM_CODE_END error_return

/*
 * common_interrupt_return: the two ways out through iretq. To user space the user's GS comes
 * back with swapgs; to the kernel GS stays. (6.1 copies the iret frame to the entry trampoline
 * stack first, and checks for an LDT stack segment for espfix64: both left out.)
 */
SYM_CODE_START common_interrupt_return
SYM_INNER_LABEL swapgs_restore_regs_and_return_to_usermode
	POP_REGS
	addq	$8, %rsp		/* skip regs->orig_ax */
	swapgs				/* kernel GS -> user GS */
	jmp	native_irq_return_iret

SYM_INNER_LABEL restore_regs_and_return_to_kernel
	POP_REGS
	addq	$8, %rsp		/* skip regs->orig_ax */
SYM_INNER_LABEL native_irq_return_iret
	iretq				/* pops RIP, CS, RFLAGS, RSP, SS */
SYM_CODE_END common_interrupt_return

/*
 * paranoid_entry/paranoid_exit, for the double fault (without FSGSBASE, as on the oracle's CPU):
 * the kernel's convention is that a negative GS base is the kernel's, so MSR_GS_BASE says whether
 * to swapgs. ebx = 1: no swapgs needed on exit; ebx = 0: swapgs on exit.
 */
SYM_CODE_START paranoid_entry
	PUSH_AND_CLEAR_REGS save_ret=1
	movl	$1, %ebx
	movl	$MSR_GS_BASE, %ecx
	rdmsr
	testl	%edx, %edx
	js	.Lparanoid_kernel_gsbase
	xorl	%ebx, %ebx
	swapgs
.Lparanoid_kernel_gsbase:
	RET
SYM_CODE_END paranoid_entry

SYM_CODE_START paranoid_exit
	testl	%ebx, %ebx
	jnz	restore_regs_and_return_to_kernel
	swapgs
	jmp	restore_regs_and_return_to_kernel
SYM_CODE_END paranoid_exit

/* ---------------------------------------------------------------------------------------------
 * arch/x86/lib/copy_user_64.S: copy_user_enhanced_fast_string(rdi = to, rsi = from, edx = len),
 * the copy_user_generic() alternative the kernel patches in on a CPU with ERMS (and, with FSRM,
 * without the short-copy detour through copy_user_short_string: the model's CPU reports both).
 * Returns in eax the number of bytes NOT copied. stac/clac open and close the window in which
 * ring 0 may touch user pages (SMAP); the exception table sends a fault on the copying
 * instruction to the fix-up code.
 */
	.section .text, "ax"
	.p2align 4, 0xcc
SYM_CODE_START copy_user_enhanced_fast_string
	stac				/* ASM_STAC: RFLAGS.AC = 1, user pages accessible */
	movl	%edx, %ecx
1:	rep movsb			/* may fault: on a bad user address, continue at 12 */
	xorl	%eax, %eax		/* all copied */
	clac				/* ASM_CLAC */
	RET

12:	movl	%ecx, %edx		/* ecx: what was left when the fault hit */
	jmp	.Lcopy_user_handle_tail

	_ASM_EXTABLE_CPY(1b, 12b)
SYM_CODE_END copy_user_enhanced_fast_string

/*
 * .Lcopy_user_handle_tail: copy what can still be copied byte by byte, then return the number of
 * bytes left (edx on entry), with AC cleared. A fault here ends the copy at 2. ex_handler_copy()
 * put the trap number in eax; a machine check must not be retried.
 */
SYM_CODE_START copy_user_handle_tail
.Lcopy_user_handle_tail:
	cmp	$X86_TRAP_MC, %eax
	je	3f
	movl	%edx, %ecx
1:	rep movsb
2:	mov	%ecx, %eax
	clac
	RET
3:	movl	%edx, %eax
	clac
	RET

	_ASM_EXTABLE_CPY(1b, 2b)
SYM_CODE_END copy_user_handle_tail

/* ---------------------------------------------------------------------------------------------
 * lib/usercopy.c, as gcc compiles it for x86-64 (no INLINE_COPY_TO_USER): the out-of-line
 * _copy_to_user/_copy_from_user that the inline copy_to_user()/copy_from_user() of every driver
 * call. Linked at their real addresses in Debian's 6.1 (build.sh takes them from the real
 * kernel's /proc/kallsyms, src/sim/data/kernel-addresses.json), so modules' calls encode the
 * same displacements as on the real kernel. might_fault() and the fault-injection and KASAN/KCSAN
 * instrumentation hooks compile to nothing in this configuration and are left out.
 */
	.section .text._copy_to_user, "ax"
/* unsigned long _copy_to_user(void __user *to, const void *from, unsigned long n) */
SYM_CODE_START _copy_to_user
	/* access_ok(to, n) (asm-generic/access_ok.h): n <= TASK_SIZE_MAX && to <= TASK_SIZE_MAX - n */
	movabsq	$TASK_SIZE_MAX, %rax
	cmpq	%rax, %rdx
	ja	1f
	subq	%rdx, %rax
	cmpq	%rdi, %rax
	jb	1f
	/* raw_copy_to_user() -> copy_user_generic(to, from, (unsigned int)n) */
	call	copy_user_enhanced_fast_string
	movl	%eax, %eax		/* unsigned int -> unsigned long: bytes not copied */
	RET
1:	movq	%rdx, %rax		/* refused: nothing copied */
	RET
SYM_CODE_END _copy_to_user

	.section .text._copy_from_user, "ax"
/* unsigned long _copy_from_user(void *to, const void __user *from, unsigned long n) */
SYM_CODE_START _copy_from_user
	movq	%rdx, %rax		/* res = n */
	movabsq	$TASK_SIZE_MAX, %rcx	/* access_ok(from, n) */
	cmpq	%rcx, %rdx
	ja	1f
	subq	%rdx, %rcx
	cmpq	%rsi, %rcx
	jb	1f
	pushq	%rdi
	pushq	%rdx
	call	copy_user_enhanced_fast_string	/* res = raw_copy_from_user(to, from, n) */
	popq	%rdx
	popq	%rdi
	movl	%eax, %eax
1:	testq	%rax, %rax
	jnz	2f
	RET
	/* if (unlikely(res)) memset(to + (n - res), 0, res): never leave stale kernel bytes */
2:	addq	%rdx, %rdi
	subq	%rax, %rdi
	movq	%rax, %rcx
	movq	%rax, %rdx
	xorl	%eax, %eax
	rep stosb
	movq	%rdx, %rax
	RET
SYM_CODE_END _copy_from_user

/* ---------------------------------------------------------------------------------------------
 * arch/x86/lib/retpoline.S: __x86_return_thunk, where every `jmp __x86_return_thunk` that ends a
 * function in a module lands (CONFIG_RETHUNK). Without a return-thunk mitigation in force it is
 * just a return. Linked at its real address (see above).
 */
	.section .text.__x86_return_thunk, "ax"
SYM_CODE_START __x86_return_thunk
	ret
	int3
SYM_CODE_END __x86_return_thunk

/* ---------------------------------------------------------------------------------------------
 * The C functions this code calls, emulated in TypeScript: an HLE point each (16 bytes of int3
 * that never execute: the emulator runs the function when RIP reaches its address).
 */
.macro hle_point name
	.p2align 4, 0xcc
	.globl \name
	.type \name, @function
\name:
	.fill	16, 1, 0xcc
	.size \name, 16
.endm
	.section .text.hle, "ax"
	hle_point do_syscall_64			/* arch/x86/entry/common.c */
	hle_point exc_divide_error		/* arch/x86/kernel/traps.c */
	hle_point exc_int3
	hle_point exc_invalid_op
	hle_point exc_invalid_tss
	hle_point exc_segment_not_present
	hle_point exc_stack_segment
	hle_point exc_general_protection
	hle_point exc_alignment_check
	hle_point exc_double_fault
	hle_point exc_page_fault		/* arch/x86/mm/fault.c */
	hle_point common_interrupt		/* arch/x86/kernel/irq.c */
