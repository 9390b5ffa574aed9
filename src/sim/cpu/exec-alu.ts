// Models: the arithmetic, logic, shift, multiply/divide, bit-test and conditional instructions
// (Intel SDM Vol. 2: ADD…XOR, CMP, TEST, INC, DEC, NEG, NOT, SHL…ROR, MUL, IMUL, DIV, IDIV, BT,
// BTS, BTR, SETcc, CMOVcc). Simplifies: nothing beyond alu.ts and alu-wide.ts.
import { add, incDec, logic, neg, not, out, sub } from './alu';
import { bitTest, divide, multiplyTruncated, multiplyWide, outHigh, shift, type ShiftOp } from './alu-wide';
import { CpuFault, DE, NotModelled } from './fault';
import { CF, conditionHolds } from './flags';
import type { Instruction, Size } from './instruction';
import type { Machine } from '../machine';
import { read, sizeOf, val, write } from './operands';
import { RAX, RDX } from './state';

type Handler = (m: Machine, insn: Instruction) => void;

type Compute = (aLo: number, aHi: number, bLo: number, bHi: number, size: Size, flags: number) => void;

/** The two-operand ALU operations, by name (shared with exec-fast.ts). */
export const COMPUTE: Record<string, Compute> = {
  add: (a, ah, b, bh, z, f) => add(a, ah, b, bh, 0, z, f),
  adc: (a, ah, b, bh, z, f) => add(a, ah, b, bh, f & CF ? 1 : 0, z, f),
  sub: (a, ah, b, bh, z, f) => sub(a, ah, b, bh, 0, z, f),
  sbb: (a, ah, b, bh, z, f) => sub(a, ah, b, bh, f & CF ? 1 : 0, z, f),
  cmp: (a, ah, b, bh, z, f) => sub(a, ah, b, bh, 0, z, f),
  and: (a, ah, b, bh, z, f) => logic('and', a, ah, b, bh, z, f),
  test: (a, ah, b, bh, z, f) => logic('and', a, ah, b, bh, z, f),
  or: (a, ah, b, bh, z, f) => logic('or', a, ah, b, bh, z, f),
  xor: (a, ah, b, bh, z, f) => logic('xor', a, ah, b, bh, z, f),
};

/** Two-operand ALU instructions; registers and immediates are read directly (the hot path). */
function binary(kind: 'add' | 'adc' | 'sub' | 'sbb' | 'cmp' | 'and' | 'or' | 'xor' | 'test'): Handler {
  const compute = COMPUTE[kind]!;
  const writes = kind !== 'cmp' && kind !== 'test';
  return (m, insn) => {
    const d = insn.operands[0]!, s = insn.operands[1]!;
    const size = d.kind === 'reg' ? d.size : sizeOf(insn, 0);
    const regs = m.s.regs;
    let bLo: number, bHi: number;
    if (s.kind === 'imm') (bLo = s.lo), (bHi = s.hi);
    else if (s.kind === 'reg' && !s.high8) (bLo = regs[s.reg * 2]!), (bHi = regs[s.reg * 2 + 1]!);
    else {
      read(m, s, size);
      (bLo = val.lo), (bHi = val.hi);
    }
    if (d.kind === 'reg' && !d.high8) {
      compute(regs[d.reg * 2]!, regs[d.reg * 2 + 1]!, bLo, bHi, size, m.s.rflags);
      if (writes) m.setReg(d.reg, size, false, out.lo, out.hi);
    } else {
      read(m, d, size);
      compute(val.lo, val.hi, bLo, bHi, size, m.s.rflags);
      if (writes) write(m, d, size, out.lo, out.hi);
    }
    m.s.rflags = out.flags;
  };
}

function unary(kind: 'inc' | 'dec' | 'neg' | 'not'): Handler {
  return (m, insn) => {
    const d = insn.operands[0]!;
    const size = sizeOf(insn, 0);
    read(m, d, size);
    const f = m.s.rflags;
    if (kind === 'inc' || kind === 'dec') incDec(kind === 'dec', val.lo, val.hi, size, f);
    else if (kind === 'neg') neg(val.lo, val.hi, size, f);
    else not(val.lo, val.hi, size, f);
    write(m, d, size, out.lo, out.hi);
    m.s.rflags = out.flags;
  };
}

function shifter(kind: ShiftOp): Handler {
  return (m, insn) => {
    const d = insn.operands[0]!;
    const size = sizeOf(insn, 0);
    const c = insn.operands[1];
    const count = !c ? 1 : c.kind === 'imm' ? c.lo & 0xff : c.kind === 'reg' ? m.lo(c.reg) & 0xff : (read(m, c, 1), val.lo & 0xff);
    if (d.kind === 'reg' && !d.high8) {
      shift(kind, m.lo(d.reg), m.hi(d.reg), count, size, m.s.rflags);
      m.setReg(d.reg, size, false, out.lo, out.hi);
    } else {
      read(m, d, size);
      shift(kind, val.lo, val.hi, count, size, m.s.rflags);
      write(m, d, size, out.lo, out.hi);
    }
    m.s.rflags = out.flags;
  };
}

/** The accumulator pair for mul/div: AL/AH for bytes, else rAX and rDX. */
function accumulate(m: Machine, size: Size, lo: number, hi: number, highLo: number, highHi: number) {
  if (size === 1) m.setReg(RAX, 2, false, (lo & 0xff) | ((highLo & 0xff) << 8), 0);
  else {
    m.setReg(RAX, size, false, lo, hi);
    m.setReg(RDX, size, false, highLo, highHi);
  }
}

const wideMultiply = (signed: boolean): Handler => (m, insn) => {
  const size = sizeOf(insn, 0);
  read(m, insn.operands[0]!, size);
  multiplyWide(signed, m.lo(RAX), m.hi(RAX), val.lo, val.hi, size, m.s.rflags);
  accumulate(m, size, out.lo, out.hi, outHigh.lo, outHigh.hi);
  m.s.rflags = out.flags;
};

const imul: Handler = (m, insn) => {
  if (insn.operands.length === 1) return wideMultiply(true)(m, insn);
  const size = sizeOf(insn, 0);
  const [d, s1, s2] = insn.operands;
  // imul r, r/m multiplies the destination; imul r, r/m, imm multiplies the second operand.
  read(m, s2 ?? s1!, size);
  const bLo = val.lo, bHi = val.hi;
  read(m, s2 ? s1! : d!, size);
  multiplyTruncated(val.lo, val.hi, bLo, bHi, size, m.s.rflags);
  write(m, d!, size, out.lo, out.hi);
  m.s.rflags = out.flags;
};

const division = (signed: boolean): Handler => (m, insn) => {
  const size = sizeOf(insn, 0);
  read(m, insn.operands[0]!, size);
  const ax = m.lo(RAX);
  const ok =
    size === 1
      ? divide(signed, ax & 0xff, 0, (ax >>> 8) & 0xff, 0, val.lo, val.hi, 1, m.s.rflags)
      : divide(signed, m.lo(RAX), m.hi(RAX), m.lo(RDX), m.hi(RDX), val.lo, val.hi, size, m.s.rflags);
  if (!ok) throw new CpuFault(DE, undefined, val.lo === 0 && val.hi === 0 ? 'division by zero' : 'the quotient does not fit the destination');
  accumulate(m, size, out.lo, out.hi, outHigh.lo, outHigh.hi);
};

function bitOp(kind: 'bt' | 'bts' | 'btr'): Handler {
  return (m, insn) => {
    const [d, s] = insn.operands as [Instruction['operands'][0], Instruction['operands'][0]];
    const size = sizeOf(insn, 0);
    read(m, s, size);
    const bit = val.lo;
    // With a register offset, a memory bit string extends beyond the operand (SDM "Bit(BitBase, BitOffset)").
    if (d.kind === 'mem' && s.kind === 'reg') throw new NotModelled(`${insn.mnemonic} on memory with a register bit offset`);
    read(m, d, size);
    bitTest(kind, val.lo, val.hi, bit, size, m.s.rflags);
    if (kind !== 'bt') write(m, d, size, out.lo, out.hi);
    m.s.rflags = out.flags;
  };
}

const setcc: Handler = (m, insn) => {
  write(m, insn.operands[0]!, 1, conditionHolds(insn.cond, m.s.rflags) ? 1 : 0, 0);
};

const cmovcc: Handler = (m, insn) => {
  const size = sizeOf(insn, 0);
  read(m, insn.operands[1]!, size);
  if (conditionHolds(insn.cond, m.s.rflags)) write(m, insn.operands[0]!, size, val.lo, val.hi);
  else if (size === 4) write(m, insn.operands[0]!, 4, m.lo((insn.operands[0] as { reg: number }).reg), 0); // 32-bit cmov always zero-extends
};

export const ALU_HANDLERS: Record<string, Handler> = {
  add: binary('add'), adc: binary('adc'), sub: binary('sub'), sbb: binary('sbb'), cmp: binary('cmp'),
  and: binary('and'), or: binary('or'), xor: binary('xor'), test: binary('test'),
  inc: unary('inc'), dec: unary('dec'), neg: unary('neg'), not: unary('not'),
  shl: shifter('shl'), sal: shifter('shl'), shr: shifter('shr'), sar: shifter('sar'), rol: shifter('rol'), ror: shifter('ror'),
  mul: wideMultiply(false), imul, div: division(false), idiv: division(true),
  bt: bitOp('bt'), bts: bitOp('bts'), btr: bitOp('btr'),
  setcc, cmovcc,
};
