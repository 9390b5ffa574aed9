// Models: opcodes whose meaning depends on the ModRM byte or a mandatory prefix (Intel SDM Vol. 2D
// Table A-6 "Opcode Extensions for One- and Two-byte Opcodes by Group Number", §A.2.5 and the
// instruction pages of ENDBR64, PAUSE, POPCNT/TZCNT/LZCNT).
// Simplifies: register forms of group 7 other than the ones the kernel uses, the group 9 and
// group 15 extensions and any 66/F2/F3 variant of them are reported as unmodelled.
import { F as FORMS, INVALID, unmodelled, type OpcodeEntry } from './opcode-table';
import {
  CLDEMOTE, CLFLUSH, CMPXCHG8B, ENDBR32, ENDBR64, GROUP7_MEM, GROUP7_REG, LFENCE, LMSW_REG, MFENCE, NOP_E,
  PREFETCH_0D, PREFETCH_18, SFENCE, SMSW_REG,
} from './opcode-two-byte';
import { S as STATE } from './decode-state';

// A module-local alias: loaders that turn imports into getters (tsx, vite-node) would otherwise
// charge a call for every access on the hot path.
const S = STATE;
const F = FORMS;

const GROUP7_OTHER = unmodelled('0f 01 register form (VMX, SVM, TSX or another extension)');
const GROUP7_PREFIXED = unmodelled('0f 01 register form with a 66/f2/f3 prefix');
const GROUP9_OTHER = unmodelled('0f c7 (rdrand, rdseed, rdpid, VMX or xsaves family)');
const GROUP15_PREFIXED = unmodelled('0f ae with a 66/f2/f3 prefix (fsgsbase, clflushopt, clwb …)');
const GROUP15_STATE = unmodelled('0f ae (fxsave/xsave family, ldmxcsr, stmxcsr)');
const GROUP15_FENCE = unmodelled('0f ae register form (fence alias or extension)');
const HINT_PREFIXED = unmodelled('0f 1c hint with a 66/f2/f3 prefix');
const SHADOW_STACK = unmodelled('f3 0f 1e (CET shadow-stack instruction)');
const PREFETCH_OTHER = unmodelled('prefetch hint with a register operand, or a reserved or newer hint');

const anyRepOr66 = () => S.last66 >= 0 || S.lastF2 >= 0 || S.lastF3 >= 0;

/** Picks the entry a ModRM-dependent opcode stands for; the ModRM byte has been read. */
export function resolve(e: OpcodeEntry): OpcodeEntry {
  switch (e.form) {
    case F.GROUP:
      return resolve(e.group![S.reg]!);
    case F.ENDBR:
      if (S.lastF3 > S.lastF2) {
        if (S.modrm !== 0xfa && S.modrm !== 0xfb) return SHADOW_STACK;
        S.mandatory = S.lastF3;
        return S.modrm === 0xfa ? ENDBR64 : ENDBR32;
      }
      if (S.last66 >= 0 && S.lastF2 < 0) S.used66 = true; // objdump reads 66h as selecting "nop"
      return NOP_E;
    case F.GRP7:
      if (S.mod !== 3) return GROUP7_MEM[S.reg]!;
      if ((S.modrm & 0xf8) === 0xe0) return SMSW_REG;
      if ((S.modrm & 0xf8) === 0xf0) return LMSW_REG;
      if (anyRepOr66()) return GROUP7_PREFIXED;
      return GROUP7_REG.get(S.modrm) ?? GROUP7_OTHER;
    case F.GRP9:
      return S.mod !== 3 && S.reg === 1 ? CMPXCHG8B : GROUP9_OTHER;
    case F.GRP15:
      if (anyRepOr66()) return GROUP15_PREFIXED;
      if (S.mod !== 3) return S.reg === 7 ? CLFLUSH : GROUP15_STATE;
      if (S.reg === 5) return LFENCE;
      return S.modrm === 0xf0 ? MFENCE : S.modrm === 0xf8 ? SFENCE : GROUP15_FENCE;
    case F.PREFETCH18:
      return S.mod !== 3 && S.reg < 4 ? PREFETCH_18[S.reg]! : PREFETCH_OTHER;
    case F.PREFETCH0D:
      // /1 is prefetchw; /2 prefetchwt1; every other form is the 3DNow! prefetch hint.
      if (S.mod === 3 || S.reg === 2) return PREFETCH_OTHER;
      return PREFETCH_0D[S.reg === 1 ? 1 : 0]!;
    case F.HINT1C:
      // 0f 1c: cldemote (/0, memory) or a hint nop; objdump reads 66/f2/f3 as selecting variants.
      if (anyRepOr66()) return HINT_PREFIXED;
      return S.mod !== 3 && S.reg === 0 ? CLDEMOTE : NOP_E;
    case F.C6C7_7:
      return S.modrm === 0xf8 ? unmodelled(e.mn) : INVALID;
    default:
      return e;
  }
}
