import { describe, expect, it } from 'vitest';
import { decode } from '../../src/sim/cpu/decode';
import { formatIntel } from '../../src/sim/cpu/disasm';
import type { DecodeFailure, Instruction } from '../../src/sim/cpu/instruction';

// What the decoder hands the executor: operations, operands and sizes per the Intel SDM, and
// failures as values (truncated, invalid → #UD, unmodelled → "not modelled").

const bytes = (hex: string) => hex.trim().split(/\s+/).map((h) => parseInt(h, 16));

function insn(hex: string, ripLo = 0x1000, ripHi = 0): Instruction {
  const r = decode(bytes(hex), 0, ripLo, ripHi);
  if (!r.ok) throw new Error(`${hex}: ${JSON.stringify(r.failure)}`);
  return r.insn;
}

function failure(hex: string): DecodeFailure {
  const r = decode(bytes(hex), 0, 0, 0);
  if (r.ok) throw new Error(`${hex} decoded as ${formatIntel(r.insn)}`);
  return r.failure;
}

describe('decoding operations and operands', () => {
  it('names one operation for every encoding of it', () => {
    const ops = (list: string[]) => list.map((hex) => insn(hex).op);
    expect(ops(['01 c8', '03 c1', '05 00 01 00 00', '83 c0 01', '81 c0 00 01 00 00', '04 01'])).toEqual(Array(6).fill('add'));
    expect(ops(['89 c8', '8b c1', 'b8 01 00 00 00', 'c7 c0 01 00 00 00', '48 b8 01 00 00 00 00 00 00 00', 'a1 10 00 00 00 00 00 00 00'])).toEqual(Array(6).fill('mov'));
    expect(ops(['74 00', '0f 84 00 00 00 00'])).toEqual(['jcc', 'jcc']);
    expect(ops(['90', '0f 1f 00', '66 0f 1f 44 00 00', '66 90'])).toEqual(['nop', 'nop', 'nop', 'nop']);
    expect(ops(['f3 a4', 'f3 48 ab'])).toEqual(['movs', 'stos']);
    expect(ops(['66 98', '98', '48 98', '66 99', '99', '48 99'])).toEqual(['cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo']);
  });

  it('gives jcc, setcc and cmovcc their condition code', () => {
    expect(insn('74 00').cond).toBe(4);
    expect(insn('0f 9f c0').cond).toBe(15);
    expect(insn('0f 42 c1').cond).toBe(2);
    expect(insn('90').cond).toBe(-1);
  });

  it('sign-extends an 8-bit immediate to the operand size', () => {
    expect(insn('48 83 c0 ff').operands[1]).toMatchObject({ kind: 'imm', size: 8, lo: 0xffffffff, hi: 0xffffffff });
    expect(insn('83 c0 ff').operands[1]).toMatchObject({ kind: 'imm', size: 4, lo: 0xffffffff, hi: 0 });
    expect(insn('66 83 c0 ff').operands[1]).toMatchObject({ kind: 'imm', size: 2, lo: 0xffff, hi: 0 });
    expect(insn('6a ff').operands[0]).toMatchObject({ kind: 'imm', size: 8, lo: 0xffffffff, hi: 0xffffffff });
  });

  it('sign-extends imm32 to 64 bits, and keeps movabs imm64 whole', () => {
    expect(insn('48 c7 c0 00 00 00 80').operands[1]).toMatchObject({ size: 8, lo: 0x80000000, hi: 0xffffffff });
    expect(insn('b8 00 00 00 80').operands[1]).toMatchObject({ size: 4, lo: 0x80000000, hi: 0 });
    const movabs = insn('48 b8 88 77 66 55 44 33 22 11');
    expect(movabs.mnemonic).toBe('movabs');
    expect(movabs.operands[1]).toMatchObject({ size: 8, lo: 0x55667788, hi: 0x11223344 });
  });

  it('takes the operand size from REX.W, then 66h, else 32 bits; stack operations default to 64', () => {
    expect([insn('48 01 c8').opsize, insn('66 01 c8').opsize, insn('01 c8').opsize, insn('00 c8').opsize]).toEqual([8, 2, 4, 1]);
    expect([insn('50').opsize, insn('66 50').opsize, insn('ff 30').opsize, insn('e8 00 00 00 00').opsize]).toEqual([8, 2, 8, 8]);
  });

  it('reads ah–bh without a REX prefix and spl–dil or r8b–r15b with one', () => {
    expect(insn('88 e0').operands[1]).toMatchObject({ kind: 'reg', size: 1, reg: 0, high8: true });
    expect(insn('40 88 e0').operands[1]).toMatchObject({ kind: 'reg', size: 1, reg: 4, high8: false });
    expect(insn('41 88 c7').operands[0]).toMatchObject({ kind: 'reg', size: 1, reg: 15, high8: false });
  });

  it('decodes SIB forms: no base (disp32), rbp/r13 base with a displacement, rsp/r12 base, index with scale', () => {
    expect(insn('8b 04 c5 f0 ff ff ff').operands[1]).toMatchObject({ base: -1, index: 0, scale: 8, disp: -16 });
    expect(insn('41 8b 45 00').operands[1]).toMatchObject({ base: 13, index: -1, disp: 0 });
    expect(insn('41 8b 04 24').operands[1]).toMatchObject({ base: 12, index: -1, disp: 0 });
    expect(insn('8b 04 25 34 12 00 00').operands[1]).toMatchObject({ base: -1, index: -1, disp: 0x1234, ripRelative: false });
    expect(insn('4b 8d 04 ec').operands[1]).toMatchObject({ base: 12, index: 13, scale: 8 });
  });

  it('marks RIP-relative operands and fs/gs overrides', () => {
    expect(insn('48 8b 05 f0 ff ff ff').operands[1]).toMatchObject({ ripRelative: true, disp: -16, segment: null });
    expect(insn('65 48 8b 04 25 28 00 00 00').operands[1]).toMatchObject({ segment: 'gs', base: -1, disp: 0x28 });
    expect(insn('64 8b 40 08').operands[1]).toMatchObject({ segment: 'fs', base: 0, disp: 8 });
    // cs/ds/es/ss have no effect in 64-bit mode, and lea never adds a segment base.
    expect(insn('2e 8b 00').operands[1]).toMatchObject({ segment: null });
    expect(insn('64 48 8d 00').operands[1]).toMatchObject({ segment: null });
  });

  it('resolves relative targets to absolute addresses with 64-bit wrap-around', () => {
    expect(insn('e8 00 00 00 00', 0xc0000000, 0xffffffff).operands[0]).toEqual({ kind: 'rel', lo: 0xc0000005, hi: 0xffffffff });
    expect(insn('eb fe', 0x10, 0).operands[0]).toEqual({ kind: 'rel', lo: 0x10, hi: 0 });
    expect(insn('e8 f0 ff ff ff', 0, 0).operands[0]).toEqual({ kind: 'rel', lo: 0xfffffff5, hi: 0xffffffff });
    expect(insn('e9 00 01 00 00', 0xffffff00, 0xffffffff).operands[0]).toEqual({ kind: 'rel', lo: 0x5, hi: 0 });
    expect(insn('eb 10', 0xfffffff0, 0).operands[0]).toEqual({ kind: 'rel', lo: 0x2, hi: 1 });
  });

  it('reports the prefixes the executor needs', () => {
    expect(insn('f3 48 ab').prefixes).toMatchObject({ rep: true, repne: false, rex: 0x48 });
    expect(insn('f2 ae').prefixes).toMatchObject({ rep: false, repne: true });
    expect(insn('f0 48 0f b1 17').prefixes).toMatchObject({ lock: true });
    expect(insn('64 8b 00').prefixes).toMatchObject({ segment: 'fs' });
    expect(insn('67 8b 00').prefixes.addrsize).toBe(true);
    expect(insn('67 8b 00').operands[1]).toMatchObject({ addr32: true });
  });

  it('spells the mnemonic with the prefixes objdump prints', () => {
    expect(insn('66 66 2e 0f 1f 84 00 00 00 00 00').mnemonic).toBe('data16 cs nop');
    expect(insn('f3 48 a5').mnemonic).toBe('rep movs');
    expect(insn('f3 a6').mnemonic).toBe('repz cmps');
    expect(insn('f0 0f c1 07').mnemonic).toBe('lock xadd');
    expect(insn('3e ff e0').mnemonic).toBe('notrack jmp');
    expect(insn('2e e8 00 00 00 00').mnemonic).toBe('cs call');
    expect(insn('48 50').mnemonic).toBe('rex.W push');
    expect(insn('f3 0f 1e fa').mnemonic).toBe('endbr64');
  });

  it('decodes ud2 as an instruction: raising #UD is the executor’s job', () => {
    expect(insn('0f 0b')).toMatchObject({ op: 'ud2', length: 2 });
  });
});

describe('decoding failures', () => {
  it('reports every proper prefix of an instruction as truncated', () => {
    for (const hex of ['48 8b 84 24 10 00 00 00', '66 2e 0f 1f 84 00 00 00 00 00', '48 b8 88 77 66 55 44 33 22 11', 'f0 48 0f c7 0f', 'c8 10 00 00']) {
      const all = bytes(hex);
      for (let n = 0; n < all.length; n++) expect(decode(all.slice(0, n), 0, 0, 0), `${hex} cut to ${n}`).toMatchObject({ ok: false, failure: { kind: 'truncated' } });
      expect(decode(all, 0, 0, 0)).toMatchObject({ ok: true, insn: { length: all.length } });
    }
  });

  it('accepts 15 bytes and rejects a 16th as invalid', () => {
    expect(decode([...Array(14).fill(0x66), 0x90], 0, 0, 0)).toMatchObject({ ok: true, insn: { length: 15 } });
    expect(decode([...Array(15).fill(0x66), 0x90], 0, 0, 0)).toMatchObject({ ok: false, failure: { kind: 'invalid', length: 15 } });
    expect(decode([...Array(11).fill(0x66), 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00], 0, 0, 0)).toMatchObject({ ok: false, failure: { kind: 'invalid' } });
  });

  it('rejects a lock prefix where the LOCK page does not allow it', () => {
    for (const hex of ['f0 89 07', 'f0 01 c0', 'f0 39 07', 'f0 90', 'f0 85 07', 'f0 0f 20 c0', 'f0 8d 00']) expect(failure(hex).kind, hex).toBe('invalid');
    for (const hex of ['f0 01 07', 'f0 87 07', 'f0 0f c7 0f', 'f0 48 0f ba 2f 03', 'f0 f7 1f', 'f0 fe 07']) expect(decode(bytes(hex), 0, 0, 0).ok, hex).toBe(true);
  });

  it('rejects the opcodes 64-bit mode removed and the reserved encodings', () => {
    for (const hex of ['06', '07', '0e', '16', '17', '1e', '1f', '27', '2f', '37', '3f', '60', '61', '82 c0 01', '9a', 'ce', 'd4 0a', 'd5 0a', 'd6', 'ea'])
      expect(failure(hex).kind, hex).toBe('invalid');
    for (const hex of ['8d c0', '8e c8', '8e f0', '8c f8', '0f 20 c8', '0f 22 e8', 'fe d0', 'ff f8', 'c6 c8 01', '0f ba c0 01', '0f 04', '0f b8 c0'])
      expect(failure(hex).kind, hex).toBe('invalid');
  });

  it('names the bytes of valid instructions outside the model', () => {
    const fld = failure('d9 c0');
    expect(fld).toMatchObject({ kind: 'unmodelled' });
    expect('reason' in fld && fld.reason).toMatch(/x87.*d9 c0/);
    for (const hex of ['0f 10 c1', 'c5 f8 77', '62 f1 7d 48 fe c2', '0f 38 00 c1', '0f c7 f0', '9b', '0f aa', '0f 21 f8', 'ff 18'])
      expect(failure(hex).kind, hex).toBe('unmodelled');
  });

  it('treats 66h on a near branch as unmodelled, since Intel and AMD disagree', () => {
    for (const hex of ['66 e8 00 00 00 00', '66 eb 00', '66 c3', '66 ff e0', '66 74 00']) expect(failure(hex).kind, hex).toBe('unmodelled');
  });

  it('never reads before start or past the 15-byte window, and survives odd arguments', () => {
    const stream = bytes('90 90 48 8b 05 00 00 00 00 c3');
    expect(decode(stream, 2, 0x100, 0)).toMatchObject({ ok: true, insn: { length: 7 } });
    expect(decode(stream, 10, 0, 0)).toMatchObject({ ok: false, failure: { kind: 'truncated', length: 0 } });
    expect(decode(stream, -1, 0, 0).ok).toBe(false);
    expect(decode(stream, 1.5, 0, 0).ok).toBe(false);
    expect(decode(stream, Number.NaN, 0, 0).ok).toBe(false);
    expect(decode([0x90, Number.NaN, undefined as unknown as number], 0, -1, 2 ** 40).ok).toBe(true);
  });
});
