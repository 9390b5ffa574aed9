// Models: a user program's address space as execve leaves it (Linux fs/binfmt_elf.c, for the
// idea): its PT_LOAD segments mapped with their permissions, a user stack, ring 3 at e_entry.
// Simplifies: there is no kernel behind it yet — no GDT, IDT or syscall entry — so a system call
// or fault ends the run (the kernel arrives with issue 5). Used by benchmarks and unit tests.
import { readElf, isElfError, type ElfError } from '../elf';
import { Machine } from '../machine';
import { PageTableBuilder, frameAllocator } from '../mem/page-tables';
import { RSP } from '../cpu/state';
import { enterLongMode } from './long-mode';
import { loadSegments } from './load-segments';

const STACK_TOP = 0x7ffffff000;
const STACK_PAGES = 4;

export function bootBareUserProgram(bytes: Uint8Array): Machine | ElfError {
  const elf = readElf(bytes);
  if (isElfError(elf)) return elf;
  const m = new Machine({ memoryBytes: 4 << 20 });
  const tables = new PageTableBuilder(m.mem, frameAllocator(0x10000, 0x100000));
  const frames = frameAllocator(0x100000, 0x400000);
  loadSegments(m.mem, tables, elf, frames);
  for (let i = 1; i <= STACK_PAGES; i++) {
    const page = STACK_TOP - i * 4096;
    tables.map(page % 0x100000000, Math.floor(page / 0x100000000), frames(), { user: true, writable: true, executable: false });
  }
  enterLongMode(m, tables.root, { cpl: 3 });
  const s = m.s;
  s.rflags = 0x202;
  s.rip = { lo: Number(elf.header.e_entry & 0xffffffffn), hi: Number(elf.header.e_entry >> 32n) };
  m.set64(RSP, { lo: STACK_TOP % 0x100000000, hi: Math.floor(STACK_TOP / 0x100000000) });
  return m;
}
