// Models: the emulator's event log — what the machine did, step by step, as flat data a widget
// can draw without reading machine internals (../../README.md; architecture §1 "SimEvent").
// Simplifies: instruction text is produced lazily by describe(), from the bytes recorded here.
import type { WalkStep } from './mem/paging';
import { hex64, type U64 } from './cpu/state';
import { VECTOR_NAMES } from './cpu/fault';
import { decode } from './cpu/decode';
import { formatIntel } from './cpu/disasm';

/** Intel-syntax text of recorded instruction bytes, made only when someone reads the event. */
export function disassemble(bytes: number[], rip: U64): string {
  const r = decode(bytes, 0, rip.lo, rip.hi);
  return r.ok ? formatIntel(r.insn).replace(/\s+/, ' ') : `(bytes ${bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')})`;
}

export type RingCause = 'syscall' | 'sysret' | 'interrupt' | 'exception' | 'iret';

export type SimEvent =
  | { kind: 'cpu/executed'; rip: U64; bytes: number[]; cpl: number }
  | { kind: 'cpu/register-written'; reg: string; before: U64; after: U64 }
  | { kind: 'mem/written'; address: U64; size: number; value: U64 }
  | { kind: 'cpu/ring-changed'; from: number; to: number; cause: RingCause; vector?: number }
  | { kind: 'mmu/walked'; address: U64; access: 'read' | 'write' | 'fetch'; steps: WalkStep[]; ok: boolean; errorCode?: number }
  | { kind: 'cpu/faulted'; vector: number; errorCode?: number; rip: U64; cr2?: U64; reason: string }
  | { kind: 'cpu/interrupted'; vector: number; rip: U64 }
  | { kind: 'cpu/halted'; rip: U64 }
  | { kind: 'kernel/printk'; level: number; text: string; timeNs: number }
  | { kind: 'loader/stage-finished'; stage: string; source: string; ok: boolean; errno?: number; detail: string }
  | { kind: 'loader/symbol-resolved'; module: string; name: string; address: U64; owner: string; crc: number }
  | {
      kind: 'loader/reloc-applied'; module: string; section: string; offset: number; type: string; formula: string;
      S: U64; A: U64; P: U64; value: U64; before: number[]; after: number[]; ok: boolean;
    }
  | { kind: 'loader/code-patched'; module: string; why: 'ftrace_module_init' | 'apply_returns'; address: U64; before: number[]; after: number[] }
  | { kind: 'loader/init-called'; module: string; address: U64 }
  | { kind: 'vfs/chrdev-registered'; major: number; name: string }
  | { kind: 'vfs/misc-registered'; minor: number; name: string }
  | { kind: 'vfs/node-created'; path: string; major: number; minor: number }
  | { kind: 'vfs/opened'; path: string; fd: number; fops: U64 }
  | { kind: 'bus/driver-registered'; bus: string; name: string }
  | { kind: 'kernel/hle-entered'; name: string; source: string }
  | { kind: 'kernel/hle-returned'; name: string; result: U64 }
  | { kind: 'kernel/guest-called'; from: string; address: U64 }
  | { kind: 'kernel/syscall-entered'; nr: number; name: string }
  | { kind: 'cpu/stopped'; reason: 'triple-fault' | 'not-modelled' | 'halted' | 'step-limit' | 'breakpoint' | 'exited'; detail: string }
  | { kind: 'kernel/exception-fixed-up'; ip: U64; fixup: U64; type: string };

const bytesText = (b: number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join(' ');
const errnoText = (errno: number) => `-${-errno}`;

/** One plain-English sentence per event: the text log, narration and golden traces. */
export function describe(e: SimEvent): string {
  switch (e.kind) {
    case 'cpu/executed':
      return `Ring ${e.cpl} executes ${disassemble(e.bytes, e.rip)} at ${hex64(e.rip)}.`;
    case 'cpu/register-written':
      return `${e.reg.toUpperCase()} changes from ${hex64(e.before)} to ${hex64(e.after)}.`;
    case 'mem/written':
      return `${e.size} byte${e.size === 1 ? '' : 's'} written at ${hex64(e.address)}: ${hex64(e.value)}.`;
    case 'cpu/ring-changed':
      return `The processor moves from ring ${e.from} to ring ${e.to} (${e.cause}${e.vector === undefined ? '' : `, vector 0x${e.vector.toString(16)}`}).`;
    case 'mmu/walked':
      return e.ok
        ? `The MMU walks ${e.steps.length} levels of page tables for a ${e.access} of ${hex64(e.address)} and finds the page.`
        : `The MMU walks the page tables for a ${e.access} of ${hex64(e.address)} and refuses it (error code ${e.errorCode}).`;
    case 'cpu/faulted':
      return `${VECTOR_NAMES[e.vector] ?? `Exception ${e.vector}`} at ${hex64(e.rip)}${e.errorCode === undefined ? '' : ` with error code 0x${e.errorCode.toString(16)}`}: ${e.reason}.`;
    case 'cpu/interrupted':
      return `Interrupt vector 0x${e.vector.toString(16)} arrives before the instruction at ${hex64(e.rip)}.`;
    case 'cpu/halted':
      return `The processor halts at ${hex64(e.rip)} until an interrupt arrives.`;
    case 'kernel/printk':
      return `The kernel logs: “${e.text}”.`;
    case 'loader/stage-finished':
      return e.ok
        ? `load_module: ${e.stage} passes${e.detail ? ` (${e.detail})` : ''}.`
        : `load_module: ${e.stage} fails with ${errnoText(e.errno!)}${e.detail ? ` (${e.detail})` : ''}.`;
    case 'loader/symbol-resolved':
      return `${e.module}: ${e.name} resolves to ${hex64(e.address)} in ${e.owner} (CRC 0x${e.crc.toString(16).padStart(8, '0')}).`;
    case 'loader/reloc-applied':
      return `${e.module}: ${e.type} at ${e.section}+0x${e.offset.toString(16)}: ${e.formula} = ${hex64(e.value)}; bytes ${bytesText(e.before)} → ${bytesText(e.after)}${e.ok ? '' : ' (refused)'}.`;
    case 'loader/code-patched':
      return `${e.module}: ${e.why} rewrites ${hex64(e.address)}: ${bytesText(e.before)} → ${bytesText(e.after)}.`;
    case 'loader/init-called':
      return `do_init_module calls ${e.module}'s init function at ${hex64(e.address)} in ring 0.`;
    case 'vfs/chrdev-registered':
      return `Character device major ${e.major} is now "${e.name}" (no /dev node is created by register_chrdev).`;
    case 'vfs/node-created':
      return `mknod creates ${e.path}, a character device ${e.major}:${e.minor}.`;
    case 'vfs/opened':
      return `${e.path} is open as descriptor ${e.fd}; its file_operations are the driver's, at ${hex64(e.fops)}.`;
    case 'vfs/misc-registered':
      return `Misc device "${e.name}" is registered as 10:${e.minor}.`;
    case 'bus/driver-registered':
      return `The ${e.bus} bus now knows the driver "${e.name}".`;
    case 'kernel/syscall-entered':
      return `System call ${e.nr} (${e.name}) enters the kernel.`;
    case 'kernel/hle-entered':
      return `The kernel function ${e.name} runs (modelled in TypeScript; the real one is in ${e.source}).`;
    case 'kernel/hle-returned':
      return `${e.name} returns ${hex64(e.result)}.`;
    case 'kernel/guest-called':
      return `${e.from} calls machine code at ${hex64(e.address)} in ring 0.`;
    case 'cpu/stopped':
      return `The machine stops (${e.reason}): ${e.detail}.`;
    case 'kernel/exception-fixed-up':
      return `fixup_exception: the faulting instruction at ${hex64(e.ip)} is in the exception table (${e.type}); it continues at its fix-up, ${hex64(e.fixup)}.`;
  }
}
