import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modinfoListing } from '../../src/cli/modinfo';
import { readelfListing } from '../../src/cli/readelf';
import { signatureFields } from '../../src/cli/signature-fields';
import { xorshift32 } from './support/xorshift';
import {
  readElf,
  readModinfo,
  readModuleSignature,
  readPkcs7,
  readRelocations,
  readThisModule,
  readVersions,
  sectionsInSegment,
  SHT_RELA,
  SHT_SYMTAB,
  type ElfError,
  type ElfFile,
} from '../../src/sim/elf/index';

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


/** Uses every part of a parsed file, as the CLI and the loader will: each module reader too. */
function exercise(elf: ElfFile): void {
  for (const s of elf.sections) {
    elf.functionsOf(s);
    elf.symbolsInSection(s.index);
  }
  for (const p of elf.segmentsToLoad()) sectionsInSegment(elf.sections, p);
  readelfListing(elf);
  const relocations = readRelocations(elf);
  if (Array.isArray(relocations)) {
    // Bounded: never more rows than the file has room for.
    const rows = relocations.reduce((n, t) => n + t.relocations.length, 0);
    if (rows * 24 > elf.bytes.length) throw new Error(`${rows} relocation rows from a ${elf.bytes.length}-byte file`);
  } else expectNamed(relocations);
  const info = readModinfo(elf);
  if (info.kind === 'elf-error') expectNamed(info);
  else modinfoListing(info, 'x.ko', signatureFields(readModuleSignature(elf.bytes)), []);
  const versions = readVersions(elf);
  if (versions.kind === 'elf-error') expectNamed(versions);
  else if (versions.entries.length * 64 > elf.bytes.length) throw new Error('more __versions entries than bytes');
  const module = readThisModule(elf);
  if (module?.kind === 'elf-error') expectNamed(module);
}

/** The codes the module readers returned while exercising files (a fuzz run checks it reached them). */
const readerCodes = new Set<string>();

function expectNamed(e: ElfError): void {
  if (e.code === 'internal' || e.message.length < 20) throw new Error(`unnamed or internal error: ${e.code} ${e.message}`);
  readerCodes.add(e.code);
}

describe('random damage (seeded property test)', () => {
  it.each([
    ['tiny.o', TINY, 0x5eed0001],
    ['tiny-static', STATIC, 0x5eed0002],
    ['tiny-mod.ko', MODULE, 0x5eed0003],
  ])('%s: 1500 mutations never throw, and each gives a file or a named error', (_name, original, seed) => {
    const next = xorshift32(seed);
    const elf = parsed(original);
    // The bytes the parser reads: the ELF header, the tables, the string and symbol tables, the
    // relocation tables and the module sections.
    const hot: [number, number][] = [[0, 64], [Number(elf.header.e_phoff), elf.header.e_phnum * 56], [Number(elf.header.e_shoff), elf.sections.length * 64]];
    const moduleSections = ['.modinfo', '__versions', '.gnu.linkonce.this_module'];
    for (const s of elf.sections) if (s.type === 2 || s.type === 3 || s.type === SHT_RELA || moduleSections.includes(s.name)) hot.push([Number(s.offset), Number(s.size)]);
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
    // In a module they reach the relocation tables too.
    if (original === MODULE) expect(readerCodes.has('bad-relocations')).toBe(true);
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

// ---- The module readers: relocations, .modinfo, __versions, this_module, the signature. ----

function asElf(result: ElfFile | ElfError): ElfFile {
  if (result.kind !== 'elf') throw new Error(result.message);
  return result;
}
const rela = (elf: ElfFile) => elf.sections.find((s) => s.type === SHT_RELA)!;
const named = (elf: ElfFile, name: string) => elf.sections.find((s) => s.name === name)!;

function relocationError(result: ElfFile | ElfError): ElfError {
  const elf = result.kind === 'elf' ? result : null;
  if (!elf) return result as ElfError;
  const r = readRelocations(elf);
  if (Array.isArray(r)) throw new Error('expected a relocation error');
  return r;
}

describe('damaged relocation sections', () => {
  it('entries of the wrong size, or a ragged length', () => {
    expect(relocationError(corrupt(MODULE, (v, elf) => v.setBigUint64(shdr(elf, rela(elf).index) + 56, 16n, true))).code).toBe('bad-relocations');
    const e = relocationError(corrupt(MODULE, (v, elf) => v.setBigUint64(shdr(elf, rela(elf).index) + 32, rela(elf).size - 7n, true)));
    expect(e.code).toBe('bad-relocations');
    expect(e.message).toMatch(/whole number of 24-byte entries/);
  });

  it('an absurd sh_size or sh_offset is caught before any row is read or allocated', () => {
    for (const [field, value] of [[32, 0x0fff_ffff_ffff_fff0n], [32, 24n * 0x1000_0000n], [24, 0xffff_ffff_ffff_0000n]] as const) {
      const e = errorOf(corrupt(MODULE, (v, elf) => v.setBigUint64(shdr(elf, rela(elf).index) + field, value, true)));
      expect(e.code).toBe('truncated');
    }
  });

  it('a symbol table (sh_link) that is not .symtab, or a target (sh_info) that does not exist', () => {
    expect(relocationError(corrupt(MODULE, (v, elf) => v.setUint32(shdr(elf, rela(elf).index) + 40, 1, true))).message).toMatch(/sh_link/);
    expect(relocationError(corrupt(MODULE, (v, elf) => v.setUint32(shdr(elf, rela(elf).index) + 44, 0xffff_ffff, true))).message).toMatch(/sh_info/);
  });

  it('a row whose symbol index is past the symbol table', () => {
    const e = relocationError(corrupt(MODULE, (v, elf) => v.setUint32(Number(rela(elf).offset) + 24 + 12, 0x00ff_ffff, true)));
    expect(e.code).toBe('bad-relocations');
    expect(e.message).toMatch(/row 1 uses symbol 16777215/);
  });

  it('a row with a symbol but no symbol table (sh_link 0)', () => {
    expect(relocationError(corrupt(MODULE, (v, elf) => v.setUint32(shdr(elf, rela(elf).index) + 40, 0, true))).message).toMatch(/no symbol table/);
  });

  it('an unknown type and a huge addend are read, not refused: refusing them is the loader\'s job', () => {
    const elf = corrupt(MODULE, (v, e) => {
      v.setUint32(Number(rela(e).offset) + 8, 0xdead, true);
      v.setBigInt64(Number(rela(e).offset) + 16, -(1n << 63n), true);
    });
    const r = elf.kind === 'elf' ? readRelocations(elf) : elf;
    if (!Array.isArray(r)) throw new Error(r.message);
    expect(r[0]?.relocations[0]).toMatchObject({ type: 0xdead, typeName: 'R_X86_64_57005', addend: -(1n << 63n) });
  });
});

describe('damaged .modinfo, __versions and this_module', () => {
  it('.modinfo whose last string has no NUL', () => {
    const elf = asElf(corrupt(MODULE, (v, e) => v.setUint8(Number(named(e, '.modinfo').offset + named(e, '.modinfo').size) - 1, 0x41)));
    const info = readModinfo(elf);
    expect(info.kind === 'elf-error' && info.code).toBe('bad-modinfo');
  });

  it('.modinfo with no NUL anywhere, and an empty one', () => {
    const copy = MODULE.slice();
    const m = named(parsed(MODULE), '.modinfo');
    copy.fill(0x41, Number(m.offset), Number(m.offset + m.size));
    const info = readModinfo(parsed(copy));
    expect(info.kind === 'elf-error' && info.code).toBe('bad-modinfo');
    const empty = readModinfo(asElf(corrupt(MODULE, (v, e) => v.setBigUint64(shdr(e, named(e, '.modinfo').index) + 32, 0n, true))));
    expect(empty.kind !== 'elf-error' && empty.entries).toEqual([]);
  });

  it('a string without "=" is kept with a null value and never matches a tag', () => {
    const elf = asElf(corrupt(MODULE, (v, e) => v.setUint8(Number(named(e, '.modinfo').offset) + 'description'.length, 0x5f)));
    const info = readModinfo(elf);
    if (info.kind === 'elf-error') throw new Error(info.message);
    expect(info.entries[0]).toMatchObject({ tag: 'description_ELF reader golden fixture', value: null });
    expect(info.get('description')).toBeUndefined();
  });

  it('__versions of a size not a multiple of 64: whole entries are read, the rest reported as 6.1 ignores it', () => {
    for (const cut of [1n, 63n, 65n]) {
      const elf = asElf(corrupt(MODULE, (v, e) => v.setBigUint64(shdr(e, named(e, '__versions').index) + 32, named(e, '__versions').size - cut, true)));
      const versions = readVersions(elf);
      if (versions.kind === 'elf-error') throw new Error(versions.message);
      const size = Number(named(elf, '__versions').size);
      expect(versions.entries.length).toBe(Math.floor(size / 64));
      expect(versions.ignoredBytes).toBe(size % 64);
    }
  });

  it('a __versions name that fills its 56 bytes with no NUL', () => {
    const copy = MODULE.slice();
    const at = Number(named(parsed(MODULE), '__versions').offset) + 64 + 8;
    copy.fill(0x41, at, at + 56);
    const v = readVersions(parsed(copy));
    expect(v.kind === 'elf-error' && v.code).toBe('bad-versions');
  });

  it('a CRC with high bits set keeps them in crcValue; crc is the 32 bits 6.1 compares', () => {
    const elf = asElf(corrupt(MODULE, (v, e) => v.setUint32(Number(named(e, '__versions').offset) + 4, 1, true)));
    const v = readVersions(elf);
    if (v.kind === 'elf-error') throw new Error(v.message);
    expect(v.entries[0]?.crcValue).toBe((1n << 32n) | BigInt(v.entries[0]!.crc));
  });

  it('a this_module of zeros has no name; an empty one is refused', () => {
    const copy = MODULE.slice();
    const m = named(parsed(MODULE), '.gnu.linkonce.this_module');
    copy.fill(0, Number(m.offset), Number(m.offset + m.size));
    const zeros = readThisModule(parsed(copy));
    expect(zeros?.kind === 'this-module' && [zeros.name, zeros.nameOffset]).toEqual([null, null]);
    const empty = readThisModule(asElf(corrupt(MODULE, (v, e) => v.setBigUint64(shdr(e, named(e, '.gnu.linkonce.this_module').index) + 32, 0n, true))));
    expect(empty?.kind === 'elf-error' && empty.code).toBe('bad-this-module');
  });
});

const SIGNED = new Uint8Array(readFileSync('public/samples/signed.ko'));
const MARKER = new TextEncoder().encode('~Module signature appended~\n');

/** A trailer: `before` bytes, then struct module_signature with these fields, then the marker. */
function trailer(before: Uint8Array, fields: { id_type?: number; sig_len: number; algo?: number; pad?: number }): Uint8Array {
  const info = new Uint8Array(12);
  info[0] = fields.algo ?? 0;
  info[2] = fields.id_type ?? 2;
  info[5] = fields.pad ?? 0;
  new DataView(info.buffer).setUint32(8, fields.sig_len, false);
  const out = new Uint8Array(before.length + 12 + MARKER.length);
  out.set(before);
  out.set(info, before.length);
  out.set(MARKER, before.length + 12);
  return out;
}

describe('damaged signature trailers', () => {
  it('a marker with no room for struct module_signature: -EBADMSG', () => {
    for (const length of [1, 5, 12]) {
      const bytes = new Uint8Array(length + MARKER.length);
      bytes.set(MARKER, length);
      expect(readModuleSignature(bytes)).toMatchObject({ kind: 'module-signature-error', code: 'no-signature-info', errno: -74, errnoName: 'EBADMSG' });
    }
    expect(readModuleSignature(MARKER).kind).toBe('unsigned-module'); // 6.1 wants info->len > markerlen
  });

  it('absurd sig_len values: -EBADMSG, with nothing sliced or allocated', () => {
    const body = MODULE.subarray(0, 100);
    for (const sig_len of [0xffff_ffff, 0x8000_0000, 100, 101]) {
      expect(readModuleSignature(trailer(body, { sig_len }))).toMatchObject({ code: 'signature-too-long', errno: -74 });
    }
    const edge = readModuleSignature(trailer(body, { sig_len: 99 }));
    expect(edge.kind === 'module-signature' && edge.elf.length).toBe(1);
    const none = readModuleSignature(trailer(body, { sig_len: 0 }));
    expect(none.kind === 'module-signature' && [none.signature.length, none.elf.length]).toEqual([0, 100]);
  });

  it('an id_type other than PKCS#7: -ENOPKG, with 6.1\'s log line', () => {
    expect(readModuleSignature(trailer(MODULE.subarray(0, 100), { sig_len: 10, id_type: 1 }))).toMatchObject({
      code: 'not-pkcs7',
      errno: -65,
      errnoName: 'ENOPKG',
      kernelMessage: 'module: not signed with expected PKCS#7 message',
    });
  });

  it('non-zero algo or padding: -EBADMSG, with 6.1\'s log line', () => {
    for (const fields of [{ sig_len: 10, algo: 1 }, { sig_len: 10, pad: 7 }]) {
      expect(readModuleSignature(trailer(MODULE.subarray(0, 100), fields))).toMatchObject({
        code: 'nonzero-params',
        errno: -74,
        kernelMessage: 'module: PKCS#7 signature info has unexpected non-zero params',
      });
    }
  });

  it('every truncation of a signed module loses the marker and reads as unsigned (every 13th length)', () => {
    for (let length = 0; length < SIGNED.length; length += 13) {
      const s = readModuleSignature(SIGNED.subarray(0, length));
      expect(s.kind, `prefix of ${length}`).toBe('unsigned-module');
    }
  });

  it('1500 random trailers and bit flips never throw; a parse always slices inside the file', () => {
    const next = xorshift32(0x5eed0005);
    for (let round = 0; round < 1500; round++) {
      let bytes: Uint8Array;
      if (round % 2 === 0) {
        bytes = SIGNED.slice();
        const flips = 1 + (next() % 3);
        for (let f = 0; f < flips; f++) {
          const at = bytes.length - 1 - (next() % 80); // the info block, the marker and the end of the PKCS#7 data
          bytes[at]! ^= 1 << (next() % 8);
        }
      } else {
        const body = new Uint8Array(next() % 64).map(() => next() & 0xff);
        bytes = trailer(body, { sig_len: [next(), next() % 80, 0xffff_ffff, body.length - 1][next() % 4]! >>> 0, id_type: next() % 4, algo: next() % 8 === 0 ? 1 : 0 });
      }
      const s = readModuleSignature(bytes);
      if (s.kind === 'module-signature') {
        expect(s.elf.length + s.signature.length + 12 + 28).toBe(bytes.length);
        expect(s.elf.length).toBeGreaterThan(0);
      } else if (s.kind === 'module-signature-error') {
        expect([-74, -65]).toContain(s.errno);
        expect(s.message.length).toBeGreaterThan(20);
      }
      const elf = readElf(s.kind === 'module-signature' ? s.elf : bytes);
      if (elf.kind === 'elf') exercise(elf);
    }
  });
});

// ---- The sample variants (samples/make-variants): real builds with one documented change each. ----

const VARIANTS = 'public/samples/variants';
const variantFiles = existsSync(VARIANTS) ? readdirSync(VARIANTS).filter((f) => f.endsWith('.ko')) : [];

describe('the sample variants', () => {
  it.each(variantFiles.length > 0 ? variantFiles : ['(none yet)'])('%s: every reader gives a value or a named error, never a throw', (file) => {
    if (file === '(none yet)') return;
    const bytes = new Uint8Array(readFileSync(`${VARIANTS}/${file}`));
    const signature = readModuleSignature(bytes);
    if (signature.kind === 'module-signature') expect(() => readPkcs7(signature.signature)).not.toThrow();
    const elf = readElf(signature.kind === 'module-signature' ? signature.elf : bytes);
    if (elf.kind === 'elf') exercise(elf);
    else expect(elf.code).not.toBe('internal');
  });

  it.skipIf(!existsSync(`${VARIANTS}/truncated.ko`))('the truncated module is refused as truncated', () => {
    expect(errorOf(readElf(new Uint8Array(readFileSync(`${VARIANTS}/truncated.ko`)))).code).toBe('truncated');
  });

  it.skipIf(!existsSync(`${VARIANTS}/not-elf.ko`))('the non-ELF file is refused as not ELF', () => {
    expect(errorOf(readElf(new Uint8Array(readFileSync(`${VARIANTS}/not-elf.ko`)))).code).toBe('not-elf');
  });
});
