// Models: the ELF constants the reader names (ELF gABI; System V x86-64 psABI §4; Linux
// include/uapi/linux/elf.h), each with the name the specification gives it.
// Simplifies: only the values gcc, ld and kbuild produce for x86-64, plus the common GNU ones;
// any other value is named by its number (e.g. SHT_0x6fff4c03).

/** e_ident[EI_CLASS], e_ident[EI_DATA], e_ident[EI_VERSION]. */
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;

export const ET_NONE = 0;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

export const EM_X86_64 = 62;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;

/** sh_flags bits: Elf64_Xword, so bigint like the field. */
export const SHF_WRITE = 0x1n;
export const SHF_ALLOC = 0x2n;
export const SHF_EXECINSTR = 0x4n;
export const SHF_MERGE = 0x10n;
export const SHF_STRINGS = 0x20n;
export const SHF_INFO_LINK = 0x40n;
export const SHF_LINK_ORDER = 0x80n;
export const SHF_OS_NONCONFORMING = 0x100n;
export const SHF_GROUP = 0x200n;
export const SHF_TLS = 0x400n;
export const SHF_COMPRESSED = 0x800n;
export const SHF_MASKOS = 0x0ff00000n;
export const SHF_GNU_RETAIN = 0x200000n;
export const SHF_GNU_MBIND = 0x01000000n;
export const SHF_MASKPROC = 0xf0000000n;
export const SHF_X86_64_LARGE = 0x10000000n;
export const SHF_EXCLUDE = 0x80000000n;

/** Special section indexes (st_shndx, e_shstrndx). */
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_GNU_IFUNC = 10;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

export const STV_DEFAULT = 0;
export const STV_INTERNAL = 1;
export const STV_HIDDEN = 2;
export const STV_PROTECTED = 3;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_EH_FRAME = 0x6474e550;
export const PT_GNU_STACK = 0x6474e551;
export const PT_GNU_RELRO = 0x6474e552;
export const PT_GNU_SFRAME = 0x6474e554;
/** e_phnum's escape value: the real count is in section 0's sh_info. */
export const PN_XNUM = 0xffff;

export const PF_X = 0x1;
export const PF_W = 0x2;
export const PF_R = 0x4;

type NameTable = Readonly<Record<number, string>>;

const ET_NAMES: NameTable = { 0: 'ET_NONE', 1: 'ET_REL', 2: 'ET_EXEC', 3: 'ET_DYN', 4: 'ET_CORE' };
const EM_NAMES: NameTable = { 0: 'EM_NONE', 3: 'EM_386', 40: 'EM_ARM', 62: 'EM_X86_64', 183: 'EM_AARCH64', 243: 'EM_RISCV' };
const OSABI_NAMES: NameTable = { 0: 'ELFOSABI_NONE', 3: 'ELFOSABI_GNU' };
const SHT_NAMES: NameTable = {
  0: 'SHT_NULL', 1: 'SHT_PROGBITS', 2: 'SHT_SYMTAB', 3: 'SHT_STRTAB', 4: 'SHT_RELA', 5: 'SHT_HASH',
  6: 'SHT_DYNAMIC', 7: 'SHT_NOTE', 8: 'SHT_NOBITS', 9: 'SHT_REL', 10: 'SHT_SHLIB', 11: 'SHT_DYNSYM',
  14: 'SHT_INIT_ARRAY', 15: 'SHT_FINI_ARRAY', 16: 'SHT_PREINIT_ARRAY', 17: 'SHT_GROUP',
  18: 'SHT_SYMTAB_SHNDX', 19: 'SHT_RELR',
  0x6ffffff5: 'SHT_GNU_ATTRIBUTES', 0x6ffffff6: 'SHT_GNU_HASH', 0x6ffffff7: 'SHT_GNU_LIBLIST',
  0x6ffffffd: 'SHT_GNU_verdef', 0x6ffffffe: 'SHT_GNU_verneed', 0x6fffffff: 'SHT_GNU_versym',
  0x70000001: 'SHT_X86_64_UNWIND',
};
const STT_NAMES: NameTable = {
  0: 'STT_NOTYPE', 1: 'STT_OBJECT', 2: 'STT_FUNC', 3: 'STT_SECTION', 4: 'STT_FILE', 5: 'STT_COMMON',
  6: 'STT_TLS', 10: 'STT_GNU_IFUNC',
};
const STB_NAMES: NameTable = { 0: 'STB_LOCAL', 1: 'STB_GLOBAL', 2: 'STB_WEAK', 10: 'STB_GNU_UNIQUE' };
const STV_NAMES: NameTable = { 0: 'STV_DEFAULT', 1: 'STV_INTERNAL', 2: 'STV_HIDDEN', 3: 'STV_PROTECTED' };
const SHN_NAMES: NameTable = { 0: 'SHN_UNDEF', 0xfff1: 'SHN_ABS', 0xfff2: 'SHN_COMMON', 0xffff: 'SHN_XINDEX' };
const PT_NAMES: NameTable = {
  0: 'PT_NULL', 1: 'PT_LOAD', 2: 'PT_DYNAMIC', 3: 'PT_INTERP', 4: 'PT_NOTE', 5: 'PT_SHLIB', 6: 'PT_PHDR',
  7: 'PT_TLS', 0x6474e550: 'PT_GNU_EH_FRAME', 0x6474e551: 'PT_GNU_STACK', 0x6474e552: 'PT_GNU_RELRO',
  0x6474e553: 'PT_GNU_PROPERTY', 0x6474e554: 'PT_GNU_SFRAME',
};

function nameIn(table: NameTable, prefix: string, value: number): string {
  return table[value] ?? `${prefix}0x${value.toString(16)}`;
}

export const elfTypeName = (v: number): string => nameIn(ET_NAMES, 'ET_', v);
export const machineName = (v: number): string => nameIn(EM_NAMES, 'EM_', v);
export const osabiName = (v: number): string => nameIn(OSABI_NAMES, 'ELFOSABI_', v);
export const sectionTypeName = (v: number): string => nameIn(SHT_NAMES, 'SHT_', v);
export const symbolTypeName = (v: number): string => nameIn(STT_NAMES, 'STT_', v);
export const symbolBindName = (v: number): string => nameIn(STB_NAMES, 'STB_', v);
export const visibilityName = (v: number): string => nameIn(STV_NAMES, 'STV_', v);
export const segmentTypeName = (v: number): string => nameIn(PT_NAMES, 'PT_', v);

/** SHN_UNDEF, SHN_ABS, SHN_COMMON, SHN_XINDEX, or null for an ordinary section index. */
export function specialSectionName(shndx: number): string | null {
  if (shndx === SHN_UNDEF || shndx >= SHN_LORESERVE) return nameIn(SHN_NAMES, 'SHN_', shndx);
  return null;
}
