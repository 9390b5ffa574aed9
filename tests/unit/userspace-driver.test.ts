import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { catTool, insmodTool, mknodTool, programTool, rmmodTool } from '../../src/sim/kernel/user-tools';
import { DOCUMENTED_COSTS, compareReadPaths, countRead, measureRead, startUserspaceDriver } from '../../src/sim/kernel/userspace-driver';
import { LOADER_SCENARIOS, runLoaderScenario } from '../../src/sim/scenarios/loader';
import { lastReadComparison } from '../../src/sim/scenarios/device-steps';
import type { SimEvent } from '../../src/sim/events';
import { entrySymbolAt } from '../../src/sim/kernel/entry';
import { join } from '../../src/sim/kernel/layout';

// The same read() of /dev/hello, once through hello.ko in ring 0 and once served by hellod, a
// driver process in ring 3 behind the model's IPC; the counts come from the emulator's events.
const sample = (name: string) => new Uint8Array(readFileSync(`public/samples/${name}`));

function monolithic() {
  const k = bootKernel();
  insmodTool(k, 'hello.ko', sample('hello.ko'), '');
  mknodTool(k, '/dev/hello', 246, 0);
  return { k, ...measureRead(k, () => programTool(k, 'cat-hello', sample('cat-hello'))) };
}

function userspace() {
  const k = bootKernel();
  expect(startUserspaceDriver(k, 'hellod', sample('hellod'), '/dev/hello')).toEqual({ status: 0, stderr: [] });
  return { k, ...measureRead(k, () => programTool(k, 'cat-hello', sample('cat-hello'))) };
}

describe('a driver outside the kernel', () => {
  it('serves the same program\'s read(): cat-hello prints hello.ko\'s line, then hellod\'s', () => {
    expect(monolithic().result).toEqual({ status: 0, stderr: [], stdout: 'Hello from ring 0!\n' });
    expect(userspace().result).toEqual({ status: 0, stderr: [], stdout: 'Hello from user space!\n' });
  });

  it('counts each path from its events: the user-space path adds two ring crossings, two context switches, two IPC messages and a copy', () => {
    const a = monolithic().counts!, b = userspace().counts!;
    expect(a).toMatchObject({ ringCrossings: 2, contextSwitches: 0, copies: 1, bytesCopied: 19, ipcMessages: 0 });
    expect(b).toMatchObject({ ringCrossings: 4, contextSwitches: 2, copies: 2, bytesCopied: 24 + 23, ipcMessages: 2 });
    expect(a.instructionsRing0).toBeGreaterThan(a.instructionsEntryCode); // hello_read ran in ring 0
    expect(a.instructionsEntryCode).toBeGreaterThan(0); // entry_SYSCALL_64 and _copy_to_user, real code
    expect(b.instructionsEntryCode).toBeGreaterThan(0);
    expect(b.instructionsRing0).toBe(b.instructionsEntryCode); // no driver code in ring 0 at all
    expect(b.instructionsRing3).toBeGreaterThan(a.instructionsRing3); // hellod's code ran in ring 3
  });

  it('runs the driver in its own address space: the switch loads another CR3 and comes back to the client\'s', () => {
    const { k } = userspace();
    k.m.trace = true;
    programTool(k, 'cat-hello', sample('cat-hello'));
    const switches = k.m.log.filter((e): e is Extract<SimEvent, { kind: 'kernel/context-switched' }> => e.kind === 'kernel/context-switched');
    expect(switches.map((s) => [s.from, s.to])).toEqual([['cat-hello', 'hellod'], ['hellod', 'cat-hello']]);
    expect(switches[0]!.cr3).not.toEqual(switches[1]!.cr3);
    expect(switches[1]!.cr3.lo).toBe(k.tables.root);
    // hellod's instructions all ran in ring 3; in ring 0 between the switches ran only the entry
    // code's return to hellod (sysretq) and its entry for the reply (syscall → entry_SYSCALL_64).
    const from = k.m.log.indexOf(switches[0]!), to = k.m.log.indexOf(switches[1]!);
    const executed = k.m.log.slice(from, to).filter((e): e is Extract<SimEvent, { kind: 'cpu/executed' }> => e.kind === 'cpu/executed');
    const ring0 = executed.filter((e) => e.cpl === 0).map((e) => entrySymbolAt(join(e.rip))?.split('+')[0]);
    expect(new Set(ring0)).toEqual(new Set(['entry_SYSCALL_64', 'entry_SYSCALL_64_safe_stack', 'entry_SYSCALL_64_after_hwframe', 'syscall_return_via_sysret', 'entry_SYSRETQ_unsafe_stack']));
    expect(executed.filter((e) => e.cpl === 3).length).toBeGreaterThan(0);
  });

  it('keeps the file position across requests: the modelled cat reads to the end, the driver answers 0 the second time', () => {
    const { k } = userspace();
    expect(catTool(k, '/dev/hello')).toEqual({ status: 0, stderr: [], stdout: 'Hello from user space!\n' });
  });

  it('leaves the caller\'s log alone when it was not tracing, and counts nothing for a run without read()', () => {
    const k = bootKernel();
    const { counts } = measureRead(k, () => programTool(k, 'cli', sample('cli')));
    expect(counts).toBeUndefined();
    expect(k.m.trace).toBe(false);
    expect(k.m.log).toEqual([]);
  });

  it('sizes the difference with documented figures only, each with its source', () => {
    const c = compareReadPaths(monolithic().counts!, userspace().counts!);
    expect(c.addedIpcCycles).toBe(2 * DOCUMENTED_COSTS.l4Ipc.cycles);
    expect(c.text).toContain(DOCUMENTED_COSTS.l4Ipc.source);
    expect(c.text).toContain(DOCUMENTED_COSTS.l4Linux.source);
    expect(c.text).toContain('Achieved IPC Performance');
  });

  it('scenario userspace-driver-read ends with the comparison, and rejects a comparison before both measurements', () => {
    const s = LOADER_SCENARIOS.find((x) => x.id === 'userspace-driver-read')!;
    const k = bootKernel();
    const out = runLoaderScenario(k, s, {}, sample);
    expect(out.map((o) => [o.step, o.result.status])).toEqual([
      ['insmod hello.ko', 0], ['mknod /dev/hello c 246 0', 0], ['./cat-hello', 0], ['rmmod hello', 0],
      ['./hellod & (serves /dev/hello)', 0], ['./cat-hello', 0], ['compare', 0],
    ]);
    expect(out.at(-1)!.result.stdout).toMatch(/^ring crossings +2 +4$/m);
    expect(lastReadComparison(k)).toMatchObject({ monolithic: { contextSwitches: 0 }, userspace: { contextSwitches: 2 }, addedIpcCycles: 242 });
    expect(k.m.log).toEqual([]); // measuring did not leave a trace behind in an untraced run
    expect(runLoaderScenario(bootKernel(), { ...s, steps: () => [{ compare: 'read-paths' }] }, {}, sample)[0]!.result.status).toBe(1);
    expect(countRead([])).toBeUndefined();
  });
});
