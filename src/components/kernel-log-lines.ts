// The lines KernelLog shows, from a run's events: each kernel/printk with the step that printed it
// (the step after its event) and its dmesg text. Shared by the widget and its build-time picture.
import type { SimEvent } from '../sim/events';
import { KernelLog } from '../sim/kernel/printk';
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';

export interface LogLine {
  step: number;
  level: number;
  text: string;
}

export interface KernelLogPicture {
  steps: number;
  lines: LogLine[];
}

export function logLines(events: readonly SimEvent[]): LogLine[] {
  return events.flatMap((e, i) => (e.kind === 'kernel/printk' ? [{ step: i + 1, level: e.level, text: KernelLog.line({ seq: 0, level: e.level, timeNs: e.timeNs, text: e.text }) }] : []));
}

/** The picture at a step (by default the run's end, where the widget opens): the log printed so far. */
export const kernelLogPicture = (events: readonly SimEvent[], at = events.length): KernelLogPicture => ({ steps: at, lines: logLines(events).filter((l) => l.step <= at) });

/** A print strip's states: when the first line, a middle one and the last are printed. */
export const kernelLogKeySteps = (events: readonly SimEvent[]): number[] => pickSteps(logLines(events).map((l) => l.step), STRIP_FRAMES);
