// Checks a deep link's scenario and parameters against the book's scenarios: for the site's link
// checker and the tests. Apart from lab-link.ts so that a page's own script, which only reads and
// writes links, does not carry the scenario list (and the emulator behind it).
import type { LoaderScenario } from '../sim/scenarios/loader';
import { scenarioParams } from '../sim/scenarios/loader';
import type { LabLink } from './lab-link';

/** Checks a parsed link's scenario and parameters against the book's scenarios. */
export function checkLabLink(link: LabLink, scenarios: readonly LoaderScenario[]): { ok: true; params: Record<string, string> } | { ok: false; error: string } {
  if (!link.scenario) return { ok: true, params: {} };
  const s = scenarios.find((x) => x.id === link.scenario);
  if (!s) return { ok: false, error: `This link names a scenario the book does not have: "${link.scenario}".` };
  const params = scenarioParams(s, link.params);
  if ('error' in params) return { ok: false, error: `This link's parameters do not fit the scenario: ${params.error}.` };
  return { ok: true, params };
}
