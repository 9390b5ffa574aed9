// ObjectInspector's picture at build time (Node only: the registry imports it, nothing here reaches
// the browser): the file the run loads, read by the emulator's ELF reader, and the loader's work on
// it at a step. The picture carries only the header and the section map (and counts for the tabs):
// a print strip repeats it in every frame, and the live widget reads the rest from the same bytes.
import { nodeFile } from '../lab/node-sources';
import type { ScenarioRun } from '../lab/run';
import { insmodFiles } from './code-trace-index';
import { buildObjectModel } from './object-inspector-model';
import { focusAt, focusIndex, objectInspectorKeySteps, summaryOf, type FocusIndex, type ObjectInspectorPicture, type ObjectModel } from './object-inspector-focus';

const made = new WeakMap<ScenarioRun, { model: ObjectModel | null; error?: string; index?: FocusIndex }>();

/** The file ObjectInspector shows for a run: the first module it loads. */
export const inspectedFile = (run: Parameters<typeof insmodFiles>[0]) => insmodFiles(run)[0];

export function objectInspectorModel(run: ScenarioRun) {
  let m = made.get(run);
  if (m) return m;
  const ko = inspectedFile(run);
  if (!ko) m = { model: null, error: `The scenario ${run.scenario.id} loads no module file.` };
  else {
    const r = buildObjectModel(ko, nodeFile(ko));
    m = r.ok ? { model: r.model, index: focusIndex(run.events, r.model) } : { model: null, error: r.error };
  }
  made.set(run, m);
  return m;
}

export function objectInspectorPicture(run: ScenarioRun, at: number): ObjectInspectorPicture {
  const m = objectInspectorModel(run);
  const view = m.index ? focusAt(m.index, at) : { at, focus: null, now: false, ended: false };
  return { scenario: run.scenario.id, params: run.params, summary: m.model ? summaryOf(m.model) : null, ...(m.error ? { error: m.error } : {}), view };
}

export function objectInspectorPictureKeySteps(run: ScenarioRun): number[] {
  const m = objectInspectorModel(run);
  return m.index ? objectInspectorKeySteps(m.index) : [run.events.length];
}
