// CodeTrace's derivation on real runs: the listing (made by the emulator's decoder from the module's
// bytes as the run loaded them) holds, at every address the CPU ran in the module, exactly the bytes
// and the text of that cpu/executed event; functions and line-table rows land where the file's
// symbols and the sample's line table say; and the state at a step is the last module instruction
// run, going to which gives back a step that ran it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioRun } from '../../src/lab/run';
import { nodeFile, nodeSources } from '../../src/lab/node-sources';
import { disassemble, type SimEvent } from '../../src/sim/events';
import { buildListing } from '../../src/components/code-trace-model';
import { insmodFiles, lineTablePath, rowsOfLine, stateAt, stepFor, traceIndex, traceModule, type CodeListing, type LineTable } from '../../src/components/code-trace-index';
import { codeTracePicture, codeTracePictureKeySteps } from '../../src/components/code-trace-picture';

async function run(id: string): Promise<ScenarioRun> {
  const r = await runScenario(id, {}, nodeSources);
  if (!r.ok) throw new Error(r.error);
  return r.run;
}

const hex = (v: { lo: number; hi: number }) => (v.hi >>> 0).toString(16).padStart(8, '0') + (v.lo >>> 0).toString(16).padStart(8, '0');
const bytesOf = (b: number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join(' ');

function listingOf(r: ScenarioRun): { listing: CodeListing; table: LineTable } {
  const ko = traceModule(r)!;
  const table = JSON.parse(readFileSync(`public/samples/${lineTablePath(ko)}`, 'utf8')) as LineTable;
  const built = buildListing(r.events, ko, nodeFile(ko), table);
  if (!built.ok) throw new Error(built.error);
  return { listing: built.listing, table };
}

/** Every instruction the CPU ran inside the module is a listing row with the same bytes and text. */
function checkAgainstExecuted(events: readonly SimEvent[], listing: CodeListing): number {
  const byAddress = new Map(listing.rows.filter((r) => r.address).map((r) => [r.address!, r]));
  const lo = listing.rows.reduce((m, r) => (r.address && r.address < m ? r.address : m), 'g');
  let matched = 0;
  for (const e of events) {
    if (e.kind !== 'cpu/executed') continue;
    const row = byAddress.get(hex(e.rip));
    if (!row) {
      // Not the module's: no row may cover this address either.
      expect(listing.rows.some((r) => r.address && BigInt(`0x${r.address}`) < BigInt(`0x${hex(e.rip)}`) && BigInt(`0x${r.address}`) + BigInt(r.bytes.split(' ').length) > BigInt(`0x${hex(e.rip)}`))).toBe(false);
      continue;
    }
    expect(row.bytes).toBe(bytesOf(e.bytes));
    expect(row.text).toBe(disassemble(e.bytes, e.rip));
    matched++;
  }
  expect(lo).not.toBe('g');
  return matched;
}

describe('CodeTrace on hello-read', async () => {
  const r = await run('hello-read');
  const { listing, table } = listingOf(r);
  const index = traceIndex(r.events, listing);

  it('lists hello.ko, the module the scenario loads', () => {
    expect(insmodFiles(r)).toContain(listing.ko);
    expect(listing.ko).toBe('hello.ko');
    expect(listing.module).toBe('hello');
  });

  it('holds the bytes and text of every module instruction the CPU ran', () => {
    expect(checkAgainstExecuted(r.events, listing)).toBeGreaterThan(20);
  });

  it('starts each function where the objdump golden does, and init where do_init_module called it', () => {
    const golden = readFileSync('tests/golden/objdump/hello.ko.txt', 'utf8');
    const names = [...golden.matchAll(/^[0-9a-f]+ <([^>]+)>:$/gm)].map((m) => m[1]!);
    const labelled = listing.rows.filter((row) => row.label).flatMap((row) => row.label!.split(', '));
    for (const name of names) expect(labelled).toContain(name);
    const init = r.events.find((e) => e.kind === 'loader/init-called');
    expect(init?.kind).toBe('loader/init-called');
    if (init?.kind === 'loader/init-called') expect(listing.rows.find((row) => row.label?.includes('init_module'))?.address).toBe(hex(init.address));
  });

  it('ties each line-table row to the instruction at its offset', () => {
    for (const [section, rows] of Object.entries(table.sections!)) {
      for (const row of rows) {
        const insn = listing.rows.find((x) => x.section === section && x.offset === row[0])!;
        expect(insn).toBeDefined();
        const chain = [[row[1], row[2]] as const, ...(row[3] ?? [])];
        const own = chain.find(([f]) => !f.startsWith('linux:'));
        expect(insn.line).toEqual(own ? { file: own[0], line: own[1] } : null);
      }
    }
    expect(listing.files).toEqual(['drivers/hello/hello.c']);
  });

  it('marks the bytes loading changed, from the relocation and patch events', () => {
    const patched = r.events.filter((e) => e.kind === 'loader/code-patched' && e.module === 'hello');
    for (const e of patched) {
      if (e.kind !== 'loader/code-patched') continue;
      const row = listing.rows.find((x) => x.address === hex(e.address))!;
      expect(row.changed).toBe(`patched by ${e.why}`);
      expect(row.bytes).toBe(bytesOf(e.after).slice(0, row.bytes.length));
    }
  });

  it('gives, at each step, the last module instruction run, and choices go back to steps that ran it', () => {
    let seen = 0;
    r.events.forEach((e, i) => {
      if (e.kind !== 'cpu/executed') return;
      const s = stateAt(index, i + 1);
      const row = listing.rows.find((x) => x.address === hex(e.rip));
      if (row) {
        expect(s).toEqual({ at: i + 1, row: row.id, where: 'module' });
        seen++;
      } else if (s.row >= 0) expect(s.where).toBe('elsewhere');
    });
    expect(seen).toBeGreaterThan(20);
    expect(stateAt(index, 0).where).toBe('not-yet');
    // hello_read's C line 28 (simple_read_from_buffer) ran twice (two reads): each choice finds the next.
    const read = listing.rows.find((x) => x.label === 'hello_read')!;
    const rows = rowsOfLine(listing, read.line!.file, read.line!.line);
    const first = stepFor(index, rows, 0)!;
    const e = r.events[first - 1]!;
    expect(e.kind === 'cpu/executed' && rows.includes(listing.rows.find((x) => x.address === hex(e.rip))!.id)).toBe(true);
    const second = stepFor(index, rows, first)!;
    expect(second).toBeGreaterThan(first);
  });

  it('makes a picture at a step and key steps where functions start', () => {
    const keys = codeTracePictureKeySteps(r);
    expect(keys.length).toBeGreaterThan(1);
    for (const k of keys) {
      const p = codeTracePicture(r, k);
      expect(p.state.where).toBe('module');
      expect(p.listing!.rows[p.state.row]!.label).toBeDefined();
    }
    const end = codeTracePicture(r, r.events.length);
    expect(end.scenario).toBe('hello-read');
    expect(end.sources[0]!.path).toBe('drivers/hello/hello.c');
    const text = readFileSync('public/samples/src/drivers/hello/hello.c', 'utf8').replace(/\n$/, '').split('\n');
    expect(end.sources[0]!.lines.map((l) => l.map((t) => t.t).join(''))).toEqual(text);
    expect(end.sources[0]!.lines.flat().some((t) => t.l && t.d)).toBe(true);
  });
});

describe('CodeTrace on other runs', () => {
  it('lists hellorw.ko for ioctl-roundtrip, agreeing with every instruction run', async () => {
    const r = await run('ioctl-roundtrip');
    const { listing } = listingOf(r);
    expect(listing.ko).toBe('hellorw.ko');
    expect(checkAgainstExecuted(r.events, listing)).toBeGreaterThan(20);
  });

  it('says so when a scenario loads no module', async () => {
    const r = await run('user-cli-gp');
    const p = codeTracePicture(r, 0);
    expect(p.listing).toBeNull();
    expect(p.error).toMatch(/loads no sample module/);
  });
});
