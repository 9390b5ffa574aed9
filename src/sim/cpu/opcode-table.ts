// Models: the shape of the x86-64 opcode maps (Intel SDM Vol. 2D Appendix A, "Opcode Map"): each
// opcode names an operation, a mnemonic, an operand pattern ("form") and the prefixes it accepts.
// Simplifies: only the general-purpose and system instructions are described; x87, MMX, SSE, AVX
// and the other extensions appear as "unmodelled" entries that name their opcode map.

/** Operand patterns, in the spirit of the SDM's Eb,Gb / Ev,Iz notation. */
export const F = {
  INVALID: 0, UNMODELLED: 1, GROUP: 2,
  NONE: 3, NONE_V: 4, NONE_W: 5, NONE_S: 6,
  E_G: 7, G_E: 8, ACC_I: 9, E_I: 10, E_IBS: 11, E: 12, E_STACK: 13, E_BRANCH: 14,
  Z_STACK: 15, Z_I: 16, Z_XCHG: 17, NOP90: 18,
  JB: 19, JZ: 20, JRCXZ: 21, LOOP: 22,
  LEA: 23, IMUL_IZ: 24, IMUL_IB: 25, MOVX_B: 26, MOVX_W: 27, MOVSXD: 28,
  MOV_E_S: 29, MOV_S_E: 30, MOV_R_CR: 31, MOV_CR_R: 32,
  PUSH_IZ: 33, PUSH_IB: 34, RET_I: 35, RETF: 36, RETF_I: 37, ENTER: 38, INT_I: 39,
  SH_1: 40, SH_CL: 41, SH_I: 42,
  MOVS: 43, CMPS: 44, STOS: 45, LODS: 46, SCAS: 47, INS: 48, OUTS: 49,
  IN_I: 50, OUT_I: 51, IN_DX: 52, OUT_DX: 53, MOFFS_LOAD: 54, MOFFS_STORE: 55,
  SHD_I: 56, SHD_CL: 57, BSWAP: 58, M_HINT: 59, M_DESC: 60, M_CX8: 61, E_SYS_W: 62, E_SYS_V: 63,
  SREG_STACK: 64, NOP_E: 65, ENDBR: 66, XLAT: 67, GRP7: 69, GRP15: 70, GRP9: 71,
  PREFETCH18: 72, PREFETCH0D: 73, C6C7_7: 74, RET: 75, ESC3: 76, HINT1C: 77,
} as const;

/** Form numbers that read a ModRM byte right after the opcode. */
export const NEEDS_MODRM: readonly boolean[] = (() => {
  const yes: number[] = [
    F.GROUP, F.E_G, F.G_E, F.E_I, F.E_IBS, F.E, F.E_STACK, F.E_BRANCH, F.LEA, F.IMUL_IZ, F.IMUL_IB,
    F.MOVX_B, F.MOVX_W, F.MOVSXD, F.MOV_E_S, F.MOV_S_E, F.MOV_R_CR, F.MOV_CR_R, F.SH_1, F.SH_CL, F.SH_I,
    F.SHD_I, F.SHD_CL, F.M_HINT, F.M_DESC, F.M_CX8, F.E_SYS_W, F.E_SYS_V, F.NOP_E, F.ENDBR,
    F.GRP7, F.GRP15, F.GRP9, F.PREFETCH18, F.PREFETCH0D, F.C6C7_7, F.HINT1C,
  ];
  const table: boolean[] = [];
  for (let i = 0; i < 80; i++) table.push(yes.includes(i));
  return table;
})();

/** Entry flags. */
export const B = 1; // byte-sized operation
export const LOCK = 2; // LOCK allowed when the destination is memory
export const HLE_LOCK = 4; // F2/F3 print as xacquire/xrelease when LOCK is present (memory form)
export const HLE_XCHG = 8; // F2/F3 print as xacquire/xrelease on the memory form, LOCK or not
export const HLE_MOV = 16; // F3 prints as xrelease on the memory form
export const BND = 32; // F2 prints as bnd (MPX branch)
export const NOTRACK = 64; // 3E prints as notrack (CET indirect branch)
export const REP = 128; // F3 prints as rep (movs, stos, lods, ins, outs)
export const ACCESS = 256; // M_HINT: the operand is accessed (clflush), not only named
export const OP_SIZED = 512; // the operation is named by the sized mnemonic (cbw/cwde/cdqe, cwd/cdq/cqo)

export interface OpcodeEntry {
  /** The executor's operation name. */
  readonly op: string;
  /** The mnemonic objdump prints, before any prefix. */
  readonly mn: string;
  readonly form: number;
  readonly flags: number;
  /** Condition code for jcc/setcc/cmovcc, else -1. */
  readonly cond: number;
  /** Mnemonics by operand size 2, 4, 8 (cbw/cwde/cdqe …), or null. */
  readonly sized: readonly [string, string, string] | null;
  /** Sub-entries by ModRM.reg for group opcodes, or null. */
  readonly group: readonly OpcodeEntry[] | null;
  /** The entry a mandatory F3 prefix selects instead (popcnt, tzcnt, lzcnt), or null. */
  readonly alt: OpcodeEntry | null;
  /** Form-specific number: the segment register of push/pop fs/gs. */
  readonly aux: number;
}

export function entry(op: string, mn: string, form: number, flags = 0, extra: Partial<OpcodeEntry> = {}): OpcodeEntry {
  return Object.freeze({ op, mn, form, flags, cond: -1, sized: null, group: null, alt: null, aux: 0, ...extra });
}

/** A valid encoding outside the modelled set; `mn` holds the reason. */
export const unmodelled = (what: string) => entry('', what, F.UNMODELLED);
/** An encoding the processor rejects with #UD. */
export const INVALID = entry('', 'reserved opcode', F.INVALID);

export const group = (entries: readonly OpcodeEntry[]) => entry('', '', F.GROUP, 0, { group: Object.freeze(entries) });

/** Condition-code suffixes in encoding order (SDM Vol. 1 Appendix B). */
export const CONDITIONS = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'] as const;
