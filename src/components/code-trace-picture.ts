// CodeTrace's picture at build time (Node only: the registry imports it, nothing here reaches the
// browser): the listing of the module the run loaded, its C sources highlighted by shiki with the
// site's own two themes (astro.config.mjs, src/styles/code.css), and the state at a step. The
// browser never loads shiki: the live widget reuses these highlighted lines.
import { createHighlighter } from 'shiki';
import { nodeFile } from '../lab/node-sources';
import type { ScenarioRun } from '../lab/run';
import { buildListing } from './code-trace-model';
import { codeTraceKeySteps, lineTablePath, stateAt, traceIndex, traceModule, type CodeListing, type CodeTracePicture, type CodeToken, type LineTable, type SourceFile, type TraceIndex } from './code-trace-index';

// The same themes as the site's markdown code blocks, so contrast is what the site's tests check.
const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;
const highlighter = await createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: ['c'] });

export function highlightC(code: string): CodeToken[][] {
  const { tokens } = highlighter.codeToTokens(code.replace(/\n$/, ''), { lang: 'c', themes: THEMES, defaultColor: false });
  return tokens.map((line) => line.map((tok) => ({ t: tok.content, l: tok.htmlStyle?.['--shiki-light'], d: tok.htmlStyle?.['--shiki-dark'] })));
}

const made = new WeakMap<ScenarioRun, { listing: CodeListing | null; error?: string; sources: SourceFile[]; index?: TraceIndex }>();

function make(run: ScenarioRun) {
  let m = made.get(run);
  if (m) return m;
  const ko = traceModule(run);
  if (!ko) m = { listing: null, error: `The scenario ${run.scenario.id} loads no sample module with a line table.`, sources: [] };
  else {
    const table = JSON.parse(new TextDecoder().decode(nodeFile(lineTablePath(ko)))) as LineTable;
    const r = buildListing(run.events, ko, nodeFile(ko), table);
    if (!r.ok) m = { listing: null, error: r.error, sources: [] };
    else {
      const sources = r.listing.files.map((path) => ({ path, lines: highlightC(new TextDecoder().decode(nodeFile(`src/${path}`))) }));
      m = { listing: r.listing, sources, index: traceIndex(run.events, r.listing) };
    }
  }
  made.set(run, m);
  return m;
}

export function codeTracePicture(run: ScenarioRun, at: number): CodeTracePicture {
  const m = make(run);
  const state = m.index ? stateAt(m.index, at) : { at, row: -1, where: 'not-yet' as const };
  return { scenario: run.scenario.id, params: run.params, listing: m.listing, ...(m.error ? { error: m.error } : {}), sources: m.sources, state };
}

export function codeTracePictureKeySteps(run: ScenarioRun): number[] {
  const m = make(run);
  return m.index && m.listing ? codeTraceKeySteps(m.index, m.listing) : [run.events.length];
}
