import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { runProgram } from '../../src/sim/kernel/process';

// The real Debian 6.1 kernel as the oracle for user programs (boot `user-programs` of
// samples/oracle/run.sh): each faulting program runs in a fresh emulated kernel and must print
// what the real one printed and end with the same status.
//
// Normalisation, and nothing else: dmesg timestamps are removed; the PID becomes <pid> (the real
// system has run other processes first); the user stack pointer becomes <sp> (the real kernel
// randomises the stack even with nokaslr; the model uses STACK_TOP - 8).
const DIR = 'tests/fixtures/real-kernel';
const normalise = (line: string) =>
  line
    .replace(/^\[\s*\d+\.\d+\] /, '')
    .replace(/^(traps: )?([\w-]+)\[\d+\]/, '$1$2[<pid>]')
    .replace(/\bsp(:| )[0-9a-f]+/, 'sp$1<sp>');

function recorded(name: string, program: string) {
  const lines = readFileSync(`${DIR}/${name}.txt`, 'utf8').split('\n');
  const run = lines.indexOf(`# /${program}`);
  const status = lines.slice(run).find((l) => l.startsWith('[exit status '))!;
  const dmesg = lines.indexOf('--- dmesg -c ---', run);
  const end = lines.indexOf('--- end dmesg ---', dmesg);
  return { status: Number(/\d+/.exec(status)![0]), dmesg: lines.slice(dmesg + 1, end).map(normalise) };
}

describe('user programs against the real kernel', () => {
  for (const program of ['cli', 'read-kernel']) {
    it(`${program}: the same kernel lines and exit status as 6.1`, () => {
      const real = recorded(`user-${program}`, program);
      expect(real.dmesg.length).toBeGreaterThan(0);
      const k = bootKernel();
      const r = runProgram(k, program, new Uint8Array(readFileSync(`public/samples/${program}`)));
      expect(r).toMatchObject({ status: real.status });
      expect(k.log.records.map((x) => normalise(x.text))).toEqual(real.dmesg);
    });
  }
});
