// Deep links into a simulation: `#lab:<lab-id>?s=<scenario>&p=<params>&t=<step>` (architecture §3).
// Heading ids cannot begin with "lab:" (the build refuses them), so the two kinds of fragment never
// meet. Everything read from a link is untrusted: parseLabLink checks its shape, checkLabLink
// (lab-link-check.ts, which needs the scenario list) its scenario and parameters; both answer
// with a plain-English error instead of throwing. Whether the step is inside the run is known only
// after the run, so the Lab checks that.

export const LAB_PREFIX = 'lab:';

export interface LabLink {
  /** The lab's id on its page (the widget block's stable id). */
  lab: string;
  scenario?: string;
  /** Parameters by name; absent ones take the scenario's defaults. */
  params: Record<string, string>;
  /** The step (event index) to open at; absent: the lab's own start. */
  step?: number;
}

export type LinkResult = { ok: true; link: LabLink } | { ok: false; error: string };

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** A parameter's name may hold underscores too, as kernel command-line names do (initcall_debug). */
const PARAM_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const VALUE = /^[A-Za-z0-9._/-]{1,64}$/;
/** Far beyond any run the book has; a bound so a link cannot ask for absurd work. */
export const MAX_STEP = 10_000_000;

/** Is this fragment (with or without its `#`) a lab link rather than a heading id? */
export const isLabFragment = (hash: string) => decode(hash.replace(/^#/, '')).startsWith(LAB_PREFIX);

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Reads `#lab:<id>?s=…&p=name=value;name=value&t=N`; never throws. */
export function parseLabLink(hash: string): LinkResult {
  const fragment = hash.replace(/^#/, '');
  const bad = (why: string): LinkResult => ({ ok: false, error: `This link to a simulation is not valid: ${why}.` });
  if (!fragment.startsWith(LAB_PREFIX)) return bad('it does not begin with "lab:"');
  const [id = '', query = '', ...rest] = fragment.slice(LAB_PREFIX.length).split('?');
  if (rest.length) return bad('it has more than one "?"');
  if (!NAME.test(id)) return bad(`"${id.slice(0, 40)}" is not a lab name (lower-case letters, digits and hyphens)`);
  const link: LabLink = { lab: id, params: {} };
  const seen = new Set<string>();
  for (const part of query ? query.split('&') : []) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    if (seen.has(key)) return bad(`"${key}" is given twice`);
    seen.add(key);
    if (key === 's') {
      if (!NAME.test(value)) return bad(`"${value.slice(0, 40)}" is not a scenario name`);
      link.scenario = value;
    } else if (key === 'p') {
      for (const pair of value ? value.split(';') : []) {
        const [name = '', v, ...more] = pair.split('=');
        if (more.length || v === undefined || !PARAM_NAME.test(name) || !VALUE.test(v)) return bad(`"${pair.slice(0, 40)}" is not a parameter (name=value)`);
        if (name in link.params) return bad(`the parameter "${name}" is given twice`);
        link.params[name] = v;
      }
    } else if (key === 't') {
      if (!/^\d{1,8}$/.test(value) || Number(value) > MAX_STEP) return bad(`"${value.slice(0, 40)}" is not a step number`);
      link.step = Number(value);
    } else return bad(`"${key.slice(0, 20)}" is not one of s, p and t`);
  }
  if (Object.keys(link.params).length && !link.scenario) return bad('it gives parameters but no scenario');
  return { ok: true, link };
}

/** The fragment for a link, `#lab:…`, with parameters in a stable (sorted) order. */
export function formatLabLink(link: LabLink): string {
  const parts: string[] = [];
  if (link.scenario) parts.push(`s=${link.scenario}`);
  const names = Object.keys(link.params).sort();
  if (names.length) parts.push(`p=${names.map((n) => `${n}=${link.params[n]}`).join(';')}`);
  if (link.step !== undefined) parts.push(`t=${link.step}`);
  return `#${LAB_PREFIX}${link.lab}${parts.length ? '?' + parts.join('&') : ''}`;
}

/** The parameters a link must name: those not at their scenario's default (a short link reads better). */
export function paramsForLink(params: Record<string, string>, defaults: readonly { name: string; default: string }[]): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([name, value]) => defaults.find((d) => d.name === name)?.default !== value));
}
