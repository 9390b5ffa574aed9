// Models: the program header table, the segments an executable asks to be mapped (ELF gABI
// "Program Header"; Linux include/uapi/linux/elf.h Elf64_Phdr, PF_R/PF_W/PF_X).
// Simplifies: segments are located and checked, not mapped; that is the loader's job.

import { PF_R, PF_W, PF_X, PN_XNUM, PT_LOAD, segmentTypeName } from './constants';
import { checkExtent, elfError } from './errors';
import type { RawHeader } from './header';
import { Elf64_Phdr } from './layout';
import { readStruct } from './struct';
import type { RawSection } from './sections';
import type { ElfError, ElfProgramHeader } from './types';

/** Reads the program headers; e_phnum = PN_XNUM takes the count from section 0's sh_info. */
export function readProgramHeaders(bytes: Uint8Array, ehdr: RawHeader, section0: RawSection | undefined): ElfProgramHeader[] | ElfError {
  const count = ehdr.e_phnum === PN_XNUM && section0 ? section0.sh_info : ehdr.e_phnum;
  if (count === 0 || ehdr.e_phoff === 0n) return [];
  if (ehdr.e_phentsize !== Elf64_Phdr.size) {
    return elfError('bad-program-headers', `Program headers are ${ehdr.e_phentsize} bytes each by e_phentsize, but an Elf64_Phdr is ${Elf64_Phdr.size}.`);
  }
  const bad = checkExtent(bytes.length, ehdr.e_phoff, BigInt(count * Elf64_Phdr.size), `the program header table of ${count} entries`, 'e_phoff or e_phnum');
  if (bad) return bad;
  const headers: ElfProgramHeader[] = [];
  for (let index = 0; index < count; index++) {
    const raw = readStruct(Elf64_Phdr, bytes, Number(ehdr.e_phoff) + index * Elf64_Phdr.size);
    const outside = checkExtent(bytes.length, raw.p_offset, raw.p_filesz, `segment ${index}`, 'its p_offset or p_filesz');
    if (outside) return outside;
    if (raw.p_type === PT_LOAD && raw.p_filesz > raw.p_memsz) {
      return elfError('bad-program-headers', `Loadable segment ${index} has more bytes in the file (p_filesz ${raw.p_filesz}) than in memory (p_memsz ${raw.p_memsz}).`);
    }
    const start = Number(raw.p_offset);
    headers.push({
      index,
      type: raw.p_type,
      typeName: segmentTypeName(raw.p_type),
      flags: raw.p_flags,
      readable: (raw.p_flags & PF_R) !== 0,
      writable: (raw.p_flags & PF_W) !== 0,
      executable: (raw.p_flags & PF_X) !== 0,
      offset: raw.p_offset,
      vaddr: raw.p_vaddr,
      paddr: raw.p_paddr,
      filesz: raw.p_filesz,
      memsz: raw.p_memsz,
      align: raw.p_align,
      data: bytes.subarray(start, start + Number(raw.p_filesz)),
    });
  }
  return headers;
}
