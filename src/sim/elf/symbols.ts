// Models: the symbol table .symtab and its string table (ELF gABI "Symbol Table"; Linux
// include/uapi/linux/elf.h Elf64_Sym, ELF64_ST_BIND, ELF64_ST_TYPE, ELF64_ST_VISIBILITY).
// Simplifies: only the first SHT_SYMTAB is read (the gABI allows one); .dynsym and
// SHT_SYMTAB_SHNDX (indexes beyond 0xff00 sections) are not read.

import {
  SHN_LORESERVE,
  SHT_STRTAB,
  SHT_SYMTAB,
  sectionTypeName,
  specialSectionName,
  symbolBindName,
  symbolTypeName,
  visibilityName,
} from './constants';
import { elfError, readString } from './errors';
import { Elf64_Sym } from './layout';
import { readStruct } from './struct';
import type { ElfError, ElfSection, ElfSymbol } from './types';

export interface SymbolTable {
  readonly symbols: readonly ElfSymbol[];
  readonly symtabIndex: number | null;
}

export function readSymbols(sections: readonly ElfSection[]): SymbolTable | ElfError {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return { symbols: [], symtabIndex: null };
  const where = `The symbol table (section ${symtab.index}, ${symtab.name || 'unnamed'})`;
  if (symtab.entsize !== BigInt(Elf64_Sym.size)) {
    return elfError('bad-symbol-table', `${where} has entries of ${symtab.entsize} bytes by sh_entsize, but an Elf64_Sym is ${Elf64_Sym.size}.`);
  }
  if (symtab.size % BigInt(Elf64_Sym.size) !== 0n) {
    return elfError('bad-symbol-table', `${where} is ${symtab.size} bytes long, not a whole number of ${Elf64_Sym.size}-byte entries.`);
  }
  const strtab = sections[symtab.link];
  if (symtab.link === 0 || !strtab) {
    return elfError('bad-symbol-table', `${where} names section ${symtab.link} as its string table (sh_link), which does not exist.`);
  }
  if (strtab.type !== SHT_STRTAB || !strtab.data) {
    return elfError('bad-string-table', `${where} names section ${strtab.index} as its string table, but that is ${sectionTypeName(strtab.type)}, not SHT_STRTAB.`);
  }
  const table = symtab.data as Uint8Array; // SHT_SYMTAB is never NOBITS, so its bytes were located
  const symbols: ElfSymbol[] = [];
  for (let index = 0; index * Elf64_Sym.size < table.length; index++) {
    const raw = readStruct(Elf64_Sym, table, index * Elf64_Sym.size);
    const name = readString(strtab.data, raw.st_name);
    if (name === null) {
      return elfError('bad-string-table', `Symbol ${index}'s name (st_name ${raw.st_name}) does not lie, NUL-terminated, inside ${strtab.name || 'its string table'}.`);
    }
    if (raw.st_shndx < SHN_LORESERVE && raw.st_shndx >= sections.length) {
      return elfError('bad-symbol-table', `Symbol ${index} (${name || 'unnamed'}) is defined in section ${raw.st_shndx}, but there are only ${sections.length} sections.`);
    }
    const type = raw.st_info & 0xf;
    const bind = raw.st_info >> 4;
    const visibility = raw.st_other & 0x3;
    symbols.push({
      index,
      name,
      nameOffset: raw.st_name,
      value: raw.st_value,
      size: raw.st_size,
      type,
      typeName: symbolTypeName(type),
      bind,
      bindName: symbolBindName(bind),
      visibility,
      visibilityName: visibilityName(visibility),
      shndx: raw.st_shndx,
      shndxName: specialSectionName(raw.st_shndx),
    });
  }
  return { symbols, symtabIndex: symtab.index };
}
