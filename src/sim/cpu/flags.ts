// Models: RFLAGS (Intel SDM Vol. 1 §3.4.3, Vol. 3A §2.3): bit positions and the status flags that
// arithmetic sets. Simplifies: VM, VIF and VIP exist as bits only (no virtual-8086 mode).

export const CF = 1 << 0;
export const PF = 1 << 2;
export const AF = 1 << 4;
export const ZF = 1 << 6;
export const SF = 1 << 7;
export const TF = 1 << 8;
export const IF = 1 << 9;
export const DF = 1 << 10;
export const OF = 1 << 11;
export const IOPL = 3 << 12;
export const NT = 1 << 14;
export const RF = 1 << 16;
export const VM = 1 << 17;
export const AC = 1 << 18;
export const VIF = 1 << 19;
export const VIP = 1 << 20;
export const ID = 1 << 21;
/** Bit 1 always reads as 1. */
export const RESERVED_ONE = 1 << 1;

/** The six status flags arithmetic writes. */
export const STATUS = CF | PF | AF | ZF | SF | OF;
/** Every flag a 64-bit program can change with popfq at CPL 0 (VM, VIF, VIP excepted). */
export const WRITABLE = STATUS | TF | IF | DF | IOPL | NT | RF | AC | ID;

export const FLAG_NAMES: [number, string][] = [
  [CF, 'CF'], [PF, 'PF'], [AF, 'AF'], [ZF, 'ZF'], [SF, 'SF'], [TF, 'TF'], [IF, 'IF'], [DF, 'DF'],
  [OF, 'OF'], [NT, 'NT'], [RF, 'RF'], [AC, 'AC'], [ID, 'ID'],
];

const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let bits = 0;
  for (let b = i; b; b >>= 1) bits += b & 1;
  PARITY[i] = bits % 2 === 0 ? PF : 0;
}

/** PF: set when the low byte of a result has an even number of 1 bits. */
export const parity = (lowByte: number) => PARITY[lowByte & 0xff]!;

/** "CF PF ZF IF" — the set flags by name, for descriptions. */
export function flagNames(rflags: number): string {
  const set = FLAG_NAMES.filter(([bit]) => rflags & bit).map(([, name]) => name);
  const iopl = (rflags & IOPL) >>> 12;
  if (iopl) set.push(`IOPL=${iopl}`);
  return set.join(' ') || 'none';
}

/** Condition codes 0–15 of jcc, setcc and cmovcc (SDM Vol. 1 Appendix B). */
export function conditionHolds(cond: number, f: number): boolean {
  let r: boolean;
  switch (cond >> 1) {
    case 0: r = (f & OF) !== 0; break; // o
    case 1: r = (f & CF) !== 0; break; // b
    case 2: r = (f & ZF) !== 0; break; // e
    case 3: r = (f & (CF | ZF)) !== 0; break; // be
    case 4: r = (f & SF) !== 0; break; // s
    case 5: r = (f & PF) !== 0; break; // p
    case 6: r = ((f & SF) !== 0) !== ((f & OF) !== 0); break; // l
    default: r = (f & ZF) !== 0 || ((f & SF) !== 0) !== ((f & OF) !== 0); // le
  }
  return cond & 1 ? !r : r;
}
