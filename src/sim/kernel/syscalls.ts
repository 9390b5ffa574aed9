// Models: how a system call is dispatched in Linux 6.1 on x86-64: the `syscall` instruction
// (executed for real by the CPU: ring 3 → ring 0 at MSR_LSTAR) lands in entry_SYSCALL_64, real
// machine code (entry.ts, samples/kernel/entry_64.S) that swaps GS, switches to the task's kernel
// stack, builds struct pt_regs and calls do_syscall_64(regs, nr) — emulated here: x64_sys_call()
// picks the handler by its x86-64 number (arch/x86/entry/common.c, syscall_64.tbl) and the result
// goes to regs->ax, which the assembly restores into RAX before sysretq.
// Simplifies: syscall_enter/exit_from_user_mode (tracing, seccomp, signals, rescheduling) do
// nothing, and interrupts stay off for the whole call (6.1 turns them on in
// syscall_enter_from_user_mode()); no random kernel-stack offset (add_random_kstack_offset());
// only the listed system calls exist; any other number returns -ENOSYS.
import type { Kernel } from './kernel';
import type { GuestCall, HleFunction, HleResult } from './hle';
import type { U64 } from '../cpu/state';
import { subsystem } from './subsystems';
import { join } from './layout';
import { readPtRegsU64, writePtRegU64 } from './pt-regs';
import { close, dup2, ioctl, mknod, openat, readWrite } from './vfs';
import { noteSyscall } from './oops-state';

export const NR = { read: 0, write: 1, close: 3, ioctl: 16, dup2: 33, getpid: 39, exit: 60, init_module: 175, delete_module: 176, exit_group: 231, openat: 257, mknodat: 259, finit_module: 313 } as const;
const ENOSYS = -38, EBADF = -9, EFAULT = -14;

/**
 * do_syscall_64(struct pt_regs *regs, int nr), called by entry_SYSCALL_64 with the user's
 * registers saved in *regs: the arguments are regs->di, si, dx, r10, r8, r9; the result is stored
 * in regs->ax (which holds -ENOSYS until then).
 */
export function doSyscall64(k: Kernel): HleFunction {
  return {
    name: 'do_syscall_64',
    source: 'arch/x86/entry/common.c',
    convention: 'sysv',
    body: ({ arg, fn }) => {
      const regsAt = join(arg(0));
      const nr = arg(1).lo | 0; // int
      noteSyscall(k, fn, nr, regsAt); // what an oops's call trace shows below the driver
      const a = readPtRegsU64(k, regsAt, ['di', 'si', 'dx', 'r10', 'r8', 'r9']); // the fourth argument is in r10
      if (k.m.trace) k.m.emit({ kind: 'kernel/syscall-entered', nr, name: Object.entries(NR).find(([, n]) => n === nr)?.[0] ?? `syscall ${nr}` });
      if (nr === NR.exit_group || nr === NR.exit) return dispatch(k, nr, a); // does not return to user space
      return storeResult(k, regsAt, dispatch(k, nr, a));
    },
  };
}

/** regs->ax = the handler's result; also kept for the modelled user program that made the call. */
function* storeResult(k: Kernel, regsAt: bigint, g: Generator<GuestCall, HleResult, U64>): Generator<GuestCall, HleResult, U64> {
  const r = yield* g;
  const value: U64 = r === undefined ? { lo: 0, hi: 0 } : typeof r === 'number' ? { lo: r >>> 0, hi: r < 0 ? 0xffffffff : Math.floor(r / 0x100000000) >>> 0 } : r;
  writePtRegU64(k, regsAt, 'ax', value);
  k.lastSyscallResult = typeof r === 'number' ? r : Number(BigInt.asIntN(64, join(value)));
  return undefined; // do_syscall_64 is void
}

function* dispatch(k: Kernel, nr: number, a: U64[]): Generator<GuestCall, HleResult, U64> {
  const comm = k.currentComm;
  const flags = { sigEnforce: k.sigEnforce, lockdown: k.lockdown, ignoreModversions: false, ignoreVermagic: false, comm, keyring: k.keyring };
  switch (nr) {
    case NR.finit_module: {
      const file = k.files.get(a[0]!.lo);
      if (!file) return EBADF;
      return yield* subsystem(k, 'loader', 'finit_module').loadModule(k, { file, args: readUserString(k, a[1]!), flags });
    }
    case NR.init_module: {
      const len = a[1]!.lo;
      const image = readUser(k, a[0]!, len);
      if (!image) return EFAULT;
      return yield* subsystem(k, 'loader', 'init_module').loadModule(k, { file: image, args: readUserString(k, a[2]!), flags });
    }
    case NR.delete_module:
      return yield* subsystem(k, 'loader', 'delete_module').deleteModule(k, readUserString(k, a[0]!));
    case NR.exit:
    case NR.exit_group:
      if (k.process) k.process.exitStatus = a[0]!.lo & 0xff;
      k.m.stop('exited', `the process exited with status ${a[0]!.lo & 0xff}`);
      return 0;
    case NR.getpid:
      return k.process?.pid ?? 1;
    case NR.openat:
      return yield* openat(k, readUserString(k, a[1]!), a[2]!.lo);
    case NR.read:
      return yield* readWrite(k, a[0]!.lo, a[1]!, a[2]!, false);
    case NR.close:
      return yield* close(k, a[0]!.lo);
    case NR.dup2:
      return yield* dup2(k, a[0]!.lo, a[1]!.lo);
    case NR.ioctl:
      return yield* ioctl(k, a[0]!.lo, a[1]!, a[2]!);
    case NR.mknodat:
      return mknod(k, readUserString(k, a[1]!), a[2]!.lo, a[3]!.lo);
    case NR.write: {
      if (a[0]!.lo >= 3) return yield* readWrite(k, a[0]!.lo, a[1]!, a[2]!, true);
      // fd 1 and 2 go to the process's terminal; a bad buffer is -EFAULT (copy_from_user).
      if (!k.process || (a[0]!.lo !== 1 && a[0]!.lo !== 2)) return EBADF;
      const bytes = readUser(k, a[1]!, a[2]!.lo);
      if (!bytes) return EFAULT;
      k.process.stdout += String.fromCharCode(...bytes);
      return bytes.length;
    }
    default:
      return ENOSYS;
  }
}

/** copy_from_user of a whole buffer (the loader's copy of init_module's image). */
function readUser(k: Kernel, p: U64, len: number): Uint8Array | undefined {
  try {
    return Uint8Array.from(k.readBytes(join(p), len));
  } catch {
    return undefined;
  }
}

/** strndup_user(): a NUL-terminated string from user memory; a null pointer reads as "". */
function readUserString(k: Kernel, p: U64): string {
  return p.lo === 0 && p.hi === 0 ? '' : k.readCString(p);
}
