// Models: the decoder's cursor over instruction bytes and the pieces every form shares: legacy and
// REX prefixes, ModRM and SIB addressing, immediates and displacements (Intel SDM Vol. 2A §2.1–2.2).
// Simplifies: one module-level cursor (decoding is not re-entrant); reading past the available
// bytes yields zeros and sets `over`, and decode() turns that into "truncated" or "too long".
import type { Operand, RegOperand, SpecialRegOperand, Size } from './instruction';
import { IMM_BARE, MEM_DISP, MEM_DS, MEM_ES, MEM_RIZ, MEM_SHOW_FS, MEM_SHOW_GS, type DecodedImm, type DecodedMem } from './decode-types';

/** The cursor and the prefix bookkeeping of the instruction being decoded. */
export const S = {
  bytes: [] as ArrayLike<number>,
  start: 0,
  pos: 0,
  end: 0,
  over: false,
  ripLo: 0,
  ripHi: 0,
  /** Prefix bytes in order (REX included), for the printed mnemonic. */
  pfx: new Uint8Array(16),
  npfx: 0,
  lastF2: -1,
  lastF3: -1,
  lastSeg: -1,
  last66: -1,
  last67: -1,
  /** Slot of the REX byte that applies (immediately before the opcode), or -1. */
  rexAt: -1,
  lock: false,
  anyDs: false,
  rex: 0,
  /** REX bits an operand consulted (objdump prints a REX prefix whose bits were not all used). */
  rexUsed: 0,
  used66: false,
  used67: false,
  segUsed: false,
  /** The fs/gs override that adds a base: the last fs or gs prefix, as objdump reads repeated ones. */
  seg: null as 'fs' | 'gs' | null,
  /** Slot of an F2/F3 byte consumed as part of the opcode (pause, endbr64, tzcnt …), or -1. */
  mandatory: -1,
  modrm: 0,
  mod: 0,
  reg: 0,
  rm: 0,
  ripMem: null as DecodedMem | null,
  /** Results of the operand stage. */
  op: '',
  mn: '',
  opsize: 4 as Size,
  /** 0, or the failure the operand stage found: 1 invalid, 2 unmodelled. */
  fail: 0,
  reason: '',
  /** Names the last F3/F2 prints as (rep, bnd, xacquire, xrelease), or '' for repz/repnz. */
  f3Name: '',
  f2Name: '',
  notrack: false,
};

export function u8(): number {
  if (S.pos >= S.end) {
    S.over = true;
    return 0;
  }
  return (S.bytes[S.pos++] as number) & 0xff;
}

export const s8 = () => (u8() << 24) >> 24;
export const u16 = () => u8() | (u8() << 8);
export const s32 = () => u8() | (u8() << 8) | (u8() << 16) | (u8() << 24);

export function readModrm(): void {
  const m = u8();
  S.modrm = m;
  S.mod = m >> 6;
  S.reg = (m >> 3) & 7;
  S.rm = m & 7;
}

/** Operand size of a "v" operand: REX.W gives 8, else 66h gives 2, else 4. */
export function vsize(): Size {
  if (S.rex & 8) {
    S.rexUsed |= 0x48;
    return 8;
  }
  if (S.last66 >= 0) {
    S.used66 = true;
    return 2;
  }
  return 4;
}

/** Operand size of a stack operation in 64-bit mode: 8, or 2 with 66h (REX.W wins, unconsulted). */
export function stackSize(): 2 | 8 {
  if (S.rex & 8) return 8;
  if (S.last66 >= 0) {
    S.used66 = true;
    return 2;
  }
  return 8;
}

const regOperand = (size: Size, reg: number, high8: boolean): RegOperand => Object.freeze({ kind: 'reg', size, reg, high8 });
const REG: readonly (readonly RegOperand[])[] = [1, 2, 4, 8].map((size) =>
  Array.from({ length: 16 }, (_, r) => regOperand(size as Size, r, false)));
const HIGH8 = [0, 1, 2, 3].map((r) => regOperand(1, r, true));
const SIZE_ROW = [0, 0, 1, 0, 2, 0, 0, 0, 3];

/** General register `num` (0–15) at `size`; byte registers 4–7 are ah…bh unless a REX is present. */
export function gpr(size: Size, num: number): RegOperand {
  if (size === 1) {
    if (S.rex) {
      if (num & 4) S.rexUsed |= 0x40;
    } else if (num >= 4 && num < 8) return HIGH8[num - 4]!;
  }
  return REG[SIZE_ROW[size]!]![num & 15]!;
}

/** The register named by ModRM.reg (with REX.R). */
export function regG(size: Size): RegOperand {
  let n = S.reg;
  if (S.rex & 4) {
    n += 8;
    S.rexUsed |= 0x44;
  }
  return gpr(size, n);
}

/** The register named by ModRM.rm (with REX.B), for mod = 3. */
export function regE(size: Size): RegOperand {
  let n = S.rm;
  if (S.rex & 1) {
    n += 8;
    S.rexUsed |= 0x41;
  }
  return gpr(size, n);
}

/** The register in the low three opcode bits (with REX.B). */
export function regZ(size: Size, opcode: number): RegOperand {
  let n = opcode & 7;
  if (S.rex & 1) {
    n += 8;
    S.rexUsed |= 0x41;
  }
  return gpr(size, n);
}

/** ModRM.rm as a register (mod = 3) or memory operand of `size`, shown with keyword `ptr`. */
export function rmE(size: Size, memSize: DecodedMem['size'] = size, ptr: number = memSize): Operand {
  return S.mod === 3 ? regE(size) : mem(memSize, ptr, true);
}

/**
 * Decodes the memory operand of the current ModRM (with SIB and displacement). Without
 * `withSegment` (lea) an fs/gs override adds no base, though the listing still shows it.
 */
export function mem(size: DecodedMem['size'], ptr: number, withSegment: boolean): DecodedMem {
  if (S.rex & 1) S.rexUsed |= 0x41;
  let rawBase = S.rm, index = -1, scaleBits = 0, sib = false;
  if (rawBase === 4) {
    const s = u8();
    sib = true;
    scaleBits = s >> 6;
    let idx = (s >> 3) & 7;
    if (S.rex & 2) {
      idx += 8;
      S.rexUsed |= 0x42;
    }
    if (idx !== 4) index = idx;
    rawBase = s & 7;
  }
  let disp = 0, hasBase = true, rip = false;
  if (S.mod === 0) {
    if (rawBase === 5) {
      hasBase = false;
      rip = !sib;
      disp = s32();
    }
  } else disp = S.mod === 1 ? s8() : s32();
  const addr32 = S.last67 >= 0;
  if (addr32) S.used67 = true;
  let fmt = S.mod !== 0 || rawBase === 5 ? MEM_DISP : 0;
  if (sib && index < 0 && (scaleBits !== 0 || (hasBase && rawBase !== 4) || (!hasBase && addr32))) fmt |= MEM_RIZ;
  const segment = withSegment ? S.seg : null;
  if (S.seg) {
    S.segUsed = true;
    if (!withSegment) fmt |= S.seg === 'fs' ? MEM_SHOW_FS : MEM_SHOW_GS;
  }
  const m: DecodedMem = {
    kind: 'mem', size, base: hasBase && !rip ? rawBase + (S.rex & 1 ? 8 : 0) : -1, index,
    scale: (1 << scaleBits) as 1 | 2 | 4 | 8, disp, ripRelative: rip, segment, addr32, fmt, ptr, tlo: 0, thi: 0,
  };
  if (rip) S.ripMem = m;
  return m;
}

/** A string-instruction operand: [rsi] (source, may take fs/gs) or [rdi] (destination, es). */
export function stringMem(size: Size, dest: boolean): DecodedMem {
  const addr32 = S.last67 >= 0;
  if (addr32) S.used67 = true;
  const segment = dest ? null : S.seg;
  // objdump shows the source as ds:[rsi] and counts any segment prefix as consumed by it.
  if (!dest && S.lastSeg >= 0) S.segUsed = true;
  return {
    kind: 'mem', size, base: dest ? 7 : 6, index: -1, scale: 1, disp: 0, ripRelative: false, segment, addr32,
    fmt: dest ? MEM_ES : MEM_DS, ptr: size, tlo: 0, thi: 0,
  };
}

/**
 * A moffs operand (an absolute address, listed without a size keyword; with 67h a 32-bit one
 * the 67h does not count as read, as objdump shows it) or xlat's [rbx].
 */
export function absMem(size: Size, base: number, disp: number): DecodedMem {
  const segment = S.seg;
  if (segment || (base >= 0 && S.lastSeg >= 0)) S.segUsed = true;
  const addr32 = S.last67 >= 0;
  return {
    kind: 'mem', size, base, index: -1, scale: 1, disp, ripRelative: false, segment, addr32,
    fmt: MEM_DS, ptr: base < 0 ? 0 : size, tlo: 0, thi: 0,
  };
}

/** An immediate: the signed value `v` (at most 32 bits) extended to `size`. */
export function imm(size: Size, v: number): DecodedImm {
  const lo = size === 1 ? v & 0xff : size === 2 ? v & 0xffff : v >>> 0;
  const hi = size === 8 && v < 0 ? 0xffffffff : 0;
  return { kind: 'imm', size, lo, hi, fmt: 0 };
}

export const imm64 = (lo: number, hi: number): DecodedImm => ({ kind: 'imm', size: 8, lo: lo >>> 0, hi: hi >>> 0, fmt: 0 });

/** The immediate of an Iz operand: imm16 for size 2, else imm32 sign-extended to `size`. */
export const immZ = (size: Size) => imm(size, size === 2 ? u16() : s32());

/** The implicit 1 of the D0/D1 shifts. */
export const ONE: DecodedImm = Object.freeze({ kind: 'imm', size: 1, lo: 1, hi: 0, fmt: IMM_BARE });

/** A relative target: the next instruction's address plus `disp`, with 64-bit wrap-around. */
export function rel(disp: number): Operand {
  const s = S.ripLo + (S.pos - S.start) + disp;
  return { kind: 'rel', lo: s >>> 0, hi: (S.ripHi + Math.floor(s / 4294967296)) >>> 0 };
}

const special = (kind: 'sreg' | 'creg', index: number): SpecialRegOperand => Object.freeze({ kind, index });
export const SREG: readonly SpecialRegOperand[] = [0, 1, 2, 3, 4, 5].map((i) => special('sreg', i));
export const CREG: readonly SpecialRegOperand[] = Array.from({ length: 16 }, (_, i) => special('creg', i));

/** The operand list of an instruction without operands (shared, never written). */
export const NO_OPERANDS: readonly Operand[] = Object.freeze([]);

/** Records a failure found while reading operands; decode() reports it. */
export function failWith(kind: 1 | 2, reason: string): readonly Operand[] {
  S.fail = kind;
  S.reason = reason;
  return NO_OPERANDS;
}

/** Operand size of in, out, ins and outs: 4, or 2 with 66h; REX.W overrides 66h but cannot widen. */
export function zsize(): Size {
  if (S.rex & 8) return 4;
  if (S.last66 >= 0) {
    S.used66 = true;
    return 2;
  }
  return 4;
}
