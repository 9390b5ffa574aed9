// Models: reading an ELF64 object end to end — header, section table and names, .symtab,
// program headers — with every offset and size checked against the file (ELF gABI ch. 4–5).
// Simplifies: the first damage found ends the read; relocations and the module sections are
// further readers over the result (relocations.ts, modinfo.ts, …), which keeps this one small.

import { elfTypeName, machineName, osabiName } from './constants';
import { elfError, isElfError } from './errors';
import { functionsOf, symbolsInSection } from './functions';
import { readHeader } from './header';
import { readProgramHeaders } from './program-headers';
import { buildSections, readSectionTable } from './sections';
import { segmentsToLoad } from './segments';
import { readSymbols } from './symbols';
import type { ElfError, ElfFile, ElfHeader } from './types';

/**
 * Parses an ELF64 little-endian object (ET_REL, ET_EXEC, …). Never throws: anything that is not
 * a well-formed file gives an ElfError naming the problem. The result's data views share the
 * caller's buffer.
 */
export function readElf(bytes: Uint8Array): ElfFile | ElfError {
  try {
    return parse(bytes);
  } catch (e) {
    return elfError('internal', `The ELF reader failed unexpectedly (${e instanceof Error ? e.message : String(e)}); this is a bug in Ring Zero.`);
  }
}

function parse(bytes: Uint8Array): ElfFile | ElfError {
  const head = readHeader(bytes);
  if (isElfError(head)) return head;
  const { ehdr, ident } = head;
  const table = readSectionTable(bytes, ehdr);
  if (isElfError(table)) return table;
  const sections = buildSections(bytes, table);
  if (isElfError(sections)) return sections;
  const symtab = readSymbols(sections);
  if (isElfError(symtab)) return symtab;
  const programHeaders = readProgramHeaders(bytes, ehdr, table.rows[0]);
  if (isElfError(programHeaders)) return programHeaders;

  const header: ElfHeader = {
    ident: { class: ident.ei_class, data: ident.ei_data, version: ident.ei_version, osabi: ident.ei_osabi, abiversion: ident.ei_abiversion },
    osabiName: osabiName(ident.ei_osabi),
    e_type: ehdr.e_type,
    typeName: elfTypeName(ehdr.e_type),
    e_machine: ehdr.e_machine,
    machineName: machineName(ehdr.e_machine),
    e_version: ehdr.e_version,
    e_entry: ehdr.e_entry,
    e_phoff: ehdr.e_phoff,
    e_shoff: ehdr.e_shoff,
    e_flags: ehdr.e_flags,
    e_ehsize: ehdr.e_ehsize,
    e_phentsize: ehdr.e_phentsize,
    e_phnum: ehdr.e_phnum,
    e_shentsize: ehdr.e_shentsize,
    e_shnum: ehdr.e_shnum,
    e_shstrndx: ehdr.e_shstrndx,
    sectionCount: sections.length,
    programHeaderCount: programHeaders.length,
    sectionNameTableIndex: table.shstrndx,
  };
  const { symbols, symtabIndex } = symtab;
  return {
    kind: 'elf',
    bytes,
    header,
    sections,
    symbols,
    symtabIndex,
    programHeaders,
    sectionByName: (name) => sections.find((s) => s.name === name),
    symbolsInSection: (index) => symbolsInSection(symbols, index),
    functionsOf: (section) => functionsOf(symbols, ehdr.e_type, section),
    segmentsToLoad: () => segmentsToLoad(programHeaders),
  };
}
