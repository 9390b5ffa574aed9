// Models: the first stages of Linux 6.1's load_module() (kernel/module/main.c, signing.c): what
// they check in the raw file and what they learn — module_sig_check, elf_validity_check,
// setup_load_info — with their log lines and errors.
// Simplifies: the signature is verified (verify-signature.ts: PKCS#7, SHA-256, RSA) against the
// emulated built-in keyring in LoadFlags.keyring. By default it is empty, like Debian's as far as
// the samples are concerned (their test key is not in it), so a signed sample gives -ENOKEY
// ("module with unavailable key"), exactly as on the real kernel; a scenario may enrol the test key.
import { readElf, isElfError, readModinfo, readModuleSignature, readVersions, type ElfFile, type Modinfo, type ModuleVersions, SHT_SYMTAB } from '../../elf';
import { EBADMSG, EKEYREJECTED, ENOEXEC, ENOKEY, ENOPKG, EPERM } from './errno';
import type { verifyModuleSignature } from './verify-signature';
import type { Certificate } from '../../crypto/x509';

export interface LoadFlags {
  /** module.sig_enforce=1 on the command line (or CONFIG_MODULE_SIG_FORCE). */
  sigEnforce: boolean;
  /** lockdown=integrity: unsigned modules are refused by the lockdown LSM. */
  lockdown: boolean;
  /** MODULE_INIT_IGNORE_MODVERSIONS / _VERMAGIC (insmod --force). */
  ignoreModversions: boolean;
  ignoreVermagic: boolean;
  /** The name of the program loading the module, for lockdown's message. */
  comm: string;
  /** The emulated built-in keyring; absent or empty means the samples' test key is not trusted. */
  keyring?: readonly Certificate[];
}

export interface LoadInfo {
  /** The ELF image without any appended signature. */
  image: Uint8Array;
  elf: ElfFile;
  modinfo: Modinfo;
  versions: ModuleVersions | null;
  /** info->name: from .modinfo's name= or, failing that, struct module's name field. */
  name: string;
  sigOk: boolean;
}

export type Failure = { errno: number; log: string[] };
export const fail = (errno: number, ...log: string[]): Failure => ({ errno, log });
export const isFailure = (x: unknown): x is Failure => typeof x === 'object' && x !== null && 'errno' in x && 'log' in x;

const NO_NAME = '(missing .modinfo section or name field)';

/** module_sig_check(): kernel/module/signing.c. Returns the image to go on with and sig_ok. */
export function moduleSigCheck(file: Uint8Array, flags: LoadFlags, verify: typeof verifyModuleSignature): { image: Uint8Array; sigOk: boolean } | Failure {
  const mangled = flags.ignoreModversions || flags.ignoreVermagic;
  let err = -61; // -ENODATA: no signature
  let image = file;
  if (!mangled) {
    const sig = readModuleSignature(file);
    if (sig.kind === 'module-signature') {
      image = sig.elf;
      // mod_check_sig(): the struct module_signature fields other than id_type and sig_len must be 0.
      const i = sig.info;
      if (i.id_type !== 2) err = ENOPKG; // "not signed with expected PKCS#7 message"
      else if (i.algo || i.hash || i.signer_len || i.key_id_len || i.pad.some((b) => b)) return fail(EBADMSG);
      else {
        const verdict = verify(sig, flags.keyring ?? []);
        if (verdict.errno === 0) return { image, sigOk: true };
        if (verdict.errno !== ENOKEY && verdict.errno !== ENOPKG) return fail(verdict.errno, ...verdict.log); // fatal even when not enforcing
        err = verdict.errno;
      }
    } else if (sig.kind !== 'unsigned-module') {
      return fail(EBADMSG); // a malformed trailer: fatal even when signatures are not required
    }
  }
  const reason = err === -61 ? 'unsigned module' : err === ENOPKG ? 'module with unsupported crypto' : 'module with unavailable key';
  if (flags.sigEnforce) return fail(EKEYREJECTED, `Loading of ${reason} is rejected`); // pr_notice in module_sig_check
  if (flags.lockdown) {
    // security_locked_down(LOCKDOWN_MODULE_SIGNATURE): security/lockdown/lockdown.c lockdown_is_locked_down()
    return fail(EPERM, `Lockdown: ${flags.comm}: unsigned module loading is restricted; see man kernel_lockdown.7`);
  }
  return { image, sigOk: false };
}

/** elf_validity_check() (kernel/module/main.c): the header and section table. */
export function elfValidityCheck(image: Uint8Array): ElfFile | Failure {
  if (image.length < 64) return fail(ENOEXEC, `Invalid ELF header len ${image.length}`);
  if (image[0] !== 0x7f || image[1] !== 0x45 || image[2] !== 0x4c || image[3] !== 0x46) {
    return fail(ENOEXEC, 'Invalid ELF header magic: != \u007fELF');
  }
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const type = view.getUint16(16, true), machine = view.getUint16(18, true);
  if (type !== 1) return fail(ENOEXEC, `Invalid ELF header type: ${type} != 1`);
  if (machine !== 62) return fail(ENOEXEC, `Invalid architecture in ELF header: ${machine}`);
  if (view.getUint16(58, true) !== 64) return fail(ENOEXEC, 'Invalid ELF section header size');
  const shoff = view.getBigUint64(40, true), shnum = view.getUint16(60, true);
  if (shoff >= BigInt(image.length) || BigInt(shnum * 64) > BigInt(image.length) - shoff) return fail(ENOEXEC, 'Invalid ELF section header overflow');
  const elf = readElf(image);
  if (isElfError(elf)) return fail(ENOEXEC, `Invalid ELF section in module (${elf.message})`);
  return elf;
}

/** setup_load_info() (kernel/module/main.c): the name, the symbol table, struct module. */
export function setupLoadInfo(elf: ElfFile, image: Uint8Array, sigOk: boolean, flags: LoadFlags): LoadInfo | Failure {
  const modinfo = readModinfo(elf);
  if (isElfError(modinfo)) return fail(ENOEXEC, `Invalid ELF section in module (${modinfo.message})`);
  let name = modinfo.get('name');
  if (!elf.sections.some((s) => s.type === SHT_SYMTAB)) return fail(ENOEXEC, `${name ?? NO_NAME}: module has no symbols (stripped?)`);
  const mod = elf.sectionByName('.gnu.linkonce.this_module');
  if (!mod?.data) return fail(ENOEXEC, `${name ?? NO_NAME}: No module found in object`);
  if (!name) {
    const bytes = mod.data.subarray(24, 24 + 56); // struct module's name[MODULE_NAME_LEN] (layout.json: name at 24)
    name = String.fromCharCode(...bytes.subarray(0, Math.max(0, bytes.indexOf(0)))) || NO_NAME;
  }
  let versions: ModuleVersions | null = null;
  if (!flags.ignoreModversions) {
    const v = readVersions(elf);
    if (isElfError(v)) return fail(ENOEXEC, `${name}: ${v.message}`);
    versions = v.section ? v : null;
  }
  return { image, elf, modinfo, versions, name, sigOk };
}
