// Models: the kernel state an oops reads and leaves behind (Linux 6.1): die_counter and
// exec_summary_regs (arch/x86/kernel/dumpstack.c), last_unloaded_module (kernel/module/main.c),
// debug_locks turned off by oops_enter() (kernel/panic.c), and what the unwinder needs to know
// about the emulated kernel functions in progress: the system call the task is in, with the user
// registers entry_SYSCALL_64 saved (pt_regs), and whether its open went through misc_open.
// Simplifies: one task at a time, as the rest of the model; the record of the system call is
// kept by the model's syscall entry (an HLE function) instead of being read from a real stack.
import type { Kernel } from './kernel';
import type { HleFunction } from './hle';
import type { PtRegs } from './oops-regs';
import type { LoadedModule } from './loader/module';
import { moduleFlags } from './loader/module-flags';

export interface SyscallInProgress {
  /** The emulated entry function whose generator is waiting while driver code runs. */
  fn: HleFunction;
  nr: number;
  /** The task's user registers as entry_SYSCALL_64 saved them. */
  regs: PtRegs;
  /** This openat reached the driver through misc_open (drivers/char/misc.c). */
  misc: boolean;
}

export interface OopsState {
  /** die_counter: the number printed as [#n]. */
  dieCounter: number;
  /** exec_summary_regs: the first oops's registers, printed again after every "end trace". */
  execSummary: PtRegs | undefined;
  syscall: SyscallInProgress | undefined;
  /** The signal an oops killed the running task with (make_task_dead), until it is reaped; 0 if none. */
  killed: number;
  /** last_unloaded_module: name and module_flags(mod, buf, false). */
  lastUnloaded: { name: string; taints: string } | undefined;
}

const states = new WeakMap<Kernel, OopsState>();

export function oopsState(k: Kernel): OopsState {
  let s = states.get(k);
  if (!s) states.set(k, (s = { dieCounter: 0, execSummary: undefined, syscall: undefined, killed: 0, lastUnloaded: undefined }));
  return s;
}

/** Called by the system-call entry with the user's saved registers (as a Uint32Array register file). */
export function noteSyscall(k: Kernel, fn: HleFunction, nr: number, user: Uint32Array) {
  const r = (i: number) => (BigInt(user[i * 2 + 1]!) << 32n) | BigInt(user[i * 2]!);
  // entry_SYSCALL_64: pt_regs->ip = RCX (the return address syscall saved), flags = R11, the user's
  // RSP, CS/SS of ring 3; ax = -ENOSYS until do_syscall_64 stores the result; orig_ax = the number.
  const regs: PtRegs = {
    ax: BigInt.asUintN(64, -38n), bx: r(3), cx: r(1), dx: r(2), si: r(6), di: r(7), bp: r(5),
    r8: r(8), r9: r(9), r10: r(10), r11: r(11), r12: r(12), r13: r(13), r14: r(14), r15: r(15),
    ip: r(1), cs: 0x33n, flags: r(11), sp: r(4), ss: 0x2bn, orig_ax: BigInt(nr),
  };
  oopsState(k).syscall = { fn, nr, regs, misc: false };
}

/** chrdev_open() handed the open to misc_open(). */
export function noteMiscOpen(k: Kernel) {
  const s = oopsState(k).syscall;
  if (s) s.misc = true;
}

/** free_module(): the name and taint flags of the last module unloaded, for "Modules linked in:". */
export function noteUnloaded(k: Kernel, mod: LoadedModule) {
  oopsState(k).lastUnloaded = { name: mod.name, taints: moduleFlags(mod, false) };
}

/** The signal that killed the task that just ran (9 after a page-fault oops, 11 after die()), or 0; reading it reaps the task. */
export function takeKilled(k: Kernel): number {
  const s = oopsState(k);
  const signal = s.killed;
  s.killed = 0;
  return signal;
}
