// Models: delivery of interrupts and exceptions in IA-32e mode (Intel SDM Vol. 3A §6.14): the
// 16-byte IDT gate, its checks (limit, type, presence, DPL for software interrupts only), the stack
// switch to TSS.RSPn or an IST stack, the aligned five-word frame plus error code, and double and
// triple faults (§6.15, Table 6-5).
// Simplifies: the target code segment's descriptor is checked for presence, code type and DPL;
// other descriptor fields (limits, conforming segments) are not modelled.
import { CpuFault, DF, GP, HAS_ERROR_CODE, NP, VECTOR_NAMES, isDoubleFault } from './fault';
import { IF, NT, RF, TF, VM } from './flags';
import type { Machine } from '../machine';
import { RSP, type U64 } from './state';

export type DeliveryKind = 'exception' | 'interrupt' | 'software';

/** Reads a 64-bit value the processor itself fetches from a system table (implicit supervisor read). */
function systemRead(m: Machine, baseLo: number, baseHi: number, offset: number, size: number): U64 {
  const lo = (baseLo + offset) >>> 0;
  const hi = lo < baseLo >>> 0 ? (baseHi + 1) >>> 0 : baseHi;
  m.mmu.read(lo, hi, size, true);
  return { lo: m.mmu.vLo, hi: m.mmu.vHi };
}

/** A code-segment descriptor from the GDT: its DPL, or a fault naming the selector. */
export function codeSegmentDpl(m: Machine, selector: number, ext: number): number {
  const index = selector & ~7;
  const bad = (why: string) => new CpuFault(GP, (selector & ~3) | ext, `code segment selector 0x${selector.toString(16)}: ${why}`);
  if (index === 0) throw bad('it is the null selector');
  if (index + 7 > m.s.gdtr.limit) throw bad('it is beyond the GDT limit');
  const d = systemRead(m, m.s.gdtr.base.lo, m.s.gdtr.base.hi, index, 8);
  const access = (d.hi >>> 8) & 0xff;
  if (!(access & 0x10) || !(access & 0x08)) throw bad('it is not a code segment');
  if (!(access & 0x80)) throw new CpuFault(NP, (selector & ~3) | ext, `code segment 0x${selector.toString(16)} is not present`);
  if (!(d.hi & (1 << 21))) throw bad('it is not a 64-bit code segment (L = 0)');
  return (access >>> 5) & 3;
}

/** Delivers a vector; a fault while doing so is handled per Table 6-5. */
export function deliver(m: Machine, vector: number, errorCode: number | undefined, kind: DeliveryKind, fault?: CpuFault) {
  if (kind === 'exception') {
    if (fault?.cr2) m.s.cr2 = { ...fault.cr2 };
    m.emit({ kind: 'cpu/faulted', vector, ...(errorCode === undefined ? {} : { errorCode }), rip: { ...m.s.rip }, ...(fault?.cr2 ? { cr2: { ...fault.cr2 } } : {}), reason: fault?.reason ?? VECTOR_NAMES[vector] ?? '' });
  }
  try {
    pushFrame(m, vector, errorCode, kind);
  } catch (e) {
    if (!(e instanceof CpuFault)) throw e;
    if (vector === DF) {
      m.stop('triple-fault', `a ${VECTOR_NAMES[e.vector] ?? e.vector} while delivering a double fault (${e.reason}): the processor shuts down`);
      return;
    }
    if (kind !== 'software' && kind !== 'interrupt' && isDoubleFault(vector, e.vector)) {
      m.emit({ kind: 'cpu/faulted', vector: e.vector, ...(e.errorCode === undefined ? {} : { errorCode: e.errorCode }), rip: { ...m.s.rip }, reason: `while delivering ${VECTOR_NAMES[vector]}: ${e.reason}` });
      deliver(m, DF, 0, 'exception', new CpuFault(DF, 0, `${VECTOR_NAMES[e.vector]} while delivering ${VECTOR_NAMES[vector]}`));
    } else {
      deliver(m, e.vector, e.errorCode, 'exception', e);
    }
  }
}

function pushFrame(m: Machine, vector: number, errorCode: number | undefined, kind: DeliveryKind) {
  const s = m.s;
  const ext = kind === 'software' ? 0 : 1;
  const idtError = (vector << 3) | 2 | ext;
  if (vector * 16 + 15 > s.idtr.limit) throw new CpuFault(GP, idtError, `vector ${vector} is beyond the IDT limit`);
  const low = systemRead(m, s.idtr.base.lo, s.idtr.base.hi, vector * 16, 8);
  const high = systemRead(m, s.idtr.base.lo, s.idtr.base.hi, vector * 16 + 8, 8);
  const attr = (low.hi >>> 8) & 0xff;
  const type = attr & 0xf;
  if (type !== 0xe && type !== 0xf) throw new CpuFault(GP, idtError, `IDT entry ${vector} is not an interrupt or trap gate`);
  const gateDpl = (attr >>> 5) & 3;
  if (kind === 'software' && gateDpl < m.cpl)
    throw new CpuFault(GP, idtError, `the gate for vector ${vector} has DPL ${gateDpl}, below CPL ${m.cpl}`);
  if (!(attr & 0x80)) throw new CpuFault(NP, idtError, `IDT entry ${vector} is not present`);
  const selector = (low.lo >>> 16) & 0xffff;
  const target = { lo: ((low.hi & 0xffff0000) | (low.lo & 0xffff)) >>> 0, hi: high.lo >>> 0 };
  const ist = low.hi & 7;
  const newCpl = codeSegmentDpl(m, selector, ext);
  const oldCpl = m.cpl;
  if (newCpl > oldCpl) throw new CpuFault(GP, (selector & ~3) | ext, 'an interrupt may not move to a less privileged ring');

  let rsp: U64 = m.get64(RSP);
  if (ist) rsp = systemRead(m, s.tssBase.lo, s.tssBase.hi, 36 + (ist - 1) * 8, 8);
  else if (newCpl < oldCpl) rsp = systemRead(m, s.tssBase.lo, s.tssBase.hi, 4 + newCpl * 8, 8);
  rsp = { lo: (rsp.lo & ~0xf) >>> 0, hi: rsp.hi };

  const words: U64[] = [
    { lo: s.ss, hi: 0 },
    m.get64(RSP),
    { lo: s.rflags, hi: 0 },
    { lo: s.cs, hi: 0 },
    kind === 'software' ? { lo: m.nextLo, hi: m.nextHi } : { ...s.rip },
  ];
  if (errorCode !== undefined && HAS_ERROR_CODE.has(vector) && kind === 'exception') words.push({ lo: errorCode, hi: 0 });
  let at = rsp;
  for (const w of words) {
    const lo = (at.lo - 8) >>> 0;
    at = { lo, hi: lo > at.lo >>> 0 ? (at.hi - 1) >>> 0 : at.hi };
    m.mmu.write(at.lo, at.hi, 8, w.lo, w.hi, true, true);
  }

  // Committed: switch to the handler.
  if (newCpl !== oldCpl) s.ss = newCpl; // a null selector with RPL = new CPL
  s.cs = (selector & ~3) | newCpl;
  m.set64(RSP, at);
  s.rflags &= ~(TF | NT | RF | VM | (type === 0xe ? IF : 0));
  s.rip = { ...target };
  m.nextLo = target.lo;
  m.nextHi = target.hi;
  s.halted = false;
  if (newCpl !== oldCpl) m.emit({ kind: 'cpu/ring-changed', from: oldCpl, to: newCpl, cause: kind === 'exception' ? 'exception' : 'interrupt', vector });
}

/** Between instructions: takes the APIC's pending vector if RFLAGS.IF allows. */
export function takeInterrupt(m: Machine): boolean {
  if (!m.apic.requested || !(m.s.rflags & IF) || m.s.interruptShadow) return false;
  const vector = m.apic.pending();
  if (vector === undefined) return false;
  m.apic.accept(vector);
  m.emit({ kind: 'cpu/interrupted', vector, rip: { ...m.s.rip } });
  m.s.halted = false;
  deliver(m, vector, undefined, 'interrupt');
  return true;
}
