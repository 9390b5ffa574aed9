import { describe, expect, it } from 'vitest';
import { SPEEDS, pause, play, seek, setSpeed, startPlayback, stepBack, stepForward, tick, toEnd, toStart } from '../../src/lab/playback';

describe('lab playback', () => {
  it('steps, seeks and stays inside the run', () => {
    let p = startPlayback(3);
    expect(p.cursor).toBe(0);
    p = stepBack(p);
    expect(p.cursor).toBe(0);
    p = stepForward(stepForward(stepForward(stepForward(p))));
    expect(p.cursor).toBe(3);
    expect(seek(p, 1.7).cursor).toBe(1);
    expect(seek(p, Number.NaN).cursor).toBe(0);
    expect(seek(p, -5).cursor).toBe(0);
    expect(toStart(p).cursor).toBe(0);
    expect(toEnd(toStart(p)).cursor).toBe(3);
    expect(startPlayback(3, 99).cursor).toBe(3);
  });

  it('offers at least five speeds, each faster than the one before', () => {
    expect(SPEEDS.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < SPEEDS.length; i++) expect(SPEEDS[i]!.stepsPerSecond).toBeGreaterThan(SPEEDS[i - 1]!.stepsPerSecond);
    expect(setSpeed(startPlayback(1), 99).speed).toBe(SPEEDS.length - 1);
    expect(setSpeed(startPlayback(1), -1).speed).toBe(0);
  });

  it('plays at the chosen speed, carrying fractions, and stops at the end', () => {
    let p = setSpeed(play(startPlayback(10)), 0); // 1 step per second
    p = tick(p, 400);
    expect(p.cursor).toBe(0);
    p = tick(p, 700);
    expect(p.cursor).toBe(1);
    p = tick(setSpeed(p, SPEEDS.length - 1), 1000);
    expect(p).toMatchObject({ cursor: 10, playing: false });
    expect(tick(p, 1000).cursor).toBe(10);
  });

  it('play at the end starts again; pause and seek stop play; an empty run never plays', () => {
    expect(play(toEnd(startPlayback(4)))).toMatchObject({ cursor: 0, playing: true });
    expect(pause(play(startPlayback(4))).playing).toBe(false);
    expect(seek(play(startPlayback(4)), 2).playing).toBe(false);
    expect(play(startPlayback(0)).playing).toBe(false);
    expect(tick(startPlayback(4), 1000).cursor).toBe(0); // not playing: a tick does nothing
  });
});
