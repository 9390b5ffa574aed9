import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MODULE_RELOCATION_TYPES,
  MODULE_SIG_STRING,
  readElf,
  readModinfo,
  readModuleSignature,
  readRelocations,
  readThisModule,
  readVersions,
  relocationTypeName,
  type ElfFile,
  type ElfRelocationSection,
} from '../../src/sim/elf/index';

// The readers of a kernel module's own sections: relocations, .modinfo, __versions,
// .gnu.linkonce.this_module and the appended signature, on the book's real samples.

const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
function elfOf(bytes: Uint8Array): ElfFile {
  const elf = readElf(bytes);
  if (elf.kind !== 'elf') throw new Error(elf.message);
  return elf;
}
const HELLO = elfOf(bytesOf('public/samples/hello.ko'));
const TINY = elfOf(bytesOf('tests/golden/readelf/extra/tiny.o'));
const RELOCS = elfOf(bytesOf('tests/golden/readelf/extra/relocs.o'));
const SIGNED_BYTES = bytesOf('public/samples/signed.ko');

function relocationsOf(elf: ElfFile): ElfRelocationSection[] {
  const r = readRelocations(elf);
  if (!Array.isArray(r)) throw new Error(r.message);
  return r;
}

describe('relocations', () => {
  it('each .rela section names the section it patches (sh_info) and the symbol table (sh_link)', () => {
    const text = relocationsOf(HELLO).find((t) => t.section.name === '.rela.text');
    expect(text?.target.name).toBe('.text');
    expect(text?.symbolTable?.name).toBe('.symtab');
  });

  it("a call to an imported function is a PLT32 to its undefined symbol with addend -4", () => {
    const first = relocationsOf(HELLO).find((t) => t.section.name === '.rela.text')?.relocations[0];
    expect(first).toMatchObject({ offset: 1n, type: 4, typeName: 'R_X86_64_PLT32', addend: -4n });
    expect(first?.symbol?.name).toBe('__fentry__');
    expect(first?.symbol?.shndx).toBe(0);
  });

  it('the hand-made object uses all seven types 6.1 applies, and rows without a symbol', () => {
    const rows = relocationsOf(RELOCS).flatMap((t) => t.relocations);
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set([...MODULE_RELOCATION_TYPES, 33]));
    const bare = rows.filter((r) => r.symbol === null);
    expect(bare.map((r) => [r.typeName, r.addend])).toEqual([
      ['R_X86_64_NONE', 0n],
      ['R_X86_64_NONE', -4n],
      ['R_X86_64_64', -0x7fffffffn],
    ]);
  });

  it('every sample module uses only the relocation types 6.1 applies', () => {
    for (const name of ['hello', 'hellorw', 'param', 'miscdev', 'pcidrv', 'exporter', 'importer', 'gplonly', 'oops-read', 'oops-init']) {
      const types = relocationsOf(elfOf(bytesOf(`public/samples/${name}.ko`))).flatMap((t) => t.relocations.map((r) => r.type));
      expect(types.filter((t) => !MODULE_RELOCATION_TYPES.includes(t)), name).toEqual([]);
    }
  });

  it('names the types, and gives any other type its number', () => {
    expect([0, 1, 2, 4, 10, 11, 24].map(relocationTypeName)).toEqual([
      'R_X86_64_NONE', 'R_X86_64_64', 'R_X86_64_PC32', 'R_X86_64_PLT32', 'R_X86_64_32', 'R_X86_64_32S', 'R_X86_64_PC64',
    ]);
    expect(relocationTypeName(200)).toBe('R_X86_64_200');
  });

  it('an executable without relocation sections has none', () => {
    expect(relocationsOf(elfOf(bytesOf('tests/golden/readelf/extra/tiny-static')))).toEqual([]);
  });
});

describe('.modinfo', () => {
  it('keeps every tag=value string in section order', () => {
    const info = readModinfo(HELLO);
    if (info.kind === 'elf-error') throw new Error(info.message);
    expect(info.entries.map((e) => e.tag)).toEqual(['description', 'author', 'license', 'depends', 'retpoline', 'name', 'vermagic']);
    expect(info.get('name')).toBe('hello');
    expect(info.get('depends')).toBe('');
    expect(info.get('vermagic')).toBe('6.1.0-56-amd64 SMP preempt mod_unload modversions ');
    expect(info.get('intree')).toBeUndefined();
  });

  it('keeps repeatable tags (parm, parmtype, alias) as lists', () => {
    const param = readModinfo(elfOf(bytesOf('public/samples/param.ko')));
    const pci = readModinfo(elfOf(bytesOf('public/samples/pcidrv.ko')));
    if (param.kind === 'elf-error' || pci.kind === 'elf-error') throw new Error('unreadable .modinfo');
    expect(param.getAll('parm')).toEqual(['count:A number to print at load time (default 1)']);
    expect(param.getAll('parmtype')).toEqual(['count:int']);
    expect(pci.getAll('alias')).toEqual(['pci:v00001B36d00000005sv*sd*bc*sc*i*']);
  });

  it('an object without .modinfo has no entries', () => {
    const info = readModinfo(TINY);
    expect(info.kind !== 'elf-error' && [info.section, info.entries]).toEqual([null, []]);
  });
});

describe('__versions', () => {
  it('reads 64-byte modversion_info entries: CRC and the imported name', () => {
    const v = readVersions(HELLO);
    if (v.kind === 'elf-error') throw new Error(v.message);
    expect(v.section?.size).toBe(BigInt(64 * v.entries.length));
    expect(v.entries.map((e) => e.name)).toEqual([
      '__fentry__', 'simple_read_from_buffer', '__register_chrdev', '_printk', '__x86_return_thunk', '__unregister_chrdev', 'module_layout',
    ]);
    expect(v.entries[6]).toMatchObject({ crc: 0x9060323f, crcValue: 0x9060323fn });
    expect(v.entries[0]?.crc).toBe(0xbdfb6dbb);
    expect(v.ignoredBytes).toBe(0);
  });

  it('an object built without modversions has no __versions', () => {
    const v = readVersions(TINY);
    expect(v.kind === 'elf-error' ? v : [v.section, v.entries]).toEqual([null, []]);
  });
});

describe('.gnu.linkonce.this_module', () => {
  it('gives the bytes, their size and the module name found in them', () => {
    const m = readThisModule(HELLO);
    if (!m || m.kind === 'elf-error') throw new Error('no struct module');
    expect(m.size).toBe(Number(HELLO.sectionByName('.gnu.linkonce.this_module')?.size));
    expect(m.bytes.length).toBe(m.size);
    expect({ name: m.name, at: m.nameOffset }).toEqual({ name: 'hello', at: 24 });
  });

  it('an ordinary object has none', () => {
    expect(readThisModule(TINY)).toBeNull();
  });
});

describe('the appended module signature', () => {
  it('an unsigned module is the whole file', () => {
    const s = readModuleSignature(HELLO.bytes);
    expect(s.kind).toBe('unsigned-module');
    expect(s.kind === 'unsigned-module' && s.elf.length).toBe(HELLO.bytes.length);
  });

  it('a signed module: PKCS#7 data, then struct module_signature, then the 28-byte marker', () => {
    const s = readModuleSignature(SIGNED_BYTES);
    if (s.kind !== 'module-signature') throw new Error(s.kind);
    expect(s.info).toEqual({ algo: 0, hash: 0, id_type: 2, signer_len: 0, key_id_len: 0, pad: [0, 0, 0], sig_len: s.signature.length });
    expect(s.markerOffset).toBe(SIGNED_BYTES.length - MODULE_SIG_STRING.length);
    expect(s.infoOffset).toBe(s.markerOffset - 12);
    expect(s.elf.length).toBe(SIGNED_BYTES.length - 28 - 12 - s.signature.length);
    expect(s.elfLength).toBe(s.elf.length);
    expect(s.signature[0]).toBe(0x30); // a DER SEQUENCE: ContentInfo
  });

  it('the ELF image without the signature is a whole ELF file, the one the section table describes', () => {
    const s = readModuleSignature(SIGNED_BYTES);
    if (s.kind !== 'module-signature') throw new Error(s.kind);
    const elf = elfOf(s.elf);
    expect(elf.header.e_shoff + BigInt(elf.sections.length * 64)).toBe(BigInt(s.elf.length));
  });
});
