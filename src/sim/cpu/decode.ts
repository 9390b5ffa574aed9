// Models: x86-64 instruction decoding in 64-bit mode (Intel SDM Vol. 2A ch. 2 "Instruction Format":
// legacy prefixes, REX, one- and two-byte opcodes, ModRM, SIB, displacement, immediate; the 15-byte
// limit and the LOCK rules of the LOCK instruction page).
// Simplifies: only the general-purpose and system instructions are decoded; anything else is a
// valid-but-unmodelled failure that names its bytes (see opcode-*.ts for the exact set).
import type { DecodeResult, Instruction, Prefixes } from './instruction';
import { B, F as FORMS, LOCK, NEEDS_MODRM } from './opcode-table';
import { ONE_BYTE } from './opcode-one-byte';
import { TWO_BYTE } from './opcode-two-byte';
import { S as STATE, readModrm, u8 } from './decode-state';
import { operands } from './decode-operands';
import { resolve } from './decode-groups';
import { skipUnmodelled } from './decode-skip';
import { printedMnemonic, renamePrefixes } from './decode-prefix-text';

// A module-local alias: loaders that turn imports into getters (tsx, vite-node) would otherwise
// charge a call for every access on the hot path.
const S = STATE;
const F = FORMS;

/** The longest instruction the processor accepts (SDM Vol. 2A §2.3.11). */
export const MAX_LENGTH = 15;

/** Kinds of prefix byte: 0 none, 1 lock, 2 F2, 3 F3, 4 segment, 5 66h, 6 67h, 7 REX. */
const PREFIX_KIND = new Uint8Array(256);
PREFIX_KIND[0xf0] = 1;
PREFIX_KIND[0xf2] = 2;
PREFIX_KIND[0xf3] = 3;
for (const b of [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]) PREFIX_KIND[b] = 4;
PREFIX_KIND[0x66] = 5;
PREFIX_KIND[0x67] = 6;
for (let b = 0x40; b <= 0x4f; b++) PREFIX_KIND[b] = 7;

const SEGMENTS: Record<number, Prefixes['segment']> = { 0x26: 'es', 0x2e: 'cs', 0x36: 'ss', 0x3e: 'ds', 0x64: 'fs', 0x65: 'gs' };

const NO_PREFIXES: Prefixes = Object.freeze({
  lock: false, rep: false, repne: false, opsize: false, addrsize: false, segment: null, rex: 0,
});

function begin(bytes: ArrayLike<number>, start: number, ripLo: number, ripHi: number): void {
  S.bytes = bytes;
  S.start = S.pos = start;
  S.end = Math.min(bytes.length, start + MAX_LENGTH);
  S.over = false;
  S.ripLo = ripLo >>> 0;
  S.ripHi = ripHi >>> 0;
  S.npfx = 0;
  S.lastF2 = S.lastF3 = S.lastSeg = S.last66 = S.last67 = S.rexAt = S.mandatory = -1;
  S.lock = S.anyDs = S.used66 = S.used67 = S.segUsed = false;
  S.rex = S.rexUsed = 0;
  S.seg = null;
  S.modrm = S.mod = S.reg = S.rm = 0;
  S.ripMem = null;
  S.fail = 0;
  S.opsize = 4;
}

function hexBytes(): string {
  const out: string[] = [];
  const stop = Math.max(S.pos, S.start + 1);
  for (let i = S.start; i < stop && i < S.end; i++) out.push(((S.bytes[i] as number) & 0xff).toString(16).padStart(2, '0'));
  return out.join(' ');
}

function failure(kind: 1 | 2, reason: string): DecodeResult {
  if (S.over) return overrun();
  const length = Math.max(1, S.pos - S.start);
  if (kind === 1) return { ok: false, failure: { kind: 'invalid', length, reason } };
  return { ok: false, failure: { kind: 'unmodelled', length, reason: `${reason} (bytes ${hexBytes()})` } };
}

/** Reading ran past the bytes available: more than 15 bytes, or the stream ended. */
function overrun(): DecodeResult {
  const available = S.end - S.start;
  if (available >= MAX_LENGTH) return { ok: false, failure: { kind: 'invalid', length: MAX_LENGTH, reason: 'instruction longer than 15 bytes' } };
  return { ok: false, failure: { kind: 'truncated', length: Math.max(0, available) } };
}

function readPrefixes(): number {
  let b = u8();
  for (;;) {
    const kind = PREFIX_KIND[b]!;
    if (kind === 0 || S.over) return b;
    const slot = S.npfx++;
    S.pfx[slot] = b;
    if (kind === 7) {
      S.rex = b;
      S.rexAt = slot;
    } else {
      // A REX prefix followed by a legacy prefix is ignored (SDM Vol. 2A §2.2.1).
      S.rex = 0;
      S.rexAt = -1;
      if (kind === 1) S.lock = true;
      else if (kind === 2) S.lastF2 = slot;
      else if (kind === 3) S.lastF3 = slot;
      else if (kind === 5) S.last66 = slot;
      else if (kind === 6) S.last67 = slot;
      else {
        // As objdump does, the last fs or gs prefix applies even when cs/ds/es/ss follow it (the
        // SDM leaves repeated segment prefixes unpredictable; cs/ds/es/ss have no effect).
        S.lastSeg = slot;
        if (b === 0x64) S.seg = 'fs';
        else if (b === 0x65) S.seg = 'gs';
        else if (b === 0x3e) S.anyDs = true;
      }
    }
    b = u8();
  }
}

/**
 * Decodes one instruction from bytes[start…] (at most 15 bytes are read) at address
 * (ripLo, ripHi). Never throws: bad input is a failure value.
 */
export function decode(bytes: ArrayLike<number>, start: number, ripLo: number, ripHi: number): DecodeResult {
  if (bytes == null || !Number.isSafeInteger(start) || start < 0) return { ok: false, failure: { kind: 'truncated', length: 0 } };
  begin(bytes, start, ripLo, ripHi);
  const first = readPrefixes();
  const opc = first === 0x0f ? u8() : first;
  let e = first === 0x0f ? TWO_BYTE[opc]! : ONE_BYTE[opc]!;
  if (e.alt !== null && S.lastF3 > S.lastF2) {
    S.mandatory = S.lastF3;
    e = e.alt;
  } else if (e.alt !== null) {
    if (S.lastF2 >= 0) {
      skipUnmodelled(first, opc, false);
      return failure(2, 'f2 before popcnt/bsf/bsr (no instruction in the SDM)');
    }
    // objdump reads 66h as selecting the plain form of these prefix-dependent opcodes.
    if (S.last66 >= 0 && e.alt.form !== F.UNMODELLED) S.used66 = true;
  }
  const modrmRead = NEEDS_MODRM[e.form]!;
  if (modrmRead) {
    readModrm();
    e = resolve(e);
  }
  if (e.form === F.INVALID) return failure(1, e.mn);
  if (e.form === F.UNMODELLED || e.form === F.ESC3) {
    skipUnmodelled(first, opc, modrmRead);
    return failure(2, e.form === F.ESC3 ? `three-byte opcode map ${e.mn}` : e.mn);
  }
  const memoryForm = NEEDS_MODRM[e.form]! && S.mod !== 3;
  if (S.lock && (!(e.flags & LOCK) || !memoryForm)) return failure(1, 'lock prefix on an instruction or operand that cannot be locked');
  S.op = e.op;
  S.mn = e.mn;
  S.opsize = e.flags & B ? 1 : 4;
  const ops = operands(e, opc);
  if (S.fail !== 0) return failure(S.fail as 1 | 2, S.reason);
  if (S.over) return overrun();
  const length = S.pos - S.start;
  const m = S.ripMem;
  if (m !== null) {
    const s = S.ripLo + length + m.disp;
    m.tlo = s >>> 0;
    m.thi = (S.ripHi + Math.floor(s / 4294967296)) >>> 0;
  }
  let mnemonic = S.mn;
  let prefixes = NO_PREFIXES;
  if (S.npfx !== 0) {
    renamePrefixes(e.flags, memoryForm);
    mnemonic = printedMnemonic(S.mn);
    prefixes = {
      lock: S.lock,
      rep: S.lastF3 > S.lastF2,
      repne: S.lastF2 > S.lastF3,
      opsize: S.last66 >= 0,
      addrsize: S.last67 >= 0,
      segment: S.lastSeg >= 0 ? SEGMENTS[S.pfx[S.lastSeg]!]! : null,
      rex: S.rex,
    };
  }
  const insn: Instruction = { length, op: S.op, mnemonic, operands: ops as Instruction['operands'], opsize: S.opsize, cond: e.cond, prefixes };
  return { ok: true, insn };
}
