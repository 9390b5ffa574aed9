// Models: the signature fields kmod 30 adds to modinfo's list (libkmod/libkmod-signature.c
// fill_pkcs7, x509_name_to_str; libkmod-module.c kmod_module_get_info): sig_id … signature.
// Simplifies: shown only for a trailer Linux 6.1 accepts and a PKCS#7 blob our walker reads (kmod
// is a little more lenient about the trailer); no PGP or X.509 id types.

import { readPkcs7, type ModuleSignature, type ModuleSignatureError, type UnsignedModule } from '../sim/elf/index';
import { kmodHex } from './modinfo';

const ID_TYPES = ['PGP', 'X509', 'PKCS#7'];

/** (key, value) pairs in kmod's order; none for an unsigned module or a signature kmod cannot read. */
export function signatureFields(signature: UnsignedModule | ModuleSignature | ModuleSignatureError): [string, string][] {
  if (signature.kind !== 'module-signature') return [];
  const pkcs7 = readPkcs7(signature.signature);
  if (pkcs7.kind !== 'pkcs7' || pkcs7.signer.serial === null) return [];
  const { issuer, serial, digestAlgorithm, digestAlgorithmName, signature: bytes } = pkcs7.signer;
  // x509_name_to_str: the first commonName, else the last attribute, else nothing.
  const signer = (issuer.find((a) => a.type === 'CN') ?? issuer[issuer.length - 1])?.value ?? '';
  // BN_bn2bin(ASN1_INTEGER_to_BN(serial)): the magnitude without leading zero bytes.
  const first = serial.findIndex((b) => b !== 0);
  const keyId = first < 0 ? new Uint8Array(0) : serial.subarray(first);
  return [
    ['sig_id', ID_TYPES[signature.info.id_type] ?? 'unknown'],
    ['signer', signer],
    ['sig_key', kmodHex(keyId)],
    ['sig_hashalgo', digestAlgorithmName ?? digestAlgorithm],
    ['signature', kmodHex(bytes)],
  ];
}
