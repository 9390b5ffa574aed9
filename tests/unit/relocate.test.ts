import { describe, expect, it } from 'vitest';
import { applyRelocation, R_X86_64 } from '../../src/sim/kernel/relocate';

// A byte-addressed memory for relocations, at module addresses.
function memory(initial: Record<string, number[]> = {}) {
  const bytes = new Map<bigint, number>();
  for (const [at, data] of Object.entries(initial)) data.forEach((b, i) => bytes.set(BigInt(at) + BigInt(i), b));
  return {
    read: (a: bigint, n: number) => Array.from({ length: n }, (_, i) => bytes.get(a + BigInt(i)) ?? 0),
    write: (a: bigint, data: number[]) => data.forEach((b, i) => bytes.set(a + BigInt(i), b)),
  };
}

const P = 0xffffffffc0000001n; // the call's rel32 field in hello_read, loaded at 0xffffffffc0000000
const PRINTK = 0xffffffff81107a40n;

describe('__apply_relocate_add of Linux 6.1', () => {
  it('PLT32 writes S + A − P: the distance a call must jump', () => {
    const mem = memory();
    const r = applyRelocation(mem, R_X86_64.PLT32, P, PRINTK, -4n, 'hello');
    expect(r.ok).toBe(true);
    expect(r.formula).toBe('S + A − P');
    expect(r.value).toBe(BigInt.asUintN(64, PRINTK - 4n - P));
    expect(r.before).toEqual([0, 0, 0, 0]);
    expect(mem.read(P, 4)).toEqual(r.after);
    // -0x3eef85c5 as little-endian two's complement
    expect(r.after).toEqual([0x3b, 0x7a, 0x10, 0xc1]);
  });

  it('R_X86_64_64 writes S + A in eight bytes', () => {
    const mem = memory();
    const r = applyRelocation(mem, R_X86_64['64'], 0xffffffffc0001000n, 0xffffffffc0000000n, 0x10n, 'hello');
    expect(r.after).toEqual([0x10, 0, 0, 0xc0, 0xff, 0xff, 0xff, 0xff]);
  });

  it('32S accepts a kernel address (it sign-extends), 32 does not: overflow, and 6.1 blames -mcmodel', () => {
    expect(applyRelocation(memory(), R_X86_64['32S'], P, 0xffffffffc0000000n, 0n, 'hello').ok).toBe(true);
    const r = applyRelocation(memory(), R_X86_64['32'], P, 0xffffffffc0000000n, 0n, 'hello');
    expect(r.ok).toBe(false);
    expect(r.log).toEqual(['module: overflow in relocation type 10 val ffffffffc0000000', "module: `hello' likely not compiled with -mcmodel=kernel"]);
  });

  it('PC32 is not range-checked in 6.1: a distance beyond 2 GiB is truncated silently', () => {
    const r = applyRelocation(memory(), R_X86_64.PC32, 0x1000n, 0x200001000n, 0n, 'hello');
    expect(r.ok).toBe(true);
    expect(r.after).toEqual([0, 0, 0, 0]);
  });

  it('refuses a target whose bytes are not zero, writing nothing', () => {
    const mem = memory({ [P.toString()]: [1, 0, 0, 0] });
    const r = applyRelocation(mem, R_X86_64.PC32, P, PRINTK, -4n, 'hello');
    expect(r.ok).toBe(false);
    expect(r.log[0]).toMatch(/^module: x86\/modules: Skipping invalid relocation target, existing value is nonzero for type 2, loc [0-9a-f]{16}, val [0-9a-f]+$/);
    expect(mem.read(P, 4)).toEqual([1, 0, 0, 0]);
  });

  it('reports a relocation type it does not know', () => {
    expect(applyRelocation(memory(), 9, P, 0n, 0n, 'hello').log).toEqual(['module: hello: Unknown rela relocation: 9']);
  });
});
