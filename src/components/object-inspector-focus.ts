// ObjectInspector's per-step part: the file's model types (made by object-inspector-model.ts with
// the emulator's ELF reader), and which part of the file the loader worked on at each step of a
// run, from the run's own events — loader/stage-finished (each stage of 6.1's load_module, mapped
// to the part of the file that stage reads), loader/symbol-resolved (a .symtab entry) and
// loader/reloc-applied (one row of a SHT_RELA section). Made once per run; a step only reads it.
// Only the run's first load of the file counts: a second insmod of the same file is another load.
import type { SimEvent } from '../sim/events';
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';

export type Part = 'header' | 'sections' | 'symbols' | 'relocations' | 'modinfo' | 'signature';
export const PARTS: readonly Part[] = ['header', 'sections', 'symbols', 'relocations', 'modinfo', 'signature'];

export interface SectionRow {
  index: number;
  name: string;
  /** PROGBITS, NOBITS, RELA, … (sh_type without SHT_). */
  type: string;
  /** readelf's flag letters (W A X M S I L O G T C E). */
  flags: string;
  /** SHF_ALLOC: the section asks to be loaded. */
  alloc: boolean;
  offset: number;
  size: number;
  entsize: number;
  link: number;
  info: number;
  align: number;
  /** Whether the section has bytes in the file (not NOBITS). */
  inFile: boolean;
}

export interface SymbolRow {
  index: number;
  /** The symbol's name; a section symbol's is its section's. */
  name: string;
  isSection: boolean;
  value: string;
  size: number;
  type: string;
  bind: string;
  /** UND, ABS, COMMON, or the section's name. */
  where: string;
}

export interface RelaRow {
  row: number;
  /** r_offset: the place, as an offset in the target section. */
  offset: number;
  type: string;
  /** The .symtab index (0: none). */
  symbol: number;
  /** readelf's way: "- 4", "+ 78". */
  addend: string;
  /** Bytes the type writes (8 or 4; 0 for NONE). */
  width: number;
}

export interface RelaGroup {
  /** The SHT_RELA section's index and name. */
  index: number;
  name: string;
  /** The section it patches (sh_info). */
  target: string;
  targetIndex: number;
  rows: RelaRow[];
}

export type SignatureInfo =
  | { kind: 'unsigned' }
  | { kind: 'bad'; message: string }
  | {
      kind: 'signed';
      /** struct module_signature as stored. */
      fields: { algo: number; hash: number; id_type: number; signer_len: number; key_id_len: number; pad: number[]; sig_len: number };
      signatureOffset: number;
      infoOffset: number;
      markerOffset: number;
      /** The ELF image before the signature. */
      elfLength: number;
      /** From the PKCS#7 blob: the issuer's CN, the digest, the signature's length. */
      signer?: string;
      digest?: string;
      signatureBytes?: number;
      pkcs7Error?: string;
    };

export interface ObjectModel {
  ko: string;
  /** From .gnu.linkonce.this_module; null when the file has none. */
  module: string | null;
  fileSize: number;
  elfLength: number;
  sectionTable: { offset: number; size: number };
  header: [string, string][];
  sections: SectionRow[];
  symbols: SymbolRow[];
  relocations: RelaGroup[];
  modinfo: { tag: string; value: string | null; offset: number }[];
  modinfoError?: string;
  signature: SignatureInfo;
}

/** The part of the model a still picture carries: the header and the section map, and counts for the tabs. */
export type ObjectSummary = Pick<ObjectModel, 'ko' | 'module' | 'fileSize' | 'elfLength' | 'sectionTable' | 'header' | 'sections'> & {
  counts: Record<Part, number>;
};

export const countsOf = (m: ObjectModel): Record<Part, number> => ({
  header: m.header.length,
  sections: m.sections.length,
  symbols: m.symbols.length,
  relocations: m.relocations.reduce((n, g) => n + g.rows.length, 0),
  modinfo: m.modinfo.length,
  signature: m.signature.kind === 'signed' ? 1 : 0,
});

export const summaryOf = (m: ObjectModel): ObjectSummary => ({
  ko: m.ko,
  module: m.module,
  fileSize: m.fileSize,
  elfLength: m.elfLength,
  sectionTable: m.sectionTable,
  header: m.header,
  sections: m.sections,
  counts: countsOf(m),
});

/** One step at which the loader worked on part of the file. */
export interface FileFocus {
  /** The step (the event's index + 1). */
  step: number;
  /** The load_module stage: a stage-finished event's, or the stage a symbol or relocation belongs to. */
  stage: string;
  ok: boolean;
  /** The part of the file, or null for a stage that reads none of it (the module's memory, its init). */
  part: Part | null;
  /** Names of the sections the step touched. */
  sections: string[];
  /** A relocation: index in model.relocations and row. */
  reloc?: { group: number; row: number };
  /** The same, as "<relocation section>:<row>" (".rela.text:2"). */
  relocKey?: string;
  /** A .symtab index. */
  symbol?: number;
  /** A .modinfo tag the stage reads. */
  tag?: string;
  /** What the loader did there, in words. */
  words: string;
  /** A relocation's bytes in memory after it was applied. */
  after?: number[];
}

// What each stage of 6.1's load_module (kernel/module/main.c) reads of the file.
const STAGES: Record<string, { part: Part | null; sections?: readonly string[]; tag?: string; what: string }> = {
  module_sig_check: { part: 'signature', what: 'reads the signature appended after the ELF image (kernel/module/signing.c)' },
  elf_validity_check: { part: 'header', what: 'checks the ELF header and every section header against the file' },
  setup_load_info: { part: 'modinfo', tag: 'name', sections: ['.modinfo', '.gnu.linkonce.this_module', '__versions'], what: 'takes the name from .modinfo and finds .gnu.linkonce.this_module and __versions' },
  blacklisted: { part: 'modinfo', tag: 'name', sections: ['.modinfo'], what: 'looks the name up in module_blacklist=' },
  rewrite_section_headers: { part: 'sections', sections: ['.modinfo', '__versions'], what: 'clears SHF_ALLOC on .modinfo and __versions, so they are not loaded' },
  check_modstruct_version: { part: 'sections', sections: ['__versions'], what: "compares module_layout's CRC in __versions with the kernel's" },
  layout_and_allocate: { part: 'sections', what: 'reads vermagic, license and intree in .modinfo (check_modinfo), then lays the SHF_ALLOC sections out in core and init memory' },
  find_module_sections: { part: 'sections', what: 'places the loaded sections' },
  simplify_symbols: { part: 'symbols', what: 'resolves the undefined symbols of .symtab' },
  apply_relocations: { part: 'relocations', what: 'applies every SHT_RELA section to its target (arch/x86/kernel/module.c)' },
  post_relocation: { part: 'sections', sections: ['.return_sites', '.smp_locks', '.orc_unwind', '.orc_unwind_ip'], what: 'module_finalize reads the patch-site and unwind sections' },
  ftrace_module_init: { part: 'sections', sections: ['__mcount_loc'], what: 'reads the __fentry__ call sites listed in __mcount_loc' },
};

const hex64 = (v: { hi: number; lo: number }) => `0x${(v.hi >>> 0).toString(16).padStart(8, '0')}${(v.lo >>> 0).toString(16).padStart(8, '0')}`;

export interface FocusIndex {
  steps: number;
  focuses: FileFocus[];
  /** The latest focus at or before each step 0..steps (-1: none yet). */
  at: Int32Array;
  /** The step at which the first load of the file ended (passed do_init_module or failed), or null. */
  loadEnd: number | null;
}

/** Which part of the file the loader worked on, step by step, in the run's first load of it. */
export function focusIndex(events: readonly SimEvent[], model: ObjectModel): FocusIndex {
  const focuses: FileFocus[] = [];
  const names = new Set(model.sections.map((s) => s.name));
  const allocated = model.sections.filter((s) => s.alloc && s.name !== '.modinfo' && s.name !== '__versions').map((s) => s.name);
  let loadEnd: number | null = null;
  for (let i = 0; i < events.length && loadEnd === null; i++) {
    const e = events[i]!;
    const step = i + 1;
    if (e.kind === 'loader/stage-finished') {
      if (e.stage === 'delete_module') continue;
      const known = STAGES[e.stage];
      let sections = (known?.sections ?? []).filter((n) => names.has(n));
      if (e.stage === 'layout_and_allocate') sections = allocated;
      // The emulator names the sections it placed.
      if (e.stage === 'find_module_sections' && e.ok) sections = e.detail.split(' ').filter((n) => names.has(n));
      const verb = e.ok ? 'passes' : 'fails';
      focuses.push({
        step,
        stage: e.stage,
        ok: e.ok,
        part: known?.part ?? null,
        sections,
        ...(known?.tag ? { tag: known.tag } : {}),
        words: known ? `${e.stage} ${verb}: it ${known.what}.` : `${e.stage} ${verb}; it reads no part of the file shown here.`,
      });
      if (!e.ok || e.stage === 'do_init_module') loadEnd = step;
    } else if (e.kind === 'loader/symbol-resolved' && e.module === model.module) {
      const symbol = model.symbols.find((s) => s.name === e.name && s.where === 'UND');
      focuses.push({
        step,
        stage: 'simplify_symbols',
        ok: true,
        part: 'symbols',
        sections: [],
        ...(symbol ? { symbol: symbol.index } : {}),
        words: `simplify_symbols: ${e.name}${symbol ? ` (symbol ${symbol.index}, undefined in the file)` : ''} resolves to ${hex64(e.address)} in ${e.owner}.`,
      });
    } else if (e.kind === 'loader/reloc-applied' && e.module === model.module) {
      const group = model.relocations.findIndex((g) => g.target === e.section);
      const row = group < 0 ? -1 : model.relocations[group]!.rows.findIndex((r) => r.offset === e.offset && r.type === e.type);
      const g = model.relocations[group];
      const sym = g && row >= 0 ? model.symbols[g.rows[row]!.symbol] : undefined;
      focuses.push({
        step,
        stage: 'apply_relocations',
        ok: e.ok,
        part: 'relocations',
        sections: [e.section],
        ...(g && row >= 0 ? { reloc: { group, row }, relocKey: `${g.name}:${row}` } : {}),
        words: `apply_relocations: ${g && row >= 0 ? `${g.name} row ${row}, ` : ''}${e.type} at ${e.section}+0x${e.offset.toString(16)}${sym ? ` against ${sym.name}` : ''}${e.ok ? '' : ' (refused)'}.`,
        after: [...e.after],
      });
    }
  }
  const at = new Int32Array(events.length + 1).fill(-1);
  let f = -1;
  for (let s = 0; s <= events.length; s++) {
    while (f + 1 < focuses.length && focuses[f + 1]!.step <= s) f++;
    at[s] = f;
  }
  return { steps: events.length, focuses, at, loadEnd };
}

/** What the widget shows of the run at a step. */
export interface FocusView {
  at: number;
  /** The loader's latest work on the file at or before the step; null before it started. */
  focus: FileFocus | null;
  /** Whether that is the step itself (the loader is on it now) or an earlier one. */
  now: boolean;
  /** The load has ended at or before the step. */
  ended: boolean;
}

export function focusAt(index: FocusIndex, at: number): FocusView {
  const s = Math.max(0, Math.min(at, index.steps));
  const f = index.at[s]!;
  const focus = f >= 0 ? index.focuses[f]! : null;
  return { at: s, focus, now: focus?.step === s, ended: index.loadEnd !== null && index.loadEnd <= s };
}

/** The step at which a relocation was applied, if the run applied it. */
export const relocStep = (index: FocusIndex, group: number, row: number) => index.focuses.find((f) => f.reloc?.group === group && f.reloc.row === row);

/** The print strip's states: the header checked, the relocations applied, the load's end. */
export function objectInspectorKeySteps(index: FocusIndex): number[] {
  const first = index.focuses.find((f) => f.stage === 'elf_validity_check')?.step;
  const relocated = index.focuses.findLast((f) => f.stage === 'apply_relocations' && !f.reloc)?.step;
  return pickSteps([first, relocated, index.loadEnd ?? index.steps].filter((s): s is number => s !== undefined), STRIP_FRAMES);
}

/** The bytes of a section around a place, 16 to a row: the rows holding [offset, offset + width) and one either side. */
export function placeBytes(section: SectionRow, file: Uint8Array, offset: number, width: number): { start: number; rows: number[][] } | null {
  if (!section.inFile) return null;
  const first = Math.max(0, Math.floor(offset / 16) - 1) * 16;
  const last = Math.min(section.size, (Math.floor((offset + Math.max(width, 1) - 1) / 16) + 2) * 16);
  const rows: number[][] = [];
  for (let at = first; at < last; at += 16) rows.push(Array.from(file.subarray(section.offset + at, section.offset + Math.min(at + 16, last))));
  return { start: first, rows };
}

/** The picture before hydration and in the print strip: the file's summary and the state at a step. */
export interface ObjectInspectorPicture {
  scenario: string;
  params: Record<string, string>;
  summary: ObjectSummary | null;
  error?: string;
  view: FocusView;
}
