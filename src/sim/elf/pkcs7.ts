// Models: the PKCS#7 SignedData that sign-file appends to a module (RFC 2315 §9; Linux 6.1
// crypto/asymmetric_keys/pkcs7.asn1 and pkcs7_parser.c): the signer's issuer, serial, algorithms, signature.
// Simplifies: a walk of the fields, not a verifier: certificates and CRLs are skipped, only the first
// SignerInfo is read, and signed attributes are kept as raw bytes. A malformed blob is 6.1's -EBADMSG.

import { decodeOid, DER, derChildren, derError, expectDer, readDer, type DerElement, type DerError } from './der';
import { decodeText } from './text';

export const OID_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.7.1': 'data',
  '1.2.840.113549.1.7.2': 'signedData',
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

export interface NameAttribute {
  readonly oid: string;
  /** 'CN', 'O', … or null for a type this table does not name. */
  readonly type: string | null;
  readonly value: string;
}

export interface Pkcs7SignerInfo {
  readonly version: number;
  /** issuerAndSerialNumber (version 1): the issuer's name, attribute by attribute. Empty for a key identifier. */
  readonly issuer: readonly NameAttribute[];
  /** The certificate's serial number: the INTEGER's content bytes. Null when the signer is named by key identifier. */
  readonly serial: Uint8Array | null;
  /** subjectKeyIdentifier (version 3), or null. */
  readonly subjectKeyId: Uint8Array | null;
  readonly digestAlgorithm: string;
  /** 'sha256', … (the kernel's hash_algo_name), or null when unknown. */
  readonly digestAlgorithmName: string | null;
  readonly signatureAlgorithm: string;
  /** authenticatedAttributes as DER, or null (sign-file writes none: CMS_NOATTR). */
  readonly signedAttributes: Uint8Array | null;
  /** encryptedDigest: the signature bytes (an RSA signature is as long as the key's modulus). */
  readonly signature: Uint8Array;
}

export interface Pkcs7SignedData {
  readonly kind: 'pkcs7';
  readonly contentType: string;
  readonly version: number;
  readonly digestAlgorithms: readonly string[];
  /** The contentInfo's type (data) and whether the content is detached, as for modules. */
  readonly innerContentType: string;
  readonly detached: boolean;
  readonly certificateCount: number;
  readonly signerCount: number;
  readonly signer: Pkcs7SignerInfo;
}

/** Parses a DER PKCS#7 SignedData. Never throws; every length is checked against its parent. */
export function readPkcs7(der: Uint8Array): Pkcs7SignedData | DerError {
  const outer = expectDer(der, 0, der.length, DER.SEQUENCE, 'ContentInfo');
  if ('kind' in outer) return outer;
  if (outer.end !== der.length) return derError(outer.end, `${der.length - outer.end} bytes follow the ContentInfo`);
  const top = fields(der, outer, 'ContentInfo', 2);
  if ('kind' in top) return top;
  const contentType = oidOf(top[0], 'ContentInfo.contentType');
  if (typeof contentType !== 'string') return contentType;
  if (contentType !== '1.2.840.113549.1.7.2') return derError(outer.contentStart, `the content type is ${contentType}, not signedData`);
  const explicit = top[1] as DerElement;
  if (explicit.tag !== DER.CONTEXT_0) return derError(explicit.start, 'ContentInfo.content should be [0] EXPLICIT');
  const signed = expectDer(der, explicit.contentStart, explicit.end, DER.SEQUENCE, 'SignedData');
  if ('kind' in signed) return signed;
  const parts = fields(der, signed, 'SignedData', 4);
  if ('kind' in parts) return parts;
  const version = smallInteger(parts[0] as DerElement, 'SignedData.version');
  if (typeof version !== 'number') return version;
  const digestSet = parts[1] as DerElement;
  if (digestSet.tag !== DER.SET) return derError(digestSet.start, 'SignedData.digestAlgorithms should be a SET');
  const digests = derChildren(der, digestSet);
  if ('kind' in digests) return digests;
  const digestAlgorithms: string[] = [];
  for (const d of digests) {
    const oid = algorithmOf(der, d, 'SignedData.digestAlgorithms');
    if (typeof oid !== 'string') return oid;
    digestAlgorithms.push(oid);
  }
  const inner = parts[2] as DerElement;
  if (inner.tag !== DER.SEQUENCE) return derError(inner.start, 'SignedData.contentInfo should be a SEQUENCE');
  const innerParts = fields(der, inner, 'SignedData.contentInfo', 1);
  if ('kind' in innerParts) return innerParts;
  const innerContentType = oidOf(innerParts[0], 'SignedData.contentInfo.contentType');
  if (typeof innerContentType !== 'string') return innerContentType;
  let next = 3;
  let certificateCount = 0;
  if (parts[next]?.tag === DER.CONTEXT_0) {
    const certs = derChildren(der, parts[next] as DerElement);
    if ('kind' in certs) return certs;
    certificateCount = certs.length;
    next++;
  }
  if (parts[next]?.tag === DER.CONTEXT_1) next++;
  const signerSet = parts[next];
  if (!signerSet || signerSet.tag !== DER.SET || next !== parts.length - 1) return derError(signed.start, 'SignedData should end with the SET of signerInfos');
  const signers = derChildren(der, signerSet);
  if ('kind' in signers) return signers;
  if (signers.length === 0) return derError(signerSet.start, 'SignedData has no signerInfos');
  const signer = readSignerInfo(der, signers[0] as DerElement);
  if ('kind' in signer) return signer;
  return {
    kind: 'pkcs7',
    contentType,
    version,
    digestAlgorithms,
    innerContentType,
    detached: innerParts.length === 1,
    certificateCount,
    signerCount: signers.length,
    signer,
  };
}

function readSignerInfo(der: Uint8Array, info: DerElement): Pkcs7SignerInfo | DerError {
  if (info.tag !== DER.SEQUENCE) return derError(info.start, 'a SignerInfo should be a SEQUENCE');
  const parts = fields(der, info, 'SignerInfo', 5);
  if ('kind' in parts) return parts;
  const version = smallInteger(parts[0] as DerElement, 'SignerInfo.version');
  if (typeof version !== 'number') return version;
  const sid = parts[1] as DerElement;
  let issuer: NameAttribute[] = [];
  let serial: Uint8Array | null = null;
  let subjectKeyId: Uint8Array | null = null;
  if (sid.tag === DER.SEQUENCE) {
    const pair = fields(der, sid, 'SignerInfo.issuerAndSerialNumber', 2);
    if ('kind' in pair) return pair;
    const name = readName(der, pair[0] as DerElement);
    if ('kind' in name) return name;
    issuer = name;
    if ((pair[1] as DerElement).tag !== DER.INTEGER) return derError((pair[1] as DerElement).start, 'the serial number should be an INTEGER');
    serial = (pair[1] as DerElement).content;
  } else if (sid.tag === 0x80) subjectKeyId = sid.content;
  else return derError(sid.start, 'SignerInfo names its signer neither by issuer and serial nor by key identifier');
  const digestAlgorithm = algorithmOf(der, parts[2] as DerElement, 'SignerInfo.digestAlgorithm');
  if (typeof digestAlgorithm !== 'string') return digestAlgorithm;
  let next = 3;
  let signedAttributes: Uint8Array | null = null;
  if (parts[next]?.tag === DER.CONTEXT_0) {
    signedAttributes = der.subarray((parts[next] as DerElement).start, (parts[next] as DerElement).end);
    next++;
  }
  const sigAlg = parts[next];
  const sig = parts[next + 1];
  if (!sigAlg || !sig) return derError(info.start, 'SignerInfo ends before its signature');
  const signatureAlgorithm = algorithmOf(der, sigAlg, 'SignerInfo.digestEncryptionAlgorithm');
  if (typeof signatureAlgorithm !== 'string') return signatureAlgorithm;
  if (sig.tag !== DER.OCTET_STRING) return derError(sig.start, 'SignerInfo.encryptedDigest should be an OCTET STRING');
  const digestAlgorithmName = OID_NAMES[digestAlgorithm] ?? null;
  return {
    version,
    issuer,
    serial,
    subjectKeyId,
    digestAlgorithm,
    digestAlgorithmName: digestAlgorithmName?.startsWith('sha') ? digestAlgorithmName : null,
    signatureAlgorithm,
    signedAttributes,
    signature: sig.content,
  };
}

/** A Name: SEQUENCE OF SET OF { type OID, value string }, flattened in order. */
function readName(der: Uint8Array, name: DerElement): NameAttribute[] | DerError {
  if (name.tag !== DER.SEQUENCE) return derError(name.start, 'the issuer Name should be a SEQUENCE');
  const rdns = derChildren(der, name);
  if ('kind' in rdns) return rdns;
  const attributes: NameAttribute[] = [];
  for (const rdn of rdns) {
    if (rdn.tag !== DER.SET) return derError(rdn.start, 'a name component should be a SET');
    const pairs = derChildren(der, rdn);
    if ('kind' in pairs) return pairs;
    for (const pair of pairs) {
      const tv = pair.tag === DER.SEQUENCE ? fields(der, pair, 'an attribute of the issuer', 2) : derError(pair.start, 'a name attribute should be a SEQUENCE');
      if ('kind' in tv) return tv;
      const oid = oidOf(tv[0], 'the attribute type');
      if (typeof oid !== 'string') return oid;
      const value = tv[1] as DerElement;
      attributes.push({ oid, type: OID_NAMES[oid] ?? null, value: value.tag === DER.BMPString ? utf16be(value.content) : decodeText(value.content) });
    }
  }
  return attributes;
}

/** The children of a constructed element, at least `min` of them. */
function fields(der: Uint8Array, parent: DerElement, what: string, min: number): DerElement[] | DerError {
  const children = derChildren(der, parent);
  if ('kind' in children) return derError(children.offset, `${what}: ${children.message}`);
  if (children.length < min) return derError(parent.start, `${what} has ${children.length} fields, fewer than ${min}`);
  return children;
}

function oidOf(e: DerElement | undefined, what: string): string | DerError {
  if (!e || e.tag !== DER.OID) return derError(e?.start ?? 0, `${what} should be an OBJECT IDENTIFIER`);
  return decodeOid(e.content) ?? derError(e.start, `${what} is not a well-formed OBJECT IDENTIFIER`);
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }. */
function algorithmOf(der: Uint8Array, e: DerElement, what: string): string | DerError {
  if (e.tag !== DER.SEQUENCE) return derError(e.start, `${what} should be a SEQUENCE`);
  const first = readDer(der, e.contentStart, e.end);
  if ('kind' in first) return first;
  return oidOf(first, what);
}

function smallInteger(e: DerElement, what: string): number | DerError {
  if (e.tag !== DER.INTEGER || e.content.length === 0 || e.content.length > 4) return derError(e.start, `${what} should be a small INTEGER`);
  return e.content.reduce((n, b) => n * 256 + b, 0);
}

function utf16be(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  return text;
}
