// Models: what an Intel-syntax listing needs to know about an operand beyond its meaning (Intel SDM
// Vol. 2A §2.1.5 ModR/M and SIB encodings): whether a zero displacement was encoded, whether a SIB
// byte named "no index" with a scale, which segment a string operand shows.
// Simplifies: these are hints for the disassembler only; the executor never reads them.
import type { ImmOperand, MemOperand } from './instruction';

/** A memory operand as the decoder builds it: the semantic fields plus listing hints. */
export interface DecodedMem extends MemOperand {
  /** MEM_* bits. */
  fmt: number;
  /** Size keyword objdump prints (1 BYTE … 16 OWORD), or 0 for none (lea, lgdt). */
  ptr: number;
  /** For RIP-relative operands: the absolute target (next RIP + disp), as objdump's `# …` comment shows it. */
  tlo: number;
  thi: number;
}

/** An immediate with a listing hint. */
export interface DecodedImm extends ImmOperand {
  /** IMM_* bits. */
  fmt: number;
}

/** The displacement was encoded (ModRM.mod ≠ 0, or no base register): print it even when 0. */
export const MEM_DISP = 1;
/** A SIB byte was present with "no index" that objdump still shows as riz/eiz. */
export const MEM_RIZ = 2;
/** A string destination: always shown as es:[rdi]. */
export const MEM_ES = 4;
/** A string source, xlat or moffs: shown as ds:[…] unless fs/gs overrides it. */
export const MEM_DS = 8;
/** An fs/gs override the listing shows although it adds no base (lea). */
export const MEM_SHOW_FS = 16;
export const MEM_SHOW_GS = 32;

/** The implicit count 1 of the D0/D1 shifts, printed bare ("shl eax,1"). */
export const IMM_BARE = 1;
