// Models: a module's .modinfo section, NUL-separated "tag=value" strings (Linux 6.1
// include/linux/moduleparam.h __MODULE_INFO; kernel/module/main.c get_next_modinfo, next_string).
// Simplifies: the first section named .modinfo is read, SHF_ALLOC or not (6.1's find_sec also
// wants SHF_ALLOC, which kbuild always sets); a last string with no NUL is refused, not overread.

import { elfError } from './errors';
import { decodeText } from './text';
import type { ElfError, ElfFile, ElfSection } from './types';

/** One string of .modinfo. */
export interface ModinfoEntry {
  /** The text before the first '=' (the whole string when there is none). */
  readonly tag: string;
  /** The text after the first '='; null for a string with no '=', which 6.1's lookup never matches. */
  readonly value: string | null;
  /** Byte offset of the string in the section. */
  readonly offset: number;
}

export interface Modinfo {
  readonly kind: 'modinfo';
  /** The .modinfo section, or null when the file has none. */
  readonly section: ElfSection | null;
  /** Every string, in section order (repeated tags such as alias, parm, parmtype stay separate). */
  readonly entries: readonly ModinfoEntry[];
  /** The first value of `tag`, as 6.1's get_modinfo returns it; undefined when absent. */
  get(tag: string): string | undefined;
  /** Every value of `tag`, in order. */
  getAll(tag: string): string[];
}

/** Reads .modinfo. A file without one gives an empty Modinfo (the kernel then finds no name). */
export function readModinfo(elf: ElfFile): Modinfo | ElfError {
  const section = elf.sectionByName('.modinfo') ?? null;
  if (!section) return modinfo(null, []);
  if (!section.data) return elfError('bad-modinfo', `.modinfo (section ${section.index}) is SHT_NOBITS: it has no strings in the file.`);
  const data = section.data;
  if (data.length > 0 && data[data.length - 1] !== 0) {
    return elfError('bad-modinfo', `.modinfo (section ${section.index}) does not end in a NUL: its last string runs off the section.`);
  }
  const entries: ModinfoEntry[] = [];
  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(0, start);
    if (end > start) {
      // Runs of NULs are padding; 6.1's next_string skips them too.
      const bytes = data.subarray(start, end);
      const eq = bytes.indexOf(0x3d);
      entries.push(
        eq < 0
          ? { tag: decodeText(bytes), value: null, offset: start }
          : { tag: decodeText(bytes.subarray(0, eq)), value: decodeText(bytes.subarray(eq + 1)), offset: start },
      );
    }
    start = end + 1;
  }
  return modinfo(section, entries);
}

function modinfo(section: ElfSection | null, entries: readonly ModinfoEntry[]): Modinfo {
  const values = (tag: string): string[] => entries.flatMap((e) => (e.tag === tag && e.value !== null ? [e.value] : []));
  return { kind: 'modinfo', section, entries, get: (tag) => values(tag)[0], getAll: values };
}
