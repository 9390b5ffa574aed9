// Models: the ELF64 data types and how a structure lies in the file, field after field (ELF gABI
// "Data Representation"; the typedefs of Linux include/uapi/linux/elf.h).
// Simplifies: little-endian, except fields declared big-endian (module_signature's __be32); a
// structure is declared as a table and read only after the caller has checked that all of it fits.

/** A scalar ELF type: its C name, its width, and whether JS holds it as a number or a bigint. */
export interface ScalarType {
  readonly cName: string;
  readonly size: 1 | 2 | 4 | 8;
  readonly signed: boolean;
  /** 8-byte fields are bigint so that every one of their 64 bits is kept exactly. */
  readonly js: 'number' | 'bigint';
  /** Set for the few big-endian fields (Linux __be32); ELF fields are little-endian here. */
  readonly bigEndian?: boolean;
}

/** A run of raw bytes (e_ident), read as a subarray of the file. */
export interface BytesType {
  readonly cName: string;
  readonly size: number;
  readonly js: 'bytes';
}

export type FieldType = ScalarType | BytesType;

export const unsignedChar = { cName: 'unsigned char', size: 1, signed: false, js: 'number' } as const;
export const Elf64_Half = { cName: 'Elf64_Half', size: 2, signed: false, js: 'number' } as const;
export const Elf64_Word = { cName: 'Elf64_Word', size: 4, signed: false, js: 'number' } as const;
export const Elf64_Sword = { cName: 'Elf64_Sword', size: 4, signed: true, js: 'number' } as const;
export const Elf64_Xword = { cName: 'Elf64_Xword', size: 8, signed: false, js: 'bigint' } as const;
export const Elf64_Sxword = { cName: 'Elf64_Sxword', size: 8, signed: true, js: 'bigint' } as const;
export const Elf64_Addr = { cName: 'Elf64_Addr', size: 8, signed: false, js: 'bigint' } as const;
export const Elf64_Off = { cName: 'Elf64_Off', size: 8, signed: false, js: 'bigint' } as const;
/** Linux types of the module structures (include/linux/types.h; LP64, so long is 8 bytes). */
export const u8 = { cName: 'u8', size: 1, signed: false, js: 'number' } as const;
export const unsignedLong = { cName: 'unsigned long', size: 8, signed: false, js: 'bigint' } as const;
export const be32 = { cName: '__be32', size: 4, signed: false, js: 'number', bigEndian: true } as const;

export function charArray(length: number): BytesType {
  return { cName: `unsigned char[${length}]`, size: length, js: 'bytes' };
}

/** One row of a structure table: field name (as in elf.h), byte offset, type. */
export type Field = readonly [name: string, offset: number, type: FieldType];

export interface StructTable<F extends readonly Field[]> {
  /** The C name, e.g. Elf64_Shdr. */
  readonly name: string;
  /** sizeof, as the specification gives it. */
  readonly size: number;
  readonly fields: F;
}

type ValueOf<T extends FieldType> = T extends { js: 'bigint' } ? bigint : T extends { js: 'bytes' } ? Uint8Array : number;

/** The record a table reads into: one property per field, named as in elf.h. */
export type StructValue<F extends readonly Field[]> = { [R in F[number] as R[0]]: ValueOf<R[2]> };

/**
 * Declares a structure. Asserts, when the module loads, that the fields follow one another with
 * no gap or overlap and add up to the size the specification gives: a wrong table is a bug in
 * this file, never a property of the input, so it is the one place here that throws.
 */
export function defineStruct<const F extends readonly Field[]>(name: string, size: number, fields: F): StructTable<F> {
  let next = 0;
  for (const [field, offset, type] of fields) {
    if (offset !== next) throw new Error(`${name}.${field} is declared at offset ${offset}, expected ${next}`);
    next = offset + type.size;
  }
  if (next !== size) throw new Error(`${name} adds up to ${next} bytes, but its size is ${size}`);
  return { name, size, fields };
}

/** Reads one structure at `offset`. The caller has checked that offset + table.size fits. */
export function readStruct<F extends readonly Field[]>(table: StructTable<F>, bytes: Uint8Array, offset: number): StructValue<F> {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, table.size);
  const record: Record<string, number | bigint | Uint8Array> = {};
  for (const [field, at, type] of table.fields) record[field] = readField(view, bytes, offset + at, at, type);
  return record as StructValue<F>;
}

function readField(view: DataView, bytes: Uint8Array, absolute: number, at: number, type: FieldType): number | bigint | Uint8Array {
  if (type.js === 'bytes') return bytes.subarray(absolute, absolute + type.size);
  const little = type.bigEndian !== true;
  switch (type.size) {
    case 1:
      return type.signed ? view.getInt8(at) : view.getUint8(at);
    case 2:
      return type.signed ? view.getInt16(at, little) : view.getUint16(at, little);
    case 4:
      return type.signed ? view.getInt32(at, little) : view.getUint32(at, little);
    case 8:
      return type.signed ? view.getBigInt64(at, little) : view.getBigUint64(at, little);
  }
}

/** Splits an unsigned 64-bit value into unsigned 32-bit halves, the form registers use. */
export function splitU64(value: bigint): { lo: number; hi: number } {
  const v = BigInt.asUintN(64, value);
  return { lo: Number(v & 0xffffffffn), hi: Number(v >> 32n) };
}
