import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { LOADER_SCENARIOS, runLoaderScenario, scenarioParams } from '../../src/sim/scenarios/loader';
import { describe as sentence } from '../../src/sim/events';

// Golden traces of the loader scenarios: one describe() line per event, from the first insmod on.
// A change shows as a readable diff; UPDATE_GOLDEN=1 accepts it (review the diff first).
const file = (path: string) => new Uint8Array(readFileSync(`public/samples/${path}`));

function run(id: string, given: Record<string, string> = {}) {
  const s = LOADER_SCENARIOS.find((x) => x.id === id)!;
  const params = scenarioParams(s, given);
  if ('error' in params) throw new Error(params.error);
  const k = bootKernel();
  k.m.trace = true;
  const outcomes = runLoaderScenario(k, s, params, file);
  return { k, outcomes, trace: k.m.log.map(sentence).join('\n') + '\n' };
}

describe('loader scenarios', () => {
  mkdirSync('tests/golden/scenarios', { recursive: true });
  for (const s of LOADER_SCENARIOS) {
    it(`${s.id} tells the same story as tests/golden/scenarios/${s.id}.txt`, () => {
      const golden = `tests/golden/scenarios/${s.id}.txt`;
      const { trace } = run(s.id);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, trace);
      expect(trace).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it('replays exactly: the same scenario twice gives the same events', () => {
    expect(run('exporter-pinned').trace).toBe(run('exporter-pinned').trace);
  });

  it('validates parameters and fills in defaults', () => {
    const s = LOADER_SCENARIOS.find((x) => x.id === 'hello-load')!;
    expect(scenarioParams(s, {})).toEqual({ module: 'hello.ko' });
    expect(scenarioParams(s, { module: 'evil.ko' })).toEqual({ error: '"evil.ko" is not a value of module (one of: hello.ko, hellorw.ko, miscdev.ko, gplonly.ko, signed.ko)' });
    expect(scenarioParams(s, { colour: 'red' })).toEqual({ error: 'the scenario "hello-load" has no parameter "colour"' });
  });

  it('exporter-pinned: kmod refuses to remove exporter while importer uses it, then removes both', () => {
    expect(run('exporter-pinned').outcomes.map((o) => [o.step, o.result.status, o.result.stderr.join()])).toEqual([
      ['insmod exporter.ko', 0, ''], ['insmod importer.ko', 0, ''], ['rmmod exporter', 1, 'rmmod: ERROR: Module exporter is in use by: importer'],
      ['rmmod importer', 0, ''], ['rmmod exporter', 0, ''],
    ]);
  });
});
