import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readElf,
  readRelocations,
  sectionsInSegment,
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  STT_SECTION,
  type ElfFile,
  type ElfRelocationSection,
} from '../../src/sim/elf/index';
import { parseReadelf } from '../golden/readelf/parse-readelf';

// GNU readelf's listings (scripts/golden/readelf.sh) against our parse of the same bytes.
// Values are compared, never layout: readelf's words are turned into numbers here, with tables
// of our own, so a wrong constant name in src/sim/elf cannot hide behind a wrong word in src/cli.

const GOLDEN = 'tests/golden/readelf';
const SAMPLES = 'public/samples';
const EXTRA = join(GOLDEN, 'extra');

const isElf = (path: string): boolean => {
  const head = readFileSync(path).subarray(0, 4);
  return head.length === 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
};
/** Paths of the files under `dir`, relative to it, with '/' separators. */
const filesUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => statSync(join(dir, p)).isFile()).map((p) => p.split(sep).join('/')) : [];

// Golden <path>.txt lists public/samples/<path>; golden extra/<name>.txt lists extra/<name>.
const objects = new Map<string, string>([
  ...filesUnder(SAMPLES).filter((p) => isElf(join(SAMPLES, p))).map((p) => [p, join(SAMPLES, p)] as const),
  ...filesUnder(EXTRA).filter((p) => !p.includes('/') && isElf(join(EXTRA, p))).map((p) => [`extra/${p}`, join(EXTRA, p)] as const),
]);
const goldens = filesUnder(GOLDEN).filter((p) => p.endsWith('.txt')).map((p) => p.slice(0, -4));
// ELF files readelf itself cannot read cleanly (scripts/golden/readelf.sh lists them, with why).
const skipped = existsSync(join(GOLDEN, 'SKIPPED'))
  ? readFileSync(join(GOLDEN, 'SKIPPED'), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split('\t')[0] as string)
  : [];

const OSABI: Record<string, number> = { 'UNIX - System V': 0, 'UNIX - GNU': 3 };
const MACHINE: Record<string, number> = { 'Advanced Micro Devices X86-64': 62 };
const FLAG_BITS: Record<string, bigint> = {
  W: 0x1n, A: 0x2n, X: 0x4n, M: 0x10n, S: 0x20n, I: 0x40n, L: 0x80n, O: 0x100n, G: 0x200n, T: 0x400n, C: 0x800n,
  R: 0x200000n, D: 0x1000000n, l: 0x10000000n, E: 0x80000000n,
};
const SECTION_TYPE: Record<string, string> = { VERDEF: 'SHT_GNU_verdef', VERNEED: 'SHT_GNU_verneed', VERSYM: 'SHT_GNU_versym' };
const SYMBOL_TYPE: Record<string, string> = { IFUNC: 'STT_GNU_IFUNC' };
const NDX: Record<string, number> = { UND: SHN_UNDEF, ABS: SHN_ABS, COM: SHN_COMMON };

function flagBits(letters: string): bigint {
  let bits = 0n;
  for (const letter of letters) {
    const bit = FLAG_BITS[letter];
    if (bit === undefined) throw new Error(`readelf printed a flag letter the test does not know: ${letter}`);
    bits |= bit;
  }
  return bits;
}

function load(name: string): { elf: ElfFile; text: string } {
  const path = objects.get(name);
  if (!path) throw new Error(`no object for golden ${name}`);
  const elf = readElf(new Uint8Array(readFileSync(path)));
  if (elf.kind !== 'elf') throw new Error(`${name}: ${elf.message}`);
  return { elf, text: readFileSync(join(GOLDEN, `${name}.txt`), 'utf8') };
}

describe('the readelf goldens', () => {
  it('cover every ELF file under public/samples and every extra object, and nothing else', () => {
    expect([...goldens, ...skipped].sort()).toEqual([...objects.keys()].sort());
    expect(goldens.length).toBeGreaterThanOrEqual(4);
  });

  it.each(skipped.length > 0 ? skipped : ['(none)'])('a file readelf cannot read cleanly (%s) is refused by ours with a typed error, or read without throwing', (name) => {
    if (name === '(none)') return;
    const path = objects.get(name);
    expect(path, `${name} is listed in SKIPPED but is not an ELF file under public/samples or extra`).toBeDefined();
    const elf = readElf(new Uint8Array(readFileSync(path as string)));
    if (elf.kind === 'elf-error') expect(elf.code).not.toBe('internal');
    else expect(() => readRelocations(elf)).not.toThrow();
  });
});

describe.each(goldens)('%s, against GNU readelf', (name) => {
  const { elf, text } = load(name);
  const golden = parseReadelf(text);

  it('has the same ELF header, field by field', () => {
    const h = elf.header;
    const g = (key: string): string => {
      const value = golden.header.get(key);
      if (value === undefined) throw new Error(`readelf printed no "${key}"`);
      return value;
    };
    const bytesInto = (key: string): bigint => BigInt(g(key).replace(' (bytes into file)', ''));
    const count = (key: string): number => Number(/^(\d+)(?: \((\d+)\))?$/.exec(g(key))?.slice(1).filter(Boolean).pop());
    expect(g('Magic').split(' ').map((b) => parseInt(b, 16))).toEqual([...elf.bytes.subarray(0, 16)]);
    expect(g('Class')).toBe(h.ident.class === 2 ? 'ELF64' : 'other');
    expect(g('Data')).toBe(h.ident.data === 1 ? "2's complement, little endian" : 'other');
    expect(g('Version')).toBe(`${h.ident.version} (current)`);
    expect(OSABI[g('OS/ABI')]).toBe(h.ident.osabi);
    expect(Number(g('ABI Version'))).toBe(h.ident.abiversion);
    expect(`ET_${g('Type').split(' ')[0]}`).toBe(h.typeName);
    expect(MACHINE[g('Machine')]).toBe(h.e_machine);
    expect(Number(g('Version (e_version)'))).toBe(h.e_version);
    expect(BigInt(g('Entry point address'))).toBe(h.e_entry);
    expect(bytesInto('Start of program headers')).toBe(h.e_phoff);
    expect(bytesInto('Start of section headers')).toBe(h.e_shoff);
    expect(Number(g('Flags'))).toBe(h.e_flags);
    expect(g('Size of this header')).toBe(`${h.e_ehsize} (bytes)`);
    expect(g('Size of program headers')).toBe(`${h.e_phentsize} (bytes)`);
    expect(count('Number of program headers')).toBe(h.programHeaderCount);
    expect(g('Size of section headers')).toBe(`${h.e_shentsize} (bytes)`);
    expect(count('Number of section headers')).toBe(h.sectionCount);
    expect(count('Section header string table index')).toBe(h.sectionNameTableIndex);
  });

  it('has the same sections: name, type, address, offset, size, entry size, flags, link, info, alignment', () => {
    expect(elf.sections.length).toBe(golden.sections.length);
    for (const g of golden.sections) {
      const s = elf.sections[g.index];
      expect(s, `section ${g.index}`).toBeDefined();
      if (!s) continue;
      expect({ index: s.index, name: s.name, type: s.typeName, addr: s.addr, offset: s.offset, size: s.size, entsize: s.entsize, flags: s.flags, link: s.link, info: s.info, align: s.addralign }).toEqual({
        index: g.index,
        name: g.name,
        type: SECTION_TYPE[g.type] ?? `SHT_${g.type}`,
        addr: g.addr,
        offset: g.offset,
        size: g.size,
        entsize: g.entsize,
        flags: flagBits(g.flags),
        link: g.link,
        info: g.info,
        align: g.align,
      });
    }
  });

  it('has the same symbols: value, size, type, binding, visibility, section index, name', () => {
    if (!golden.symtab) {
      expect(elf.symtabIndex).toBeNull();
      expect(elf.symbols).toEqual([]);
      return;
    }
    expect(elf.sections[elf.symtabIndex ?? -1]?.name).toBe(golden.symtab.name);
    expect(elf.symbols.length).toBe(golden.symtab.count);
    expect(golden.symtab.symbols.length).toBe(golden.symtab.count);
    for (const g of golden.symtab.symbols) {
      const s = elf.symbols[g.num];
      expect(s, `symbol ${g.num}`).toBeDefined();
      if (!s) continue;
      const shown = s.type === STT_SECTION && s.name === '' ? (elf.sections[s.shndx]?.name ?? '') : s.name;
      expect({ num: s.index, value: s.value, size: s.size, type: s.typeName, bind: s.bindName, vis: s.visibilityName, ndx: s.shndx, name: shown }).toEqual({
        num: g.num,
        value: g.value,
        size: g.size,
        type: SYMBOL_TYPE[g.type] ?? `STT_${g.type}`,
        bind: g.bind === 'UNIQUE' ? 'STB_GNU_UNIQUE' : `STB_${g.bind}`,
        vis: `STV_${g.vis}`,
        ndx: NDX[g.ndx] ?? Number(g.ndx),
        name: g.name,
      });
    }
  });

  it('has the same relocations: section, offset, count, and each row by value (offset, info, type, symbol, addend)', () => {
    const ours = readRelocations(elf);
    if (!Array.isArray(ours)) throw new Error(ours.message);
    const listed: ElfRelocationSection[] = ours.filter((t) => t.section.size > 0n);
    expect(golden.noRelocations).toBe(listed.length === 0);
    expect(listed.map((t) => t.section.name)).toEqual(golden.relocations.map((g) => g.name));
    golden.relocations.forEach((g, i) => {
      const t = listed[i] as ElfRelocationSection;
      // sh_info and sh_link as readelf's section table states them.
      const row = golden.sections[t.section.index];
      expect({ offset: t.section.offset, count: t.relocations.length, target: t.target.index, link: t.symbolTable?.index ?? 0 }).toEqual({
        offset: g.offset,
        count: g.count,
        target: row?.info,
        link: row?.link,
      });
      expect(g.rows.length).toBe(g.count);
      g.rows.forEach((gr, k) => {
        const r = t.relocations[k];
        expect(r, `${g.name} row ${k}`).toBeDefined();
        if (!r) return;
        const shown = r.symbol === null ? null : r.symbol.type === STT_SECTION && r.symbol.nameOffset === 0 ? (elf.sections[r.symbol.shndx]?.name ?? '') : r.symbol.name;
        expect({ offset: r.offset, info: r.info, type: r.type, typeName: r.typeName, sym: r.symbolIndex, value: r.symbol?.value ?? null, name: shown, addend: r.addend }).toEqual({
          offset: gr.offset,
          info: gr.info,
          // The type and symbol index come from readelf's own Info column, not from our tables.
          type: Number(gr.info & 0xffffffffn),
          typeName: gr.type,
          sym: Number(gr.info >> 32n),
          value: gr.symbolValue,
          name: gr.symbolName,
          addend: gr.addend,
        });
      });
    });
  });

  it('has the same program headers, and the same sections in each segment', () => {
    expect(elf.programHeaders.length).toBe(golden.segments.length);
    golden.segments.forEach((g, i) => {
      const p = elf.programHeaders[i];
      expect(p).toBeDefined();
      if (!p) return;
      const flags = `${p.readable ? 'R' : ''}${p.writable ? 'W' : ''}${p.executable ? 'E' : ''}`;
      expect({ type: p.typeName, offset: p.offset, vaddr: p.vaddr, paddr: p.paddr, filesz: p.filesz, memsz: p.memsz, flags, align: p.align }).toEqual({
        ...g,
        type: `PT_${g.type}`,
      });
    });
    expect(elf.programHeaders.map((p) => sectionsInSegment(elf.sections, p).map((s) => s.name))).toEqual(golden.mapping);
  });
});
