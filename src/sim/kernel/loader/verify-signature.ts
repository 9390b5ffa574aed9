// Models: Linux 6.1's check of an appended module signature: kernel/module/signing.c mod_verify_sig →
// certs/system_keyring.c verify_pkcs7_signature → crypto/asymmetric_keys/pkcs7_parser.c, pkcs7_verify.c, pkcs7_trust.c.
// Simplifies: `keyring` is the emulated built-in keyring (crypto/builtin-keyring.ts, the Ring Zero TEST certificate only);
// Debian's real keyring does not hold the project's test key, so on a real Debian kernel this module is reported -ENOKEY.
// Only the first SignerInfo is checked; only sha256 + rsaEncryption are implemented (6.1 also takes sha1/sha224/sha384/
// sha512 and other key types: here those give -ENOPKG); no blacklist; certificates carried in the message are not used;
// definite DER lengths only (6.1's decoder also takes BER indefinite lengths); the message is checked whole before its
// fields, so one both malformed and refused reports -EBADMSG where 6.1 reports whichever it meets first.

import type { ModuleSignature } from '../../elf/signature';
import { decodeOid, DER, derChildren, readDer, type DerElement } from '../../elf/der';
import { readPkcs7 } from '../../elf/pkcs7';
import { bytesEqual, toHex } from '../../crypto/bytes';
import { verifyRsaPkcs1v15Sha256 } from '../../crypto/rsa';
import { sha256 } from '../../crypto/sha256';
import { OID_RSA_ENCRYPTION, type Certificate } from '../../crypto/x509';

export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_MS_INDIRECT_DATA = '1.3.6.1.4.1.311.2.1.4';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';

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
  /** Lines 6.1 itself prints on this path (pr_warn from pkcs7_parser.c / pkcs7_verify.c, "PKCS7: " prefix); most print nothing. */
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
  const parse = 'pkcs7_parse_message';

  // pkcs7_parse_message(): lib/asn1_decoder.c walks the message and the parser's actions fire as it goes.
  // The decoder stops at the end of the outer ContentInfo: bytes after it are never looked at.
  const outer = readDer(sig.signature, 0, sig.signature.length);
  const der = 'kind' in outer ? sig.signature : sig.signature.subarray(0, outer.end);
  const msg = readPkcs7(der);
  if (msg.kind !== 'pkcs7') {
    // pkcs7_check_content_type() refuses a well-formed outer type that is not signedData with -EINVAL.
    const type = 'kind' in outer ? null : readDer(der, outer.contentStart, outer.end);
    const oid = type && !('kind' in type) && type.tag === DER.OID ? decodeOid(type.content) : null;
    if (oid !== null && oid !== OID_SIGNED_DATA) return verdict(-22, parse, `The message's content type is ${oid}, not signedData: -EINVAL.`, ['PKCS7: Only support pkcs7_signedData type']);
    return verdict(-74, parse, `The PKCS#7 message is malformed (${msg.message}, at byte ${msg.offset}): -EBADMSG.`);
  }
  const s = msg.signer;
  // pkcs7_note_signeddata_version, pkcs7_note_content, pkcs7_note_signerinfo_version.
  if (msg.version !== 1 && msg.version !== 3) return verdict(-22, parse, `SignedData version ${msg.version} is neither 1 nor 3: -EINVAL.`, ['PKCS7: Unsupported SignedData version']);
  if (msg.innerContentType !== OID_DATA && msg.innerContentType !== OID_MS_INDIRECT_DATA) {
    return verdict(-22, parse, `The signed content type is ${msg.innerContentType}, neither data nor Authenticode's: -EINVAL (6.1 also prints "PKCS7: Unsupported data type <n>", n being its internal OID number).`);
  }
  if (s.version !== 1 && s.version !== 3) return verdict(-22, parse, `SignerInfo version ${s.version} is neither 1 nor 3: -EINVAL.`, ['PKCS7: Unsupported SignerInfo version']);
  if ((s.version === 1) !== (msg.version === 1)) {
    return verdict(-74, parse, `SignerInfo version ${s.version} does not go with SignedData version ${msg.version}: -EBADMSG.`, ['PKCS7: SignedData-SignerInfo version mismatch']);
  }
  // pkcs7_sig_note_digest_algo: an algorithm it does not know is -ENOPKG.
  if (s.digestAlgorithm !== OID_SHA256) {
    return verdict(-65, parse, `The signer's digest algorithm is ${s.digestAlgorithmName ?? s.digestAlgorithm}; this emulator implements only sha256, so it answers -ENOPKG ("module with unsupported crypto").`);
  }
  // pkcs7_sig_note_authenticated_attr / pkcs7_sig_note_set_of_authattrs.
  if (s.signedAttributes) {
    const problem = checkAuthAttrs(s.signedAttributes, msg.innerContentType);
    if (problem) return verdict(problem.errno, parse, problem.detail, problem.log ? [problem.log] : []);
  } else if (msg.innerContentType === OID_MS_INDIRECT_DATA) {
    return verdict(-74, parse, 'Authenticode content needs authenticated attributes and this signer has none: -EBADMSG.', ['PKCS7: Authenticode requires AuthAttrs']);
  }
  // pkcs7_sig_note_pkey_algo.
  if (s.signatureAlgorithm !== OID_RSA_ENCRYPTION) {
    return verdict(-65, parse, `The signer's public-key algorithm is ${s.signatureAlgorithm}, not rsaEncryption: -ENOPKG ("module with unsupported crypto").`);
  }
  // pkcs7_note_signed_info: the signer's key id is serial + issuer (SignerInfo v1) or the subjectKeyIdentifier (v3),
  // chosen by the version, whatever form the signer identifier actually has.
  const rawIssuer = s.serial ? signerIssuerContent(der) : null;
  const authId = s.version === 1 ? (s.serial && rawIssuer ? concat(s.serial, rawIssuer) : new Uint8Array(0)) : (s.subjectKeyId ?? new Uint8Array(0));
  signerId = s.version === 1 ? `issuer+serial ${toHex(authId)}` : `skid ${toHex(authId)}`;

  // pkcs7_supply_detached_data(): sign-file writes a detached signature; the module is the content.
  if (!msg.detached) return verdict(-22, 'pkcs7_supply_detached_data', 'The PKCS#7 message already carries content, so the module cannot be supplied as its detached data: -EINVAL.');

  // pkcs7_verify(), usage VERIFYING_MODULE_SIGNATURE.
  if (msg.innerContentType !== OID_DATA) return verdict(-129, 'pkcs7_verify', 'The signed content is Authenticode, not data: -EKEYREJECTED.', ['PKCS7: Invalid module sig (not pkcs7-data)']);
  if (s.signedAttributes) {
    return verdict(-129, 'pkcs7_verify', 'The signer has authenticated attributes, which a module signature must not carry: -EKEYREJECTED.', ['PKCS7: Invalid module sig (has authattrs)']);
  }
  // pkcs7_digest(): no authenticated attributes, so the signature covers the digest of the content itself.
  const hash = sha256(sig.elf);
  digest = toHex(hash);

  // pkcs7_validate_trust() → pkcs7_validate_trust_one(): no certificate travels with the message, so the last resort
  // applies: find_asymmetric_key(trust_keyring, sinfo->sig->auth_ids[0]), an exact match against each key's ids
  // (id[0] = the certificate's serial + issuer, id[1] = its subjectKeyIdentifier).
  const key = authId.length === 0 ? undefined : keyring.find((c) => bytesEqual(c.issuerSerialId, authId) || (c.subjectKeyId !== null && bytesEqual(c.subjectKeyId, authId)));
  if (!key) {
    return verdict(-126, 'pkcs7_validate_trust', `No key in the keyring (${keyring.length} certificate${keyring.length === 1 ? '' : 's'}) matches the signer's ${s.version === 1 ? 'issuer and serial' : 'key identifier'}: -ENOKEY ("module with unavailable key").`);
  }

  // verify_signature() → public_key_verify_signature() with "pkcs1pad(rsa,sha256)"; any failure becomes -EKEYREJECTED.
  const result = verifyRsaPkcs1v15Sha256(key.publicKey, s.signature, hash);
  if (result.kind !== 'ok') {
    return verdict(-129, 'public_key_verify_signature', `The signature does not verify under "${key.description}" over SHA-256 ${digest.slice(0, 16)}…: ${result.reason}. pkcs7_validate_trust_one() turns this into -EKEYREJECTED.`, [], key.description);
  }
  return verdict(0, 'public_key_verify_signature', `The RSA-${key.keyBits} signature verifies under "${key.description}": s^e mod n is 00 01 FF…FF 00 || DigestInfo(sha256) || ${digest.slice(0, 16)}…, the SHA-256 of the ${sig.elfLength}-byte module.`, [], key.description);
}

/** 6.1's parse-time rules for authenticatedAttributes: one value each, no repeats, contentType and messageDigest required. */
function checkAuthAttrs(block: Uint8Array, dataType: string): { errno: SignatureErrno; detail: string; log: string | null } | null {
  const wrapper = readDer(block, 0, block.length);
  const attrs = 'kind' in wrapper ? wrapper : derChildren(block, wrapper);
  if ('kind' in attrs) return { errno: -74, detail: `The authenticated attributes are malformed (${attrs.message}): -EBADMSG.`, log: 'PKCS7: Missing required AuthAttr' };
  const seen = new Set<string>();
  for (const attr of attrs) {
    const parts = derChildren(block, attr);
    const oid = 'kind' in parts || parts[0]?.tag !== DER.OID ? null : decodeOid(parts[0].content);
    const values = 'kind' in parts || !parts[1] ? null : derChildren(block, parts[1]);
    if (oid === null || values === null || 'kind' in values) return { errno: -74, detail: 'An authenticated attribute is malformed: -EBADMSG.', log: 'PKCS7: Missing required AuthAttr' };
    if (oid === OID_CONTENT_TYPE || oid === OID_MESSAGE_DIGEST) {
      if (seen.has(oid) || values.length !== 1) return { errno: -129, detail: `The ${oid === OID_CONTENT_TYPE ? 'contentType' : 'messageDigest'} attribute is repeated or has several values: -EKEYREJECTED.`, log: 'PKCS7: Repeated/multivalue AuthAttrs not permitted' };
      seen.add(oid);
      const value = values[0] as DerElement;
      if (oid === OID_CONTENT_TYPE && (value.tag !== DER.OID || decodeOid(value.content) !== dataType)) {
        return { errno: -74, detail: 'The contentType attribute does not name the signed content type: -EBADMSG (6.1 prints "PKCS7: Mismatch between global data type (<n>) and sinfo <i> (<m>)").', log: null };
      }
      if (oid === OID_MESSAGE_DIGEST && value.tag !== DER.OCTET_STRING) return { errno: -74, detail: 'The messageDigest attribute is not an OCTET STRING: -EBADMSG.', log: null };
    }
  }
  if (!seen.has(OID_CONTENT_TYPE) || !seen.has(OID_MESSAGE_DIGEST)) return { errno: -74, detail: 'The authenticated attributes lack contentType or messageDigest: -EBADMSG.', log: 'PKCS7: Missing required AuthAttr' };
  return null;
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

