// Models: the regions of Linux 6.1's x86-64 virtual address space with 4-level paging, as
// Documentation/x86/x86_64/mm.rst lists them, with the boundaries the pinned headers define
// (arch/x86/include/asm/page_64_types.h, pgtable_64_types.h, fixmap.h, vsyscall.h of
// linux-headers-6.1.0-56; tests/unit/address-map.test.ts checks each value against them). The
// model boots with KASLR off (nokaslr), so the randomised bases are at these, their defaults.
// Simplifies: KASAN's shadow, the %esp fixup stacks and the EFI region are left among the gaps
// (Debian's 6.1 has no KASAN; the model maps nothing there); FIXADDR_START depends on the
// configuration, so the fixmap is drawn from MODULES_END to FIXADDR_TOP.
import { DIRECT_MAP, MODULES_END, MODULES_VADDR, VMALLOC_START } from './layout';

export type RegionKind = 'user' | 'hole' | 'kernel' | 'module';

export interface AddressRegion {
  id: string;
  name: string;
  /** First byte and one past the last (2^64 for the top region). */
  start: bigint;
  end: bigint;
  kind: RegionKind;
  /** The macro or document that puts its start there. */
  source: string;
}

/** TASK_SIZE_MAX + PAGE_SIZE: the end of the lower canonical half (1 << 47). */
export const USER_HALF_END = 1n << 47n;
/** __START_KERNEL_map: the kernel image's mapping (page_64_types.h). */
export const START_KERNEL_MAP = 0xffffffff80000000n;
/** VMEMMAP_START with 4-level paging (__VMEMMAP_BASE_L4, pgtable_64_types.h): the struct page array. */
export const VMEMMAP_START = 0xffffea0000000000n;
/** CPU_ENTRY_AREA_BASE: CPU_ENTRY_AREA_PGD (-4) << P4D_SHIFT (39) (pgtable_64_types.h). */
export const CPU_ENTRY_AREA_BASE = 0xfffffe0000000000n;
/** VSYSCALL_ADDR: -10UL << 20 (uapi/asm/vsyscall.h). */
export const VSYSCALL_ADDR = 0xffffffffff600000n;
/** FIXADDR_TOP: round_up(VSYSCALL_ADDR + PAGE_SIZE, 1 << PMD_SHIFT) - PAGE_SIZE (fixmap.h). */
export const FIXADDR_TOP = 0xffffffffff7ff000n;
/** One past the direct map: __PAGE_OFFSET + MAXMEM (1 << MAX_PHYSMEM_BITS, 46 with 4 levels). */
export const DIRECT_MAP_END = DIRECT_MAP + (1n << 46n);
/** VMALLOC_END + 1: VMALLOC_START + (VMALLOC_SIZE_TB_L4 = 32 TiB). */
export const VMALLOC_END = VMALLOC_START + (32n << 40n);
/** The vmemmap's 1 TiB (mm.rst). */
export const VMEMMAP_END = VMEMMAP_START + (1n << 40n);
/** One PGD entry: 512 GiB (CPU_ENTRY_AREA ends there, mm.rst). */
export const CPU_ENTRY_AREA_END = CPU_ENTRY_AREA_BASE + (1n << 39n);
export const TOP = 1n << 64n;

/** Every region, ascending, with the gaps between named ones as holes. */
export const ADDRESS_REGIONS: readonly AddressRegion[] = fill([
  { id: 'user', name: 'User space (the process’s own mappings)', start: 0n, end: USER_HALF_END, kind: 'user', source: 'TASK_SIZE_MAX, 47-bit user half' },
  { id: 'non-canonical', name: 'Non-canonical hole: no address here can be used', start: USER_HALF_END, end: 0xffff800000000000n, kind: 'hole', source: 'bits 63:47 must be equal' },
  { id: 'direct-map', name: 'Direct map of all physical memory', start: DIRECT_MAP, end: DIRECT_MAP_END, kind: 'kernel', source: '__PAGE_OFFSET_BASE_L4 (page_offset_base)' },
  { id: 'vmalloc', name: 'vmalloc and ioremap (kernel stacks)', start: VMALLOC_START, end: VMALLOC_END, kind: 'kernel', source: '__VMALLOC_BASE_L4 (vmalloc_base)' },
  { id: 'vmemmap', name: 'vmemmap: the struct page array', start: VMEMMAP_START, end: VMEMMAP_END, kind: 'kernel', source: '__VMEMMAP_BASE_L4 (vmemmap_base)' },
  { id: 'cpu-entry-area', name: 'cpu_entry_area', start: CPU_ENTRY_AREA_BASE, end: CPU_ENTRY_AREA_END, kind: 'kernel', source: 'CPU_ENTRY_AREA_BASE' },
  { id: 'kernel-text', name: 'Kernel text, data and the model’s own code', start: START_KERNEL_MAP, end: MODULES_VADDR, kind: 'kernel', source: '__START_KERNEL_map, KERNEL_IMAGE_SIZE 1 GiB' },
  { id: 'modules', name: 'Module area', start: MODULES_VADDR, end: MODULES_END, kind: 'module', source: 'MODULES_VADDR, MODULES_END' },
  { id: 'fixmap', name: 'Fixmap (and the legacy vsyscall page)', start: MODULES_END, end: FIXADDR_TOP + 0x1000n, kind: 'kernel', source: 'FIXADDR_TOP, VSYSCALL_ADDR' },
]);

function fill(named: AddressRegion[]): AddressRegion[] {
  const out: AddressRegion[] = [];
  let at = 0n;
  for (const r of named) {
    if (r.start > at) out.push({ id: `gap-${at.toString(16)}`, name: 'Other kernel areas and unused holes', start: at, end: r.start, kind: 'hole', source: 'mm.rst' });
    out.push(r);
    at = r.end;
  }
  if (at < TOP) out.push({ id: `gap-${at.toString(16)}`, name: 'Unused hole', start: at, end: TOP, kind: 'hole', source: 'mm.rst' });
  return out;
}

/** The region an address falls in. */
export const regionOf = (address: bigint): AddressRegion => ADDRESS_REGIONS.find((r) => address >= r.start && address < r.end)!;
