// Models: the ELF64 file structures as tables of (field, offset, type), after the ELF gABI and
// Linux include/uapi/linux/elf.h (Elf64_Ehdr, Elf64_Shdr, Elf64_Sym, Elf64_Phdr, Elf64_Rela).
// Simplifies: 64-bit structures only; Elf64_Rela is declared for the relocation reader to come.

import {
  charArray,
  defineStruct,
  Elf64_Addr,
  Elf64_Half,
  Elf64_Off,
  Elf64_Sxword,
  Elf64_Word,
  Elf64_Xword,
  unsignedChar,
} from './struct';

/** e_ident, byte by byte (gABI "ELF Identification"). */
export const Elf64_Ident = defineStruct('e_ident', 16, [
  ['ei_mag0', 0, unsignedChar],
  ['ei_mag1', 1, unsignedChar],
  ['ei_mag2', 2, unsignedChar],
  ['ei_mag3', 3, unsignedChar],
  ['ei_class', 4, unsignedChar],
  ['ei_data', 5, unsignedChar],
  ['ei_version', 6, unsignedChar],
  ['ei_osabi', 7, unsignedChar],
  ['ei_abiversion', 8, unsignedChar],
  ['ei_pad', 9, charArray(7)],
] as const);

export const Elf64_Ehdr = defineStruct('Elf64_Ehdr', 64, [
  ['e_ident', 0, charArray(16)],
  ['e_type', 16, Elf64_Half],
  ['e_machine', 18, Elf64_Half],
  ['e_version', 20, Elf64_Word],
  ['e_entry', 24, Elf64_Addr],
  ['e_phoff', 32, Elf64_Off],
  ['e_shoff', 40, Elf64_Off],
  ['e_flags', 48, Elf64_Word],
  ['e_ehsize', 52, Elf64_Half],
  ['e_phentsize', 54, Elf64_Half],
  ['e_phnum', 56, Elf64_Half],
  ['e_shentsize', 58, Elf64_Half],
  ['e_shnum', 60, Elf64_Half],
  ['e_shstrndx', 62, Elf64_Half],
] as const);

export const Elf64_Shdr = defineStruct('Elf64_Shdr', 64, [
  ['sh_name', 0, Elf64_Word],
  ['sh_type', 4, Elf64_Word],
  ['sh_flags', 8, Elf64_Xword],
  ['sh_addr', 16, Elf64_Addr],
  ['sh_offset', 24, Elf64_Off],
  ['sh_size', 32, Elf64_Xword],
  ['sh_link', 40, Elf64_Word],
  ['sh_info', 44, Elf64_Word],
  ['sh_addralign', 48, Elf64_Xword],
  ['sh_entsize', 56, Elf64_Xword],
] as const);

export const Elf64_Sym = defineStruct('Elf64_Sym', 24, [
  ['st_name', 0, Elf64_Word],
  ['st_info', 4, unsignedChar],
  ['st_other', 5, unsignedChar],
  ['st_shndx', 6, Elf64_Half],
  ['st_value', 8, Elf64_Addr],
  ['st_size', 16, Elf64_Xword],
] as const);

export const Elf64_Phdr = defineStruct('Elf64_Phdr', 56, [
  ['p_type', 0, Elf64_Word],
  ['p_flags', 4, Elf64_Word],
  ['p_offset', 8, Elf64_Off],
  ['p_vaddr', 16, Elf64_Addr],
  ['p_paddr', 24, Elf64_Addr],
  ['p_filesz', 32, Elf64_Xword],
  ['p_memsz', 40, Elf64_Xword],
  ['p_align', 48, Elf64_Xword],
] as const);

export const Elf64_Rela = defineStruct('Elf64_Rela', 24, [
  ['r_offset', 0, Elf64_Addr],
  ['r_info', 8, Elf64_Xword],
  ['r_addend', 16, Elf64_Sxword],
] as const);
