// Models: the listing of `objdump -d -M intel` (GNU binutils 2.40, binutils/objdump.c
// disassemble_bytes): per executable section, per function, address, up to 7 bytes a line, text.
// Simplifies: targets are named after the nearest preceding symbol (in ET_REL, of the same
// section), not by all of objdump's rules; undecodable bytes show as (bad).

import { decode } from '../sim/cpu/decode';
import { formatIntel, type Symbolizer } from '../sim/cpu/disasm';
import { ET_REL, SHF_EXECINSTR, splitU64, STB_LOCAL, STT_FILE, STT_FUNC, STT_OBJECT, STT_SECTION, type ElfFile, type ElfSection, type ElfSymbol } from '../sim/elf/index';
import { hexPad } from './format';

const BYTES_PER_LINE = 7;

export function objdumpListing(elf: ElfFile, fileName: string): string[] {
  const lines = ['', `${fileName}:     file format elf64-x86-64`, ''];
  for (const section of elf.sections) {
    if ((section.flags & SHF_EXECINSTR) === 0n || !section.data || section.data.length === 0) continue;
    lines.push('', `Disassembly of section ${section.name}:`);
    lines.push(...sectionListing(elf, section, section.data));
  }
  return lines;
}

function sectionListing(elf: ElfFile, section: ElfSection, data: Uint8Array): string[] {
  const lines: string[] = [];
  const functions = elf.functionsOf(section);
  // Bytes before the first symbol are listed under the section's name, as objdump does.
  const first = functions[0]?.sectionOffset ?? 0;
  if (first > 0) functions.unshift({ name: section.name, aliases: [], symbol: null, address: section.addr, sectionOffset: 0, size: first, bytes: data.subarray(0, first) });
  const width = addressWidth(section.addr + BigInt(data.length));
  const label = labeller(elf, section);
  functions.forEach((fn, i) => {
    // Like objdump, a function runs on to the next one, so padding between them is shown too.
    const end = functions[i + 1]?.sectionOffset ?? data.length;
    lines.push('', `${hexPad(fn.address, 16)} <${fn.name}>:`);
    let at = fn.sectionOffset;
    while (at < end) {
      const address = section.addr + BigInt(at);
      const { lo, hi } = splitU64(address);
      const result = decode(data, at, lo, hi);
      let length: number;
      let text: string;
      if (result.ok) {
        length = result.insn.length;
        text = formatIntel(result.insn, label);
      } else {
        const failure = result.failure;
        length = failure.kind === 'truncated' ? data.length - at : failure.kind === 'invalid' ? 1 : Math.max(1, failure.length);
        text = failure.kind === 'unmodelled' ? `(not modelled: ${failure.reason})` : '(bad)';
      }
      length = Math.max(1, Math.min(length, data.length - at));
      lines.push(...instructionLines(data.subarray(at, at + length), address, width, text));
      at += length;
    }
  });
  return lines;
}

/** objdump drops leading zeros of the addresses, keeping a multiple of 4 digits that fits the section's end. */
function addressWidth(end: bigint): number {
  const digits = hexPad(end, 16);
  let zeros = 0;
  while (digits[zeros] === '0') zeros++;
  if (zeros === 16) return 16;
  return 16 - (zeros === 0 ? 0 : (zeros - 1) & -4);
}

function instructionLines(bytes: Uint8Array, address: bigint, width: number, text: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += BYTES_PER_LINE) {
    const chunk = Array.from(bytes.subarray(i, i + BYTES_PER_LINE), (b) => `${hexPad(b, 2)} `).join('');
    const at = hexPad(address + BigInt(i), width).replace(/^0+(?=.)/, (z) => ' '.repeat(z.length));
    lines.push(i === 0 ? `${at}:\t${chunk.padEnd(BYTES_PER_LINE * 3)}\t${text}` : `${at}:\t${chunk}`);
  }
  return lines;
}

/** objdump's order among symbols at one address (compare_symbols): functions, objects, globals, then by name. */
function before(a: ElfSymbol, b: ElfSymbol): boolean {
  const kind = (s: ElfSymbol): number => (s.type === STT_FUNC ? 0 : s.type === STT_OBJECT ? 1 : 2);
  if (kind(a) !== kind(b)) return kind(a) < kind(b);
  if ((a.bind === STB_LOCAL) !== (b.bind === STB_LOCAL)) return b.bind === STB_LOCAL;
  if (a.name.startsWith('.') !== b.name.startsWith('.')) return b.name.startsWith('.');
  return a.name < b.name;
}

/**
 * Names an address (as objdump's `<symbol+0xoffset>`) after the nearest symbol at or below it.
 * In an ET_REL file every section starts at 0, so, like objdump, a target inside the section is
 * named from that section's symbols, and one outside it from any section's.
 */
function labeller(elf: ElfFile, section: ElfSection): Symbolizer {
  const named = (s: ElfSymbol): boolean => s.name !== '' && s.type !== STT_SECTION && s.type !== STT_FILE && s.shndxName === null;
  const all = elf.symbols.filter(named);
  const relocatable = elf.header.e_type === ET_REL;
  const own = relocatable ? all.filter((s) => s.shndx === section.index) : all;
  const start = section.addr;
  const end = section.addr + section.size;
  return (lo, hi) => {
    const address = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    const candidates = relocatable && (address < start || address >= end) ? all : own;
    let best: ElfSymbol | undefined;
    for (const s of candidates) {
      if (s.value > address) continue;
      if (!best || s.value > best.value || (s.value === best.value && before(s, best))) best = s;
    }
    if (!best) return undefined;
    const offset = address - best.value;
    return offset === 0n ? best.name : `${best.name}+0x${offset.toString(16)}`;
  };
}
