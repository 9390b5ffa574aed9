// What CodeTrace shows, from a run and the bytes of the module it loaded: the module's code as it
// sits in memory once loaded (the file's bytes with the relocations and code patches the run's
// loader events report), disassembled by the emulator's own decoder at the addresses the run gave
// each section, each instruction tied to its C line through the sample's line table
// (public/samples/<name>.lines.json, samples/README.md "Line tables"); and, per step, the module
// instruction the CPU ran last. Shared by the widget and its build-time picture. The listing and
// the per-step index are made once per run; a step only reads two typed arrays.
//
// Where each value comes from (nothing is assumed that no event says):
// - a section's address: a `loader/reloc-applied` event in it (P − offset), or a code patch's
//   address inside it once that is known; a section no event places keeps offsets only;
// - bytes: the file's, then each `loader/reloc-applied` (after) and `loader/code-patched` (after);
// - the current instruction: the last `cpu/executed` whose RIP is one of the listing's addresses.
import { decode } from '../sim/cpu/decode';
import { formatIntel } from '../sim/cpu/disasm';
import type { U64 } from '../sim/cpu/state';
import { isElfError, readElf, SHF_EXECINSTR, thisModuleName } from '../sim/elf/index';
import type { SimEvent } from '../sim/events';
import type { CLocation, CodeListing, LineRow, LineTable, ListingResult, ListingRow } from './code-trace-index';

const hexOf = (v: bigint) => v.toString(16).padStart(16, '0');
const u64 = (v: U64) => (BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0);
const bytesText = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** The first location of a row that is the sample's own (not a kernel header), and the header it was inlined from. */
function ownLine(row: LineRow): { line: CLocation | null; inlined?: string } {
  const chain: [string, number][] = [[row[1], row[2]], ...(row[3] ?? [])];
  const own = chain.find(([f]) => !f.startsWith('linux:'));
  const header = row[1].startsWith('linux:') ? `${row[1].slice('linux:'.length)}:${row[2]}` : undefined;
  return { line: own ? { file: own[0], line: own[1] } : null, ...(header ? { inlined: header } : {}) };
}

/** The listing of a module's code as the run loaded it. Never throws: bad bytes give an error in words. */
export function buildListing(events: readonly SimEvent[], ko: string, bytes: Uint8Array, table: LineTable): ListingResult {
  const elf = readElf(bytes);
  if (isElfError(elf)) return { ok: false, error: `${ko} is not an ELF file the emulator can read: ${elf.message}` };
  const thisModule = elf.sectionByName('.gnu.linkonce.this_module')?.data;
  const name = thisModule ? thisModuleName(thisModule)?.name : undefined;
  if (!name) return { ok: false, error: `${ko} has no module name in .gnu.linkonce.this_module.` };
  const code = elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0n && s.data && s.data.length > 0);

  // Each section's address and loaded bytes, from the run's first load of this module.
  const base = new Map<string, bigint>();
  const loaded = new Map(code.map((s) => [s.name, Uint8Array.from(s.data!)]));
  const changed = new Map<string, Map<number, string>>();
  // A later change of a byte (a code patch after its relocation) is the one the reader sees.
  const mark = (section: string, offset: number, length: number, why: string) => {
    const m = changed.get(section) ?? new Map<number, string>();
    changed.set(section, m);
    for (let i = 0; i < length; i++) m.set(offset + i, why);
  };
  let done = false;
  for (const e of events) {
    if (done) break;
    if (e.kind === 'loader/reloc-applied' && e.module === name) {
      if (!base.has(e.section)) base.set(e.section, u64(e.P) - BigInt(e.offset));
      const target = loaded.get(e.section);
      if (target && e.ok) {
        target.set(e.after, e.offset);
        mark(e.section, e.offset, e.after.length, `relocated (${e.type})`);
      }
    } else if (e.kind === 'loader/code-patched' && e.module === name) {
      const at = u64(e.address);
      for (const [section, b] of base) {
        const target = loaded.get(section);
        if (!target || at < b || at >= b + BigInt(target.length)) continue;
        const offset = Number(at - b);
        target.set(e.after, offset);
        mark(section, offset, e.after.length, `patched by ${e.why}`);
      }
    } else if (e.kind === 'loader/stage-finished' && (e.stage === 'complete_formation' || !e.ok) && base.size > 0) {
      done = true; // this load's code is final (or the load failed); a second load of the module is another story
    }
  }

  const rows: ListingRow[] = [];
  const files: string[] = [];
  for (const section of code) {
    const data = loaded.get(section.name)!;
    const at0 = base.get(section.name);
    const lineRows = table.sections?.[section.name] ?? [];
    const labels = new Map<number, string>();
    for (const fn of elf.functionsOf(section)) labels.set(fn.sectionOffset, [fn.name, ...fn.aliases].join(', '));
    let at = 0;
    let r = -1;
    while (at < data.length) {
      const address = at0 === undefined ? undefined : at0 + BigInt(at);
      const lo = address === undefined ? at : Number(address & 0xffffffffn);
      const hi = address === undefined ? 0 : Number(address >> 32n);
      const result = decode(data, at, lo, hi);
      let length = result.ok ? result.insn.length : result.failure.kind === 'invalid' ? 1 : Math.max(1, result.failure.length);
      length = Math.max(1, Math.min(length, data.length - at));
      const text = result.ok ? formatIntel(result.insn).replace(/\s+/, ' ') : result.failure.kind === 'unmodelled' ? `(not modelled: ${result.failure.reason})` : '(bad)';
      while (r + 1 < lineRows.length && lineRows[r + 1]![0] <= at) r++;
      const own = r >= 0 ? ownLine(lineRows[r]!) : { line: null };
      if (own.line && !files.includes(own.line.file)) files.push(own.line.file);
      const why = changed.get(section.name);
      const change = why ? Array.from({ length }, (_, i) => why.get(at + i)).find((w) => w !== undefined) : undefined;
      const label = labels.get(at);
      rows.push({
        id: rows.length,
        section: section.name,
        offset: at,
        address: address === undefined ? null : hexOf(address),
        bytes: bytesText(data.subarray(at, at + length)),
        text,
        line: own.line,
        ...(own.inlined ? { inlined: own.inlined } : {}),
        ...(label ? { label } : {}),
        ...(change ? { changed: change } : {}),
      });
      at += length;
    }
  }
  return { ok: true, listing: { ko, module: name, rows, files } };
}

