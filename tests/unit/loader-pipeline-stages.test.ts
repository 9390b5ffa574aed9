// LoaderPipeline's derivation on real runs: the stage list is the emulator's own, in its order,
// and each fault scenario fails at the stage, with the errno and the log lines, that its golden
// trace (tests/golden/scenarios/<id>.txt, one line per event) records.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioRun } from '../../src/lab/run';
import { nodeSources } from '../../src/lab/node-sources';
import { describe as sentence } from '../../src/sim/events';
import { LOADER_SCENARIOS } from '../../src/sim/scenarios/loader';
import { insmodError } from '../../src/sim/kernel/loader/errno';
import { LOAD_MODULE_STAGES, errnoLabel, loadAttempts, pipelineAt } from '../../src/components/loader-pipeline-stages';

async function run(id: string, params: Record<string, string> = {}): Promise<ScenarioRun> {
  const r = await runScenario(id, params, nodeSources);
  if (!r.ok) throw new Error(r.error);
  return r.run;
}

/** From a golden trace: the last "load_module: X fails with -N" line (its step is its line number) and the log lines right after it. */
function goldenFailure(id: string) {
  const lines = readFileSync(`tests/golden/scenarios/${id}.txt`, 'utf8').split('\n');
  let at = -1;
  lines.forEach((l, i) => {
    if (/^load_module: \S+ fails with -\d+/.test(l)) at = i;
  });
  if (at < 0) return undefined;
  const [, stage, errno] = /^load_module: (\S+) fails with (-\d+)/.exec(lines[at]!)!;
  const log: string[] = [];
  for (let i = at + 1; lines[i]?.startsWith('The kernel logs: “'); i++) log.push(lines[i]!.slice('The kernel logs: “'.length, -'”.'.length));
  return { step: at + 1, stage: stage!, errno: Number(errno), log };
}

const FAULTS: [string, Record<string, string>][] = [
  ['unknown-symbol', {}],
  ['gpl-only-from-proprietary', {}],
  ['module-layout-mismatch', {}],
  ['vermagic-mismatch', { change: 'word' }],
  ['crc-mismatch', {}],
  ['unsigned-enforced', {}],
  ['signed-corrupt', {}],
  ['already-loaded', {}],
];

describe('LoaderPipeline’s stages', () => {
  it('are the stages hello-load passes through, in the order and with the source files the emulator reports', async () => {
    const r = await run('hello-load');
    const finished = r.events.flatMap((e) => (e.kind === 'loader/stage-finished' ? [{ name: e.stage, source: e.source, ok: e.ok }] : []));
    expect(finished.map(({ name, source }) => ({ name, source }))).toEqual(LOAD_MODULE_STAGES);
    expect(finished.every((s) => s.ok)).toBe(true);
    const end = pipelineAt(loadAttempts(r.events), r.events.length);
    expect(end.stages.map((s) => s.state)).toEqual(LOAD_MODULE_STAGES.map(() => 'passed'));
    expect(end).toMatchObject({ load: 1, loads: 1, call: 'finit_module', stage: 'do_init_module', failed: '' });
  });

  it('every load in every scenario reports only these stages, in this order', async () => {
    for (const s of LOADER_SCENARIOS) {
      const r = await run(s.id);
      const attempts = loadAttempts(r.events);
      const loaderStages = r.events.filter((e) => e.kind === 'loader/stage-finished' && e.stage !== 'delete_module').length;
      expect(attempts.reduce((n, a) => n + a.stages.length, 0), `${s.id}: a stage outside any finit_module call`).toBe(loaderStages);
      for (const a of attempts) {
        const order = a.stages.map((x) => LOAD_MODULE_STAGES.findIndex((y) => y.name === x.stage));
        expect(order.every((o) => o >= 0), `${s.id}: ${a.stages.map((x) => x.stage).join(' ')}`).toBe(true);
        expect(order, s.id).toEqual([...order].sort((p, q) => p - q));
        expect(new Set(order).size, s.id).toBe(order.length);
      }
    }
  }, 60_000);

  it('follow the cursor: nothing before the system call, then one current stage, each finished stage passed at its own step', async () => {
    const r = await run('hello-load');
    const attempts = loadAttempts(r.events);
    const start = attempts[0]!.start;
    expect(sentence(r.events[start]!)).toBe('System call 313 (finit_module) enters the kernel.');
    const before = pipelineAt(attempts, start);
    expect(before).toMatchObject({ load: 0, stage: '', failed: '' });
    expect(before.stages.every((s) => s.state === 'not-reached')).toBe(true);
    const entered = pipelineAt(attempts, start + 1);
    expect(entered.stages.map((s) => s.state)).toEqual(['current', ...LOAD_MODULE_STAGES.slice(1).map(() => 'not-reached')]);
    // At each stage event's own step: that stage has just passed and the next one is current.
    for (const [i, s] of attempts[0]!.stages.entries()) {
      const v = pipelineAt(attempts, s.index + 1);
      expect(v.stages[i]).toMatchObject({ state: 'passed', step: s.index + 1 });
      if (i + 1 < LOAD_MODULE_STAGES.length) {
        expect(v.stage).toBe(LOAD_MODULE_STAGES[i + 1]!.name);
        expect(v.stages.filter((x) => x.state === 'current').map((x) => x.name)).toEqual([LOAD_MODULE_STAGES[i + 1]!.name]);
      }
      expect(pipelineAt(attempts, s.index).stages[i]!.state).toBe('current');
    }
  });

  for (const [id, params] of FAULTS) {
    it(`${id}: fails at the stage, with the errno and the kernel log lines, of the golden trace`, async () => {
      const r = await run(id, params);
      const golden = goldenFailure(id)!;
      expect(golden).toBeDefined();
      const attempts = loadAttempts(r.events);
      const end = pipelineAt(attempts, r.events.length);
      expect(end.failed).toBe(golden.stage);
      expect(end.stage).toBe(golden.stage);
      expect(end.load).toBe(attempts.length);
      const failed = end.stages.filter((s) => s.state === 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ name: golden.stage, errno: golden.errno, step: golden.step, logComplete: true });
      expect(failed[0]!.log.map((l) => l.text)).toEqual(golden.log);
      // Before the failure, the stages before it passed; after it, none was reached.
      const i = LOAD_MODULE_STAGES.findIndex((s) => s.name === golden.stage);
      expect(end.stages.slice(0, i).every((s) => s.state === 'passed')).toBe(true);
      expect(end.stages.slice(i + 1).every((s) => s.state === 'not-reached')).toBe(true);
      // One step before the failure the stage is current; at the failure its lines are not printed yet.
      expect(pipelineAt(attempts, golden.step - 1).stages[i]!.state).toBe('current');
      const at = pipelineAt(attempts, golden.step);
      expect(at.stages[i]).toMatchObject({ state: 'failed', log: [], logComplete: false });
    });
  }

  it('already-loaded: the first load passes every stage, the second begins afresh and fails with EEXIST', async () => {
    const r = await run('already-loaded');
    const attempts = loadAttempts(r.events);
    expect(attempts).toHaveLength(2);
    const first = pipelineAt(attempts, attempts[1]!.start);
    expect(first).toMatchObject({ load: 1, loads: 2, failed: '', stage: 'do_init_module' });
    expect(first.stages.every((s) => s.state === 'passed')).toBe(true);
    const second = pipelineAt(attempts, attempts[1]!.start + 1);
    expect(second).toMatchObject({ load: 2, stage: 'module_sig_check' });
    expect(errnoLabel(pipelineAt(attempts, r.events.length).stages.find((s) => s.state === 'failed')!.errno!)).toBe('-17 (EEXIST)');
  });

  // The real kernel's transcripts (tests/fixtures/real-kernel/) of the same faults: what the
  // widget shows at the failing stage is what real 6.1 printed last, and its errno is the one
  // insmod reported in words. (signed-corrupt has none: Debian's kernel lacks the samples' key.)
  const REAL: [string, string][] = [
    ['unknown-symbol', 'variant-unknown-symbol-insmod'],
    ['gpl-only-from-proprietary', 'variant-gplonly-proprietary-insmod'],
    ['module-layout-mismatch', 'variant-module-layout-crc-insmod'],
    ['vermagic-mismatch', 'variant-vermagic-word-insmod'],
    ['crc-mismatch', 'variant-crc-mismatch-insmod'],
    ['unsigned-enforced', 'hello-sig-enforce-insmod'],
    ['already-loaded', 'hello-insmod-again'],
  ];
  for (const [id, fixture] of REAL) {
    it(`${id}: the failing stage's log lines and errno are real 6.1's (${fixture})`, async () => {
      const text = readFileSync(`tests/fixtures/real-kernel/${fixture}.txt`, 'utf8');
      const dmesg = text.split('--- dmesg -c ---\n')[1]!.split('--- end dmesg ---')[0]!.split('\n').filter(Boolean).map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''));
      const said = /insmod: ERROR: could not insert module \S+: (.*)/.exec(text)![1];
      const r = await run(id);
      const failed = pipelineAt(loadAttempts(r.events), r.events.length).stages.find((s) => s.state === 'failed')!;
      const shown = failed.log.map((l) => l.text);
      expect(dmesg.slice(dmesg.length - shown.length)).toEqual(shown);
      if (!shown.length) expect(dmesg).toEqual([]);
      expect(insmodError(failed.errno!)).toBe(said);
    });
  }

  it('names the errno values the faults return', () => {
    expect(errnoLabel(-2)).toBe('-2 (ENOENT)');
    expect(errnoLabel(-129)).toBe('-129 (EKEYREJECTED)');
    expect(errnoLabel(-1234)).toBe('-1234');
  });
});
