import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bigIntToBytes, bytesToBigInt, toHex } from '../../src/sim/crypto/bytes';
import { emsaPkcs1v15Sha256, modPow, SHA256_DIGEST_INFO_PREFIX, verifyRsaPkcs1v15Sha256, type RsaPublicKey } from '../../src/sim/crypto/rsa';
import { sha256 } from '../../src/sim/crypto/sha256';
import { readModuleSignature, readPkcs7 } from '../../src/sim/elf/index';

// RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2) with the public half of the project TEST key only:
// the signature sign-file made over signed.ko is the positive vector; the private key is never used.

/** `openssl x509 -inform der -in samples/keys/signing_key.x509 -noout -modulus`, lower-cased. */
const MODULUS_HEX = 'cdbe04b4c30f0135a9e2bdfede8eb2d4938b462579577adb6cedcf58499ed8653483fcfa17e7ead1d1d85e1fb9d928185c593521e1513456b2fc33171b071467a2a4086d9b01617b62166b2babf98fb7ebada960a43d8386396be4ca197de18a63070ec148c89d646863d01622049e4b57f0269d39453e24e13ff8d9df94d6c91a97e5095cdf1ad89b8466a585367a20d79ba6fbb475d466141e90233b085f5014052a9610f51e4d3e3ad66ab9feceeb1b63b38ee1918210d36d430db7c3ed7769dc9074eabbc9e979803703ba2d151cccb6eb52943a5e8938e3e95383b0fb88bc916b6512bdc5f47a1a37c14b443c3f37e914c026a63c0919242c15045a8703';
const KEY: RsaPublicKey = { n: BigInt('0x' + MODULUS_HEX), e: 65537n };
/** sha256sum of signed.ko without its signature (the first 5360 bytes). */
const ELF_DIGEST = 'be43a9333ff3b74b6b4ec6072d4cdb12abe50e7fd7132d57f4d69fc77e4fba68';

function signatureOf(path: string): { signature: Uint8Array; digest: Uint8Array } {
  const sig = readModuleSignature(new Uint8Array(readFileSync(path)));
  if (sig.kind !== 'module-signature') throw new Error(`${path} carries no signature`);
  const p7 = readPkcs7(sig.signature);
  if (p7.kind !== 'pkcs7') throw new Error(p7.message);
  return { signature: p7.signer.signature, digest: sha256(sig.elf) };
}

const good = signatureOf('public/samples/signed.ko');

describe('modPow and the integer conversions', () => {
  it('computes small modular powers', () => {
    expect(modPow(4n, 13n, 497n)).toBe(445n);
    expect(modPow(2n, 10n, 1000n)).toBe(24n);
    expect(modPow(7n, 0n, 13n)).toBe(1n);
    expect(modPow(5n, 3n, 1n)).toBe(0n);
  });

  it('round-trips OS2IP and I2OSP, and refuses a value that does not fit', () => {
    const bytes = Uint8Array.of(0, 1, 2, 0xff);
    expect(bytesToBigInt(bytes)).toBe(0x0102ffn);
    expect(Array.from(bigIntToBytes(0x0102ffn, 4) as Uint8Array)).toEqual([0, 1, 2, 0xff]);
    expect(bigIntToBytes(0x10000n, 2)).toBeNull();
    expect(bigIntToBytes(-1n, 2)).toBeNull();
  });
});

describe('EMSA-PKCS1-v1_5 for SHA-256', () => {
  it('is 00 01 FF…FF 00 || DigestInfo || H, as long as the modulus', () => {
    const h = new Uint8Array(32).fill(0xab);
    const em = emsaPkcs1v15Sha256(h, 256) as Uint8Array;
    expect(em.length).toBe(256);
    expect(toHex(em.subarray(0, 3))).toBe('0001ff');
    expect(em.subarray(2, 256 - 52).every((b) => b === 0xff)).toBe(true);
    expect(em[256 - 52]).toBe(0);
    expect(toHex(em.subarray(256 - 51, 256 - 32))).toBe('3031300d060960864801650304020105000420');
    expect(toHex(em.subarray(256 - 32))).toBe('ab'.repeat(32));
    expect(SHA256_DIGEST_INFO_PREFIX.length).toBe(19);
  });

  it('needs at least tLen + 11 = 62 bytes', () => {
    expect(emsaPkcs1v15Sha256(new Uint8Array(32), 61)).toBeNull();
    expect(emsaPkcs1v15Sha256(new Uint8Array(32), 62)?.length).toBe(62);
  });
});

describe('verifyRsaPkcs1v15Sha256', () => {
  it("accepts sign-file's signature over signed.ko, whose s^e mod n is the full expected encoding", () => {
    expect(toHex(good.digest)).toBe(ELF_DIGEST);
    const r = verifyRsaPkcs1v15Sha256(KEY, good.signature, good.digest);
    expect(r.kind).toBe('ok');
    if (r.kind === 'ok') expect(toHex(r.em)).toBe(toHex(emsaPkcs1v15Sha256(good.digest, 256) as Uint8Array));
  });

  it('rejects the one-bit-flipped signature of signed-corrupt.ko at the very first byte', () => {
    const bad = signatureOf('public/samples/variants/signed-corrupt.ko');
    const r = verifyRsaPkcs1v15Sha256(KEY, bad.signature, bad.digest);
    expect(r.kind).toBe('bad-signature');
    if (r.kind === 'bad-signature') expect(r.firstMismatch).toBe(0);
  });

  it('rejects a good signature over another digest, and says the digest bytes differ', () => {
    const other = sha256(Uint8Array.of(1, 2, 3));
    const r = verifyRsaPkcs1v15Sha256(KEY, good.signature, other);
    expect(r.kind).toBe('bad-signature');
    if (r.kind === 'bad-signature') {
      expect(r.firstMismatch).toBeGreaterThanOrEqual(256 - 32);
      expect(r.reason).toContain('the digest');
    }
  });

  it('rejects every single-bit flip of the signature (sampled every 37th bit)', () => {
    for (let bit = 0; bit < 2048; bit += 37) {
      const s = good.signature.slice();
      s[bit >> 3] = (s[bit >> 3] as number) ^ (0x80 >> (bit & 7));
      expect(verifyRsaPkcs1v15Sha256(KEY, s, good.digest).kind, `bit ${bit}`).not.toBe('ok');
    }
  });

  it('refuses wrong lengths as bad-length, never throwing', () => {
    expect(verifyRsaPkcs1v15Sha256(KEY, good.signature.subarray(1), good.digest).kind).toBe('bad-length');
    expect(verifyRsaPkcs1v15Sha256(KEY, new Uint8Array(257), good.digest).kind).toBe('bad-length');
    expect(verifyRsaPkcs1v15Sha256(KEY, good.signature, good.digest.subarray(0, 31)).kind).toBe('bad-length');
    const small: RsaPublicKey = { n: (1n << 480n) + 1n, e: 3n }; // 61 bytes: too short for the encoding
    expect(verifyRsaPkcs1v15Sha256(small, new Uint8Array(61), good.digest).kind).toBe('bad-length');
  });

  it('refuses a signature representative not below n, and a degenerate key', () => {
    const s = bigIntToBytes(KEY.n, 256) as Uint8Array;
    expect(verifyRsaPkcs1v15Sha256(KEY, s, good.digest).kind).toBe('bad-signature');
    expect(verifyRsaPkcs1v15Sha256({ n: 0n, e: 3n }, new Uint8Array(0), good.digest).kind).toBe('bad-signature');
    expect(verifyRsaPkcs1v15Sha256({ n: KEY.n, e: 0n }, good.signature, good.digest).kind).toBe('bad-signature');
  });

  it('rejects the right signature under a different exponent', () => {
    expect(verifyRsaPkcs1v15Sha256({ n: KEY.n, e: 3n }, good.signature, good.digest).kind).toBe('bad-signature');
  });
});
