// Models: the x86-64 relocation types and their names (System V x86-64 psABI §4.4.1; Linux
// arch/x86/include/asm/elf.h; binutils 2.40 include/elf/x86-64.h, whose names readelf prints).
// Simplifies: names only; what each type computes belongs to the loader (6.1 __apply_relocate_add).

export const R_X86_64_NONE = 0;
export const R_X86_64_64 = 1;
export const R_X86_64_PC32 = 2;
export const R_X86_64_PLT32 = 4;
export const R_X86_64_32 = 10;
export const R_X86_64_32S = 11;
export const R_X86_64_PC64 = 24;

/** The seven types Linux 6.1's x86-64 module loader applies; any other fails the load. */
export const MODULE_RELOCATION_TYPES: readonly number[] = [
  R_X86_64_NONE,
  R_X86_64_64,
  R_X86_64_PC32,
  R_X86_64_PLT32,
  R_X86_64_32,
  R_X86_64_32S,
  R_X86_64_PC64,
];

// Index = r_type. 39 and 40 (PC32_BND, PLT32_BND) are still named in binutils 2.40.
const NAMES: readonly string[] = [
  'NONE', '64', 'PC32', 'GOT32', 'PLT32', 'COPY', 'GLOB_DAT', 'JUMP_SLOT', 'RELATIVE', 'GOTPCREL',
  '32', '32S', '16', 'PC16', '8', 'PC8', 'DTPMOD64', 'DTPOFF64', 'TPOFF64', 'TLSGD',
  'TLSLD', 'DTPOFF32', 'GOTTPOFF', 'TPOFF32', 'PC64', 'GOTOFF64', 'GOTPC32', 'GOT64', 'GOTPCREL64', 'GOTPC64',
  'GOTPLT64', 'PLTOFF64', 'SIZE32', 'SIZE64', 'GOTPC32_TLSDESC', 'TLSDESC_CALL', 'TLSDESC', 'IRELATIVE', 'RELATIVE64', 'PC32_BND',
  'PLT32_BND', 'GOTPCRELX', 'REX_GOTPCRELX',
];
const GNU_NAMES: Readonly<Record<number, string>> = { 250: 'GNU_VTINHERIT', 251: 'GNU_VTENTRY' };

/** 'R_X86_64_PC32' for 2; a type no table names is 'R_X86_64_<number>' (decimal). */
export function relocationTypeName(type: number): string {
  return `R_X86_64_${NAMES[type] ?? GNU_NAMES[type] ?? String(type)}`;
}

/** Whether binutils has a name for the type (readelf prints "unrecognized: …" otherwise). */
export function isKnownRelocationType(type: number): boolean {
  return NAMES[type] !== undefined || GNU_NAMES[type] !== undefined;
}
