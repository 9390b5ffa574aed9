// What RelocationStepper shows, from a run's events: each relocation the loader applied
// (loader/reloc-applied, from apply_relocations() → 6.1's arch/x86/kernel/module.c
// __apply_relocate_add()), one at a time — the place P, the symbol S and where it came from, the
// addend A, the type's formula with its values, the value, and the bytes at P before and after —
// then each code patch made after relocation (loader/code-patched: return thunks, lock prefixes,
// ftrace's NOPs). Everything is the emulator's own numbers; this file only formats and finds them.
// Shared by the widget and its build-time picture.
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';
import type { SimEvent } from '../sim/events';
import type { U64 } from '../sim/cpu/state';

const big = (v: U64) => (BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0);
const hex = (v: bigint, digits = 16) => `0x${BigInt.asUintN(digits * 4, v).toString(16).padStart(digits, '0')}`;
const signedHex = (v: bigint) => (v < 0n ? `−0x${(-v).toString(16)}` : `+0x${v.toString(16)}`);
const bytesText = (b: readonly number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join(' ');

/** Where S came from: an export the loader resolved (with the step that resolved it), or the module itself. */
export type SymbolSource =
  | { from: 'export'; owner: string; step: number; crc: string }
  | { from: 'section'; section: string }
  | { from: 'module' };

export interface RelocationView {
  kind: 'reloc';
  /** The step at which the loader applied it (its event's index + 1). */
  step: number;
  /** 1-based, among the run's relocations. */
  number: number;
  module: string;
  type: string;
  section: string;
  offset: string;
  symbol: string;
  source: SymbolSource;
  S: string;
  A: string;
  P: string;
  /** The psABI formula ("S + A − P") and the same with the numbers in. */
  formula: string;
  worked: string;
  value: string;
  /** How many bytes the type writes, and what 6.1 does with the value's other bits. */
  size: number;
  rule: string;
  /** The value as written at P: its low `size` bytes, as a number. */
  written: string;
  before: string;
  after: string;
  ok: boolean;
}

export interface PatchView {
  kind: 'patch';
  step: number;
  /** 1-based, among the run's code patches. */
  number: number;
  module: string;
  why: string;
  /** What the patch does, in words, and the kernel function that does it. */
  what: string;
  source: string;
  address: string;
  before: string;
  after: string;
}

export type StepperItem = RelocationView | PatchView;

/** 6.1's __apply_relocate_add(): how many bytes each type writes and what it checks. */
function typeRule(type: string): { size: number; rule: string } {
  switch (type) {
    case 'R_X86_64_64':
      return { size: 8, rule: 'All 64 bits are written; nothing is checked.' };
    case 'R_X86_64_32':
      return { size: 4, rule: 'The low 32 bits are written; 6.1 then checks that they zero-extend back to the value (else “overflow in relocation type 10”).' };
    case 'R_X86_64_32S':
      return { size: 4, rule: 'The low 32 bits are written; 6.1 then checks that they sign-extend back to the value (else “overflow in relocation type 11”): the address must lie in the top 2 GiB, where -mcmodel=kernel puts the kernel and its modules.' };
    case 'R_X86_64_PC32':
    case 'R_X86_64_PLT32':
      return { size: 4, rule: 'The value is a distance from P; its low 32 bits are written, a signed 32-bit displacement. 6.1 does not check its range for this type.' };
    case 'R_X86_64_PC64':
      return { size: 8, rule: 'The distance from P is written in all 64 bits.' };
    default:
      return { size: 0, rule: 'Nothing is written for this type.' };
  }
}

const PATCHES: Record<string, { what: string; source: string }> = {
  apply_returns: { what: 'A jmp to __x86_return_thunk becomes ret; int3 …: the emulated CPU needs no return thunk.', source: 'arch/x86/kernel/alternative.c (apply_returns, from module_finalize)' },
  alternatives_smp_unlock: { what: 'A lock prefix (f0) becomes a DS prefix (3e), which does nothing: the kernel booted with one CPU.', source: 'arch/x86/kernel/alternative.c (alternatives_smp_unlock, from module_finalize)' },
  ftrace_module_init: { what: 'A call to __fentry__ becomes a 5-byte NOP, until someone turns tracing on for this function.', source: 'kernel/trace/ftrace.c (ftrace_module_init)' },
  ftrace_init: { what: 'A call to __fentry__ becomes a 5-byte NOP, until someone turns tracing on for this function.', source: 'kernel/trace/ftrace.c (ftrace_init)' },
};

/** Every relocation and code patch of a run, in order: made once per run, then read at each cursor. */
export function stepperItems(events: readonly SimEvent[]): StepperItem[] {
  const items: StepperItem[] = [];
  const resolved = new Map<string, { owner: string; step: number; crc: string }>();
  const sections = new Set<string>();
  let relocs = 0;
  let patches = 0;
  events.forEach((e, index) => {
    if (e.kind === 'loader/stage-finished' && e.stage === 'module_sig_check') {
      resolved.clear(); // a new load: its own resolutions
      sections.clear();
    } else if (e.kind === 'loader/stage-finished' && e.stage === 'find_module_sections' && e.ok) {
      for (const s of e.detail.split(' ')) sections.add(s);
    } else if (e.kind === 'loader/symbol-resolved') {
      resolved.set(`${e.module}\0${e.name}`, { owner: e.owner, step: index + 1, crc: `0x${e.crc.toString(16).padStart(8, '0')}` });
    } else if (e.kind === 'loader/reloc-applied') {
      const S = big(e.S);
      const A = BigInt.asIntN(64, big(e.A));
      const P = big(e.P);
      const relative = e.formula.includes('P');
      const { size, rule } = typeRule(e.type);
      const found = resolved.get(`${e.module}\0${e.symbol}`);
      const source: SymbolSource = found ? { from: 'export', ...found } : sections.has(e.symbol) ? { from: 'section', section: e.symbol } : { from: 'module' };
      const value = big(e.value);
      items.push({
        kind: 'reloc', step: index + 1, number: ++relocs, module: e.module, type: e.type, section: e.section, offset: `0x${e.offset.toString(16)}`,
        symbol: e.symbol, source, S: hex(S), A: signedHex(A), P: hex(P), formula: e.formula,
        worked: `${hex(S)} ${A < 0n ? '−' : '+'} 0x${(A < 0n ? -A : A).toString(16)}${relative ? ` − ${hex(P)}` : ''}`,
        value: hex(value), size, rule, written: size ? hex(value, size * 2) : '', before: bytesText(e.before), after: bytesText(e.after), ok: e.ok,
      });
    } else if (e.kind === 'loader/code-patched') {
      const p = PATCHES[e.why] ?? { what: e.why, source: '' };
      items.push({ kind: 'patch', step: index + 1, number: ++patches, module: e.module, why: e.why, what: p.what, source: p.source, address: hex(big(e.address)), before: bytesText(e.before), after: bytesText(e.after) });
    }
  });
  return items;
}

export interface StepperView {
  /** The item the cursor last passed (undefined before the first). */
  item: StepperItem | undefined;
  relocs: number;
  patches: number;
  /** The steps of the previous and next items, for the widget's own buttons. */
  previous: number | undefined;
  next: number | undefined;
}

/** The stepper at a cursor: the last relocation or patch applied so far (binary search: steps ascend). */
export function stepperAt(items: readonly StepperItem[], cursor: number): StepperView {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.step <= cursor) lo = mid + 1;
    else hi = mid;
  }
  const item = lo > 0 ? items[lo - 1] : undefined;
  // "Previous" from an item goes to the one before it; from between items, to the last one passed.
  const previous = item && item.step === cursor ? items[lo - 2]?.step : item?.step;
  return {
    item,
    relocs: items.filter((i) => i.kind === 'reloc').length,
    patches: items.filter((i) => i.kind === 'patch').length,
    previous,
    next: items[lo]?.step,
  };
}

export interface RelocationStepperPicture {
  at: number;
  view: StepperView;
}

/** The picture at a step (by default the run's end, where the widget opens). */
export const relocationStepperPicture = (events: readonly SimEvent[], at = events.length): RelocationStepperPicture => ({ at, view: stepperAt(stepperItems(events), at) });

/** A print strip's states: the first relocation, one in the middle, and the last change. */
export const relocationStepperKeySteps = (events: readonly SimEvent[]): number[] => pickSteps(stepperItems(events).map((i) => i.step), STRIP_FRAMES);
