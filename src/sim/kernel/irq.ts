// Models: device interrupts in Linux 6.1 on x86-64, one CPU, as the oracle's QEMU pc machine has
// them: the IDT gates of the external vectors (idt_setup_apic_and_irq_gates, arch/x86/kernel/idt.c:
// irq_entries_start + 8 * (vector - FIRST_EXTERNAL_VECTOR)); the irq descriptors of the 16 legacy
// lines (kernel/irq/irqdesc.c); vector assignment on activation, lowest free vector first
// (irq_matrix_alloc, kernel/irq/matrix.c, via arch/x86/kernel/apic/vector.c); CPU 0's
// vector_irq[] table; the I/O APIC entry (io_apic.c); and the interrupt path — the entry stub,
// __common_interrupt (arch/x86/kernel/irq.c), handle_edge_irq (kernel/irq/chip.c) with the EOI
// of apic_ack_edge (x2APIC: a write of 0 to MSR 0x80b), __handle_irq_event_percpu calling each
// handler in ring 0 as real machine code with (irq, dev_id), note_interrupt's counts
// (kernel/irq/spurious.c), and iretq back to what was interrupted. /proc/interrupts rows
// (kernel/irq/proc.c show_interrupts).
// The gates and stubs are the assembled entry code's (entry.ts: irq_entries_start pushes the
// vector, asm_common_interrupt saves pt_regs — swapgs from ring 3 — and calls common_interrupt,
// emulated here, then irets through error_return).
// Simplifies: no switch to the hardirq stack and no irqentry_enter/exit (context tracking,
// preemption on return); the EOI is written by TypeScript, not by an executed wrmsr; the lines the real
// boot's drivers hold (timer, i8042, ttyS0, rtc0, acpi) are known by name and flags only, from the
// oracle's transcripts, and their devices do not exist; threaded handlers, shared lines, level
// triggering, interrupt affinity and the rate limit of the "No irq handler" line are not modelled.
import type { Kernel } from './kernel';
import type { GuestCall, HleBody, HleFunction, HleResult } from './hle';
import { FIRST_EXTERNAL_VECTOR, FIRST_SYSTEM_VECTOR, defineEntryHle } from './entry';
import type { Machine } from '../machine';
import type { U64 } from '../cpu/state';
import { NotModelled } from '../cpu/fault';
import { RSP } from '../cpu/state';
import { IoApic, type LineResult } from './ioapic';
import { PER_CPU, join, split } from './layout';

export { FIRST_EXTERNAL_VECTOR, FIRST_SYSTEM_VECTOR } from './entry';
/** IRQ_MOVE_CLEANUP_VECTOR = FIRST_EXTERNAL_VECTOR, a system vector with its own gate (not modelled). */
const IRQ_MOVE_CLEANUP_VECTOR = 0x20;
export const NR_IRQS_LEGACY = 16;
/** irqreturn_t (include/linux/irqreturn.h). */
export const IRQ_NONE = 0, IRQ_HANDLED = 1, IRQ_WAKE_THREAD = 2;
export const IRQF_SHARED = 0x80;
const IRQ_NOTCONNECTED = 0x80000000;
const EINVAL = -22, EBUSY = -16, ENOTCONN = -107;

/**
 * The idle loop's page, the model's own address: in KERNEL_TEXT's region, clear of the HLE slots
 * (its first MiB), ENTRY_TEXT (0xffffffff83800000), BUILTIN_TEXT (0xffffffff83c00000, a few
 * pages) and insmod's stub page (0xffffffff83fff000).
 */
export const IDLE_ENTRY = 0xffffffff83ffc000n;

/**
 * Lines the real boot's drivers hold (tests/fixtures/real-kernel/irqcount-lines-boot.txt for the
 * pins and flow names, irqcount-irq-N.txt for the flags genirq printed): line → holder.
 */
export const BOOT_LINES: Record<number, { name: string; flags: number; pin: number; flow: string }> = {
  0: { name: 'timer', flags: 0x15a00, pin: 2, flow: 'edge' },
  1: { name: 'i8042', flags: 0x80, pin: 1, flow: 'edge' },
  4: { name: 'ttyS0', flags: 0x0, pin: 4, flow: 'edge' },
  8: { name: 'rtc0', flags: 0x0, pin: 8, flow: 'edge' },
  9: { name: 'acpi', flags: 0x80, pin: 9, flow: 'fasteoi' },
  12: { name: 'i8042', flags: 0x80, pin: 12, flow: 'edge' },
};
/**
 * CPU 0's vector_irq[] after the real boot (irqcount-after-free.txt: the table once irqcount's
 * vector is released again): vectors holding a descriptor, and vectors left VECTOR_SHUTDOWN by
 * the legacy interrupts the I/O APIC took over from the PIC.
 */
export const BOOT_VECTORS_IN_USE = [0x21, 0x22, 0x23, 0x24, 0x25, 0x30, 0x32];
export const BOOT_VECTORS_SHUTDOWN = [0x31, ...Array.from({ length: 13 }, (_, i) => 0x33 + i)];

export interface IrqAction {
  handler: bigint;
  threadFn: bigint;
  flags: number;
  name: string;
  namePointer: bigint;
  devId: bigint;
}

export interface IrqDesc {
  irq: number;
  pin: number;
  /** desc->name: the flow handler's name ("edge"). */
  flow: string;
  actions: IrqAction[];
  /** kstat_irqs of CPU 0: what /proc/interrupts counts. */
  kstat: number;
  vector: number | undefined;
  /** note_interrupt()'s counters (kernel/irq/spurious.c). */
  irqCount: number;
  irqsUnhandled: number;
  /** Held by one of the real boot's drivers (BOOT_LINES). */
  boot?: { name: string; flags: number };
}

/** An entry of vector_irq[]: a descriptor, VECTOR_UNUSED, VECTOR_SHUTDOWN, or one of the boot's. */
type VectorEntry = IrqDesc | 'unused' | 'shutdown' | 'boot';

export interface IrqState {
  descs: Map<number, IrqDesc>;
  vectorIrq: VectorEntry[];
  ioapic: IoApic;
}

const states = new WeakMap<Kernel, IrqState>();

/** The kernel's interrupt state (made at boot by setUpIrqs). */
export function irqState(k: Kernel): IrqState {
  let s = states.get(k);
  if (!s) {
    const descs = new Map<number, IrqDesc>();
    for (let irq = 0; irq < NR_IRQS_LEGACY; irq++) {
      const b = BOOT_LINES[irq];
      // Line 2 is the PICs' cascade input; the boot's override sends line 0 (the timer) to pin 2.
      descs.set(irq, { irq, pin: b?.pin ?? (irq === 2 ? -1 : irq), flow: b?.flow ?? 'edge', actions: [], kstat: 0, vector: undefined, irqCount: 0, irqsUnhandled: 0, ...(b ? { boot: { name: b.name, flags: b.flags } } : {}) });
    }
    const vectorIrq: VectorEntry[] = new Array<VectorEntry>(256).fill('unused');
    for (const v of BOOT_VECTORS_IN_USE) vectorIrq[v] = 'boot';
    for (const v of BOOT_VECTORS_SHUTDOWN) vectorIrq[v] = 'shutdown';
    s = { descs, vectorIrq, ioapic: new IoApic(k.m.apic) };
    states.set(k, s);
  }
  return s;
}

/**
 * The interrupt state, common_interrupt at its HLE point of the entry code (the IDT gates to
 * irq_entries_start are written by traps.ts, as idt_setup_apic_and_irq_gates() does), and the
 * idle task's loop.
 */
export function setUpIrqs(k: Kernel) {
  const m = k.m;
  irqState(k);
  const ci = commonInterruptBody(k);
  defineEntryHle(k, 'common_interrupt', ci.source, ci.body);
  k.mapRange(IDLE_ENTRY, 4096, { writable: false, executable: true });
  m.hle.register(k.physical(IDLE_ENTRY), idleLoop(k));
}

/**
 * common_interrupt(regs, vector) (DEFINE_IDTENTRY_IRQ, arch/x86/kernel/irq.c) as an emulated C
 * function, registered at common_interrupt's address in the entry code: irq_entries_start →
 * asm_common_interrupt → call common_interrupt; it returns with `ret`, and the stub's
 * error_return restores the registers and irets.
 */
export function commonInterruptBody(k: Kernel): { source: string; body: HleBody } {
  return { source: 'arch/x86/kernel/irq.c', body: ({ m, arg }) => commonInterrupt(k, m, arg(1).lo & 0xff) };
}

/** __common_interrupt(): vector_irq[vector] → handle_irq(desc), or the EOI alone. */
function* commonInterrupt(k: Kernel, m: Machine, vector: number): Generator<GuestCall, HleResult, U64> {
  const st = irqState(k);
  const entry = st.vectorIrq[vector]!;
  if (typeof entry === 'object') {
    yield* handleEdgeIrq(k, m, entry);
    return 0;
  }
  if (entry === 'boot') throw new NotModelled(`vector 0x${vector.toString(16)} belongs to a device of the real boot that the model does not have`);
  eoi(m, vector);
  if (entry === 'unused') k.printk(0, `__common_interrupt: 0.${vector} No irq handler for vector`);
  else st.vectorIrq[vector] = 'unused'; // VECTOR_SHUTDOWN: a late interrupt of a freed line, dropped silently
  return 0;
}

/** ack_APIC_irq() → native_apic_msr_eoi_write(): wrmsr(0x80b, 0), as the x2APIC takes it. */
function eoi(m: Machine, vector: number) {
  m.apic.endOfInterrupt();
  m.emit({ kind: 'irq/eoi-written', vector });
}

/** handle_edge_irq(): count it, acknowledge the edge at the APIC, then run the handlers. */
function* handleEdgeIrq(k: Kernel, m: Machine, desc: IrqDesc): Generator<GuestCall, HleResult, U64> {
  if (desc.flow !== 'edge') throw new NotModelled(`the ${desc.flow} flow handler is not modelled`);
  desc.kstat++; // kstat_incr_irqs_this_cpu()
  eoi(m, desc.vector!); // desc->irq_data.chip->irq_ack() = apic_ack_edge()
  let retval = IRQ_NONE;
  for (const action of [...desc.actions]) {
    m.emit({ kind: 'irq/handler-called', irq: desc.irq, name: action.name, handler: split(action.handler), devId: split(action.devId) });
    const r = (yield { address: split(action.handler), args: [{ lo: desc.irq, hi: 0 }, split(action.devId)] }).lo; // irqreturn_t: an int
    if (r === IRQ_WAKE_THREAD) throw new NotModelled(`${action.name}'s handler asked for its thread (IRQ_WAKE_THREAD): threaded handlers are not modelled`);
    if (r > (IRQ_HANDLED | IRQ_WAKE_THREAD)) throw new NotModelled(`irq event ${desc.irq}: bogus return value ${r.toString(16)} (its stack dump is not modelled)`);
    m.emit({ kind: 'irq/handled', irq: desc.irq, name: action.name, result: r });
    retval |= r;
  }
  noteInterrupt(desc, retval);
  return 0;
}

/**
 * note_interrupt(): every 100,000 interrupts, a line whose handlers said IRQ_NONE more than
 * 99,900 times is reported ("irq N: nobody cared") and disabled. The HZ/10 window that resets the
 * unhandled count is not modelled; the report, which dumps the stack, is not modelled either.
 */
function noteInterrupt(desc: IrqDesc, retval: number) {
  if (retval !== IRQ_HANDLED) desc.irqsUnhandled++;
  if (++desc.irqCount < 100000) return;
  desc.irqCount = 0;
  if (desc.irqsUnhandled > 99900) throw new NotModelled(`irq ${desc.irq}: nobody cared (the report and its stack dump are not modelled)`);
  desc.irqsUnhandled = 0;
}

/** irq_matrix_alloc(): the lowest vector no one holds, from FIRST_EXTERNAL_VECTOR up. */
function allocVector(st: IrqState): number | undefined {
  for (let v = FIRST_EXTERNAL_VECTOR; v < FIRST_SYSTEM_VECTOR; v++) {
    if (v === IRQ_MOVE_CLEANUP_VECTOR) continue;
    const e = st.vectorIrq[v];
    if (e === 'unused' || e === 'shutdown') return v;
  }
  return undefined;
}

export interface RequestArgs {
  irq: number;
  handler: bigint;
  threadFn: bigint;
  flags: number;
  name: string;
  namePointer: bigint;
  devId: bigint;
}

/** request_threaded_irq() with __setup_irq() (kernel/irq/manage.c): 0 or -errno. */
export function requestIrq(k: Kernel, a: RequestArgs): number {
  if (a.irq === IRQ_NOTCONNECTED) return ENOTCONN;
  if (a.flags & IRQF_SHARED && a.devId === 0n) return EINVAL;
  const st = irqState(k);
  const desc = st.descs.get(a.irq);
  if (!desc) return EINVAL; // irq_to_desc(): no descriptor for this number
  if (a.handler === 0n && a.threadFn === 0n) return EINVAL;
  if (a.threadFn !== 0n || a.handler === 0n) throw new NotModelled('threaded interrupt handlers (a thread_fn and its kernel thread irq/N-name) are not modelled');
  const old = desc.boot ?? desc.actions[0];
  if (old) {
    if (!(old.flags & a.flags & IRQF_SHARED)) {
      // mismatch: (IRQF_PROBE_SHARED, 0x100, silences the line)
      if (!(a.flags & 0x100)) k.printk(3, `genirq: Flags mismatch irq ${a.irq}. ${hex8(a.flags)} (${a.name}) vs. ${hex8(old.flags)} (${old.name})`);
      return EBUSY;
    }
    throw new NotModelled(`sharing line ${a.irq} with ${old.name} is not modelled`);
  }
  // irq_activate_and_startup(): a vector, vector_irq[], the I/O APIC entry, then unmask.
  const vector = allocVector(st);
  if (vector === undefined) throw new NotModelled('running out of vectors is not modelled');
  desc.vector = vector;
  st.vectorIrq[vector] = desc;
  desc.actions.push({ handler: a.handler, threadFn: a.threadFn, flags: a.flags, name: a.name, namePointer: a.namePointer, devId: a.devId });
  if (desc.pin >= 0) st.ioapic.entries[desc.pin] = { vector, masked: false };
  k.m.emit({ kind: 'irq/requested', irq: a.irq, name: a.name, handler: split(a.handler), devId: split(a.devId), vector, pin: desc.pin });
  return 0;
}

/** free_irq() with __free_irq(): the action's name (devname), or 0 when there is no descriptor. */
export function freeIrq(k: Kernel, irq: number, devId: bigint): bigint {
  const st = irqState(k);
  const desc = st.descs.get(irq);
  if (!desc) return 0n;
  const i = desc.actions.findIndex((a) => a.devId === devId);
  if (i < 0) throw new NotModelled(`free_irq(${irq}): "Trying to free already-free IRQ ${irq}" is a WARN with a stack dump, not modelled`);
  const [action] = desc.actions.splice(i, 1);
  if (desc.actions.length === 0) {
    // irq_shutdown(): mask the pin; irq_domain_deactivate_irq() → clear_irq_vector().
    if (desc.pin >= 0) st.ioapic.entries[desc.pin] = { ...st.ioapic.entries[desc.pin]!, masked: true };
    const vector = desc.vector!;
    st.vectorIrq[vector] = 'shutdown';
    desc.vector = undefined;
    k.m.emit({ kind: 'irq/freed', irq, name: action!.name, vector });
  }
  return action!.namePointer;
}

const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');

/**
 * A device drives an interrupt line: a rising edge on its I/O APIC pin, then low again. Returns
 * whether the local APIC got a vector; the CPU takes it at the next instruction boundary with IF=1.
 */
export function pulseLine(k: Kernel, irq: number): { delivered: boolean; vector?: number } {
  const st = irqState(k);
  const pin = st.descs.get(irq)?.pin ?? irq;
  const r: LineResult = pin < 0 ? { delivered: false, why: 'line 2 is the PIC cascade: no I/O APIC pin carries it' } : st.ioapic.raise(pin);
  st.ioapic.lower(pin);
  k.m.emit({ kind: 'irq/line-raised', line: irq, pin, delivered: r.delivered, ...(r.delivered ? { vector: r.vector } : { why: r.why }) });
  return r.delivered ? { delivered: true, vector: r.vector } : { delivered: false };
}

/** Rows of /proc/interrupts for the lines the model knows (the boot's own devices are left out). */
export function procInterrupts(k: Kernel): string[] {
  const prec = 3; // nr_irqs is below 1,000 on the oracle's machine: "%*d" with 3
  const rows = [`${' '.repeat(prec + 8)}${'CPU0'.padEnd(11)}`];
  for (const d of [...irqState(k).descs.values()].sort((a, b) => a.irq - b.irq)) {
    if (d.boot || d.pin < 0 || (!d.actions.length && !d.kstat)) continue; // (line 2's row: its hwirq is not known)
    const names = d.actions.length ? `  ${d.actions.map((a) => a.name).join(', ')}` : '';
    rows.push(`${String(d.irq).padStart(prec)}: ${String(d.kstat).padStart(10)}  ${'IO-APIC'.padStart(8)} ${String(d.pin).padStart(prec)}-${d.flow.padEnd(8)}${names}`);
  }
  return rows;
}

/**
 * The idle task (do_idle → default_idle → native_safe_halt, `sti; hlt`), as one emulated loop: the
 * CPU waits halted in ring 0 with IF=1; an interrupt wakes it, and after iretq it halts again.
 */
function idleLoop(k: Kernel): HleFunction {
  return {
    name: 'do_idle',
    source: 'kernel/sched/idle.c, arch/x86/kernel/process.c',
    convention: 'sysv',
    exit: (m) => {
      m.s.halted = true;
      m.attention = true; // as hlt does: the run loop must look at the halted CPU
      m.nextLo = split(IDLE_ENTRY).lo;
      m.nextHi = split(IDLE_ENTRY).hi;
      m.emit({ kind: 'cpu/halted', rip: split(IDLE_ENTRY) });
    },
    body: ({ m }) => m.get64(0),
  };
}

/**
 * Runs the idle task until nothing is left to do: the CPU halts in ring 0 with interrupts on, takes
 * what the APIC has pending, and stops when it is halted with nothing pending.
 */
export function runIdle(k: Kernel, whileHalted: () => void = () => {}, maxSteps = 100_000) {
  const m = k.m;
  const rsp0 = k.read64(join(m.s.tssBase) + 4n) ?? 0n; // TSS.RSP0: the kernel stack
  m.s.regs.fill(0); // the idle task's registers, not the last program's
  m.set64(RSP, split(rsp0));
  // A kernel task: GS holds this CPU's per-CPU area, the user's GS base waits in MSR_KERNEL_GS_BASE.
  m.s.gsBase = split(PER_CPU);
  m.s.kernelGsBase = { lo: 0, hi: 0 };
  m.s.rip = split(IDLE_ENTRY);
  m.s.cs = 0x10;
  m.s.ss = 0x18;
  m.s.rflags = 0x202;
  m.s.halted = true;
  m.stopped = undefined;
  m.emit({ kind: 'cpu/halted', rip: split(IDLE_ENTRY) });
  whileHalted();
  m.run(maxSteps);
}
