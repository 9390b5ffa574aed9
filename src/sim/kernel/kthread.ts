// Models: kernel work that runs outside any system call, such as the workqueue worker that handles
// a PCI hot-plug event (acpiphp's hotplug_event → enable_slot / disable_slot, in a kworker):
// it runs on the CPU in ring 0 on a kernel stack, so the driver code it reaches (probe, remove)
// executes as real machine code.
// Simplifies: no kworker task of its own and no scheduler: the work is entered from a two-
// instruction ring-0 stub (call work; hlt) on the kernel stack the TSS names (RSP0), with
// interrupts off; the stub lives at a page of the model's own kernel text.
import type { Kernel } from './kernel';
import type { HleBody } from './hle';
import { RSP } from '../cpu/state';
import { join, split } from './layout';

const STUB = 0xffffffff83ffb000n;
const stubs = new WeakSet<Kernel>();

/** Runs `body` (an emulated kernel function, usually a generator) as kernel work; its result, or why the machine stopped. */
export function runKernelWork(k: Kernel, name: string, source: string, body: HleBody, maxSteps = 2_000_000): number | string {
  const m = k.m;
  if (!stubs.has(k)) {
    k.mapRange(STUB, 4096, { writable: false, executable: true });
    k.writeBytes(STUB, [0xe8, 0x0b, 0, 0, 0, 0xf4]); // call STUB+0x10 ; hlt
    stubs.add(k);
  }
  m.hle.register(k.physical(STUB + 0x10n), { name, source, convention: 'sysv', body });
  const rsp0 = k.read64(join(m.s.tssBase) + 4n) ?? 0n; // the kernel stack, as an interrupt from ring 3 would find it
  m.set64(RSP, split(rsp0));
  m.s.cs = 0x10; // __KERNEL_CS
  m.s.ss = 0x18; // __KERNEL_DS
  m.s.rflags = 0x2;
  m.s.rip = split(STUB);
  m.s.halted = false;
  m.stopped = undefined;
  m.run(maxSteps);
  const stopped = m.stopped as { reason: string; detail: string } | undefined;
  if (stopped && stopped.reason !== 'halted') return stopped.detail;
  if (!stopped) return `it was stopped after its limit of ${maxSteps.toLocaleString('en')} instructions`;
  return Number(BigInt.asIntN(32, BigInt(m.lo(0))));
}
