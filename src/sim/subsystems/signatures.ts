// Models: nothing new — the "signatures" subsystem: module_sig_check()'s verification
// (kernel/module/signing.c → verify_pkcs7_signature, loader/verify-signature.ts) and the emulated
// built-in keyring (crypto/builtin-keyring.ts), as one object the kernel is handed (subsystems.ts).
// Simplifies: nothing; see the files it gathers.
import { verifyModuleSignature } from '../kernel/loader/verify-signature';
import { emulatedBuiltinKeyring } from '../crypto/builtin-keyring';

export const signatures = { verifyModuleSignature, emulatedBuiltinKeyring };
