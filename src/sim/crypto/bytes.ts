// Models: the octet-string/integer conversions of RFC 8017 §4 (I2OSP, OS2IP) and hex display as the
// kernel prints key identifiers ("%*phN": lower-case hex, no separators; lib/vsprintf.c hex_string).
// Simplifies: bigint arithmetic from ES2020 instead of the kernel's MPI library (lib/mpi).

/** OS2IP: a big-endian unsigned integer. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** I2OSP: `n` as exactly `length` big-endian bytes, or null if it does not fit (or is negative). */
export function bigIntToBytes(n: bigint, length: number): Uint8Array | null {
  if (n < 0n) return null;
  const out = new Uint8Array(length);
  let x = n;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return x === 0n ? out : null;
}

/** Bytes needed for `n` (0 for 0). */
export function byteLength(n: bigint): number {
  let length = 0;
  for (let x = n; x > 0n; x >>= 8n) length++;
  return length;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
