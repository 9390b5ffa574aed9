// What every widget does first: take its lab from the page's registry and, once in the browser,
// open it — from the page's `#lab:` link if it names this lab, else the widget's own scenario, at
// the question's step when the widget opens on a prediction, else at the run's end (or start).
import { onMount } from 'svelte';
import { getLab, type Lab } from './lab.svelte';
import { browserSources } from './browser-sources';
import type { Predict } from './predict';

export interface LabWidgetArgs {
  labId: string;
  scenario: string;
  params?: Record<string, string>;
  predict?: Predict;
}

export function useLab(args: () => LabWidgetArgs, opensAt: 'start' | 'end' = 'end'): Lab {
  const { labId, scenario, params = {}, predict } = args();
  const lab = getLab(labId);
  onMount(() => lab.ensureOpen(location.hash, { scenario, params }, browserSources, predict ? (predict.at ?? 0) : opensAt));
  return lab;
}

/** The props every widget takes from Widget.astro, with its own picture's type. */
export interface LabWidgetProps<Picture> extends LabWidgetArgs {
  /** The build's picture at the opening step, shown until the browser's own run is ready. */
  picture?: Picture;
  title: string;
  caption?: string;
  /** A still frame of a print strip: the picture only. */
  still?: boolean;
}
