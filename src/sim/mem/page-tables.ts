// Models: building 4-level page tables in guest memory, as a kernel's early set-up code does
// (Intel SDM Vol. 3A §4.5). Used by fixtures and, later, by the kernel model.
// Simplifies: 4 KiB mappings only; tables come from a simple bump allocator of frames.
import { PAGE_SIZE, type PhysicalMemory } from './physical';
import { PTE_P, PTE_RW, PTE_US, PTE_XD_HI } from './paging';

export interface MapFlags {
  user?: boolean;
  writable?: boolean;
  executable?: boolean;
}

export class PageTableBuilder {
  /** Physical address of the PML4, for CR3. */
  readonly root: number;

  constructor(
    private readonly mem: PhysicalMemory,
    /** Hands out free, zeroed frames (physical addresses) for new tables. */
    private readonly allocFrame: () => number,
  ) {
    this.root = allocFrame();
  }

  /** Maps the 4 KiB page at virtual (lo, hi) to the frame at physical address `frame`. */
  map(lo: number, hi: number, frame: number, flags: MapFlags = {}) {
    const indices = [((hi & 0xffff) >>> 7) & 0x1ff, ((hi & 0x7f) << 2) | (lo >>> 30), (lo >>> 21) & 0x1ff, (lo >>> 12) & 0x1ff];
    // Upper levels allow everything; the leaf entry decides (as Linux does for most mappings).
    const upper = PTE_P | PTE_RW | (flags.user ? PTE_US : 0);
    let table = this.root;
    for (let depth = 0; depth < 3; depth++) {
      const at = table + indices[depth]! * 8;
      let entry = this.mem.read32(at);
      if (!(entry & PTE_P)) {
        const next = this.allocFrame();
        entry = (next | upper) >>> 0;
        this.mem.write32(at, entry);
        this.mem.write32(at + 4, Math.floor(next / 0x100000000));
      } else if (flags.user && !(entry & PTE_US)) {
        this.mem.write32(at, (entry | PTE_US) >>> 0);
      }
      table = ((entry & 0xfffff000) >>> 0) + (this.mem.read32(at + 4) & 0x3fff) * 0x100000000;
    }
    const at = table + indices[3]! * 8;
    this.mem.write32(at, ((frame - (frame % PAGE_SIZE)) | PTE_P | (flags.writable ? PTE_RW : 0) | (flags.user ? PTE_US : 0)) >>> 0);
    this.mem.write32(at + 4, Math.floor(frame / 0x100000000) | (flags.executable === false ? PTE_XD_HI : 0));
  }

  /** Changes a mapped page's write and execute permission, keeping its frame (set_memory_ro/nx). */
  protect(lo: number, hi: number, flags: { writable: boolean; executable: boolean }) {
    const at = this.leaf(lo, hi);
    if (at === undefined) return;
    const entry = this.mem.read32(at);
    this.mem.write32(at, ((entry & ~PTE_RW) | (flags.writable ? PTE_RW : 0)) >>> 0);
    const high = this.mem.read32(at + 4);
    this.mem.write32(at + 4, ((high & ~PTE_XD_HI) | (flags.executable ? 0 : PTE_XD_HI)) >>> 0);
  }

  /** Physical address of the leaf entry for a page, or undefined when a table above is missing. */
  private leaf(lo: number, hi: number): number | undefined {
    const indices = [((hi & 0xffff) >>> 7) & 0x1ff, ((hi & 0x7f) << 2) | (lo >>> 30), (lo >>> 21) & 0x1ff, (lo >>> 12) & 0x1ff];
    let table = this.root;
    for (let depth = 0; depth < 3; depth++) {
      const at = table + indices[depth]! * 8;
      const entry = this.mem.read32(at);
      if (!(entry & PTE_P)) return undefined;
      table = ((entry & 0xfffff000) >>> 0) + (this.mem.read32(at + 4) & 0x3fff) * 0x100000000;
    }
    return table + indices[3]! * 8;
  }

  /** Removes the leaf mapping of a page (the tables above stay). */
  unmap(lo: number, hi: number) {
    const at = this.leaf(lo, hi);
    if (at === undefined) return;
    this.mem.write32(at, 0);
    this.mem.write32(at + 4, 0);
  }
}

/** A bump allocator of zeroed frames from [start, end). */
export function frameAllocator(start: number, end: number): () => number {
  let next = start;
  return () => {
    if (next + PAGE_SIZE > end) throw new RangeError('out of frames for page tables');
    const f = next;
    next += PAGE_SIZE;
    return f;
  };
}
