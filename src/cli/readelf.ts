// Models: the listing of `readelf -h -S -l -r -s -W` (GNU binutils 2.40, binutils/readelf.c), in
// the same columns and order, so a reader can lay the two side by side.
// Simplifies: no notes, dynamic section or version information; relocations are SHT_RELA only.

import { PT_INTERP, sectionsInSegment, type ElfFile } from '../sim/elf/index';
import { relocationLines } from './readelf-relocations';
import { hexPad, padLeft, padRight } from './format';
import {
  fileTypeWords,
  machineWords,
  osabiWords,
  sectionFlagLetters,
  sectionTypeWords,
  segmentTypeWords,
  symbolBindWords,
  symbolDisplayName,
  symbolIndexWords,
  symbolTypeWords,
  visibilityWords,
} from './readelf-words';

export function readelfListing(elf: ElfFile): string[] {
  return [...headerLines(elf), '', ...sectionLines(elf), '', ...programHeaderLines(elf), ...relocationLines(elf), ...symbolLines(elf)];
}

function headerLines(elf: ElfFile): string[] {
  const h = elf.header;
  const field = (label: string, value: string | number): string => `  ${padRight(`${label}:`, 35)}${value}`;
  const counted = (stored: number, actual: number): string => (stored === actual ? String(stored) : `${stored} (${actual})`);
  const magic = Array.from(elf.bytes.subarray(0, 16), (b) => hexPad(b, 2)).join(' ');
  return [
    'ELF Header:',
    `  Magic:   ${magic} `,
    field('Class', 'ELF64'),
    field('Data', "2's complement, little endian"),
    field('Version', '1 (current)'),
    field('OS/ABI', osabiWords(h.ident.osabi)),
    field('ABI Version', h.ident.abiversion),
    field('Type', fileTypeWords(h.typeName, h.e_type)),
    field('Machine', machineWords(h.e_machine)),
    field('Version', `0x${h.e_version.toString(16)}`),
    field('Entry point address', `0x${h.e_entry.toString(16)}`),
    field('Start of program headers', `${h.e_phoff} (bytes into file)`),
    field('Start of section headers', `${h.e_shoff} (bytes into file)`),
    field('Flags', `0x${h.e_flags.toString(16)}`),
    field('Size of this header', `${h.e_ehsize} (bytes)`),
    field('Size of program headers', `${h.e_phentsize} (bytes)`),
    field('Number of program headers', counted(h.e_phnum, h.programHeaderCount)),
    field('Size of section headers', `${h.e_shentsize} (bytes)`),
    field('Number of section headers', counted(h.e_shnum, h.sectionCount)),
    field('Section header string table index', counted(h.e_shstrndx, h.sectionNameTableIndex)),
  ];
}

function sectionLines(elf: ElfFile): string[] {
  if (elf.sections.length === 0) return ['There are no sections in this file.'];
  const rows = elf.sections.map(
    (s) =>
      `  [${padLeft(s.index, 2)}] ${padRight(s.name, 17)} ${padRight(sectionTypeWords(s).slice(0, 15), 15)} ` +
      `${hexPad(s.addr, 16)} ${hexPad(s.offset, 6)} ${hexPad(s.size, 6)} ${hexPad(s.entsize, 2)} ` +
      `${padLeft(sectionFlagLetters(s.flags), 3)} ${padLeft(s.link, 2)} ${padLeft(s.info, 3)} ${padLeft(s.addralign.toString(), 2)}`,
  );
  return [
    'Section Headers:',
    '  [Nr] Name              Type            Address          Off    Size   ES Flg Lk Inf Al',
    ...rows,
    'Key to Flags:',
    '  W (write), A (alloc), X (execute), M (merge), S (strings), I (info),',
    '  L (link order), O (extra OS processing required), G (group), T (TLS),',
    '  C (compressed), x (unknown), o (OS specific), E (exclude),',
    // readelf names the retain flag only where the OS/ABI is GNU or FreeBSD.
    `  ${[3, 9].includes(elf.header.ident.osabi) ? 'R (retain), ' : ''}D (mbind), l (large), p (processor specific)`,
  ];
}

function programHeaderLines(elf: ElfFile): string[] {
  if (elf.programHeaders.length === 0) return ['There are no program headers in this file.'];
  const rows = elf.programHeaders.flatMap((p) => {
    const flags = `${p.readable ? 'R' : ' '}${p.writable ? 'W' : ' '}${p.executable ? 'E' : ' '}`;
    const row =
      `  ${padRight(segmentTypeWords(p.typeName), 14)} 0x${hexPad(p.offset, 6)} 0x${hexPad(p.vaddr, 16)} 0x${hexPad(p.paddr, 16)} ` +
      `0x${hexPad(p.filesz, 6)} 0x${hexPad(p.memsz, 6)} ${flags} 0x${p.align.toString(16)}`;
    if (p.type !== PT_INTERP) return [row];
    const nul = p.data.indexOf(0);
    const path = Array.from(p.data.subarray(0, nul < 0 ? p.data.length : nul), (b) => String.fromCharCode(b)).join('');
    return [row, `      [Requesting program interpreter: ${path}]`];
  });
  const mapping = elf.programHeaders.map(
    (p, i) => `   ${String(i).padStart(2, '0')}     ${sectionsInSegment(elf.sections, p).map((s) => `${s.name} `).join('')}`,
  );
  return [
    'Program Headers:',
    '  Type           Offset   VirtAddr           PhysAddr           FileSiz  MemSiz   Flg Align',
    ...rows,
    '',
    ' Section to Segment mapping:',
    '  Segment Sections...',
    ...mapping,
  ];
}

function symbolLines(elf: ElfFile): string[] {
  if (elf.symtabIndex === null) return [];
  const table = elf.sections[elf.symtabIndex];
  const rows = elf.symbols.map((s) => {
    const size = s.size <= 99999n ? padLeft(s.size.toString(), 5) : `0x${s.size.toString(16)}`;
    return (
      `${padLeft(s.index, 6)}: ${hexPad(s.value, 16)} ${size} ${padRight(symbolTypeWords(s.typeName, s.type), 7)} ` +
      `${padRight(symbolBindWords(s.bindName, s.bind), 6)} ${padRight(visibilityWords(s.visibilityName), 7)} ` +
      `${padLeft(symbolIndexWords(s.shndx), 4)} ${symbolDisplayName(s, elf.sections)}`
    );
  });
  return [
    '',
    `Symbol table '${table?.name ?? ''}' contains ${elf.symbols.length} entries:`,
    '   Num:    Value          Size Type    Bind   Vis      Ndx Name',
    ...rows,
  ];
}
