// Models: how a system call reaches the kernel in Linux 6.1 on x86-64: the `syscall` instruction
// (executed for real by the CPU: ring 3 → ring 0 at MSR_LSTAR), entry_SYSCALL_64 switching to the
// task's kernel stack, do_syscall_64 dispatching on RAX through sys_call_table (x86-64 numbers),
// and the return to user space with sysretq (arch/x86/entry/entry_64.S, common.c).
// Simplifies: the entry code itself (swapgs, the stack switch, pt_regs, sysretq) is carried out in
// TypeScript here; the assembled entry code modelled on 6.1's arrives with issue 5. Only the
// module system calls and exit_group exist; any other number returns -ENOSYS.
import type { Kernel } from './kernel';
import type { GuestCall, HleFunction, HleResult } from './hle';
import type { Machine } from '../machine';
import { R11, RAX, RCX, RDI, RDX, RSI, RSP, type U64 } from '../cpu/state';
import { loadModule } from './loader/load-module';
import { deleteModule } from './loader/delete-module';
import { join, split } from './layout';
import { close, ioctl, mknod, openat, readWrite } from './vfs';
import { noteSyscall } from './oops-state';

export const NR = { read: 0, write: 1, close: 3, ioctl: 16, getpid: 39, exit: 60, init_module: 175, delete_module: 176, exit_group: 231, openat: 257, mknodat: 259, finit_module: 313 } as const;
const ENOSYS = -38, EBADF = -9, EFAULT = -14;

/**
 * The return: user registers come back from pt_regs (all but RAX, which holds the result), then
 * sysretq's effect (Intel SDM SYSRET): RIP ← RCX, RFLAGS ← R11 masked, CS/SS of ring 3.
 */
function returnToUser(m: Machine, ptRegs: Uint32Array) {
  const rax = m.get64(RAX);
  m.s.regs.set(ptRegs);
  m.set64(RAX, rax);
  m.nextLo = m.lo(RCX);
  m.nextHi = m.hi(RCX);
  m.s.rflags = ((m.lo(R11) & 0x3c7fd7) | 2) >>> 0;
  m.s.cs = 0x33;
  m.s.ss = 0x2b;
  m.emit({ kind: 'cpu/ring-changed', from: 0, to: 3, cause: 'sysret' });
}

/** entry_SYSCALL_64 and do_syscall_64 as one emulated function at MSR_LSTAR. */
export function syscallEntry(k: Kernel, kernelStackTop: bigint): HleFunction {
  const ptRegs = new Uint32Array(32); // the user's registers, as entry_SYSCALL_64 pushes them (pt_regs)
  return {
    name: 'entry_SYSCALL_64',
    source: 'arch/x86/entry/entry_64.S',
    convention: 'sysv',
    exit: (m) => returnToUser(m, ptRegs),
    body: ({ m, fn }) => {
      ptRegs.set(m.s.regs);
      noteSyscall(k, fn, m.lo(RAX), ptRegs); // what an oops's call trace shows below the driver
      m.set64(RSP, split(kernelStackTop)); // movq PER_CPU_VAR(cpu_current_top_of_stack), %rsp
      const nr = m.lo(RAX);
      const a = [m.get64(RDI), m.get64(RSI), m.get64(RDX), m.get64(10)]; // the fourth argument is in r10
      m.emit({ kind: 'kernel/syscall-entered', nr, name: Object.entries(NR).find(([, n]) => n === nr)?.[0] ?? `syscall ${nr}` });
      return nr === NR.exit_group || nr === NR.exit ? dispatch(k, nr, a) : recordResult(k, dispatch(k, nr, a));
    },
  };
}

/** Keeps the result for the modelled user program that made the call (it reads RAX in reality). */
function* recordResult(k: Kernel, g: Generator<GuestCall, HleResult, U64>): Generator<GuestCall, HleResult, U64> {
  const r = yield* g;
  k.lastSyscallResult = typeof r === 'number' ? r : 0;
  return r;
}

function* dispatch(k: Kernel, nr: number, a: U64[]): Generator<GuestCall, HleResult, U64> {
  const comm = k.currentComm;
  const flags = { sigEnforce: k.sigEnforce, lockdown: k.lockdown, ignoreModversions: false, ignoreVermagic: false, comm, keyring: k.keyring };
  switch (nr) {
    case NR.finit_module: {
      const file = k.files.get(a[0]!.lo);
      if (!file) return EBADF;
      return yield* loadModule(k, { file, args: readUserString(k, a[1]!), flags });
    }
    case NR.init_module: {
      const len = a[1]!.lo;
      const image = readUser(k, a[0]!, len);
      if (!image) return EFAULT;
      return yield* loadModule(k, { file: image, args: readUserString(k, a[2]!), flags });
    }
    case NR.delete_module:
      return yield* deleteModule(k, readUserString(k, a[0]!));
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
