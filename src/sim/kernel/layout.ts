// Models: where things live in Linux 6.1's x86-64 virtual address space with 4-level paging
// (Documentation/x86/x86_64/mm.rst; arch/x86/include/asm/pgtable_64_types.h), booted with
// `nokaslr`, which the model always assumes so that addresses repeat from run to run.
// Simplifies: the model's kernel text holds only entry points of emulated functions, laid out in
// its own order; a real Debian kernel places them elsewhere (its System.map is not packaged).

export const DIRECT_MAP = 0xffff888000000000n; // __PAGE_OFFSET: all RAM mapped here
export const VMALLOC_START = 0xffffc90000000000n; // vmalloc area: kernel stacks live here
/** The model's own entry points, above the real kernel image (which ends below 0xffffffff83000000). */
export const KERNEL_TEXT = 0xffffffff83000000n;
/**
 * Where the built-in image (public/samples/builtin/builtin.elf) is linked: its text, data, init
 * region and .bss, a few pages from here (samples/builtin/builtin.lds), clear of KERNEL_TEXT's
 * entry points (about 0x2a000 bytes) and of the insmod stub page at 0xffffffff83fff000.
 */
export const BUILTIN_TEXT = 0xffffffff83c00000n;
/**
 * The entry code (entry.ts; samples/kernel/entry_64.S linked by samples/kernel/entry.ld here):
 * above the HLE slots of the exports (the first MiB after KERNEL_TEXT), below insmod's stub page
 * (0xffffffff83fff000) and KERNEL_DATA.
 */
export const ENTRY_TEXT = 0xffffffff83800000n;
export const KERNEL_DATA = 0xffffffff84000000n; // exported data the model provides
export const PER_CPU = 0xffffffff84800000n; // the one CPU's per-CPU area (GS base in ring 0)
export const MODULES_VADDR = 0xffffffffc0000000n; // modules are placed from here
export const MODULES_END = 0xffffffffff000000n;
/** Where the real Debian 6.1 kernel, booted with nokaslr, places its first module (tests/fixtures/real-kernel). */
export const FIRST_MODULE = MODULES_VADDR + 0x201000n;

/** Bytes between two emulated functions' entry points in kernel text. */
export const HLE_SLOT = 16n;
/** Offset of the stack canary in the per-CPU area: gcc reads it at %gs:0x28 (fixed_percpu_data). */
export const STACK_CANARY_OFFSET = 0x28n;
/** The guest-call trampoline: the first slot of kernel text. */
export const TRAMPOLINE = KERNEL_TEXT;

export const split = (v: bigint) => ({ lo: Number(v & 0xffffffffn), hi: Number((v >> 32n) & 0xffffffffn) });
export const join = (v: { lo: number; hi: number }) => (BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0);
