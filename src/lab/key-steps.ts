// A print strip shows a widget at a few key states of its run. Each widget names the steps that
// matter to it (a crossing, a log line, a failing stage); this picks at most `n` of them, spread
// over the run and always including the first and the last.
export function pickSteps(steps: readonly number[], n: number): number[] {
  const distinct = [...new Set(steps)].sort((a, b) => a - b);
  if (distinct.length <= n) return distinct;
  if (n <= 1) return distinct.slice(-1);
  return [...new Set(Array.from({ length: n }, (_, i) => distinct[Math.round((i * (distinct.length - 1)) / (n - 1))]!))];
}

/** How many frames a print strip has at most. */
export const STRIP_FRAMES = 3;
