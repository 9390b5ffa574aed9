// What RingSwitcher shows, from a run's events alone: the CPL at every step, each change of ring
// with its cause, and the registers the events have told us about up to a step. Shared by the
// widget and its build-time picture. Computed once per run, then read per step by binary search,
// so stepping or scrubbing a long run stays cheap.
//
// Where each value comes from (nothing is assumed that no event says):
// - CPL: `cpu/executed` (the ring an instruction ran in) and `cpu/ring-changed` (from, to). Before
//   the first such event the CPL is the one that event starts from. A program started by the
//   kernel's modelled exec begins in ring 3 with no crossing instruction: the run shows the machine
//   stop (the last program exited) and the next CPU event is in ring 3. That change is listed as a
//   "start", not as a crossing, from the first CPU event after the stop.
// - RIP: the address of the last instruction run (`cpu/executed`), faulted on (`cpu/faulted`) or
//   about to run when an interrupt arrived (`cpu/interrupted`).
// - RSP, RFLAGS: `cpu/register-written` (the value after the step that wrote it).
// - CR2: `cpu/faulted` of a page fault (its cr2).
// - CR3: `kernel/context-switched` (the loaded cr3), or the page-table root the MMU's last walk
//   started from (`mmu/walked`: the level-4 entry's address less 8 × the address's PML4 index).
// - CS: no event carries the selector, so it stays unknown; its low two bits (RPL) are the CPL.
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';
import type { RingCause, SimEvent } from '../sim/events';

/** A change of ring, at the step that passes its event (its index + 1). */
export interface RingChange {
  step: number;
  from: number;
  to: number;
  /** 'crossing': the CPU crossed (a cpu/ring-changed event); 'start': a program began in ring 3 without one. */
  kind: 'crossing' | 'start';
  /** syscall, sysretq, interrupt 0x26, iretq, #GP, #PF, … or "program start". */
  label: string;
  cause?: RingCause;
  vector?: number;
  /** An exception: a fault, drawn in the failure colour with its name. */
  fault: boolean;
}

export type RegisterName = 'cs' | 'rip' | 'rsp' | 'rflags' | 'cr2' | 'cr3';
export const REGISTERS: readonly RegisterName[] = ['cs', 'rip', 'rsp', 'rflags', 'cr2', 'cr3'];

/** One register at a step: its value as 16 hex digits and the step that last set it, or unknown. */
export interface RegisterValue {
  hex?: string;
  step?: number;
  /** Where the value was read: a sentence fragment. */
  from?: string;
}
export type RegisterValues = Record<RegisterName, RegisterValue>;

interface Track {
  steps: number[];
  hex: string[];
  from: string[];
}

export interface RingTimeline {
  steps: number;
  /** The CPL after each step 0..steps; -1 when no event of the run tells it. */
  cpl: Int8Array;
  changes: RingChange[];
  /** The step of each change, for the searches. */
  changeSteps: number[];
  tracks: Record<RegisterName, Track>;
}

/** Exception mnemonics (Intel SDM Vol. 3A, Table 6-1). */
const MNEMONICS: Record<number, string> = {
  0: '#DE', 1: '#DB', 2: 'NMI', 3: '#BP', 4: '#OF', 5: '#BR', 6: '#UD', 7: '#NM', 8: '#DF', 10: '#TS',
  11: '#NP', 12: '#SS', 13: '#GP', 14: '#PF', 16: '#MF', 17: '#AC', 18: '#MC', 19: '#XM',
};

const vectorHex = (v: number) => `0x${v.toString(16)}`;

export function crossingLabel(cause: RingCause, vector?: number): string {
  switch (cause) {
    case 'syscall':
      return 'syscall';
    case 'sysret':
      return 'sysretq';
    case 'iret':
      return 'iretq';
    case 'interrupt':
      return vector === undefined ? 'interrupt' : `interrupt ${vectorHex(vector)}`;
    case 'exception':
      return vector === undefined ? 'exception' : (MNEMONICS[vector] ?? `exception ${vectorHex(vector)}`);
  }
}

interface Wide {
  lo: number;
  hi: number;
}
const hex16 = (v: Wide) => (v.hi >>> 0).toString(16).padStart(8, '0') + (v.lo >>> 0).toString(16).padStart(8, '0');
const fromNumber = (n: number): Wide => ({ lo: n % 0x100000000, hi: Math.floor(n / 0x100000000) });

const isCpuEvent = (e: SimEvent) => e.kind === 'mmu/walked' || (e.kind.startsWith('cpu/') && e.kind !== 'cpu/stopped');

export function ringTimeline(events: readonly SimEvent[]): RingTimeline {
  const n = events.length;
  const cpl = new Int8Array(n + 1).fill(-1);
  const changes: RingChange[] = [];
  const tracks = Object.fromEntries(REGISTERS.map((r) => [r, { steps: [], hex: [], from: [] } as Track])) as Record<RegisterName, Track>;
  const record = (reg: RegisterName, step: number, value: Wide, from: string) => {
    const t = tracks[reg];
    const hex = hex16(value);
    if (t.hex.length && t.hex[t.hex.length - 1] === hex && t.from[t.from.length - 1] === from) return;
    t.steps.push(step);
    t.hex.push(hex);
    t.from.push(from);
  };

  let current = -1; // the CPL after the last event that told it
  let filled = 0; // cpl[0 .. filled-1] are set
  let lastStop = -1; // index of the last cpu/stopped since `current` was told
  const fill = (upTo: number, value: number) => {
    for (; filled <= upTo; filled++) cpl[filled] = value;
  };

  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    const step = i + 1;
    let before: number | undefined, after: number | undefined;
    switch (e.kind) {
      case 'cpu/executed':
        before = after = e.cpl;
        record('rip', step, e.rip, 'the instruction run');
        break;
      case 'cpu/ring-changed':
        before = e.from;
        after = e.to;
        break;
      case 'cpu/faulted':
        record('rip', step, e.rip, 'the instruction that faulted');
        if (e.cr2) record('cr2', step, e.cr2, 'the page fault');
        break;
      case 'cpu/interrupted':
        record('rip', step, e.rip, 'the instruction the interrupt came before');
        break;
      case 'cpu/register-written':
        if (e.reg === 'rsp' || e.reg === 'rflags') record(e.reg, step, e.after, 'the step that wrote it');
        break;
      case 'kernel/context-switched':
        record('cr3', step, e.cr3, 'the page-table walks after the context switch');
        break;
      case 'mmu/walked': {
        const top = e.steps[0];
        if (top?.level === 4) record('cr3', step, fromNumber(top.entryAddress - ((e.address.hi >>> 7) & 0x1ff) * 8), "the MMU's page-table walks");
        break;
      }
      case 'cpu/stopped':
        lastStop = i;
        break;
    }
    if (before === undefined || after === undefined) continue;
    if (current === -1) {
      fill(i, before); // the run starts in the ring its first CPL event starts from
    } else if (before !== current) {
      // No crossing instruction: a new program, started after the machine stopped, from its first CPU event.
      let first = i;
      if (lastStop >= 0) for (let j = lastStop + 1; j < i; j++) if (isCpuEvent(events[j]!)) { first = j; break; }
      fill(first, current);
      changes.push({ step: first + 1, from: current, to: before, kind: 'start', label: 'program start', fault: false });
      fill(i, before);
    } else fill(i, current);
    if (e.kind === 'cpu/ring-changed') {
      changes.push({ step, from: e.from, to: e.to, kind: 'crossing', label: crossingLabel(e.cause, e.vector), cause: e.cause, ...(e.vector === undefined ? {} : { vector: e.vector }), fault: e.cause === 'exception' });
    }
    current = after;
    lastStop = -1;
  }
  fill(n, current);
  return { steps: n, cpl, changes, changeSteps: changes.map((c) => c.step), tracks };
}

/** The last index in a sorted list of steps that is at or before `step`, or -1. */
function lastAtOrBefore(steps: readonly number[], step: number): number {
  let lo = 0, hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid]! <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The changes of ring that happened at or before a step. */
export const changesUpTo = (t: RingTimeline, step: number): RingChange[] => t.changes.slice(0, lastAtOrBefore(t.changeSteps, step) + 1);

/** The CPL after a step, or -1 when the run never tells it. */
export const cplAt = (t: RingTimeline, step: number): number => t.cpl[Math.max(0, Math.min(t.steps, step))]!;

/** The registers as the events up to a step have told them; unknown until some event has. */
export function registersAt(t: RingTimeline, step: number): RegisterValues {
  return Object.fromEntries(
    REGISTERS.map((r) => {
      const track = t.tracks[r];
      const k = lastAtOrBefore(track.steps, step);
      return [r, k < 0 ? {} : { hex: track.hex[k], step: track.steps[k], from: track.from[k] }];
    }),
  ) as RegisterValues;
}

/** RFLAGS bits the panel spells out. */
export const flagBit = (hex: string, bit: number): number => Number((BigInt(`0x${hex}`) >> BigInt(bit)) & 1n);
export const IF_BIT = 9;
export const AC_BIT = 18;

/** The picture before hydration: the state at the end of the run (the widget opens there). */
export interface RingSwitcherPicture {
  steps: number;
  cpl: number;
  changes: RingChange[];
  registers: RegisterValues;
}

/** The picture at a step (by default the run's end, where the widget opens). */
export function ringSwitcherPicture(events: readonly SimEvent[], at = events.length): RingSwitcherPicture {
  const t = ringTimeline(events);
  return { steps: at, cpl: cplAt(t, at), changes: changesUpTo(t, at), registers: registersAt(t, at) };
}

/** A print strip's states: just after crossings, faults first (they are what a run is about). */
export function ringSwitcherKeySteps(events: readonly SimEvent[]): number[] {
  const crossings = ringTimeline(events).changes.filter((c) => c.kind === 'crossing');
  const faults = crossings.filter((c) => c.fault).map((c) => c.step);
  return faults.length ? pickSteps([crossings[0]!.step, ...faults], STRIP_FRAMES) : pickSteps(crossings.map((c) => c.step), STRIP_FRAMES);
}
