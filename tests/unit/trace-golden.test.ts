import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe as group, expect, it } from 'vitest';
import { bootFixture } from '../../src/sim/boot/ring0-fixture';
import { isElfError } from '../../src/sim/elf';
import { describe } from '../../src/sim/events';

// Golden traces: the plain-English sentence of every event of a scenario, one per line. A change
// in behaviour shows up as a readable diff. To accept a deliberate change, run the test with
// UPDATE_GOLDEN=1 and review the diff of the golden file before committing it.
const FIXTURE = new Uint8Array(readFileSync('public/samples/fixture/ring0.elf'));

function trace(entry: string): string {
  const run = bootFixture(FIXTURE, entry);
  if (isElfError(run)) throw new Error(run.message);
  const m = run.machine;
  // Set-up in ring 0 untraced; then trace from the first ring-3 instruction to the end.
  while (m.cpl !== 3 && !m.stopped) m.step();
  m.trace = true;
  m.run(200);
  return m.log.map(describe).join('\n') + '\n';
}

group('golden traces of the fixture', () => {
  for (const entry of ['user_syscall', 'user_read_kernel']) {
    it(`${entry} tells the same story as tests/golden/traces/${entry}.txt`, () => {
      const file = `tests/golden/traces/${entry}.txt`;
      const text = trace(entry);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, text);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  }
});
