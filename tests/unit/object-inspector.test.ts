// ObjectInspector's derivation on real files and runs: the model the emulator's ELF reader makes of
// every sample module agrees with GNU readelf's golden listings (sections: names, types, sizes,
// offsets, flags; symbol counts and names; each relocation section's rows) and with readelf's and
// kmod's golden dumps of .modinfo and the signature (scripts/golden/modinfo.sh); the loader's
// focus at each step comes from the run's own events (hello-load, with hello.ko and signed.ko);
// the picture at a step and the print strip's key steps.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFile, nodeSources } from '../../src/lab/node-sources';
import { runScenario, type ScenarioRun } from '../../src/lab/run';
import { buildObjectModel } from '../../src/components/object-inspector-model';
import { countsOf, focusAt, focusIndex, objectInspectorKeySteps, placeBytes, relocStep, type ObjectModel } from '../../src/components/object-inspector-focus';
import { inspectedFile, objectInspectorPicture, objectInspectorPictureKeySteps } from '../../src/components/object-inspector-picture';
import { parseReadelf } from '../golden/readelf/parse-readelf';

const MODINFO = 'tests/golden/modinfo';
const modules = [...readdirSync(MODINFO).filter((f) => f.endsWith('.ko.txt')), ...readdirSync(join(MODINFO, 'variants')).map((f) => `variants/${f}`)].map((f) => f.slice(0, -4));

function modelOf(ko: string): ObjectModel {
  const r = buildObjectModel(ko, nodeFile(ko));
  if (!r.ok) throw new Error(r.error);
  return r.model;
}

async function run(id: string, params: Record<string, string> = {}): Promise<ScenarioRun> {
  const r = await runScenario(id, params, nodeSources);
  if (!r.ok) throw new Error(r.error);
  return r.run;
}

/** readelf -p's rows: [offset, string]. */
const modinfoGolden = (ko: string) =>
  [...readFileSync(join(MODINFO, `${ko}.txt`), 'utf8').matchAll(/^ {2}\[ *([0-9a-f]+)\] {2}(.*)$/gm)].map((m) => [parseInt(m[1]!, 16), m[2]!] as const);
const kmodField = (ko: string, field: string) => new RegExp(`^${field}: (.*)$`, 'm').exec(readFileSync(join(MODINFO, `${ko}.txt`), 'utf8'))?.[1] ?? '';

describe('the file model agrees with readelf and kmod', () => {
  it('covers every sample module with a golden listing', () => {
    expect(modules.length).toBeGreaterThanOrEqual(13);
    expect(modules).toContain('hello.ko');
    expect(modules).toContain('signed.ko');
  });

  for (const ko of modules) {
    const golden = existsSync(`tests/golden/readelf/${ko}.txt`) ? parseReadelf(readFileSync(`tests/golden/readelf/${ko}.txt`, 'utf8')) : null;
    it(`${ko}: sections, symbols and relocations as readelf lists them`, () => {
      expect(golden).not.toBeNull();
      const m = modelOf(ko);
      expect(m.sections.map((s) => [s.index, s.name, s.type, s.flags, BigInt(s.size), BigInt(s.offset), s.link, s.info])).toEqual(
        golden!.sections.map((s) => [s.index, s.name, s.type, s.flags, s.size, s.offset, s.link, s.info]),
      );
      expect(m.sections.filter((s) => s.alloc).map((s) => s.name)).toEqual(golden!.sections.filter((s) => s.flags.includes('A')).map((s) => s.name));
      expect(m.symbols.length).toBe(golden!.symtab?.count ?? 0);
      expect(m.symbols.filter((s) => !s.isSection).map((s) => [s.index, s.name, s.where === 'UND'])).toEqual(
        (golden!.symtab?.symbols ?? []).filter((s) => s.type !== 'SECTION').map((s) => [s.num, s.name, s.ndx === 'UND']),
      );
      expect(m.relocations.map((g) => [g.name, g.rows.length])).toEqual(golden!.relocations.map((g) => [g.name, g.count]));
      m.relocations.forEach((g, i) => {
        expect(g.rows.map((r) => [BigInt(r.offset), r.type, m.symbols[r.symbol]!.name])).toEqual(golden!.relocations[i]!.rows.map((r) => [r.offset, r.type, r.symbolName]));
        // readelf prints "- 4" / "+ 78" for a row with a symbol.
        expect(g.rows.map((r) => r.addend)).toEqual(golden!.relocations[i]!.rows.map((r) => (r.addend < 0n ? `- ${(-r.addend).toString(16)}` : `+ ${r.addend.toString(16)}`)));
      });
      expect(countsOf(m).relocations).toBe(golden!.relocations.reduce((n, g) => n + g.count, 0));
    });

    it(`${ko}: .modinfo strings and the signature as readelf and modinfo read them`, () => {
      const m = modelOf(ko);
      expect(m.modinfo.map((e) => [e.offset, e.value === null ? e.tag : `${e.tag}=${e.value}`])).toEqual(modinfoGolden(ko));
      const signer = kmodField(ko, 'signer');
      if (signer) {
        expect(m.signature.kind).toBe('signed');
        if (m.signature.kind !== 'signed') return;
        expect(m.signature.signer).toBe(signer);
        expect(m.signature.digest).toBe(kmodField(ko, 'sig_hashalgo'));
        expect(kmodField(ko, 'sig_id')).toBe('PKCS#7');
        expect(m.signature.fields.id_type).toBe(2); // PKEY_ID_PKCS7
        // The pieces tile the file's end: signature, struct module_signature (12 bytes), the 28-byte marker.
        expect(m.signature.infoOffset - m.signature.signatureOffset).toBe(m.signature.fields.sig_len);
        expect(m.signature.markerOffset - m.signature.infoOffset).toBe(12);
        expect(m.fileSize - m.signature.markerOffset).toBe('~Module signature appended~\n'.length);
        expect(m.signature.elfLength).toBe(m.elfLength);
      } else {
        expect(m.signature.kind).not.toBe('signed');
      }
    });
  }
});

describe('the loader’s focus in hello-load', async () => {
  const r = await run('hello-load');
  const m = modelOf(inspectedFile(r)!);
  const index = focusIndex(r.events, m);

  it('shows hello.ko, the file the scenario loads', () => {
    expect(m.ko).toBe('hello.ko');
    expect(m.module).toBe('hello');
  });

  it('ties every relocation the run applied to its row in the file, and its bytes before to the file’s', () => {
    const applied = r.events.flatMap((e, i) => (e.kind === 'loader/reloc-applied' && e.module === 'hello' ? [{ e, step: i + 1 }] : []));
    expect(applied.length).toBeGreaterThan(0);
    const relocs = index.focuses.filter((f) => f.reloc);
    expect(relocs.map((f) => f.step)).toEqual(applied.map((a) => a.step));
    for (const { e, step } of applied) {
      const f = focusAt(index, step);
      expect(f.now).toBe(true);
      expect(f.focus?.part).toBe('relocations');
      const g = m.relocations[f.focus!.reloc!.group]!;
      const row = g.rows[f.focus!.reloc!.row]!;
      expect([g.target, row.offset, row.type]).toEqual([e.section, e.offset, e.type]);
      expect(row.width).toBe(e.before.length);
      const target = m.sections[g.targetIndex]!;
      const bytes = nodeFile('hello.ko').subarray(target.offset + row.offset, target.offset + row.offset + row.width);
      expect([...bytes]).toEqual(e.before);
      const view = placeBytes(target, nodeFile('hello.ko'), row.offset, row.width)!;
      const flat = view.rows.flat();
      expect(flat.slice(row.offset - view.start, row.offset - view.start + row.width)).toEqual(e.before);
      expect(relocStep(index, f.focus!.reloc!.group, f.focus!.reloc!.row)?.step).toBe(step);
    }
    // Every row of a section the loader placed was applied once: hello.ko's targets are all SHF_ALLOC.
    expect(applied.length).toBe(countsOf(m).relocations);
  });

  it('ties every resolved symbol to its undefined entry in .symtab', () => {
    const resolved = r.events.flatMap((e, i) => (e.kind === 'loader/symbol-resolved' ? [{ e, step: i + 1 }] : []));
    expect(resolved.length).toBe(m.symbols.filter((s) => s.where === 'UND' && s.index > 0).length);
    for (const { e, step } of resolved) {
      const f = focusAt(index, step).focus!;
      expect(f.part).toBe('symbols');
      expect(m.symbols[f.symbol!]!.name).toBe(e.kind === 'loader/symbol-resolved' && e.name);
    }
  });

  it('maps each load_module stage to the part it reads, at the stage’s own step', () => {
    const stages = r.events.flatMap((e, i) => (e.kind === 'loader/stage-finished' ? [{ stage: e.stage, step: i + 1 }] : []));
    const partOf = (name: string) => focusAt(index, stages.find((s) => s.stage === name)!.step).focus?.part;
    expect(partOf('module_sig_check')).toBe('signature');
    expect(partOf('elf_validity_check')).toBe('header');
    expect(partOf('setup_load_info')).toBe('modinfo');
    expect(partOf('simplify_symbols')).toBe('symbols');
    expect(partOf('apply_relocations')).toBe('relocations');
    expect(partOf('do_init_module')).toBeNull();
    const placed = focusAt(index, stages.find((s) => s.stage === 'find_module_sections')!.step).focus!;
    expect(placed.sections.length).toBeGreaterThan(0);
    for (const name of placed.sections) expect(m.sections.find((s) => s.name === name)?.alloc).toBe(true);
    expect(index.loadEnd).toBe(stages.find((s) => s.stage === 'do_init_module')!.step);
  });

  it('claims nothing before the loader starts, and between events keeps the latest with its step', () => {
    const first = index.focuses[0]!.step;
    expect(focusAt(index, first - 1).focus).toBeNull();
    expect(focusAt(index, 0).focus).toBeNull();
    const last = index.focuses.at(-1)!;
    const after = focusAt(index, r.events.length);
    expect(after.focus?.step).toBe(last.step);
    expect(after.now).toBe(last.step === r.events.length);
    expect(after.ended).toBe(true);
  });

  it('gives a compact picture at a step and strip steps from the run', () => {
    const steps = objectInspectorPictureKeySteps(r);
    expect(steps).toEqual(objectInspectorKeySteps(index));
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(steps.length).toBeLessThanOrEqual(3);
    expect(steps[0]).toBe(index.focuses.find((f) => f.stage === 'elf_validity_check')!.step);
    expect(steps.at(-1)).toBe(index.loadEnd);
    for (const s of steps) {
      const p = objectInspectorPicture(r, s);
      expect(p.view.at).toBe(s);
      expect(p.view.focus?.step).toBe(s);
      expect(p.summary?.sections.length).toBe(m.sections.length);
      expect(p.summary?.counts.relocations).toBe(countsOf(m).relocations);
      // Compact: no symbols, relocations or .modinfo in a still frame.
      expect(Object.keys(p.summary!)).not.toContain('symbols');
      expect(JSON.stringify(p).length).toBeLessThan(8000);
    }
  });
});

describe('hello-load with module=signed.ko', async () => {
  const r = await run('hello-load', { module: 'signed.ko' });
  const m = modelOf(inspectedFile(r)!);
  const index = focusIndex(r.events, m);
  it('reads the signature, and module_sig_check’s step points at it', () => {
    expect(m.ko).toBe('signed.ko');
    expect(m.signature.kind).toBe('signed');
    const step = r.events.findIndex((e) => e.kind === 'loader/stage-finished' && e.stage === 'module_sig_check') + 1;
    expect(focusAt(index, step).focus?.part).toBe('signature');
    expect(m.elfLength).toBeLessThan(m.fileSize);
  });
});

describe('a load that fails', async () => {
  const r = await run('unsigned-enforced');
  const m = modelOf(inspectedFile(r)!);
  const index = focusIndex(r.events, m);
  it('ends at the failing stage, marked failed', () => {
    const failed = r.events.findIndex((e) => e.kind === 'loader/stage-finished' && !e.ok) + 1;
    expect(failed).toBeGreaterThan(0);
    expect(index.loadEnd).toBe(failed);
    const f = focusAt(index, failed).focus!;
    expect(f.ok).toBe(false);
    expect(f.part).toBe('signature');
  });
});
