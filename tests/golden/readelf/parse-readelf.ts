// Parses the text of `readelf -h -S -s -l -r -W` (GNU binutils 2.40) into values, so that tests
// compare numbers and names, never layout. Used on readelf's golden listings and on ring0's own.

export interface ReadelfSection {
  index: number;
  name: string;
  type: string;
  addr: bigint;
  offset: bigint;
  size: bigint;
  entsize: bigint;
  flags: string;
  link: number;
  info: number;
  align: bigint;
}

export interface ReadelfSegment {
  type: string;
  offset: bigint;
  vaddr: bigint;
  paddr: bigint;
  filesz: bigint;
  memsz: bigint;
  flags: string;
  align: bigint;
}

export interface ReadelfSymbol {
  num: number;
  value: bigint;
  size: bigint;
  type: string;
  bind: string;
  vis: string;
  ndx: string;
  name: string;
}

export interface ReadelfRelocation {
  offset: bigint;
  info: bigint;
  /** R_X86_64_PC32, … or "unrecognized: 2a". */
  type: string;
  /** Null when the row has no symbol (symbol index 0). */
  symbolValue: bigint | null;
  symbolName: string | null;
  /** Signed, from readelf's "+ 1f" / "- 4" (or bare "-4" without a symbol). */
  addend: bigint;
}

export interface ReadelfRelocationSection {
  name: string;
  offset: bigint;
  count: number;
  rows: ReadelfRelocation[];
}

export interface ReadelfText {
  /** "Class" → "ELF64", … (the second "Version" line is stored as "Version (e_version)"). */
  header: Map<string, string>;
  sections: ReadelfSection[];
  segments: ReadelfSegment[];
  /** Per segment, the section names of "Section to Segment mapping". */
  mapping: string[][];
  symtab: { name: string; count: number; symbols: ReadelfSymbol[] } | null;
  relocations: ReadelfRelocationSection[];
  /** readelf said "There are no relocations in this file." */
  noRelocations: boolean;
}

const SECTION = /^ {2}\[ *(\d+)\] (.*?) +(\S+) +([0-9a-f]{16}) ([0-9a-f]{6,}) ([0-9a-f]{6,}) ([0-9a-f]{2,}) +([A-Za-z]*) +(\d+) +(\d+) +(\d+)$/;
const SEGMENT = /^ {2}(\S+) +0x([0-9a-f]+) 0x([0-9a-f]{16}) 0x([0-9a-f]{16}) 0x([0-9a-f]+) 0x([0-9a-f]+) ([R ][W ][E ]) 0x([0-9a-f]+)$/;
const MAPPING = /^ {3}(\d\d) {5}(.*)$/;
const SYMBOL = /^ *(\d+): ([0-9a-f]{16}) +(\d+|0x[0-9a-f]+) (\S+) +(\S+) +(\S+) +(\S+) ?(.*)$/;
const RELOCS = /^Relocation section '(.*)' at offset 0x([0-9a-f]+) contains (\d+) entr(?:y|ies):$/;
const RELOC_SYM = /^([0-9a-f]{16}) {2}([0-9a-f]{16}) (R_\S+|unrecognized: [0-9a-f]+) +([0-9a-f]{16}) (.*) ([+-]) ([0-9a-f]+)$/;
const RELOC_NOSYM = /^([0-9a-f]{16}) {2}([0-9a-f]{16}) (R_\S+|unrecognized: [0-9a-f]+) +(-?)([0-9a-f]+)$/;
const SYMTAB = /^Symbol table '(.*)' contains (\d+) entr(?:y|ies):$/;

export function parseReadelf(text: string): ReadelfText {
  const result: ReadelfText = { header: new Map(), sections: [], segments: [], mapping: [], symtab: null, relocations: [], noRelocations: false };
  let part: 'header' | 'sections' | 'segments' | 'mapping' | 'relocations' | 'symbols' | 'none' = 'none';
  for (const line of text.split('\n')) {
    const relocs = RELOCS.exec(line);
    if (relocs) {
      result.relocations.push({ name: relocs[1] as string, offset: BigInt(`0x${relocs[2]}`), count: Number(relocs[3]), rows: [] });
      part = 'relocations';
    } else if (line === 'There are no relocations in this file.') result.noRelocations = true;
    else if (part === 'relocations') {
      const table = result.relocations[result.relocations.length - 1] as ReadelfRelocationSection;
      const withSymbol = RELOC_SYM.exec(line);
      const without = withSymbol ? null : RELOC_NOSYM.exec(line);
      if (withSymbol) {
        const [, offset, info, type, value, name, sign, addend] = withSymbol as unknown as string[];
        table.rows.push({
          offset: BigInt(`0x${offset}`),
          info: BigInt(`0x${info}`),
          type: type as string,
          symbolValue: BigInt(`0x${value}`),
          symbolName: name as string,
          addend: (sign === '-' ? -1n : 1n) * BigInt(`0x${addend}`),
        });
      } else if (without) {
        const [, offset, info, type, sign, addend] = without as unknown as string[];
        table.rows.push({
          offset: BigInt(`0x${offset}`),
          info: BigInt(`0x${info}`),
          type: (type as string).trim(),
          symbolValue: null,
          symbolName: null,
          addend: (sign === '-' ? -1n : 1n) * BigInt(`0x${addend}`),
        });
      } else if (SYMTAB.test(line)) {
        const [, name, count] = SYMTAB.exec(line) as RegExpExecArray;
        result.symtab = { name: name as string, count: Number(count), symbols: [] };
        part = 'symbols';
      }
    } else if (line === 'ELF Header:') part = 'header';
    else if (line === 'Section Headers:') part = 'sections';
    else if (line === 'Program Headers:') part = 'segments';
    else if (line === ' Section to Segment mapping:') part = 'mapping';
    else if (SYMTAB.test(line)) {
      const [, name, count] = SYMTAB.exec(line) as RegExpExecArray;
      result.symtab = { name: name as string, count: Number(count), symbols: [] };
      part = 'symbols';
    } else if (part === 'header') {
      const m = /^ {2}([^:]+): +(.*)$/.exec(line);
      if (!m) continue;
      const key = m[1] === 'Version' && result.header.has('Version') ? 'Version (e_version)' : (m[1] as string);
      result.header.set(key, (m[2] as string).trim());
    } else if (part === 'sections') {
      const m = SECTION.exec(line);
      if (m) {
        result.sections.push({
          index: Number(m[1]),
          name: m[2] as string,
          type: m[3] as string,
          addr: BigInt(`0x${m[4]}`),
          offset: BigInt(`0x${m[5]}`),
          size: BigInt(`0x${m[6]}`),
          entsize: BigInt(`0x${m[7]}`),
          flags: m[8] as string,
          link: Number(m[9]),
          info: Number(m[10]),
          align: BigInt(m[11] as string),
        });
      }
    } else if (part === 'segments') {
      const m = SEGMENT.exec(line);
      if (m) {
        result.segments.push({
          type: m[1] as string,
          offset: BigInt(`0x${m[2]}`),
          vaddr: BigInt(`0x${m[3]}`),
          paddr: BigInt(`0x${m[4]}`),
          filesz: BigInt(`0x${m[5]}`),
          memsz: BigInt(`0x${m[6]}`),
          flags: (m[7] as string).replace(/ /g, ''),
          align: BigInt(`0x${m[8]}`),
        });
      }
    } else if (part === 'mapping') {
      const m = MAPPING.exec(line);
      if (m) result.mapping.push((m[2] as string).split(' ').filter((s) => s !== ''));
    } else if (part === 'symbols' && result.symtab) {
      const m = SYMBOL.exec(line);
      if (m) {
        result.symtab.symbols.push({
          num: Number(m[1]),
          value: BigInt(`0x${m[2]}`),
          size: BigInt(m[3] as string),
          type: m[4] as string,
          bind: m[5] as string,
          vis: m[6] as string,
          ndx: m[7] as string,
          name: m[8] as string,
        });
      }
    }
  }
  return result;
}
