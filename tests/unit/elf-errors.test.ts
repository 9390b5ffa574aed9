import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readelfListing } from '../../src/cli/readelf';
import { readElf, sectionsInSegment, SHT_SYMTAB, type ElfError, type ElfFile } from '../../src/sim/elf/index';

// Malformed input: readElf returns a typed ElfError naming the problem, and never throws.

const TINY = new Uint8Array(readFileSync('tests/golden/readelf/extra/tiny.o'));
const STATIC = new Uint8Array(readFileSync('tests/golden/readelf/extra/tiny-static'));
const MODULE = new Uint8Array(readFileSync('tests/golden/readelf/extra/tiny-mod.ko'));

function parsed(bytes: Uint8Array): ElfFile {
  const elf = readElf(bytes);
  if (elf.kind !== 'elf') throw new Error(elf.message);
  return elf;
}

/** Copies `original`, lets `edit` change it (with the intact parse for finding offsets), reads the copy. */
function corrupt(original: Uint8Array, edit: (view: DataView, elf: ElfFile) => void): ElfFile | ElfError {
  const copy = original.slice();
  edit(new DataView(copy.buffer), parsed(original));
  return readElf(copy);
}

function errorOf(result: ElfFile | ElfError): ElfError {
  if (result.kind !== 'elf-error') throw new Error('expected an ElfError, got a parsed file');
  return result;
}

const shdr = (elf: ElfFile, index: number): number => Number(elf.header.e_shoff) + index * 64;
const symtab = (elf: ElfFile) => elf.sections.find((s) => s.type === SHT_SYMTAB) ?? elf.sections[0]!;

describe('files that are not 64-bit little-endian ELF', () => {
  it('a text file is not an ELF file', () => {
    const e = errorOf(readElf(new TextEncoder().encode('#!/bin/sh\necho hello\n')));
    expect(e).toMatchObject({ kind: 'elf-error', code: 'not-elf' });
    expect(e.message).toMatch(/not an ELF file/);
  });

  it('an empty file is too short to be one', () => {
    expect(errorOf(readElf(new Uint8Array(0))).code).toBe('truncated');
  });

  it('a 32-bit ELF header is refused as not 64-bit', () => {
    const header32 = new Uint8Array(52);
    header32.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
    const e = errorOf(readElf(header32));
    expect(e.code).toBe('not-64-bit');
    expect(e.message).toMatch(/32-bit/);
  });

  it('a big-endian header is refused as not little-endian', () => {
    expect(errorOf(corrupt(TINY, (v) => v.setUint8(5, 2))).code).toBe('not-little-endian');
  });

  it('an impossible class, data or version byte is a bad header', () => {
    expect(errorOf(corrupt(TINY, (v) => v.setUint8(4, 7))).code).toBe('bad-header');
    expect(errorOf(corrupt(TINY, (v) => v.setUint8(5, 0))).code).toBe('bad-header');
    expect(errorOf(corrupt(TINY, (v) => v.setUint8(6, 2))).code).toBe('bad-header');
  });
});

describe('truncated files', () => {
  it.each([
    ['tiny.o', TINY],
    ['tiny-static', STATIC],
  ])('every proper prefix of %s is reported as truncated', (_name, whole) => {
    const codes = new Set<string>();
    for (let length = 0; length < whole.length; length++) codes.add(errorOf(readElf(whole.subarray(0, length))).code);
    expect([...codes]).toEqual(['truncated']);
  });

  it('a module cut anywhere (every 7th length) is reported as truncated', () => {
    for (let length = 0; length < MODULE.length; length += 7) {
      const e = errorOf(readElf(MODULE.subarray(0, length)));
      expect(e.code, `prefix of ${length} bytes`).toBe('truncated');
      expect(e.message).toMatch(/bytes long/);
    }
  });
});

describe('corrupted offsets, sizes and indexes', () => {
  it('a section header table past the end of the file', () => {
    const e = errorOf(corrupt(TINY, (v) => v.setBigUint64(40, 0xffff_ffff_0000n, true)));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/section header table/);
  });

  it('an absurd section count does not allocate: it is past the end of the file', () => {
    const e = errorOf(corrupt(TINY, (v, elf) => {
      v.setUint16(60, 0, true); // e_shnum = 0: the count is in section 0's sh_size
      v.setBigUint64(shdr(elf, 0) + 32, 0xffff_ffff_ffff_ffffn, true);
    }));
    expect(e.code).toBe('truncated');
  });

  it('section headers of the wrong size', () => {
    expect(errorOf(corrupt(TINY, (v) => v.setUint16(58, 40, true))).code).toBe('bad-section-table');
  });

  it('sections counted but no table placed', () => {
    expect(errorOf(corrupt(TINY, (v) => v.setBigUint64(40, 0n, true))).code).toBe('bad-section-table');
  });

  it('a section-name table index beyond the last section', () => {
    const e = errorOf(corrupt(TINY, (v) => v.setUint16(62, 99, true)));
    expect(e.code).toBe('bad-section-table');
    expect(e.message).toMatch(/e_shstrndx/);
  });

  it('a section-name table that is not a string table', () => {
    expect(errorOf(corrupt(TINY, (v, elf) => v.setUint32(shdr(elf, elf.header.e_shstrndx) + 4, 1, true))).code).toBe('bad-string-table');
  });

  it('a section name outside the section-name table', () => {
    const e = errorOf(corrupt(TINY, (v, elf) => v.setUint32(shdr(elf, 1), 0x10000, true)));
    expect(e.code).toBe('bad-string-table');
    expect(e.message).toMatch(/Section 1's name/);
  });

  it('a section-name table whose last name has no NUL', () => {
    expect(errorOf(corrupt(TINY, (v, elf) => {
      const names = elf.sections[elf.header.e_shstrndx]!;
      v.setUint8(Number(names.offset + names.size) - 1, 0x41);
    })).code).toBe('bad-string-table');
  });

  it("a section's bytes past the end of the file", () => {
    const e = errorOf(corrupt(TINY, (v, elf) => v.setBigUint64(shdr(elf, 1) + 32, 0x100000n, true)));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/section 1/);
  });

  it('a NOBITS section may be as large as it likes: .bss has no bytes in the file', () => {
    const elf = corrupt(TINY, (v, e) => v.setBigUint64(shdr(e, e.sectionByName('.bss')!.index) + 32, 0xffff_ffff_ffffn, true));
    expect(elf.kind).toBe('elf');
  });

  it('symbol table entries of the wrong size, or a ragged length', () => {
    expect(errorOf(corrupt(TINY, (v, elf) => v.setBigUint64(shdr(elf, symtab(elf).index) + 56, 16n, true))).code).toBe('bad-symbol-table');
    expect(errorOf(corrupt(TINY, (v, elf) => v.setBigUint64(shdr(elf, symtab(elf).index) + 32, symtab(elf).size - 5n, true))).code).toBe('bad-symbol-table');
  });

  it('a symbol table linked to a missing or non-string section', () => {
    expect(errorOf(corrupt(TINY, (v, elf) => v.setUint32(shdr(elf, symtab(elf).index) + 40, 200, true))).code).toBe('bad-symbol-table');
    expect(errorOf(corrupt(TINY, (v, elf) => v.setUint32(shdr(elf, symtab(elf).index) + 40, 1, true))).code).toBe('bad-string-table');
  });

  it('a symbol name outside the string table', () => {
    const e = errorOf(corrupt(TINY, (v, elf) => v.setUint32(Number(symtab(elf).offset) + 24 * 6, 0xfffffff, true)));
    expect(e.code).toBe('bad-string-table');
    expect(e.message).toMatch(/Symbol 6/);
  });

  it('a symbol in a section that does not exist', () => {
    const e = errorOf(corrupt(TINY, (v, elf) => v.setUint16(Number(symtab(elf).offset) + 24 * 6 + 6, 500, true)));
    expect(e.code).toBe('bad-symbol-table');
  });

  it('program headers of the wrong size, past the end, or loading more than they map', () => {
    expect(errorOf(corrupt(STATIC, (v) => v.setUint16(54, 32, true))).code).toBe('bad-program-headers');
    expect(errorOf(corrupt(STATIC, (v) => v.setBigUint64(32, 0x7fff_ffffn, true))).code).toBe('truncated');
    const phdr1 = 64 + 56;
    expect(errorOf(corrupt(STATIC, (v) => v.setBigUint64(phdr1 + 8, 0x1_0000_0000n, true))).code).toBe('truncated');
    expect(errorOf(corrupt(STATIC, (v) => v.setBigUint64(phdr1 + 40, 1n, true))).code).toBe('bad-program-headers');
  });
});

describe('values the reader must keep exactly', () => {
  it('keeps all 64 bits of a kernel address', () => {
    const elf = corrupt(TINY, (v, e) => v.setBigUint64(shdr(e, 1) + 16, 0xffff_ffff_c000_0000n, true));
    expect(elf.kind === 'elf' && elf.sections[1]!.addr).toBe(0xffff_ffff_c000_0000n);
  });

  it("reads extended section numbering (e_shnum 0, e_shstrndx SHN_XINDEX) from section 0", () => {
    const plain = parsed(TINY);
    const elf = corrupt(TINY, (v, e) => {
      v.setUint16(60, 0, true);
      v.setUint16(62, 0xffff, true);
      v.setBigUint64(shdr(e, 0) + 32, BigInt(e.sections.length), true);
      v.setUint32(shdr(e, 0) + 40, e.header.e_shstrndx, true);
    });
    if (elf.kind !== 'elf') throw new Error(elf.message);
    expect(elf.header.sectionCount).toBe(plain.sections.length);
    expect(elf.header.sectionNameTableIndex).toBe(plain.header.e_shstrndx);
    expect(elf.sections.map((s) => s.name)).toEqual(plain.sections.map((s) => s.name));
  });
});

/** xorshift32 (Marsaglia 2003): a seeded, reproducible stream of 32-bit numbers. */
function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Uses every part of a parsed file, as the CLI and the loader will. */
function exercise(elf: ElfFile): void {
  for (const s of elf.sections) {
    elf.functionsOf(s);
    elf.symbolsInSection(s.index);
  }
  for (const p of elf.segmentsToLoad()) sectionsInSegment(elf.sections, p);
  readelfListing(elf);
}

describe('random damage (seeded property test)', () => {
  it.each([
    ['tiny.o', TINY, 0x5eed0001],
    ['tiny-static', STATIC, 0x5eed0002],
    ['tiny-mod.ko', MODULE, 0x5eed0003],
  ])('%s: 1500 mutations never throw, and each gives a file or a named error', (_name, original, seed) => {
    const next = xorshift32(seed);
    const elf = parsed(original);
    // The bytes the parser reads: the ELF header, the tables, and the string and symbol tables.
    const hot: [number, number][] = [[0, 64], [Number(elf.header.e_phoff), elf.header.e_phnum * 56], [Number(elf.header.e_shoff), elf.sections.length * 64]];
    for (const s of elf.sections) if (s.type === 2 || s.type === 3) hot.push([Number(s.offset), Number(s.size)]);
    const codes = new Map<string, number>();
    for (let round = 0; round < 1500; round++) {
      const bytes = original.slice();
      const view = new DataView(bytes.buffer);
      const mutations = 1 + (next() % 4);
      for (let m = 0; m < mutations; m++) {
        const [start, length] = hot[next() % hot.length]!;
        const at = next() % 2 === 0 ? start + (next() % Math.max(1, length)) : next() % bytes.length;
        const kind = next() % 5;
        if (at >= bytes.length) continue;
        if (kind === 0) bytes[at]! ^= 1 << (next() % 8);
        else if (kind === 1) bytes[at] = next() & 0xff;
        else if (kind === 2 && at + 4 <= bytes.length) view.setUint32(at, [0, 0xffffffff, 0x7fffffff, next()][next() % 4]!, true);
        else if (kind === 3 && at + 8 <= bytes.length) view.setBigUint64(at, [0n, 0xffff_ffff_ffff_ffffn, BigInt(next()) << 16n][next() % 3]!, true);
      }
      const cut = next() % 8 === 0 ? next() % bytes.length : bytes.length;
      let result: ElfFile | ElfError | undefined;
      expect(() => {
        result = readElf(bytes.subarray(0, cut));
        if (result.kind === 'elf') exercise(result);
      }).not.toThrow();
      const key = result!.kind === 'elf' ? 'parsed' : result!.code;
      codes.set(key, (codes.get(key) ?? 0) + 1);
      if (result!.kind === 'elf-error') expect(result!.message.length).toBeGreaterThan(20);
    }
    expect(codes.has('internal')).toBe(false);
    // The mutations reach past the header: more than one kind of damage is found.
    expect(codes.size).toBeGreaterThan(3);
  });

  it('random byte strings behind a valid magic never throw', () => {
    const next = xorshift32(0x5eed0004);
    for (let round = 0; round < 1000; round++) {
      const bytes = new Uint8Array(64 + (next() % 512)).map(() => next() & 0xff);
      bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
      const result = readElf(bytes);
      if (result.kind === 'elf') exercise(result);
      else expect(result.code).not.toBe('internal');
    }
  });
});
