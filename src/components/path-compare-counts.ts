// What PathCompare shows, from a run's events: each read() the run made, the stretch of events
// that belongs to it (the same rule as countRead() in src/sim/kernel/userspace-driver.ts: from the
// ring change of its `syscall` to the ring change of the client's next system call, the IPC calls
// of a driver process in between belonging to the read), whether a driver process answered it (a
// context switch in that stretch) or the kernel did in ring 0, the events counted, and the counts
// up to a step. Shared by the widget and its build-time picture; only types come from src/sim, so
// the widget's own script stays small.
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';
import type { SimEvent } from '../sim/events';

export type PathKind = 'monolithic' | 'userspace';

/** The counts of compareReadPaths() the widget shows (ReadCounts without the entry-code split). */
export interface PathCounts {
  ringCrossings: number;
  contextSwitches: number;
  copies: number;
  bytesCopied: number;
  ipcMessages: number;
  instructionsRing0: number;
  instructionsRing3: number;
}

export type MarkKind = 'call' | 'crossing' | 'switch' | 'ipc' | 'copy';

/** One event of a read's stretch worth a line: the step that passes it, and what it was. */
export interface PathMark {
  step: number;
  kind: MarkKind;
  text: string;
  /** The ring the processor is in once this event has happened (crossings only). */
  ring?: number;
}

export interface ReadPath {
  kind: PathKind;
  /** The events [start, end) of the run that belong to this read(). */
  start: number;
  end: number;
  /** The process that called read(), and the one that answered it (undefined: the kernel itself). */
  client: string | undefined;
  server: string | undefined;
  marks: PathMark[];
}

export interface PathComparePicture {
  steps: number;
  paths: ReadPath[];
  /** Each path's counts at the end of the run. */
  counts: PathCounts[];
}

export const zeroCounts = (): PathCounts => ({ ringCrossings: 0, contextSwitches: 0, copies: 0, bytesCopied: 0, ipcMessages: 0, instructionsRing0: 0, instructionsRing3: 0 });

const IPC_CALLS = new Set(['ipc_recv', 'ipc_reply_recv']);

/** The index of the ring change at or before i (the `syscall` that entered the kernel), else i. */
function ringChangeBefore(events: readonly SimEvent[], i: number, floor: number): number {
  for (let j = i; j >= floor; j--) if (events[j]!.kind === 'cpu/ring-changed') return j;
  return i;
}

/**
 * Every read() of the run, in order: its stretch of events, who answered it, and its marks. The
 * first of each kind is the one the scenario's `measure` steps count (measureRead() counts the
 * first read() of the program it runs).
 */
export function readPaths(events: readonly SimEvent[]): ReadPath[] {
  const paths: ReadPath[] = [];
  let floor = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind !== 'kernel/syscall-entered' || e.name !== 'read') continue;
    const start = ringChangeBefore(events, i, floor);
    let next = -1;
    for (let j = i + 1; j < events.length; j++) {
      const n = events[j]!;
      if (n.kind === 'kernel/syscall-entered' && !IPC_CALLS.has(n.name)) {
        next = j;
        break;
      }
    }
    const end = next < 0 ? events.length : ringChangeBefore(events, next, i);
    paths.push(describePath(events, start, end));
    floor = end;
    i = end - 1;
  }
  return paths;
}

function describePath(events: readonly SimEvent[], start: number, end: number): ReadPath {
  const stretch = events.slice(start, end);
  const firstSwitch = stretch.find((e) => e.kind === 'kernel/context-switched');
  const firstCopyToClient = stretch.find((e) => e.kind === 'kernel/user-copied' && e.from === 'the kernel');
  const client = firstSwitch?.kind === 'kernel/context-switched' ? firstSwitch.from : firstCopyToClient?.kind === 'kernel/user-copied' ? firstCopyToClient.to : undefined;
  const server = firstSwitch?.kind === 'kernel/context-switched' ? firstSwitch.to : undefined;
  const marks: PathMark[] = [];
  let running = client; // the process whose registers the entry code returns to
  stretch.forEach((e, k) => {
    const step = start + k + 1;
    if (e.kind === 'cpu/ring-changed') {
      const who = e.to === 3 && running ? `, back in ${running}` : e.to === 0 && running ? ` from ${running}` : '';
      marks.push({ step, kind: 'crossing', ring: e.to, text: `ring ${e.from} → ${e.to} (${e.cause}${e.vector === undefined ? '' : ` ${e.vector}`})${who}` });
    } else if (e.kind === 'kernel/syscall-entered') {
      marks.push({ step, kind: 'call', text: `${e.name}() enters the kernel` });
    } else if (e.kind === 'kernel/context-switched') {
      running = e.to;
      marks.push({ step, kind: 'switch', text: `context switch ${e.from} → ${e.to} (CR3 loaded)` });
    } else if (e.kind === 'ipc/message-passed') {
      marks.push({ step, kind: 'ipc', text: `IPC ${e.what}, ${e.from} → ${e.to}, ${e.bytes} bytes` });
    } else if (e.kind === 'kernel/user-copied') {
      marks.push({ step, kind: 'copy', text: `copy of ${e.bytes} bytes, ${e.from} → ${e.to} (${e.by})` });
    }
  });
  return { kind: server ? 'userspace' : 'monolithic', start, end, client, server, marks };
}

/** A path's counts over the events the cursor has passed (steps 1…cursor are events 0…cursor-1). */
export function countsAt(events: readonly SimEvent[], path: ReadPath, cursor: number): PathCounts {
  const c = zeroCounts();
  const to = Math.min(path.end, cursor);
  for (let i = path.start; i < to; i++) {
    const e = events[i]!;
    if (e.kind === 'cpu/ring-changed') c.ringCrossings++;
    else if (e.kind === 'kernel/context-switched') c.contextSwitches++;
    else if (e.kind === 'kernel/user-copied') (c.copies++, (c.bytesCopied += e.bytes));
    else if (e.kind === 'ipc/message-passed') c.ipcMessages++;
    else if (e.kind === 'cpu/executed') e.cpl === 0 ? c.instructionsRing0++ : c.instructionsRing3++;
  }
  return c;
}

/** The first read() of each kind (the ones a `measure` step counts), monolithic first. */
export function measuredPaths(paths: readonly ReadPath[]): { monolithic: ReadPath | undefined; userspace: ReadPath | undefined } {
  return { monolithic: paths.find((p) => p.kind === 'monolithic'), userspace: paths.find((p) => p.kind === 'userspace') };
}

/** The picture before hydration: the whole run (the widget opens at the end of its run). */
/** The picture at a step (by default the run's end, where the widget opens). */
export function pathComparePicture(events: readonly SimEvent[], at = events.length): PathComparePicture {
  const paths = readPaths(events);
  return { steps: at, paths, counts: paths.map((p) => countsAt(events, p, at)) };
}

/** A print strip's states: the end of each read() (its counts complete). */
export const pathCompareKeySteps = (events: readonly SimEvent[]): number[] => pickSteps(readPaths(events).map((p) => p.end), STRIP_FRAMES);
