// The lines KernelLog shows, from a run's events: each kernel/printk with the step that printed it
// (the step after its event) and its dmesg text. Shared by the widget and its build-time picture.
import type { SimEvent } from '../sim/events';
import { KernelLog } from '../sim/kernel/printk';

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

/** The picture before hydration: the whole run's log (the widget opens at the end of its run). */
export const kernelLogPicture = (events: readonly SimEvent[]): KernelLogPicture => ({ steps: events.length, lines: logLines(events) });
