// Models: dispatch of a decoded instruction to its semantics (Intel SDM Vol. 2). Each handler
// reads operands, may fault (throwing CpuFault before changing state), writes results and sets
// m.nextLo/nextHi when it transfers control.
// Simplifies: an operation the decoder knows but no handler implements stops the machine with
// "not modelled" rather than guessing.
import type { Instruction } from './instruction';
import type { Machine } from '../machine';
import { NotModelled } from './fault';
import { ALU_HANDLERS } from './exec-alu';
import { CONTROL_HANDLERS } from './exec-control';
import { DATA_HANDLERS } from './exec-data';
import { SYSTEM_HANDLERS, movCr, movSreg } from './exec-system';
import { specialise } from './exec-fast';

export type Handler = (m: Machine, insn: Instruction) => void;

const HANDLERS = new Map<string, Handler>(Object.entries({ ...DATA_HANDLERS, ...ALU_HANDLERS, ...CONTROL_HANDLERS, ...SYSTEM_HANDLERS }));

/** The semantics of a decoded instruction (looked up once, when the instruction is cached). */
export function handlerFor(insn: Instruction): Handler {
  const fast = specialise(insn);
  if (fast) return fast;
  if (insn.op === 'mov') {
    const a = insn.operands[0]!.kind, b = insn.operands[1]!.kind;
    if (a === 'creg' || b === 'creg') return movCr;
    if (a === 'sreg' || b === 'sreg') return movSreg;
  }
  return (
    HANDLERS.get(insn.op) ??
    (() => {
      throw new NotModelled(`${insn.mnemonic} (operation "${insn.op}") has no modelled semantics`);
    })
  );
}

export function execute(m: Machine, insn: Instruction): void {
  handlerFor(insn)(m, insn);
}

/** True when the instruction has semantics (it will execute rather than stop as "not modelled"). */
export function isModelled(insn: Instruction): boolean {
  return HANDLERS.has(insn.op) || (insn.op === 'mov' && insn.operands.some((o) => o.kind === 'creg' || o.kind === 'sreg'));
}

/** Operations with semantics, for coverage checks against the decoder's list. */
export const MODELLED_OPERATIONS = [...HANDLERS.keys()].sort();
