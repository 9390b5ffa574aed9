// Models: what a loader does with an ET_EXEC file's PT_LOAD segments (ELF gABI "Program Loading";
// Linux fs/binfmt_elf.c load_elf_binary for the idea): copy p_filesz bytes, zero the rest of
// p_memsz, map each page with the segment's permissions (R, W, X from p_flags).
// Simplifies: segments must be page-aligned in memory; the low canonical half is user memory and
// the high half supervisor memory.
import type { ElfFile } from '../elf';
import { PAGE_SIZE, type PhysicalMemory } from '../mem/physical';
import type { PageTableBuilder } from '../mem/page-tables';

export interface LoadedSegment {
  vaddr: bigint;
  memsz: bigint;
  user: boolean;
  writable: boolean;
  executable: boolean;
}

export function loadSegments(mem: PhysicalMemory, tables: PageTableBuilder, elf: ElfFile, allocFrame: () => number): LoadedSegment[] {
  const loaded: LoadedSegment[] = [];
  for (const ph of elf.segmentsToLoad()) {
    const user = ph.vaddr < 0x0000800000000000n;
    const start = ph.vaddr - (ph.vaddr % BigInt(PAGE_SIZE));
    const end = ph.vaddr + ph.memsz;
    for (let page = start; page < end; page += BigInt(PAGE_SIZE)) {
      const frame = allocFrame();
      for (let i = 0; i < PAGE_SIZE; i++) {
        const off = page + BigInt(i) - ph.vaddr;
        if (off >= 0n && off < ph.filesz) mem.write8(frame + i, ph.data[Number(off)]!);
      }
      tables.map(Number(page & 0xffffffffn), Number(page >> 32n), frame, { user, writable: ph.writable, executable: ph.executable });
    }
    loaded.push({ vaddr: ph.vaddr, memsz: ph.memsz, user, writable: ph.writable, executable: ph.executable });
  }
  return loaded;
}
