// Models: how a disassembler splits a section into functions by its symbols (ELF gABI "Symbol
// Values": section offsets in ET_REL, virtual addresses otherwise), as objdump -d does.
// Simplifies: blocks are FUNC symbols; failing those, named NOTYPE labels (hand-written
// assembly); failing those (a stripped file), the whole section as one block.

import { ET_REL, SHT_NOBITS, STB_GLOBAL, STB_WEAK, STT_FUNC, STT_GNU_IFUNC, STT_NOTYPE } from './constants';
import type { ElfFunction, ElfSection, ElfSymbol } from './types';

export function symbolsInSection(symbols: readonly ElfSymbol[], index: number): ElfSymbol[] {
  return symbols
    .filter((s) => s.index !== 0 && s.shndx === index && s.shndxName === null)
    .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.index - b.index));
}

/** objdump names a shared address after its global symbol before a weak one before a local one. */
function rank(s: ElfSymbol): number {
  return s.bind === STB_GLOBAL ? 0 : s.bind === STB_WEAK ? 1 : 2;
}

export function functionsOf(symbols: readonly ElfSymbol[], elfType: number, section: ElfSection): ElfFunction[] {
  const length = section.type === SHT_NOBITS ? 0 : Number(section.size);
  const bytes = section.data ?? new Uint8Array(0);
  const inSection = symbolsInSection(symbols, section.index);
  let chosen = inSection.filter((s) => s.type === STT_FUNC || s.type === STT_GNU_IFUNC);
  if (chosen.length === 0) chosen = inSection.filter((s) => s.type === STT_NOTYPE && s.name !== '');
  // Where a symbol starts, as an offset in the section.
  const startOf = (s: ElfSymbol): bigint => (elfType === ET_REL ? s.value : s.value - section.addr);
  chosen = chosen.filter((s) => startOf(s) >= 0n && startOf(s) < BigInt(length));
  if (chosen.length === 0) {
    if (length === 0) return [];
    return [{ name: section.name, aliases: [], symbol: null, address: section.addr, sectionOffset: 0, size: length, bytes }];
  }
  const groups = new Map<number, ElfSymbol[]>();
  for (const s of chosen) {
    const at = Number(startOf(s));
    groups.set(at, [...(groups.get(at) ?? []), s]);
  }
  const starts = [...groups.keys()].sort((a, b) => a - b);
  return starts.map((start, i) => {
    const group = (groups.get(start) as ElfSymbol[]).slice().sort((a, b) => rank(a) - rank(b) || a.index - b.index);
    const main = group[0] as ElfSymbol;
    const next = starts[i + 1] ?? length;
    const declared = group.reduce((max, s) => (s.size > max ? s.size : max), 0n);
    const size = declared > 0n ? Math.min(Number(declared > BigInt(length) ? BigInt(length) : declared), length - start) : next - start;
    return {
      name: main.name,
      aliases: group.slice(1).map((s) => s.name),
      symbol: main,
      address: section.addr + BigInt(start),
      sectionOffset: start,
      size,
      bytes: bytes.subarray(start, start + size),
    };
  });
}
