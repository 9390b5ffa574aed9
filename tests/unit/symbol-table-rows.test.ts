// SymbolTable's derivation on real runs: the module's undefined symbols are those of its own symbol
// table (readelf's golden listing: UND entries), each settled at the step the golden scenario trace
// records, resolved to the address and CRC that trace says, or failing as the real kernel's log
// says; the export table search finds every row of vmlinux-exports.json it should, quickly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioRun } from '../../src/lab/run';
import { nodeData, nodeSources } from '../../src/lab/node-sources';
import { parseReadelf } from '../golden/readelf/parse-readelf';
import { moduleSymbols, searchExports, symbolTableAt, symbolTableKeySteps, symbolTablePicture } from '../../src/components/symbol-table-rows';

async function run(id: string, params: Record<string, string> = {}): Promise<ScenarioRun> {
  const r = await runScenario(id, params, nodeSources);
  if (!r.ok) throw new Error(r.error);
  return r.run;
}
const goldenLines = (id: string) => readFileSync(`tests/golden/scenarios/${id}.txt`, 'utf8').split('\n');
const undefinedIn = (file: string) => parseReadelf(readFileSync(`tests/golden/readelf/${file}.txt`, 'utf8')).symtab!.symbols.filter((s) => s.ndx === 'UND' && s.name).map((s) => s.name);

describe('SymbolTable', () => {
  it('hello-load: the module’s undefined symbols are readelf’s UND symbols, each resolved where the golden trace says', async () => {
    const r = await run('hello-load');
    const list = moduleSymbols(r.events);
    expect(list.map((s) => s.name)).toEqual(undefinedIn('hello.ko'));
    const lines = goldenLines('hello-load');
    for (const s of list) {
      expect(s.outcome).toBe('resolved');
      expect(lines[s.step - 1]).toBe(`hello: ${s.name} resolves to ${s.address} in ${s.owner} (CRC ${s.crc}).`);
      expect(s.expected).toBe(s.crc); // modversions: the module's __versions CRC is the kernel's
    }
    const exports = nodeData().exports.exports;
    const byName = new Map(exports.map((e) => [e[0], e]));
    for (const s of list) {
      const row = byName.get(s.name)!;
      expect(`0x${row[1]}`).toBe(s.crc);
      expect(s.gpl).toBe((row[2] & 1) === 1);
    }
  });

  const FAILS: [string, string, string, string][] = [
    ['unknown-symbol', 'variants/unknown-symbol.ko', 'not-exported', '_prinTk'],
    ['gpl-only-from-proprietary', 'variants/gplonly-proprietary.ko', 'gpl-only', 'ktime_get'],
    ['crc-mismatch', 'variants/crc-mismatch.ko', 'crc-mismatch', '_printk'],
  ];
  for (const [id, , outcome] of FAILS) {
    it(`${id}: the failing symbol is the one the kernel log names, with its errno`, async () => {
      const r = await run(id);
      const list = moduleSymbols(r.events);
      const failed = list.filter((s) => s.outcome !== 'resolved');
      const lines = goldenLines(id);
      const logged = lines.flatMap((l) => { const m = /Unknown symbol (\S+) \(err (-\d+)\)/.exec(l); return m ? [[m[1], Number(m[2])]] : []; });
      expect(failed.map((s) => [s.name, s.errno])).toEqual(logged);
      expect(failed.every((s) => s.outcome === outcome)).toBe(true);
      if (outcome === 'crc-mismatch') expect(failed[0]!.expected).not.toBe(failed[0]!.crc);
      if (outcome === 'gpl-only') expect(failed[0]!.gpl).toBe(true);
      if (outcome === 'not-exported') expect(failed[0]!.crc).toBeUndefined();
      // The export table agrees: the GPL-only flag and the CRC the kernel has.
      const row = nodeData().exports.exports.find((e) => e[0] === failed[0]!.name);
      if (outcome === 'not-exported') expect(row).toBeUndefined();
      else expect(`0x${row![1]}`).toBe(failed[0]!.crc);
    });
  }

  it('follows the cursor and gives a small picture and key steps', async () => {
    const r = await run('hello-load');
    const list = moduleSymbols(r.events);
    expect(symbolTableAt(list, list[0]!.step - 1)).toMatchObject({ settled: [], current: undefined, total: list.length });
    list.forEach((s, i) => expect(symbolTableAt(list, s.step)).toMatchObject({ current: s, resolved: i + 1, failed: 0 }));
    expect(symbolTableKeySteps(r.events)).toEqual([list[0]!.step, list[Math.round((list.length - 1) / 2)]!.step, list.at(-1)!.step]);
    const pic = symbolTablePicture(r.events);
    expect(pic.view.settled).toHaveLength(list.length);
    expect(JSON.stringify(pic).length).toBeLessThan(5000); // the module's symbols, never the table
  });

  it('searches the whole export table: prefix matches first, every substring match counted, pages of it', () => {
    const table = nodeData().exports.exports;
    const all = searchExports(table, '', 0, 20);
    expect(all.matches).toBe(table.length);
    const q = 'register_chrdev';
    const expected = table.filter((e) => e[0].toLowerCase().includes(q));
    const r = searchExports(table, q, 0, 1000);
    expect(r.matches).toBe(expected.length);
    expect(new Set(r.rows.map((x) => x[0]))).toEqual(new Set(expected.map((e) => e[0])));
    const firstNonPrefix = r.rows.findIndex((x) => !x[0].toLowerCase().startsWith(q));
    expect(r.rows.slice(firstNonPrefix).every((x) => !x[0].toLowerCase().startsWith(q))).toBe(true);
    expect(searchExports(table, 'a', 20, 20).rows).toEqual(searchExports(table, 'a', 0, 40).rows.slice(20));
    expect(searchExports(table, 'no such export at all', 0, 20)).toEqual({ matches: 0, rows: [] });
    // Latency over the full table (measured, reported; a generous bound so a busy machine passes).
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) searchExports(table, 'e', 0, 20);
    const each = (performance.now() - t0) / 20;
    console.log(`searchExports over ${table.length} rows ("e"): ${each.toFixed(2)} ms`);
    expect(each).toBeLessThan(16);
  });
});
