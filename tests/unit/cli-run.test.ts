import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/ring0';
import { io, stamp } from './support/cli-io';
import { LOADER_SCENARIOS } from '../../src/sim/scenarios/loader';


describe('ring0 run', () => {
  it('lists every scenario with its parameters', async () => {
    const { sink, out } = io();
    expect(await main(['run', '--list'], sink)).toBe(0);
    for (const s of LOADER_SCENARIOS) expect(out.some((l) => l.startsWith(`${s.id} `))).toBe(true);
    expect(out).toContain(`${''.padEnd(28)}   --param change=word|release (default word): what differs`);
  });

  it('runs exporter-pinned: each step, kmod refusing the busy rmmod, then the kernel log', async () => {
    const { sink, out, err } = io();
    expect(await main(['run', 'exporter-pinned'], sink)).toBe(0);
    expect(err).toEqual([]);
    expect(out.map(stamp)).toEqual([
      '# insmod exporter.ko', '# insmod importer.ko', '# rmmod exporter', 'rmmod: ERROR: Module exporter is in use by: importer', '[exit status 1]',
      '# rmmod importer', '# rmmod exporter', '# dmesg',
      'exporter: loading out-of-tree module taints kernel.',
      'exporter: module verification failed: signature and/or required key missing - tainting kernel',
      'exporter: loaded, exporting ring0_greet', 'exporter: hello, importer (call 1)', 'importer: loaded, ring0_greet returned 1',
      'importer: unloaded', 'exporter: unloaded',
    ]);
  });

  it('--trace prints the same story as the golden trace', async () => {
    const { sink, out } = io();
    expect(await main(['run', 'hello-load', '--param', 'module=hello.ko', '--trace'], sink)).toBe(0);
    const at = out.findIndex((l) => l.startsWith('# the trace: '));
    expect(out.slice(at + 1).join('\n') + '\n').toBe(readFileSync('tests/golden/scenarios/hello-load.txt', 'utf8'));
  });

  it('refuses unknown scenarios, parameters and values in plain words', async () => {
    const cases: [string[], string][] = [
      [['run', 'nosuch'], 'ring0: there is no scenario "nosuch"; "ring0 run --list" names them.'],
      [['run', 'hello-load', '--param', 'module=evil.ko'], 'ring0: "evil.ko" is not a value of module (one of: hello.ko, hellorw.ko, miscdev.ko, gplonly.ko, signed.ko)'],
      [['run', 'hello-load', '--param', 'colour'], 'ring0: usage: ring0 run SCENARIO [--param name=value ...] [--trace] (or ring0 run --list): a parameter is written --param name=value'],
      [['run', 'hello-load', '--fast'], 'ring0: usage: ring0 run SCENARIO [--param name=value ...] [--trace] (or ring0 run --list): unknown option --fast'],
      [['run'], 'ring0: usage: ring0 run SCENARIO [--param name=value ...] [--trace] (or ring0 run --list)'],
    ];
    for (const [argv, message] of cases) {
      const { sink, err } = io();
      expect(await main(argv, sink)).toBe(1);
      expect(err).toEqual([message]);
    }
  });
});
