import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { LOADER_SCENARIOS, runLoaderScenario, scenarioParams } from '../../src/sim/scenarios/loader';
import { describe as sentence } from '../../src/sim/events';

// Golden traces of the loader scenarios: one describe() line per event, from the first insmod on.
// A change shows as a readable diff; UPDATE_GOLDEN=1 accepts it (review the diff first).
const file = (path: string) => new Uint8Array(readFileSync(`public/samples/${path}`));

function run(id: string, given: Record<string, string> = {}) {
  const s = LOADER_SCENARIOS.find((x) => x.id === id)!;
  const params = scenarioParams(s, given);
  if ('error' in params) throw new Error(params.error);
  const k = bootKernel();
  k.m.trace = true;
  const outcomes = runLoaderScenario(k, s, params, file);
  return { k, outcomes, trace: k.m.log.map(sentence).join('\n') + '\n' };
}

describe('loader scenarios', () => {
  mkdirSync('tests/golden/scenarios', { recursive: true });
  for (const s of LOADER_SCENARIOS) {
    it(`${s.id} tells the same story as tests/golden/scenarios/${s.id}.txt`, () => {
      const golden = `tests/golden/scenarios/${s.id}.txt`;
      const { trace } = run(s.id);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, trace);
      expect(trace).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it('replays exactly: the same scenario twice gives the same events', () => {
    expect(run('exporter-pinned').trace).toBe(run('exporter-pinned').trace);
  });

  it('validates parameters and fills in defaults', () => {
    const s = LOADER_SCENARIOS.find((x) => x.id === 'hello-load')!;
    expect(scenarioParams(s, {})).toEqual({ module: 'hello.ko' });
    expect(scenarioParams(s, { module: 'evil.ko' })).toEqual({ error: '"evil.ko" is not a value of module (one of: hello.ko, hellorw.ko, miscdev.ko, gplonly.ko, signed.ko)' });
    expect(scenarioParams(s, { colour: 'red' })).toEqual({ error: 'the scenario "hello-load" has no parameter "colour"' });
  });

  it('exporter-pinned: kmod refuses to remove exporter while importer uses it, then removes both', () => {
    expect(run('exporter-pinned').outcomes.map((o) => [o.step, o.result.status, o.result.stderr.join()])).toEqual([
      ['insmod exporter.ko', 0, ''], ['insmod importer.ko', 0, ''], ['rmmod exporter', 1, 'rmmod: ERROR: Module exporter is in use by: importer'],
      ['rmmod importer', 0, ''], ['rmmod exporter', 0, ''],
    ]);
  });
  it('misc-autonode: misc_register → device_add → devtmpfs node → uevent; rmmod: node gone, then the remove uevent', () => {
    const { outcomes, trace } = run('misc-autonode');
    expect(outcomes.map((o) => [o.step, o.result.status])).toEqual([
      ['insmod miscdev.ko', 0], ['ls -l /dev/miscdev', 0], ['cat /dev/miscdev', 0], ['rmmod miscdev', 0], ['ls -l /dev/miscdev', 1],
    ]);
    expect(outcomes[2]!.result.stdout).toBe('Hello from a misc device!\n');
    const at = (s: string) => trace.indexOf(s);
    const order = [
      'The kernel function misc_register runs', 'device_add: /devices/virtual/misc/miscdev joins sysfs (subsystem misc, dev 10:124).',
      'devtmpfs creates /dev/miscdev, a character device 10:124.', 'ACTION=add DEVPATH=/devices/virtual/misc/miscdev SUBSYSTEM=misc MAJOR=10 MINOR=124 DEVNAME=miscdev DEVMODE=0444 SEQNUM=637',
      'ACTION=add DEVPATH=/module/miscdev SUBSYSTEM=module SEQNUM=638', 'devtmpfs removes /dev/miscdev.', 'ACTION=remove DEVPATH=/devices/virtual/misc/miscdev',
      'device_del: /devices/virtual/misc/miscdev leaves sysfs.', 'ACTION=remove DEVPATH=/module/miscdev',
    ].map(at);
    expect(order.every((p, i) => p >= 0 && (i === 0 || p > order[i - 1]!))).toBe(true);
  });

  it('rmmod-busy: kmod refuses in user space, no delete_module until the descriptor is closed', () => {
    const { outcomes, trace } = run('rmmod-busy');
    expect(outcomes.map((o) => [o.step, o.result.status, o.result.stderr.join(), o.result.stdout ?? ''])).toEqual([
      ['insmod hello.ko', 0, '', ''], ['mknod /dev/hello c 246 0', 0, '', ''], ['exec 3</dev/hello', 0, '', ''], ['cat /sys/module/hello/refcnt', 0, '', '2\n'],
      ['rmmod hello', 1, 'rmmod: ERROR: Module hello is in use', ''], ['exec 3<&-', 0, '', ''], ['cat /sys/module/hello/refcnt', 0, '', '0\n'], ['rmmod hello', 0, '', ''],
    ]);
    expect(trace.match(/System call 176 \(delete_module\)/g)).toHaveLength(1);
    expect(trace.indexOf('System call 176')).toBeGreaterThan(trace.indexOf("module_put(hello) in __fput (fops_put): hello's reference count becomes 0."));
  });

  it("rmmod-busy-raw: the kernel's own check answers -EWOULDBLOCK (errno 11) while the file is open", () => {
    const { outcomes, trace } = run('rmmod-busy-raw');
    expect(outcomes.map((o) => [o.step, o.result.status, o.result.stdout ?? ''])).toEqual([
      ['insmod hello.ko', 0, ''], ['mknod /dev/hello c 246 0', 0, ''], ['exec 3</dev/hello', 0, ''],
      ['./delete-module hello', 11, 'delete_module("hello", O_NONBLOCK) = -1, errno 11 EAGAIN (Resource temporarily unavailable)\n'],
      ['exec 3<&-', 0, ''], ['./delete-module hello', 0, 'delete_module("hello", O_NONBLOCK) = 0\n'],
    ]);
    expect(trace).toContain('delete_module fails with -11 (try_stop_module: its reference count is 2, not 0).');
  });
});
