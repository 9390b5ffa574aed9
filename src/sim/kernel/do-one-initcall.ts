// Models: do_one_initcall() of init/main.c for one function — the call in ring 0 with
// initcall_debug's "calling" and "initcall … returned" lines — and %pS of a kernel address, which
// both a boot's initcalls (initcalls.ts) and a module's init (loader/load-module.ts) use. Kept apart
// from initcalls.ts so that loading a module does not bring in the boot with a built-in image.
// Simplifies: see initcalls.ts.
import type { Kernel } from './kernel';
import type { GuestCall } from './hle';
import type { U64 } from '../cpu/state';
import { join, split } from './layout';
import { moduleSymbolName } from './loader/kallsyms';
import { subsystem } from './subsystems';

/** %pS of a kernel address: the built-in image's kallsyms, else a module's (with " [module]"), else the bare address. */
export function kernelSymbolName(k: Kernel, address: bigint): string {
  // k.builtin is set only by a boot with the built-in image, which the builtin subsystem makes.
  const builtin = k.builtin && subsystem(k, 'builtin', '%pS of a built-in address').vmlinuxSymbolName(k.builtin, address);
  if (builtin) return builtin;
  for (const mod of k.modules.values()) {
    const name = moduleSymbolName(mod, address);
    if (name) return name;
  }
  return `0x${address.toString(16)}`;
}

/**
 * do_one_initcall(fn): the call in ring 0, with initcall_debug's two lines around it. pid is
 * task_pid_nr(current): 1 during boot, the insmod process for a module's init.
 */
export function* doOneInitcall(k: Kernel, fn: bigint, pid: number): Generator<GuestCall, number, U64> {
  const name = k.initcallDebug ? kernelSymbolName(k, fn) : '';
  let calltime = 0;
  if (k.initcallDebug) {
    k.printk(7, `calling  ${name} @ ${pid}`);
    calltime = k.clockNs;
  }
  const rax = yield { address: split(fn), args: [] };
  const ret = Number(BigInt.asIntN(32, join(rax)));
  if (k.initcallDebug) {
    const rettime = k.clockNs;
    k.printk(7, `initcall ${name} returned ${ret} after ${Math.trunc((rettime - calltime) / 1000)} usecs`);
  }
  return ret;
}
