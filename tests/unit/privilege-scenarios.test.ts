import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootFixture, type FixtureOptions, type FixtureRun } from '../../src/sim/boot/ring0-fixture';
import { isElfError } from '../../src/sim/elf';
import type { Machine } from '../../src/sim/machine';
import { RAX, RCX, R11, hex64 } from '../../src/sim/cpu/state';
import type { SimEvent } from '../../src/sim/events';

// The project's ring-0 fixture (samples/fixture/ring0.S), run instruction by instruction.
const FIXTURE = readFileSync('public/samples/fixture/ring0.elf');

function boot(entry: string, options: FixtureOptions = {}, readSymbol?: string): FixtureRun {
  const run = bootFixture(new Uint8Array(FIXTURE), entry, options, readSymbol);
  if (isElfError(run)) throw new Error(run.message);
  run.machine.trace = true;
  return run;
}

/** Steps until the predicate holds after a step, or the machine stops. */
function runUntil(m: Machine, done: (m: Machine) => boolean, limit = 10_000) {
  for (let i = 0; i < limit && !m.stopped; i++) {
    m.step();
    if (done(m)) return;
  }
}

const faults = (m: Machine) => m.log.filter((e): e is Extract<SimEvent, { kind: 'cpu/faulted' }> => e.kind === 'cpu/faulted');
const ringChanges = (m: Machine) => m.log.filter((e) => e.kind === 'cpu/ring-changed').map((e) => e as Extract<SimEvent, { kind: 'cpu/ring-changed' }>);
const value = (run: FixtureRun, name: string) => hex64(run.read(name)!);

describe('the ring-0 fixture', () => {
  it('sets up the GDT, IDT and TSS in ring 0, then irets to ring 3', () => {
    const run = boot('user_syscall');
    const m = run.machine;
    runUntil(m, (x) => x.cpl === 3);
    expect(m.cpl).toBe(3);
    expect(m.s.rip).toEqual(run.symbol('user_syscall'));
    expect(ringChanges(m).at(-1)).toMatchObject({ from: 0, to: 3, cause: 'iret' });
  });
});

describe('syscall and sysretq', () => {
  it('enter ring 0 at LSTAR with RCX = the return address, R11 = RFLAGS, and RFLAGS masked to 0x2', () => {
    const run = boot('user_syscall');
    const m = run.machine;
    runUntil(m, (x) => x.cpl === 3);
    const rflagsBefore = m.s.rflags;
    runUntil(m, (x) => x.cpl === 0);
    expect(m.s.rip).toEqual(run.symbol('entry_syscall'));
    expect(hex64(m.get64(RCX))).toBe(hex64({ lo: run.symbol('user_syscall').lo + 7, hi: 0 })); // mov eax,39 (5) + syscall (2)
    expect(m.get64(R11)).toEqual({ lo: rflagsBefore, hi: 0 });
    expect(m.s.rflags).toBe(0x2);
    expect(m.s.cs).toBe(0x10);
    expect(m.s.ss).toBe(0x18);
  });

  it('return to ring 3 at RCX with RFLAGS from R11 and the kernel’s answer in RAX', () => {
    const run = boot('user_syscall');
    const m = run.machine;
    runUntil(m, (x) => x.cpl === 3);
    runUntil(m, (x) => x.cpl === 0);
    const rcx = m.get64(RCX);
    runUntil(m, (x) => x.cpl === 3);
    expect(m.s.rip).toEqual(rcx);
    expect(m.s.rflags).toBe((m.lo(R11) & 0x3c7fd7) | 2);
    expect(m.s.cs).toBe(0x33);
    expect(m.s.ss).toBe(0x2b);
    expect(m.get64(RAX)).toEqual({ lo: 42, hi: 0 });
    expect(ringChanges(m).slice(-2).map((e) => e.cause)).toEqual(['syscall', 'sysret']);
  });
});

describe('privilege faults', () => {
  it('cli in ring 3 raises #GP(0)', () => {
    const run = boot('user_cli');
    run.machine.run(10_000);
    expect(faults(run.machine).map((f) => [f.vector, f.errorCode])).toEqual([[13, 0]]);
    expect(value(run, 'last_vector')).toBe(hex64({ lo: 13, hi: 0 }));
    expect(run.read('last_rip')).toEqual(run.symbol('user_cli'));
  });

  it('int 0x81 from ring 3 through a DPL-0 gate raises #GP(0x40a)', () => {
    const run = boot('user_int81');
    run.machine.run(10_000);
    expect(faults(run.machine).map((f) => [f.vector, f.errorCode])).toEqual([[13, 0x40a]]);
  });

  it('a ring-3 read of a present supervisor page raises #PF with error code 5 and CR2 = the address', () => {
    const run = boot('user_read_kernel');
    run.machine.run(10_000);
    const [pf] = faults(run.machine);
    expect(pf).toMatchObject({ vector: 14, errorCode: 5 });
    expect(run.machine.s.cr2).toEqual(run.symbol('kernel_word'));
    expect(value(run, 'last_error')).toBe(hex64({ lo: 5, hi: 0 }));
  });
});

describe('SMEP and SMAP', () => {
  it('without SMEP, ring 0 may call code on a user page', () => {
    const run = boot('user_function', { stayInRing0: true });
    run.machine.run(10_000);
    expect(faults(run.machine)).toEqual([]);
    expect(run.machine.stopped?.reason).toBe('halted');
  });

  it('with SMEP, ring 0 fetching from a user page gets #PF (present, instruction fetch)', () => {
    const run = boot('user_function', { stayInRing0: true, smep: true });
    run.machine.run(10_000);
    expect(faults(run.machine)[0]).toMatchObject({ vector: 14, errorCode: 0x11 });
  });

  it('with SMAP, ring 0 reading user memory gets #PF unless stac set AC', () => {
    const denied = boot('user_function', { stayInRing0: true, smap: true }, 'user_data_word');
    denied.machine.run(10_000);
    expect(faults(denied.machine)[0]).toMatchObject({ vector: 14, errorCode: 1 });

    const allowed = boot('user_function', { stayInRing0: true, smap: true, useStac: true }, 'user_data_word');
    allowed.machine.run(10_000);
    expect(faults(allowed.machine)).toEqual([]);
    expect(value(allowed, 'ring0_value')).toBe('0x1122334455667788');
  });
});

describe('double and triple faults', () => {
  it('a #PF whose frame cannot be pushed (TSS.RSP0 unmapped) becomes #DF, delivered on IST1', () => {
    const run = boot('user_read_kernel', { badRsp0: true });
    run.machine.run(10_000);
    expect(faults(run.machine).map((f) => f.vector)).toEqual([14, 14, 8]);
    expect(value(run, 'last_vector')).toBe(hex64({ lo: 8, hi: 0 }));
  });

  it('with IST1 unmapped too, the double fault cannot be delivered: triple fault, the machine stops', () => {
    const run = boot('user_read_kernel', { badRsp0: true, badIst1: true });
    run.machine.run(10_000);
    expect(run.machine.stopped?.reason).toBe('triple-fault');
  });
});

describe('device interrupts', () => {
  it('are taken between instructions when IF = 1: ring 3 → handler in ring 0 (IF cleared) → EOI → iretq back', () => {
    const run = boot('user_spin');
    const m = run.machine;
    runUntil(m, (x) => x.cpl === 3);
    m.run(5);
    m.apic.raise(0x20);
    m.step();
    expect(m.log.some((e) => e.kind === 'cpu/interrupted' && e.vector === 0x20)).toBe(true);
    expect(m.cpl).toBe(0);
    expect(m.s.rflags & 0x200).toBe(0); // an interrupt gate clears IF
    runUntil(m, (x) => x.cpl === 3);
    expect(run.read('timer_ticks')).toEqual({ lo: 1, hi: 0 });
    expect(m.apic.snapshot()).toEqual({ irr: [], isr: [] }); // acknowledged
    expect(ringChanges(m).slice(-2).map((e) => e.cause)).toEqual(['interrupt', 'iret']);
  });

  it('wait while IF = 0 and arrive once interrupts are enabled again', () => {
    const run = boot('user_spin');
    const m = run.machine;
    m.apic.raise(0x20); // raised while ring 0 sets up with IF = 0
    runUntil(m, (x) => x.cpl === 3);
    expect(run.read('timer_ticks')).toEqual({ lo: 0, hi: 0 });
    m.step(); // the first instruction boundary with IF = 1
    expect(m.cpl).toBe(0);
  });
});
