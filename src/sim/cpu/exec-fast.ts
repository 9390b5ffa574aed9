// Models: nothing new — the same semantics as exec-alu.ts, exec-data.ts and exec-control.ts for
// the most frequent operand forms (register or immediate operands, 32/64-bit), specialised once
// when an instruction is first decoded so that executing it does no operand dispatch.
// Simplifies: only forms whose general handlers would read no memory; everything else falls back.
import { add, logic, out, sub } from './alu';
import { shift } from './alu-wide';
import { conditionHolds } from './flags';
import { COMPUTE } from './exec-alu';
import type { Instruction, Size } from './instruction';
import type { Machine } from '../machine';
import { isCanonical } from '../mem/paging';
import { gp0 } from './fault';

type Handler = (m: Machine, insn: Instruction) => void;

/** Operations whose result is discarded (they only set flags). */
const FLAGS_ONLY = new Set(['cmp', 'test']);

/** Stores a 32- or 64-bit result into register index i (32-bit writes clear the upper half). */
const store = (regs: Uint32Array, i: number, size: Size, lo: number, hi: number) => {
  regs[i] = lo;
  regs[i + 1] = size === 8 ? hi : 0;
};

/** A specialised handler for this instruction, or undefined to use the general one. */
export function specialise(insn: Instruction): Handler | undefined {
  const [d, s] = insn.operands;
  const wide = (o: typeof d) => o?.kind === 'reg' && !o.high8 && (o.size === 4 || o.size === 8);

  if (COMPUTE[insn.op] && wide(d) && d!.kind === 'reg' && (s?.kind === 'imm' || wide(s))) {
    const di = d!.reg * 2, size = d!.size;
    if (s!.kind === 'imm') return regImm(insn.op, di, size, s!.lo, s!.hi);
    return regReg(insn.op, di, (s as { reg: number }).reg * 2, size);
  }

  if (insn.op === 'mov' && wide(d) && d!.kind === 'reg') {
    const di = d!.reg * 2, size = d!.size;
    if (s?.kind === 'imm') {
      const lo = s.lo, hi = s.hi;
      return (m) => store(m.s.regs, di, size, lo, hi);
    }
    if (wide(s) && s!.kind === 'reg') {
      const si = s!.reg * 2;
      return (m) => {
        const regs = m.s.regs;
        store(regs, di, size, regs[si]!, regs[si + 1]!);
      };
    }
  }

  if ((insn.op === 'shl' || insn.op === 'shr' || insn.op === 'sar') && wide(d) && d!.kind === 'reg' && s?.kind === 'imm') {
    const di = d!.reg * 2, size = d!.size, count = s.lo & 0xff, op = insn.op;
    return (m) => {
      const regs = m.s.regs;
      shift(op, regs[di]!, regs[di + 1]!, count, size, m.s.rflags);
      store(regs, di, size, out.lo, out.hi);
      m.s.rflags = out.flags;
    };
  }

  if ((insn.op === 'jcc' || insn.op === 'jmp') && d?.kind === 'rel') {
    const lo = d.lo, hi = d.hi, cond = insn.cond, always = insn.op === 'jmp';
    const canonical = isCanonical(hi);
    return (m) => {
      if (!always && !conditionHolds(cond, m.s.rflags)) return;
      if (!canonical) throw gp0('the jump target is not canonical');
      m.nextLo = lo;
      m.nextHi = hi;
    };
  }
  return undefined;
}

/*
 * One distinct function per operation: a shared closure calling a captured `compute` would make
 * that call site megamorphic, and the engine could no longer inline the ALU into it.
 */
function regImm(op: string, di: number, size: Size, bLo: number, bHi: number): Handler {
  switch (op) {
    case 'add':
      return (m) => { const r = m.s.regs; add(r[di]!, r[di + 1]!, bLo, bHi, 0, size, m.s.rflags); store(r, di, size, out.lo, out.hi); m.s.rflags = out.flags; };
    case 'sub':
      return (m) => { const r = m.s.regs; sub(r[di]!, r[di + 1]!, bLo, bHi, 0, size, m.s.rflags); store(r, di, size, out.lo, out.hi); m.s.rflags = out.flags; };
    case 'cmp':
      return (m) => { const r = m.s.regs; sub(r[di]!, r[di + 1]!, bLo, bHi, 0, size, m.s.rflags); m.s.rflags = out.flags; };
    case 'and':
      return (m) => { const r = m.s.regs; logic('and', r[di]!, r[di + 1]!, bLo, bHi, size, m.s.rflags); store(r, di, size, out.lo, out.hi); m.s.rflags = out.flags; };
    case 'test':
      return (m) => { const r = m.s.regs; logic('and', r[di]!, r[di + 1]!, bLo, bHi, size, m.s.rflags); m.s.rflags = out.flags; };
    case 'or':
      return (m) => { const r = m.s.regs; logic('or', r[di]!, r[di + 1]!, bLo, bHi, size, m.s.rflags); store(r, di, size, out.lo, out.hi); m.s.rflags = out.flags; };
    case 'xor':
      return (m) => { const r = m.s.regs; logic('xor', r[di]!, r[di + 1]!, bLo, bHi, size, m.s.rflags); store(r, di, size, out.lo, out.hi); m.s.rflags = out.flags; };
  }
  const compute = COMPUTE[op]!, writes = !FLAGS_ONLY.has(op);
  return (m) => {
    const r = m.s.regs;
    compute(r[di]!, r[di + 1]!, bLo, bHi, size, m.s.rflags);
    if (writes) store(r, di, size, out.lo, out.hi);
    m.s.rflags = out.flags;
  };
}

function regReg(op: string, di: number, si: number, size: Size): Handler {
  switch (op) {
    case 'add':
      return (m) => { const r = m.s.regs; add(r[di]!, r[di + 1]!, r[si]!, r[si + 1]!, 0, size, m.s.rflags); store(r, di, size, out.lo, out.hi); m.s.rflags = out.flags; };
    case 'sub':
      return (m) => { const r = m.s.regs; sub(r[di]!, r[di + 1]!, r[si]!, r[si + 1]!, 0, size, m.s.rflags); store(r, di, size, out.lo, out.hi); m.s.rflags = out.flags; };
    case 'cmp':
      return (m) => { const r = m.s.regs; sub(r[di]!, r[di + 1]!, r[si]!, r[si + 1]!, 0, size, m.s.rflags); m.s.rflags = out.flags; };
    case 'and':
      return (m) => { const r = m.s.regs; logic('and', r[di]!, r[di + 1]!, r[si]!, r[si + 1]!, size, m.s.rflags); store(r, di, size, out.lo, out.hi); m.s.rflags = out.flags; };
    case 'test':
      return (m) => { const r = m.s.regs; logic('and', r[di]!, r[di + 1]!, r[si]!, r[si + 1]!, size, m.s.rflags); m.s.rflags = out.flags; };
    case 'or':
      return (m) => { const r = m.s.regs; logic('or', r[di]!, r[di + 1]!, r[si]!, r[si + 1]!, size, m.s.rflags); store(r, di, size, out.lo, out.hi); m.s.rflags = out.flags; };
    case 'xor':
      return (m) => { const r = m.s.regs; logic('xor', r[di]!, r[di + 1]!, r[si]!, r[si + 1]!, size, m.s.rflags); store(r, di, size, out.lo, out.hi); m.s.rflags = out.flags; };
  }
  const compute = COMPUTE[op]!, writes = !FLAGS_ONLY.has(op);
  return (m) => {
    const r = m.s.regs;
    compute(r[di]!, r[di + 1]!, r[si]!, r[si + 1]!, size, m.s.rflags);
    if (writes) store(r, di, size, out.lo, out.hi);
    m.s.rflags = out.flags;
  };
}
