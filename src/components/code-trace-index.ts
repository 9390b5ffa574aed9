// CodeTrace's per-step part, kept apart from the listing's maker (code-trace-model.ts, which needs
// the emulator's decoder and ELF reader) so the widget's own chunk stays small: the listing's
// types, an index of which listing row the CPU ran at each step (made once per run, from the
// run's `cpu/executed` events), and its reads per step.
import type { U64 } from '../sim/cpu/state';
import type { SimEvent } from '../sim/events';
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';

/** A line table as samples/lines.py writes it (format ring0-lines/1), for a module. */
export interface LineTable {
  object: string;
  format: string;
  sections?: Record<string, LineRow[]>;
}
/** [offset, file, line] or [offset, file, line, inlinedBy: [file, line][]]. */
export type LineRow = [number, string, number] | [number, string, number, [string, number][]];

export type ListingResult = { ok: true; listing: CodeListing } | { ok: false; error: string };

/** A C location: a sample's file (relative to samples/) and a 1-based line. */
export interface CLocation {
  file: string;
  line: number;
}

export interface ListingRow {
  /** Index in the listing. */
  id: number;
  section: string;
  offset: number;
  /** 16 hex digits, or null when no event of the run placed the section. */
  address: string | null;
  /** The bytes in memory after loading, hex pairs separated by spaces. */
  bytes: string;
  /** Intel syntax, from the emulator's decoder. */
  text: string;
  /** The function that starts here (and its aliases), if one does. */
  label?: string;
  /** The sample's own C line, when the line table has one. */
  line: CLocation | null;
  /** A kernel header the code was inlined from ("include/linux/fs.h:2927"), when it was. */
  inlined?: string;
  /** Loading changed these bytes: a relocation, or a code patch (and which). */
  changed?: string;
}

export interface CodeListing {
  ko: string;
  module: string;
  rows: ListingRow[];
  /** Every sample file the line table names, in first-seen order. */
  files: string[];
}

/** The modules a run's scenario loads with insmod, in order (paths under public/samples/). */
export function insmodFiles(run: { scenario: { steps: (p: Record<string, string>) => readonly object[] }; params: Record<string, string> }): string[] {
  return run.scenario.steps(run.params).flatMap((s) => ('insmod' in s && typeof s.insmod === 'string' ? [s.insmod] : []));
}

/** The line table's path for a module's path: hello.ko → hello.lines.json (variants have none). */
export const lineTablePath = (ko: string) => ko.replace(/\.ko$/, '.lines.json');

/** The module CodeTrace shows for a run: the first one it insmods that has a line table. */
export const traceModule = (run: Parameters<typeof insmodFiles>[0]) => insmodFiles(run).find((f) => !f.startsWith('variants/'));

/** A token of highlighted C: its text and its colour in the light and the dark theme. */
export interface CodeToken {
  t: string;
  l?: string;
  d?: string;
}
export interface SourceFile {
  /** Relative to samples/ (and to /samples/src/ on the site). */
  path: string;
  lines: CodeToken[][];
}

export interface CodeTracePicture {
  /** The run it was made from: a live run of the same scenario and parameters reuses it. */
  scenario: string;
  params: Record<string, string>;
  listing: CodeListing | null;
  /** Why there is no listing (a scenario that loads no module with a line table). */
  error?: string;
  sources: SourceFile[];
  state: CodeTraceState;
}

/** Per run: which listing row the CPU ran at each event, and the last one at each step. */
export interface TraceIndex {
  steps: number;
  /** The row the last module instruction run at or before each step 0..steps had; -1 before any. */
  last: Int32Array;
  /** Whether the CPU's latest instruction at each step was one of the module's (1) or elsewhere (0). */
  inModule: Uint8Array;
  /** The steps (event index + 1) at which each row ran, ascending. */
  ranAt: number[][];
}

const ripKey = (v: U64) => ((BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0)).toString(16).padStart(16, '0');

export function traceIndex(events: readonly SimEvent[], listing: CodeListing): TraceIndex {
  const byAddress = new Map<string, number>();
  for (const row of listing.rows) if (row.address) byAddress.set(row.address, row.id);
  const last = new Int32Array(events.length + 1).fill(-1);
  const inModule = new Uint8Array(events.length + 1);
  const ranAt: number[][] = listing.rows.map(() => []);
  let current = -1;
  let inside = 0;
  events.forEach((e, i) => {
    if (e.kind === 'cpu/executed') {
      const row = byAddress.get(ripKey(e.rip));
      inside = row === undefined ? 0 : 1;
      if (row !== undefined) {
        current = row;
        ranAt[row]!.push(i + 1);
      }
    }
    last[i + 1] = current;
    inModule[i + 1] = inside;
  });
  return { steps: events.length, last, inModule, ranAt };
}

/** The step a choice goes to: the next run of any of these rows after `at`, else the first. */
export function stepFor(index: TraceIndex, rows: readonly number[], at: number): number | undefined {
  const all = rows.flatMap((r) => index.ranAt[r] ?? []).sort((a, b) => a - b);
  return all.find((s) => s > at) ?? all[0];
}

/** The rows of a C line. */
export const rowsOfLine = (listing: CodeListing, file: string, line: number) => listing.rows.filter((r) => r.line?.file === file && r.line.line === line).map((r) => r.id);

/** What the widget shows at a step, beyond the listing: the current row and where the CPU is. */
export interface CodeTraceState {
  at: number;
  /** The module row run last (-1: none yet). */
  row: number;
  /** 'module': the CPU's latest instruction is that row; 'elsewhere': it has left the module since; 'not-yet'. */
  where: 'module' | 'elsewhere' | 'not-yet';
}

export function stateAt(index: TraceIndex, at: number): CodeTraceState {
  const s = Math.max(0, Math.min(at, index.steps));
  const row = index.last[s]!;
  return { at: s, row, where: row < 0 ? 'not-yet' : index.inModule[s] ? 'module' : 'elsewhere' };
}

/** A print strip's states: the first module instruction of each function the run entered, spread. */
export function codeTraceKeySteps(index: TraceIndex, listing: CodeListing): number[] {
  const entries = listing.rows.filter((r) => r.label).flatMap((r) => index.ranAt[r.id]?.slice(0, 1) ?? []);
  return pickSteps(entries.length ? entries : [index.steps], STRIP_FRAMES);
}
