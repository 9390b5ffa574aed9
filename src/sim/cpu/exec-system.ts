// Models: the instructions that cross or guard privilege (Intel SDM Vol. 2: SYSCALL, SYSRET, INT n,
// INT3, IRET, HLT, CLI, STI, SWAPGS, STAC, CLAC, RDMSR, WRMSR, INVLPG, MOV to/from CRn, CPUID,
// IN, OUT, LGDT, LIDT, LTR, MOV to segment registers, UD2) with their CPL and IOPL checks, and the
// flag instructions CLD, STD, CLC, STC, CMC.
// Simplifies: SYSRET without REX.W (a return to 32-bit code) is not modelled; CPUID reports a
// fixed, small feature set; segment loads keep only the selector.
import { AC, CF, DF, IF, IOPL, RF, WRITABLE } from './flags';
import type { Instruction, MemOperand } from './instruction';
import type { Machine } from '../machine';
import { CpuFault, GP, NotModelled, UD, gp0, ud } from './fault';
import { deliver, codeSegmentDpl } from './interrupts';
import { ea, effectiveAddress, pop, read, val, write } from './operands';
import { CR0_PG, CR4_PAE, EFER_LMA, EFER_LME, EFER_NXE, EFER_SCE, MSR, R11, RAX, RCX, RDX, RSP, type U64 } from './state';
import { isCanonical } from '../mem/paging';

type Handler = (m: Machine, insn: Instruction) => void;

const ring0Only = (m: Machine, what: string) => {
  if (m.cpl !== 0) throw gp0(`${what} is privileged and CPL is ${m.cpl}`);
};

const iopl = (m: Machine) => (m.s.rflags & IOPL) >>> 12;

const syscall: Handler = (m) => {
  const s = m.s;
  if (!(s.efer & EFER_SCE)) throw ud('syscall with EFER.SCE clear');
  m.setReg(RCX, 8, false, m.nextLo, m.nextHi);
  m.setReg(R11, 8, false, s.rflags & ~RF, 0);
  s.rflags = ((s.rflags & ~s.fmask & ~RF) | 2) >>> 0;
  const from = m.cpl;
  const sel = s.star.hi & 0xffff;
  s.cs = sel & 0xfffc;
  s.ss = (sel + 8) & 0xffff;
  m.nextLo = s.lstar.lo;
  m.nextHi = s.lstar.hi;
  if (from !== 0) m.emit({ kind: 'cpu/ring-changed', from, to: 0, cause: 'syscall' });
};

const sysret: Handler = (m, insn) => {
  const s = m.s;
  if (!(s.efer & EFER_SCE)) throw ud('sysret with EFER.SCE clear');
  ring0Only(m, 'sysret');
  if (insn.opsize !== 8) throw new NotModelled('sysret to 32-bit code (without REX.W)');
  // Intel checks RCX before changing anything, at CPL 0: the famous #GP in ring 0.
  if (!isCanonical(m.hi(RCX))) throw gp0('sysret with a non-canonical RCX');
  const sel = (s.star.hi >>> 16) & 0xffff;
  m.nextLo = m.lo(RCX);
  m.nextHi = m.hi(RCX);
  s.rflags = ((m.lo(R11) & 0x3c7fd7) | 2) >>> 0;
  s.cs = ((sel + 16) | 3) & 0xffff;
  s.ss = ((sel + 8) | 3) & 0xffff;
  m.emit({ kind: 'cpu/ring-changed', from: 0, to: 3, cause: 'sysret' });
};

const int: Handler = (m, insn) => {
  read(m, insn.operands[0]!, 1);
  deliver(m, val.lo & 0xff, undefined, 'software');
};

const int3: Handler = (m) => deliver(m, 3, undefined, 'software');

const iretq: Handler = (m, insn) => {
  if (insn.opsize !== 8) throw new NotModelled('iret with a 16- or 32-bit frame');
  const s = m.s;
  const cpl = m.cpl;
  pop(m); const rip: U64 = { lo: val.lo, hi: val.hi };
  pop(m); const cs = val.lo & 0xffff;
  pop(m); const flags = val.lo;
  pop(m); const rsp: U64 = { lo: val.lo, hi: val.hi };
  pop(m); const ss = val.lo & 0xffff;
  const rpl = cs & 3;
  if (rpl < cpl) throw new CpuFault(GP, cs & ~3, 'iretq may not return to a more privileged ring');
  if (codeSegmentDpl(m, cs, 0) !== rpl) throw new CpuFault(GP, cs & ~3, 'the code segment DPL does not match its RPL');
  if (!isCanonical(rip.hi)) throw gp0('iretq to a non-canonical address');
  let mask = WRITABLE;
  if (cpl > 0) mask &= ~IOPL;
  if (cpl > iopl(m)) mask &= ~IF;
  s.rflags = ((s.rflags & ~mask) | (flags & mask) | 2) >>> 0;
  s.cs = cs;
  s.ss = ss;
  m.set64(RSP, rsp);
  m.nextLo = rip.lo;
  m.nextHi = rip.hi;
  if (rpl !== cpl) m.emit({ kind: 'cpu/ring-changed', from: cpl, to: rpl, cause: 'iret' });
};

const hlt: Handler = (m) => {
  ring0Only(m, 'hlt');
  m.s.halted = true;
  m.attention = true;
  m.emit({ kind: 'cpu/halted', rip: { ...m.s.rip } });
};

const cli: Handler = (m) => {
  if (m.cpl > iopl(m)) throw gp0(`cli at CPL ${m.cpl} with IOPL ${iopl(m)}`);
  m.s.rflags &= ~IF;
};

const sti: Handler = (m) => {
  if (m.cpl > iopl(m)) throw gp0(`sti at CPL ${m.cpl} with IOPL ${iopl(m)}`);
  if (!(m.s.rflags & IF)) (m.s.interruptShadow = true), (m.attention = true);
  m.s.rflags |= IF;
};

/** cld/std: the direction of string instructions (the kernel's entry code clears DF with cld). */
const cld: Handler = (m) => void (m.s.rflags &= ~DF);
const std: Handler = (m) => void (m.s.rflags |= DF);
const clc: Handler = (m) => void (m.s.rflags &= ~CF);
const stc: Handler = (m) => void (m.s.rflags |= CF);
const cmc: Handler = (m) => void (m.s.rflags ^= CF);

const swapgs: Handler = (m) => {
  ring0Only(m, 'swapgs');
  const g = m.s.gsBase;
  m.s.gsBase = m.s.kernelGsBase;
  m.s.kernelGsBase = g;
};

const stac: Handler = (m) => {
  if (m.cpl > 0) throw ud('stac outside ring 0');
  m.s.rflags |= AC;
};

const clac: Handler = (m) => {
  if (m.cpl > 0) throw ud('clac outside ring 0');
  m.s.rflags &= ~AC;
};

function msrValue(m: Machine, msr: number): U64 {
  const s = m.s;
  switch (msr) {
    case MSR.EFER: return { lo: s.efer, hi: 0 };
    case MSR.STAR: return s.star;
    case MSR.LSTAR: return s.lstar;
    case MSR.CSTAR: return s.cstar;
    case MSR.FMASK: return { lo: s.fmask, hi: 0 };
    case MSR.FS_BASE: return s.fsBase;
    case MSR.GS_BASE: return s.gsBase;
    case MSR.KERNEL_GS_BASE: return s.kernelGsBase;
    case MSR.APIC_BASE: return { lo: 0xfee00000 | (1 << 8) | (1 << 11) | (1 << 10), hi: 0 };
    default: throw gp0(`MSR 0x${msr.toString(16)} does not exist on this processor`);
  }
}

const rdmsr: Handler = (m) => {
  ring0Only(m, 'rdmsr');
  const v = msrValue(m, m.lo(RCX));
  m.setReg(RAX, 4, false, v.lo, 0);
  m.setReg(RDX, 4, false, v.hi, 0);
};

const wrmsr: Handler = (m) => {
  ring0Only(m, 'wrmsr');
  const s = m.s;
  const msr = m.lo(RCX);
  const v: U64 = { lo: m.lo(RAX), hi: m.lo(RDX) };
  const needsCanonical = msr === MSR.LSTAR || msr === MSR.CSTAR || msr === MSR.FS_BASE || msr === MSR.GS_BASE || msr === MSR.KERNEL_GS_BASE;
  if (needsCanonical && !isCanonical(v.hi)) throw gp0(`a non-canonical address written to MSR 0x${msr.toString(16)}`);
  switch (msr) {
    case MSR.EFER: {
      if (v.hi || v.lo & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)) throw gp0('a reserved EFER bit');
      s.efer = (v.lo & ~EFER_LMA) | (s.efer & EFER_LMA);
      m.mmu.flush();
      return;
    }
    case MSR.STAR: s.star = v; return;
    case MSR.LSTAR: s.lstar = v; return;
    case MSR.CSTAR: s.cstar = v; return;
    case MSR.FMASK: s.fmask = v.lo >>> 0; return;
    case MSR.FS_BASE: s.fsBase = v; return;
    case MSR.GS_BASE: s.gsBase = v; return;
    case MSR.KERNEL_GS_BASE: s.kernelGsBase = v; return;
    case MSR.X2APIC_EOI: m.apic.endOfInterrupt(); return;
    default: throw gp0(`MSR 0x${msr.toString(16)} does not exist on this processor`);
  }
};

const invlpg: Handler = (m, insn) => {
  ring0Only(m, 'invlpg');
  effectiveAddress(m, insn.operands[0] as MemOperand);
  m.mmu.invalidate(ea.lo, ea.hi);
};

/** mov to or from CR0, CR2, CR3, CR4 (operand order decides the direction). */
export const movCr: Handler = (m, insn) => {
  ring0Only(m, 'mov to or from a control register');
  const s = m.s;
  const [d, src] = insn.operands as [Instruction['operands'][0], Instruction['operands'][0]];
  if (src.kind === 'creg') {
    const n = src.index;
    const v: U64 = n === 0 ? { lo: s.cr0 >>> 0, hi: 0 } : n === 2 ? s.cr2 : n === 3 ? { lo: s.cr3 % 0x100000000, hi: Math.floor(s.cr3 / 0x100000000) } : n === 4 ? { lo: s.cr4, hi: 0 } : badCr(n);
    write(m, d, 8, v.lo, v.hi);
    return;
  }
  if (d.kind !== 'creg') throw ud('mov with no control register');
  read(m, src, 8);
  const n = d.index;
  if (n === 0) {
    if (!(val.lo & CR0_PG) && s.efer & EFER_LMA) throw gp0('clearing CR0.PG in 64-bit mode');
    s.cr0 = val.lo >>> 0;
    m.mmu.flush();
  } else if (n === 2) s.cr2 = { lo: val.lo, hi: val.hi };
  else if (n === 3) {
    s.cr3 = (val.lo & 0xfffff000) + (val.hi & 0x3fff) * 0x100000000;
    m.mmu.flush();
  } else if (n === 4) {
    if (!(val.lo & CR4_PAE) && s.efer & EFER_LMA) throw gp0('clearing CR4.PAE in 64-bit mode');
    s.cr4 = val.lo >>> 0;
    m.mmu.flush();
  } else badCr(n);
};

function badCr(n: number): never {
  throw ud(`CR${n} does not exist`);
}

const cpuid: Handler = (m) => {
  const leaf = m.lo(RAX);
  const set = (a: number, b: number, c: number, d: number) => {
    m.setReg(RAX, 4, false, a, 0);
    m.setReg(3, 4, false, b, 0); // rbx
    m.setReg(RCX, 4, false, c, 0);
    m.setReg(RDX, 4, false, d, 0);
  };
  // "GenuineIntel": the behaviour modelled is the Intel SDM's.
  if (leaf === 0) set(7, 0x756e6547, 0x6c65746e, 0x49656e69);
  // Leaf 7: SMEP, ERMS (fast rep movsb/stosb) and SMAP in EBX; FSRM (fast short rep movsb) in EDX.
  // ERMS and FSRM are why the kernel's copy_user_generic() is copy_user_enhanced_fast_string here.
  else if (leaf === 7) set(0, (1 << 7) | (1 << 9) | (1 << 20), 0, 1 << 4);
  else if (leaf === 0x80000000) set(0x80000001, 0, 0, 0);
  else if (leaf === 0x80000001) set(0, 0, 0, (1 << 11) | (1 << 20) | (1 << 29)); // SYSCALL, NX, LM
  else set(0, 0, 0, 0);
};

/** in/out: allowed at CPL ≤ IOPL, else only if the TSS I/O bitmap clears every bit of the access. */
function checkIo(m: Machine, port: number, size: number) {
  if (m.cpl <= iopl(m)) return;
  const s = m.s;
  const tssRead = (off: number, n: number) => {
    const lo = (s.tssBase.lo + off) >>> 0;
    m.mmu.read(lo, lo < s.tssBase.lo >>> 0 ? s.tssBase.hi + 1 : s.tssBase.hi, n, true);
    return m.mmu.vLo;
  };
  const base = tssRead(102, 2);
  const at = base + (port >>> 3);
  if (at + 1 > s.tssLimit) throw gp0(`port 0x${port.toString(16)} is outside the TSS I/O bitmap`);
  const bits = tssRead(at, 2);
  const mask = ((1 << size) - 1) << (port & 7);
  if (bits & mask) throw gp0(`port 0x${port.toString(16)} is not allowed at CPL ${m.cpl}`);
}

const inOp: Handler = (m, insn) => {
  const size = (insn.operands[0] as { size: 1 | 2 | 4 }).size;
  read(m, insn.operands[1]!, 2);
  const port = val.lo & 0xffff;
  checkIo(m, port, size);
  const v = m.ports?.in(port, size) ?? 0xffffffff;
  write(m, insn.operands[0]!, size, v >>> 0, 0);
};

const outOp: Handler = (m, insn) => {
  const size = (insn.operands[1] as { size: 1 | 2 | 4 }).size;
  read(m, insn.operands[0]!, 2);
  const port = val.lo & 0xffff;
  checkIo(m, port, size);
  read(m, insn.operands[1]!, size);
  m.ports?.out(port, size, val.lo);
};

/** lgdt and lidt: a 2-byte limit and an 8-byte base. */
const loadTable = (which: 'gdtr' | 'idtr'): Handler => (m, insn) => {
  ring0Only(m, `l${which.slice(0, 3)}`);
  effectiveAddress(m, insn.operands[0] as MemOperand);
  const lo = ea.lo, hi = ea.hi;
  m.mmu.read(lo, hi, 2);
  const limit = m.mmu.vLo;
  const b = (lo + 2) >>> 0;
  m.mmu.read(b, b < lo ? hi + 1 : hi, 8);
  m.s[which] = { base: { lo: m.mmu.vLo, hi: m.mmu.vHi }, limit };
};

/** ltr: a 16-byte 64-bit TSS descriptor in the GDT; marks it busy. */
const ltr: Handler = (m, insn) => {
  ring0Only(m, 'ltr');
  read(m, insn.operands[0]!, 2);
  const sel = val.lo & 0xffff;
  const s = m.s;
  const index = sel & ~7;
  if (!index || index + 15 > s.gdtr.limit) throw new CpuFault(GP, sel & ~3, 'ltr with a selector outside the GDT');
  const at = (s.gdtr.base.lo + index) >>> 0;
  const hiBase = at < s.gdtr.base.lo >>> 0 ? s.gdtr.base.hi + 1 : s.gdtr.base.hi;
  m.mmu.read(at, hiBase, 8, true);
  const dLo = m.mmu.vLo, dHi = m.mmu.vHi;
  m.mmu.read((at + 8) >>> 0, hiBase, 8, true);
  const upper = m.mmu.vLo;
  const type = (dHi >>> 8) & 0xf;
  if (type !== 0x9) throw new CpuFault(GP, sel & ~3, 'ltr needs an available 64-bit TSS descriptor');
  if (!((dHi >>> 8) & 0x80)) throw new CpuFault(11, sel & ~3, 'the TSS descriptor is not present');
  s.tssBase = { lo: ((dLo >>> 16) | ((dHi & 0xff) << 16) | (dHi & 0xff000000)) >>> 0, hi: upper >>> 0 };
  s.tssLimit = (dLo & 0xffff) | (dHi & 0xf0000);
  s.tr = sel;
  m.mmu.write(at, hiBase, 4, dLo, 0, true); // unchanged low word
  m.mmu.write((at + 4) >>> 0, hiBase, 4, dHi | (0x2 << 8), 0, true); // busy
};

/** mov to a segment register: only the selector is kept; mov ss blocks interrupts for one instruction. */
export const movSreg: Handler = (m, insn) => {
  const [d, src] = insn.operands as [Instruction['operands'][0], Instruction['operands'][0]];
  const names = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;
  if (src.kind === 'sreg') {
    write(m, d, d.kind === 'reg' ? d.size : 2, m.s[names[src.index]!] ?? 0, 0);
    return;
  }
  if (d.kind !== 'sreg' || d.index === 1) throw ud('mov to CS');
  read(m, src, 2);
  const name = names[d.index]!;
  if (name === 'ss') {
    if ((val.lo & 3) !== m.cpl && (val.lo & ~3) !== 0) throw new CpuFault(GP, val.lo & ~3, 'SS RPL differs from CPL');
    m.s.interruptShadow = true;
    m.attention = true;
  }
  m.s[name] = val.lo & 0xffff;
};

const ud2: Handler = () => {
  throw new CpuFault(UD, undefined, 'ud2, the instruction defined to be invalid');
};

export const SYSTEM_HANDLERS: Record<string, Handler> = {
  cld, std, clc, stc, cmc,
  syscall, sysret, sysretq: sysret, int, int3, iretq, iret: iretq, hlt, cli, sti, swapgs, stac, clac, rdmsr, wrmsr, invlpg,
  cpuid, in: inOp, out: outOp, lgdt: loadTable('gdtr'), lidt: loadTable('idtr'), ltr, ud2,
};
