// BootTimeline's derivation on the real builtin-boot run: the levels as lanes with the initcalls
// the emulator ran in each, in its order, their return values, the dmesg lines they printed (in the
// real kernel's initcall_debug form), and the rmmod refusal after boot.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describe as sentence, type SimEvent } from '../../src/sim/events';
import { INITCALL_LEVEL_NAMES } from '../../src/sim/kernel/initcalls';
import { nodeSources } from '../../src/lab/node-sources';
import { runScenario } from '../../src/lab/run';
import { bootTimeline, bootTimelinePicture, currentInitcall, initcallsReturned, returnText, type BootTimeline } from '../../src/components/boot-timeline-lines';

async function run(id: string, params: Record<string, string> = {}) {
  const r = await runScenario(id, params, nodeSources);
  if (!r.ok) throw new Error(r.error);
  return r.run;
}

const all = (t: BootTimeline) => [...t.early, ...t.lanes.flatMap((l) => l.initcalls)].sort((a, b) => a.order - b.order);
/** The real kernel's initcall_debug lines (tests/fixtures/real-kernel/builtin-initcall-debug.txt), timestamps dropped. */
const real = readFileSync('tests/fixtures/real-kernel/builtin-initcall-debug.txt', 'utf8').split('\n').filter((l) => l.startsWith('[')).map((l) => l.replace(/^\[[ \d.]+\] /, ''));
const CALLING = /^calling {2}(\w+)\+0x0\/0x[0-9a-f]+ @ (\d+)$/;
const RETURNED = /^initcall (\w+)\+0x0\/0x[0-9a-f]+ returned (-?\d+) after \d+ usecs$/;

describe('BootTimeline: builtin-boot', async () => {
  const { events, outcomes } = await run('builtin-boot');
  const t = bootTimeline(events, INITCALL_LEVEL_NAMES, sentence)!;

  it('has the eight levels of init/main.c as lanes, each with as many initcalls as its do_initcall_level() stage says', () => {
    expect(t.lanes.map((l) => `${l.level} ${l.name}`)).toEqual(INITCALL_LEVEL_NAMES.map((n, i) => `${i} ${n}`));
    for (const lane of t.lanes) {
      const stage = events[lane.finishedStep! - 1]!;
      expect(stage.kind === 'boot/stage-finished' && stage.stage).toBe(`do_initcall_level(${lane.level})`);
      const n = Number(/: (\d+) initcalls?$/.exec(lane.detail!)![1]);
      expect(lane.initcalls).toHaveLength(n);
    }
    expect(t.lanes.some((l) => l.initcalls.length === 0)).toBe(true);
    expect(t.lanes.find((l) => l.name === 'device')!.initcalls.map((c) => c.name)).toContain('hello_init');
  });

  it('places every initcall in the order the emulator read their entries, with the value each returned', () => {
    const read = events.flatMap((e, i) => (e.kind === 'boot/initcall-entry-read' ? [{ name: e.name, level: e.level, step: i + 1 }] : []));
    const returned = events.flatMap((e, i) => (e.kind === 'boot/initcall-returned' ? [{ name: e.name, ret: e.ret, step: i + 1 }] : []));
    expect(read.length).toBeGreaterThan(0);
    expect(all(t).map((c) => ({ name: c.name, level: c.levelName, step: c.step }))).toEqual(read);
    expect(all(t).map((c) => ({ name: c.name, ret: c.ret, step: c.returnStep }))).toEqual(returned);
    expect(all(t).filter((c) => c.ret !== 0).length).toBeGreaterThan(0); // a failing one is in the run
  });

  it('shows each initcall’s dmesg lines, whose initcall_debug pair has the real kernel’s form and its return value', () => {
    expect(real.some((l) => CALLING.test(l)) && real.some((l) => RETURNED.test(l))).toBe(true);
    for (const c of all(t)) {
      const texts = c.lines.map((l) => l.text.replace(/^\[[ \d.]+\] /, ''));
      expect(CALLING.exec(texts[0]!)?.slice(1)).toEqual([c.name, '1']);
      expect(RETURNED.exec(texts.at(-1)!)?.slice(1)).toEqual([c.name, String(c.ret)]);
      for (const l of c.lines) expect(l.step).toBeGreaterThan(c.step), expect(l.step).toBeLessThan(c.returnStep!);
    }
    const failed = all(t).find((c) => c.ret! < 0)!;
    expect(returnText(failed.ret!)).toBe(`✗ ${failed.ret} (No such device)`);
    expect(returnText(0)).toBe('✓ 0');
  });

  it('keeps the stages before and after the levels, free_initmem with its "Freeing unused kernel image" line', () => {
    expect(t.before.map((s) => s.stage)).toEqual(['map the kernel image', 'ftrace_init', 'alternative_instructions', 'do_pre_smp_initcalls']);
    const free = t.after.find((s) => s.stage === 'free_initmem')!;
    expect(free.lines.map((l) => l.text)).toEqual([expect.stringMatching(/\] Freeing unused kernel image \(initmem\) memory: \d+K$/)]);
    expect(real).toContainEqual(expect.stringMatching(/^Freeing unused kernel image \(initmem\) memory: \d+K$/));
  });

  it('after the boot: rmmod refused for the built-in, with no system call, at the steps the run made it', () => {
    const refusals = t.afterBoot.filter((a) => a.failed);
    expect(refusals).toHaveLength(outcomes.filter((o) => o.result.stderr.some((l) => l.includes('is builtin'))).length);
    for (const r of refusals) {
      expect(r.side).toBe('user');
      expect(r.text).toContain('rmmod: ERROR: Module hello is builtin.');
      expect(outcomes[0]!.result.stderr).toContain('rmmod: ERROR: Module hello is builtin.');
      expect(r.step).toBeGreaterThan(t.bootEnd);
    }
    expect(t.afterBoot[0]).toBe(refusals[0]);
    expect(events.some((e) => e.kind === 'kernel/syscall-entered' && e.name === 'delete_module')).toBe(false);
    expect(t.afterBoot.some((a) => a.text.startsWith('mknod creates /dev/hello'))).toBe(true);
  });

  it('the current initcall and the count of returned ones follow the cursor', () => {
    const calls = all(t);
    expect(currentInitcall(t, 0)).toBeUndefined();
    expect(initcallsReturned(t, 0)).toBe(0);
    for (const c of calls) {
      expect(currentInitcall(t, c.step)).toBe(c);
      expect(currentInitcall(t, c.step - 1)).not.toBe(c);
      expect(initcallsReturned(t, c.returnStep!)).toBe(c.order);
      expect(initcallsReturned(t, c.returnStep! - 1)).toBe(c.order - 1);
    }
    expect(initcallsReturned(t, events.length)).toBe(calls.length);
  });

  it('with initcall_debug off, the initcalls print only their own lines', async () => {
    const off = await run('builtin-boot', { initcall_debug: 'off' });
    const quiet = bootTimeline(off.events, INITCALL_LEVEL_NAMES, sentence)!;
    expect(all(quiet).map((c) => c.name)).toEqual(all(t).map((c) => c.name));
    expect(all(quiet).filter((c) => c.lines.length > 0).length).toBeGreaterThan(0);
    for (const c of all(quiet)) for (const l of c.lines) expect(l.text).not.toMatch(/\] (calling {2}|initcall )/);
  });

  it('a run without a built-in image has no boot to show; the picture is the whole run', () => {
    const plain: SimEvent[] = [{ kind: 'kernel/printk', level: 6, text: 'x', timeNs: 0 }];
    expect(bootTimeline(plain, INITCALL_LEVEL_NAMES, sentence)).toBeUndefined();
    const picture = bootTimelinePicture(events, INITCALL_LEVEL_NAMES, sentence);
    expect(picture.steps).toBe(events.length);
    expect(picture.timeline).toEqual(t);
  });
});
