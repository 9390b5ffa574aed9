// Models: the length of valid instructions outside the model (Intel SDM Vol. 2A §2.3 VEX, §2.7
// EVEX, Vol. 2D Appendix A: x87 escapes, the 0F, 0F 38 and 0F 3A maps, 3DNow! and XOP), so that
// an "unmodelled" failure names all of the instruction's bytes and a listing can step past it.
// Simplifies: operands are skipped, not decoded; XOP and 3DNow! follow AMD's manuals.
import { S as STATE, mem, readModrm, s32, u16, u8 } from './decode-state';

// A module-local alias: loaders that turn imports into getters (tsx, vite-node) would otherwise
// charge a call for every access on the hot path.
const S = STATE;

/** Opcodes of the 0F map that carry an imm8 after their ModRM operand (pshufw/psrlw…, cmpps, pinsrw, pextrw, shufps). */
const IMM8_0F = new Set([0x70, 0x71, 0x72, 0x73, 0xc2, 0xc4, 0xc5, 0xc6]);
/** Opcodes of the 0F map without a ModRM byte (wbnoinvd, femms, getsec, emms, rsm). */
const NO_MODRM_0F = new Set([0x09, 0x0e, 0x37, 0x77, 0xaa]);

/** Skips a ModRM byte (unless already read) and the SIB and displacement it calls for. */
function operand(modrmRead: boolean): void {
  if (!modrmRead) readModrm();
  if (S.mod !== 3) mem(0, 0, false);
}

/** An instruction in the 0F (map 1), 0F 38 (map 2) or 0F 3A (map 3) space after its opcode byte. */
function mapped(map: number, opc: number, modrmRead: boolean): void {
  if (map === 1 && NO_MODRM_0F.has(opc)) return;
  if (map === 1 && (opc === 0x21 || opc === 0x23)) {
    if (!modrmRead) readModrm(); // debug-register moves always name a register
    return;
  }
  operand(modrmRead);
  if (map === 3 || (map === 1 && (IMM8_0F.has(opc) || opc === 0x0f))) u8();
}

/**
 * Consumes the rest of an unmodelled instruction whose first opcode byte is `first` (0x0f for the
 * two-byte maps, then `second`); `modrmRead` says whether its ModRM byte was already read.
 */
export function skipUnmodelled(first: number, second: number, modrmRead: boolean): void {
  if (first === 0x0f) {
    if (second === 0x38 || second === 0x3a) mapped(second === 0x38 ? 2 : 3, u8(), false);
    else mapped(1, second, modrmRead);
    return;
  }
  if (first >= 0xd8 && first <= 0xdf) return operand(modrmRead);
  switch (first) {
    case 0xc5: {
      u8();
      const opc = u8();
      if (opc !== 0x77) mapped(1, opc, false);
      return;
    }
    case 0xc4: {
      const map = u8() & 0x1f;
      u8();
      const opc = u8();
      if (map === 1 && opc === 0x77) return;
      return mapped(map === 1 || map === 3 ? map : 2, opc, false);
    }
    case 0x62: {
      const map = u8() & 7;
      u8();
      u8();
      return mapped(map === 1 || map === 3 ? map : 2, u8(), false);
    }
    case 0x8f: {
      // XOP: the byte read as ModRM holds the map (8: imm8 follows, 10: imm32 follows).
      const map = S.modrm & 0x1f;
      u8();
      u8();
      operand(false);
      if (map === 8) u8();
      else if (map === 10) s32();
      return;
    }
    case 0xc6:
      u8(); // xabort imm8
      return;
    case 0xc7:
      if (S.last66 >= 0) u16(); // xbegin rel16/rel32
      else s32();
      return;
    default:
      if (modrmRead) operand(true);
  }
}
