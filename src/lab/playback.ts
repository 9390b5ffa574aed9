// Playback over a finished run: a cursor on its steps, the speeds a reader can pick, and what one
// tick of play does. Plain TypeScript with no timers and no Svelte, so it is tested in Node; the
// Lab (lab.svelte.ts) holds one of these in reactive state and drives it from animation frames.

/** Steps per second at each speed the controls offer (at least five, as issue 6 asks). */
export const SPEEDS = [
  { label: 'Slowest', stepsPerSecond: 1 },
  { label: 'Slow', stepsPerSecond: 4 },
  { label: 'Normal', stepsPerSecond: 16 },
  { label: 'Fast', stepsPerSecond: 64 },
  { label: 'Faster', stepsPerSecond: 256 },
  { label: 'Fastest', stepsPerSecond: 1024 },
] as const;
export const DEFAULT_SPEED = 2;

export interface PlaybackState {
  /** Steps in the run; the cursor goes from 0 (before the first) to length (after the last). */
  length: number;
  cursor: number;
  playing: boolean;
  speed: number;
  /** Fractional steps carried between ticks, so slow speeds still advance. */
  carry: number;
}

export const startPlayback = (length: number, cursor = 0): PlaybackState => ({ length, cursor: clamp(cursor, length), playing: false, speed: DEFAULT_SPEED, carry: 0 });

const clamp = (n: number, length: number) => Math.max(0, Math.min(length, Math.trunc(Number.isFinite(n) ? n : 0)));

/** Moves the cursor to a step (clamped into the run); a seek stops play. */
export const seek = (p: PlaybackState, to: number): PlaybackState => ({ ...p, cursor: clamp(to, p.length), playing: false, carry: 0 });
export const stepForward = (p: PlaybackState) => seek(p, p.cursor + 1);
export const stepBack = (p: PlaybackState) => seek(p, p.cursor - 1);
export const toStart = (p: PlaybackState) => seek(p, 0);
export const toEnd = (p: PlaybackState) => seek(p, p.length);

/** Play from where the cursor is; at the end, play starts again from the beginning. */
export const play = (p: PlaybackState): PlaybackState => ({ ...p, cursor: p.cursor >= p.length ? 0 : p.cursor, playing: p.length > 0, carry: 0 });
export const pause = (p: PlaybackState): PlaybackState => ({ ...p, playing: false, carry: 0 });
export const setSpeed = (p: PlaybackState, speed: number): PlaybackState => ({ ...p, speed: Math.max(0, Math.min(SPEEDS.length - 1, Math.trunc(speed))) });

/** One animation tick of `ms` milliseconds: advance by the speed; stop at the end of the run. */
export function tick(p: PlaybackState, ms: number): PlaybackState {
  if (!p.playing) return p;
  const exact = p.carry + (Math.max(0, ms) / 1000) * SPEEDS[p.speed]!.stepsPerSecond;
  const whole = Math.floor(exact);
  const cursor = Math.min(p.length, p.cursor + whole);
  return { ...p, cursor, carry: exact - whole, playing: cursor < p.length };
}
