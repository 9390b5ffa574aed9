// What ObjectInspector shows of a module file, read by the emulator's own ELF reader (src/sim/elf)
// from the same bytes the run loads: the ELF header, the sections (with readelf's flag letters and
// whether SHF_ALLOC asks for them to be loaded), .symtab, every SHT_RELA section's rows, the
// .modinfo strings and the signature appended after the ELF image (struct module_signature and,
// from its PKCS#7 blob, the signer and digest). Plain data (numbers and strings, no bigint), so a
// build-time picture can carry part of it. Never throws: a file the reader refuses gives an error
// in words. Kept apart from object-inspector-focus.ts, so the widget's own chunk does not carry the
// ELF reader: the widget imports this file only when it needs a file the page was not built with.
import {
  isElfError,
  readElf,
  readModinfo,
  readModuleSignature,
  readPkcs7,
  readRelocations,
  SHF_ALLOC,
  SHF_COMPRESSED,
  SHF_EXCLUDE,
  SHF_EXECINSTR,
  SHF_GROUP,
  SHF_INFO_LINK,
  SHF_LINK_ORDER,
  SHF_MERGE,
  SHF_OS_NONCONFORMING,
  SHF_STRINGS,
  SHF_TLS,
  SHF_WRITE,
  STT_SECTION,
  thisModuleName,
  type ElfFile,
} from '../sim/elf/index';
import type { ObjectModel, SectionRow, SignatureInfo } from './object-inspector-focus';

/** readelf's letters for sh_flags, in its order (binutils 2.40 get_elf_section_flags). */
const FLAG_LETTERS: [bigint, string][] = [
  [SHF_WRITE, 'W'],
  [SHF_ALLOC, 'A'],
  [SHF_EXECINSTR, 'X'],
  [SHF_MERGE, 'M'],
  [SHF_STRINGS, 'S'],
  [SHF_INFO_LINK, 'I'],
  [SHF_LINK_ORDER, 'L'],
  [SHF_OS_NONCONFORMING, 'O'],
  [SHF_GROUP, 'G'],
  [SHF_TLS, 'T'],
  [SHF_COMPRESSED, 'C'],
  [SHF_EXCLUDE, 'E'],
];
export const flagLetters = (flags: bigint) => FLAG_LETTERS.filter(([bit]) => (flags & bit) !== 0n).map(([, l]) => l).join('');

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** The width of the field a relocation type writes (psABI §4.4.1: word64 or word32); 0 for NONE. */
export function relocationWidth(typeName: string): number {
  if (typeName === 'R_X86_64_NONE') return 0;
  return typeName === 'R_X86_64_64' || typeName === 'R_X86_64_PC64' ? 8 : 4;
}

function sectionRows(elf: ElfFile): SectionRow[] {
  return elf.sections.map((s) => ({
    index: s.index,
    name: s.name,
    type: s.typeName.replace(/^SHT_/, ''),
    flags: flagLetters(s.flags),
    alloc: (s.flags & SHF_ALLOC) !== 0n,
    offset: Number(s.offset),
    size: Number(s.size),
    entsize: Number(s.entsize),
    link: s.link,
    info: s.info,
    align: Number(s.addralign),
    inFile: s.data !== null,
  }));
}

function signatureOf(bytes: Uint8Array): SignatureInfo {
  const sig = readModuleSignature(bytes);
  if (sig.kind === 'unsigned-module') return { kind: 'unsigned' };
  if (sig.kind === 'module-signature-error') return { kind: 'bad', message: sig.message };
  const pkcs7 = readPkcs7(sig.signature);
  const signer = pkcs7.kind === 'pkcs7' ? pkcs7.signer : undefined;
  return {
    kind: 'signed',
    fields: { ...sig.info, pad: [...sig.info.pad] },
    signatureOffset: sig.signatureOffset,
    infoOffset: sig.infoOffset,
    markerOffset: sig.markerOffset,
    elfLength: sig.elfLength,
    ...(signer
      ? {
          signer: signer.issuer.find((a) => a.type === 'CN')?.value ?? signer.issuer.map((a) => a.value).join(', '),
          digest: signer.digestAlgorithmName ?? signer.digestAlgorithm,
          signatureBytes: signer.signature.length,
        }
      : { pkcs7Error: pkcs7.kind === 'pkcs7' ? '' : pkcs7.message }),
  };
}

export type ObjectModelResult = { ok: true; model: ObjectModel } | { ok: false; error: string };

/** Reads a module file as the loader will: the signature first, then the ELF image before it. */
export function buildObjectModel(ko: string, bytes: Uint8Array): ObjectModelResult {
  const signature = signatureOf(bytes);
  const image = signature.kind === 'signed' ? bytes.subarray(0, signature.elfLength) : bytes;
  const elf = readElf(image);
  if (isElfError(elf)) return { ok: false, error: `${ko} is not an ELF file the emulator can read: ${elf.message}` };
  const rela = readRelocations(elf);
  if (isElfError(rela)) return { ok: false, error: `${ko}'s relocations cannot be read: ${rela.message}` };
  const modinfo = readModinfo(elf);
  const thisModule = elf.sectionByName('.gnu.linkonce.this_module')?.data;
  const h = elf.header;
  const header: [string, string][] = [
    ['Magic', Array.from(image.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')],
    ['Class (EI_CLASS)', h.ident.class === 2 ? 'ELF64' : `${h.ident.class}`],
    ['Data (EI_DATA)', h.ident.data === 1 ? 'little endian' : `${h.ident.data}`],
    ['OS/ABI', h.osabiName],
    ['Type (e_type)', h.typeName],
    ['Machine (e_machine)', `${h.machineName} (${h.e_machine})`],
    ['Entry (e_entry)', hex(h.e_entry)],
    ['Program headers (e_phnum)', `${h.programHeaderCount}`],
    ['Section headers at (e_shoff)', `${h.e_shoff} bytes in`],
    ['Section header size (e_shentsize)', `${h.e_shentsize} bytes`],
    ['Section headers (e_shnum)', `${h.sectionCount}`],
    ['Section names in (e_shstrndx)', `${h.sectionNameTableIndex} (${elf.sections[h.sectionNameTableIndex]?.name ?? '?'})`],
    ['ELF header size (e_ehsize)', `${h.e_ehsize} bytes`],
  ];
  const sections = sectionRows(elf);
  const nameOf = (i: number) => elf.sections[i]?.name ?? `${i}`;
  return {
    ok: true,
    model: {
      ko,
      module: (thisModule && thisModuleName(thisModule)?.name) || null,
      fileSize: bytes.length,
      elfLength: image.length,
      sectionTable: { offset: Number(h.e_shoff), size: h.sectionCount * h.e_shentsize },
      header,
      sections,
      symbols: elf.symbols.map((s) => ({
        index: s.index,
        name: s.type === STT_SECTION && !s.name ? nameOf(s.shndx) : s.name,
        isSection: s.type === STT_SECTION,
        value: hex(s.value),
        size: Number(s.size),
        type: s.typeName.replace(/^STT_/, ''),
        bind: s.bindName.replace(/^STB_/, ''),
        where: s.shndxName ? s.shndxName.replace(/^SHN_/, '').replace(/^UNDEF$/, 'UND') : nameOf(s.shndx),
      })),
      relocations: rela.map((r) => ({
        index: r.section.index,
        name: r.section.name,
        target: r.target.name,
        targetIndex: r.target.index,
        rows: r.relocations.map((x) => ({
          row: x.index,
          offset: Number(x.offset),
          type: x.typeName,
          symbol: x.symbolIndex,
          addend: x.addend < 0n ? `- ${(-x.addend).toString(16)}` : `+ ${x.addend.toString(16)}`,
          width: relocationWidth(x.typeName),
        })),
      })),
      modinfo: isElfError(modinfo) ? [] : modinfo.entries.map((e) => ({ tag: e.tag, value: e.value, offset: e.offset })),
      ...(isElfError(modinfo) ? { modinfoError: modinfo.message } : {}),
      signature,
    },
  };
}
