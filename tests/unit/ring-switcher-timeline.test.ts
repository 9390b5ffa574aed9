// RingSwitcher's derivation on real runs of the emulator: every CPL it reports agrees with the
// events that state one, every crossing is a cpu/ring-changed event labelled by the instruction or
// vector that caused it (checked against the machine code run just before), programs the modelled
// exec starts are "starts" right after the machine stopped, and registers are unknown until an
// event has told them.
import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioRun } from '../../src/lab/run';
import { nodeData, nodeSources } from '../../src/lab/node-sources';
import { bootKernelWith } from '../../src/sim/kernel/data';
import { kernelBodies } from '../../src/sim/kernel/hle-library';
import type { SimEvent } from '../../src/sim/events';
import { AC_BIT, IF_BIT, changesUpTo, cplAt, flagBit, registersAt, ringSwitcherPicture, ringTimeline, REGISTERS } from '../../src/components/ring-switcher-timeline';

async function run(id: string): Promise<ScenarioRun> {
  const r = await runScenario(id, {}, nodeSources);
  if (!r.ok) throw new Error(r.error);
  return r.run;
}

const hex = (v: { lo: number; hi: number }) => (v.hi >>> 0).toString(16).padStart(8, '0') + (v.lo >>> 0).toString(16).padStart(8, '0');
const bytesOf = (b: number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join(' ');

/** The machine code of the last instruction run before event `i`. */
function lastInstructionBefore(events: readonly SimEvent[], i: number): string | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const e = events[j]!;
    if (e.kind === 'cpu/executed') return bytesOf(e.bytes);
  }
  return undefined;
}

/** Checks that hold for every run: the derivation against the events themselves. */
function checkAgainstEvents(events: readonly SimEvent[]): void {
  const t = ringTimeline(events);
  expect(t.cpl.length).toBe(events.length + 1);
  const ringChanged = events.flatMap((e, i) => (e.kind === 'cpu/ring-changed' ? [{ e, i }] : []));
  const crossings = t.changes.filter((c) => c.kind === 'crossing');
  expect(crossings.length).toBe(ringChanged.length);
  crossings.forEach((c, k) => {
    const { e, i } = ringChanged[k]!;
    expect(c.step).toBe(i + 1);
    expect([c.from, c.to]).toEqual([e.from, e.to]);
    // The CPL before the crossing's step is its from, after it its to.
    expect(cplAt(t, i)).toBe(e.from);
    expect(cplAt(t, i + 1)).toBe(e.to);
    // The label names the instruction the CPU ran, or the vector it took.
    const insn = lastInstructionBefore(events, i);
    if (c.label === 'syscall') expect(insn).toBe('0f 05');
    else if (c.label === 'sysretq') expect(insn).toBe('48 0f 07');
    else if (c.label === 'iretq') expect(insn).toBe('48 cf');
    else if (c.label === '#GP') expect([e.cause, e.vector]).toEqual(['exception', 13]);
    else if (c.label === '#PF') expect([e.cause, e.vector]).toEqual(['exception', 14]);
    else expect(c.label).toBe(`interrupt 0x${e.vector!.toString(16)}`);
  });
  // Every instruction ran in the ring the timeline says, at the step that passes it.
  events.forEach((e, i) => {
    if (e.kind === 'cpu/executed') expect(cplAt(t, i + 1), `step ${i + 1}`).toBe(e.cpl);
  });
  // The CPL changes only at a listed change, and a start comes right after the machine stopped.
  for (let s = 1; s <= events.length; s++) {
    if (t.cpl[s] !== t.cpl[s - 1]) expect(t.changes.some((c) => c.step === s), `step ${s}`).toBe(true);
  }
  for (const c of t.changes.filter((c) => c.kind === 'start')) {
    const before = events.slice(0, c.step - 1).findLast((e) => e.kind === 'cpu/stopped' || e.kind === 'cpu/executed' || e.kind === 'cpu/ring-changed');
    expect(before?.kind).toBe('cpu/stopped');
    expect(c.to).toBe(3);
  }
}

describe('RingSwitcher on user-cli-gp (a user program that runs cli)', async () => {
  const { events } = await run('user-cli-gp');
  const t = ringTimeline(events);

  it('agrees with every event that states a CPL or a crossing', () => checkAgainstEvents(events));

  it('starts in ring 3, takes the first-touch #PF to ring 0, iretq back, then #GP for cli', () => {
    expect(cplAt(t, 0)).toBe(3);
    expect(t.changes.map((c) => `${c.from}→${c.to} ${c.label}`)).toEqual(['3→0 #PF', '0→3 iretq', '3→0 #GP']);
    expect(t.changes.map((c) => c.fault)).toEqual([true, false, true]);
    const gp = t.changes[2]!;
    const faulted = events.findLast((e, i) => i < gp.step && e.kind === 'cpu/faulted');
    expect(faulted?.kind === 'cpu/faulted' && faulted.reason).toContain('cli at CPL 3');
    expect(changesUpTo(t, gp.step - 1)).toHaveLength(2);
    expect(changesUpTo(t, gp.step)).toHaveLength(3);
  });

  it('knows no register before an event has told it, and CR2 from the page fault', () => {
    const at0 = registersAt(t, 0);
    for (const r of REGISTERS) expect(at0[r], r).toEqual({});
    const pfIndex = events.findIndex((e) => e.kind === 'cpu/faulted' && e.vector === 14);
    const pf = events[pfIndex]!;
    if (pf.kind !== 'cpu/faulted') throw new Error('no page fault');
    expect(registersAt(t, pfIndex).cr2).toEqual({});
    const cr2 = registersAt(t, pfIndex + 1).cr2;
    expect(cr2.hex).toBe(hex(pf.cr2!));
    expect(cr2.step).toBe(pfIndex + 1);
    expect(registersAt(t, pfIndex + 1).rip.hex).toBe(hex(pf.rip));
    // CS is never carried by an event: it stays unknown for the whole run.
    expect(registersAt(t, events.length).cs).toEqual({});
  });

  it('has RSP and RFLAGS from the last write at or before the step', () => {
    const writes = events.flatMap((e, i) => (e.kind === 'cpu/register-written' && (e.reg === 'rsp' || e.reg === 'rflags') ? [{ e, i }] : []));
    expect(writes.length).toBeGreaterThan(0);
    for (const { e, i } of writes) {
      if (e.kind !== 'cpu/register-written') continue;
      expect(registersAt(t, i + 1)[e.reg as 'rsp' | 'rflags'].hex).toBe(hex(e.after));
    }
    const firstRsp = writes.find(({ e }) => e.kind === 'cpu/register-written' && e.reg === 'rsp')!;
    expect(registersAt(t, firstRsp.i).rsp).toEqual({});
  });

  it('reads CR3 as the root of the page tables the emulated kernel really uses', () => {
    const k = bootKernelWith(nodeData(), kernelBodies);
    const cr3 = registersAt(t, events.length).cr3;
    expect(cr3.hex).toBe(k.m.s.cr3.toString(16).padStart(16, '0'));
  });

  it('gives the build-time picture the end of the run', () => {
    const p = ringSwitcherPicture(events);
    expect(p.steps).toBe(events.length);
    expect(p.cpl).toBe(cplAt(t, events.length));
    expect(p.changes).toEqual(t.changes);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p); // plain data: it crosses to the browser as a prop
  });
});

describe('RingSwitcher on hello-read (insmod, mknod, cat, rmmod)', async () => {
  const { events } = await run('hello-read');
  const t = ringTimeline(events);

  it('agrees with every event that states a CPL or a crossing', () => checkAgainstEvents(events));

  it('crosses only by syscall and sysretq, and each program after the first starts in ring 3', () => {
    const crossings = t.changes.filter((c) => c.kind === 'crossing');
    expect(new Set(crossings.map((c) => c.label))).toEqual(new Set(['syscall', 'sysretq']));
    const exits = events.filter((e) => e.kind === 'kernel/syscall-entered' && e.name === 'exit_group').length;
    // Every program ends by exit_group (a syscall that never returns); each other one returns by sysretq.
    expect(crossings.filter((c) => c.label === 'syscall')).toHaveLength(events.filter((e) => e.kind === 'kernel/syscall-entered').length);
    expect(crossings.filter((c) => c.label === 'sysretq')).toHaveLength(events.filter((e) => e.kind === 'kernel/syscall-entered').length - exits);
    expect(t.changes.filter((c) => c.kind === 'start')).toHaveLength(exits - 1);
    expect(cplAt(t, 0)).toBe(3);
  });

  it('spells out IF: syscall entry clears it (SYSCALL_MASK), sysretq restores it from R11', () => {
    const first = t.changes.find((c) => c.label === 'syscall')!;
    const inKernel = t.changes.find((c) => c.label === 'sysretq')!;
    const rflagsIn = registersAt(t, inKernel.step - 1).rflags;
    expect(rflagsIn.step).toBeGreaterThan(first.step);
    expect(flagBit(rflagsIn.hex!, IF_BIT)).toBe(0);
    expect(flagBit(rflagsIn.hex!, AC_BIT)).toBe(0);
    const rflagsOut = events.slice(inKernel.step).find((e) => e.kind === 'cpu/register-written' && e.reg === 'rflags');
    expect(rflagsOut?.kind === 'cpu/register-written' && flagBit(hex(rflagsOut.after), IF_BIT)).toBe(1);
  });
});

describe('RingSwitcher on irq-roundtrip (a device interrupt while a program runs)', async () => {
  const { events } = await run('irq-roundtrip');
  const t = ringTimeline(events);

  it('agrees with every event that states a CPL or a crossing', () => checkAgainstEvents(events));

  it('labels the interrupt with the vector request_irq was given', () => {
    const requested = events.find((e) => e.kind === 'irq/requested');
    if (requested?.kind !== 'irq/requested') throw new Error('no request_irq');
    const irq = t.changes.filter((c) => c.cause === 'interrupt');
    expect(irq.map((c) => c.label)).toEqual([`interrupt 0x${requested.vector.toString(16)}`]);
    expect([irq[0]!.from, irq[0]!.to]).toEqual([3, 0]);
  });
});
