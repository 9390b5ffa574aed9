// Models: what a reader of an ELF64 object sees — header, sections, symbols, program headers
// (ELF gABI chapters 4 and 5; Linux include/uapi/linux/elf.h).
// Simplifies: one .symtab (the gABI allows one); no notes or symbol versions. The kernel-module
// readers (relocations, .modinfo, __versions, this_module, signature) declare their own types.
//
// 64-bit fields (Elf64_Addr, Elf64_Off, Elf64_Xword) are bigint, so that every bit survives:
// kernel addresses such as 0xffffffffc0000000, sizes and flags alike. Fields that are 32 bits
// or narrower in the file are numbers. Parsing is not hot; a caller that needs register halves
// uses splitU64.

/** Why a byte string is not an ELF file this reader can use. A value, never thrown. */
export interface ElfError {
  readonly kind: 'elf-error';
  readonly code: ElfErrorCode;
  /** One plain-English sentence (or two) naming the problem. */
  readonly message: string;
}

export type ElfErrorCode =
  /** The first bytes are not \x7fELF. */
  | 'not-elf'
  /** The file ends before something its headers describe (or an offset points past the end). */
  | 'truncated'
  /** ELFCLASS32: a 32-bit object. */
  | 'not-64-bit'
  /** ELFDATA2MSB: a big-endian object. */
  | 'not-little-endian'
  /** An e_ident byte that no ELF file has (class, data or version). */
  | 'bad-header'
  /** Section header table: wrong entry size, impossible count, bad e_shstrndx or sh_link. */
  | 'bad-section-table'
  /** A name offset outside its string table, a name without a NUL, a string table that is not SHT_STRTAB. */
  | 'bad-string-table'
  /** .symtab with a wrong entry size or length, or a symbol in a section that does not exist. */
  | 'bad-symbol-table'
  /** Program header table: wrong entry size, or a loadable segment bigger in the file than in memory. */
  | 'bad-program-headers'
  /** A SHT_RELA section: wrong entry size or length, bad sh_link or sh_info, a symbol index past the table. */
  | 'bad-relocations'
  /** .modinfo: NOBITS, or a last string without its NUL. */
  | 'bad-modinfo'
  /** __versions: NOBITS, or a name that fills its 56 bytes without a NUL. */
  | 'bad-versions'
  /** .gnu.linkonce.this_module: NOBITS or empty. */
  | 'bad-this-module'
  /** A bug in this reader caught at the last moment; the fuzz tests require it never happens. */
  | 'internal';

export interface ElfHeader {
  /** e_ident[EI_CLASS], [EI_DATA], [EI_VERSION], [EI_OSABI], [EI_ABIVERSION]. */
  readonly ident: { readonly class: number; readonly data: number; readonly version: number; readonly osabi: number; readonly abiversion: number };
  readonly osabiName: string;
  readonly e_type: number;
  /** ET_REL, ET_EXEC, … */
  readonly typeName: string;
  /** 62 is EM_X86_64. */
  readonly e_machine: number;
  readonly machineName: string;
  readonly e_version: number;
  readonly e_entry: bigint;
  readonly e_phoff: bigint;
  readonly e_shoff: bigint;
  readonly e_flags: number;
  readonly e_ehsize: number;
  readonly e_phentsize: number;
  /** As stored; PN_XNUM (0xffff) means the count is in section 0's sh_info. */
  readonly e_phnum: number;
  readonly e_shentsize: number;
  /** As stored; 0 with e_shoff ≠ 0 means the count is in section 0's sh_size. */
  readonly e_shnum: number;
  /** As stored; SHN_XINDEX means the index is in section 0's sh_link. */
  readonly e_shstrndx: number;
  /** The counts and index after the gABI's extended-numbering escapes are resolved. */
  readonly sectionCount: number;
  readonly programHeaderCount: number;
  readonly sectionNameTableIndex: number;
}

export interface ElfSection {
  readonly index: number;
  /** From .shstrtab ('' when the file has none). */
  readonly name: string;
  readonly nameOffset: number;
  readonly type: number;
  /** SHT_PROGBITS, SHT_NOBITS, … */
  readonly typeName: string;
  /** SHF_* bits; test with the bigint SHF_ constants. */
  readonly flags: bigint;
  readonly addr: bigint;
  readonly offset: bigint;
  readonly size: bigint;
  readonly link: number;
  readonly info: number;
  readonly addralign: bigint;
  readonly entsize: bigint;
  /** The section's bytes, a view into the file; null for SHT_NOBITS (.bss has no file bytes). */
  readonly data: Uint8Array | null;
}

export interface ElfSymbol {
  /** Index in .symtab (0 is the null symbol). */
  readonly index: number;
  /** From .strtab; '' for section symbols, whose name is their section's. */
  readonly name: string;
  readonly nameOffset: number;
  /** An address (ET_EXEC) or an offset in its section (ET_REL). */
  readonly value: bigint;
  readonly size: bigint;
  /** st_info's low nibble, ELF64_ST_TYPE: STT_FUNC, … */
  readonly type: number;
  readonly typeName: string;
  /** st_info's high nibble, ELF64_ST_BIND: STB_LOCAL, STB_GLOBAL, STB_WEAK. */
  readonly bind: number;
  readonly bindName: string;
  /** st_other & 3, ELF64_ST_VISIBILITY. */
  readonly visibility: number;
  readonly visibilityName: string;
  /** st_shndx as stored: a section index or SHN_UNDEF / SHN_ABS / SHN_COMMON. */
  readonly shndx: number;
  /** 'SHN_UNDEF', 'SHN_ABS', 'SHN_COMMON', … or null when shndx is an ordinary section index. */
  readonly shndxName: string | null;
}

export interface ElfProgramHeader {
  readonly index: number;
  readonly type: number;
  /** PT_LOAD, PT_NOTE, PT_GNU_STACK, … */
  readonly typeName: string;
  /** PF_R | PF_W | PF_X bits. */
  readonly flags: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly executable: boolean;
  readonly offset: bigint;
  readonly vaddr: bigint;
  readonly paddr: bigint;
  readonly filesz: bigint;
  readonly memsz: bigint;
  readonly align: bigint;
  /** The p_filesz bytes at p_offset; the rest of p_memsz is zero-filled by the loader. */
  readonly data: Uint8Array;
}

/** A run of code to disassemble: one function symbol, or a whole section when there is none. */
export interface ElfFunction {
  /** The symbol's name, or the section's name for a section-wide block. */
  readonly name: string;
  /** Other symbols that start at the same address (init_module next to hello_init). */
  readonly aliases: readonly string[];
  /** The symbol, or null for a section-wide block. */
  readonly symbol: ElfSymbol | null;
  /** Address as the file states it: sh_addr + offset (ET_REL sections have sh_addr 0). */
  readonly address: bigint;
  /** Offset of the first byte within its section. */
  readonly sectionOffset: number;
  /** st_size; for a symbol of size 0, the distance to the next symbol or the section's end. */
  readonly size: number;
  /** The bytes (empty in a NOBITS section). */
  readonly bytes: Uint8Array;
}

export interface ElfFile {
  readonly kind: 'elf';
  /** The whole file; every data view above points into it. */
  readonly bytes: Uint8Array;
  readonly header: ElfHeader;
  /** All sections, index 0 (SHT_NULL) included. */
  readonly sections: readonly ElfSection[];
  /** .symtab's entries, the null symbol at index 0 included; empty when the file is stripped. */
  readonly symbols: readonly ElfSymbol[];
  /** The index of .symtab, or null. */
  readonly symtabIndex: number | null;
  readonly programHeaders: readonly ElfProgramHeader[];
  /** The first section with this name. */
  sectionByName(name: string): ElfSection | undefined;
  /** Symbols defined in section `index`, sorted by value (then by symbol index). */
  symbolsInSection(index: number): ElfSymbol[];
  /** Code blocks of a section, sorted by address (see functions.ts for the rules). */
  functionsOf(section: ElfSection): ElfFunction[];
  /** The PT_LOAD program headers, in file order (which the gABI requires to be by vaddr). */
  segmentsToLoad(): ElfProgramHeader[];
}
