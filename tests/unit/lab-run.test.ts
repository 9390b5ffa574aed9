import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/lab/run';
import { nodeSources } from '../../src/lab/node-sources';
import { describe as sentence } from '../../src/sim/events';
import { readFileSync } from 'node:fs';

describe('a scenario run for the widgets', () => {
  it('fetches each sample file it needs, once, and tells the golden trace’s story', async () => {
    const asked: string[] = [];
    const r = await runScenario('hello-read', {}, { ...nodeSources, file: (p) => (asked.push(p), nodeSources.file(p)) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(asked).toEqual(['hello.ko']);
    expect(r.run.events.map(sentence).join('\n') + '\n').toBe(readFileSync('tests/golden/scenarios/hello-read.txt', 'utf8'));
    expect(r.run.outcomes.map((o) => o.step)).toEqual(['cat /dev/hello', 'insmod hello.ko', 'mknod /dev/hello c 246 0', 'cat /dev/hello', 'rmmod hello']);
  });

  it('answers in words for a bad scenario, bad parameters, missing data or a missing file', async () => {
    expect(await runScenario('no-such', {}, nodeSources)).toEqual({ ok: false, error: 'The book has no scenario "no-such".' });
    const bad = await runScenario('hello-load', { module: 'evil.ko' }, nodeSources);
    expect(bad.ok ? '' : bad.error).toContain('"evil.ko" is not a value of module');
    const noData = await runScenario('hello-load', {}, { ...nodeSources, data: () => Promise.reject(new Error('offline')) });
    expect(noData).toEqual({ ok: false, error: "The kernel's data could not be loaded: offline." });
    const noFile = await runScenario('hello-load', {}, { ...nodeSources, file: () => Promise.reject(new Error('the server answered 404')) });
    expect(noFile).toEqual({ ok: false, error: 'The sample file hello.ko could not be loaded: the server answered 404.' });
  });
});
