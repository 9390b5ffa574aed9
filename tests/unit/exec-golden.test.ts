import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/sim/machine';
import { RAX, RCX, RDX, hex64 } from '../../src/sim/cpu/state';

// Results and flags of real instructions computed on the real CPU (tests/golden/exec/gen.c):
// the emulator decodes and executes the very same bytes and must agree on the result registers
// and on every flag the SDM defines for the case (the mask).
interface Case {
  op: string;
  size: number;
  asm: string;
  code: string;
  a: string;
  b?: string;
  d?: string;
  flagsIn: string;
  result?: string;
  resultHi?: string;
  result2?: string;
  flags?: string;
  mask?: string;
  fault?: string;
}
const cases: Case[] = JSON.parse(readFileSync('tests/golden/exec/arith.json', 'utf8'));

const CODE_AT = 0x1000;
const u64 = (hex: string) => {
  const v = BigInt(hex);
  return { lo: Number(v & 0xffffffffn), hi: Number(v >> 32n) };
};

function runCase(c: Case) {
  const m = new Machine({ memoryBytes: 1 << 20 });
  m.trace = true;
  m.mem.load(CODE_AT, c.code.match(/../g)!.map((h) => parseInt(h, 16)));
  m.s.rip = { lo: CODE_AT, hi: 0 };
  m.set64(RAX, u64(c.a));
  if (c.b) m.set64(RCX, u64(c.b));
  if (c.d) m.set64(RDX, u64(c.d));
  m.s.rflags = Number(BigInt(c.flagsIn));
  m.step();
  return m;
}

function mismatch(c: Case, m: Machine): string | undefined {
  if (c.fault) {
    const f = m.log.find((e) => e.kind === 'cpu/faulted');
    return f && f.kind === 'cpu/faulted' && f.vector === 0 ? undefined : `expected ${c.fault}, got ${f ? JSON.stringify(f) : 'no fault'}`;
  }
  const wrong: string[] = [];
  const check = (what: string, got: string, want: string | undefined) => {
    if (want !== undefined && got !== hex64(u64(want))) wrong.push(`${what} ${got}, want ${hex64(u64(want))}`);
  };
  check('rax', hex64(m.get64(RAX)), c.result);
  check('rdx', hex64(m.get64(RDX)), c.resultHi);
  check('rcx', hex64(m.get64(RCX)), c.result2);
  const mask = Number(BigInt(c.mask ?? '0'));
  const got = m.s.rflags & mask, want = Number(BigInt(c.flags ?? '0')) & mask;
  if (got !== want) wrong.push(`flags 0x${got.toString(16)}, want 0x${want.toString(16)} (mask 0x${mask.toString(16)})`);
  if (m.stopped) wrong.push(`stopped: ${m.stopped.detail}`);
  return wrong.length ? wrong.join('; ') : undefined;
}

describe('arithmetic on the emulated CPU agrees with the real CPU', () => {
  const ops = [...new Set(cases.map((c) => c.op))];
  for (const op of ops) {
    const mine = cases.filter((c) => c.op === op);
    it(`${op}: ${mine.length} cases`, () => {
      const failures = mine
        .map((c) => ({ c, why: mismatch(c, runCase(c)) }))
        .filter((x) => x.why)
        .map(({ c, why }) => `${c.asm} a=${c.a} b=${c.b ?? '-'} flagsIn=${c.flagsIn}: ${why}`);
      expect(failures.slice(0, 8)).toEqual([]);
    });
  }
});
