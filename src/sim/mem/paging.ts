// Models: 4-level paging in IA-32e mode (Intel SDM Vol. 3A §4.5), its access rights (§4.6: U/S,
// R/W with CR0.WP, XD with EFER.NXE, SMEP, SMAP with RFLAGS.AC) and the page-fault error code
// (§4.7), setting Accessed and Dirty bits as the walk does.
// Simplifies: no PCIDs, protection keys, 5-level paging or memory types; reserved-bit checks cover
// only bits above the modelled physical width (MAXPHYADDR 46).
import { PAGE_SIZE, type PhysicalMemory } from './physical';

export const PTE_P = 1 << 0;
export const PTE_RW = 1 << 1;
export const PTE_US = 1 << 2;
export const PTE_A = 1 << 5;
export const PTE_D = 1 << 6;
export const PTE_PS = 1 << 7;
export const PTE_G = 1 << 8;
/** XD is bit 63: bit 31 of the entry's high half. */
export const PTE_XD_HI = 0x80000000;
/** Bits 51:46 of an entry are reserved with MAXPHYADDR 46 (bits 19:14 of the high half). */
const RESERVED_HI = 0x000fc000;

/** Page-fault error code bits (SDM §4.7). */
export const PF_P = 1, PF_W = 2, PF_U = 4, PF_RSVD = 8, PF_I = 16;

export type AccessKind = 'read' | 'write' | 'fetch';

export interface PagingControl {
  cr3: number; // physical address of the PML4 (a JS number: RAM is far below 2^53)
  wp: boolean; // CR0.WP
  nxe: boolean; // EFER.NXE
  smep: boolean; // CR4.SMEP
  smap: boolean; // CR4.SMAP
}

/** One level of a walk, for pictures of it. */
export interface WalkStep {
  level: 4 | 3 | 2 | 1;
  entryAddress: number;
  entryLo: number;
  entryHi: number;
}

export interface Translation {
  ok: true;
  /** Physical address of the first byte of the 4 KiB frame that holds the address. */
  frame: number;
  user: boolean;
  writable: boolean;
  executable: boolean;
  dirty: boolean;
  global: boolean;
  steps: WalkStep[];
}

export interface PageFault {
  ok: false;
  errorCode: number;
  steps: WalkStep[];
  reason: string;
}

/** Physical address in an entry: bits 45:12 (MAXPHYADDR 46). */
const frameOf = (lo: number, hi: number) => ((lo & 0xfffff000) >>> 0) + (hi & 0x3fff) * 0x100000000;

const LEVEL_NAMES = { 4: 'PML4', 3: 'PDPT', 2: 'page directory', 1: 'page table' } as const;

/**
 * Walks the page tables for virtual address (lo, hi). `user` is a CPL-3 access; `supervisorRule`
 * says whether SMAP applies (a supervisor data access with RFLAGS.AC clear, or an implicit one).
 */
export function walk(
  mem: PhysicalMemory,
  ctl: PagingControl,
  lo: number,
  hi: number,
  access: AccessKind,
  user: boolean,
  smapApplies: boolean,
  /** False for a debugger's look: no Accessed/Dirty bits are set. */
  update = true,
): Translation | PageFault {
  const steps: WalkStep[] = [];
  const idCode = access === 'fetch' && (ctl.nxe || ctl.smep) ? PF_I : 0;
  const baseCode = (access === 'write' ? PF_W : 0) | (user ? PF_U : 0) | idCode;
  // Index bits: 47:39, 38:30, 29:21, 20:12.
  const indices = [((hi & 0xffff) >>> 7) & 0x1ff, ((hi & 0x7f) << 2) | (lo >>> 30), (lo >>> 21) & 0x1ff, (lo >>> 12) & 0x1ff];
  let table = ctl.cr3 - (ctl.cr3 % PAGE_SIZE);
  let userOk = true, writeOk = true, execOk = true;
  for (let depth = 0; depth < 4; depth++) {
    const level = (4 - depth) as 4 | 3 | 2 | 1;
    const entryAddress = table + indices[depth]! * 8;
    let entryLo = mem.read32(entryAddress);
    const entryHi = mem.read32(entryAddress + 4);
    steps.push({ level, entryAddress, entryLo, entryHi });
    if (!(entryLo & PTE_P)) return { ok: false, errorCode: baseCode, steps, reason: `the ${LEVEL_NAMES[level]} entry is not present` };
    const large = level !== 1 && level !== 4 && (entryLo & PTE_PS) !== 0;
    if ((entryHi & RESERVED_HI) || (!ctl.nxe && entryHi & PTE_XD_HI) || (level === 4 && entryLo & PTE_PS))
      return { ok: false, errorCode: baseCode | PF_P | PF_RSVD, steps, reason: `the ${LEVEL_NAMES[level]} entry sets a reserved bit` };
    userOk &&= (entryLo & PTE_US) !== 0;
    writeOk &&= (entryLo & PTE_RW) !== 0;
    execOk &&= !(ctl.nxe && entryHi & PTE_XD_HI);
    if (update && !(entryLo & PTE_A)) mem.write32(entryAddress, (entryLo |= PTE_A));
    if (large || level === 1) {
      const denied = deny(access, user, userOk, writeOk, execOk, ctl, smapApplies);
      if (denied) return { ok: false, errorCode: baseCode | PF_P, steps, reason: denied };
      if (update && access === 'write' && !(entryLo & PTE_D)) mem.write32(entryAddress, (entryLo |= PTE_D));
      let frame = frameOf(entryLo, entryHi);
      if (large) {
        const span = level === 3 ? 0x40000000 : 0x200000; // 1 GiB or 2 MiB
        frame = frame - (frame % span) + ((lo >>> 0) % span) - ((lo >>> 0) % PAGE_SIZE);
      }
      return {
        ok: true,
        frame,
        user: userOk,
        writable: writeOk || (!user && !ctl.wp),
        executable: execOk,
        dirty: (entryLo & PTE_D) !== 0,
        global: (entryLo & PTE_G) !== 0,
        steps,
      };
    }
    table = frameOf(entryLo, entryHi);
  }
  return { ok: false, errorCode: baseCode, steps, reason: 'unreachable' };
}

/** The access-rights rules of SDM §4.6, in order; undefined when the access is allowed. */
function deny(access: AccessKind, user: boolean, userOk: boolean, writeOk: boolean, execOk: boolean, ctl: PagingControl, smapApplies: boolean) {
  if (user && !userOk) return 'user-mode code touched a supervisor page';
  if (access === 'write' && !writeOk && (user || ctl.wp)) return 'the page is read-only';
  if (access === 'fetch' && !execOk) return 'the page is not executable (XD)';
  if (!user && userOk && access === 'fetch' && ctl.smep) return 'SMEP: ring 0 may not execute a user page';
  if (!user && userOk && access !== 'fetch' && ctl.smap && smapApplies) return 'SMAP: ring 0 may not touch a user page unless AC is set';
  return undefined;
}

/** Bits 63:47 must all equal bit 47. */
export const isCanonical = (hi: number) => {
  const top = hi >> 15; // arithmetic: bits 63:47
  return top === 0 || top === -1;
};
