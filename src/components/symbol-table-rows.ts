// What SymbolTable shows: the kernel's export table (vmlinux-exports.json, from the pinned
// Module.symvers: name, CRC, GPL-only, namespace), searched and shown a page at a time; and a
// module's undefined symbols resolving into it, one event at a time (loader/symbol-resolved and
// loader/symbol-unresolved, from simplify_symbols() in the emulator's load_module). Shared by the
// widget and its build-time picture, which holds only the module's symbols (the table arrives with
// the run, through the lab's data sources).
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';
import type { SimEvent } from '../sim/events';
import type { U64 } from '../sim/cpu/state';

/** One row of vmlinux-exports.json: name, CRC (8 hex digits), flags (bit 0: GPL-only), namespace. */
export type ExportRow = readonly [string, string, number, string];

const crcText = (crc: number) => `0x${(crc >>> 0).toString(16).padStart(8, '0')}`;
const hex64 = (v: U64) => `0x${(v.hi >>> 0).toString(16).padStart(8, '0')}${(v.lo >>> 0).toString(16).padStart(8, '0')}`;

export type Outcome = 'resolved' | 'not-exported' | 'gpl-only' | 'crc-mismatch';

export interface ModuleSymbol {
  step: number;
  module: string;
  name: string;
  outcome: Outcome;
  errno?: number;
  owner?: string;
  address?: string;
  /** The exporter's CRC, and the module's own (from its __versions), when each is known. */
  crc?: string;
  expected?: string;
  gpl?: boolean;
}

/** The undefined symbols of the last load in a run, each with the step that settled it. */
export function moduleSymbols(events: readonly SimEvent[]): ModuleSymbol[] {
  let list: ModuleSymbol[] = [];
  events.forEach((e, i) => {
    if (e.kind === 'loader/stage-finished' && e.stage === 'module_sig_check') list = []; // a new load
    else if (e.kind === 'loader/symbol-resolved') {
      list.push({
        step: i + 1, module: e.module, name: e.name, outcome: 'resolved', owner: e.owner, address: hex64(e.address), crc: crcText(e.crc),
        ...(e.expected === undefined ? {} : { expected: crcText(e.expected) }), ...(e.gpl === undefined ? {} : { gpl: e.gpl }),
      });
    } else if (e.kind === 'loader/symbol-unresolved') {
      list.push({
        step: i + 1, module: e.module, name: e.name, outcome: e.reason, errno: e.errno,
        ...(e.crc === undefined ? {} : { crc: crcText(e.crc) }), ...(e.expected === undefined ? {} : { expected: crcText(e.expected) }), ...(e.gpl === undefined ? {} : { gpl: e.gpl }),
      });
    }
  });
  return list;
}

export interface SymbolTableView {
  /** The symbols settled so far, and the last one (the current). */
  settled: ModuleSymbol[];
  current: ModuleSymbol | undefined;
  total: number;
  resolved: number;
  failed: number;
}

export function symbolTableAt(list: readonly ModuleSymbol[], cursor: number): SymbolTableView {
  const settled = list.filter((s) => s.step <= cursor);
  return { settled, current: settled.at(-1), total: list.length, resolved: settled.filter((s) => s.outcome === 'resolved').length, failed: settled.filter((s) => s.outcome !== 'resolved').length };
}

export interface SearchResult {
  /** How many rows match, and the page of them asked for. */
  matches: number;
  rows: ExportRow[];
}

/**
 * The exports whose name contains the query (case-insensitive), names that begin with it first,
 * each group in the table's order; an empty query matches every row. One pass over the table.
 */
export function searchExports(table: readonly ExportRow[], query: string, offset: number, limit: number): SearchResult {
  const q = query.trim().toLowerCase();
  if (!q) return { matches: table.length, rows: table.slice(offset, offset + limit) };
  let names = LOWER.get(table);
  if (!names) LOWER.set(table, (names = table.map((row) => row[0].toLowerCase())));
  const starts: number[] = [];
  const contains: number[] = [];
  for (let i = 0; i < names.length; i++) {
    const at = names[i]!.indexOf(q);
    if (at === 0) starts.push(i);
    else if (at > 0) contains.push(i);
  }
  const page = starts.concat(contains).slice(offset, offset + limit);
  return { matches: starts.length + contains.length, rows: page.map((i) => table[i]!) };
}

/** Each table's names in lower case, made once per table (searching is then one indexOf a row). */
const LOWER = new WeakMap<readonly ExportRow[], string[]>();

export interface SymbolTablePicture {
  at: number;
  view: SymbolTableView;
}

/** The picture at a step (by default the run's end): the module's symbols and their matches only. */
export const symbolTablePicture = (events: readonly SimEvent[], at = events.length): SymbolTablePicture => ({ at, view: symbolTableAt(moduleSymbols(events), at) });

/** A print strip's states: the first symbol settled, one in the middle, the last. */
export const symbolTableKeySteps = (events: readonly SimEvent[]): number[] => pickSteps(moduleSymbols(events).map((s) => s.step), STRIP_FRAMES);

export const OUTCOME_WORDS: Record<Outcome, string> = {
  resolved: '✓ resolved',
  'not-exported': '✗ not exported',
  'gpl-only': '✗ GPL-only, module not GPL',
  'crc-mismatch': '✗ CRC disagrees',
};
