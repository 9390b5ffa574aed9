import { describe, expect, it } from 'vitest';
import { labLinkProblem } from '../e2e/support/lab-links';

describe("the link checker's rules for deep links into simulations", () => {
  it('accepts a link whose lab, scenario, parameters and step are all there', () => {
    expect(labLinkProblem('lab:harness?s=hello-load&p=module=hellorw.ko&t=100', ['harness'])).toBeUndefined();
    expect(labLinkProblem('lab:harness', ['harness'])).toBeUndefined();
  });

  it('refuses each kind of broken link with its reason', () => {
    expect(labLinkProblem('lab:other?s=hello-load', ['harness'])).toBe('the target page has no lab "other"');
    expect(labLinkProblem('lab:harness?s=nope', ['harness'])).toBe('This link names a scenario the book does not have: "nope".');
    expect(labLinkProblem('lab:harness?s=hello-load&p=module=x.ko', ['harness'])).toContain('"x.ko" is not a value of module');
    expect(labLinkProblem('lab:harness?t=3', ['harness'])).toBe('it names a step but no scenario, so the step cannot be checked');
    expect(labLinkProblem('lab:harness?s=user-cli-gp&t=999999', ['harness'])).toMatch(/^step 999999 is past the end of the run \(\d+ steps\)$/);
    expect(labLinkProblem('lab:Bad', ['harness'])).toContain('is not a lab name');
  });
});
