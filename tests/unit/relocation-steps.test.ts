// RelocationStepper's derivation on real runs: every relocation the stepper shows is one of the
// module file's own (readelf's golden listing: place, type, symbol, addend, in order), S of an
// imported symbol is the address simplify_symbols resolved it to, the value is the type's formula
// over S, A and P, the bytes after are its little-endian low bytes, and each step of the golden
// scenario trace (one line per event) that applies a relocation or patches code is an item here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioRun } from '../../src/lab/run';
import { nodeSources } from '../../src/lab/node-sources';
import { parseReadelf } from '../golden/readelf/parse-readelf';
import { relocationStepperKeySteps, relocationStepperPicture, stepperAt, stepperItems, type RelocationView } from '../../src/components/relocation-steps';

async function run(id: string, params: Record<string, string> = {}): Promise<ScenarioRun> {
  const r = await runScenario(id, params, nodeSources);
  if (!r.ok) throw new Error(r.error);
  return r.run;
}

const n = (hex: string) => (/^[−-]/.test(hex) ? -BigInt(hex.slice(1)) : BigInt(hex.replace(/^\+/, '')));
const le = (v: bigint, size: number) => Array.from({ length: size }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0')).join(' ');

/** readelf -r of the sample: the relocations of every loaded section, in file order. */
function readelfRelocations(file: string) {
  const text = parseReadelf(readFileSync(`tests/golden/readelf/${file}.txt`, 'utf8'));
  const alloc = new Set(text.sections.filter((s) => s.flags.includes('A')).map((s) => s.name));
  return text.relocations
    .map((r) => ({ target: r.name.replace(/^\.rela/, ''), rows: r.rows }))
    .filter((r) => alloc.has(r.target) && r.target !== '.modinfo' && r.target !== '__versions')
    .flatMap((r) => r.rows.map((row) => ({ section: r.target, offset: row.offset, type: row.type, symbol: row.symbolName ?? '', addend: row.addend })));
}

describe('RelocationStepper’s relocations', () => {
  for (const module of ['hello.ko', 'hellorw.ko', 'miscdev.ko', 'gplonly.ko']) {
    it(`hello-load of ${module}: one item per relocation of readelf's listing, in order, with its place, type, symbol and addend`, async () => {
      const r = await run('hello-load', { module });
      const relocs = stepperItems(r.events).filter((i): i is RelocationView => i.kind === 'reloc');
      const golden = readelfRelocations(module);
      expect(relocs.length).toBeGreaterThan(0);
      expect(relocs.map((x) => ({ section: x.section, offset: n(x.offset), type: x.type, symbol: x.symbol, addend: n(x.A) }))).toEqual(golden);
      expect(relocs.map((x) => x.number)).toEqual(relocs.map((_, i) => i + 1));
    });
  }

  it('hello-load: S, A, P, the value and the bytes follow the type’s formula; S of an import is its resolved address', async () => {
    const r = await run('hello-load');
    const items = stepperItems(r.events);
    const resolved = new Map(r.events.flatMap((e, i) => (e.kind === 'loader/symbol-resolved' ? [[e.name, { step: i + 1, owner: e.owner }] as const] : [])));
    for (const x of items) {
      if (x.kind !== 'reloc') continue;
      const relative = x.type === 'R_X86_64_PC32' || x.type === 'R_X86_64_PLT32';
      expect(x.formula).toBe(relative ? 'S + A − P' : 'S + A');
      const value = BigInt.asUintN(64, n(x.S) + n(x.A) - (relative ? n(x.P) : 0n));
      expect(n(x.value)).toBe(value);
      expect(x.size).toBe(x.type === 'R_X86_64_64' ? 8 : 4);
      expect(x.before).toBe(le(0n, x.size));
      expect(x.after).toBe(le(value, x.size));
      if (x.size === 4) expect(BigInt(x.written)).toBe(value & 0xffffffffn);
      if (x.type === 'R_X86_64_32S') expect(BigInt.asIntN(32, value)).toBe(BigInt.asIntN(64, value)); // the range check 6.1 makes
      expect(x.ok).toBe(true);
      const imported = resolved.get(x.symbol);
      if (imported) {
        expect(x.source).toEqual({ from: 'export', owner: imported.owner, step: imported.step, crc: expect.stringMatching(/^0x[0-9a-f]{8}$/) });
        expect(imported.step).toBeLessThan(x.step);
      } else expect(x.source.from).not.toBe('export');
    }
    // The import's S is its address in the golden trace's resolution line.
    const golden = readFileSync('tests/golden/scenarios/hello-load.txt', 'utf8').split('\n');
    const printk = items.find((x): x is RelocationView => x.kind === 'reloc' && x.symbol === '_printk')!;
    expect(golden.some((l) => l === `hello: _printk resolves to ${printk.S} in vmlinux (CRC ${(printk.source as { crc: string }).crc}).`)).toBe(true);
    // A section symbol is the module's own section.
    expect(items.find((x): x is RelocationView => x.kind === 'reloc' && x.symbol === '.rodata')!.source).toEqual({ from: 'section', section: '.rodata' });
  });

  it('hello-load: the items are exactly the golden trace’s relocation and code-patch lines, at their steps', async () => {
    const r = await run('hello-load');
    const golden = readFileSync('tests/golden/scenarios/hello-load.txt', 'utf8').split('\n');
    const steps = golden.flatMap((l, i) => (/^hello: (R_X86_64_\S+ at |\S+ rewrites )/.test(l) ? [i + 1] : []));
    const items = stepperItems(r.events);
    expect(items.map((x) => x.step)).toEqual(steps);
    for (const x of items) {
      const line = golden[x.step - 1]!;
      if (x.kind === 'reloc') expect(line).toContain(`${x.type} at ${x.section}+${x.offset} against ${x.symbol}: ${x.formula} = ${x.value}; bytes ${x.before} → ${x.after}.`);
      else expect(line).toBe(`hello: ${x.why} rewrites ${x.address}: ${x.before} → ${x.after}.`);
    }
    expect(items.filter((x) => x.kind === 'patch').map((x) => (x.kind === 'patch' ? x.why : ''))).toEqual(['apply_returns', 'apply_returns', 'ftrace_module_init', 'ftrace_module_init']);
  });

  it('follows the cursor: nothing before the first relocation, each item at its own step, previous and next step between items', async () => {
    const r = await run('hello-load');
    const items = stepperItems(r.events);
    const first = items[0]!;
    expect(stepperAt(items, first.step - 1)).toMatchObject({ item: undefined, previous: undefined, next: first.step, relocs: 36, patches: 4 });
    items.forEach((x, i) => {
      const v = stepperAt(items, x.step);
      expect(v.item).toBe(x);
      expect(v.previous).toBe(items[i - 1]?.step);
      expect(v.next).toBe(items[i + 1]?.step);
    });
    // Between the last relocation and the first patch, "previous" is the last relocation passed.
    const lastReloc = items.filter((x) => x.kind === 'reloc').at(-1)!;
    const between = stepperAt(items, lastReloc.step + 1);
    expect(between.item).toBe(lastReloc);
    expect(between.previous).toBe(lastReloc.step);
    expect(between.next).toBe(items.find((x) => x.kind === 'patch')!.step);
    const end = stepperAt(items, r.events.length);
    expect(end.item).toBe(items.at(-1));
    expect(end.next).toBeUndefined();
  });

  it('the picture at a step and the print strip’s key steps', async () => {
    const r = await run('hello-load');
    const items = stepperItems(r.events);
    const steps = relocationStepperKeySteps(r.events);
    expect(steps).toEqual([items[0]!.step, items[20]!.step, items.at(-1)!.step]);
    const pic = relocationStepperPicture(r.events, steps[0]);
    expect(pic.at).toBe(steps[0]);
    expect(pic.view.item).toEqual(items[0]);
    expect(relocationStepperPicture(r.events).view.item).toEqual(items.at(-1));
    expect(JSON.parse(JSON.stringify(pic))).toEqual(pic); // plain data: the build passes it as props
  });

  it('a load that stops before apply_relocations has no relocations to show', async () => {
    const r = await run('unknown-symbol');
    const items = stepperItems(r.events);
    expect(items).toEqual([]);
    expect(relocationStepperKeySteps(r.events)).toEqual([]);
    expect(stepperAt(items, r.events.length)).toMatchObject({ item: undefined, relocs: 0, patches: 0 });
  });
});
