import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/sim/machine';
import { xorshift32 } from './support/xorshift';

// Whatever bytes and register values a reader (or a bug) puts in front of the CPU, the machine
// answers with events and stops — it never throws. A seeded xorshift PRNG keeps runs repeatable.
/** Floats in [0, 1) from the shared seeded xorshift32. */
function xorshift(seed: number) {
  const next = xorshift32(seed);
  return () => next() / 0x100000000;
}

function randomMachine(rand: () => number, length: number, cpl: 0 | 3): Machine {
  const m = new Machine({ memoryBytes: 1 << 20 });
  const code = Array.from({ length }, () => Math.floor(rand() * 256));
  m.mem.load(0x1000, code);
  m.s.rip = { lo: 0x1000, hi: 0 };
  for (let i = 0; i < 32; i++) m.s.regs[i] = Math.floor(rand() * 0x100000000);
  m.s.rflags = (Math.floor(rand() * 0x400000) & 0x3f7fd5) | 2;
  m.s.cs = cpl === 3 ? 0x33 : 0x10;
  return m;
}

describe('the machine on hostile input', () => {
  it('never throws on thousands of random and truncated byte streams with random registers', () => {
    const rand = xorshift(0x5eed);
    let steps = 0;
    const stops = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const m = randomMachine(rand, 1 + Math.floor(rand() * 40), rand() < 0.5 ? 0 : 3);
      m.trace = i % 10 === 0;
      expect(() => (steps += m.run(50))).not.toThrow();
      if (m.stopped) stops.add(m.stopped.reason);
    }
    expect(steps).toBeGreaterThan(3000);
    // Random bytes reach the model's edges: unmodelled opcodes and triple faults (no IDT here).
    expect(stops.has('not-modelled') || stops.has('triple-fault')).toBe(true);
  });

  it('replays exactly: the same start gives the same events, byte for byte', () => {
    const run = () => {
      const m = randomMachine(xorshift(42), 64, 0);
      m.trace = true;
      m.run(200);
      return JSON.stringify(m.log);
    };
    expect(run()).toBe(run());
  });

  it('restores a snapshot (as plain JSON data) and replays to the identical log', () => {
    const m = randomMachine(xorshift(7), 64, 3);
    m.trace = true;
    const start = JSON.parse(JSON.stringify(m.snapshot()));
    m.run(100);
    const first = JSON.stringify(m.log);
    m.restore(start);
    m.trace = true;
    m.run(100);
    expect(JSON.stringify(m.log)).toBe(first);
  });
});
