import { describe, expect, it } from 'vitest';
import { formatLabLink, isLabFragment, paramsForLink, parseLabLink } from '../../src/lab/lab-link';
import { checkLabLink } from '../../src/lab/lab-link-check';
import { LOADER_SCENARIOS } from '../../src/sim/scenarios/loader';

describe('lab deep links', () => {
  it('round-trips a link exactly', () => {
    const link = { lab: 'loader-1', scenario: 'hello-load', params: { module: 'hellorw.ko' }, step: 42 };
    const text = formatLabLink(link);
    expect(text).toBe('#lab:loader-1?s=hello-load&p=module=hellorw.ko&t=42');
    expect(parseLabLink(text)).toEqual({ ok: true, link });
    expect(parseLabLink(encodeURI(text))).toEqual({ ok: true, link });
  });

  it('writes parameters in a stable order and leaves out what is absent', () => {
    expect(formatLabLink({ lab: 'x', scenario: 's', params: { b: '2', a: '1' } })).toBe('#lab:x?s=s&p=a=1;b=2');
    expect(formatLabLink({ lab: 'x', params: {} })).toBe('#lab:x');
    expect(parseLabLink('#lab:x')).toEqual({ ok: true, link: { lab: 'x', params: {} } });
  });

  it('tells lab links from heading ids', () => {
    expect(isLabFragment('#lab:x?t=1')).toBe(true);
    expect(isLabFragment('#lab%3Ax')).toBe(true);
    expect(isLabFragment('#labels')).toBe(false);
  });

  it.each([
    ['#intro', 'it does not begin with "lab:"'],
    ['#lab:', 'is not a lab name'],
    ['#lab:Loader', 'is not a lab name'],
    ['#lab:x?s=<script>', 'is not a scenario name'],
    ['#lab:x?s=a&s=b', '"s" is given twice'],
    ['#lab:x?t=-1', 'is not a step number'],
    ['#lab:x?t=1e3', 'is not a step number'],
    ['#lab:x?t=99999999', 'is not a step number'],
    ['#lab:x?q=1', 'is not one of s, p and t'],
    ['#lab:x?s=a&p=module', 'is not a parameter'],
    ['#lab:x?s=a&p=a=1;a=2', 'the parameter "a" is given twice'],
    ['#lab:x?p=a=1', 'parameters but no scenario'],
    ['#lab:x?s=a?t=1', 'more than one "?"'],
    ['#lab:x?s=a&p=m=%E0%A4%A', 'is not a parameter'],
  ])('refuses %s with a plain reason', (hash, why) => {
    const r = parseLabLink(hash);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(why);
  });

  it('checks the scenario and parameters against the book', () => {
    const parsed = (h: string) => {
      const r = parseLabLink(h);
      if (!r.ok) throw new Error(r.error);
      return r.link;
    };
    expect(checkLabLink(parsed('#lab:x?s=hello-load'), LOADER_SCENARIOS)).toEqual({ ok: true, params: { module: 'hello.ko' } });
    expect(checkLabLink(parsed('#lab:x?s=no-such'), LOADER_SCENARIOS)).toEqual({ ok: false, error: 'This link names a scenario the book does not have: "no-such".' });
    const wrong = checkLabLink(parsed('#lab:x?s=hello-load&p=module=evil.ko'), LOADER_SCENARIOS);
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error).toContain('"evil.ko" is not a value of module');
  });
});

describe('paramsForLink', () => {
  it('keeps only the parameters that differ from their defaults', () => {
    const defaults = [{ name: 'cats', default: '1' }, { name: 'module', default: 'hello.ko' }];
    expect(paramsForLink({ cats: '1', module: 'signed.ko' }, defaults)).toEqual({ module: 'signed.ko' });
    expect(paramsForLink({ cats: '1', module: 'hello.ko' }, defaults)).toEqual({});
    expect(paramsForLink({ other: 'x' }, defaults)).toEqual({ other: 'x' });
  });
});
