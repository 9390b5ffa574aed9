// Models: the operand patterns of string, I/O, moffs, system and segment/control-register
// instructions (Intel SDM Vol. 2: MOVS/STOS/LODS/CMPS/SCAS/INS/OUTS, IN/OUT, MOV moffs, MOV Sreg,
// MOV CRn, NOP/PAUSE/XCHG 90, LGDT/SLDT/…, CMPXCHG8B/16B).
// Simplifies: moffs and BSWAP encodings outside what the Instruction type can say or the SDM
// defines are reported as unmodelled.
import type { Operand, Size } from './instruction';
import { F as FORMS, type OpcodeEntry } from './opcode-table';
import {
  CREG, NO_OPERANDS, S as STATE, SREG, absMem, failWith, gpr, imm, mem, regE, regG, regZ, rmE, s32,
  stackSize, stringMem, u8, vsize, zsize,
} from './decode-state';

// A module-local alias: loaders that turn imports into getters (tsx, vite-node) would otherwise
// charge a call for every access on the hot path.
const S = STATE;
const F = FORMS;

const sizedName = (e: OpcodeEntry, size: number) => e.sized![size === 2 ? 0 : size === 4 ? 1 : 2];

/** The forms of `operands()` beyond the common ALU and data-movement patterns. */
export function moreOperands(e: OpcodeEntry, opc: number, byte: boolean): readonly Operand[] {
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
      S.opsize = sz = byte ? 1 : vsize();
      const lo = s32();
      if (S.last67 >= 0) S.mn = 'mov'; // a 32-bit moffs, zero-extended; objdump still shows addr32
      else if (s32() !== lo >> 31) return failWith(2, 'moffs64 address outside the sign-extended 32-bit range');
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
export function nop90(): readonly Operand[] {
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
export function movSreg(toSreg: boolean): readonly Operand[] {
  if (S.reg > 5 || (toSreg && S.reg === 1)) return failWith(1, toSreg ? 'mov to cs or a reserved segment register' : 'reserved segment register');
  const s = SREG[S.reg]!;
  const sz = (S.opsize = S.mod === 3 ? vsize() : 2);
  const other = rmE(sz);
  return toSreg ? [s, other] : [other, s];
}

/** 0F 20 / 0F 22: mov between a 64-bit register and CR0, CR2, CR3, CR4 or CR8 (ModRM.mod ignored). */
export function movCr(toCr: boolean): readonly Operand[] {
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
