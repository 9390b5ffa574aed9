// Models: the signature appended to a module, read from the end as Linux 6.1 does
// (kernel/module/signing.c module_sig_check, mod_verify_sig; kernel/module_signature.c mod_check_sig).
// Simplifies: the trailer is located and checked; the PKCS#7 blob is only sliced out here (see
// pkcs7.ts), and verifying it is the loader's. The "mangled module" flags are the caller's concern.

import { MODULE_SIG_STRING, module_signature, PKEY_ID_PKCS7 } from './module-structs';
import { readStruct } from './struct';

/** No marker at the end: 6.1's -ENODATA, "unsigned module". */
export interface UnsignedModule {
  readonly kind: 'unsigned-module';
  /** The ELF image: the whole file. */
  readonly elf: Uint8Array;
  readonly elfLength: number;
}

export interface ModuleSignature {
  readonly kind: 'module-signature';
  /** struct module_signature as stored (6.1 requires everything but id_type and sig_len to be 0). */
  readonly info: {
    readonly algo: number;
    readonly hash: number;
    readonly id_type: number;
    readonly signer_len: number;
    readonly key_id_len: number;
    readonly pad: readonly number[];
    readonly sig_len: number;
  };
  /** The signature data (a DER PKCS#7 SignedData for PKEY_ID_PKCS7) and where it starts. */
  readonly signature: Uint8Array;
  readonly signatureOffset: number;
  /** Where struct module_signature starts, and where the 28-byte marker starts. */
  readonly infoOffset: number;
  readonly markerOffset: number;
  /** The ELF image without the signature: what 6.1 checks, lays out and hashes (info->len). */
  readonly elf: Uint8Array;
  readonly elfLength: number;
}

export type ModuleSignatureErrorCode =
  /** After the marker, no room for struct module_signature (mod_verify_sig). */
  | 'no-signature-info'
  /** sig_len is not smaller than what precedes struct module_signature (mod_check_sig). */
  | 'signature-too-long'
  /** id_type is not PKEY_ID_PKCS7 (mod_check_sig). */
  | 'not-pkcs7'
  /** algo, hash, signer_len, key_id_len or __pad is not zero (mod_check_sig). */
  | 'nonzero-params';

/** A trailer 6.1 refuses, with the errno and log line it gives. A value, never thrown. */
export interface ModuleSignatureError {
  readonly kind: 'module-signature-error';
  readonly code: ModuleSignatureErrorCode;
  /** -EBADMSG (-74) or -ENOPKG (-65), as mod_verify_sig returns. */
  readonly errno: -74 | -65;
  readonly errnoName: 'EBADMSG' | 'ENOPKG';
  /** The line 6.1 prints (pr_err, no prefix), or null where it prints nothing. */
  readonly kernelMessage: string | null;
  /** One plain-English sentence. */
  readonly message: string;
}

const MARKER = Array.from(MODULE_SIG_STRING, (c) => c.charCodeAt(0));

/** Finds and checks the appended signature. Allocates nothing beyond a few small records. */
export function readModuleSignature(bytes: Uint8Array): UnsignedModule | ModuleSignature | ModuleSignatureError {
  const markerOffset = bytes.length - MARKER.length;
  // 6.1: info->len > markerlen && memcmp(mod + info->len - markerlen, MODULE_SIG_STRING, markerlen) == 0
  if (markerOffset <= 0 || MARKER.some((b, i) => bytes[markerOffset + i] !== b)) return { kind: 'unsigned-module', elf: bytes, elfLength: bytes.length };
  const modlen = markerOffset;
  if (modlen <= module_signature.size) {
    return failure('no-signature-info', -74, null, `The file ends in the signature marker, but only ${modlen} bytes precede it: no room for the ${module_signature.size}-byte struct module_signature.`);
  }
  const infoOffset = modlen - module_signature.size;
  const raw = readStruct(module_signature, bytes, infoOffset);
  if (raw.sig_len >= infoOffset) {
    return failure('signature-too-long', -74, null, `struct module_signature gives sig_len ${raw.sig_len}, but only ${infoOffset} bytes precede it: the signature would swallow the whole module.`);
  }
  if (raw.id_type !== PKEY_ID_PKCS7) {
    return failure('not-pkcs7', -65, 'module: not signed with expected PKCS#7 message', `The signature's id_type is ${raw.id_type}, not PKEY_ID_PKCS7 (2): 6.1 reads only PKCS#7 signatures.`);
  }
  const pad = Array.from(raw.__pad);
  if (raw.algo !== 0 || raw.hash !== 0 || raw.signer_len !== 0 || raw.key_id_len !== 0 || pad.some((b) => b !== 0)) {
    return failure('nonzero-params', -74, 'module: PKCS#7 signature info has unexpected non-zero params', 'struct module_signature has a non-zero algo, hash, signer_len, key_id_len or padding byte; for PKCS#7 they are all 0 (the PKCS#7 blob names them).');
  }
  const signatureOffset = infoOffset - raw.sig_len;
  return {
    kind: 'module-signature',
    info: { algo: raw.algo, hash: raw.hash, id_type: raw.id_type, signer_len: raw.signer_len, key_id_len: raw.key_id_len, pad, sig_len: raw.sig_len },
    signature: bytes.subarray(signatureOffset, infoOffset),
    signatureOffset,
    infoOffset,
    markerOffset,
    elf: bytes.subarray(0, signatureOffset),
    elfLength: signatureOffset,
  };
}

function failure(code: ModuleSignatureErrorCode, errno: -74 | -65, kernelMessage: string | null, message: string): ModuleSignatureError {
  return { kind: 'module-signature-error', code, errno, errnoName: errno === -74 ? 'EBADMSG' : 'ENOPKG', kernelMessage, message };
}
