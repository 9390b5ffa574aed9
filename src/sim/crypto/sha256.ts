// Models: SHA-256 (NIST FIPS 180-4 §5.1.1 padding, §6.2 computation), the digest Linux 6.1 takes of a
// module before checking its signature (crypto/sha256_generic.c via crypto/asymmetric_keys/pkcs7_verify.c pkcs7_digest).
// Simplifies: one-shot over a whole Uint8Array (no streaming API); lengths up to 2^53 - 1 bytes, as JavaScript allows.

/** The round constants K0..K63 (FIPS 180-4 §4.2.2). */
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** The initial hash value H(0) (FIPS 180-4 §5.3.3). */
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19] as const;

export const SHA256_DIGEST_SIZE = 32;

/** The 32-byte SHA-256 digest of `data`. Pure; allocates the 64-word schedule, one padded tail block and the result. */
export function sha256(data: Uint8Array): Uint8Array {
  const h = new Uint32Array(H0);
  const w = new Uint32Array(64);
  const fullBlocks = Math.floor(data.length / 64);
  for (let b = 0; b < fullBlocks; b++) compress(h, w, data, b * 64);

  // §5.1.1: the rest, a 1 bit, zeros, and the length in bits as a 64-bit big-endian number.
  const restLength = data.length - fullBlocks * 64;
  const tail = new Uint8Array(restLength < 56 ? 64 : 128);
  tail.set(data.subarray(fullBlocks * 64));
  tail[restLength] = 0x80;
  const bitsHigh = Math.floor(data.length / 0x20000000); // (length * 8) >>> 32, without overflowing
  const bitsLow = (data.length * 8) >>> 0;
  const at = tail.length - 8;
  writeU32(tail, at, bitsHigh);
  writeU32(tail, at + 4, bitsLow);
  for (let off = 0; off < tail.length; off += 64) compress(h, w, tail, off);

  const out = new Uint8Array(SHA256_DIGEST_SIZE);
  for (let i = 0; i < 8; i++) writeU32(out, i * 4, h[i] as number);
  return out;
}

/** One 512-bit block (FIPS 180-4 §6.2.2). */
function compress(h: Uint32Array, w: Uint32Array, bytes: Uint8Array, offset: number): void {
  for (let t = 0; t < 16; t++) {
    const i = offset + t * 4;
    w[t] = (((bytes[i] as number) << 24) | ((bytes[i + 1] as number) << 16) | ((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number)) >>> 0;
  }
  for (let t = 16; t < 64; t++) {
    const w15 = w[t - 15] as number;
    const w2 = w[t - 2] as number;
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    w[t] = ((w[t - 16] as number) + s0 + (w[t - 7] as number) + s1) >>> 0;
  }
  let a = h[0] as number, b = h[1] as number, c = h[2] as number, d = h[3] as number;
  let e = h[4] as number, f = h[5] as number, g = h[6] as number, hh = h[7] as number;
  for (let t = 0; t < 64; t++) {
    const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + ch + (K[t] as number) + (w[t] as number)) >>> 0;
    const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) >>> 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) >>> 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) >>> 0;
  }
  h[0] = (h[0] as number) + a;
  h[1] = (h[1] as number) + b;
  h[2] = (h[2] as number) + c;
  h[3] = (h[3] as number) + d;
  h[4] = (h[4] as number) + e;
  h[5] = (h[5] as number) + f;
  h[6] = (h[6] as number) + g;
  h[7] = (h[7] as number) + hh;
}

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}

function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}
