// Models: control transfers within a ring (Intel SDM Vol. 2: JMP, Jcc, CALL, RET, LEAVE) and the
// instructions that do nothing architecturally visible here (NOP forms, ENDBR64, PAUSE).
// Simplifies: no CET shadow stack or indirect-branch tracking; ENDBR64 is a no-op.
import { conditionHolds } from './flags';
import type { Instruction } from './instruction';
import type { Machine } from '../machine';
import { pop, push, read, val } from './operands';
import { RBP, RSP } from './state';
import { isCanonical } from '../mem/paging';
import { gp0 } from './fault';

type Handler = (m: Machine, insn: Instruction) => void;

function jumpTo(m: Machine, lo: number, hi: number) {
  // A jump to a non-canonical address faults on the jump itself (#GP(0)), not on the next fetch.
  if (!isCanonical(hi)) throw gp0('the jump target is not canonical');
  m.nextLo = lo >>> 0;
  m.nextHi = hi >>> 0;
}

const jmp: Handler = (m, insn) => {
  read(m, insn.operands[0]!, 8);
  jumpTo(m, val.lo, val.hi);
};

const jcc: Handler = (m, insn) => {
  if (!conditionHolds(insn.cond, m.s.rflags)) return;
  const target = insn.operands[0]!;
  if (target.kind === 'rel') jumpTo(m, target.lo, target.hi);
  else {
    read(m, target, 8);
    jumpTo(m, val.lo, val.hi);
  }
};

const call: Handler = (m, insn) => {
  read(m, insn.operands[0]!, 8);
  const tLo = val.lo, tHi = val.hi;
  if (!isCanonical(tHi)) throw gp0('the call target is not canonical');
  push(m, m.nextLo, m.nextHi);
  jumpTo(m, tLo, tHi);
};

const ret: Handler = (m, insn) => {
  pop(m);
  const lo = val.lo, hi = val.hi;
  if (insn.operands[0]) {
    read(m, insn.operands[0], 2);
    const rl = m.lo(RSP);
    const sum = rl + (val.lo & 0xffff);
    m.setReg(RSP, 8, false, sum >>> 0, sum > 0xffffffff ? (m.hi(RSP) + 1) >>> 0 : m.hi(RSP));
  }
  jumpTo(m, lo, hi);
};

const leave: Handler = (m) => {
  m.setReg(RSP, 8, false, m.lo(RBP), m.hi(RBP));
  pop(m);
  m.setReg(RBP, 8, false, val.lo, val.hi);
};

const nothing: Handler = () => {};

export const CONTROL_HANDLERS: Record<string, Handler> = {
  jmp, jcc, call, ret, leave,
  nop: nothing, endbr64: nothing, pause: nothing,
};
