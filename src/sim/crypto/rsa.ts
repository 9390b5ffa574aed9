// Models: RSASSA-PKCS1-v1_5 signature verification with SHA-256 (RFC 8017 §8.2.2, EMSA-PKCS1-v1_5 §9.2),
// what Linux 6.1 runs as "pkcs1pad(rsa,sha256)" (crypto/rsa.c rsa_verify, crypto/rsa-pkcs1pad.c pkcs1pad_verify).
// Simplifies: bigint square-and-multiply, not constant-time (only public data is involved); SHA-256 only;
// the expected EM is rebuilt and compared in full as the RFC says, where 6.1 parses the padding instead (same verdict).

import { bigIntToBytes, byteLength, bytesToBigInt } from './bytes';
import { SHA256_DIGEST_SIZE } from './sha256';

export interface RsaPublicKey {
  /** The modulus n and public exponent e. */
  readonly n: bigint;
  readonly e: bigint;
}

/** DER of DigestInfo ::= SEQUENCE { SEQUENCE { id-sha256, NULL }, OCTET STRING (32 bytes) } up to the digest (RFC 8017 §9.2 note 1). */
export const SHA256_DIGEST_INFO_PREFIX = Uint8Array.of(
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
);

export type RsaVerifyResult =
  /** EM recovered from the signature equals the expected encoding. */
  | { readonly kind: 'ok'; readonly em: Uint8Array }
  /** The signature has the right length but does not encode this digest under this key. */
  | { readonly kind: 'bad-signature'; readonly reason: string; readonly em: Uint8Array | null; readonly firstMismatch: number | null }
  /** A length is wrong: signature ≠ k bytes, digest ≠ 32 bytes, or a modulus too small for the encoding. */
  | { readonly kind: 'bad-length'; readonly reason: string };

/** base^exponent mod m, by left-to-right square-and-multiply. For m ≤ 0 or exponent ≤ 0 it returns 1 mod m (or 0). */
export function modPow(base: bigint, exponent: bigint, m: bigint): bigint {
  if (m <= 1n) return 0n;
  if (exponent <= 0n) return 1n;
  let result = 1n;
  const b = ((base % m) + m) % m;
  for (let bit = BigInt(exponent.toString(2).length - 1); bit >= 0n; bit--) {
    result = (result * result) % m;
    if ((exponent >> bit) & 1n) result = (result * b) % m;
  }
  return result;
}

/** EMSA-PKCS1-v1_5-ENCODE for SHA-256 (RFC 8017 §9.2): 00 01 FF…FF 00 || DigestInfo || H, k bytes long. Null if k is too small. */
export function emsaPkcs1v15Sha256(digest: Uint8Array, k: number): Uint8Array | null {
  const tLen = SHA256_DIGEST_INFO_PREFIX.length + digest.length;
  if (k < tLen + 11) return null;
  const em = new Uint8Array(k);
  em[1] = 0x01;
  em.fill(0xff, 2, k - tLen - 1);
  em.set(SHA256_DIGEST_INFO_PREFIX, k - tLen);
  em.set(digest, k - digest.length);
  return em;
}

/** RSASSA-PKCS1-V1_5-VERIFY (RFC 8017 §8.2.2) given the SHA-256 digest of the message. Never throws. */
export function verifyRsaPkcs1v15Sha256(key: RsaPublicKey, signature: Uint8Array, digest: Uint8Array): RsaVerifyResult {
  if (digest.length !== SHA256_DIGEST_SIZE) return { kind: 'bad-length', reason: `a SHA-256 digest is ${SHA256_DIGEST_SIZE} bytes, not ${digest.length}` };
  if (key.n <= 0n || key.e <= 0n) return { kind: 'bad-signature', reason: 'the public key has a non-positive modulus or exponent', em: null, firstMismatch: null };
  const k = byteLength(key.n);
  // Step 1: length checking.
  if (signature.length !== k) return { kind: 'bad-length', reason: `the signature is ${signature.length} bytes, but the ${k * 8}-bit modulus needs exactly ${k}` };
  const expected = emsaPkcs1v15Sha256(digest, k);
  if (!expected) return { kind: 'bad-length', reason: `a ${k}-byte modulus is too short for a ${SHA256_DIGEST_INFO_PREFIX.length + digest.length + 11}-byte PKCS#1 v1.5 encoding` };
  // Step 2: s = OS2IP(S); RSAVP1 requires 0 ≤ s < n; m = s^e mod n; EM = I2OSP(m, k).
  const s = bytesToBigInt(signature);
  if (s >= key.n) return { kind: 'bad-signature', reason: 'signature representative out of range (s ≥ n)', em: null, firstMismatch: null };
  const em = bigIntToBytes(modPow(s, key.e, key.n), k) as Uint8Array; // m < n < 256^k always fits
  // Steps 3–4: compare with the expected encoding, every byte.
  let firstMismatch = -1;
  for (let i = 0; i < k; i++) {
    if (em[i] !== expected[i]) {
      firstMismatch = i;
      break;
    }
  }
  if (firstMismatch < 0) return { kind: 'ok', em };
  return { kind: 'bad-signature', reason: `s^e mod n differs from the expected encoding at byte ${firstMismatch} of ${k} (${describeByte(firstMismatch, k)}: 0x${hex2(em[firstMismatch] as number)}, expected 0x${hex2(expected[firstMismatch] as number)})`, em, firstMismatch };
}

function describeByte(i: number, k: number): string {
  const digestStart = k - SHA256_DIGEST_SIZE;
  const infoStart = digestStart - SHA256_DIGEST_INFO_PREFIX.length;
  if (i === 0) return 'the leading 00';
  if (i === 1) return 'the block type 01';
  if (i < infoStart - 1) return 'the FF padding';
  if (i === infoStart - 1) return 'the 00 separator';
  if (i < digestStart) return 'the DigestInfo header';
  return 'the digest';
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}
