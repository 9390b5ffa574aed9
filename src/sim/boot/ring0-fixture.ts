// Models: a machine that has just entered 64-bit mode with paging on, about to run the project's
// ring-0 fixture (samples/fixture/ring0.S): CR0.PG/PE/WP, CR4.PAE, EFER.LME/LMA/NXE set, CS 0x10,
// its segments mapped with their ELF permissions. The fixture then sets up GDT, IDT, TSS and MSRs
// itself, in executed instructions.
// Simplifies: the firmware and the 16/32-bit boot path that reach this state are not modelled.
import { readElf, isElfError, type ElfFile, type ElfError } from '../elf';
import { Machine } from '../machine';
import { PageTableBuilder, frameAllocator } from '../mem/page-tables';
import { RDI, RDX, RSI, RSP, type U64 } from '../cpu/state';
import { enterLongMode } from './long-mode';
import { loadSegments } from './load-segments';

/** Options the fixture reads from RSI at _start (see ring0.S). */
export interface FixtureOptions {
  smep?: boolean;
  smap?: boolean;
  badRsp0?: boolean;
  badIst1?: boolean;
  /** Stay in ring 0 and call the user entry (SMEP test) or read `readAddress` (SMAP test). */
  stayInRing0?: boolean;
  /** With stayInRing0: wrap the read in stac/clac. */
  useStac?: boolean;
}

export interface FixtureRun {
  machine: Machine;
  elf: ElfFile;
  /** A symbol's address as register halves. */
  symbol(name: string): U64;
  /** The 64-bit value at a symbol, read through the page tables without side effects. */
  read(name: string): U64 | undefined;
}

const split = (v: bigint): U64 => ({ lo: Number(v & 0xffffffffn), hi: Number((v >> 32n) & 0xffffffffn) });

/** Boots the fixture with RDI = the user entry `entry` (a symbol) and the options in RSI. */
export function bootFixture(bytes: Uint8Array, entry: string, options: FixtureOptions = {}, readSymbol?: string): FixtureRun | ElfError {
  const elf = readElf(bytes);
  if (isElfError(elf)) return elf;
  const m = new Machine({ memoryBytes: 8 << 20 });
  const tables = new PageTableBuilder(m.mem, frameAllocator(0x10000, 0x100000));
  loadSegments(m.mem, tables, elf, frameAllocator(0x200000, 0x800000));
  const symbol = (name: string): U64 => {
    const s = elf.symbols.find((x) => x.name === name);
    if (!s) throw new RangeError(`the fixture has no symbol ${name}`);
    return split(s.value);
  };
  enterLongMode(m, tables.root, { cpl: 0 });
  const s = m.s;
  s.rip = split(elf.header.e_entry);
  m.set64(RSP, symbol('kstack_top'));
  m.set64(RDI, symbol(entry));
  const bits = (options.smep ? 1 : 0) | (options.smap ? 2 : 0) | (options.badRsp0 ? 4 : 0) | (options.badIst1 ? 8 : 0) | (options.stayInRing0 ? 16 : 0) | (options.useStac ? 32 : 0);
  m.set64(RSI, { lo: bits, hi: 0 });
  m.set64(RDX, readSymbol ? symbol(readSymbol) : { lo: 0, hi: 0 });
  return {
    machine: m,
    elf,
    symbol,
    read(name) {
      const at = symbol(name);
      return m.mmu.inspect(at.lo, at.hi);
    },
  };
}
