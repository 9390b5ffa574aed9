// Models: shifts, rotates, multiplies, divides and bit tests with their flags (Intel SDM Vol. 2:
// SAL/SAR/SHL/SHR, ROL/ROR, MUL, IMUL, DIV, IDIV, BT/BTS/BTR). Worked in BigInt, which is exact
// for 64 and 128 bits; these are rarer than add/mov in compiled code.
// Simplifies: where the SDM leaves OF undefined (counts above 1) it gets the count-1 formula's
// value; AF after shifts is 0. Divide errors are reported, not raised here (#DE is the caller's).
import { out, SIGN } from './alu';
import { AF, CF, OF, PF, SF, ZF, parity } from './flags';
import type { Size } from './instruction';

export const toBig = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const BITS = [0, 8, 16, 0, 32, 0, 0, 0, 64] as const;
const maskOf = (size: Size) => (1n << BigInt(BITS[size])) - 1n;
const signedOf = (v: bigint, size: Size) => BigInt.asIntN(BITS[size], v);

function put(v: bigint, size: Size) {
  const u = v & maskOf(size);
  out.lo = Number(u & 0xffffffffn);
  out.hi = size === 8 ? Number(u >> 32n) : 0;
}

function szp(flags: number, size: Size) {
  const zero = (out.lo | out.hi) === 0;
  const sign = size === 8 ? out.hi >>> 31 : (out.lo & SIGN[size]) !== 0;
  return (flags & ~(PF | ZF | SF | AF)) | parity(out.lo) | (zero ? ZF : 0) | (sign ? SF : 0);
}

export type ShiftOp = 'shl' | 'shr' | 'sar' | 'rol' | 'ror';

/** Shifts and rotates by count (already taken from imm8, 1 or CL); the count is masked here. */
export function shift(op: ShiftOp, aLo: number, aHi: number, count: number, size: Size, flagsIn: number) {
  const bits = BITS[size];
  const n = count & (size === 8 ? 63 : 31);
  if (n !== 0 && (size === 8 || size === 4) && (op === 'shl' || op === 'shr' || op === 'sar')) {
    fastShift(op, aLo >>> 0, size === 8 ? aHi >>> 0 : 0, n, size, flagsIn);
    return;
  }
  const a = toBig(aLo, aHi) & maskOf(size);
  if (n === 0) {
    put(a, size);
    out.flags = flagsIn;
    return;
  }
  const msb = (v: bigint) => ((v >> BigInt(bits - 1)) & 1n) === 1n;
  let r: bigint, cf: boolean, of: boolean;
  if (op === 'shl') {
    r = (a << BigInt(n)) & maskOf(size);
    cf = n <= bits ? ((a >> BigInt(bits - n)) & 1n) === 1n : false;
    of = msb(r) !== cf;
  } else if (op === 'shr') {
    r = a >> BigInt(n);
    cf = ((a >> BigInt(n - 1)) & 1n) === 1n;
    of = msb(a);
  } else if (op === 'sar') {
    const s = signedOf(a, size);
    r = (s >> BigInt(n)) & maskOf(size);
    cf = ((s >> BigInt(Math.min(n - 1, bits - 1))) & 1n) === 1n;
    of = false;
  } else {
    const k = BigInt(n % bits);
    r = op === 'rol' ? ((a << k) | (a >> (BigInt(bits) - k))) & maskOf(size) : ((a >> k) | (a << (BigInt(bits) - k))) & maskOf(size);
    put(r, size);
    if (op === 'rol') {
      cf = (r & 1n) === 1n;
      of = msb(r) !== cf;
    } else {
      cf = msb(r);
      of = cf !== (((r >> BigInt(bits - 2)) & 1n) === 1n);
    }
    out.flags = (flagsIn & ~(CF | OF)) | (cf ? CF : 0) | (of ? OF : 0);
    return;
  }
  put(r, size);
  out.flags = (szp(flagsIn, size) & ~(CF | OF)) | (cf ? CF : 0) | (of ? OF : 0);
}

/** Second result of mul, imul (one operand), div and idiv: rdx (or ah / dx / edx) halves. */
export const outHigh = { lo: 0, hi: 0 };

/** mul and one-operand imul: the double-width product of the accumulator and src. */
export function multiplyWide(signed: boolean, accLo: number, accHi: number, srcLo: number, srcHi: number, size: Size, flagsIn: number) {
  const bits = BigInt(BITS[size]);
  const a = toBig(accLo, accHi) & maskOf(size), b = toBig(srcLo, srcHi) & maskOf(size);
  const p = signed ? signedOf(a, size) * signedOf(b, size) : a * b;
  const low = p & maskOf(size);
  const high = (p >> bits) & maskOf(size);
  const overflow = signed ? signedOf(low, size) !== p : high !== 0n;
  put(high, size);
  outHigh.lo = out.lo;
  outHigh.hi = out.hi;
  put(low, size);
  out.flags = szp(flagsIn, size) & ~(CF | OF) | (overflow ? CF | OF : 0);
}

/** Two- and three-operand imul: the product truncated to the operand size. */
export function multiplyTruncated(aLo: number, aHi: number, bLo: number, bHi: number, size: Size, flagsIn: number) {
  const p = signedOf(toBig(aLo, aHi), size) * signedOf(toBig(bLo, bHi), size);
  put(p, size);
  const overflow = signedOf(p & maskOf(size), size) !== p;
  out.flags = szp(flagsIn, size) & ~(CF | OF) | (overflow ? CF | OF : 0);
}

/**
 * div and idiv of the double-width dividend high:low by src. Returns false for a divide error
 * (divisor 0, or a quotient too large for the operand size); then nothing is written.
 * Quotient → out, remainder → outHigh. All flags are undefined: left unchanged here.
 */
export function divide(signed: boolean, lowLo: number, lowHi: number, highLo: number, highHi: number, srcLo: number, srcHi: number, size: Size, flagsIn: number): boolean {
  const bits = BigInt(BITS[size]);
  const dividendU = ((toBig(highLo, highHi) & maskOf(size)) << bits) | (toBig(lowLo, lowHi) & maskOf(size));
  const divisorU = toBig(srcLo, srcHi) & maskOf(size);
  if (divisorU === 0n) return false;
  let q: bigint, r: bigint;
  if (signed) {
    const n = BigInt.asIntN(BITS[size] * 2, dividendU), d = signedOf(divisorU, size);
    q = n / d;
    r = n % d;
    if (signedOf(q & maskOf(size), size) !== q) return false;
  } else {
    q = dividendU / divisorU;
    r = dividendU % divisorU;
    if (q > maskOf(size)) return false;
  }
  put(r, size);
  outHigh.lo = out.lo;
  outHigh.hi = out.hi;
  put(q, size);
  out.flags = flagsIn;
  return true;
}

/** bt, bts, btr on a register-sized value: CF = the selected bit; bit offset taken modulo the size. */
export function bitTest(op: 'bt' | 'bts' | 'btr', aLo: number, aHi: number, bit: number, size: Size, flagsIn: number) {
  const n = BigInt(bit & (BITS[size] - 1));
  const a = toBig(aLo, aHi) & maskOf(size);
  const cf = ((a >> n) & 1n) === 1n;
  put(op === 'bts' ? a | (1n << n) : op === 'btr' ? a & ~(1n << n) : a, size);
  out.flags = (flagsIn & ~CF) | (cf ? CF : 0);
}

/** shl, shr and sar at 32 and 64 bits on the halves directly (the common case in compiled code). */
function fastShift(op: 'shl' | 'shr' | 'sar', lo: number, hi: number, n: number, size: 4 | 8, flagsIn: number) {
  let rl: number, rh = 0, cf: number;
  if (size === 4) {
    if (op === 'shl') (rl = lo << n), (cf = (lo >>> (32 - n)) & 1);
    else if (op === 'shr') (rl = lo >>> n), (cf = (lo >>> (n - 1)) & 1);
    else (rl = (lo | 0) >> n), (cf = ((lo | 0) >> (n - 1)) & 1);
  } else if (op === 'shl') {
    if (n < 32) (rh = (hi << n) | (lo >>> (32 - n))), (rl = lo << n), (cf = (hi >>> (32 - n)) & 1);
    else (rh = n === 32 ? lo : lo << (n - 32)), (rl = 0), (cf = n === 32 ? hi & 1 : (lo >>> (64 - n)) & 1);
  } else {
    const signed = op === 'sar';
    const top = signed ? (hi | 0) >> 31 : 0;
    if (n < 32) (rl = (lo >>> n) | (hi << (32 - n))), (rh = signed ? (hi | 0) >> n : hi >>> n), (cf = (lo >>> (n - 1)) & 1);
    else if (n === 32) (rl = hi), (rh = top), (cf = lo >>> 31);
    else (rl = signed ? (hi | 0) >> (n - 32) : hi >>> (n - 32)), (rh = top), (cf = signed ? ((hi | 0) >> (n - 33)) & 1 : (hi >>> (n - 33)) & 1);
  }
  out.lo = rl >>> 0;
  out.hi = rh >>> 0;
  const resultMsb = size === 8 ? out.hi >>> 31 : out.lo >>> 31;
  const of = op === 'shl' ? resultMsb !== cf : op === 'shr' ? (size === 8 ? hi >>> 31 : lo >>> 31) === 1 : false;
  out.flags = (szp(flagsIn, size) & ~(CF | OF)) | (cf ? CF : 0) | (of ? OF : 0);
}
