// Models: the ELF reader's public surface (ELF gABI; System V x86-64 psABI; Linux
// include/uapi/linux/elf.h; Linux 6.1 module sections): readElf, the module-section readers,
// and the types and constants their callers need.
// Simplifies: nothing beyond what the modules it re-exports simplify.

export { readElf } from './read-elf';
export { isElfError } from './errors';
export { splitU64 } from './struct';
export { sectionInSegment, sectionsInSegment } from './segments';
export * from './constants';
export type { ElfError, ElfErrorCode, ElfFile, ElfFunction, ElfHeader, ElfProgramHeader, ElfSection, ElfSymbol } from './types';
export { Elf64_Ehdr, Elf64_Ident, Elf64_Phdr, Elf64_Rela, Elf64_Shdr, Elf64_Sym } from './layout';
export { readRelocations, type ElfRelocation, type ElfRelocationSection } from './relocations';
export * from './x86-64-relocations';
export { readModinfo, type Modinfo, type ModinfoEntry } from './modinfo';
export { readVersions, type ModuleVersions, type ModversionEntry } from './versions';
export { readThisModule, thisModuleName, type ThisModule } from './this-module';
export {
  readModuleSignature,
  type ModuleSignature,
  type ModuleSignatureError,
  type ModuleSignatureErrorCode,
  type UnsignedModule,
} from './signature';
export { MODULE_NAME_LEN, MODULE_SIG_STRING, modversion_info, module_signature, PKEY_ID_PKCS7 } from './module-structs';
export { readPkcs7, OID_NAMES, type NameAttribute, type Pkcs7SignedData, type Pkcs7SignerInfo } from './pkcs7';
export { decodeOid, readDer, type DerElement, type DerError } from './der';
