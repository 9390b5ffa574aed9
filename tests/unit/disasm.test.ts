import { describe, expect, it } from 'vitest';
import { decode } from '../../src/sim/cpu/decode';
import { formatIntel, hex64, registerName } from '../../src/sim/cpu/disasm';
import type { Instruction } from '../../src/sim/cpu/instruction';

// Intel-syntax text as `objdump -d -M intel` prints it after the bytes column.

function text(hex: string, ripLo = 0, ripHi = 0, symbol?: (lo: number, hi: number) => string | undefined): string {
  const r = decode(hex.split(' ').map((h) => parseInt(h, 16)), 0, ripLo, ripHi);
  if (!r.ok) throw new Error(JSON.stringify(r.failure));
  return formatIntel(r.insn, symbol);
}

describe('Intel-syntax listing text', () => {
  it('pads the mnemonic to six columns and a space, and prints nothing after a bare mnemonic', () => {
    expect(text('48 89 e5')).toBe('mov    rbp,rsp');
    expect(text('0f 44 c1')).toBe('cmove  eax,ecx');
    expect(text('48 63 c7')).toBe('movsxd rax,edi');
    expect(text('f0 0f b1 0f')).toBe('lock cmpxchg DWORD PTR [rdi],ecx');
    expect(text('2e 74 00')).toBe('cs je  3');
    expect(text('c3')).toBe('ret');
  });

  it('prints immediates in hexadecimal at the operand size', () => {
    expect(text('48 83 e4 f0')).toBe('and    rsp,0xfffffffffffffff0');
    expect(text('66 83 c0 ff')).toBe('add    ax,0xffff');
    expect(text('c2 08 00')).toBe('ret    0x8');
    expect(text('d1 e0')).toBe('shl    eax,1');
  });

  it('prints memory operands with their size, segment, index and signed displacement', () => {
    expect(text('48 8b 45 f8')).toBe('mov    rax,QWORD PTR [rbp-0x8]');
    expect(text('65 48 8b 04 25 28 00 00 00')).toBe('mov    rax,QWORD PTR gs:0x28');
    expect(text('0f 1f 44 00 00')).toBe('nop    DWORD PTR [rax+rax*1+0x0]');
    expect(text('8d 04 60')).toBe('lea    eax,[rax+riz*2]');
    expect(text('f3 48 a5')).toBe('rep movs QWORD PTR es:[rdi],QWORD PTR ds:[rsi]');
    expect(text('a1 10 00 00 00 00 00 00 00')).toBe('movabs eax,ds:0x10');
  });

  it('adds the target of a RIP-relative operand as a comment', () => {
    expect(text('48 8b 05 f0 ff ff ff', 0x78)).toBe('mov    rax,QWORD PTR [rip+0xfffffffffffffff0]        # 6f');
    expect(text('48 8d 3d 00 01 00 00', 0, 0xffffffff)).toBe('lea    rdi,[rip+0x100]        # ffffffff00000107');
  });

  it('prints branch targets as addresses, with a symbol when one is given', () => {
    expect(text('e8 00 00 00 00', 0xc0000000, 0xffffffff)).toBe('call   ffffffffc0000005');
    const symbol = (lo: number, hi: number) => (hi === 0xffffffff ? `init_module+0x${(lo - 0xc0000000).toString(16)}` : undefined);
    expect(text('e8 00 00 00 00', 0xc0000000, 0xffffffff, symbol)).toBe('call   ffffffffc0000005 <init_module+0x5>');
    expect(text('8b 05 00 00 00 00', 0xc0000000, 0xffffffff, symbol)).toBe('mov    eax,DWORD PTR [rip+0x0]        # ffffffffc0000006 <init_module+0x6>');
    expect(text('e8 00 00 00 00', 0, 0, symbol)).toBe('call   5');
  });

  it('formats an instruction built by hand, without the decoder’s listing hints', () => {
    const insn: Instruction = {
      length: 4, op: 'mov', mnemonic: 'mov', opsize: 8, cond: -1,
      prefixes: { lock: false, rep: false, repne: false, opsize: false, addrsize: false, segment: null, rex: 0x48 },
      operands: [
        { kind: 'reg', size: 8, reg: 0, high8: false },
        { kind: 'mem', size: 8, base: 4, index: 1, scale: 4, disp: -8, ripRelative: false, segment: 'fs', addr32: false },
      ],
    };
    expect(formatIntel(insn)).toBe('mov    rax,QWORD PTR fs:[rsp+rcx*4-0x8]');
  });

  it('names registers and 64-bit values', () => {
    expect([registerName(1, 0, true), registerName(1, 6, false), registerName(2, 9, false), registerName(4, 13, false)]).toEqual(['ah', 'sil', 'r9w', 'r13d']);
    expect([hex64(0, 0), hex64(0x1234, 0), hex64(5, 0xffffffff)]).toEqual(['0', '1234', 'ffffffff00000005']);
  });
});
