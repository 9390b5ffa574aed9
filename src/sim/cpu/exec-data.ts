// Models: data movement (Intel SDM Vol. 2: MOV, MOVZX, MOVSX, MOVSXD, LEA, PUSH, POP, PUSHFQ,
// POPFQ, XCHG, XADD, CMPXCHG, CBW/CWDE/CDQE, CWD/CDQ/CQO) and string moves (MOVS, STOS with REP).
// Simplifies: a REP string instruction runs to completion in one step (real processors may take
// interrupts between iterations); a fault part-way leaves RCX/RSI/RDI at the faulting element.
import { add, out, sub } from './alu';
import { DF, IF, IOPL, RF, WRITABLE, ZF } from './flags';
import type { Instruction } from './instruction';
import type { Machine } from '../machine';
import { NotModelled } from './fault';
import { ea, effectiveAddress, pop, push, read, sizeOf, val, write } from './operands';
import { RAX, RCX, RDI, RDX, RSI } from './state';

type Handler = (m: Machine, insn: Instruction) => void;

const mov: Handler = (m, insn) => {
  const d = insn.operands[0]!, s = insn.operands[1]!;
  const size = sizeOf(insn, 0);
  if (s.kind === 'imm') write(m, d, size, s.lo, s.hi);
  else if (s.kind === 'reg' && !s.high8 && d.kind === 'reg') m.setReg(d.reg, size, d.high8, m.lo(s.reg), m.hi(s.reg));
  else {
    read(m, s, size);
    write(m, d, size, val.lo, val.hi);
  }
};

function extend(signed: boolean): Handler {
  return (m, insn) => {
    const dsize = sizeOf(insn, 0), ssize = sizeOf(insn, 1);
    read(m, insn.operands[1]!, ssize);
    let lo = val.lo, hi = 0;
    if (signed) {
      const bits = ssize * 8;
      if (bits < 32) lo = (lo << (32 - bits)) >> (32 - bits);
      hi = (lo | 0) < 0 ? 0xffffffff : 0;
      lo >>>= 0;
    }
    write(m, insn.operands[0]!, dsize, lo, hi);
  };
}

const lea: Handler = (m, insn) => {
  effectiveAddress(m, insn.operands[1] as Extract<Instruction['operands'][0], { kind: 'mem' }>);
  write(m, insn.operands[0]!, sizeOf(insn, 0), ea.lo, ea.hi);
};

const pushOp: Handler = (m, insn) => {
  const size = insn.opsize === 2 ? 2 : 8;
  read(m, insn.operands[0]!, size);
  push(m, val.lo, val.hi, size);
};

const popOp: Handler = (m, insn) => {
  const size = insn.opsize === 2 ? 2 : 8;
  pop(m, size);
  write(m, insn.operands[0]!, size, val.lo, val.hi);
};

const pushfq: Handler = (m, insn) => {
  if (insn.opsize === 2) throw new NotModelled('pushfw (a 16-bit flags push)');
  push(m, m.s.rflags & ~(RF | (1 << 17)), 0);
};

const popfq: Handler = (m, insn) => {
  if (insn.opsize === 2) throw new NotModelled('popfw (a 16-bit flags pop)');
  pop(m);
  const cpl = m.cpl;
  const iopl = (m.s.rflags & IOPL) >>> 12;
  let mask = WRITABLE & ~RF;
  if (cpl > 0) mask &= ~IOPL;
  if (cpl > iopl) mask &= ~IF;
  m.s.rflags = ((m.s.rflags & ~mask) | (val.lo & mask) | 2) >>> 0;
};

const xchg: Handler = (m, insn) => {
  const size = sizeOf(insn, 0);
  const [a, b] = insn.operands as [Instruction['operands'][0], Instruction['operands'][0]];
  read(m, a, size);
  const aLo = val.lo, aHi = val.hi;
  read(m, b, size);
  write(m, a, size, val.lo, val.hi);
  write(m, b, size, aLo, aHi);
};

const xadd: Handler = (m, insn) => {
  const size = sizeOf(insn, 0);
  const [d, s] = insn.operands as [Instruction['operands'][0], Instruction['operands'][0]];
  read(m, s, size);
  const sLo = val.lo, sHi = val.hi;
  read(m, d, size);
  const dLo = val.lo, dHi = val.hi;
  add(dLo, dHi, sLo, sHi, 0, size, m.s.rflags);
  const rLo = out.lo, rHi = out.hi, flags = out.flags;
  write(m, d, size, rLo, rHi);
  write(m, s, size, dLo, dHi);
  m.s.rflags = flags;
};

const cmpxchg: Handler = (m, insn) => {
  const size = sizeOf(insn, 0);
  const [d, s] = insn.operands as [Instruction['operands'][0], Instruction['operands'][0]];
  read(m, d, size);
  const dLo = val.lo, dHi = val.hi;
  const aLo = m.lo(RAX), aHi = m.hi(RAX);
  sub(aLo, aHi, dLo, dHi, 0, size, m.s.rflags);
  const flags = out.flags;
  if (flags & ZF) {
    read(m, s, size);
    write(m, d, size, val.lo, val.hi);
  } else {
    // A memory destination is written back unchanged; a register one is left alone (so a 32-bit
    // register keeps its upper half — checked on the real CPU).
    if (d.kind === 'mem') write(m, d, size, dLo, dHi);
    m.setReg(RAX, size, false, dLo, dHi);
  }
  m.s.rflags = flags;
};

/** cbw, cwde, cdqe (one opcode, by operand size): sign-extend the lower half of rAX into all of it. */
const signExtendAcc: Handler = (m, insn) => {
  const size = insn.opsize;
  const lo = m.lo(RAX);
  if (size === 2) m.setReg(RAX, 2, false, (lo << 24) >> 24, 0);
  else if (size === 4) m.setReg(RAX, 4, false, ((lo << 16) >> 16) >>> 0, 0);
  else m.setReg(RAX, 8, false, lo, lo & 0x80000000 ? 0xffffffff : 0);
};

/** cwd, cdq, cqo (one opcode, by operand size): fill rDX with the sign of rAX. */
const signIntoRdx: Handler = (m, insn) => {
  const size = insn.opsize;
  const negative = size === 8 ? m.hi(RAX) >>> 31 : size === 4 ? m.lo(RAX) >>> 31 : (m.lo(RAX) >>> 15) & 1;
  m.setReg(RDX, size, false, negative ? 0xffffffff : 0, negative ? 0xffffffff : 0);
};

/** One element of movs/stos, stepping RSI/RDI by DF. */
function stringStep(m: Machine, insn: Instruction, kind: 'movs' | 'stos') {
  const size = insn.opsize;
  const step = m.s.rflags & DF ? -size : size;
  if (kind === 'movs') {
    m.mmu.read(m.lo(RSI), m.hi(RSI), size);
    const lo = m.mmu.vLo, hi = m.mmu.vHi;
    m.mmu.write(m.lo(RDI), m.hi(RDI), size, lo, hi);
    advance(m, RSI, step);
  } else {
    m.mmu.write(m.lo(RDI), m.hi(RDI), size, m.lo(RAX), m.hi(RAX));
  }
  advance(m, RDI, step);
}

function advance(m: Machine, r: number, by: number) {
  const lo = m.lo(r);
  const sum = lo + by;
  const hi = sum > 0xffffffff ? m.hi(r) + 1 : sum < 0 ? m.hi(r) - 1 : m.hi(r);
  m.setReg(r, 8, false, sum >>> 0, hi >>> 0);
}

const stringOp = (kind: 'movs' | 'stos'): Handler => (m, insn) => {
  if (!insn.prefixes.rep && !insn.prefixes.repne) return stringStep(m, insn, kind);
  while (m.lo(RCX) !== 0 || m.hi(RCX) !== 0) {
    stringStep(m, insn, kind);
    advance(m, RCX, -1);
  }
};

export const DATA_HANDLERS: Record<string, Handler> = {
  mov, movabs: mov, movzx: extend(false), movsx: extend(true), movsxd: extend(true), lea,
  push: pushOp, pop: popOp, pushfq, popfq, pushf: pushfq, popf: popfq,
  xchg, xadd, cmpxchg,
  cbw: signExtendAcc, cwde: signExtendAcc, cdqe: signExtendAcc, cwd: signIntoRdx, cdq: signIntoRdx, cqo: signIntoRdx,
  movs: stringOp('movs'), stos: stringOp('stos'),
};
