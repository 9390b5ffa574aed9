// Models: the relocation part of `readelf -r -W` for ELF64 (GNU binutils 2.40, binutils/readelf.c
// process_relocs, dump_relocations), column for column.
// Simplifies: SHT_RELA only (x86-64 has no other); IFUNC symbols and symbol versions are not shown.

import {
  isKnownRelocationType,
  readRelocations,
  SHN_ABS,
  SHN_COMMON,
  type ElfFile,
  type ElfRelocation,
  type ElfSection,
} from '../sim/elf/index';
import { hexPad } from './format';

const SHN_X86_64_LCOMMON = 0xff02;

/** The lines readelf prints for -r, each section preceded by a blank line as readelf does. */
export function relocationLines(elf: ElfFile): string[] {
  const tables = readRelocations(elf);
  if (!Array.isArray(tables)) return ['', `Relocations not listed: ${tables.message}`];
  // readelf skips empty relocation sections, and says so when nothing is left.
  const listed = tables.filter((t) => t.section.size > 0n);
  if (listed.length === 0) return ['', 'There are no relocations in this file.'];
  return listed.flatMap((t) => [
    '',
    `Relocation section '${t.section.name}' at offset 0x${t.section.offset.toString(16)} contains ${t.relocations.length} ${t.relocations.length === 1 ? 'entry' : 'entries'}:`,
    "    Offset             Info             Type               Symbol's Value  Symbol's Name + Addend",
    ...t.relocations.map((r) => relocationRow(r, elf.sections)),
  ]);
}

function relocationRow(r: ElfRelocation, sections: readonly ElfSection[]): string {
  const type = isKnownRelocationType(r.type) ? r.typeName.padEnd(22, ' ') : `unrecognized: ${r.type.toString(16).padEnd(7, ' ')}`;
  const head = `${hexPad(r.offset, 16)}  ${hexPad(r.info, 16)} ${type}`;
  if (r.symbol === null) return `${head}${' '.repeat(20)}${r.addend < 0n ? `-${(-r.addend).toString(16)}` : r.addend.toString(16)}`;
  return `${head} ${hexPad(r.symbol.value, 16)} ${symbolName(r, sections)}${r.addend < 0n ? ` - ${(-r.addend).toString(16)}` : ` + ${r.addend.toString(16)}`}`;
}

/** A symbol with no name (st_name 0) is shown by its section's name, as readelf does. */
function symbolName(r: ElfRelocation, sections: readonly ElfSection[]): string {
  const s = r.symbol;
  if (!s) return '';
  if (s.nameOffset !== 0) return s.name;
  if (s.shndx < sections.length) return sections[s.shndx]?.name ?? '';
  if (s.shndx === SHN_ABS) return 'ABS';
  if (s.shndx === SHN_COMMON) return 'COMMON';
  if (s.shndx === SHN_X86_64_LCOMMON) return 'LARGE_COMMON';
  return `<section 0x${s.shndx.toString(16)}>`;
}
