// Models: reading a whole 4-level page-table tree (Intel SDM Vol. 3A §4.5) the way a debugger's
// page-table dump does (arch/x86/mm/dump_pagetables.c in Linux 6.1): every present leaf entry, with
// the rights the walk gives it (U/S and R/W must be set at every level, XD at any level forbids
// fetches), gathered into runs of consecutive pages with the same rights.
// Simplifies: ignores Accessed, Dirty, Global and memory types; 1 GiB and 2 MiB leaves count as
// their 4 KiB pages; the frames behind the pages are not reported.
import type { PhysicalMemory } from './physical';
import { PTE_P, PTE_PS, PTE_RW, PTE_US, PTE_XD_HI } from './paging';

export interface MappedRange {
  /** The first page's virtual address (canonical, sign-extended). */
  start: bigint;
  pages: number;
  user: boolean;
  writable: boolean;
  executable: boolean;
}

const SPAN = [0n, 1n << 12n, 1n << 21n, 1n << 30n, 1n << 39n]; // bytes one entry covers, by level

/** Every mapped page under the PML4 at physical address `root`, as ascending runs. */
export function scanMappings(mem: PhysicalMemory, root: number): MappedRange[] {
  const out: MappedRange[] = [];
  const visit = (table: number, level: number, base: bigint, user: boolean, writable: boolean, executable: boolean) => {
    for (let i = 0; i < 512; i++) {
      const at = table + i * 8;
      const lo = mem.read32(at);
      if (!(lo & PTE_P)) continue;
      const hi = mem.read32(at + 4);
      const va = base + BigInt(i) * SPAN[level]!;
      const u = user && (lo & PTE_US) !== 0, w = writable && (lo & PTE_RW) !== 0, x = executable && !(hi & PTE_XD_HI);
      if (level === 1 || (level !== 4 && lo & PTE_PS)) add(out, canonical(va), Number(SPAN[level]! >> 12n), u, w, x);
      else visit(((lo & 0xfffff000) >>> 0) + (hi & 0x3fff) * 0x100000000, level - 1, va, u, w, x);
    }
  };
  visit(root, 4, 0n, true, true, true);
  return out;
}

/** Bits 63:48 copy bit 47. */
const canonical = (va: bigint) => (va & (1n << 47n) ? va | 0xffff000000000000n : va);

function add(out: MappedRange[], start: bigint, pages: number, user: boolean, writable: boolean, executable: boolean) {
  const last = out[out.length - 1];
  if (last && last.start + BigInt(last.pages) * 4096n === start && last.user === user && last.writable === writable && last.executable === executable) last.pages += pages;
  else out.push({ start, pages, user, writable, executable });
}
