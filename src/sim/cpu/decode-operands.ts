// Models: how each operand pattern of the opcode maps reads its operands and sets the operand size
// (Intel SDM Vol. 2A §2.2.1 REX, §3.1.1.3 operand-size rules, Vol. 2D Appendix A).
// Simplifies: a few encodings whose meaning differs between Intel and AMD (66h on near branches,
// 16-bit movsxd and bswap) are reported as unmodelled instead of picking a vendor.
import type { Operand, Size } from './instruction';
import { B, F as FORMS, OP_SIZED, type OpcodeEntry } from './opcode-table';
import {
  NO_OPERANDS, ONE, S as STATE, failWith, gpr, imm, imm64, immZ, mem, regG, regZ, rel, rmE,
  s32, s8, stackSize, u16, u8, vsize,
} from './decode-state';
import { moreOperands, movCr, movSreg, nop90 } from './decode-operands-more';

// A module-local alias: loaders that turn imports into getters (tsx, vite-node) would otherwise
// charge a call for every access on the hot path.
const S = STATE;
const F = FORMS;

const sizedName = (e: OpcodeEntry, size: number) => e.sized![size === 2 ? 0 : size === 4 ? 1 : 2];

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
      if (e.flags & OP_SIZED) S.op = S.mn;
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
    case F.E_BRANCH: {
      const target = rmE(8);
      if (S.last66 >= 0) return noBranch66();
      S.opsize = 8;
      return [target];
    }
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
    case F.JZ: {
      const target = rel(e.form === F.JB ? s8() : s32());
      if (S.last66 >= 0) return noBranch66();
      S.opsize = 8;
      return [target];
    }
    case F.JRCXZ:
    case F.LOOP: {
      const target = rel(s8());
      if (S.last66 >= 0) return noBranch66();
      if (e.form === F.JRCXZ && S.last67 >= 0) {
        S.used67 = true;
        S.mn = 'jecxz';
      }
      S.opsize = 8;
      return [target];
    }
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
    case F.MOVSXD: {
      S.opsize = sz = vsize();
      if (S.last66 >= 0) S.used66 = true; // objdump counts 66h as read even when REX.W overrides it
      const source = rmE(4);
      if (sz === 2) return failWith(2, 'movsxd with a 16-bit operand size');
      return [regG(sz), source];
    }
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
    case F.RET_I: {
      const ops = e.form === F.RET ? NO_OPERANDS : [imm(2, u16())];
      if (S.last66 >= 0) return noBranch66();
      S.opsize = 8;
      return ops;
    }
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
