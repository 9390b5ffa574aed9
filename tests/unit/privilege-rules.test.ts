import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/sim/machine';
import { EFER_SCE, RCX, RAX, RDX } from '../../src/sim/cpu/state';
import { AC, IF } from '../../src/sim/cpu/flags';
import type { SimEvent } from '../../src/sim/events';

// One instruction at a time, at a chosen CPL, checked against the SDM's rules. Paging is off and
// there is no IDT, so the first fault is what matters (its delivery then fails; that is fine here).
function run(hex: string, cpl: 0 | 3, set: (m: Machine) => void = () => {}) {
  const m = new Machine({ memoryBytes: 1 << 20 });
  m.trace = true;
  m.mem.load(0x1000, hex.match(/../g)!.map((h) => parseInt(h, 16)));
  m.s.rip = { lo: 0x1000, hi: 0 };
  m.s.cs = cpl === 3 ? 0x33 : 0x10;
  set(m);
  m.step();
  const fault = m.log.find((e): e is Extract<SimEvent, { kind: 'cpu/faulted' }> => e.kind === 'cpu/faulted');
  return { m, fault: fault ? [fault.vector, fault.errorCode] : undefined };
}

const GP0 = [13, 0];
const UD = [6, undefined];

describe('instructions that only ring 0 may execute', () => {
  const privileged: [string, string][] = [
    ['hlt', 'f4'],
    ['rdmsr', '0f32'],
    ['wrmsr', '0f30'],
    ['mov rax, cr3', '0f20d8'],
    ['mov cr3, rax', '0f22d8'],
    ['swapgs', '0f01f8'],
    ['invlpg [rax]', '0f0138'],
    ['sysretq', '480f07'],
    ['lgdt [rax]', '0f0110'],
  ];
  for (const [name, hex] of privileged) {
    it(`${name} at CPL 3 raises #GP(0)`, () => {
      expect(run(hex, 3, (m) => (m.s.efer |= EFER_SCE)).fault).toEqual(GP0);
    });
  }

  it('stac and clac at CPL 3 raise #UD, at CPL 0 they set and clear AC', () => {
    expect(run('0f01cb', 3).fault).toEqual(UD);
    expect(run('0f01ca', 3).fault).toEqual(UD);
    expect(run('0f01cb', 0).m.s.rflags & AC).toBe(AC);
    expect(run('0f01ca', 0, (m) => (m.s.rflags |= AC)).m.s.rflags & AC).toBe(0);
  });
});

describe('IOPL-sensitive instructions', () => {
  it('cli and sti need CPL ≤ IOPL', () => {
    expect(run('fa', 3).fault).toEqual(GP0);
    expect(run('fb', 3).fault).toEqual(GP0);
    expect(run('fa', 3, (m) => (m.s.rflags |= 3 << 12)).m.s.rflags & IF).toBe(0);
  });

  it('in and out at CPL 3 are refused when the TSS has no I/O bitmap for the port', () => {
    expect(run('e460', 3).fault).toEqual(GP0); // in al, 0x60
    expect(run('e680', 3).fault).toEqual(GP0); // out 0x80, al
  });

  it('in at CPL 3 is allowed for a port whose bit is clear in the TSS I/O bitmap', () => {
    const { fault } = run('e460', 3, (m) => {
      m.s.tssBase = { lo: 0x2000, hi: 0 };
      m.s.tssLimit = 104 + 0x2000; // a bitmap covering every port
      m.mem.load(0x2000 + 102, [104, 0]); // I/O map base: right after the TSS; the bitmap is all zeros
    });
    expect(fault).toBeUndefined();
  });

  it('in at CPL 0 reads an unclaimed port as all ones', () => {
    const { m, fault } = run('e460', 0);
    expect(fault).toBeUndefined();
    expect(m.lo(RAX) & 0xff).toBe(0xff);
  });
});

describe('syscall and sysret guards', () => {
  it('syscall with EFER.SCE clear raises #UD', () => {
    expect(run('0f05', 3).fault).toEqual(UD);
  });

  it('sysretq at CPL 0 with a non-canonical RCX raises #GP(0) in ring 0 (as on Intel)', () => {
    const { m, fault } = run('480f07', 0, (m) => {
      m.s.efer |= EFER_SCE;
      m.set64(RCX, { lo: 0, hi: 0x00008000 });
    });
    expect(fault).toEqual(GP0);
    expect(m.log.some((e) => e.kind === 'cpu/ring-changed')).toBe(false);
  });
});

describe('addresses', () => {
  it('a non-canonical data address raises #GP(0); through rsp or rbp, #SS(0)', () => {
    const high = (m: Machine) => m.set64(RAX, { lo: 0, hi: 0x00008000 });
    expect(run('488b00', 0, high).fault).toEqual(GP0); // mov rax, [rax]
    expect(run('488b0424', 0, (m) => m.set64(4, { lo: 0, hi: 0x00008000 })).fault).toEqual([12, 0]); // mov rax, [rsp]
  });

  it('ud2 raises #UD; a divide by zero raises #DE', () => {
    expect(run('0f0b', 0).fault).toEqual(UD);
    expect(run('48f7f1', 0, (m) => m.set64(RDX, { lo: 0, hi: 0 })).fault).toEqual([0, undefined]); // div rcx, rcx = 0
  });
});

describe('what the model does not cover, and what no processor accepts', () => {
  it('a valid instruction outside the modelled set stops the machine, naming its bytes', () => {
    const { m, fault } = run('d9e8', 0); // fld1, an x87 instruction
    expect(fault).toBeUndefined();
    expect(m.stopped?.reason).toBe('not-modelled');
    expect(m.stopped?.detail).toContain('d9 e8');
  });

  it('architecturally invalid encodings raise #UD: a lock prefix on nop, a reserved opcode, 16 bytes of prefixes', () => {
    expect(run('f090', 0).fault).toEqual(UD);
    expect(run('0f04', 0).fault).toEqual(UD);
    expect(run('66'.repeat(15) + '90', 0).fault).toEqual(UD);
  });
});
