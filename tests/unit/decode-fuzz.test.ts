import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/sim/cpu/decode';
import { formatIntel } from '../../src/sim/cpu/disasm';
import type { DecodeResult } from '../../src/sim/cpu/instruction';
import { parseListing } from '../golden/decode/objdump-listing';
import { xorshift32 } from './support/xorshift';

// Bad input never throws: random, prefix-heavy and truncated byte streams all end in an
// instruction of 1–15 bytes or a failure value, and every decoded instruction can be printed.
// The random source is a seeded xorshift32, so every run checks the same streams.


const PREFIXES = [0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0x40, 0x41, 0x44, 0x48, 0x4f];

/** Checks one decode result; returns a description of what is wrong, or null. */
function problem(result: DecodeResult, available: number): string | null {
  if (result.ok) {
    const { insn } = result;
    if (!(insn.length >= 1 && insn.length <= 15 && insn.length <= available)) return `length ${insn.length} of ${available} bytes`;
    const listed = formatIntel(insn);
    if (typeof listed !== 'string' || listed.length === 0) return 'empty listing';
    if (insn.operands.some((op) => op === undefined)) return 'missing operand';
    return null;
  }
  const { failure } = result;
  if (failure.kind === 'truncated') return failure.length === Math.min(available, 15) ? null : `truncated length ${failure.length} of ${available}`;
  if (!(failure.length >= 1 && failure.length <= 15)) return `${failure.kind} length ${failure.length}`;
  return failure.reason.length > 0 ? null : 'failure without a reason';
}

function check(stream: ArrayLike<number>, start: number, found: string[]) {
  let result: DecodeResult;
  try {
    result = decode(stream, start, (start * 0x9e3779b1) >>> 0, start & 1 ? 0xffffffff : 0);
  } catch (error) {
    found.push(`threw ${String(error)} on ${Array.from(stream).slice(start, start + 15).join(',')}`);
    return;
  }
  const why = problem(result, Math.max(0, stream.length - start));
  if (why) found.push(`${why} on ${Array.from(stream).slice(start, start + 15).map((b) => Number(b).toString(16)).join(' ')}`);
}

describe('decoding arbitrary bytes', () => {
  it('survives 20,000 random streams decoded at every offset', () => {
    const next = xorshift32(0x5eed);
    const found: string[] = [];
    for (let n = 0; n < 20000; n++) {
      const stream = Uint8Array.from({ length: next() % 24 }, () => next() & 0xff);
      for (let start = 0; start <= stream.length; start++) check(stream, start, found);
    }
    expect(found.slice(0, 10)).toEqual([]);
  });

  it('survives 20,000 prefix-heavy streams, including runs longer than 15 bytes', () => {
    const next = xorshift32(0xfeed);
    const found: string[] = [];
    for (let n = 0; n < 20000; n++) {
      const prefixes = Array.from({ length: next() % 18 }, () => PREFIXES[next() % PREFIXES.length]!);
      const opcode = next() % 3 === 0 ? [0x0f, next() & 0xff] : [next() & 0xff];
      const tail = Array.from({ length: next() % 12 }, () => next() & 0xff);
      const stream = [...prefixes, ...opcode, ...tail];
      check(stream, 0, found);
      check(stream.slice(0, next() % (stream.length + 1)), 0, found);
    }
    expect(found.slice(0, 10)).toEqual([]);
  });

  it('survives every truncation of every corpus instruction', () => {
    const runs = parseListing(readFileSync('tests/golden/decode/corpus.objdump.txt', 'utf8'));
    const found: string[] = [];
    let cuts = 0;
    for (const run of runs) for (const listed of run.insns) {
      for (let n = 0; n < listed.bytes.length; n++) {
        const cut = listed.bytes.slice(0, n);
        check(cut, 0, found);
        const r = decode(cut, 0, 0, 0);
        if (run.section !== '.text.unmodelled' && (r.ok || r.failure.kind !== 'truncated')) found.push(`${listed.text}: cut to ${n} bytes is not truncated`);
        cuts++;
      }
    }
    expect(cuts).toBeGreaterThan(5000);
    expect(found.slice(0, 10)).toEqual([]);
  });

  it('survives arrays that hold no bytes at all', () => {
    const found: string[] = [];
    const odd = [Number.NaN, -1, 256, 1e300, 0.5, undefined, null, 'c3'] as unknown as number[];
    const next = xorshift32(7);
    for (let n = 0; n < 2000; n++) check(Array.from({ length: next() % 16 }, () => odd[next() % odd.length]!), 0, found);
    expect(found.slice(0, 10)).toEqual([]);
  });

  it('decodes the same bytes to the same instruction every time', () => {
    const next = xorshift32(42);
    for (let n = 0; n < 2000; n++) {
      const stream = Uint8Array.from({ length: 15 }, () => next() & 0xff);
      expect(JSON.stringify(decode(stream, 0, 0x1000, 0))).toBe(JSON.stringify(decode(stream, 0, 0x1000, 0)));
    }
  });
});
