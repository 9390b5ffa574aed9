// Models: the fixed-layout structures a module file carries besides ELF's own: modversion_info
// (Linux 6.1 include/linux/module.h, MODULE_NAME_LEN from include/linux/moduleparam.h) and
// module_signature (include/linux/module_signature.h), for x86-64 (LP64).
// Simplifies: struct module itself is not declared here; its offsets come from the generated layout.

import { be32, charArray, defineStruct, u8, unsignedLong } from './struct';

/** MODULE_NAME_LEN = MAX_PARAM_PREFIX_LEN = 64 - sizeof(unsigned long): 56 on x86-64. */
export const MODULE_NAME_LEN = 64 - 8;

/** struct modversion_info { unsigned long crc; char name[MODULE_NAME_LEN]; }: 64 bytes. */
export const modversion_info = defineStruct('modversion_info', 64, [
  ['crc', 0, unsignedLong],
  ['name', 8, charArray(MODULE_NAME_LEN)],
] as const);

/** struct module_signature: the 12 bytes just before the appended-signature magic. */
export const module_signature = defineStruct('module_signature', 12, [
  ['algo', 0, u8],
  ['hash', 1, u8],
  ['id_type', 2, u8],
  ['signer_len', 3, u8],
  ['key_id_len', 4, u8],
  ['__pad', 5, charArray(3)],
  ['sig_len', 8, be32],
] as const);

/** MODULE_SIG_STRING, the 28 bytes that end a signed module. */
export const MODULE_SIG_STRING = '~Module signature appended~\n';

/** enum pkey_id_type: PKEY_ID_PGP, PKEY_ID_X509, PKEY_ID_PKCS7. */
export const PKEY_ID_PKCS7 = 2;
