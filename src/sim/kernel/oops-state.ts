// Models: the kernel state an oops reads and leaves behind (Linux 6.1): die_counter and
// exec_summary_regs (arch/x86/kernel/dumpstack.c), last_unloaded_module (kernel/module/main.c),
// debug_locks turned off by oops_enter() (kernel/panic.c), and what the unwinder needs to know
// about the emulated kernel functions in progress: the system call the task is in, where
// entry_SYSCALL_64 saved the user registers (struct pt_regs on the kernel stack), and whether its
// open went through misc_open.
// Simplifies: one task at a time, as the rest of the model; which system call is in progress is
// noted by do_syscall_64 (an HLE function) instead of being found by unwinding a real stack (the
// user registers themselves are read from the pt_regs the assembled entry code built).
import type { Kernel } from './kernel';
import type { HleFunction } from './hle';
import type { PtRegs } from './oops-regs';
import type { LoadedModule } from './loader/module';
import { moduleFlags } from './loader/module-flags';

export interface SyscallInProgress {
  /** The emulated entry function whose generator is waiting while driver code runs. */
  fn: HleFunction;
  nr: number;
  /** The address of the struct pt_regs entry_SYSCALL_64 built on the kernel stack (do_syscall_64's regs). */
  regsAt: bigint;
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

/** Called by do_syscall_64(regs, nr) with the pt_regs entry_SYSCALL_64 built. */
export function noteSyscall(k: Kernel, fn: HleFunction, nr: number, regsAt: bigint) {
  oopsState(k).syscall = { fn, nr, regsAt, misc: false };
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
