// Models: struct pt_regs (arch/x86/include/asm/ptrace.h), the registers of an interrupted context
// as the entry code saves them on the kernel stack, read and written by the emulated C handlers
// (do_syscall_64 writes regs->ax, fixup_exception() regs->ip, the fault handlers read ip/cs/sp).
// Offsets come from the headers' asm/ptrace-abi.h through src/sim/data/kernel-entry.json.
// Simplifies: nothing.
import type { Kernel } from './kernel';
import type { U64 } from '../cpu/state';
import { ENTRY } from './entry';
import { PAGE_SIZE } from '../mem/physical';

/** pt_regs field names (ptrace.h) → the ptrace-abi.h constant giving their offset. */
const FIELDS = {
  r15: 'R15', r14: 'R14', r13: 'R13', r12: 'R12', bp: 'RBP', bx: 'RBX', r11: 'R11', r10: 'R10', r9: 'R9', r8: 'R8',
  ax: 'RAX', cx: 'RCX', dx: 'RDX', si: 'RSI', di: 'RDI', orig_ax: 'ORIG_RAX', ip: 'RIP', cs: 'CS', flags: 'EFLAGS', sp: 'RSP', ss: 'SS',
} as const;

export type PtRegsField = keyof typeof FIELDS;
export type PtRegs = Record<PtRegsField, bigint>;

/** sizeof(struct pt_regs): FRAME_SIZE, 168 bytes (read from the installed entry code's data). */
export const ptRegsSize = () => ENTRY.ptRegs['FRAME_SIZE']!;

let cached: { from: Record<string, number>; offsets: Record<PtRegsField, number> } | undefined;
function offsets(): Record<PtRegsField, number> {
  const from = ENTRY.ptRegs;
  if (cached?.from !== from) cached = { from, offsets: Object.fromEntries(Object.entries(FIELDS).map(([f, c]) => [f, from[c]!])) as Record<PtRegsField, number> };
  return cached.offsets;
}
export const ptRegsOffset = (field: PtRegsField) => offsets()[field];

const le64 = (bytes: number[], at: number) => bytes.slice(at, at + 8).reduceRight((v, b) => (v << 8n) | BigInt(b), 0n);

/** Reads the whole structure at `at` (a kernel-stack address). */
export function readPtRegs(k: Kernel, at: bigint): PtRegs {
  const bytes = k.readBytes(at, ptRegsSize());
  const out = {} as PtRegs;
  const at0 = offsets();
  for (const f of Object.keys(FIELDS) as PtRegsField[]) out[f] = le64(bytes, at0[f]);
  return out;
}

/** The frame holding pt_regs and its offset there, or undefined if it straddles a page. */
function inFrame(k: Kernel, at: bigint, write: boolean): { frame: Uint8Array; base: number } | undefined {
  const pa = k.physical(at);
  const base = pa % PAGE_SIZE;
  if (base + ptRegsSize() > PAGE_SIZE) return undefined;
  const n = Math.floor(pa / PAGE_SIZE);
  const frame = write ? k.m.mem.frameForWrite(n) : k.m.mem.frameForRead(n);
  return frame ? { frame, base } : undefined;
}

/** Some fields as 64-bit halves, without BigInt (the system-call path reads its six arguments so). */
export function readPtRegsU64(k: Kernel, at: bigint, fields: readonly PtRegsField[]): U64[] {
  const f = inFrame(k, at, false);
  if (!f) {
    const all = readPtRegs(k, at);
    return fields.map((x) => ({ lo: Number(all[x] & 0xffffffffn), hi: Number(all[x] >> 32n) }));
  }
  const { frame, base } = f;
  const w = (o: number) => (frame[base + o]! | (frame[base + o + 1]! << 8) | (frame[base + o + 2]! << 16) | (frame[base + o + 3]! << 24)) >>> 0;
  return fields.map((x) => ({ lo: w(ptRegsOffset(x)), hi: w(ptRegsOffset(x) + 4) }));
}

/** regs->field = value (64 bits, two's complement for negative numbers). */
export function writePtReg(k: Kernel, at: bigint, field: PtRegsField, value: bigint) {
  const v = BigInt.asUintN(64, value);
  writePtRegU64(k, at, field, { lo: Number(v & 0xffffffffn), hi: Number(v >> 32n) });
}

/** regs->field = value, as halves. */
export function writePtRegU64(k: Kernel, at: bigint, field: PtRegsField, value: U64) {
  const f = inFrame(k, at, true);
  const bytes = [0, 8, 16, 24].map((s) => (value.lo >>> s) & 0xff).concat([0, 8, 16, 24].map((s) => (value.hi >>> s) & 0xff));
  if (!f) return k.writeBytes(at + BigInt(ptRegsOffset(field)), bytes);
  f.frame.set(bytes, f.base + ptRegsOffset(field));
}
