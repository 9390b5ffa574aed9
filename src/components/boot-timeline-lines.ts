// What BootTimeline shows, from a run's events: the boot stages (boot/stage-finished), each
// built-in initcall in the level do_initcalls() ran it in and in the order it ran
// (boot/initcall-entry-read, then boot/initcall-returned with its return value), the dmesg lines
// printed between the two (initcall_debug's "calling …" and "initcall … returned …", and the
// initcall's own), and what the run did after the boot. Shared by the widget and its build-time
// picture. The level names are passed in (INITCALL_LEVEL_NAMES of src/sim/kernel/initcalls.ts)
// so the widget's own script stays small.
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';
import type { SimEvent } from '../sim/events';
import { KernelLog } from '../sim/kernel/printk';
import { strerror } from '../sim/kernel/loader/errno';

export interface LogLine {
  step: number;
  level: number;
  text: string;
}

export interface Initcall {
  /** 1, 2, …: the order the boot ran the built-in initcalls in, across levels. */
  order: number;
  name: string;
  /** The level's name as the event gives it ('early' for do_pre_smp_initcalls). */
  levelName: string;
  /** Its level's number (0–7), or undefined for the early ones. */
  level: number | undefined;
  /** The step that read its initcall_entry_t. */
  step: number;
  /** The step that passes its return, and the value (absent if the run never returned from it). */
  returnStep?: number;
  ret?: number;
  /** The dmesg lines printed while it ran (initcall_debug's two among them when on). */
  lines: LogLine[];
}

export interface Lane {
  level: number;
  name: string;
  initcalls: Initcall[];
  /** The step of boot/stage-finished for do_initcall_level(level), and its detail. */
  finishedStep?: number;
  detail?: string;
}

export interface Stage {
  step: number;
  stage: string;
  source: string;
  detail: string;
  /** The dmesg lines printed since the boot's previous event (free_initmem's "Freeing …" line). */
  lines: LogLine[];
}

/** An event after the boot worth a line: its step and the emulator's own sentence for it. */
export interface AfterBoot {
  step: number;
  text: string;
  /** Who acted: a user-space tool (modelled) or the kernel. */
  side: 'user' | 'kernel';
  /** A refusal or failure the event itself reports. */
  failed: boolean;
}

export interface BootTimeline {
  /** Stages before the levels (image mapped, patched, early initcalls) and after them (free_initmem …). */
  before: Stage[];
  lanes: Lane[];
  early: Initcall[];
  after: Stage[];
  /** The step of the boot's last event (after it, the run's own steps). */
  bootEnd: number;
  afterBoot: AfterBoot[];
}

export interface BootTimelinePicture {
  steps: number;
  timeline: BootTimeline;
}

const LEVEL_STAGE = /^do_initcall_level\((\d+)\)$/;

/** What the run did after the boot, by kind: what a reader follows (not each instruction). */
function afterBootLine(e: SimEvent): Omit<AfterBoot, 'step' | 'text'> | undefined {
  switch (e.kind) {
    case 'user/modelled':
      return { side: 'user', failed: /\bERROR\b/.test(e.text) };
    case 'kernel/syscall-entered':
      return { side: 'kernel', failed: false };
    case 'vfs/node-created':
    case 'vfs/opened':
    case 'vfs/closed':
    case 'kernel/user-copied':
    case 'loader/init-called':
    case 'loader/exit-called':
    case 'kernel/printk':
      return { side: 'kernel', failed: e.kind === 'kernel/printk' && e.level <= 3 };
    case 'loader/stage-finished':
      return e.ok ? undefined : { side: 'kernel', failed: true };
    default:
      return undefined;
  }
}

const QUIET_SYSCALLS = new Set(['exit_group', 'write']);

/**
 * The boot of a run, from its events; `describe` gives the emulator's sentence for an event
 * (events.ts describe(), or the lab's). Undefined when the run booted no built-in image.
 */
export function bootTimeline(events: readonly SimEvent[], levelNames: readonly string[], describe: (e: SimEvent) => string): BootTimeline | undefined {
  const lanes: Lane[] = levelNames.map((name, level) => ({ level, name, initcalls: [] }));
  const early: Initcall[] = [];
  const before: Stage[] = [], after: Stage[] = [];
  let running: Initcall | undefined;
  let order = 0, bootEnd = 0, levelsDone = false;
  let pending: LogLine[] = [];
  const line = (e: SimEvent & { kind: 'kernel/printk' }, step: number): LogLine => ({ step, level: e.level, text: KernelLog.line({ seq: 0, level: e.level, timeNs: e.timeNs, text: e.text }) });
  events.forEach((e, i) => {
    const step = i + 1;
    if (e.kind === 'boot/initcall-entry-read') {
      const level = levelNames.indexOf(e.level);
      running = { order: ++order, name: e.name, levelName: e.level, level: level < 0 ? undefined : level, step, lines: [] };
      (level < 0 ? early : lanes[level]!.initcalls).push(running);
      bootEnd = step;
    } else if (e.kind === 'boot/initcall-returned' && running) {
      running.returnStep = step;
      running.ret = e.ret;
      running = undefined;
      bootEnd = step;
    } else if (e.kind === 'kernel/printk') {
      (running ? running.lines : pending).push(line(e, step));
    } else if (e.kind === 'boot/stage-finished') {
      const m = LEVEL_STAGE.exec(e.stage);
      const lane = m ? lanes[Number(m[1])] : undefined;
      if (lane) {
        lane.finishedStep = step;
        lane.detail = e.detail;
        levelsDone = lane.level === levelNames.length - 1;
      } else (levelsDone ? after : before).push({ step, stage: e.stage, source: e.source, detail: e.detail, lines: pending });
      pending = [];
      bootEnd = step;
    }
  });
  if (bootEnd === 0) return undefined;
  const afterBoot: AfterBoot[] = [];
  events.forEach((e, i) => {
    if (i < bootEnd) return;
    if (e.kind === 'kernel/syscall-entered' && QUIET_SYSCALLS.has(e.name)) return;
    const line = afterBootLine(e);
    if (line) afterBoot.push({ step: i + 1, text: describe(e), ...line });
  });
  return { before, lanes, early, after, bootEnd, afterBoot };
}

/** The initcall running or last run at a step (the one whose entry was read last). */
export function currentInitcall(t: BootTimeline, step: number): Initcall | undefined {
  let found: Initcall | undefined;
  for (const c of [...t.early, ...t.lanes.flatMap((l) => l.initcalls)]) if (c.step <= step && (!found || c.order > found.order)) found = c;
  return found;
}

/** How many initcalls have returned by a step. */
export function initcallsReturned(t: BootTimeline, step: number): number {
  return [...t.early, ...t.lanes.flatMap((l) => l.initcalls)].filter((c) => c.returnStep !== undefined && c.returnStep <= step).length;
}

/** "✓ 0", or "✗ -19 (No such device)": a return value in words, never colour alone. */
export function returnText(ret: number): string {
  return ret === 0 ? '✓ 0' : ret < 0 ? `✗ ${ret} (${strerror(ret)})` : `returned ${ret}`;
}

/** The picture at a step (by default the run's end, where the widget opens). */
export function bootTimelinePicture(events: readonly SimEvent[], levelNames: readonly string[], describe: (e: SimEvent) => string, at = events.length): BootTimelinePicture {
  return { steps: at, timeline: bootTimeline(events, levelNames, describe) ?? { before: [], lanes: [], early: [], after: [], bootEnd: 0, afterBoot: [] } };
}

/** A print strip's states: the first level done, the boot's end, the run's end. */
export function bootTimelineKeySteps(events: readonly SimEvent[], levelNames: readonly string[], describe: (e: SimEvent) => string): number[] {
  const t = bootTimeline(events, levelNames, describe);
  if (!t) return [events.length];
  const firstLevel = t.lanes.find((l) => l.finishedStep !== undefined)?.finishedStep;
  return pickSteps([...(firstLevel ? [firstLevel] : []), t.bootEnd, events.length], STRIP_FRAMES);
}
