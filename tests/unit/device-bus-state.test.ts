// DeviceBus's derivation on a real run of pci-hotplug-autoload: every state it draws comes from the
// run's events, and what it shows agrees with the real kernel's transcripts under QEMU.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runScenario } from '../../src/lab/run';
import { nodeSources } from '../../src/lab/node-sources';
import type { SimEvent } from '../../src/sim/events';
import { busStateAt, busTimeline, deviceBusPicture, pciClass, pciId, type TimedEvent } from '../../src/components/device-bus-state';

let events: readonly SimEvent[];
let timeline: TimedEvent[];
/** The step just after the first event that satisfies `test` (the step that shows it). */
const stepOf = (test: (e: SimEvent) => boolean, from = 0) => events.findIndex((e, i) => i >= from && test(e)) + 1;
const real = (name: string) => readFileSync(`tests/fixtures/real-kernel/${name}.txt`, 'utf8');

beforeAll(async () => {
  const r = await runScenario('pci-hotplug-autoload', {}, nodeSources);
  if (!r.ok) throw new Error(r.error);
  events = r.run.events;
  timeline = busTimeline(events);
});

describe('DeviceBus state from a run of pci-hotplug-autoload', () => {
  it('starts empty and idle', () => {
    const s = busStateAt(timeline, 0);
    expect(s).toMatchObject({ phase: 'idle', devices: [], drivers: [], bound: [], chain: [] });
    expect(s.uevent).toBeUndefined();
  });

  it('shows the plugged card with the ids and class the real kernel showed in sysfs', () => {
    const plugged = stepOf((e) => e.kind === 'bus/device-added');
    expect(busStateAt(timeline, plugged - 1).devices).toEqual([]);
    const s = busStateAt(timeline, plugged);
    expect(s.phase).toBe('plugged');
    expect(s.devices).toHaveLength(1);
    const d = s.devices[0]!;
    const line = real('pci-hotplug-devices').split('\n').find((l) => l.startsWith(`${d.name} `))!;
    expect(line).toContain(`vendor=0x${pciId(d.ids!).split(':')[0]} device=0x${pciId(d.ids!).split(':')[1]}`);
    expect(line).toContain(`class=${pciClass(d.ids!.class)}`);
    expect(s.chain.at(-1)).toMatchObject({ step: plugged, kind: 'device', text: '0000:00:04.0 appears on the pci bus: 1b36:0005, class 0x00ff00' });
  });

  it('shows the add uevent with the variables the real kernel sent, MODALIAS among them', () => {
    const at = stepOf((e) => e.kind === 'device/uevent' && e.action === 'add');
    const s = busStateAt(timeline, at);
    expect(s.phase).toBe('uevent');
    const vars = s.uevent!.vars.filter((v) => v.name !== 'SEQNUM').map((v) => `${v.name}=${v.value}`);
    // The real run's add uevent for the card (its SEQNUM differs: the real machine had sent more).
    const block = real('pci-hotplug-plug').split('--- uevent ---').find((b) => b.includes('ACTION=add\nDEVPATH=/devices/pci0000:00/0000:00:04.0'))!;
    expect(vars).toEqual(block.trim().split('\n').filter((l) => /^[A-Z_]+=/.test(l) && !l.startsWith('SEQNUM=')));
    expect(s.uevent!.vars.find((v) => v.name === 'MODALIAS')!.value).toBe('pci:v00001B36d00000005sv00001AF4sd00001100bc00scFFi00');
  });

  it('goes through udev’s lookup and the module load before the driver registers', () => {
    const lookup = stepOf((e) => e.kind === 'user/modelled' && e.text.includes('Loading module'));
    expect(busStateAt(timeline, lookup).phase).toBe('loading');
    const registered = stepOf((e) => e.kind === 'bus/driver-registered');
    const before = busStateAt(timeline, registered - 1);
    expect(before.drivers).toEqual([]);
    const stages = before.chain.filter((c) => c.kind === 'load' && c.text.includes('stages pass'));
    expect(stages).toHaveLength(1);
    const count = events.slice(0, registered).filter((e) => e.kind === 'loader/stage-finished').length;
    expect(stages[0]!.text).toBe(`load_module: ${count} stages pass, module_sig_check to parse_args`);
    const s = busStateAt(timeline, registered);
    expect(s.phase).toBe('registered');
    expect(s.drivers).toEqual([{ name: 'pcidrv', bus: 'pci', registered: true, matches: [] }]);
  });

  it('tries the table against every device on the bus, matches the card’s entry and binds after probe', () => {
    const matched = stepOf((e) => e.kind === 'bus/matched' && e.entry !== undefined);
    const s = busStateAt(timeline, matched);
    expect(s.phase).toBe('matched');
    // The devices the table was tried against are the real machine's, as its sysfs listed them.
    const realNames = [...real('pci-hotplug-devices').matchAll(/^(0000:00:\S+) vendor=/gm)].map((m) => m[1]);
    expect(s.devices.map((d) => d.name)).toEqual(realNames);
    expect(s.devices.filter((d) => d.match?.matched === false).map((d) => d.name)).toEqual(realNames.filter((n) => n !== '0000:00:04.0'));
    expect(s.drivers[0]).toMatchObject({ entries: 1, matches: [{ device: '0000:00:04.0', entry: 'vendor 0x1b36 device 0x0005 subvendor PCI_ANY_ID subdevice PCI_ANY_ID class 0x000000/0x000000' }] });
    const misses = s.chain.filter((c) => c.text.startsWith('No entry of'));
    expect(misses).toHaveLength(1);
    expect(misses[0]!.text).toBe(`No entry of pcidrv's id table (1 entry) matches ${realNames.slice(0, -1).join(', ')}`);
    expect(s.bound).toEqual([]);

    const probing = stepOf((e) => e.kind === 'bus/probe-called');
    expect(busStateAt(timeline, probing)).toMatchObject({ phase: 'probing', bound: [] });
    const probed = stepOf((e) => e.kind === 'bus/probed');
    const p = busStateAt(timeline, probed);
    expect(p).toMatchObject({ phase: 'probed', bound: ['pcidrv@0000:00:04.0'] });
    expect(p.chain.at(-1)).toMatchObject({ step: probed, text: 'pcidrv is bound to 0000:00:04.0', mark: 'ok' });
    // Between probe-called and probed the driver's own probe ran: it printed the real kernel's line.
    const printed = events.slice(probing, probed).flatMap((e) => (e.kind === 'kernel/printk' ? [e.text] : []));
    expect(printed).toHaveLength(1);
    expect(real('pci-hotplug-plug')).toContain(`] ${printed[0]}\n`);
  });

  it('stays bound until the kernel announces the unbind, then the card leaves and the driver goes', () => {
    const remove = stepOf((e) => e.kind === 'bus/remove-called');
    expect(busStateAt(timeline, remove)).toMatchObject({ phase: 'unbinding', bound: ['pcidrv@0000:00:04.0'] });
    const unbind = stepOf((e) => e.kind === 'device/uevent' && e.action === 'unbind');
    expect(busStateAt(timeline, unbind).bound).toEqual([]);
    const removed = stepOf((e) => e.kind === 'bus/device-removed');
    const s = busStateAt(timeline, removed);
    expect(s.phase).toBe('removed');
    expect(s.devices.find((d) => d.name === '0000:00:04.0')).toMatchObject({ present: false });
    expect(s.devices.filter((d) => d.present)).toHaveLength(6);
    const end = busStateAt(timeline, events.length);
    expect(end).toMatchObject({ phase: 'unloaded', bound: [] });
    expect(end.drivers[0]).toMatchObject({ name: 'pcidrv', registered: false });
  });

  it('lists each chain step once, in order, every one seeking to an event the run emitted', () => {
    const { chain } = busStateAt(timeline, events.length);
    const steps = chain.map((c) => c.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length);
    for (const c of chain) expect(events[c.step - 1]!.kind).toMatch(/^(bus|device|user|loader)\//);
    // Every uevent and every modelled user-space step is one item.
    expect(chain.filter((c) => c.kind === 'uevent')).toHaveLength(events.filter((e) => e.kind === 'device/uevent').length);
    expect(chain.filter((c) => c.ring === 3)).toHaveLength(events.filter((e) => e.kind === 'user/modelled').length);
    // A state part-way shows only the chain so far.
    const mid = Math.floor(events.length / 2);
    expect(busStateAt(timeline, mid).chain.every((c) => c.step <= mid)).toBe(true);
  });

  it('makes the build’s picture from the end of the run, as the live widget opens', () => {
    const pic = deviceBusPicture(events);
    expect(pic.steps).toBe(events.length);
    expect(JSON.parse(JSON.stringify(pic.state))).toEqual(busStateAt(timeline, events.length));
  });
});
