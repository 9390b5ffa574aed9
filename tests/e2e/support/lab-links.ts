// What the link checker asks of a deep link into a simulation (`#lab:<id>?s=…&p=…&t=…`): it
// parses; the lab it names is on the target page; its scenario and parameters are the book's; and
// the step it names is inside that scenario's run (the emulator runs it here, in Node, to count).
import { parseLabLink } from '../../../src/lab/lab-link.ts';
import { checkLabLink } from '../../../src/lab/lab-link-check.ts';
import { runScenarioWith } from '../../../src/lab/run.ts';
import { nodeData, nodeFile, nodeSubsystems } from '../../../src/lab/node-sources.ts';
import { LOADER_SCENARIOS } from '../../../src/sim/scenarios/loader.ts';

const runLengths = new Map<string, number>();

/** Why the link is broken, or undefined; `labsOnTarget` are the data-lab ids on the target page. */
export function labLinkProblem(fragment: string, labsOnTarget: readonly string[]): string | undefined {
  const parsed = parseLabLink(fragment);
  if (!parsed.ok) return parsed.error;
  const { link } = parsed;
  if (!labsOnTarget.includes(link.lab)) return `the target page has no lab "${link.lab}"`;
  const checked = checkLabLink(link, LOADER_SCENARIOS);
  if (!checked.ok) return checked.error;
  if (link.step === undefined) return undefined;
  if (!link.scenario) return 'it names a step but no scenario, so the step cannot be checked';
  const key = JSON.stringify([link.scenario, checked.params]);
  let length = runLengths.get(key);
  if (length === undefined) {
    const r = runScenarioWith(nodeData(), link.scenario, checked.params, nodeFile, nodeSubsystems);
    if (!r.ok) return r.error;
    runLengths.set(key, (length = r.run.events.length));
  }
  return link.step <= length ? undefined : `step ${link.step} is past the end of the run (${length} steps)`;
}
