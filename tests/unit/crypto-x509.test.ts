import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emulatedBuiltinKeyring, EMULATED_KEYRING_LABEL, RING_ZERO_TEST_CERTIFICATE_HEX } from '../../src/sim/crypto/builtin-keyring';
import { toHex } from '../../src/sim/crypto/bytes';
import { fabricateName, parseCertificate, type Certificate } from '../../src/sim/crypto/x509';
import { xorshift32 } from './support/xorshift';

// The project TEST certificate (samples/keys/signing_key.x509) read as 6.1's x509_cert_parse reads it; facts from
// `openssl x509 -inform der -in samples/keys/signing_key.x509 -text`.

const DER_BYTES = new Uint8Array(readFileSync('samples/keys/signing_key.x509'));
const MODULUS_HEX = 'cdbe04b4c30f0135a9e2bdfede8eb2d4938b462579577adb6cedcf58499ed8653483fcfa17e7ead1d1d85e1fb9d928185c593521e1513456b2fc33171b071467a2a4086d9b01617b62166b2babf98fb7ebada960a43d8386396be4ca197de18a63070ec148c89d646863d01622049e4b57f0269d39453e24e13ff8d9df94d6c91a97e5095cdf1ad89b8466a585367a20d79ba6fbb475d466141e90233b085f5014052a9610f51e4d3e3ad66ab9feceeb1b63b38ee1918210d36d430db7c3ed7769dc9074eabbc9e979803703ba2d151cccb6eb52943a5e8938e3e95383b0fb88bc916b6512bdc5f47a1a37c14b443c3f37e914c026a63c0919242c15045a8703';
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function parsed(): Certificate {
  const c = parseCertificate(DER_BYTES);
  if (c.kind !== 'x509-certificate') throw new Error(c.message);
  return c;
}


describe('the project test certificate', () => {
  it('is a v3 certificate with the serial, issuer and subject openssl prints', () => {
    const c = parsed();
    expect(c.version).toBe(3);
    expect(toHex(c.serial)).toBe('3b084e1ec8dcd44705dbb89cbb78e0e42a9d494b');
    const names = (a: Certificate['issuer']): string[][] => a.map((x) => [x.type ?? x.oid, x.value]);
    const expected = [['O', 'Ring Zero (TEST ONLY)'], ['CN', 'Ring Zero sample signing key (test only)']];
    expect(names(c.issuer)).toEqual(expected);
    expect(names(c.subject)).toEqual(expected);
    expect(c.signatureAlgorithm).toBe('1.2.840.113549.1.1.11');
  });

  it('prints its names as the kernel does: the CN alone, since CN and O share their first 7 bytes', () => {
    const c = parsed();
    expect(c.subjectName).toBe('Ring Zero sample signing key (test only)');
    expect(c.issuerName).toBe('Ring Zero sample signing key (test only)');
  });

  it('holds the RSA-2048 public key (n, e = 65537)', () => {
    const c = parsed();
    expect(c.publicKeyAlgorithm).toBe('1.2.840.113549.1.1.1');
    expect(c.keyBits).toBe(2048);
    expect(c.publicKey.e).toBe(65537n);
    expect(c.publicKey.n.toString(16)).toBe(MODULUS_HEX);
  });

  it('carries the subjectKeyIdentifier, and is described in the keyring as "<subject>: <skid>"', () => {
    const c = parsed();
    expect(c.subjectKeyId && toHex(c.subjectKeyId)).toBe('1e47626173f3a1732411d991e58b7748f6063d8f');
    expect(c.description).toBe('Ring Zero sample signing key (test only): 1e47626173f3a1732411d991e58b7748f6063d8f');
  });

  it("keys the certificate by its raw serial followed by the raw issuer Name's contents (the kernel's id[0])", () => {
    const c = parsed();
    expect(c.rawIssuer.length).toBe(83);
    expect(toHex(c.issuerSerialId)).toBe(toHex(c.serial) + toHex(c.rawIssuer));
    expect(toHex(c.rawIssuer).startsWith('311e301c060355040a0c15')).toBe(true);
  });
});

describe('the emulated built-in keyring', () => {
  it('embeds samples/keys/signing_key.x509 byte for byte', () => {
    expect(RING_ZERO_TEST_CERTIFICATE_HEX).toBe(toHex(DER_BYTES));
  });

  it('holds exactly the parsed test certificate, and says what it is', () => {
    const ring = emulatedBuiltinKeyring();
    expect(ring.map((c) => c.description)).toEqual([parsed().description]);
    expect(EMULATED_KEYRING_LABEL).toContain('emulated built-in keyring');
    expect(EMULATED_KEYRING_LABEL).toContain('-ENOKEY');
  });
});

describe("x509_fabricate_name's rules", () => {
  const seg = (cn: string | null, o: string | null, email: string | null = null) => fabricateName({ cn: cn === null ? null : ascii(cn), o: o === null ? null : ascii(o), email: email === null ? null : ascii(email) });
  it('uses the CN when it begins with the O, or shares 7 bytes with it', () => {
    expect(seg('Acme Corp signing key', 'Acme Corp')).toBe('Acme Corp signing key');
    expect(seg('Debian Secure Boot CA', 'Debian')).toBe('Debian Secure Boot CA');
    expect(seg('Example key', 'Example Ltd')).toBe('Example key');
  });
  it('otherwise joins them as "O: CN"', () => {
    expect(seg('Build key', 'Acme Corp')).toBe('Acme Corp: Build key');
  });
  it('falls back to CN, then O, then email, then ""', () => {
    expect(seg('only cn', null)).toBe('only cn');
    expect(seg(null, 'only o')).toBe('only o');
    expect(seg(null, null, 'a@b')).toBe('a@b');
    expect(seg(null, null)).toBe('');
  });
});

describe('malformed certificates', () => {
  const classify = (bytes: Uint8Array): string => {
    const r = parseCertificate(bytes);
    return r.kind === 'x509-certificate' ? 'ok' : r.code;
  };

  it('refuses every truncation with a typed error', () => {
    for (let len = 0; len < DER_BYTES.length; len++) expect(classify(DER_BYTES.subarray(0, len)), `length ${len}`).toBe('malformed');
  });

  it('refuses trailing bytes', () => {
    const longer = new Uint8Array(DER_BYTES.length + 1);
    longer.set(DER_BYTES);
    expect(classify(longer)).toBe('malformed');
  });

  it('survives every single-bit flip (a typed error or a certificate, never a throw)', () => {
    const seen = new Set<string>();
    for (let bit = 0; bit < DER_BYTES.length * 8; bit++) {
      const b = DER_BYTES.slice();
      b[bit >> 3] = (b[bit >> 3] as number) ^ (0x80 >> (bit & 7));
      seen.add(classify(b));
    }
    expect([...seen].sort()).toEqual(['malformed', 'ok', 'unsupported-key']);
  });

  it('survives seeded random bytes and random splices', () => {
    const next = xorshift32(0x5eed);
    for (let round = 0; round < 300; round++) {
      const b = DER_BYTES.slice(0, 1 + (next() % DER_BYTES.length));
      for (let k = 0; k < 8; k++) b[next() % b.length] = next() & 0xff;
      expect(() => parseCertificate(b)).not.toThrow();
      const noise = new Uint8Array(next() % 64).map(() => next() & 0xff);
      expect(() => parseCertificate(noise)).not.toThrow();
    }
  });

  it('names a non-RSA key as unsupported (-ENOPKG), not malformed', () => {
    // Flip the last byte of the rsaEncryption OID in SubjectPublicKeyInfo: 1.2.840.113549.1.1.1 → …1.1.5.
    const at = indexOf(DER_BYTES, Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01));
    expect(at).toBeGreaterThan(0);
    const b = DER_BYTES.slice();
    b[at + 10] = 0x05;
    const r = parseCertificate(b);
    expect(r.kind === 'x509-error' && [r.code, r.errno]).toEqual(['unsupported-key', -65]);
  });
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}
