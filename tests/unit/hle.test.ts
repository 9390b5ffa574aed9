import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/sim/machine';
import { describe as sentence } from '../../src/sim/events';
import { RAX, RSP } from '../../src/sim/cpu/state';
import type { GuestCall, HleFunction } from '../../src/sim/kernel/hle';
import type { U64 } from '../../src/sim/cpu/state';

// Ring-0 code (paging off, identity-mapped) calling kernel functions emulated in TypeScript.
//   0x1000: mov edi, 0x3000 ; call 0x2000 ; hlt
function machine(code: number[], fns: [number, HleFunction][]) {
  const m = new Machine({ memoryBytes: 1 << 20 });
  m.trace = true;
  m.mem.load(0x1000, code);
  m.s.rip = { lo: 0x1000, hi: 0 };
  m.s.cs = 0x10;
  m.set64(RSP, { lo: 0x8000, hi: 0 });
  for (const [pa, fn] of fns) m.hle.register(pa, fn);
  return m;
}

const CALL_0x2000 = [0xbf, 0x00, 0x30, 0x00, 0x00, 0xe8, 0xf6, 0x0f, 0x00, 0x00, 0xf4]; // mov edi,0x3000; call 0x2000; hlt

const strlen: HleFunction = {
  name: 'strlen',
  source: 'lib/string.c',
  convention: 'sysv',
  body: ({ m, arg }) => {
    const p = arg(0);
    let n = 0;
    while (m.mem.read8(p.lo + n) !== 0) n++;
    return n;
  },
};

describe('kernel functions emulated at a high level', () => {
  it('run with the System V arguments when ring-0 code calls their address, and return like ret', () => {
    const m = machine(CALL_0x2000, [[0x2000, strlen]]);
    m.mem.load(0x3000, [...new TextEncoder().encode('hello'), 0]);
    m.run(10);
    expect(m.get64(RAX)).toEqual({ lo: 5, hi: 0 });
    expect(m.s.rip).toEqual({ lo: 0x100b, hi: 0 }); // after hlt
    expect(m.get64(RSP)).toEqual({ lo: 0x8000, hi: 0 }); // the call's return address was popped
    expect(m.log.filter((e) => e.kind.startsWith('kernel/')).map(sentence)).toEqual([
      'The kernel function strlen runs (modelled in TypeScript; the real one is in lib/string.c).',
      'strlen returns 0x0000000000000005.',
    ]);
  });

  it('stop the machine honestly when exported but not modelled', () => {
    const m = machine(CALL_0x2000, [[0x2000, { name: 'vfs_fsync', source: 'fs/sync.c', convention: 'sysv' }]]);
    m.run(10);
    expect(m.stopped).toEqual({ reason: 'not-modelled', detail: 'vfs_fsync is exported by the kernel but not modelled here (fs/sync.c)' });
  });

  it('call back into guest code and resume with its RAX (a generator yields guest calls)', () => {
    // 0x4000: lea eax, [rdi + 1] ; ret   — the "driver" function the kernel calls twice
    const twice: HleFunction = {
      name: 'call_twice',
      source: 'a test of the HLE boundary',
      convention: 'sysv',
      *body(): Generator<GuestCall, number, U64> {
        const a = yield { address: { lo: 0x4000, hi: 0 }, args: [{ lo: 10, hi: 0 }] };
        const b = yield { address: { lo: 0x4000, hi: 0 }, args: [{ lo: 20, hi: 0 }] };
        return a.lo + b.lo;
      },
    };
    const m = machine(CALL_0x2000, [[0x2000, twice]]);
    m.mem.load(0x4000, [0x8d, 0x47, 0x01, 0xc3]);
    m.hle.trampoline = { pa: 0x5000, va: { lo: 0x5000, hi: 0 } };
    m.run(50);
    expect(m.get64(RAX)).toEqual({ lo: 32, hi: 0 });
    expect(m.get64(RSP)).toEqual({ lo: 0x8000, hi: 0 });
    expect(m.s.halted).toBe(true);
    expect(m.log.filter((e) => e.kind === 'kernel/guest-called')).toHaveLength(2);
    expect(() => m.snapshot()).not.toThrow();
  });

  it('refuse a snapshot while a guest call is in progress', () => {
    const waits: HleFunction = {
      name: 'waits',
      source: 'a test',
      convention: 'sysv',
      *body() {
        yield { address: { lo: 0x4000, hi: 0 }, args: [] };
      },
    };
    const m = machine(CALL_0x2000, [[0x2000, waits]]);
    m.mem.load(0x4000, [0xeb, 0xfe]); // jmp $ — never returns
    m.hle.trampoline = { pa: 0x5000, va: { lo: 0x5000, hi: 0 } };
    m.run(10);
    expect(() => m.snapshot()).toThrow(/guest code/);
  });
});
