// Models: the ELF header and its identification bytes (ELF gABI "ELF Header"; Linux
// include/uapi/linux/elf.h Elf64_Ehdr, EI_* indexes).
// Simplifies: only 64-bit little-endian files are accepted; e_version and e_ehsize are not
// enforced, as neither readelf nor Linux's module loader enforces them.

import { ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, EV_CURRENT } from './constants';
import { elfError } from './errors';
import { Elf64_Ehdr, Elf64_Ident } from './layout';
import { readStruct, type StructValue } from './struct';
import type { ElfError } from './types';

const MAGIC = [0x7f, 0x45, 0x4c, 0x46]; // \x7f E L F

export type RawHeader = StructValue<typeof Elf64_Ehdr.fields>;
export type RawIdent = StructValue<typeof Elf64_Ident.fields>;

export function readHeader(bytes: Uint8Array): { ehdr: RawHeader; ident: RawIdent } | ElfError {
  const seen = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < seen; i++) {
    if (bytes[i] !== MAGIC[i]) {
      return elfError('not-elf', 'This is not an ELF file: it does not start with the four bytes 7f 45 4c 46 ("\\x7fELF").');
    }
  }
  if (bytes.length < Elf64_Ident.size) {
    return elfError('truncated', `The file is only ${bytes.length} bytes long: too short even for the 16 identification bytes of an ELF header.`);
  }
  const ident = readStruct(Elf64_Ident, bytes, 0);
  if (ident.ei_class === ELFCLASS32) {
    return elfError('not-64-bit', 'This is a 32-bit ELF file (ELFCLASS32); only 64-bit x86-64 objects are read here.');
  }
  if (ident.ei_class !== ELFCLASS64) {
    return elfError('bad-header', `The ELF class byte is ${ident.ei_class}, which is neither 32-bit (1) nor 64-bit (2).`);
  }
  if (ident.ei_data === ELFDATA2MSB) {
    return elfError('not-little-endian', 'This ELF file is big-endian (ELFDATA2MSB); x86-64 objects are little-endian.');
  }
  if (ident.ei_data !== ELFDATA2LSB) {
    return elfError('bad-header', `The ELF data-encoding byte is ${ident.ei_data}, which is neither little-endian (1) nor big-endian (2).`);
  }
  if (ident.ei_version !== EV_CURRENT) {
    return elfError('bad-header', `The ELF version byte is ${ident.ei_version}; the only version there is, is 1.`);
  }
  if (bytes.length < Elf64_Ehdr.size) {
    return elfError('truncated', `The file is only ${bytes.length} bytes long: the 64-bit ELF header alone needs ${Elf64_Ehdr.size}.`);
  }
  return { ehdr: readStruct(Elf64_Ehdr, bytes, 0), ident };
}
