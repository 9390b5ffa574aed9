// Models: how each operand pattern of the opcode maps reads its operands and sets the operand size
// (Intel SDM Vol. 2A §2.2.1 REX, §3.1.1.3 operand-size rules, Vol. 2D Appendix A).
// Simplifies: a few encodings whose meaning differs between Intel and AMD (66h on near branches,
// 16-bit movsxd and bswap) are reported as unmodelled instead of picking a vendor.
import type { Operand, Size } from './instruction';
import { B, F, type OpcodeEntry } from './opcode-table';
import {
  CREG, ONE, S, SREG, absMem, gpr, imm, imm64, immZ, mem, regE, regG, regZ, rel, rmE,
  s32, s8, stackSize, stringMem, u16, u8, vsize,
} from './decode-state';

export const NO_OPERANDS: readonly Operand[] = Object.freeze([]);

function failWith(kind: 1 | 2, reason: string): readonly Operand[] {
  S.fail = kind;
  S.reason = reason;
  return NO_OPERANDS;
}

const sizedName = (e: OpcodeEntry, size: number) => e.sized![size === 2 ? 0 : size === 4 ? 1 : 2];

/** Operand size of in, out, ins and outs: 4, or 2 with 66h; REX.W overrides 66h but cannot widen. */
function zsize(): Size {
  if (S.rex & 8) return 4;
  if (S.last66 >= 0) {
    S.used66 = true;
    return 2;
  }
  return 4;
}

const noBranch66 = () => failWith(2, 'operand-size prefix on a near branch (Intel and AMD differ)');

/** Reads the operands of `e` (whose opcode byte is `opc`), setting S.op, S.mn and S.opsize. */
export function operands(e: OpcodeEntry, opc: number): readonly Operand[] {
  const byte = (e.flags & B) !== 0;
  let sz: Size = byte ? 1 : 4;
  switch (e.form) {
    case F.NONE:
      return NO_OPERANDS;
    case F.NONE_V:
      S.opsize = sz = vsize();
      S.mn = sizedName(e, sz);
      return NO_OPERANDS;
    case F.NONE_W:
      if (S.rex & 8) {
        S.rexUsed |= 0x48;
        S.opsize = 8;
      }
      S.mn = sizedName(e, S.opsize);
      return NO_OPERANDS;
    case F.NONE_S:
      S.opsize = sz = stackSize();
      S.mn = sizedName(e, sz);
      return NO_OPERANDS;
    case F.E_G: {
      S.opsize = sz = byte ? 1 : vsize();
      const a = rmE(sz);
      return [a, regG(sz)];
    }
    case F.G_E:
      S.opsize = sz = byte ? 1 : vsize();
      return [regG(sz), rmE(sz)];
    case F.ACC_I:
      S.opsize = sz = byte ? 1 : vsize();
      return [gpr(sz, 0), byte ? imm(1, u8()) : immZ(sz)];
    case F.E_I: {
      S.opsize = sz = byte ? 1 : vsize();
      const a = rmE(sz);
      return [a, byte ? imm(1, u8()) : immZ(sz)];
    }
    case F.E_IBS: {
      S.opsize = sz = vsize();
      const a = rmE(sz);
      return [a, imm(sz, s8())];
    }
    case F.E:
      S.opsize = sz = byte ? 1 : vsize();
      return [rmE(sz)];
    case F.E_STACK:
      S.opsize = sz = stackSize();
      return [rmE(sz)];
    case F.E_BRANCH:
      if (S.last66 >= 0) return noBranch66();
      S.opsize = 8;
      return [rmE(8)];
    case F.Z_STACK:
      S.opsize = sz = stackSize();
      return [regZ(sz, opc)];
    case F.Z_I:
      if (byte) return [regZ(1, opc), imm(1, u8())];
      S.opsize = sz = vsize();
      if (sz === 8) {
        S.mn = 'movabs';
        const r = regZ(8, opc), lo = s32();
        return [r, imm64(lo, s32())];
      }
      return [regZ(sz, opc), imm(sz, sz === 2 ? u16() : s32())];
    case F.Z_XCHG:
      S.opsize = sz = vsize();
      return [regZ(sz, opc), gpr(sz, 0)];
    case F.NOP90:
      return nop90();
    case F.JB:
    case F.JZ:
      if (S.last66 >= 0) return noBranch66();
      S.opsize = 8;
      return [rel(e.form === F.JB ? s8() : s32())];
    case F.JRCXZ:
    case F.LOOP:
      if (S.last66 >= 0) return noBranch66();
      if (e.form === F.JRCXZ && S.last67 >= 0) {
        S.used67 = true;
        S.mn = 'jecxz';
      }
      S.opsize = 8;
      return [rel(s8())];
    case F.LEA: {
      if (S.mod === 3) return failWith(1, 'lea with a register source');
      S.opsize = sz = vsize();
      const g = regG(sz);
      return [g, mem(0, 0, false)];
    }
    case F.IMUL_IZ:
    case F.IMUL_IB: {
      S.opsize = sz = vsize();
      const g = regG(sz), a = rmE(sz);
      return [g, a, e.form === F.IMUL_IZ ? immZ(sz) : imm(sz, s8())];
    }
    case F.MOVX_B:
    case F.MOVX_W:
      S.opsize = sz = vsize();
      return [regG(sz), rmE(e.form === F.MOVX_B ? 1 : 2)];
    case F.MOVSXD:
      if (S.last66 >= 0 && !(S.rex & 8)) return failWith(2, 'movsxd with a 16-bit operand size');
      S.opsize = sz = vsize();
      if (S.last66 >= 0) S.used66 = true; // objdump counts 66h as read even when REX.W overrides it
      return [regG(sz), rmE(4)];
    case F.MOV_E_S:
    case F.MOV_S_E:
      return movSreg(e.form === F.MOV_S_E);
    case F.MOV_R_CR:
    case F.MOV_CR_R:
      return movCr(e.form === F.MOV_CR_R);
    case F.PUSH_IZ:
    case F.PUSH_IB:
      S.opsize = sz = stackSize();
      if (sz === 2) S.mn = 'pushw';
      return [e.form === F.PUSH_IB ? imm(sz, s8()) : imm(sz, sz === 2 ? u16() : s32())];
    case F.RET:
    case F.RET_I:
      if (S.last66 >= 0) return noBranch66();
      S.opsize = 8;
      return e.form === F.RET ? NO_OPERANDS : [imm(2, u16())];
    case F.RETF:
    case F.RETF_I:
      S.opsize = sz = vsize();
      S.mn = sizedName(e, sz);
      return e.form === F.RETF ? NO_OPERANDS : [imm(2, u16())];
    case F.ENTER: {
      S.opsize = sz = stackSize();
      S.mn = sizedName(e, sz);
      const frame = imm(2, u16());
      return [frame, imm(1, u8())];
    }
    case F.INT_I:
      return [imm(1, u8())];
    case F.SH_1:
    case F.SH_CL:
    case F.SH_I: {
      S.opsize = sz = byte ? 1 : vsize();
      const a = rmE(sz);
      return [a, e.form === F.SH_1 ? ONE : e.form === F.SH_CL ? gpr(1, 1) : imm(1, u8())];
    }
    default:
      return moreOperands(e, opc, byte);
  }
}

function moreOperands(e: OpcodeEntry, opc: number, byte: boolean): readonly Operand[] {
  let sz: Size;
  switch (e.form) {
    case F.MOVS:
    case F.CMPS:
    case F.STOS:
    case F.LODS:
    case F.SCAS:
      S.opsize = sz = byte ? 1 : vsize();
      return stringOperands(e.form, sz);
    case F.INS:
      S.opsize = sz = byte ? 1 : zsize();
      return [stringMem(sz, true), gpr(2, 2)];
    case F.OUTS:
      S.opsize = sz = byte ? 1 : zsize();
      return [gpr(2, 2), stringMem(sz, false)];
    case F.IN_I:
      S.opsize = sz = byte ? 1 : zsize();
      return [gpr(sz, 0), imm(1, u8())];
    case F.OUT_I:
      S.opsize = sz = byte ? 1 : zsize();
      return [imm(1, u8()), gpr(sz, 0)];
    case F.IN_DX:
      S.opsize = sz = byte ? 1 : zsize();
      return [gpr(sz, 0), gpr(2, 2)];
    case F.OUT_DX:
      S.opsize = sz = byte ? 1 : zsize();
      return [gpr(2, 2), gpr(sz, 0)];
    case F.MOFFS_LOAD:
    case F.MOFFS_STORE: {
      if (S.last67 >= 0) return failWith(2, 'moffs with a 32-bit address size');
      S.opsize = sz = byte ? 1 : vsize();
      const lo = s32(), hi = s32();
      if (hi !== lo >> 31) return failWith(2, 'moffs64 address outside the sign-extended 32-bit range');
      const m = absMem(sz, -1, lo);
      return e.form === F.MOFFS_LOAD ? [gpr(sz, 0), m] : [m, gpr(sz, 0)];
    }
    case F.SHD_I:
    case F.SHD_CL: {
      S.opsize = sz = vsize();
      const a = rmE(sz), g = regG(sz);
      return [a, g, e.form === F.SHD_I ? imm(1, u8()) : gpr(1, 1)];
    }
    case F.BSWAP:
      if (S.last66 >= 0 && !(S.rex & 8)) return failWith(2, 'bswap of a 16-bit register (undefined)');
      S.opsize = sz = vsize();
      return [regZ(sz, opc)];
    case F.M_HINT:
      if (S.mod === 3) return failWith(1, `${e.mn} with a register operand`);
      return [mem(e.op === 'clflush' ? 1 : 0, 1, true)];
    case F.M_DESC:
      if (S.mod === 3) return failWith(1, `${e.mn} with a register operand`);
      S.opsize = 8;
      return [mem(10, 0, true)];
    case F.M_CX8:
      if (S.mod === 3) return failWith(1, 'cmpxchg8b with a register operand');
      S.opsize = 8;
      if (S.rex & 8) {
        S.rexUsed |= 0x48;
        S.mn = S.op = 'cmpxchg16b';
        return [mem(16, 16, true)];
      }
      return [mem(8, 8, true)];
    case F.E_SYS_W:
      S.opsize = 2;
      return [rmE(2)];
    case F.E_SYS_V:
      S.opsize = sz = S.mod === 3 ? vsize() : 2;
      return [rmE(sz, 2, 2)];
    case F.SREG_STACK:
      S.opsize = sz = stackSize();
      S.mn = sizedName(e, sz);
      return [SREG[e.aux]!];
    case F.NOP_E:
      S.opsize = sz = vsize();
      return [S.mod === 3 ? regE(sz) : mem(0, sz, true)];
    case F.XLAT:
      if (S.last67 >= 0) S.used67 = true;
      S.opsize = 1;
      return [absMem(1, 3, 0)];
    default:
      return failWith(1, 'reserved opcode');
  }
}

function stringOperands(form: number, sz: Size): readonly Operand[] {
  switch (form) {
    case F.MOVS:
      return [stringMem(sz, true), stringMem(sz, false)];
    case F.CMPS: {
      const src = stringMem(sz, false);
      return [src, stringMem(sz, true)];
    }
    case F.STOS:
      return [stringMem(sz, true), gpr(sz, 0)];
    case F.LODS:
      return [gpr(sz, 0), stringMem(sz, false)];
    default:
      return [gpr(sz, 0), stringMem(sz, true)];
  }
}

/**
 * 90: pause (F3 90, even with REX.B, as objdump reads it); with 66h xchg ax,ax or xchg r8w,ax (66h
 * counts as read even under REX.W); with REX.B xchg r8,rax; else nop. Swapping rax with itself at
 * 16 or 64 bits changes nothing, so those stay op "nop".
 */
function nop90(): readonly Operand[] {
  if (S.lastF3 > S.lastF2) {
    S.mandatory = S.lastF3;
    S.op = S.mn = 'pause';
    return NO_OPERANDS;
  }
  if (S.last66 < 0 && !(S.rex & 1)) return NO_OPERANDS;
  S.mn = 'xchg';
  if (S.rex & 1) S.op = 'xchg';
  const sz = (S.opsize = vsize());
  if (S.last66 >= 0) S.used66 = true;
  return [regZ(sz, 0x90), gpr(sz, 0)];
}

/** 8C (mov r/m, Sreg) and 8E (mov Sreg, r/m): a register form takes the operand size, memory is a word. */
function movSreg(toSreg: boolean): readonly Operand[] {
  if (S.reg > 5 || (toSreg && S.reg === 1)) return failWith(1, toSreg ? 'mov to cs or a reserved segment register' : 'reserved segment register');
  const s = SREG[S.reg]!;
  const sz = (S.opsize = S.mod === 3 ? vsize() : 2);
  const other = rmE(sz);
  return toSreg ? [s, other] : [other, s];
}

/** 0F 20 / 0F 22: mov between a 64-bit register and CR0, CR2, CR3, CR4 or CR8 (ModRM.mod ignored). */
function movCr(toCr: boolean): readonly Operand[] {
  let n = S.reg;
  if (S.rex & 4) {
    n += 8;
    S.rexUsed |= 0x44;
  }
  if (n !== 0 && n !== 2 && n !== 3 && n !== 4 && n !== 8) return failWith(1, `mov with reserved control register cr${n}`);
  S.opsize = 8;
  const r = regE(8);
  return toCr ? [CREG[n]!, r] : [r, CREG[n]!];
}
