// Models: a DER X.509 v1–v3 certificate (RFC 5280 §4.1) read as far as Linux 6.1 reads one for a keyring
// (crypto/asymmetric_keys/x509.asn1, x509_cert_parser.c x509_cert_parse / x509_fabricate_name, x509_public_key.c x509_key_preparse).
// Simplifies: no validity dates, no check of the certificate's own signature, only RSA keys (others: unsupported-key,
// the kernel's -ENOPKG), only the subjectKeyIdentifier extension is read; trailing bytes after the certificate are refused.

import { decodeOid, DER, derChildren, derError, readDer, type DerElement, type DerError } from '../elf/der';
import { OID_NAMES, type NameAttribute } from '../elf/pkcs7';
import { decodeText } from '../elf/text';
import { bytesToBigInt, toHex } from './bytes';
import type { RsaPublicKey } from './rsa';

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATION = '2.5.4.10';
const OID_EMAIL = '1.2.840.113549.1.9.1';
const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

export interface Certificate {
  readonly kind: 'x509-certificate';
  /** The whole certificate, as given. */
  readonly der: Uint8Array;
  /** 1, 2 or 3 (the stored value plus one). */
  readonly version: number;
  /** serialNumber: the INTEGER's content bytes, as stored (the kernel's cert->raw_serial). */
  readonly serial: Uint8Array;
  /** The contents of the issuer and subject Names, without their SEQUENCE header (cert->raw_issuer, raw_subject). */
  readonly rawIssuer: Uint8Array;
  readonly rawSubject: Uint8Array;
  /** The Names attribute by attribute, in order. */
  readonly issuer: readonly NameAttribute[];
  readonly subject: readonly NameAttribute[];
  /** The Names as the kernel prints them (x509_fabricate_name: CN, O, "O: CN", else email). */
  readonly issuerName: string;
  readonly subjectName: string;
  /** The certificate's own signature algorithm OID (tbsCertificate.signature). */
  readonly signatureAlgorithm: string;
  /** SubjectPublicKeyInfo.algorithm: always rsaEncryption here. */
  readonly publicKeyAlgorithm: string;
  readonly publicKey: RsaPublicKey;
  /** The modulus size in bits. */
  readonly keyBits: number;
  /** subjectKeyIdentifier's key identifier, or null when absent (cert->raw_skid). */
  readonly subjectKeyId: Uint8Array | null;
  /** The kernel's first key id: raw serial followed by raw issuer (asymmetric_key_generate_id in x509_cert_parse). */
  readonly issuerSerialId: Uint8Array;
  /** The key's description in the keyring: "<subject>: <skid, else serial, in hex>" (x509_key_preparse). */
  readonly description: string;
}

export type X509ErrorCode =
  /** Not DER, or not shaped like a certificate: the kernel's -EBADMSG. */
  | 'malformed'
  /** A public key that is not rsaEncryption: here unsupported (-ENOPKG). */
  | 'unsupported-key';

export interface X509Error {
  readonly kind: 'x509-error';
  readonly code: X509ErrorCode;
  readonly errno: -74 | -65;
  readonly offset: number;
  readonly message: string;
}

/** Parses a DER X.509 certificate. Never throws; every length is checked against its parent. */
export function parseCertificate(der: Uint8Array): Certificate | X509Error {
  const r = parse(der);
  if ('kind' in r && r.kind === 'der-error') return { kind: 'x509-error', code: 'malformed', errno: -74, offset: r.offset, message: r.message };
  return r as Certificate | X509Error;
}

function parse(der: Uint8Array): Certificate | X509Error | DerError {
  const cert = readDer(der, 0, der.length);
  if ('kind' in cert) return cert;
  if (cert.tag !== DER.SEQUENCE) return derError(0, 'a Certificate should be a SEQUENCE');
  if (cert.end !== der.length) return derError(cert.end, `${der.length - cert.end} bytes follow the Certificate`);
  const top = children(der, cert, 'Certificate', 3);
  if ('kind' in top) return top;
  const tbs = top[0] as DerElement;
  if (tbs.tag !== DER.SEQUENCE) return derError(tbs.start, 'tbsCertificate should be a SEQUENCE');
  if ((top[2] as DerElement).tag !== DER.BIT_STRING) return derError((top[2] as DerElement).start, 'signatureValue should be a BIT STRING');
  const f = children(der, tbs, 'tbsCertificate', 6);
  if ('kind' in f) return f;
  let i = 0;
  let version = 1;
  if ((f[0] as DerElement).tag === DER.CONTEXT_0) {
    const v = readDer(der, (f[0] as DerElement).contentStart, (f[0] as DerElement).end);
    if ('kind' in v) return v;
    if (v.tag !== DER.INTEGER || v.content.length !== 1 || (v.content[0] as number) > 2) return derError(v.start, 'the version should be INTEGER 0, 1 or 2');
    version = (v.content[0] as number) + 1;
    i = 1;
  }
  if (f.length < i + 6) return derError(tbs.start, `tbsCertificate has ${f.length} fields, too few`);
  const serial = f[i] as DerElement;
  if (serial.tag !== DER.INTEGER || serial.content.length === 0) return derError(serial.start, 'serialNumber should be a non-empty INTEGER');
  const signatureAlgorithm = algorithm(der, f[i + 1] as DerElement, 'tbsCertificate.signature');
  if (typeof signatureAlgorithm !== 'string') return signatureAlgorithm;
  const issuerEl = f[i + 2] as DerElement;
  const issuer = readName(der, issuerEl, 'issuer');
  if ('kind' in issuer) return issuer;
  if ((f[i + 3] as DerElement).tag !== DER.SEQUENCE) return derError((f[i + 3] as DerElement).start, 'validity should be a SEQUENCE');
  const subjectEl = f[i + 4] as DerElement;
  const subject = readName(der, subjectEl, 'subject');
  if ('kind' in subject) return subject;
  const spki = readSpki(der, f[i + 5] as DerElement);
  if ('kind' in spki) return spki;

  let subjectKeyId: Uint8Array | null = null;
  for (const extra of f.slice(i + 6)) {
    if (extra.tag === 0x81 || extra.tag === 0x82 || extra.tag === 0xa1 || extra.tag === 0xa2) continue; // issuer/subjectUniqueID
    if (extra.tag !== 0xa3) return derError(extra.start, `an unexpected field with tag 0x${extra.tag.toString(16)} ends tbsCertificate`);
    const skid = readExtensions(der, extra);
    if (skid !== null && 'kind' in skid) return skid;
    subjectKeyId = skid;
  }

  const subjectName = fabricateName(subject.segments);
  const serialBytes = serial.content;
  const issuerSerialId = new Uint8Array(serialBytes.length + issuerEl.content.length);
  issuerSerialId.set(serialBytes);
  issuerSerialId.set(issuerEl.content, serialBytes.length);
  return {
    kind: 'x509-certificate',
    der,
    version,
    serial: serialBytes,
    rawIssuer: issuerEl.content,
    rawSubject: subjectEl.content,
    issuer: issuer.attributes,
    subject: subject.attributes,
    issuerName: fabricateName(issuer.segments),
    subjectName,
    signatureAlgorithm,
    publicKeyAlgorithm: OID_RSA_ENCRYPTION,
    publicKey: spki.key,
    keyBits: spki.bits,
    subjectKeyId,
    issuerSerialId,
    description: `${subjectName}: ${toHex(subjectKeyId ?? serialBytes)}`,
  };
}

/** SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING } holding RSAPublicKey ::= SEQUENCE { n, e }. */
function readSpki(der: Uint8Array, spki: DerElement): { key: RsaPublicKey; bits: number } | X509Error | DerError {
  if (spki.tag !== DER.SEQUENCE) return derError(spki.start, 'subjectPublicKeyInfo should be a SEQUENCE');
  const parts = children(der, spki, 'subjectPublicKeyInfo', 2);
  if ('kind' in parts) return parts;
  const algo = algorithm(der, parts[0] as DerElement, 'subjectPublicKeyInfo.algorithm');
  if (typeof algo !== 'string') return algo;
  if (algo !== OID_RSA_ENCRYPTION) {
    return { kind: 'x509-error', code: 'unsupported-key', errno: -65, offset: (parts[0] as DerElement).start, message: `the public key algorithm is ${OID_NAMES[algo] ?? algo}, not rsaEncryption` };
  }
  const bits = parts[1] as DerElement;
  if (bits.tag !== DER.BIT_STRING || bits.content.length < 2 || bits.content[0] !== 0) return derError(bits.start, 'subjectPublicKey should be a BIT STRING of whole bytes');
  // The BIT STRING's bytes after the unused-bits count are themselves DER: offsets stay in `der`.
  const rsa = readDer(der, bits.contentStart + 1, bits.end);
  if ('kind' in rsa) return rsa;
  if (rsa.tag !== DER.SEQUENCE || rsa.end !== bits.end) return derError(rsa.start, 'RSAPublicKey should be a SEQUENCE filling the BIT STRING');
  const ne = children(der, rsa, 'RSAPublicKey', 2);
  if ('kind' in ne) return ne;
  const n = positiveInteger(ne[0] as DerElement, 'the modulus');
  if (typeof n !== 'bigint') return n;
  const e = positiveInteger(ne[1] as DerElement, 'the public exponent');
  if (typeof e !== 'bigint') return e;
  return { key: { n, e }, bits: n.toString(2).length };
}

/** Extensions ::= [3] EXPLICIT SEQUENCE OF Extension; returns the subjectKeyIdentifier's key id, or null. */
function readExtensions(der: Uint8Array, wrapper: DerElement): Uint8Array | null | DerError {
  const seq = readDer(der, wrapper.contentStart, wrapper.end);
  if ('kind' in seq) return seq;
  if (seq.tag !== DER.SEQUENCE || seq.end !== wrapper.end) return derError(seq.start, 'extensions should be one SEQUENCE');
  const list = children(der, seq, 'extensions', 0);
  if ('kind' in list) return list;
  let skid: Uint8Array | null = null;
  for (const ext of list) {
    if (ext.tag !== DER.SEQUENCE) return derError(ext.start, 'an Extension should be a SEQUENCE');
    const parts = children(der, ext, 'Extension', 2);
    if ('kind' in parts) return parts;
    const oid = (parts[0] as DerElement).tag === DER.OID ? decodeOid((parts[0] as DerElement).content) : null;
    if (oid === null) return derError(ext.start, 'Extension.extnID should be an OBJECT IDENTIFIER');
    const value = parts[parts.length - 1] as DerElement;
    if (value.tag !== DER.OCTET_STRING) return derError(value.start, 'Extension.extnValue should be an OCTET STRING');
    if (oid !== OID_SUBJECT_KEY_IDENTIFIER) continue;
    const id = readDer(der, value.contentStart, value.end);
    if ('kind' in id) return id;
    if (id.tag !== DER.OCTET_STRING || id.end !== value.end) return derError(id.start, 'subjectKeyIdentifier should hold one OCTET STRING');
    skid = id.content;
  }
  return skid;
}

export interface NameSegments {
  readonly cn: Uint8Array | null;
  readonly o: Uint8Array | null;
  readonly email: Uint8Array | null;
}

/** A Name: SEQUENCE OF SET OF { type, value }. Like x509_extract_name_segment, the last CN, O and email win. */
function readName(der: Uint8Array, name: DerElement, what: string): { attributes: NameAttribute[]; segments: NameSegments } | DerError {
  if (name.tag !== DER.SEQUENCE) return derError(name.start, `the ${what} Name should be a SEQUENCE`);
  const rdns = children(der, name, what, 0);
  if ('kind' in rdns) return rdns;
  const attributes: NameAttribute[] = [];
  let cn: Uint8Array | null = null, o: Uint8Array | null = null, email: Uint8Array | null = null;
  for (const rdn of rdns) {
    if (rdn.tag !== DER.SET) return derError(rdn.start, `a component of the ${what} should be a SET`);
    const pairs = children(der, rdn, what, 1);
    if ('kind' in pairs) return pairs;
    for (const pair of pairs) {
      if (pair.tag !== DER.SEQUENCE) return derError(pair.start, `an attribute of the ${what} should be a SEQUENCE`);
      const tv = children(der, pair, `an attribute of the ${what}`, 2);
      if ('kind' in tv) return tv;
      const oid = (tv[0] as DerElement).tag === DER.OID ? decodeOid((tv[0] as DerElement).content) : null;
      if (oid === null) return derError(pair.start, `an attribute type of the ${what} should be an OBJECT IDENTIFIER`);
      const value = tv[1] as DerElement;
      if (value.constructed) return derError(value.start, `an attribute value of the ${what} should be a string`);
      attributes.push({ oid, type: OID_NAMES[oid] ?? null, value: text(value) });
      if (oid === OID_COMMON_NAME) cn = value.content;
      else if (oid === OID_ORGANIZATION) o = value.content;
      else if (oid === OID_EMAIL) email = value.content;
    }
  }
  return { attributes, segments: { cn, o, email } };
}

/** x509_fabricate_name (6.1): "O: CN" unless the CN begins with the O or shares its first 7 bytes; else CN, O, email, "". */
export function fabricateName({ cn, o, email }: NameSegments): string {
  const str = (b: Uint8Array): string => decodeText(b);
  if (cn && cn.length > 0 && o && o.length > 0) {
    if (cn.length >= o.length && startsWith(cn, o, o.length)) return str(cn);
    if (cn.length >= 7 && o.length >= 7 && startsWith(cn, o, 7)) return str(cn);
    return `${str(o)}: ${str(cn)}`;
  }
  if (cn && cn.length > 0) return str(cn);
  if (o && o.length > 0) return str(o);
  return email ? str(email) : '';
}

function startsWith(a: Uint8Array, b: Uint8Array, count: number): boolean {
  for (let k = 0; k < count; k++) if (a[k] !== b[k]) return false;
  return true;
}

function text(value: DerElement): string {
  if (value.tag !== DER.BMPString) return decodeText(value.content);
  let s = '';
  for (let k = 0; k + 1 < value.content.length; k += 2) s += String.fromCharCode(((value.content[k] as number) << 8) | (value.content[k + 1] as number));
  return s;
}

function children(der: Uint8Array, parent: DerElement, what: string, min: number): DerElement[] | DerError {
  const list = derChildren(der, parent);
  if ('kind' in list) return derError(list.offset, `${what}: ${list.message}`);
  if (list.length < min) return derError(parent.start, `${what} has ${list.length} fields, fewer than ${min}`);
  return list;
}

function algorithm(der: Uint8Array, e: DerElement, what: string): string | DerError {
  if (e.tag !== DER.SEQUENCE) return derError(e.start, `${what} should be an AlgorithmIdentifier SEQUENCE`);
  const first = readDer(der, e.contentStart, e.end);
  if ('kind' in first) return first;
  const oid = first.tag === DER.OID ? decodeOid(first.content) : null;
  return oid ?? derError(first.start, `${what} should begin with an OBJECT IDENTIFIER`);
}

function positiveInteger(e: DerElement, what: string): bigint | DerError {
  if (e.tag !== DER.INTEGER || e.content.length === 0) return derError(e.start, `${what} should be a non-empty INTEGER`);
  if ((e.content[0] as number) & 0x80) return derError(e.start, `${what} is negative`);
  const value = bytesToBigInt(e.content);
  if (value === 0n) return derError(e.start, `${what} is zero`);
  return value;
}
