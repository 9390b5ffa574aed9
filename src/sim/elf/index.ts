// Models: the ELF reader's public surface (ELF gABI; System V x86-64 psABI; Linux
// include/uapi/linux/elf.h): readElf and the types and constants its callers need.
// Simplifies: nothing beyond what the modules it re-exports simplify.

export { readElf } from './read-elf';
export { isElfError } from './errors';
export { splitU64 } from './struct';
export { sectionInSegment, sectionsInSegment } from './segments';
export * from './constants';
export type { ElfError, ElfErrorCode, ElfFile, ElfFunction, ElfHeader, ElfProgramHeader, ElfSection, ElfSymbol } from './types';
export { Elf64_Ehdr, Elf64_Ident, Elf64_Phdr, Elf64_Rela, Elf64_Shdr, Elf64_Sym } from './layout';
