import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emulatedBuiltinKeyring } from '../../src/sim/crypto/builtin-keyring';
import { readModuleSignature, type ModuleSignature } from '../../src/sim/elf/index';
import { verifyModuleSignature } from '../../src/sim/kernel/loader/verify-signature';

// module_sig_check's verification, as 6.1's mod_verify_sig → verify_pkcs7_signature runs it, against the emulated
// built-in keyring (the project TEST certificate only). Messages that sign-file cannot make are built here with a
// tiny DER writer from the parts of signed.ko's own message; nothing is signed anew and no file is written.

const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

function signatureOf(bytes: Uint8Array): ModuleSignature {
  const sig = readModuleSignature(bytes);
  if (sig.kind !== 'module-signature') throw new Error('no signature');
  return sig;
}

const SIGNED = bytesOf('public/samples/signed.ko');
const SIG = signatureOf(SIGNED);
const KEYRING = emulatedBuiltinKeyring();

// --- a minimal DER writer -------------------------------------------------------------------------------
function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const head = length < 0x80 ? [tag, length] : length < 0x100 ? [tag, 0x81, length] : [tag, 0x82, length >> 8, length & 0xff];
  const out = new Uint8Array(head.length + length);
  out.set(head);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
const OID = {
  signedData: hex('06092a864886f70d010702'),
  data: hex('06092a864886f70d010701'),
  sha256: hex('0609608648016503040201'),
  sha512: hex('0609608648016503040203'),
  rsa: hex('06092a864886f70d010101'),
  ecPublicKey: hex('06072a8648ce3d0201'),
  msIndirectData: hex('060a2b060104018237020104'),
  contentType: hex('06092a864886f70d010903'),
  messageDigest: hex('06092a864886f70d010904'),
};
const NULL = hex('0500');
const SEQ = 0x30, SET = 0x31, INT = 0x02, OCTETS = 0x04;

/** signed.ko's raw issuer Name contents (offset 67 + 2, 83 bytes), serial and RSA signature, read from its message. */
const RAW_ISSUER = SIG.signature.subarray(69, 69 + 83);
const SERIAL = SIG.signature.subarray(154, 154 + 20);
const RSA_SIG = SIG.signature.subarray(206, 206 + 256);
const SKID = hex('1e47626173f3a1732411d991e58b7748f6063d8f');

interface Build {
  version?: number;
  signerVersion?: number;
  digest?: Uint8Array;
  pkey?: Uint8Array;
  sid?: 'issuer-serial' | 'skid';
  authattrs?: 'both' | 'content-type-only';
  innerType?: Uint8Array;
  content?: Uint8Array | null;
  signature?: Uint8Array;
}
function message(o: Build = {}): Uint8Array {
  const digest = o.digest ?? OID.sha256;
  const sid = o.sid === 'skid' ? tlv(0x80, SKID) : tlv(SEQ, tlv(SEQ, RAW_ISSUER), tlv(INT, SERIAL));
  const signerInfo = tlv(
    SEQ,
    tlv(INT, Uint8Array.of(o.signerVersion ?? (o.sid === 'skid' ? 3 : 1))),
    sid,
    tlv(SEQ, digest),
    ...(o.authattrs ? [authAttrs(o.authattrs, o.innerType ?? OID.data)] : []),
    tlv(SEQ, o.pkey ?? OID.rsa, NULL),
    tlv(OCTETS, o.signature ?? RSA_SIG),
  );
  const inner = o.content ? tlv(SEQ, o.innerType ?? OID.data, tlv(0xa0, tlv(OCTETS, o.content))) : tlv(SEQ, o.innerType ?? OID.data);
  const signedData = tlv(SEQ, tlv(INT, Uint8Array.of(o.version ?? (o.sid === 'skid' ? 3 : 1))), tlv(SET, tlv(SEQ, digest)), inner, tlv(SET, signerInfo));
  return tlv(SEQ, OID.signedData, tlv(0xa0, signedData));
}
function authAttrs(which: 'both' | 'content-type-only', type: Uint8Array): Uint8Array {
  const contentType = tlv(SEQ, OID.contentType, tlv(SET, type));
  const messageDigest = tlv(SEQ, OID.messageDigest, tlv(SET, tlv(OCTETS, new Uint8Array(32))));
  return tlv(0xa0, contentType, ...(which === 'both' ? [messageDigest] : []));
}
const withMessage = (signature: Uint8Array, elf: Uint8Array = SIG.elf): ModuleSignature => ({ ...SIG, signature, elf, elfLength: elf.length });

describe('verifyModuleSignature on the samples', () => {
  it('accepts signed.ko with the test certificate in the emulated keyring', () => {
    const v = verifyModuleSignature(SIG, KEYRING);
    expect(v.errno).toBe(0);
    expect(v.stage).toBe('public_key_verify_signature');
    expect(v.digest).toBe('be43a9333ff3b74b6b4ec6072d4cdb12abe50e7fd7132d57f4d69fc77e4fba68'); // sha256sum of the first 5360 bytes
    expect(v.key).toBe('Ring Zero sample signing key (test only): 1e47626173f3a1732411d991e58b7748f6063d8f');
    expect(v.signerId).toBe(`issuer+serial 3b084e1ec8dcd44705dbb89cbb78e0e42a9d494b${Array.from(RAW_ISSUER, (b) => b.toString(16).padStart(2, '0')).join('')}`);
    expect(v.log).toEqual([]);
  });

  it('answers -ENOKEY with an empty keyring (what a real Debian kernel, lacking the test key, reports)', () => {
    const v = verifyModuleSignature(SIG, []);
    expect([v.errno, v.stage, v.key]).toEqual([-126, 'pkcs7_validate_trust', null]);
    expect(v.digest).not.toBeNull(); // pkcs7_verify digests the module before the keyring is searched
  });

  it('answers -EKEYREJECTED for signed-corrupt.ko (one bit of the RSA signature flipped)', () => {
    const v = verifyModuleSignature(signatureOf(bytesOf('public/samples/variants/signed-corrupt.ko')), KEYRING);
    expect([v.errno, v.stage]).toEqual([-129, 'public_key_verify_signature']);
    expect(v.detail).toContain('byte 0 of 256');
  });

  it('answers -EKEYREJECTED for hello.ko carrying the trailer of signed.ko (the digest differs)', () => {
    const hello = bytesOf('public/samples/hello.ko');
    const trailer = SIGNED.subarray(SIG.signatureOffset);
    const grafted = new Uint8Array(hello.length + trailer.length);
    grafted.set(hello);
    grafted.set(trailer, hello.length);
    const sig = signatureOf(grafted);
    expect(sig.elfLength).toBe(hello.length);
    const v = verifyModuleSignature(sig, KEYRING);
    expect([v.errno, v.stage]).toEqual([-129, 'public_key_verify_signature']);
    expect(v.detail).toContain('the digest');
    expect(v.digest).not.toBe('be43a9333ff3b74b6b4ec6072d4cdb12abe50e7fd7132d57f4d69fc77e4fba68');
  });

  it('is deterministic', () => {
    expect(verifyModuleSignature(SIG, KEYRING)).toEqual(verifyModuleSignature(SIG, emulatedBuiltinKeyring()));
  });
});

describe('verifyModuleSignature on built messages', () => {
  it('the DER writer rebuilds signed.ko\'s message byte for byte', () => {
    expect(Array.from(message())).toEqual(Array.from(SIG.signature));
  });

  it('finds the key by subjectKeyIdentifier when the signer is named that way (SignerInfo v3)', () => {
    const v = verifyModuleSignature(withMessage(message({ sid: 'skid' })), KEYRING);
    expect([v.errno, v.signerId]).toEqual([0, 'skid 1e47626173f3a1732411d991e58b7748f6063d8f']);
  });

  it('answers -ENOKEY when the serial differs by one bit', () => {
    const m = message();
    const at = 154; // first serial byte
    const flipped = m.slice();
    flipped[at] = (flipped[at] as number) ^ 1;
    expect(verifyModuleSignature(withMessage(flipped), KEYRING).errno).toBe(-126);
  });

  it('answers -ENOPKG for a sha512 digest or a non-RSA key', () => {
    const a = verifyModuleSignature(withMessage(message({ digest: OID.sha512 })), KEYRING);
    const b = verifyModuleSignature(withMessage(message({ pkey: OID.ecPublicKey })), KEYRING);
    expect([a.errno, a.stage, b.errno, b.stage]).toEqual([-65, 'pkcs7_parse_message', -65, 'pkcs7_parse_message']);
  });

  it("answers -EKEYREJECTED with 6.1's warning for well-formed authenticated attributes", () => {
    const v = verifyModuleSignature(withMessage(message({ authattrs: 'both' })), KEYRING);
    expect([v.errno, v.stage, v.log]).toEqual([-129, 'pkcs7_verify', ['PKCS7: Invalid module sig (has authattrs)']]);
  });

  it('answers -EBADMSG for authenticated attributes without messageDigest', () => {
    const v = verifyModuleSignature(withMessage(message({ authattrs: 'content-type-only' })), KEYRING);
    expect([v.errno, v.stage, v.log]).toEqual([-74, 'pkcs7_parse_message', ['PKCS7: Missing required AuthAttr']]);
  });

  it('answers -EKEYREJECTED for Authenticode content (not pkcs7-data), -EBADMSG without its attributes', () => {
    const a = verifyModuleSignature(withMessage(message({ innerType: OID.msIndirectData, authattrs: 'both' })), KEYRING);
    expect([a.errno, a.stage, a.log]).toEqual([-129, 'pkcs7_verify', ['PKCS7: Invalid module sig (not pkcs7-data)']]);
    const b = verifyModuleSignature(withMessage(message({ innerType: OID.msIndirectData })), KEYRING);
    expect([b.errno, b.log]).toEqual([-74, ['PKCS7: Authenticode requires AuthAttrs']]);
  });

  it('answers -EINVAL for signed content that is neither data nor Authenticode', () => {
    const v = verifyModuleSignature(withMessage(message({ innerType: OID.signedData })), KEYRING);
    expect([v.errno, v.stage]).toEqual([-22, 'pkcs7_parse_message']);
  });

  it('checks the versions: SignedData 1 or 3 (-EINVAL), SignerInfo matching it (-EBADMSG)', () => {
    const a = verifyModuleSignature(withMessage(message({ version: 2 })), KEYRING);
    expect([a.errno, a.log]).toEqual([-22, ['PKCS7: Unsupported SignedData version']]);
    const b = verifyModuleSignature(withMessage(message({ sid: 'skid', version: 1 })), KEYRING);
    expect([b.errno, b.log]).toEqual([-74, ['PKCS7: SignedData-SignerInfo version mismatch']]);
    const c = verifyModuleSignature(withMessage(message({ signerVersion: 2 })), KEYRING);
    expect([c.errno, c.log]).toEqual([-22, ['PKCS7: Unsupported SignerInfo version']]);
  });

  it('takes the key id from the version, not the form: SignerInfo v3 naming issuer and serial finds no key', () => {
    const v = verifyModuleSignature(withMessage(message({ version: 3, signerVersion: 3 })), KEYRING);
    expect([v.errno, v.signerId]).toEqual([-126, 'skid ']);
  });

  it('answers -EINVAL with 6.1\'s warning when the outer content type is not signedData', () => {
    const v = verifyModuleSignature(withMessage(tlv(SEQ, OID.data, tlv(0xa0, tlv(SEQ)))), KEYRING);
    expect([v.errno, v.stage, v.log]).toEqual([-22, 'pkcs7_parse_message', ['PKCS7: Only support pkcs7_signedData type']]);
  });

  it('ignores bytes after the ContentInfo, as the ASN.1 decoder stops at its end', () => {
    expect(verifyModuleSignature(withMessage(Uint8Array.from([...SIG.signature, 0, 0xff])), KEYRING).errno).toBe(0);
  });

  it('answers -EINVAL when the message carries its own content (it cannot take the module as detached data)', () => {
    const v = verifyModuleSignature(withMessage(message({ content: Uint8Array.of(1, 2, 3) })), KEYRING);
    expect([v.errno, v.stage]).toEqual([-22, 'pkcs7_supply_detached_data']);
  });

  it('answers -EKEYREJECTED for a signature one byte short (pkcs1pad refuses the length)', () => {
    const v = verifyModuleSignature(withMessage(message({ signature: RSA_SIG.subarray(1) })), KEYRING);
    expect(v.errno).toBe(-129);
    expect(v.detail).toContain('255 bytes');
  });
});

describe('malformed PKCS#7 blobs are -EBADMSG', () => {
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['truncated to 100 bytes', SIG.signature.subarray(0, 100)],
    ['missing its last byte', SIG.signature.subarray(0, SIG.signature.length - 1)],
    ['not a SEQUENCE', Uint8Array.from([0x31, ...SIG.signature.subarray(1)])],
    ['with an empty set of signers', tlv(SEQ, OID.signedData, tlv(0xa0, tlv(SEQ, tlv(INT, Uint8Array.of(1)), tlv(SET, tlv(SEQ, OID.sha256)), tlv(SEQ, OID.data), tlv(SET))))],
    ['whose outer length overruns it', Uint8Array.from([...SIG.signature.subarray(0, 2), 0x01, 0xcb, ...SIG.signature.subarray(4)])],
    ['of random bytes', Uint8Array.from({ length: 64 }, (_, i) => (i * 167 + 13) & 0xff)],
  ];
  for (const [name, blob] of cases) {
    it(name, () => {
      const v = verifyModuleSignature(withMessage(blob), KEYRING);
      expect([v.errno, v.stage, v.digest]).toEqual([-74, 'pkcs7_parse_message', null]);
    });
  }

  it('every truncation of the real message, and every bit flip, gives a verdict and never throws', () => {
    const seen = new Set<number>();
    for (let len = 0; len < SIG.signature.length; len++) seen.add(verifyModuleSignature(withMessage(SIG.signature.subarray(0, len)), KEYRING).errno);
    expect([...seen]).toEqual([-74]);
    const flips = new Set<number>();
    const stillValid = new Set<number>();
    for (let bit = 0; bit < SIG.signature.length * 8; bit++) {
      const b = SIG.signature.slice();
      b[bit >> 3] = (b[bit >> 3] as number) ^ (0x80 >> (bit & 7));
      const errno = verifyModuleSignature(withMessage(b), KEYRING).errno;
      flips.add(errno);
      if (errno === 0) stillValid.add(bit >> 3);
    }
    expect([...flips].sort((x, y) => x - y)).toEqual([-129, -126, -74, -65, -22, 0]);
    // Flips that still verify lie only where 6.1 looks at nothing either: SignedData.digestAlgorithms (bytes 26–40,
    // whose OIDs pkcs7_note_OID merely notes) and the NULL parameters of rsaEncryption (bytes 200–201, "ANY OPTIONAL").
    expect([...stillValid].filter((at) => !((at >= 26 && at <= 40) || at === 200 || at === 201))).toEqual([]);
  });
});
