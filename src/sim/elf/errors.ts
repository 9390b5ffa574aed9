// Models: the reader's failures as values, one code per kind of damage (the checks of Linux 6.1
// kernel/module/main.c elf_validity_check, in plain English rather than the kernel's words).
// Simplifies: the first problem found is reported; later ones are not looked for.

import type { ElfError, ElfErrorCode } from './types';

export function elfError(code: ElfErrorCode, message: string): ElfError {
  return { kind: 'elf-error', code, message };
}

export function isElfError(value: unknown): value is ElfError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'elf-error';
}

export function hex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

/**
 * Checks that `size` bytes at `offset` lie inside a file of `length` bytes. `what` names the
 * thing ("the section header table"), `field` the header field that placed it ("e_shoff").
 */
export function checkExtent(length: number, offset: bigint, size: bigint, what: string, field: string): ElfError | null {
  const end = offset + size;
  if (end <= BigInt(length)) return null;
  return elfError(
    'truncated',
    `The file is ${length} bytes long, but ${what} (${size} bytes at offset ${hex(offset)}) would end at byte ${end}: ` +
      `the file is cut short, or ${field} is wrong.`,
  );
}

/** Reads a NUL-terminated name at `offset` in a string table; null if it runs off the table. */
export function readString(table: Uint8Array, offset: number): string | null {
  if (offset >= table.length) return null;
  const end = table.indexOf(0, offset);
  if (end < 0) return null;
  // Names are ASCII in every file gcc and kbuild write; other bytes are read as Latin-1.
  let text = '';
  for (let i = offset; i < end; i++) text += String.fromCharCode(table[i] as number);
  return text;
}
