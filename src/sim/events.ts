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
  | { kind: 'loader/symbol-resolved'; module: string; name: string; address: U64; owner: string; crc: number; gpl?: boolean; expected?: number }
  | {
      kind: 'loader/reloc-applied'; module: string; section: string; offset: number; type: string; formula: string;
      S: U64; A: U64; P: U64; value: U64; before: number[]; after: number[]; ok: boolean;
      /** The symbol S is the address of, as readelf -r names it (a section symbol by its section's name). */
      symbol: string;
    }
  | { kind: 'loader/code-patched'; module: string; why: 'ftrace_module_init' | 'apply_returns' | 'ftrace_init' | 'alternatives_smp_unlock'; address: U64; before: number[]; after: number[] }
  | { kind: 'loader/init-called'; module: string; address: U64 }
  | { kind: 'vfs/chrdev-registered'; major: number; name: string }
  | { kind: 'vfs/misc-registered'; minor: number; name: string }
  | { kind: 'vfs/node-created'; path: string; major: number; minor: number; by?: 'devtmpfs' }
  | { kind: 'vfs/node-removed'; path: string; by: 'devtmpfs' }
  | { kind: 'device/uevent'; action: string; devpath: string; env: string[] }
  | { kind: 'vfs/opened'; path: string; fd: number; fops: U64 }
  | { kind: 'bus/driver-registered'; bus: string; name: string }
  | { kind: 'kernel/hle-entered'; name: string; source: string }
  | { kind: 'kernel/hle-returned'; name: string; result: U64 }
  | { kind: 'kernel/guest-called'; from: string; address: U64 }
  | { kind: 'kernel/syscall-entered'; nr: number; name: string }
  | { kind: 'cpu/stopped'; reason: 'triple-fault' | 'not-modelled' | 'halted' | 'step-limit' | 'breakpoint' | 'exited'; detail: string }
  | { kind: 'kernel/oops'; number: number; description: string; pid: number; comm: string; rip: U64; where: string }
  | { kind: 'module/refcount'; module: string; refcnt: number; by: string; op: 'get' | 'put' }
  | { kind: 'device/added'; devpath: string; subsystem: string; devt?: string }
  | { kind: 'device/removed'; devpath: string }
  | { kind: 'vfs/closed'; fd: number; path: string }
  | { kind: 'bus/device-added'; bus: string; device: string; vendor: number; deviceId: number; class: number }
  | { kind: 'bus/device-removed'; bus: string; device: string }
  | { kind: 'bus/matched'; bus: string; driver: string; device: string; entries: number; id?: U64; entry?: string }
  | { kind: 'bus/probe-called'; bus: string; driver: string; device: string; address: U64 }
  | { kind: 'bus/probed'; bus: string; driver: string; device: string; result: number }
  | { kind: 'bus/remove-called'; bus: string; driver: string; device: string; address: U64 }
  | { kind: 'bus/driver-unregistered'; bus: string; name: string }
  | { kind: 'user/modelled'; program: string; text: string }
  | { kind: 'kernel/usermodehelper'; path: string; argv: string[]; env: string[]; status: number }
  | { kind: 'loader/exit-called'; module: string; address: U64 }
  | { kind: 'boot/stage-finished'; stage: string; source: string; detail: string }
  | { kind: 'boot/initcall-entry-read'; level: string; entry: U64; offset: number; fn: U64; name: string }
  | { kind: 'boot/initcall-returned'; name: string; ret: number }
  | { kind: 'irq/requested'; irq: number; name: string; handler: U64; devId: U64; vector: number; pin: number }
  | { kind: 'irq/freed'; irq: number; name: string; vector: number }
  | { kind: 'irq/line-raised'; line: number; pin: number; delivered: boolean; vector?: number; why?: string }
  | { kind: 'irq/eoi-written'; vector: number }
  | { kind: 'irq/handler-called'; irq: number; name: string; handler: U64; devId: U64 }
  | { kind: 'irq/handled'; irq: number; name: string; result: number }
  | { kind: 'kernel/context-switched'; from: string; to: string; cr3: U64 }
  | { kind: 'ipc/message-passed'; from: string; to: string; what: 'request' | 'reply'; bytes: number }
  | { kind: 'kernel/user-copied'; from: string; to: string; bytes: number; by: string }
  | { kind: 'kernel/exception-fixed-up'; ip: U64; fixup: U64; type: string }
  | { kind: 'loader/symbol-unresolved'; module: string; name: string; errno: number; reason: 'not-exported' | 'gpl-only' | 'crc-mismatch'; crc?: number; gpl?: boolean; expected?: number }
  | { kind: 'mmu/pages-mapped'; op: 'map' | 'unmap' | 'protect'; start: U64; pages: number; user: boolean; writable: boolean; executable: boolean; by: string }
  | { kind: 'mmu/tables-read'; cr3: U64; ranges: { start: U64; pages: number; user: boolean; writable: boolean; executable: boolean }[] }
  | { kind: 'loader/sections-placed'; module: string; sections: { name: string; address: U64; size: number; init: boolean }[] };

const bytesText = (b: number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join(' ');
const errnoText = (errno: number) => `-${-errno}`;
const hex4 = (v: number) => v.toString(16).padStart(4, '0');

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
        ? `${e.stage === 'delete_module' ? '' : 'load_module: '}${e.stage} passes${e.detail ? ` (${e.detail})` : ''}.`
        : `${e.stage === 'delete_module' ? '' : 'load_module: '}${e.stage} fails with ${errnoText(e.errno!)}${e.detail ? ` (${e.detail})` : ''}.`;
    case 'loader/symbol-resolved':
      return `${e.module}: ${e.name} resolves to ${hex64(e.address)} in ${e.owner} (CRC 0x${e.crc.toString(16).padStart(8, '0')}).`;
    case 'loader/reloc-applied':
      return `${e.module}: ${e.type} at ${e.section}+0x${e.offset.toString(16)} against ${e.symbol || '(no symbol)'}: ${e.formula} = ${hex64(e.value)}; bytes ${bytesText(e.before)} → ${bytesText(e.after)}${e.ok ? '' : ' (refused)'}.`;
    case 'loader/code-patched':
      return `${e.module}: ${e.why} rewrites ${hex64(e.address)}: ${bytesText(e.before)} → ${bytesText(e.after)}.`;
    case 'loader/init-called':
      return `do_init_module calls ${e.module}'s init function at ${hex64(e.address)} in ring 0.`;
    case 'vfs/chrdev-registered':
      return `Character device major ${e.major} is now "${e.name}" (no /dev node is created by register_chrdev).`;
    case 'vfs/node-created':
      return `${e.by === 'devtmpfs' ? 'devtmpfs' : 'mknod'} creates ${e.path}, a character device ${e.major}:${e.minor}.`;
    case 'vfs/node-removed':
      return `devtmpfs removes ${e.path}.`;
    case 'device/uevent':
      return `The kernel sends a uevent to user space: ${e.env.join(' ')}.`;
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
    case 'kernel/oops':
      return `Oops #${e.number} (${e.description}) in ring 0 at ${e.where} while running ${e.comm}[${e.pid}]: the kernel prints the oops, taints itself with D and kills the task.`;
    case 'module/refcount':
      return `${e.op === 'get' ? 'try_module_get' : 'module_put'}(${e.module}) in ${e.by}: ${e.module}'s reference count becomes ${e.refcnt}.`;
    case 'device/added':
      return `device_add: ${e.devpath} joins sysfs (subsystem ${e.subsystem}${e.devt ? `, dev ${e.devt}` : ''}).`;
    case 'device/removed':
      return `device_del: ${e.devpath} leaves sysfs.`;
    case 'vfs/closed':
      return `Descriptor ${e.fd} (${e.path}) is closed; the last reference to the file is gone, so __fput calls f_op->release (if any) and drops the module references it held.`;
    case 'bus/device-added':
      return `A ${e.bus} device appears at ${e.device}: ${hex4(e.vendor)}:${hex4(e.deviceId)}, class 0x${e.class.toString(16).padStart(6, '0')}.`;
    case 'bus/device-removed':
      return `The ${e.bus} device ${e.device} leaves the bus.`;
    case 'bus/matched':
      return e.entry
        ? `The ${e.bus} bus matches ${e.device} with ${e.driver}'s id table entry at ${hex64(e.id!)} (${e.entry}).`
        : `None of the ${e.entries} entries of ${e.driver}'s id table matches ${e.device}.`;
    case 'bus/probe-called':
      return `The driver core calls ${e.driver}'s probe at ${hex64(e.address)} for ${e.device} in ring 0.`;
    case 'bus/probed':
      return e.result === 0 ? `${e.driver} is bound to ${e.device}.` : `${e.driver}'s probe of ${e.device} returns ${e.result}: not bound.`;
    case 'bus/remove-called':
      return `The driver core calls ${e.driver}'s remove at ${hex64(e.address)} for ${e.device} in ring 0.`;
    case 'bus/driver-unregistered':
      return `The ${e.bus} bus forgets the driver "${e.name}".`;
    case 'user/modelled':
      return `${e.program} (user space, modelled): ${e.text}.`;
    case 'loader/exit-called':
      return `delete_module calls ${e.module}'s exit function at ${hex64(e.address)} in ring 0.`;
    case 'kernel/usermodehelper':
      return `The kernel asks user space for a module: it runs ${e.path} ${e.argv.join(' ')} with ${e.env.join(' ')} (modelled: modprobe's lookup runs, not a process) and waits; exit status ${e.status}.`;
    case 'boot/stage-finished':
      return `Boot: ${e.stage} (${e.source}): ${e.detail}.`;
    case 'boot/initcall-entry-read':
      return `do_initcalls, level "${e.level}": the entry at ${hex64(e.entry)} holds ${e.offset < 0 ? '-' : '+'}0x${Math.abs(e.offset).toString(16)}, an offset from the entry itself, so the initcall is ${hex64(e.fn)} (${e.name}).`;
    case 'boot/initcall-returned':
      return `The initcall ${e.name} returns ${e.ret} to do_one_initcall.`;
    case 'irq/requested':
      return `request_irq gives IRQ ${e.irq} to "${e.name}": vector 0x${e.vector.toString(16)}, I/O APIC pin ${e.pin} unmasked; handler ${hex64(e.handler)}, dev_id ${hex64(e.devId)}.`;
    case 'irq/freed':
      return `free_irq takes IRQ ${e.irq} from "${e.name}": its I/O APIC pin is masked and vector 0x${e.vector.toString(16)} is released.`;
    case 'irq/line-raised':
      return e.delivered
        ? `A device raises IRQ line ${e.line}: I/O APIC pin ${e.pin} sends vector 0x${e.vector!.toString(16)} to the local APIC.`
        : `A device raises IRQ line ${e.line}: nothing is delivered (${e.why}).`;
    case 'irq/eoi-written':
      return `The kernel writes the local APIC's EOI register (x2APIC MSR 0x80b): vector 0x${e.vector.toString(16)} is no longer in service.`;
    case 'irq/handler-called':
      return `__handle_irq_event_percpu calls ${e.name}'s handler at ${hex64(e.handler)} with irq ${e.irq} and dev_id ${hex64(e.devId)}.`;
    case 'irq/handled':
      return `${e.name}'s handler returns ${e.result === 1 ? 'IRQ_HANDLED' : e.result === 0 ? 'IRQ_NONE' : e.result} for IRQ ${e.irq}.`;
    case 'kernel/context-switched':
      return `The kernel switches from ${e.from} to ${e.to}: CR3 is loaded with ${hex64(e.cr3)}, another address space (modelled).`;
    case 'ipc/message-passed':
      return `The kernel passes a ${e.what} of ${e.bytes} bytes from ${e.from} to ${e.to} (modelled IPC).`;
    case 'kernel/user-copied':
      return `${e.bytes} bytes are copied from ${e.from} to ${e.to} by ${e.by}.`;
    case 'kernel/exception-fixed-up':
      return `fixup_exception: the faulting instruction at ${hex64(e.ip)} is in the exception table (${e.type}); it continues at its fix-up, ${hex64(e.fixup)}.`;
    case 'loader/symbol-unresolved':
      return `${e.module}: ${e.name} does not resolve (err ${e.errno}): ${e.reason === 'not-exported' ? 'nothing exports it' : e.reason === 'gpl-only' ? "its export is GPL-only and the module's licence is not GPL-compatible" : `the module expects CRC 0x${(e.expected ?? 0).toString(16).padStart(8, '0')}, the kernel's is 0x${(e.crc ?? 0).toString(16).padStart(8, '0')}`}.`;
    case 'mmu/pages-mapped': {
      const what = `${e.pages} page${e.pages === 1 ? '' : 's'} at ${hex64(e.start)}`;
      const rights = `${e.user ? 'user (U/S=1)' : 'supervisor only (U/S=0)'}, ${e.writable ? 'writable' : 'read-only'}, ${e.executable ? 'executable' : 'not executable (NX)'}`;
      if (e.op === 'unmap') return `${e.by} clears the page-table entries of ${what}: no longer mapped.`;
      return e.op === 'map' ? `${e.by} maps ${what} in the page tables: ${rights}.` : `${e.by} changes the page-table entries of ${what}: now ${rights}.`;
    }
    case 'mmu/tables-read': {
      const pages = e.ranges.reduce((n, r) => n + r.pages, 0);
      return `The run starts on the page tables at CR3 ${hex64(e.cr3)}: walking them finds ${pages} mapped pages in ${e.ranges.length} runs, ${e.ranges.filter((r) => r.user).length} of them user pages.`;
    }
    case 'loader/sections-placed':
      return `${e.module}: move_module copies ${e.sections.length} sections into the module area: ${e.sections.map((s) => `${s.name} at ${hex64(s.address)}`).join(', ')}.`;
  }
}
