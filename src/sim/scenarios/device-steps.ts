// Models: the scenario steps in which a device acts or the kernel is watched (issue 5: interrupts,
// drivers outside the kernel): a device pulsing its interrupt line while the CPU idles, or at a
// chosen instruction count of a running program (a deterministic device clock); grep over
// /proc/interrupts; starting a user-space driver process; measuring one read() from the events.
// Simplifies: the device is a model that only pulses a line (the oracle raised the same line with
// COM2's transmitter-empty interrupt); the device clock counts retired instructions, not time.
import { grepTool } from '../kernel/grep-tool';
import type { Kernel } from '../kernel/kernel';
import type { Machine } from '../machine';
import type { ScenarioOutcome } from './loader';
import { programTool } from '../kernel/user-tools';
import { pulseLine, runIdle } from '../kernel/irq';
import { compareReadPaths, measureRead, startUserspaceDriver, type ReadComparison, type ReadCounts } from '../kernel/userspace-driver';

export type DeviceStep =
  /** The device on this line pulses it while the CPU idles (no program runs). */
  | { irq: number }
  /** A sample program runs; the device pulses `line` once the program has retired `after` instructions. */
  | { run: string; irq: { line: number; after: number } }
  /** A sample program runs while the kernel's events are counted for its read() (issue 5, chapter 13). */
  | { run: string; measure: 'monolithic' | 'userspace' }
  /** busybox grep STRING FILE, for the files the model prints itself. */
  | { grep: string; file: '/proc/interrupts' }
  /** A user-space driver process starts and serves `path` (modelled IPC). */
  | { serve: string; path: string }
  /** The two measured read() paths side by side, with the documented costs that size them. */
  | { compare: 'read-paths' };

const measured = new WeakMap<Kernel, { monolithic?: ReadCounts; userspace?: ReadCounts }>();
const comparisons = new WeakMap<Kernel, ReadComparison>();

/** The comparison the last `compare` step made on this kernel: counts per path and the cited costs, for widgets. */
export function lastReadComparison(k: Kernel): ReadComparison | undefined {
  return comparisons.get(k);
}

/** Runs a device step; undefined for the steps loader.ts runs itself. */
export function runDeviceStep(k: Kernel, step: object, file: (path: string) => Uint8Array): ScenarioOutcome | undefined {
  const s = step as Partial<Record<string, unknown>>;
  if (typeof s['irq'] === 'number') {
    const line = s['irq'];
    runIdle(k, () => pulseLine(k, line));
    return { step: `(the CPU idles; the device raises IRQ ${s['irq']})`, result: { status: 0, stderr: [] } };
  }
  if (typeof s['run'] === 'string' && typeof s['irq'] === 'object' && s['irq']) {
    const { line, after } = s['irq'] as { line: number; after: number };
    const name = s['run'];
    const start = k.m.retired;
    const result = withDeviceClock(k.m, [{ at: start + after, fire: () => pulseLine(k, line) }], () => programTool(k, name, file(name), `./${name}`));
    return { step: `./${name} (the device raises IRQ ${line} after ${after} instructions)`, result };
  }
  if (typeof s['run'] === 'string' && typeof s['measure'] === 'string') {
    const name = s['run'], path = s['measure'] as 'monolithic' | 'userspace';
    const { result, counts } = measureRead(k, () => programTool(k, name, file(name), `./${name}`));
    if (!counts) return { step: `./${name}`, result: { ...result, status: result.status || 1, stderr: [...result.stderr, `measure: ./${name} made no read()`] } };
    measured.set(k, { ...measured.get(k), [path]: counts });
    return { step: `./${name}`, result };
  }
  if (typeof s['grep'] === 'string' && s['file'] === '/proc/interrupts') {
    const pattern = s['grep'] as string;
    const r = grepTool(k, [pattern, '/proc/interrupts']); // busybox grep (grep-tool.ts), a process of its own
    return { step: `grep ${/\s/.test(pattern) ? `'${pattern}'` : pattern} /proc/interrupts`, result: { status: r.status, stderr: r.stderr, stdout: r.stdout.map((l) => l + '\n').join('') } };
  }
  if (typeof s['serve'] === 'string' && typeof s['path'] === 'string') {
    const r = startUserspaceDriver(k, s['serve'], file(s['serve']), s['path']);
    return { step: `./${s['serve']} & (serves ${s['path']})`, result: r };
  }
  if (s['compare'] === 'read-paths') {
    const m = measured.get(k);
    if (!m?.monolithic || !m.userspace) return { step: 'compare', result: { status: 1, stderr: ['compare: both read() paths must be measured first'] } };
    const comparison = compareReadPaths(m.monolithic, m.userspace);
    comparisons.set(k, comparison);
    return { step: 'compare', result: { status: 0, stderr: [], stdout: comparison.text } };
  }
  return undefined;
}

/**
 * Runs `body` with a device clock: the machine runs in slices that end at the scheduled retired-
 * instruction counts, where each event fires (between two instructions, as a device's edge would
 * arrive). Deterministic: the same program and schedule give the same interleaving.
 */
export function withDeviceClock<R>(m: Machine, events: { at: number; fire: () => void }[], body: () => R): R {
  const plain = Object.getPrototypeOf(m).run as Machine['run'];
  const queue = [...events].sort((a, b) => a.at - b.at);
  const own = m as unknown as { run?: Machine['run'] };
  own.run = function (this: Machine, limit: number): number {
    let n = 0;
    while (n < limit && !this.stopped) {
      const next = queue[0];
      if (next && this.retired >= next.at) {
        queue.shift();
        next.fire();
        continue;
      }
      const slice = next ? Math.min(limit - n, next.at - this.retired) : limit - n;
      const done = plain.call(this, slice);
      if (done === 0) break;
      n += done;
    }
    return n;
  };
  try {
    return body();
  } finally {
    delete own.run;
  }
}
