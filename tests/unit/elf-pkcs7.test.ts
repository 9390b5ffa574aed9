import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOid, readDer, readModuleSignature, readPkcs7, type Pkcs7SignedData } from '../../src/sim/elf/index';
import { xorshift32 } from './support/xorshift';

// The PKCS#7 SignedData that sign-file appends: a DER walk to the signer's issuer, serial,
// digest algorithm and signature bytes (verification is the loader's, later).

const signed = readModuleSignature(new Uint8Array(readFileSync('public/samples/signed.ko')));
if (signed.kind !== 'module-signature') throw new Error('signed.ko carries no signature');
const DER_BYTES = signed.signature;
const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function parsed(): Pkcs7SignedData {
  const p = readPkcs7(DER_BYTES);
  if (p.kind !== 'pkcs7') throw new Error(p.message);
  return p;
}


describe('the signature of signed.ko', () => {
  it('is a detached signedData with one sha256 signer and no certificates (sign-file -d style)', () => {
    const p = parsed();
    expect({ type: p.contentType, version: p.version, digests: p.digestAlgorithms, inner: p.innerContentType, detached: p.detached, certs: p.certificateCount, signers: p.signerCount }).toEqual({
      type: '1.2.840.113549.1.7.2',
      version: 1,
      digests: ['2.16.840.1.101.3.4.2.1'],
      inner: '1.2.840.113549.1.7.1',
      detached: true,
      certs: 0,
      signers: 1,
    });
  });

  it("names the signer by the project test certificate's issuer and serial", () => {
    const s = parsed().signer;
    expect(s.issuer.map((a) => [a.type, a.value])).toEqual([
      ['O', 'Ring Zero (TEST ONLY)'],
      ['CN', 'Ring Zero sample signing key (test only)'],
    ]);
    expect(s.serial && hex(s.serial)).toBe('3b084e1ec8dcd44705dbb89cbb78e0e42a9d494b');
    expect(s.subjectKeyId).toBeNull();
  });

  it('carries a sha256 digest algorithm, an RSA signature of 256 bytes, and no signed attributes', () => {
    const s = parsed().signer;
    expect([s.digestAlgorithm, s.digestAlgorithmName, s.signatureAlgorithm]).toEqual(['2.16.840.1.101.3.4.2.1', 'sha256', '1.2.840.113549.1.1.1']);
    expect(s.signature.length).toBe(256);
    expect(hex(s.signature.subarray(0, 4))).toBe('a36faac5');
    expect(s.signedAttributes).toBeNull();
  });
});

describe('DER pieces', () => {
  it('decodes object identifiers, and refuses malformed ones', () => {
    expect(decodeOid(Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]))).toBe('1.2.840.113549.1.7.2');
    expect(decodeOid(Uint8Array.from([0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]))).toBe('2.16.840.1.101.3.4.2.1');
    expect(decodeOid(new Uint8Array(0))).toBeNull();
    expect(decodeOid(Uint8Array.from([0x2a, 0x86]))).toBeNull(); // ends inside an arc
    expect(decodeOid(Uint8Array.from([0x2a, 0x80, 0x01]))).toBeNull(); // a leading zero digit
    expect(decodeOid(Uint8Array.from([0x2a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]))).toBeNull(); // an arc past 2^49
  });

  it('refuses indefinite lengths, lengths of more than 4 bytes, and lengths past the parent', () => {
    expect(readDer(Uint8Array.from([0x30, 0x80, 0, 0]), 0)).toMatchObject({ kind: 'der-error' });
    expect(readDer(Uint8Array.from([0x30, 0x85, 1, 1, 1, 1, 1]), 0)).toMatchObject({ kind: 'der-error' });
    expect(readDer(Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), 0)).toMatchObject({ kind: 'der-error' });
    expect(readDer(Uint8Array.from([0x04, 0x03, 1, 2]), 0)).toMatchObject({ kind: 'der-error' });
    expect(readDer(Uint8Array.from([0x04, 0x02, 1, 2]), 0)).toMatchObject({ tag: 4, contentStart: 2, end: 4 });
  });

  it('refuses bytes after the ContentInfo', () => {
    const longer = new Uint8Array(DER_BYTES.length + 1);
    longer.set(DER_BYTES);
    expect(readPkcs7(longer)).toMatchObject({ kind: 'der-error' });
  });
});

describe('damaged PKCS#7 (seeded)', () => {
  it('every truncation is an error naming an offset inside the blob', () => {
    for (let length = 0; length < DER_BYTES.length; length++) {
      const r = readPkcs7(DER_BYTES.subarray(0, length));
      expect(r.kind, `prefix of ${length}`).toBe('der-error');
      if (r.kind === 'der-error') expect(r.offset).toBeLessThanOrEqual(length);
    }
  });

  it('3000 bit flips, byte changes and absurd lengths never throw', () => {
    const next = xorshift32(0x5eed0007);
    const outcomes = new Set<string>();
    for (let round = 0; round < 3000; round++) {
      const bytes = DER_BYTES.slice();
      const at = round % 3 === 0 ? next() % 220 : next() % bytes.length; // the headers are in the first 220 bytes
      const kind = next() % 3;
      if (kind === 0) bytes[at]! ^= 1 << (next() % 8);
      else if (kind === 1) bytes[at] = next() & 0xff;
      else bytes.set([0x84, 0xff, 0xff, 0xff, 0xff].slice(0, Math.max(0, bytes.length - at)), at);
      let result: ReturnType<typeof readPkcs7> | undefined;
      expect(() => (result = readPkcs7(bytes))).not.toThrow();
      outcomes.add(result!.kind);
      if (result!.kind === 'pkcs7') expect(result!.signer.signature.length).toBeLessThanOrEqual(bytes.length);
      else expect(result!.message.length).toBeGreaterThan(10);
    }
    expect(outcomes).toEqual(new Set(['pkcs7', 'der-error']));
  });

  it('random byte strings never throw', () => {
    const next = xorshift32(0x5eed0008);
    for (let round = 0; round < 2000; round++) {
      const bytes = new Uint8Array(next() % 300).map(() => next() & 0xff);
      if (round % 2 === 0 && bytes.length > 2) bytes[0] = 0x30;
      expect(() => readPkcs7(bytes)).not.toThrow();
    }
  });
});
