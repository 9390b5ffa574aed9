// Models: which prefixes a GNU objdump (binutils 2.40) listing prints in front of the mnemonic:
// every prefix the instruction did not consume, in byte order (lock, rep/repz/repnz, bnd, notrack,
// xacquire/xrelease, cs/ds/es/ss, data16, addr32, rex.*), as i386-dis.c decides.
// Simplifies: prefixed mnemonics are built once and kept in a small table; past its cap they are
// rebuilt on each use, which only very unusual prefix runs reach.
import { S as STATE } from './decode-state';
import { BND, HLE_LOCK, HLE_MOV, HLE_XCHG, NOTRACK, REP } from './opcode-table';

// A module-local alias: loaders that turn imports into getters (tsx, vite-node) would otherwise
// charge a call for every access on the hot path.
const S = STATE;

const REX_NAMES = [
  'rex', 'rex.B', 'rex.X', 'rex.XB', 'rex.R', 'rex.RB', 'rex.RX', 'rex.RXB',
  'rex.W', 'rex.WB', 'rex.WX', 'rex.WXB', 'rex.WR', 'rex.WRB', 'rex.WRX', 'rex.WRXB',
];

const SEGMENT_NAMES: Record<number, string> = { 0x26: 'es', 0x2e: 'cs', 0x36: 'ss', 0x3e: 'ds', 0x64: 'fs', 0x65: 'gs' };

const joined = new Map<string, Map<string, string>>();
let joinedCount = 0;
const JOINED_CAP = 4096;

function join(prefix: string, rest: string): string {
  let byRest = joined.get(prefix);
  if (byRest === undefined) {
    byRest = new Map();
    joined.set(prefix, byRest);
  }
  let text = byRest.get(rest);
  if (text === undefined) {
    text = prefix + ' ' + rest;
    if (joinedCount < JOINED_CAP) {
      byRest.set(rest, text);
      joinedCount++;
    }
  }
  return text;
}

/** Decides the names the last F3/F2 and the segment slot print as, from the entry's flags. */
export function renamePrefixes(flags: number, memoryForm: boolean): void {
  S.f3Name = '';
  S.f2Name = '';
  S.notrack = false;
  if (flags & REP) S.f3Name = 'rep';
  if (flags & BND) S.f2Name = 'bnd';
  if (memoryForm && (((flags & HLE_LOCK) && S.lock) || (flags & HLE_XCHG))) {
    S.f3Name = 'xrelease';
    S.f2Name = 'xacquire';
  }
  if (memoryForm && (flags & HLE_MOV) && S.lastF3 > S.lastF2) S.f3Name = 'xrelease';
  if ((flags & NOTRACK) && S.anyDs && S.last66 < 0) S.notrack = true;
}

function slotName(i: number): string | null {
  const b = S.pfx[i]!;
  switch (b) {
    case 0xf0:
      return 'lock';
    case 0xf3:
      if (i === S.mandatory) return null;
      return i === S.lastF3 && S.f3Name !== '' ? S.f3Name : 'repz';
    case 0xf2:
      if (i === S.mandatory) return null;
      return i === S.lastF2 && S.f2Name !== '' ? S.f2Name : 'repnz';
    case 0x66:
      return i === S.last66 && S.used66 ? null : 'data16';
    case 0x67:
      return i === S.last67 && S.used67 ? null : 'addr32';
    case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
      if (i === S.lastSeg) {
        if (S.notrack) return 'notrack';
        if (S.segUsed) return null;
      }
      return SEGMENT_NAMES[b]!;
    default:
      return i === S.rexAt && S.rexUsed === S.rex ? null : REX_NAMES[b & 15]!;
  }
}

/** The mnemonic with the prefixes objdump would print before it. */
export function printedMnemonic(mn: string): string {
  let text = mn;
  for (let i = S.npfx - 1; i >= 0; i--) {
    const name = slotName(i);
    if (name !== null) text = join(name, text);
  }
  return text;
}
