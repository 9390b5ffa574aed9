// Models: struct pt_regs (arch/x86/include/asm/ptrace.h), the registers of an interrupted context
// as the entry code saves them on the kernel stack, read and written by the emulated C handlers
// (do_syscall_64 writes regs->ax, fixup_exception() regs->ip, the fault handlers read ip/cs/sp).
// Offsets come from the headers' asm/ptrace-abi.h through src/sim/data/kernel-entry.json.
// Simplifies: nothing.
import type { Kernel } from './kernel';
import type { U64 } from '../cpu/state';
import { ENTRY } from './entry';

/** pt_regs field names (ptrace.h) → the ptrace-abi.h constant giving their offset. */
const FIELDS = {
  r15: 'R15', r14: 'R14', r13: 'R13', r12: 'R12', bp: 'RBP', bx: 'RBX', r11: 'R11', r10: 'R10', r9: 'R9', r8: 'R8',
  ax: 'RAX', cx: 'RCX', dx: 'RDX', si: 'RSI', di: 'RDI', orig_ax: 'ORIG_RAX', ip: 'RIP', cs: 'CS', flags: 'EFLAGS', sp: 'RSP', ss: 'SS',
} as const;

export type PtRegsField = keyof typeof FIELDS;
export type PtRegs = Record<PtRegsField, bigint>;

/** sizeof(struct pt_regs): FRAME_SIZE, 168 bytes. */
export const PT_REGS_SIZE = ENTRY.ptRegs['FRAME_SIZE']!;

export const ptRegsOffset = (field: PtRegsField) => ENTRY.ptRegs[FIELDS[field]]!;

const le64 = (bytes: number[], at: number) => bytes.slice(at, at + 8).reduceRight((v, b) => (v << 8n) | BigInt(b), 0n);

/** Reads the whole structure at `at` (a kernel-stack address). */
export function readPtRegs(k: Kernel, at: bigint): PtRegs {
  const bytes = k.readBytes(at, PT_REGS_SIZE);
  const out = {} as PtRegs;
  for (const f of Object.keys(FIELDS) as PtRegsField[]) out[f] = le64(bytes, ptRegsOffset(f));
  return out;
}

/** Some fields as 64-bit halves (no BigInt: the system-call path reads its six arguments so). */
export function readPtRegsU64(k: Kernel, at: bigint, fields: readonly PtRegsField[]): U64[] {
  const bytes = k.readBytes(at, PT_REGS_SIZE);
  const word = (o: number) => (bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24)) >>> 0;
  return fields.map((f) => ({ lo: word(ptRegsOffset(f)), hi: word(ptRegsOffset(f) + 4) }));
}

/** regs->field = value (64 bits, two's complement for negative numbers). */
export function writePtReg(k: Kernel, at: bigint, field: PtRegsField, value: bigint) {
  const v = BigInt.asUintN(64, value);
  k.writeBytes(at + BigInt(ptRegsOffset(field)), Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn)));
}
