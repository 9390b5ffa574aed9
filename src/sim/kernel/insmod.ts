// Models: what happens between `insmod hello.ko` and the kernel's answer, for the command line and
// tests: the image is handed to load_module() as finit_module would, on a kernel thread in ring 0.
// Simplifies: the system call itself (a real `syscall` from ring 3) arrives with issue 5; here a
// two-instruction ring-0 stub (call load_module; hlt) enters the loader.
import type { Kernel } from './kernel';
import type { HleFunction } from './hle';
import type { LoadRequest } from './loader/load-module';
import { subsystem } from './subsystems';
import { insmodError } from './loader/errno';
import { split } from './layout';
import { RSP } from '../cpu/state';
import { takeKilled } from './oops-state';

export interface InsmodResult {
  errno: number;
  /** insmod's own line on failure, as kmod prints it. */
  message?: string;
}

const STUB = 0xffffffff83fff000n; // a page of the model's kernel text for the stub

export function insmod(k: Kernel, fileName: string, req: LoadRequest, maxSteps = 1_000_000): InsmodResult {
  const errno = runInKernel(k, { name: 'load_module', source: 'kernel/module/main.c', convention: 'sysv', body: () => subsystem(k, 'loader', 'load_module').loadModule(k, req) }, maxSteps);
  if (typeof errno === 'string') return { errno: -5, message: `insmod: the machine stopped: ${errno}` };
  return errno === 0 ? { errno } : { errno, message: `insmod: ERROR: could not insert module ${fileName}: ${insmodError(errno)}` };
}

/**
 * What the kernel answers to `delete_module(name)`. (kmod's rmmod checks /sys/module first and
 * may refuse without asking the kernel; that user-space side arrives with issue 5.)
 */
export function deleteModuleCall(k: Kernel, name: string, maxSteps = 1_000_000): number | string {
  return runInKernel(k, { name: 'delete_module', source: 'kernel/module/main.c', convention: 'sysv', body: () => subsystem(k, 'loader', 'delete_module').deleteModule(k, name) }, maxSteps);
}

/** Runs an emulated kernel function on the ring-0 stub; its result, or why the machine stopped. */
export function runInKernel(k: Kernel, entry: HleFunction, maxSteps: number): number | string {
  if (!k.symbols.has('@stub')) {
    k.mapRange(STUB, 4096, { writable: false, executable: true });
    k.writeBytes(STUB, [0xe8, 0x0b, 0, 0, 0, 0xf4]); // call STUB+0x10 ; hlt
    k.symbols.set('@stub', { name: '@stub', crc: 0, gpl: false, namespace: '', address: STUB, owner: 'vmlinux', kind: 'function' });
  }
  k.m.hle.register(k.physical(STUB + 0x10n), entry);
  k.m.s.rip = split(STUB);
  k.m.s.halted = false;
  k.m.stopped = undefined;
  const rsp = k.m.get64(RSP);
  k.m.run(maxSteps);
  k.m.set64(RSP, rsp);
  const stopped = k.m.stopped as { reason: string; detail: string } | undefined;
  takeKilled(k); // an oops kills the kernel thread; its end is the stop reported here
  if (stopped && stopped.reason !== 'halted') return stopped.detail;
  return Number(BigInt.asIntN(32, BigInt(k.m.lo(0))));
}
