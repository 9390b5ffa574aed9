// Models: .gnu.linkonce.this_module, the `struct module __this_module` modpost writes into every
// module (Linux 6.1 scripts/mod/modpost.c add_header; include/linux/module.h struct module).
// Simplifies: only the bytes, the size and the name are given. Field offsets come from the
// generated layout file; the name is found, not placed: see thisModuleName.

import { elfError } from './errors';
import { MODULE_NAME_LEN } from './module-structs';
import { decodeText } from './text';
import type { ElfError, ElfFile, ElfSection } from './types';

export interface ThisModule {
  readonly kind: 'this-module';
  readonly section: ElfSection;
  /** The section's bytes in the file (before relocation: init and exit are still zero). */
  readonly bytes: Uint8Array;
  /** sh_size, which must equal the running kernel's sizeof(struct module). */
  readonly size: number;
  /** The module name stored in struct module's name[MODULE_NAME_LEN], or null if none is found. */
  readonly name: string | null;
  /** Where that name starts in the section (24 in Debian 6.1's layout), or null. */
  readonly nameOffset: number | null;
}

/** Reads the section; null when the module has none (6.1: "No module found in object"). */
export function readThisModule(elf: ElfFile): ThisModule | null | ElfError {
  const section = elf.sectionByName('.gnu.linkonce.this_module');
  if (!section) return null;
  if (!section.data) return elfError('bad-this-module', `.gnu.linkonce.this_module (section ${section.index}) is SHT_NOBITS: struct module has no bytes in the file.`);
  if (section.data.length === 0) return elfError('bad-this-module', `.gnu.linkonce.this_module (section ${section.index}) is empty: it holds no struct module.`);
  const found = thisModuleName(section.data);
  return { kind: 'this-module', section, bytes: section.data, size: section.data.length, name: found?.name ?? null, nameOffset: found?.offset ?? null };
}

/**
 * Finds the name without assuming struct module's layout: the fields before it (state, list)
 * are zero in the file, so the name is the first run of non-zero bytes, and it must end in a NUL
 * within MODULE_NAME_LEN bytes. Callers with the generated layout can compare the offset with
 * offsetof(struct module, name) (24 for Debian 6.1).
 */
export function thisModuleName(bytes: Uint8Array): { name: string; offset: number } | null {
  const offset = bytes.findIndex((b) => b !== 0);
  if (offset < 0) return null;
  const end = bytes.subarray(offset, offset + MODULE_NAME_LEN).indexOf(0);
  if (end < 0) return null;
  return { name: decodeText(bytes.subarray(offset, offset + end)), offset };
}
