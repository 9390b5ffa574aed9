import { describe, expect, it } from 'vitest';
import { checkPredict, judge, revealStep, type Predict } from '../../src/lab/predict';
import { pickSteps } from '../../src/lab/key-steps';
import { CLI_QUESTION } from '../../src/components/lab/harness-questions';
import { ringSwitcherKeySteps, ringSwitcherPicture, ringTimeline } from '../../src/components/ring-switcher-timeline';
import { runScenario } from '../../src/lab/run';
import { nodeSources } from '../../src/lab/node-sources';

const q: Predict = {
  question: 'Which ring?',
  attr: 'cpl',
  reveal: 'end',
  at: 2,
  choices: [
    { value: '0', text: 'ring 0', feedback: 'The kernel runs in ring 0.' },
    { value: '3', text: 'ring 3', feedback: 'Misconception: a driver runs as a program.' },
  ],
};

describe('predict, then reveal', () => {
  it('judges the reader’s answer against the value the run shows, not a written answer', () => {
    expect(judge(q, '0', '0')).toMatchObject({ right: true, shown: { value: '0' } });
    const wrong = judge(q, '3', '0')!;
    expect(wrong.right).toBe(false);
    expect(wrong.chosen.feedback).toMatch(/Misconception/);
    expect(wrong.shown?.text).toBe('ring 0');
    // A run that contradicts every answer is reported as such, never as right.
    expect(judge(q, '0', '1')).toMatchObject({ right: false, shown: undefined, actual: '1' });
    expect(judge(q, 'nope', '0')).toBeUndefined();
  });

  it('reveals at the end or at a step inside the run', () => {
    expect(revealStep(q, 40)).toBe(40);
    expect(revealStep({ ...q, reveal: 7 }, 40)).toBe(7);
    expect(revealStep({ ...q, reveal: 70 }, 40)).toBe(40);
  });

  it('refuses a badly written question in words', () => {
    expect(checkPredict(q)).toBeUndefined();
    expect(checkPredict({ ...q, choices: q.choices.slice(0, 1) })).toMatch(/at least two/);
    expect(checkPredict({ ...q, choices: [q.choices[0]!, { ...q.choices[1]!, value: '0' }] })).toMatch(/same value/);
    expect(checkPredict({ ...q, choices: [q.choices[0]!, { ...q.choices[1]!, feedback: ' ' }] })).toMatch(/feedback/);
    expect(checkPredict({ ...q, reveal: 2 })).toMatch(/before its reveal/);
    expect(checkPredict({ ...q, at: -1 })).toMatch(/whole number/);
  });

  it('the harness question opens just after the iretq into the cli program and the run bears out its #GP answer', async () => {
    expect(checkPredict(CLI_QUESTION)).toBeUndefined();
    const r = await runScenario('user-cli-gp', {}, nodeSources);
    if (!r.ok) throw new Error(r.error);
    const t = ringTimeline(r.run.events);
    const at = CLI_QUESTION.at!;
    expect(ringSwitcherPicture(r.run.events, at).changes.at(-1)?.label).toBe('iretq');
    const end = ringSwitcherPicture(r.run.events).changes.at(-1)!.label;
    expect(judge(CLI_QUESTION, '#GP', end)?.right).toBe(true);
    expect(t.changes.filter((c) => c.step > at).map((c) => c.label)).toEqual(['#GP']);
  });
});

describe('print strips', () => {
  it('pick at most n steps, spread out, with the first and the last', () => {
    expect(pickSteps([9, 3, 3, 5], 3)).toEqual([3, 5, 9]);
    expect(pickSteps([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([1, 4, 7]);
    expect(pickSteps([1, 2, 3, 4, 5, 6, 7], 1)).toEqual([7]);
    expect(pickSteps([], 3)).toEqual([]);
  });

  it('a picture at a step shows the run only up to that step', async () => {
    const r = await runScenario('user-cli-gp', {}, nodeSources);
    if (!r.ok) throw new Error(r.error);
    const steps = ringSwitcherKeySteps(r.run.events);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) {
      const p = ringSwitcherPicture(r.run.events, s);
      expect(p.steps).toBe(s);
      expect(p.changes.every((c) => c.step <= s)).toBe(true);
    }
    // The strip shows the #GP: it is the fault this run is about.
    expect(steps.map((s) => ringSwitcherPicture(r.run.events, s).changes.at(-1)?.label)).toContain('#GP');
  });
});
