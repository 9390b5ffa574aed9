// Models: the kernel's entry code as real x86-64 machine code — entry_SYSCALL_64, the IDT entry
// stubs, irq_entries_start, copy_user_enhanced_fast_string, _copy_to_user/_copy_from_user and
// __x86_return_thunk — assembled by GNU as from samples/kernel/entry_64.S (modelled on Linux 6.1's
// arch/x86/entry/entry_64.S, arch/x86/lib/copy_user_64.S, lib/usercopy.c, arch/x86/lib/retpoline.S)
// and linked by ld; src/sim/data/kernel-entry.json holds the result, which reaches the model as one
// of the kernel's data files (data.ts: the Kernel installs it at boot). This file maps those bytes
// into kernel text, lays out the per-CPU variables the code reads through GS (cpu_tss_rw,
// cpu_current_top_of_stack, the #DF stack), and registers the C functions the code calls
// (do_syscall_64, exc_*, common_interrupt) as HLE points at their linked addresses.
// Simplifies: one CPU, one task (one kernel stack); the per-CPU area is the model's own
// (fixed_percpu_data first, as in 6.1, then the variables this code needs); see entry_64.S for
// what the assembly leaves out. The linked code is one per program (the one in the data files):
// the last installed is the one ENTRY and entrySymbol() read.
import type { Kernel } from './kernel';
import type { HleBody, HleFunction } from './hle';
import { NotModelled } from '../cpu/fault';
import { PER_CPU, split } from './layout';

/** kernel-entry.json as samples/kernel/build.sh writes it. */
export interface EntryData {
  format: string;
  sources: Record<string, string>;
  toolchain: string;
  segments: { name: string; address: string; size: number; executable: boolean; writable: boolean; bytes: string }[];
  symbols: { name: string; address: string; size: number; type: string; global: boolean; section: string }[];
  hle: string[];
  percpu: Record<string, number>;
  percpuSize: number;
  exTable: { insn: string; fixup: string; data: number }[];
  ptRegs: Record<string, number>;
}

export interface EntrySegment {
  name: string;
  address: bigint;
  bytes: Uint8Array;
  executable: boolean;
  writable: boolean;
}

export interface EntrySymbol {
  name: string;
  address: bigint;
  size: number;
  global: boolean;
  section: string;
}

const fromHex = (hex: string) => {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
};

function parseEntry(data: EntryData) {
  return {
    format: data.format,
    sources: data.sources,
    toolchain: data.toolchain,
    segments: data.segments.map((s): EntrySegment => ({ name: s.name, address: BigInt('0x' + s.address), bytes: fromHex(s.bytes), executable: s.executable, writable: s.writable })),
    symbols: data.symbols.map((s): EntrySymbol => ({ name: s.name, address: BigInt('0x' + s.address), size: s.size, global: s.global, section: s.section })),
    /** The C functions the assembly calls, emulated in TypeScript (their bytes are int3). */
    hle: data.hle,
    /** Per-CPU variables: offsets from this CPU's GS base (PER_CPU in layout.ts). */
    percpu: data.percpu,
    percpuSize: data.percpuSize,
    /** __ex_table as linked: the faulting instruction, its fix-up and the entry's data word. */
    exTable: data.exTable.map((e) => ({ insn: BigInt('0x' + e.insn), fixup: BigInt('0x' + e.fixup), data: e.data })),
    /** Offsets in struct pt_regs, from the headers' asm/ptrace-abi.h (R15 … SS, FRAME_SIZE). */
    ptRegs: data.ptRegs,
  };
}

let installed: { data: EntryData; entry: ReturnType<typeof parseEntry>; byName: Map<string, EntrySymbol> } | undefined;

/** Installs the linked entry code from the data files (kernel-entry.json); the Kernel does it at boot. */
export function useEntryCode(data: EntryData) {
  if (installed?.data === data) return;
  const entry = parseEntry(data);
  installed = { data, entry, byName: new Map(entry.symbols.map((s) => [s.name, s])) };
}

function current() {
  if (!installed) throw new Error('the entry code (kernel-entry.json) is not loaded: boot a kernel with the data files first');
  return installed;
}

/** The linked entry code, as build.sh wrote it (the installed one; see useEntryCode). */
export const ENTRY: ReturnType<typeof parseEntry> = new Proxy({} as ReturnType<typeof parseEntry>, { get: (_, key) => current().entry[key as keyof ReturnType<typeof parseEntry>] });

/** The address of a symbol of the entry code; throws for a name it does not define. */
export function entrySymbol(name: string): bigint {
  const s = current().byName.get(name);
  if (!s) throw new RangeError(`the entry code defines no symbol ${name}`);
  return s.address;
}

/** Exported kernel functions that the entry code provides as real code (no HLE body). */
export const ENTRY_EXPORTS: ReadonlySet<string> = new Set(['_copy_to_user', '_copy_from_user', '__x86_return_thunk']);

/**
 * "name+0xoff/0xsize" for an address inside the entry code, as %pS prints it: kallsyms takes the
 * nearest symbol at or below the address (inner labels such as entry_SYSCALL_64_after_hwframe
 * included) and, as its size, the distance to the next symbol (kernel/kallsyms.c get_symbol_pos).
 * Of symbols sharing an address, the first in the symbol map is taken.
 */
export function entrySymbolAt(address: bigint): string | undefined {
  const sorted = ENTRY.symbols; // by address (gen-entry-data.py)
  let i = -1;
  for (let j = 0; j < sorted.length && sorted[j]!.address <= address; j++) if (i < 0 || sorted[j]!.address !== sorted[i]!.address) i = j;
  if (i < 0) return undefined;
  const s = sorted[i]!;
  const next = sorted.find((t) => t.address > s.address);
  const end = next && next.section === s.section ? next.address : s.address + BigInt(s.size);
  if (address >= end) return undefined;
  return `${s.name}+0x${(address - s.address).toString(16)}/0x${(end - s.address).toString(16)}`;
}

/**
 * Device interrupts. At boot (traps.ts, as 6.1's idt_setup_apic_and_irq_gates()) the IDT gate of
 * every external vector 0x20 … 0xeb points at its stub, irqEntry(vector) = irq_entries_start +
 * (vector − 0x20) × IDT_ALIGN, which pushes the vector and jumps to asm_common_interrupt; that
 * builds pt_regs (swapgs when the interrupt came from ring 3) and calls
 * common_interrupt(struct pt_regs *regs, unsigned long vector), an HLE point that stops the
 * machine as "not modelled" until it is given a body:
 *
 *   defineEntryHle(k, 'common_interrupt', 'arch/x86/kernel/irq.c', function* ({ arg }) {
 *     const vector = arg(1).lo & 0xff;           // (u8)error_code, as 6.1 reads it
 *     yield { address: handler, args: [irq, devId] };  // the driver's handler, as real code
 *     k.m.apic.endOfInterrupt();                  // ack_APIC_irq()
 *   });
 *
 * When the body returns, the stub restores the registers and irets to the interrupted code.
 * The system vectors from 0xec (the local APIC timer, IPIs, spurious) have no stubs here.
 */
export const IDT_ALIGN = 8n;
export const FIRST_EXTERNAL_VECTOR = 0x20;
export const FIRST_SYSTEM_VECTOR = 0xec;
export function irqEntry(vector: number): bigint {
  if (vector < FIRST_EXTERNAL_VECTOR || vector >= FIRST_SYSTEM_VECTOR) throw new RangeError(`vector 0x${vector.toString(16)} is not an external interrupt vector`);
  return entrySymbol('irq_entries_start') + BigInt(vector - FIRST_EXTERNAL_VECTOR) * IDT_ALIGN;
}

/**
 * Maps the entry code into kernel text (each section at its linked address, read-only; the
 * real-address ones on pages shared with other kernel functions), maps the rest of the per-CPU
 * area, points cpu_current_top_of_stack at the task's kernel stack, and registers every HLE point
 * with a body that says it is not modelled until someone defines it (defineEntryHle).
 */
export function loadEntryCode(k: Kernel, kernelStackTop: bigint) {
  for (const s of ENTRY.segments) {
    k.mapPageOnce(s.address, { writable: false, executable: s.executable }, s.bytes.length);
    k.writeBytes(s.address, s.bytes);
  }
  // Page 0 of the per-CPU area (fixed_percpu_data) is mapped with the stack canary; the rest here.
  k.mapRange(PER_CPU + 4096n, Math.ceil(ENTRY.percpuSize / 4096) * 4096 - 4096, { writable: true, executable: false });
  writePerCpu64(k, 'cpu_current_top_of_stack', kernelStackTop);
  for (const name of ENTRY.hle) {
    defineEntryHle(k, name, 'vmlinux', () => {
      throw new NotModelled(`${name} is called by the entry code but not modelled here`);
    });
  }
}

/**
 * Gives an HLE point of the entry code its body: when RIP reaches the symbol, `body` runs with the
 * System V arguments (e.g. common_interrupt(struct pt_regs *regs, unsigned long vector)) and
 * returns into the assembly, which restores the registers and leaves with iretq or sysretq.
 */
export function defineEntryHle(k: Kernel, name: string, source: string, body: HleBody) {
  if (!ENTRY.hle.includes(name)) throw new RangeError(`${name} is not an HLE point of the entry code`);
  const fn: HleFunction = { name, source, convention: 'sysv', body };
  k.m.hle.register(k.physical(entrySymbol(name)), fn);
}

/** The address of a per-CPU variable on the one CPU. */
export const perCpu = (name: string) => {
  const off = ENTRY.percpu[name];
  if (off === undefined) throw new RangeError(`no per-CPU variable ${name}`);
  return PER_CPU + BigInt(off);
};

function writePerCpu64(k: Kernel, name: string, value: bigint) {
  k.writeBytes(perCpu(name), Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn)));
}

/**
 * GS as the kernel leaves it on every return to user space (swapgs just before sysretq/iretq):
 * the user's GS base (0: the samples never set one) active, this CPU's per-CPU area waiting in
 * MSR_KERNEL_GS_BASE for the next swapgs on entry. The model starts programs in this state.
 */
export function setUserGs(k: Kernel) {
  k.m.s.gsBase = { lo: 0, hi: 0 };
  k.m.s.kernelGsBase = split(PER_CPU);
}
