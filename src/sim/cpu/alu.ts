// Models: the integer ALU of x86-64 with the status flags each operation defines (Intel SDM Vol. 2
// instruction pages: ADD, ADC, SUB, SBB, AND, OR, XOR, INC, DEC, NEG). Values are 64-bit, held as
// unsigned 32-bit halves (lo, hi); 8/16/32-bit operations use lo only.
// Simplifies: flags the SDM leaves undefined are given one fixed, documented value (AF = 0 after
// logic operations), since no correct program may read them.
import { AF, CF, OF, PF, SF, ZF, parity } from './flags';
import type { Size } from './instruction';

/** Results land here (no allocation per instruction): value halves and the new RFLAGS. */
export const out = { lo: 0, hi: 0, flags: 0 };

export const MASK = [0, 0xff, 0xffff, 0, 0xffffffff, 0, 0, 0, 0xffffffff] as const;
export const SIGN = [0, 0x80, 0x8000, 0, 0x80000000, 0, 0, 0, 0x80000000] as const;

/** Truncates lo to the operand size (unsigned). */
export const trunc = (lo: number, size: Size) => (size >= 4 ? lo >>> 0 : lo & MASK[size]);

function setResult(lo: number, hi: number, size: Size, flagsIn: number, cf: boolean, of: boolean, af: number) {
  const zero = size === 8 ? (lo | hi) === 0 : lo === 0;
  const sign = size === 8 ? hi >>> 31 : (lo & SIGN[size]) !== 0;
  out.lo = lo;
  out.hi = size === 8 ? hi : 0;
  out.flags =
    (flagsIn & ~(CF | PF | AF | ZF | SF | OF)) |
    (cf ? CF : 0) | parity(lo) | (af & 0x10 ? AF : 0) | (zero ? ZF : 0) | (sign ? SF : 0) | (of ? OF : 0);
}

/** add and adc (carryIn 0 or 1). */
export function add(aLo: number, aHi: number, bLo: number, bHi: number, carryIn: number, size: Size, flagsIn: number) {
  if (size !== 8) {
    const a = trunc(aLo, size), b = trunc(bLo, size);
    const sum = a + b + carryIn;
    const r = trunc(sum, size);
    setResult(r, 0, size, flagsIn, sum > MASK[size], ((a ^ r) & (b ^ r) & SIGN[size]) !== 0, a ^ b ^ r);
    return;
  }
  let lo = (aLo >>> 0) + (bLo >>> 0) + carryIn;
  const c = lo > 0xffffffff ? 1 : 0;
  lo >>>= 0;
  const hiSum = (aHi >>> 0) + (bHi >>> 0) + c;
  const hi = hiSum >>> 0;
  setResult(lo, hi, 8, flagsIn, hiSum > 0xffffffff, ((aHi ^ hi) & (bHi ^ hi) & 0x80000000) !== 0, aLo ^ bLo ^ lo);
}

/** sub, sbb (borrowIn 0 or 1) and cmp (the caller discards the value). */
export function sub(aLo: number, aHi: number, bLo: number, bHi: number, borrowIn: number, size: Size, flagsIn: number) {
  if (size !== 8) {
    const a = trunc(aLo, size), b = trunc(bLo, size);
    const diff = a - b - borrowIn;
    const r = trunc(diff, size);
    setResult(r, 0, size, flagsIn, diff < 0, ((a ^ b) & (a ^ r) & SIGN[size]) !== 0, a ^ b ^ r);
    return;
  }
  let lo = (aLo >>> 0) - (bLo >>> 0) - borrowIn;
  const borrow = lo < 0 ? 1 : 0;
  lo >>>= 0;
  const hiDiff = (aHi >>> 0) - (bHi >>> 0) - borrow;
  const hi = hiDiff >>> 0;
  setResult(lo, hi, 8, flagsIn, hiDiff < 0, ((aHi ^ bHi) & (aHi ^ hi) & 0x80000000) !== 0, aLo ^ bLo ^ lo);
}

/** and, or, xor, test: CF = OF = 0; AF undefined (0 here). */
export function logic(op: 'and' | 'or' | 'xor', aLo: number, aHi: number, bLo: number, bHi: number, size: Size, flagsIn: number) {
  let lo: number, hi: number;
  if (op === 'and') (lo = aLo & bLo), (hi = aHi & bHi);
  else if (op === 'or') (lo = aLo | bLo), (hi = aHi | bHi);
  else (lo = aLo ^ bLo), (hi = aHi ^ bHi);
  setResult(trunc(lo, size), hi >>> 0, size, flagsIn, false, false, 0);
}

/** inc and dec: like add/sub of 1, but CF is left as it was. */
export function incDec(dec: boolean, aLo: number, aHi: number, size: Size, flagsIn: number) {
  if (dec) sub(aLo, aHi, 1, 0, 0, size, flagsIn);
  else add(aLo, aHi, 1, 0, 0, size, flagsIn);
  out.flags = (out.flags & ~CF) | (flagsIn & CF);
}

/** neg: 0 − a; CF is set unless a is 0. */
export function neg(aLo: number, aHi: number, size: Size, flagsIn: number) {
  sub(0, 0, aLo, aHi, 0, size, flagsIn);
}

/** not: no flags change. */
export function not(aLo: number, aHi: number, size: Size, flagsIn: number) {
  out.lo = trunc(~aLo, size);
  out.hi = size === 8 ? ~aHi >>> 0 : 0;
  out.flags = flagsIn;
}
