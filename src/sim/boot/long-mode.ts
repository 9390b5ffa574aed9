// Models: the processor state at the moment a 64-bit kernel takes over (Intel SDM Vol. 3A §9.8.5,
// "Initializing IA-32e Mode"): protection and paging on with CR0.WP, PAE, long mode active,
// no-execute enabled, CR3 at the page tables, CS a 64-bit code selector.
// Simplifies: the real-mode and protected-mode steps that lead here are not modelled.
import type { Machine } from '../machine';
import { CR0_PE, CR0_PG, CR0_WP, CR4_PAE, EFER_LMA, EFER_LME, EFER_NXE } from '../cpu/state';

export function enterLongMode(m: Machine, cr3: number, extra: { cr4?: number; efer?: number; cpl: 0 | 3 }) {
  const s = m.s;
  s.cr0 = (CR0_PE | CR0_PG | CR0_WP) >>> 0;
  s.cr4 = CR4_PAE | (extra.cr4 ?? 0);
  s.efer = EFER_LME | EFER_LMA | EFER_NXE | (extra.efer ?? 0);
  s.cr3 = cr3;
  // Linux's selectors (arch/x86/include/asm/segment.h): __KERNEL_CS 0x10, __KERNEL_DS 0x18,
  // __USER_DS 0x2b, __USER_CS 0x33.
  s.cs = extra.cpl === 3 ? 0x33 : 0x10;
  s.ss = extra.cpl === 3 ? 0x2b : 0x18;
}
