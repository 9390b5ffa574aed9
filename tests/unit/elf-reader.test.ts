import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  Elf64_Ehdr,
  Elf64_Ident,
  Elf64_Phdr,
  Elf64_Rela,
  Elf64_Shdr,
  Elf64_Sym,
  ET_EXEC,
  ET_REL,
  PT_LOAD,
  readElf,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHN_COMMON,
  SHN_UNDEF,
  splitU64,
  STB_WEAK,
  STT_FUNC,
  STV_HIDDEN,
  type ElfFile,
} from '../../src/sim/elf/index';
import { defineStruct, Elf64_Word } from '../../src/sim/elf/struct';

function load(path: string): ElfFile {
  const elf = readElf(new Uint8Array(readFileSync(path)));
  if (elf.kind !== 'elf') throw new Error(elf.message);
  return elf;
}

const tiny = load('tests/golden/readelf/extra/tiny.o');
const exe = load('tests/golden/readelf/extra/tiny-static');
const stripped = load('tests/golden/readelf/extra/tiny-static-stripped');
const module = load('tests/golden/readelf/extra/tiny-mod.ko');

describe('the ELF structures, declared as tables', () => {
  it('have the sizes the gABI gives them', () => {
    expect([Elf64_Ident, Elf64_Ehdr, Elf64_Shdr, Elf64_Sym, Elf64_Phdr, Elf64_Rela].map((t) => [t.name, t.size])).toEqual([
      ['e_ident', 16],
      ['Elf64_Ehdr', 64],
      ['Elf64_Shdr', 64],
      ['Elf64_Sym', 24],
      ['Elf64_Phdr', 56],
      ['Elf64_Rela', 24],
    ]);
  });

  it('refuse, when declared, a table whose fields do not add up', () => {
    expect(() => defineStruct('Broken', 8, [['a', 0, Elf64_Word], ['b', 8, Elf64_Word]] as const)).toThrow(/offset 8, expected 4/);
    expect(() => defineStruct('Short', 12, [['a', 0, Elf64_Word], ['b', 4, Elf64_Word]] as const)).toThrow(/adds up to 8/);
  });
});

describe('a relocatable object (gcc -c)', () => {
  it('is ET_REL for x86-64, with no program headers', () => {
    expect(tiny.header).toMatchObject({ e_type: ET_REL, typeName: 'ET_REL', e_machine: 62, machineName: 'EM_X86_64', e_entry: 0n });
    expect(tiny.programHeaders).toEqual([]);
    expect(tiny.segmentsToLoad()).toEqual([]);
  });

  it("gives a section's bytes as a view into the file, and none for .bss", () => {
    const text = tiny.sectionByName('.text')!;
    expect(text.data).toEqual(tiny.bytes.subarray(Number(text.offset), Number(text.offset + text.size)));
    expect(text.data!.buffer).toBe(tiny.bytes.buffer);
    expect(tiny.sectionByName('.bss')!.data).toBeNull();
    expect(tiny.sectionByName('.nonexistent')).toBeUndefined();
  });

  it('names symbol types, bindings, visibility and special section indexes', () => {
    const byName = new Map(tiny.symbols.map((s) => [s.name, s]));
    expect(byName.get('maybe')).toMatchObject({ type: STT_FUNC, bind: STB_WEAK, bindName: 'STB_WEAK' });
    expect(byName.get('hidden_value')).toMatchObject({ visibility: STV_HIDDEN, visibilityName: 'STV_HIDDEN' });
    expect(byName.get('shared_common')).toMatchObject({ shndx: SHN_COMMON, shndxName: 'SHN_COMMON' });
    expect(byName.get('external_thing')).toMatchObject({ shndx: SHN_UNDEF, shndxName: 'SHN_UNDEF', typeName: 'STT_NOTYPE' });
    expect(byName.get('tiny_entry')).toMatchObject({ shndxName: null, typeName: 'STT_FUNC', bindName: 'STB_GLOBAL' });
  });

  it('lists the symbols of a section sorted by value', () => {
    const text = tiny.sectionByName('.text')!;
    const values = tiny.symbolsInSection(text.index).map((s) => s.value);
    expect(values).toEqual([...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(tiny.symbolsInSection(text.index).map((s) => s.name)).toEqual(['', 'maybe', 'tiny_entry']);
  });

  it('splits .text into its functions, at section offsets', () => {
    const fns = tiny.functionsOf(tiny.sectionByName('.text')!);
    expect(fns.map((f) => [f.name, f.address, f.size])).toEqual([
      ['maybe', 0n, 4],
      ['tiny_entry', 0x10n, 100],
    ]);
    expect(fns[1]!.bytes).toEqual(tiny.sectionByName('.text')!.data!.subarray(0x10, 0x10 + 100));
  });
});

describe('a kernel module (kbuild)', () => {
  it('names init_module after its global symbol, with the local one as an alias', () => {
    const init = module.functionsOf(module.sectionByName('.init.text')!);
    expect(init.map((f) => [f.name, f.aliases])).toEqual([['init_module', ['tiny_init']]]);
  });

  it('has no functions in an empty .text', () => {
    expect(module.functionsOf(module.sectionByName('.text')!)).toEqual([]);
  });
});

describe('a static executable (gcc -static -nostdlib)', () => {
  it('is ET_EXEC with its entry point at _start', () => {
    const start = exe.symbols.find((s) => s.name === '_start')!;
    expect(exe.header.e_type).toBe(ET_EXEC);
    expect(exe.header.e_entry).toBe(start.value);
  });

  it('loads its PT_LOAD segments with their permissions and file bytes', () => {
    const loads = exe.segmentsToLoad();
    expect(loads.every((p) => p.type === PT_LOAD)).toBe(true);
    expect(loads.map((p) => [p.vaddr, `${p.readable ? 'R' : '-'}${p.writable ? 'W' : '-'}${p.executable ? 'X' : '-'}`])).toEqual([
      [0x400000n, 'R--'],
      [0x401000n, 'R-X'],
      [0x402000n, 'R--'],
      [0x403000n, 'RW-'],
    ]);
    const code = loads[1]!;
    expect(code.data.length).toBe(Number(code.filesz));
    expect(code.data).toEqual(exe.sectionByName('.text')!.data!.subarray(0, Number(code.filesz)));
    expect(loads[3]!.memsz > loads[3]!.filesz).toBe(true);
  });

  it('splits .text into functions at their virtual addresses', () => {
    const fns = exe.functionsOf(exe.sectionByName('.text')!);
    expect(fns.map((f) => [f.name, f.address, f.sectionOffset])).toEqual([
      ['say', 0x401000n, 0],
      ['_start', 0x401020n, 0x20],
    ]);
  });

  it('when stripped, falls back to one block per executable section', () => {
    expect(stripped.symbols).toEqual([]);
    expect(stripped.symtabIndex).toBeNull();
    const text = stripped.sectionByName('.text')!;
    expect(stripped.functionsOf(text)).toEqual([
      { name: '.text', aliases: [], symbol: null, address: 0x401000n, sectionOffset: 0, size: Number(text.size), bytes: text.data },
    ]);
    const executable = stripped.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0n && (s.flags & SHF_ALLOC) !== 0n);
    expect(executable.map((s) => s.name)).toEqual(['.text']);
  });
});

describe('64-bit values', () => {
  it('split into the 32-bit halves registers use', () => {
    expect(splitU64(0xffff_ffff_c000_0000n)).toEqual({ lo: 0xc000_0000, hi: 0xffff_ffff });
    expect(splitU64(-1n)).toEqual({ lo: 0xffff_ffff, hi: 0xffff_ffff });
    expect(splitU64(0x401000n)).toEqual({ lo: 0x401000, hi: 0 });
  });
});
