// Models: a module's __versions section, the CRC modpost recorded for each symbol it imports
// (Linux 6.1 include/linux/module.h struct modversion_info; kernel/module/version.c check_version).
// Simplifies: the first section named __versions is read; checking the CRCs is the loader's job.

import { elfError } from './errors';
import { modversion_info, MODULE_NAME_LEN } from './module-structs';
import { readStruct } from './struct';
import { decodeText } from './text';
import type { ElfError, ElfFile, ElfSection } from './types';

export interface ModversionEntry {
  readonly index: number;
  /**
   * The CRC as 6.1 compares it: check_version widens the kernel's u32 CRC and compares it with
   * this unsigned long, so only the low 32 bits can ever match (modpost writes 0x%08x).
   */
  readonly crc: number;
  /** The whole unsigned long as stored; differs from crc only in a damaged file. */
  readonly crcValue: bigint;
  /** The imported symbol's name (NUL-terminated within MODULE_NAME_LEN = 56 bytes). */
  readonly name: string;
}

export interface ModuleVersions {
  readonly kind: 'module-versions';
  /** The __versions section, or null when the module has none (built without modversions). */
  readonly section: ElfSection | null;
  readonly entries: readonly ModversionEntry[];
  /**
   * Bytes after the last whole 64-byte entry. 6.1 computes sh_size / sizeof(struct
   * modversion_info) and never looks at them; they are reported, not refused.
   */
  readonly ignoredBytes: number;
}

export function readVersions(elf: ElfFile): ModuleVersions | ElfError {
  const section = elf.sectionByName('__versions') ?? null;
  if (!section) return { kind: 'module-versions', section: null, entries: [], ignoredBytes: 0 };
  if (!section.data) return elfError('bad-versions', `__versions (section ${section.index}) is SHT_NOBITS: it has no entries in the file.`);
  const data = section.data;
  const entries: ModversionEntry[] = [];
  for (let index = 0; (index + 1) * modversion_info.size <= data.length; index++) {
    const raw = readStruct(modversion_info, data, index * modversion_info.size);
    const nul = raw.name.indexOf(0);
    if (nul < 0) {
      return elfError('bad-versions', `__versions entry ${index} has a name that fills all ${MODULE_NAME_LEN} bytes with no NUL to end it.`);
    }
    entries.push({ index, crc: Number(raw.crc & 0xffff_ffffn), crcValue: raw.crc, name: decodeText(raw.name.subarray(0, nul)) });
  }
  return { kind: 'module-versions', section, entries, ignoredBytes: data.length % modversion_info.size };
}
