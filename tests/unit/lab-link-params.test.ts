// Every scenario's state can be linked to: a link made by formatLabLink with the scenario's own
// parameters (names such as initcall_debug included) reads back as the same state.
import { describe, expect, it } from 'vitest';
import { formatLabLink, parseLabLink } from '../../src/lab/lab-link';
import { LOADER_SCENARIOS, scenarioParams } from '../../src/sim/scenarios/loader';

describe('lab links for every scenario', () => {
  it('round-trip each scenario with each value of each of its parameters', () => {
    let checked = 0;
    for (const s of LOADER_SCENARIOS) {
      for (const p of s.params) {
        for (const value of p.values) {
          const params = scenarioParams(s, { [p.name]: value }) as Record<string, string>;
          const link = { lab: 'harness', scenario: s.id, params, step: 7 };
          expect(parseLabLink(formatLabLink(link))).toEqual({ ok: true, link });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(LOADER_SCENARIOS.flatMap((s) => s.params.map((p) => p.name))).toContain('initcall_debug');
  });

  it('still refuses a parameter name that is not one', () => {
    expect(parseLabLink('#lab:harness?s=builtin-boot&p=_x=on').ok).toBe(false);
    expect(parseLabLink('#lab:harness?s=builtin-boot&p=Initcall=on').ok).toBe(false);
  });
});
