// KconfigToggle's derivation on the three real runs: y (builtin-boot) has hello_init in the image's
// initcall table and runs it at boot, with no hello.ko but modules.builtin; m (kconfig-m) has the
// .ko copied under /lib/modules and its init called by do_init_module after modprobe; n
// (kconfig-n) has neither, and modprobe finds nothing. Each fact's step is the event that shows it.
import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioRun } from '../../src/lab/run';
import { nodeSources } from '../../src/lab/node-sources';
import { describe as sentence } from '../../src/sim/events';
import { KCONFIG_SCENARIOS, choiceOf, kconfigFacts, kconfigKeySteps, kconfigPicture } from '../../src/components/kconfig-toggle-facts';

async function run(id: string): Promise<ScenarioRun> {
  const r = await runScenario(id, {}, nodeSources);
  if (!r.ok) throw new Error(r.error);
  return r.run;
}
const at = (r: ScenarioRun, step: number) => sentence(r.events[step - 1]!);

describe('y, m and n are three runs', async () => {
  const y = await run(KCONFIG_SCENARIOS.y), m = await run(KCONFIG_SCENARIOS.m), n = await run(KCONFIG_SCENARIOS.n);

  it('the scenario is the choice', () => {
    expect(choiceOf('builtin-boot')).toBe('y');
    expect(choiceOf('kconfig-m')).toBe('m');
    expect(choiceOf('kconfig-n')).toBe('n');
    expect(choiceOf('hello-read')).toBeUndefined();
  });

  it('y: hello_init is in the image and runs at boot, in level "device"; no .ko, modules.builtin instead', () => {
    const f = kconfigFacts(y.events);
    expect(f.image.answer).toBe('yes');
    expect(at(y, f.image.step!)).toMatch(/level "device".*\(hello_init\)\.$/);
    expect(f.init.answer).toBe('boot');
    expect(f.file.answer).toBe('builtin');
    expect(at(y, f.file.step!)).toMatch(/Module hello is builtin/);
    // Its log line "hello: loaded" is printed during boot, after the initcall entry is read.
    const loaded = kconfigPicture('builtin-boot', y.events).log.find((l) => l.text.includes('hello: loaded'))!;
    expect(loaded.step).toBeGreaterThan(f.init.step!);
    expect(loaded.step).toBeLessThan(f.file.step!);
  });

  it('m: hello.ko is copied under /lib/modules and its init runs when modprobe loads it', () => {
    const f = kconfigFacts(m.events);
    expect(f.image.answer).toBe('no');
    expect(f.file.answer).toBe('yes');
    expect(at(m, f.file.step!)).toMatch(/\/lib\/modules\/6\.1\.0-56-amd64\/extra/);
    expect(f.init.answer).toBe('load');
    expect(at(m, f.init.step!)).toMatch(/do_init_module calls hello's init/);
    expect(f.init.step!).toBeGreaterThan(f.file.step!);
    expect(kconfigPicture('kconfig-m', m.events).log.map((l) => l.text).join('\n')).toMatch(/hello: loaded, major \d+/);
  });

  it('n: neither in the image nor a file; modprobe finds nothing and nothing is printed about hello', () => {
    const f = kconfigFacts(n.events);
    expect(f.image.answer).toBe('no');
    expect(f.file.answer).toBe('no');
    expect(at(n, f.file.step!)).toMatch(/no module matches "hello"/);
    expect(f.init.answer).toBe('never');
    expect(kconfigPicture('kconfig-n', n.events).log.some((l) => l.text.includes('hello'))).toBe(false);
  });

  it('a picture at a step shows the log only up to it, and key steps are in the run', () => {
    const steps = kconfigKeySteps(y.events);
    expect(steps.at(-1)).toBe(y.events.length);
    const first = kconfigPicture('builtin-boot', y.events, steps[0]);
    expect(first.log.every((l) => l.step <= steps[0]!)).toBe(true);
    expect(kconfigPicture('builtin-boot', y.events, 0).log).toEqual([]);
  });
});
