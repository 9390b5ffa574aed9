// What LoaderPipeline shows, from a run's events: load_module()'s stages in Linux 6.1's order
// (the names the emulator gives its loader/stage-finished events, src/sim/kernel/loader/
// load-module.ts), each one's state at the cursor, and at a failing stage its errno and the
// kernel/printk lines the failure printed. One load is one finit_module/init_module system call;
// a run may hold several (insmod twice), and the cursor shows the last one begun. Shared by the
// widget and its build-time picture.
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';
import type { SimEvent } from '../sim/events';
import { ERRNO_NAMES } from '../sim/kernel/loader/errno';

/** load_module()'s stages as the emulator reports them, in 6.1's order, each with its source file. */
export const LOAD_MODULE_STAGES: readonly { name: string; source: string }[] = [
  { name: 'module_sig_check', source: 'kernel/module/signing.c' },
  { name: 'elf_validity_check', source: 'kernel/module/main.c' },
  { name: 'setup_load_info', source: 'kernel/module/main.c' },
  { name: 'blacklisted', source: 'kernel/module/main.c' },
  { name: 'rewrite_section_headers', source: 'kernel/module/main.c' },
  { name: 'check_modstruct_version', source: 'kernel/module/version.c' },
  { name: 'layout_and_allocate', source: 'kernel/module/main.c' },
  { name: 'add_unformed_module', source: 'kernel/module/main.c' },
  { name: 'find_module_sections', source: 'kernel/module/main.c' },
  { name: 'simplify_symbols', source: 'kernel/module/main.c' },
  { name: 'apply_relocations', source: 'arch/x86/kernel/module.c' },
  { name: 'post_relocation', source: 'arch/x86/kernel/module.c' },
  { name: 'ftrace_module_init', source: 'kernel/trace/ftrace.c' },
  { name: 'complete_formation', source: 'kernel/module/main.c' },
  { name: 'parse_args', source: 'kernel/params.c' },
  { name: 'do_init_module', source: 'kernel/module/main.c' },
];

const LOAD_SYSCALLS = new Set(['finit_module', 'init_module']);

export type StageState = 'not-reached' | 'current' | 'passed' | 'failed';

export interface FailureLine {
  step: number;
  level: number;
  text: string;
}

export interface StageView {
  name: string;
  /** The event's source file once the stage has finished; until then the stage list's. */
  source: string;
  state: StageState;
  /** The step at which the stage finished (its event's index + 1), when it has. */
  step?: number;
  errno?: number;
  detail?: string;
  /** At a failed stage: the lines the kernel printed for the failure, up to the cursor. */
  log: FailureLine[];
  /** At a failed stage: true once the cursor has passed the end of the system call that failed. */
  logComplete: boolean;
}

export interface PipelineView {
  /** Which load (1-based) the cursor is in, 0 before the first begins; and how many the run holds. */
  load: number;
  loads: number;
  /** The system call that began the load shown ("finit_module"), empty before one begins. */
  call: string;
  stages: StageView[];
  /** The current stage, else the last one finished; empty before a load begins. */
  stage: string;
  /** The failed stage's name, or empty. */
  failed: string;
}

interface StageEvent {
  index: number;
  stage: string;
  source: string;
  ok: boolean;
  errno?: number;
  detail: string;
}

/** One load_module() call found in a run: where it began, its stage events, what its failure printed. */
export interface LoadAttempt {
  call: string;
  start: number;
  stages: StageEvent[];
  failureLog: (FailureLine & { index: number })[];
  /** The index of the event that closes the failing system call (or the run's length). */
  end: number;
}

/** Every load in a run, in order: made once per run, then read at each cursor position. */
export function loadAttempts(events: readonly SimEvent[]): LoadAttempt[] {
  const attempts: LoadAttempt[] = [];
  let open: LoadAttempt | undefined;
  let failed: LoadAttempt | undefined; // a failure's printk lines follow its stage event
  events.forEach((e, index) => {
    if (failed) {
      if (e.kind === 'kernel/printk') failed.failureLog.push({ index, step: index + 1, level: e.level, text: e.text });
      else if (closesFailure(e)) {
        failed.end = index;
        failed = undefined;
      }
    }
    if (e.kind === 'kernel/syscall-entered' && LOAD_SYSCALLS.has(e.name)) {
      attempts.push((open = { call: e.name, start: index, stages: [], failureLog: [], end: events.length }));
    } else if (e.kind === 'loader/stage-finished' && e.stage !== 'delete_module' && open) {
      open.stages.push({ index, stage: e.stage, source: e.source, ok: e.ok, errno: e.errno, detail: e.detail });
      if (!e.ok) failed = open;
      if (!e.ok || e.stage === 'do_init_module') open = undefined;
    }
  });
  return attempts;
}

/** The failing call is over when it returns to its caller, or when anything else of the loader or a new call begins. */
const closesFailure = (e: SimEvent) =>
  (e.kind === 'kernel/hle-returned' && e.name === 'do_syscall_64') || e.kind === 'kernel/syscall-entered' || e.kind === 'loader/stage-finished' || (e.kind === 'cpu/ring-changed' && e.to === 3);

/** The pipeline at a cursor (the number of events that have happened). */
export function pipelineAt(attempts: readonly LoadAttempt[], cursor: number): PipelineView {
  let at = -1;
  attempts.forEach((a, i) => {
    if (a.start < cursor) at = i;
  });
  const attempt = at >= 0 ? attempts[at] : undefined;
  const happened = attempt?.stages.filter((s) => s.index < cursor) ?? [];
  const failure = happened.find((s) => !s.ok);
  const finished = failure !== undefined || happened.some((s) => s.stage === 'do_init_module');
  const next = attempt && !finished ? LOAD_MODULE_STAGES.findIndex((s) => !happened.some((h) => h.stage === s.name)) : -1;
  const stages = LOAD_MODULE_STAGES.map((s, i): StageView => {
    const done = happened.find((h) => h.stage === s.name);
    if (!done) return { name: s.name, source: s.source, state: i === next ? 'current' : 'not-reached', log: [], logComplete: false };
    const view: StageView = { name: s.name, source: done.source, state: done.ok ? 'passed' : 'failed', step: done.index + 1, detail: done.detail, log: [], logComplete: false };
    if (!done.ok) {
      view.errno = done.errno;
      view.log = attempt!.failureLog.filter((l) => l.index < cursor).map(({ step, level, text }) => ({ step, level, text }));
      view.logComplete = attempt!.end < cursor;
    }
    return view;
  });
  const last = next >= 0 ? LOAD_MODULE_STAGES[next]!.name : (happened.at(-1)?.stage ?? '');
  return { load: at + 1, loads: attempts.length, call: attempt?.call ?? '', stages, stage: last, failed: failure?.stage ?? '' };
}

/** "-2 (ENOENT)": the value load_module returns, with its name where the loader's list has one. */
export function errnoLabel(errno: number): string {
  const name = ERRNO_NAMES[-errno];
  return name ? `${errno} (${name})` : String(errno);
}

export interface LoaderPipelinePicture {
  scenario: string;
  view: PipelineView;
}

/** The picture at a step (by default the run's end, where the widget opens). */
export const loaderPipelinePicture = (scenario: string, events: readonly SimEvent[], at = events.length): LoaderPipelinePicture => ({
  scenario,
  view: pipelineAt(loadAttempts(events), at),
});

/** A print strip's states: each load's first stage, its last stage (where a failure shows), and the run's end. */
export function loaderPipelineKeySteps(events: readonly SimEvent[]): number[] {
  const steps = loadAttempts(events).flatMap((a) => (a.stages.length ? [a.stages[0]!.index + 1, a.stages.at(-1)!.index + 1] : []));
  return pickSteps([...steps, events.length], STRIP_FRAMES);
}
