// PathCompare's derivation on the real userspace-driver-read run: the two read() paths it finds,
// their counts rising with the cursor, and their final counts equal to what the scenario's own
// compare step (compareReadPaths, kept by lastReadComparison) reports for the same run.
import { describe, expect, it } from 'vitest';
import { bootKernelWith } from '../../src/sim/kernel/data';
import { kernelBodies } from '../../src/sim/kernel/hle-library';
import { ALL_SUBSYSTEMS } from '../../src/sim/subsystems/all';
import { LOADER_SCENARIOS, runLoaderScenario, scenarioParams } from '../../src/sim/scenarios/loader';
import { lastReadComparison } from '../../src/sim/scenarios/device-steps';
import { DOCUMENTED_COSTS } from '../../src/sim/kernel/userspace-driver';
import type { SimEvent } from '../../src/sim/events';
import { nodeData, nodeFile, nodeSources } from '../../src/lab/node-sources';
import { runScenario } from '../../src/lab/run';
import { countsAt, measuredPaths, pathComparePicture, readPaths, zeroCounts, type PathCounts } from '../../src/components/path-compare-counts';

function traced(id: string) {
  const scenario = LOADER_SCENARIOS.find((s) => s.id === id)!;
  const params = scenarioParams(scenario, {}) as Record<string, string>;
  const k = bootKernelWith(nodeData(), kernelBodies, ALL_SUBSYSTEMS);
  k.m.trace = true;
  const outcomes = runLoaderScenario(k, scenario, params, nodeFile);
  return { k, events: k.m.log as SimEvent[], outcomes };
}

const KEYS: (keyof PathCounts)[] = ['ringCrossings', 'contextSwitches', 'copies', 'bytesCopied', 'ipcMessages', 'instructionsRing0', 'instructionsRing3'];
const pick = (c: PathCounts) => Object.fromEntries(KEYS.map((key) => [key, c[key]]));

describe('PathCompare: the read() paths of userspace-driver-read', () => {
  const { k, events, outcomes } = traced('userspace-driver-read');
  const comparison = lastReadComparison(k)!;
  const paths = readPaths(events);
  const { monolithic, userspace } = measuredPaths(paths);

  it('finds one read() answered in ring 0 and one answered by the driver process, in that order', () => {
    expect(comparison).toBeDefined();
    expect(paths.map((p) => p.kind)).toEqual(['monolithic', 'userspace']);
    expect(monolithic!.server).toBeUndefined();
    expect(monolithic!.client).toBe('cat-hello');
    expect(userspace!.client).toBe('cat-hello');
    expect(userspace!.server).toBe('hellod');
    expect(monolithic!.end).toBeLessThanOrEqual(userspace!.start);
  });

  it('ends with the counts compareReadPaths reports for the same run', () => {
    expect(pick(countsAt(events, monolithic!, events.length))).toEqual(pick(comparison.monolithic));
    expect(pick(countsAt(events, userspace!, events.length))).toEqual(pick(comparison.userspace));
    // The user-space path really costs more: the comparison is not of two equal things.
    expect(comparison.userspace.ringCrossings).toBeGreaterThan(comparison.monolithic.ringCrossings);
    expect(comparison.userspace.contextSwitches).toBeGreaterThan(0);
  });

  it('counts rise only as the cursor passes the counted events', () => {
    for (const path of [monolithic!, userspace!]) {
      expect(countsAt(events, path, path.start)).toEqual(zeroCounts());
      let before = zeroCounts();
      for (let cursor = path.start + 1; cursor <= path.end; cursor++) {
        const now = countsAt(events, path, cursor);
        const e = events[cursor - 1]!;
        expect(now.ringCrossings - before.ringCrossings).toBe(e.kind === 'cpu/ring-changed' ? 1 : 0);
        expect(now.contextSwitches - before.contextSwitches).toBe(e.kind === 'kernel/context-switched' ? 1 : 0);
        expect(now.copies - before.copies).toBe(e.kind === 'kernel/user-copied' ? 1 : 0);
        expect(now.ipcMessages - before.ipcMessages).toBe(e.kind === 'ipc/message-passed' ? 1 : 0);
        before = now;
      }
      expect(countsAt(events, path, events.length)).toEqual(before);
    }
  });

  it('marks each counted event at the step that passes it, with the names the events carry', () => {
    const u = userspace!;
    expect(u.marks.filter((m) => m.kind === 'crossing')).toHaveLength(comparison.userspace.ringCrossings);
    expect(u.marks.filter((m) => m.kind === 'switch').map((m) => m.text)).toEqual(['context switch cat-hello → hellod (CR3 loaded)', 'context switch hellod → cat-hello (CR3 loaded)']);
    expect(u.marks.filter((m) => m.kind === 'ipc').map((m) => m.text)).toEqual(['IPC request, cat-hello → hellod, 24 bytes', `IPC reply, hellod → cat-hello, ${comparison.userspace.bytesCopied - 24} bytes`]);
    expect(u.marks.filter((m) => m.kind === 'call').map((m) => m.text)).toEqual(['read() enters the kernel', 'ipc_reply_recv() enters the kernel']);
    for (const m of [...u.marks, ...monolithic!.marks]) expect(events[m.step - 1]).toBeDefined();
    const copy = monolithic!.marks.find((m) => m.kind === 'copy')!;
    const e = events[copy.step - 1]!;
    expect(e.kind === 'kernel/user-copied' && copy.text === `copy of ${e.bytes} bytes, the kernel → cat-hello (${e.by})`).toBe(true);
  });

  it('the lab’s own run is the same run, and the picture is its end', async () => {
    const r = await runScenario('userspace-driver-read', {}, nodeSources);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.run.events.length).toBe(events.length);
    const picture = pathComparePicture(r.run.events);
    expect(picture.steps).toBe(events.length);
    expect(picture.counts.map(pick)).toEqual([pick(comparison.monolithic), pick(comparison.userspace)]);
  });

  it('the documented costs the widget shows are the ones the compare step prints, with their sources', () => {
    const printed = outcomes.find((o) => o.step === 'compare')!.result.stdout!;
    expect(printed).toContain(`${DOCUMENTED_COSTS.l4Ipc.cycles} cycles`);
    expect(printed).toContain(DOCUMENTED_COSTS.l4Ipc.source);
    expect(printed).toContain(`${DOCUMENTED_COSTS.l4Linux.percent}%`);
    expect(printed).toContain(DOCUMENTED_COSTS.l4Linux.source);
    expect(printed).toContain(`= ${comparison.addedIpcCycles} cycles`);
  });

  it('a run with no driver process has only a monolithic read()', () => {
    const plain = traced('hello-read').events;
    const found = measuredPaths(readPaths(plain));
    expect(found.userspace).toBeUndefined();
    expect(found.monolithic).toBeDefined();
  });
});
