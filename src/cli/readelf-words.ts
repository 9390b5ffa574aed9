// Models: the words GNU readelf 2.40 prints for ELF constants (binutils/readelf.c:
// get_file_type, get_machine_name, get_section_type_name, get_symbol_type, …).
// Simplifies: the x86-64 and generic values only; rare values print as numbers.

import {
  SHF_EXCLUDE,
  SHF_GNU_MBIND,
  SHF_GNU_RETAIN,
  SHF_MASKOS,
  SHF_MASKPROC,
  SHF_X86_64_LARGE,
  SHN_ABS,
  SHN_COMMON,
  SHN_LORESERVE,
  SHN_UNDEF,
  STT_SECTION,
  type ElfSection,
  type ElfSymbol,
} from '../sim/elf/index';

const FILE_TYPES: Record<string, string> = {
  ET_NONE: 'NONE (None)',
  ET_REL: 'REL (Relocatable file)',
  ET_EXEC: 'EXEC (Executable file)',
  ET_DYN: 'DYN (Shared object file)',
  ET_CORE: 'CORE (Core file)',
};
const MACHINES: Record<number, string> = { 0: 'None', 3: 'Intel 80386', 62: 'Advanced Micro Devices X86-64', 183: 'AArch64' };
const OSABIS: Record<number, string> = { 0: 'UNIX - System V', 3: 'UNIX - GNU' };
const SECTION_TYPES: Record<string, string> = {
  SHT_GNU_verdef: 'VERDEF',
  SHT_GNU_verneed: 'VERNEED',
  SHT_GNU_versym: 'VERSYM',
  SHT_SYMTAB_SHNDX: 'SYMTAB SECTION INDICES',
};
const SYMBOL_TYPES: Record<string, string> = { STT_GNU_IFUNC: 'IFUNC' };

export const fileTypeWords = (typeName: string, e_type: number): string => FILE_TYPES[typeName] ?? `<unknown>: ${e_type.toString(16)}`;
export const machineWords = (e_machine: number): string => MACHINES[e_machine] ?? `<unknown>: 0x${e_machine.toString(16)}`;
export const osabiWords = (osabi: number): string => OSABIS[osabi] ?? `<unknown: ${osabi.toString(16)}>`;

/** Drops the prefix of a constant's name: SHT_PROGBITS → PROGBITS. Unknown values stay numeric. */
function bare(name: string, prefix: string): string {
  const rest = name.slice(prefix.length);
  return rest.startsWith('0x') ? rest.slice(2).padStart(8, '0') : rest;
}

export const sectionTypeWords = (s: ElfSection): string => SECTION_TYPES[s.typeName] ?? bare(s.typeName, 'SHT_');
export const segmentTypeWords = (typeName: string): string => bare(typeName, 'PT_');
export const symbolTypeWords = (typeName: string, type: number): string =>
  SYMBOL_TYPES[typeName] ?? (typeName.startsWith('STT_0x') ? `<unknown>: ${type}` : bare(typeName, 'STT_'));
export const symbolBindWords = (bindName: string, bind: number): string =>
  bindName === 'STB_GNU_UNIQUE' ? 'UNIQUE' : bindName.startsWith('STB_0x') ? `<unknown>: ${bind}` : bare(bindName, 'STB_');
export const visibilityWords = (visibilityName: string): string => bare(visibilityName, 'STV_');

const FLAG_LETTERS: Record<string, string> = {
  '1': 'W', '2': 'A', '4': 'X', '16': 'M', '32': 'S', '64': 'I', '128': 'L', '256': 'O', '512': 'G', '1024': 'T', '2048': 'C',
};

/** readelf's flag letters, lowest bit first (W A X M S I L O G T C …; x86-64's large is l). */
export function sectionFlagLetters(flags: bigint): string {
  let rest = flags;
  let letters = '';
  while (rest !== 0n) {
    const bit = rest & -rest;
    rest &= ~bit;
    const known = FLAG_LETTERS[bit.toString()];
    if (known) letters += known;
    else if (bit === SHF_EXCLUDE) letters += 'E';
    else if (bit === SHF_GNU_RETAIN) letters += 'R';
    else if (bit === SHF_GNU_MBIND) letters += 'D';
    else if (bit === SHF_X86_64_LARGE) letters += 'l';
    else if ((bit & SHF_MASKOS) !== 0n) letters += 'o';
    else if ((bit & SHF_MASKPROC) !== 0n) letters += 'p';
    else letters += 'x';
  }
  return letters;
}

export function symbolIndexWords(shndx: number): string {
  if (shndx === SHN_UNDEF) return 'UND';
  if (shndx === SHN_ABS) return 'ABS';
  if (shndx === SHN_COMMON) return 'COM';
  if (shndx >= SHN_LORESERVE) return `RSV[0x${shndx.toString(16).padStart(4, '0')}]`;
  return String(shndx);
}

/** readelf shows a section symbol without a name by its section's name. */
export function symbolDisplayName(sym: ElfSymbol, sections: readonly ElfSection[]): string {
  if (sym.type === STT_SECTION && sym.nameOffset === 0) return sections[sym.shndx]?.name ?? '';
  return sym.name;
}
