// Models: operand access in 64-bit mode (Intel SDM Vol. 1 §3.7): registers of every size, memory
// by base + index·scale + displacement (or RIP-relative), FS/GS bases, immediates.
// Simplifies: segment limits do not exist in 64-bit mode, so only FS and GS add anything.
import type { Instruction, MemOperand, Operand, Size } from './instruction';
import type { Machine } from '../machine';
import { RBP, RSP } from './state';
import { NotModelled } from './fault';

/** Effective address of the last ea() call. */
export const ea = { lo: 0, hi: 0 };

function addTo(lo: number, hi: number, addLo: number, addHi: number) {
  const sum = (lo >>> 0) + (addLo >>> 0);
  ea.lo = sum >>> 0;
  ea.hi = (hi + addHi + (sum > 0xffffffff ? 1 : 0)) >>> 0;
}

/** Computes a memory operand's linear address into `ea`. */
export function effectiveAddress(m: Machine, op: MemOperand): void {
  let lo: number, hi: number;
  if (op.ripRelative) {
    lo = m.nextLo;
    hi = m.nextHi;
  } else if (op.base >= 0) {
    lo = m.lo(op.base);
    hi = m.hi(op.base);
  } else {
    lo = 0;
    hi = 0;
  }
  if (op.index >= 0) {
    const il = m.lo(op.index), ih = m.hi(op.index);
    const shift = op.scale === 1 ? 0 : op.scale === 2 ? 1 : op.scale === 4 ? 2 : 3;
    const sl = (il << shift) >>> 0;
    const sh = shift ? ((ih << shift) | (il >>> (32 - shift))) >>> 0 : ih;
    addTo(lo, hi, sl, sh);
    lo = ea.lo;
    hi = ea.hi;
  }
  addTo(lo, hi, op.disp >>> 0, op.disp < 0 ? 0xffffffff : 0);
  if (op.addr32) ea.hi = 0;
  if (op.segment === 'fs') addTo(ea.lo, ea.hi, m.s.fsBase.lo, m.s.fsBase.hi);
  else if (op.segment === 'gs') addTo(ea.lo, ea.hi, m.s.gsBase.lo, m.s.gsBase.hi);
}

/** Stack references (base rsp or rbp) fault with #SS rather than #GP when non-canonical. */
const isStack = (op: MemOperand) => !op.ripRelative && (op.base === RSP || op.base === RBP);

/** Value of the last read(). */
export const val = { lo: 0, hi: 0 };

/** Reads an operand at the given size (immediates are already extended). */
export function read(m: Machine, op: Operand, size: Size): void {
  switch (op.kind) {
    case 'reg': {
      const lo = m.lo(op.reg);
      val.hi = size === 8 && !op.high8 ? m.hi(op.reg) : 0;
      if (op.high8) val.lo = (lo >>> 8) & 0xff;
      else val.lo = size >= 4 ? lo : lo & (size === 2 ? 0xffff : 0xff);
      return;
    }
    case 'mem':
      effectiveAddress(m, op);
      m.mmu.read(ea.lo, ea.hi, size, false, isStack(op));
      val.lo = m.mmu.vLo;
      val.hi = m.mmu.vHi;
      return;
    case 'imm':
    case 'rel':
      val.lo = op.lo;
      val.hi = op.hi;
      return;
    case 'sreg':
      val.lo = m.s[SEGMENTS[op.index]!] ?? 0;
      val.hi = 0;
      return;
    default:
      throw new NotModelled(`reading ${op.kind} operands outside mov`);
  }
}

const SEGMENTS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;

/** Writes an operand (register rules: 32-bit writes clear the upper half). */
export function write(m: Machine, op: Operand, size: Size, lo: number, hi: number): void {
  if (op.kind === 'reg') m.setReg(op.reg, size, op.high8, lo, hi);
  else if (op.kind === 'mem') {
    effectiveAddress(m, op);
    m.mmu.write(ea.lo, ea.hi, size, lo, hi, false, isStack(op));
  } else if (op.kind === 'sreg' && op.index !== 1 && op.index < 6) {
    m.s[SEGMENTS[op.index]!] = lo & 0xffff; // a segment load keeps only the selector here
  } else throw new NotModelled(`writing a ${op.kind} operand${op.kind === 'sreg' ? ' (CS cannot be loaded this way)' : ''}`);
}

/** The operand size of operand i: its own for registers and memory, else the instruction's. */
export function sizeOf(insn: Instruction, i: number): Size {
  const op = insn.operands[i];
  if (op && (op.kind === 'reg' || op.kind === 'imm')) return op.size;
  if (op && op.kind === 'mem' && op.size >= 1 && op.size <= 8) return op.size as Size;
  return insn.opsize;
}

/** Pushes a 64-bit value. */
export function push(m: Machine, lo: number, hi: number, size: 8 | 2 = 8) {
  const rl = m.lo(RSP), rh = m.hi(RSP);
  const nl = (rl - size) >>> 0;
  const nh = nl > rl ? (rh - 1) >>> 0 : rh;
  m.mmu.write(nl, nh, size, lo, hi, false, true);
  m.setReg(RSP, 8, false, nl, nh);
}

/** Pops a value into val (RSP is updated after the read succeeds). */
export function pop(m: Machine, size: 8 | 2 = 8) {
  const rl = m.lo(RSP), rh = m.hi(RSP);
  m.mmu.read(rl, rh, size, false, true);
  val.lo = m.mmu.vLo;
  val.hi = m.mmu.vHi;
  const nl = (rl + size) >>> 0;
  m.setReg(RSP, 8, false, nl, nl < rl ? (rh + 1) >>> 0 : rh);
}
