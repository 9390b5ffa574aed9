import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/sim/machine';
import { RAX, RSP, type U64 } from '../../src/sim/cpu/state';
import type { CallingConvention, GuestCall, HleFunction } from '../../src/sim/kernel/hle';

// The HLE boundary follows the calling convention of each function, both ways: System V AMD64
// (Linux: rdi, rsi, rdx, rcx, r8, r9, then the stack) and Microsoft x64 (Windows: rcx, rdx, r8, r9,
// then the stack above the caller's 32-byte shadow space). Ring-0 code, paging off, RSP 0x8000.
// Machine code assembled by GNU as 2.40 from the Intel-syntax listed beside it.

const lo = (n: number): U64 => ({ lo: n, hi: 0 });

function machine(code: number[], fn: HleFunction) {
  const m = new Machine({ memoryBytes: 1 << 20 });
  m.mem.load(0x1000, code);
  m.s.rip = lo(0x1000);
  m.s.cs = 0x10;
  m.set64(RSP, lo(0x8000));
  m.mem.load(0x8000, [0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef]); // the caller's frame above: must survive
  m.hle.register(0x2000, fn);
  m.hle.trampoline = { pa: 0x5000, va: lo(0x5000) };
  return m;
}

/** Reads the HLE function's arguments 0..n-1 through the convention. */
const recorder = (convention: CallingConvention, n: number, seen: number[]): HleFunction => ({
  name: 'takes_many',
  source: 'a test of the HLE boundary',
  convention,
  body: ({ arg }) => {
    for (let i = 0; i < n; i++) seen.push(arg(i).lo);
    return 0;
  },
});

// caller_sysv: push 8; push 7; mov edi,1; mov esi,2; mov edx,3; mov ecx,4; mov r8d,5; mov r9d,6;
//              call 0x2000; add rsp,16; hlt
const CALLER_SYSV = [
  0x6a, 0x08, 0x6a, 0x07, 0xbf, 1, 0, 0, 0, 0xbe, 2, 0, 0, 0, 0xba, 3, 0, 0, 0, 0xb9, 4, 0, 0, 0,
  0x41, 0xb8, 5, 0, 0, 0, 0x41, 0xb9, 6, 0, 0, 0, 0xe8, 0xd7, 0x0f, 0, 0, 0x48, 0x83, 0xc4, 0x10, 0xf4,
];
// caller_ms64: sub rsp,48; mov QWORD PTR [rsp+32],5; mov QWORD PTR [rsp+40],6; mov ecx,1; mov edx,2;
//              mov r8d,3; mov r9d,4; call 0x2000; add rsp,48; hlt
const CALLER_MS64 = [
  0x48, 0x83, 0xec, 0x30, 0x48, 0xc7, 0x44, 0x24, 0x20, 5, 0, 0, 0, 0x48, 0xc7, 0x44, 0x24, 0x28, 6, 0, 0, 0,
  0xb9, 1, 0, 0, 0, 0xba, 2, 0, 0, 0, 0x41, 0xb8, 3, 0, 0, 0, 0x41, 0xb9, 4, 0, 0, 0,
  0xe8, 0xcf, 0x0f, 0, 0, 0x48, 0x83, 0xc4, 0x30, 0xf4,
];
// callee_sysv: stores rdi, rsi, rdx, rcx, r8, r9, [rsp+8], [rsp+16] at 0x6000.. and rsp at 0x6040;
//              mov eax,42; ret
const CALLEE_SYSV = [
  0x48, 0x89, 0x3c, 0x25, 0x00, 0x60, 0, 0, 0x48, 0x89, 0x34, 0x25, 0x08, 0x60, 0, 0,
  0x48, 0x89, 0x14, 0x25, 0x10, 0x60, 0, 0, 0x48, 0x89, 0x0c, 0x25, 0x18, 0x60, 0, 0,
  0x4c, 0x89, 0x04, 0x25, 0x20, 0x60, 0, 0, 0x4c, 0x89, 0x0c, 0x25, 0x28, 0x60, 0, 0,
  0x48, 0x8b, 0x44, 0x24, 0x08, 0x48, 0x89, 0x04, 0x25, 0x30, 0x60, 0, 0,
  0x48, 0x8b, 0x44, 0x24, 0x10, 0x48, 0x89, 0x04, 0x25, 0x38, 0x60, 0, 0,
  0x48, 0x89, 0x24, 0x25, 0x40, 0x60, 0, 0, 0xb8, 0x2a, 0, 0, 0, 0xc3,
];
// callee_ms64: homes rcx, rdx, r8, r9 into its shadow space ([rsp+8] .. [rsp+32]) as MSVC code may,
//              stores [rsp+40], [rsp+48] (arguments 5 and 6) at 0x6020, 0x6028, the homed values
//              at 0x6000..0x6018 and rsp at 0x6040; mov eax,42; ret
const CALLEE_MS64 = [
  0x48, 0x89, 0x4c, 0x24, 0x08, 0x48, 0x89, 0x54, 0x24, 0x10, 0x4c, 0x89, 0x44, 0x24, 0x18, 0x4c, 0x89, 0x4c, 0x24, 0x20,
  0x48, 0x8b, 0x44, 0x24, 0x28, 0x48, 0x89, 0x04, 0x25, 0x20, 0x60, 0, 0,
  0x48, 0x8b, 0x44, 0x24, 0x30, 0x48, 0x89, 0x04, 0x25, 0x28, 0x60, 0, 0,
  0x48, 0x8b, 0x44, 0x24, 0x08, 0x48, 0x89, 0x04, 0x25, 0x00, 0x60, 0, 0,
  0x48, 0x8b, 0x44, 0x24, 0x10, 0x48, 0x89, 0x04, 0x25, 0x08, 0x60, 0, 0,
  0x48, 0x8b, 0x44, 0x24, 0x18, 0x48, 0x89, 0x04, 0x25, 0x10, 0x60, 0, 0,
  0x48, 0x8b, 0x44, 0x24, 0x20, 0x48, 0x89, 0x04, 0x25, 0x18, 0x60, 0, 0,
  0x48, 0x89, 0x24, 0x25, 0x40, 0x60, 0, 0, 0xb8, 0x2a, 0, 0, 0, 0xc3,
];

const read64 = (m: Machine, at: number) => {
  let v = 0;
  for (let i = 5; i >= 0; i--) v = v * 256 + m.mem.read8(at + i);
  return v;
};

describe('the HLE dispatcher is parameterised by calling convention', () => {
  it('System V: an emulated function reads six register arguments and two from the stack', () => {
    const seen: number[] = [];
    const m = machine(CALLER_SYSV, recorder('sysv', 8, seen));
    m.run(20);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(m.s.halted).toBe(true);
    expect(m.get64(RSP)).toEqual(lo(0x8000));
  });

  it('Microsoft x64: four register arguments, then the stack above the 32-byte shadow space', () => {
    const seen: number[] = [];
    const m = machine(CALLER_MS64, recorder('ms64', 6, seen));
    m.run(20);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.s.halted).toBe(true);
    expect(m.get64(RSP)).toEqual(lo(0x8000));
  });

  // An emulated function calling guest code with eight arguments, in the callee's convention.
  const calling = (convention: CallingConvention): HleFunction => ({
    name: 'calls_guest',
    source: 'a test of the HLE boundary',
    convention,
    *body(): Generator<GuestCall, number, U64> {
      const r = yield { address: lo(0x4000), args: [1, 2, 3, 4, 5, 6, 7, 8].map(lo), convention };
      return r.lo + 1;
    },
  });

  it('System V guest call: rdi, rsi, rdx, rcx, r8, r9, then [rsp+8], [rsp+16]; RSP 16-aligned at the call', () => {
    // Called from caller_sysv, so the HLE function is entered with RSP = 0x8000 - 16 - 8.
    const m = machine(CALLER_SYSV, calling('sysv'));
    m.mem.load(0x4000, CALLEE_SYSV);
    m.run(60);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => read64(m, 0x6000 + i * 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(read64(m, 0x6040) % 16).toBe(8); // at the callee's first instruction, as after an aligned call
    expect(m.get64(RAX)).toEqual(lo(43));
    expect(m.s.halted).toBe(true);
    expect(m.get64(RSP)).toEqual(lo(0x8000)); // everything pushed for the call was dropped
    expect([...Array(8)].map((_, i) => m.mem.read8(0x8000 + i))).toEqual([0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef]);
  });

  it('Microsoft x64 guest call: rcx, rdx, r8, r9, a shadow space the callee may write, then [rsp+40] …', () => {
    const m = machine(CALLER_MS64, calling('ms64'));
    m.mem.load(0x4000, CALLEE_MS64);
    m.run(60);
    // Arguments 1-4 came in registers and were homed into the shadow space; 5 and 6 from the stack.
    expect([0, 1, 2, 3, 4, 5].map((i) => read64(m, 0x6000 + i * 8))).toEqual([1, 2, 3, 4, 5, 6]);
    const calleeRsp = read64(m, 0x6040);
    expect(calleeRsp % 16).toBe(8);
    expect(read64(m, calleeRsp + 56)).toBe(7); // arguments 7 and 8 follow on the stack
    expect(read64(m, calleeRsp + 64)).toBe(8);
    expect(m.get64(RAX)).toEqual(lo(43));
    expect(m.s.halted).toBe(true);
    expect(m.get64(RSP)).toEqual(lo(0x8000));
    // The homing wrote below the HLE function's own return address, never into its caller's frame.
    expect([...Array(8)].map((_, i) => m.mem.read8(0x8000 + i))).toEqual([0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef]);
  });
});
