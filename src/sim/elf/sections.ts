// Models: the section header table and section names (ELF gABI "Sections", including extended
// section numbering; Linux 6.1 kernel/module/main.c elf_validity_check does the same checks).
// Simplifies: section contents are not interpreted here, only located and bounds-checked.

import { SHN_UNDEF, SHN_XINDEX, SHT_NOBITS, SHT_STRTAB, sectionTypeName } from './constants';
import { checkExtent, elfError, readString } from './errors';
import type { RawHeader } from './header';
import { Elf64_Shdr } from './layout';
import { readStruct, type StructValue } from './struct';
import type { ElfError, ElfSection } from './types';

export type RawSection = StructValue<typeof Elf64_Shdr.fields>;

export interface SectionTable {
  readonly rows: readonly RawSection[];
  /** e_shstrndx after SHN_XINDEX is resolved; SHN_UNDEF when sections have no names. */
  readonly shstrndx: number;
}

/** Reads every section header, resolving e_shnum = 0 and e_shstrndx = SHN_XINDEX through section 0. */
export function readSectionTable(bytes: Uint8Array, ehdr: RawHeader): SectionTable | ElfError {
  if (ehdr.e_shoff === 0n) {
    if (ehdr.e_shnum !== 0) {
      return elfError('bad-section-table', `The header counts ${ehdr.e_shnum} sections but gives no section header table (e_shoff is 0).`);
    }
    return { rows: [], shstrndx: SHN_UNDEF };
  }
  if (ehdr.e_shentsize !== Elf64_Shdr.size) {
    return elfError('bad-section-table', `Section headers are ${ehdr.e_shentsize} bytes each by e_shentsize, but an Elf64_Shdr is ${Elf64_Shdr.size}.`);
  }
  const first = checkExtent(bytes.length, ehdr.e_shoff, BigInt(Elf64_Shdr.size), 'the section header table', 'e_shoff');
  if (first) return first;
  const offset = Number(ehdr.e_shoff);
  const row0 = readStruct(Elf64_Shdr, bytes, offset);
  const count = ehdr.e_shnum !== 0 ? BigInt(ehdr.e_shnum) : row0.sh_size;
  if (count === 0n) {
    return elfError('bad-section-table', 'The header places a section header table but counts no sections, in e_shnum or in section 0.');
  }
  const whole = checkExtent(bytes.length, ehdr.e_shoff, count * BigInt(Elf64_Shdr.size), `the section header table of ${count} entries`, 'e_shoff or e_shnum');
  if (whole) return whole;
  const rows: RawSection[] = [];
  for (let i = 0; i < Number(count); i++) rows.push(readStruct(Elf64_Shdr, bytes, offset + i * Elf64_Shdr.size));
  const shstrndx = ehdr.e_shstrndx === SHN_XINDEX ? row0.sh_link : ehdr.e_shstrndx;
  if (shstrndx >= rows.length) {
    return elfError('bad-section-table', `The section-name table is section ${shstrndx} by e_shstrndx, but there are only ${rows.length} sections.`);
  }
  return { rows, shstrndx };
}

/** Locates each section's bytes and reads its name from the section-name table. */
export function buildSections(bytes: Uint8Array, table: SectionTable): ElfSection[] | ElfError {
  const data: (Uint8Array | null)[] = [];
  for (const [index, row] of table.rows.entries()) {
    if (row.sh_type === SHT_NOBITS) {
      data.push(null);
      continue;
    }
    const bad = checkExtent(bytes.length, row.sh_offset, row.sh_size, `section ${index}`, 'its sh_offset or sh_size');
    if (bad) return bad;
    const start = Number(row.sh_offset);
    data.push(bytes.subarray(start, start + Number(row.sh_size)));
  }
  let names: Uint8Array | null = null;
  if (table.shstrndx !== SHN_UNDEF) {
    const row = table.rows[table.shstrndx] as RawSection;
    if (row.sh_type !== SHT_STRTAB) {
      return elfError('bad-string-table', `Section ${table.shstrndx}, named by e_shstrndx as the section-name table, is ${sectionTypeName(row.sh_type)}, not SHT_STRTAB.`);
    }
    names = data[table.shstrndx] ?? null;
  }
  const sections: ElfSection[] = [];
  for (const [index, row] of table.rows.entries()) {
    const name = names ? readString(names, row.sh_name) : '';
    if (name === null) {
      return elfError('bad-string-table', `Section ${index}'s name (sh_name ${row.sh_name}) does not lie, NUL-terminated, inside the section-name table.`);
    }
    sections.push({
      index,
      name,
      nameOffset: row.sh_name,
      type: row.sh_type,
      typeName: sectionTypeName(row.sh_type),
      flags: row.sh_flags,
      addr: row.sh_addr,
      offset: row.sh_offset,
      size: row.sh_size,
      link: row.sh_link,
      info: row.sh_info,
      addralign: row.sh_addralign,
      entsize: row.sh_entsize,
      data: data[index] ?? null,
    });
  }
  return sections;
}
