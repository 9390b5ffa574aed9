// Models: which segments a loader maps, and which sections each segment holds (ELF gABI
// "Program Loading"; the section-in-segment rule of GNU binutils include/elf/internal.h,
// ELF_SECTION_IN_SEGMENT_STRICT, which readelf -l prints as "Section to Segment mapping").
// Simplifies: unsigned 64-bit arithmetic of the C macro is reproduced with BigInt.asUintN.

import {
  PT_DYNAMIC,
  PT_GNU_EH_FRAME,
  PT_GNU_RELRO,
  PT_GNU_SFRAME,
  PT_GNU_STACK,
  PT_LOAD,
  PT_NOTE,
  PT_PHDR,
  PT_TLS,
  SHF_ALLOC,
  SHF_TLS,
  SHT_NOBITS,
} from './constants';
import type { ElfProgramHeader, ElfSection } from './types';

export function segmentsToLoad(headers: readonly ElfProgramHeader[]): ElfProgramHeader[] {
  return headers.filter((h) => h.type === PT_LOAD);
}

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const PT_GNU_MBIND_LO = 0x6474e555;
const PT_GNU_MBIND_HI = PT_GNU_MBIND_LO + 4095;

/** ELF_SECTION_IN_SEGMENT_STRICT (check_vma and strict both on). */
export function sectionInSegment(sec: ElfSection, seg: ElfProgramHeader): boolean {
  const tls = (sec.flags & SHF_TLS) !== 0n;
  const alloc = (sec.flags & SHF_ALLOC) !== 0n;
  const nobits = sec.type === SHT_NOBITS;
  const tbssSpecial = tls && nobits && seg.type !== PT_TLS;
  const size = tbssSpecial ? 0n : sec.size;
  const t = seg.type;
  const typeOk = (tls && (t === PT_TLS || t === PT_GNU_RELRO || t === PT_LOAD)) || (!tls && t !== PT_TLS && t !== PT_PHDR);
  const allocOnly =
    t === PT_LOAD || t === PT_DYNAMIC || t === PT_GNU_EH_FRAME || t === PT_GNU_STACK || t === PT_GNU_RELRO ||
    t === PT_GNU_SFRAME || (t >= PT_GNU_MBIND_LO && t <= PT_GNU_MBIND_HI);
  const fileOk =
    nobits ||
    (sec.offset >= seg.offset &&
      u64(sec.offset - seg.offset) <= u64(seg.filesz - 1n) &&
      u64(sec.offset - seg.offset + size) <= seg.filesz);
  const vmaOk =
    !alloc ||
    (sec.addr >= seg.vaddr && u64(sec.addr - seg.vaddr) <= u64(seg.memsz - 1n) && u64(sec.addr - seg.vaddr + size) <= seg.memsz);
  const edgeOk =
    (t !== PT_DYNAMIC && t !== PT_NOTE) ||
    sec.size !== 0n ||
    seg.memsz === 0n ||
    ((nobits || (sec.offset > seg.offset && sec.offset - seg.offset < seg.filesz)) &&
      (!alloc || (sec.addr > seg.vaddr && sec.addr - seg.vaddr < seg.memsz)));
  return typeOk && !(!alloc && allocOnly) && fileOk && vmaOk && edgeOk;
}

/** The sections (index 0 left out) that a segment holds, in section order. */
export function sectionsInSegment(sections: readonly ElfSection[], seg: ElfProgramHeader): ElfSection[] {
  const tbssSpecial = (s: ElfSection): boolean => (s.flags & SHF_TLS) !== 0n && s.type === SHT_NOBITS && seg.type !== PT_TLS;
  return sections.filter((s) => s.index !== 0 && !tbssSpecial(s) && sectionInSegment(s, seg));
}
