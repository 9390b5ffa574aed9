// Models: Linux 6.1's check of an appended module signature: kernel/module/signing.c mod_verify_sig →
// certs/system_keyring.c verify_pkcs7_signature → crypto/asymmetric_keys/pkcs7_parser.c, pkcs7_verify.c, pkcs7_trust.c.
// Simplifies: the keyring passed in is the emulated built-in keyring (crypto/builtin-keyring.ts: only the Ring Zero TEST
// certificate; Debian's real keyring does not hold the project's test key, so on a real Debian kernel this module is
// reported -ENOKEY). Only the first SignerInfo is checked; only sha256 + rsaEncryption are implemented (6.1 also takes
// sha1/sha224/sha384/sha512 and other key types: here those give -ENOPKG); no blacklist, no certificates carried in the message.

import type { ModuleSignature } from '../../elf/signature';
import { DER, derChildren, readDer, type DerElement } from '../../elf/der';
import { readPkcs7 } from '../../elf/pkcs7';
import { bytesEqual, toHex } from '../../crypto/bytes';
import { verifyRsaPkcs1v15Sha256 } from '../../crypto/rsa';
import { sha256 } from '../../crypto/sha256';
import { OID_RSA_ENCRYPTION, type Certificate } from '../../crypto/x509';

export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_DATA = '1.2.840.113549.1.7.1';

/** 0, -EINVAL (-22), -EBADMSG (-74), -ENOPKG (-65), -ENOKEY (-126), -EKEYREJECTED (-129). */
export type SignatureErrno = 0 | -22 | -74 | -65 | -126 | -129;

/** Which step decided the verdict, named after the 6.1 function that returns it. */
export type SignatureStage =
  | 'pkcs7_parse_message'
  | 'pkcs7_supply_detached_data'
  | 'pkcs7_verify'
  | 'pkcs7_validate_trust'
  | 'public_key_verify_signature';

export interface SignatureVerdict {
  readonly errno: SignatureErrno;
  /** One plain-English sentence: what was checked and what decided it. */
  readonly detail: string;
  readonly stage: SignatureStage;
  /** Lines 6.1 itself prints on this path (pr_warn from pkcs7_verify.c, "PKCS7: " prefix); most failures print nothing. */
  readonly log: readonly string[];
  /** SHA-256 of the module without its signature (hex), once computed. */
  readonly digest: string | null;
  /** How the signer is named: "issuer+serial <hex>" or "skid <hex>", once parsed. */
  readonly signerId: string | null;
  /** The keyring entry that matched (its description, e.g. "Ring Zero sample signing key (test only): 1e4762…"), or null. */
  readonly key: string | null;
}

/**
 * verify_pkcs7_signature(mod, modlen, sig, sig_len, VERIFY_USE_SECONDARY_KEYRING, VERIFYING_MODULE_SIGNATURE) for a
 * module whose trailer readModuleSignature() accepted. `keyring` is the emulated trusted keyring. Never throws.
 */
export function verifyModuleSignature(sig: ModuleSignature, keyring: readonly Certificate[]): SignatureVerdict {
  let digest: string | null = null;
  let signerId: string | null = null;
  const verdict = (errno: SignatureErrno, stage: SignatureStage, detail: string, log: string[] = [], key: string | null = null): SignatureVerdict => ({ errno, stage, detail, log, digest, signerId, key });

  // pkcs7_parse_message(): the ASN.1 decoder and the parser's actions. Anything malformed is -EBADMSG.
  const msg = readPkcs7(sig.signature);
  if (msg.kind !== 'pkcs7') return verdict(-74, 'pkcs7_parse_message', `The PKCS#7 message is malformed (${msg.message}, at byte ${msg.offset}): -EBADMSG.`);
  const s = msg.signer;
  // pkcs7_sig_note_digest_algo / pkcs7_sig_note_pkey_algo reject algorithms they do not know with -ENOPKG.
  if (s.digestAlgorithm !== OID_SHA256) {
    return verdict(-65, 'pkcs7_parse_message', `The signer's digest algorithm is ${s.digestAlgorithmName ?? s.digestAlgorithm}; this emulator implements only sha256, so it answers -ENOPKG ("module with unsupported crypto").`);
  }
  if (s.signatureAlgorithm !== OID_RSA_ENCRYPTION) {
    return verdict(-65, 'pkcs7_parse_message', `The signer's public-key algorithm is ${s.signatureAlgorithm}, not rsaEncryption: -ENOPKG ("module with unsupported crypto").`);
  }
  const rawIssuer = s.serial ? signerIssuerContent(sig.signature) : null;
  if (s.serial && !rawIssuer) return verdict(-74, 'pkcs7_parse_message', 'The signer\'s issuer Name could not be located in the PKCS#7 message: -EBADMSG.');
  const authId = s.serial && rawIssuer ? concat(s.serial, rawIssuer) : (s.subjectKeyId as Uint8Array);
  signerId = s.serial ? `issuer+serial ${toHex(authId)}` : `skid ${toHex(authId)}`;

  // pkcs7_supply_detached_data(): sign-file writes a detached signature; the module is the content.
  if (!msg.detached) return verdict(-22, 'pkcs7_supply_detached_data', 'The PKCS#7 message already carries content, so the module cannot be supplied as its detached data: -EINVAL.');

  // pkcs7_verify(), usage VERIFYING_MODULE_SIGNATURE.
  if (msg.innerContentType !== OID_DATA) {
    return verdict(-129, 'pkcs7_verify', `The signed content type is ${msg.innerContentType}, not data: -EKEYREJECTED.`, ['PKCS7: Invalid module sig (not pkcs7-data)']);
  }
  if (s.signedAttributes) {
    return verdict(-129, 'pkcs7_verify', 'The signer has authenticated attributes, which a module signature must not carry: -EKEYREJECTED.', ['PKCS7: Invalid module sig (has authattrs)']);
  }
  // pkcs7_digest(): no authenticated attributes, so the signature covers the digest of the content itself.
  const hash = sha256(sig.elf);
  digest = toHex(hash);

  // pkcs7_validate_trust() → pkcs7_validate_trust_one(): no certificate travels with the message, so the last resort
  // applies: find_asymmetric_key(trust_keyring, sinfo->sig->auth_ids[0]), an exact match against each key's ids
  // (id[0] = the certificate's serial + issuer, id[1] = its subjectKeyIdentifier).
  const key = keyring.find((c) => bytesEqual(c.issuerSerialId, authId) || (c.subjectKeyId !== null && bytesEqual(c.subjectKeyId, authId)));
  if (!key) {
    return verdict(-126, 'pkcs7_validate_trust', `No key in the keyring (${keyring.length} certificate${keyring.length === 1 ? '' : 's'}) matches the signer's ${s.serial ? 'issuer and serial' : 'key identifier'}: -ENOKEY ("module with unavailable key").`);
  }

  // verify_signature() → public_key_verify_signature() with "pkcs1pad(rsa,sha256)"; any failure becomes -EKEYREJECTED.
  const result = verifyRsaPkcs1v15Sha256(key.publicKey, s.signature, hash);
  if (result.kind !== 'ok') {
    return verdict(-129, 'public_key_verify_signature', `The signature does not verify under "${key.description}" over SHA-256 ${digest.slice(0, 16)}…: ${result.reason}. pkcs7_validate_trust_one() turns this into -EKEYREJECTED.`, [], key.description);
  }
  return verdict(0, 'public_key_verify_signature', `The RSA-${key.keyBits} signature verifies under "${key.description}": s^e mod n is 00 01 FF…FF 00 || DigestInfo(sha256) || ${digest.slice(0, 16)}…, the SHA-256 of the ${sig.elfLength}-byte module.`, [], key.description);
}

/** The content bytes of the first SignerInfo's issuer Name (what pkcs7_sig_note_issuer records as raw_issuer). */
function signerIssuerContent(der: Uint8Array): Uint8Array | null {
  const step = (parent: DerElement | null, pick: (c: DerElement[]) => DerElement | undefined): DerElement | null => {
    if (!parent) return null;
    const list = derChildren(der, parent);
    return 'kind' in list ? null : (pick(list) ?? null);
  };
  const outer = readDer(der, 0, der.length);
  if ('kind' in outer) return null;
  const explicit = step(outer, (c) => c[1]);
  const signedData = step(explicit, (c) => c[0]);
  const signerSet = step(signedData, (c) => c[c.length - 1]);
  const signerInfo = step(signerSet, (c) => c[0]);
  const sid = step(signerInfo, (c) => c[1]);
  const name = step(sid, (c) => c[0]);
  return name && name.tag === DER.SEQUENCE && sid?.tag === DER.SEQUENCE ? name.content : null;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Names for the verdict's errno, for logs and the book. */
export const SIGNATURE_ERRNO_NAMES: Readonly<Record<SignatureErrno, string>> = {
  0: 'OK', [-22]: 'EINVAL', [-74]: 'EBADMSG', [-65]: 'ENOPKG', [-126]: 'ENOKEY', [-129]: 'EKEYREJECTED',
};

