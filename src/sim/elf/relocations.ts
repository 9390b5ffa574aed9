// Models: SHT_RELA relocation tables (ELF gABI "Relocation"; Elf64_Rela, ELF64_R_SYM and
// ELF64_R_TYPE of Linux include/uapi/linux/elf.h); 6.1 kernel/module/main.c apply_relocations reads them.
// Simplifies: SHT_REL is not read (x86-64 modules never carry it and 6.1 refuses it); r_offset is
// not checked against the target section here, since 6.1 does not check it either.

import { SHT_RELA } from './constants';
import { elfError } from './errors';
import { Elf64_Rela } from './layout';
import { readStruct } from './struct';
import type { ElfError, ElfFile, ElfSection, ElfSymbol } from './types';
import { relocationTypeName } from './x86-64-relocations';

/** One Elf64_Rela row. */
export interface ElfRelocation {
  /** Row number within its section. */
  readonly index: number;
  /** r_offset: where to patch, as an offset in the target section (ET_REL) or an address. */
  readonly offset: bigint;
  /** r_info as stored: symbol index in the high 32 bits, type in the low 32. */
  readonly info: bigint;
  /** ELF64_R_TYPE(r_info). */
  readonly type: number;
  /** R_X86_64_PC32, …; an unnamed type is R_X86_64_<decimal number>. */
  readonly typeName: string;
  /** ELF64_R_SYM(r_info): an index in the table sh_link names. */
  readonly symbolIndex: number;
  /** That symbol; null for index 0 (no symbol, S = 0). */
  readonly symbol: ElfSymbol | null;
  /** r_addend, signed: -4 for a call's PC32 / PLT32. */
  readonly addend: bigint;
}

/** One SHT_RELA section with its rows, the section it patches and the symbols it uses. */
export interface ElfRelocationSection {
  /** The SHT_RELA section itself (.rela.text, …). */
  readonly section: ElfSection;
  /** sh_info: the section the rows patch (section 0 when sh_info is 0, as in dynamic tables). */
  readonly target: ElfSection;
  /** sh_link: the symbol table (the file's .symtab), or null when sh_link is 0. */
  readonly symbolTable: ElfSection | null;
  readonly relocations: readonly ElfRelocation[];
}

/**
 * Reads every SHT_RELA section of `elf`, in section order. Every symbol index is checked against
 * the symbol table; the row count comes from a section whose bytes already lie inside the file,
 * so nothing larger than the file is ever allocated.
 */
export function readRelocations(elf: ElfFile): ElfRelocationSection[] | ElfError {
  const result: ElfRelocationSection[] = [];
  for (const section of elf.sections) {
    if (section.type !== SHT_RELA) continue;
    const read = readRelocationSection(elf, section);
    if (read.kind === 'elf-error') return read;
    result.push(read.value);
  }
  return result;
}

function readRelocationSection(elf: ElfFile, section: ElfSection): { kind: 'ok'; value: ElfRelocationSection } | ElfError {
  const where = `Relocation section ${section.index} (${section.name || 'unnamed'})`;
  const bad = (message: string): ElfError => elfError('bad-relocations', `${where} ${message}`);
  const size = BigInt(Elf64_Rela.size);
  if (section.entsize !== size) return bad(`has entries of ${section.entsize} bytes by sh_entsize, but an Elf64_Rela is ${size}.`);
  if (section.size % size !== 0n) return bad(`is ${section.size} bytes long, not a whole number of ${size}-byte entries.`);
  const target = elf.sections[section.info];
  if (!target) return bad(`patches section ${section.info} (sh_info), but there are only ${elf.sections.length} sections.`);
  let symbolTable: ElfSection | null = null;
  if (section.link !== 0) {
    if (section.link !== elf.symtabIndex) {
      return bad(`names section ${section.link} as its symbol table (sh_link), which is not the file's .symtab (${elf.symtabIndex ?? 'none'}).`);
    }
    symbolTable = elf.sections[section.link] ?? null;
  }
  const symbolCount = symbolTable ? elf.symbols.length : 1;
  const table = section.data as Uint8Array; // SHT_RELA is never NOBITS, so its bytes were located
  const relocations: ElfRelocation[] = [];
  for (let index = 0; (index + 1) * Elf64_Rela.size <= table.length; index++) {
    const raw = readStruct(Elf64_Rela, table, index * Elf64_Rela.size);
    const type = Number(raw.r_info & 0xffff_ffffn);
    const symbolIndex = Number(raw.r_info >> 32n);
    if (symbolIndex >= symbolCount) {
      return bad(
        `row ${index} uses symbol ${symbolIndex}, but ` +
          (symbolTable ? `${symbolTable.name || 'its symbol table'} has ${elf.symbols.length} entries.` : 'the section names no symbol table (sh_link 0).'),
      );
    }
    relocations.push({
      index,
      offset: raw.r_offset,
      info: raw.r_info,
      type,
      typeName: relocationTypeName(type),
      symbolIndex,
      symbol: symbolIndex === 0 ? null : (elf.symbols[symbolIndex] ?? null),
      addend: raw.r_addend,
    });
  }
  return { kind: 'ok', value: { section, target, symbolTable, relocations } };
}
