// What DeviceBus draws, from a run's events only: the devices on the PCI bus (as bus/device-added
// and bus/device-removed say, or as a driver's table was tried against them), the drivers and what
// their id tables matched, the driver→device pairs bound, the last uevent with its variables, the
// phase of the hot-plug story and the chain of its steps so far. Shared by the widget and its
// build-time picture. A step is the number of events passed: an event at index i is shown from
// step i + 1 on (as in KernelLog).
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';
import type { SimEvent } from '../sim/events';
import { hex64 } from '../sim/cpu/state';

export type BusPhase =
  | 'idle' | 'installed' | 'plugged' | 'uevent' | 'loading' | 'load-failed' | 'registered' | 'matching' | 'matched'
  | 'probing' | 'probed' | 'probe-failed' | 'unbinding' | 'removed' | 'unloading' | 'unregistered' | 'unloaded';

/** A phase in words, for the reader (the data attribute carries the short name). */
export const PHASE_WORDS: Record<BusPhase, string> = {
  idle: 'nothing has happened yet',
  installed: 'modules installed, depmod has written its indexes',
  plugged: 'a device has appeared on the bus',
  uevent: 'the kernel has told user space (uevent)',
  loading: 'a module is being loaded',
  'load-failed': 'the module did not load',
  registered: 'a driver has registered with the bus',
  matching: 'the bus tries the driver’s id table against its devices',
  matched: 'an id table entry matches a device',
  probing: 'the driver’s probe runs',
  probed: 'probe returned 0: the driver is bound',
  'probe-failed': 'probe failed: not bound',
  unbinding: 'the driver’s remove runs',
  removed: 'the device has left the bus',
  unloading: 'the module is being unloaded',
  unregistered: 'the driver has left the bus',
  unloaded: 'the module is unloaded',
};

export interface BusDevice {
  name: string;
  bus: string;
  /** From bus/device-added; absent for a device the run only names (it was on the bus before the run). */
  ids?: { vendor: number; device: number; class: number };
  present: boolean;
  /** The driver bound to it now. */
  driver?: string;
  /** The last match a driver's table was tried for it. */
  match?: { driver: string; matched: boolean };
  /** The last probe's result, once it has returned. */
  probe?: { driver: string; result: number };
}

export interface BusDriver {
  name: string;
  bus: string;
  registered: boolean;
  /** How many entries its id table has (known once the bus has tried it). */
  entries?: number;
  /** The entries that matched a device: where the entry is and what it asks for. */
  matches: { device: string; id: string; entry: string }[];
}

export interface BusUevent {
  step: number;
  action: string;
  devpath: string;
  vars: { name: string; value: string }[];
}

export type ChainKind = 'user' | 'device' | 'uevent' | 'load' | 'driver' | 'match' | 'probe' | 'remove';

export interface ChainItem {
  /** The step to seek to: just after the item's (last) event. */
  step: number;
  kind: ChainKind;
  /** Ring 3 (modelled user space) or ring 0. */
  ring: 0 | 3;
  text: string;
  mark?: 'ok' | 'fail';
}

export interface BusState {
  step: number;
  phase: BusPhase;
  devices: BusDevice[];
  drivers: BusDriver[];
  /** "driver@device" for each bound pair. */
  bound: string[];
  uevent?: BusUevent;
  chain: ChainItem[];
}

/** The picture before hydration: the state at the end of the build's own run (where the widget opens). */
export interface DeviceBusPicture {
  steps: number;
  state: BusState;
}

type Relevant = Extract<
  SimEvent,
  { kind: 'user/modelled' | 'device/uevent' | 'loader/stage-finished' | 'loader/init-called' | 'loader/exit-called' | `bus/${string}` }
>;

export interface TimedEvent {
  step: number;
  e: Relevant;
}

const isRelevant = (e: SimEvent): e is Relevant =>
  e.kind.startsWith('bus/') || e.kind === 'user/modelled' || e.kind === 'device/uevent' || e.kind === 'loader/stage-finished' || e.kind === 'loader/init-called' || e.kind === 'loader/exit-called';

/** The events DeviceBus reads, with their steps: made once per run, so a seek folds only these. */
export function busTimeline(events: readonly SimEvent[]): TimedEvent[] {
  const out: TimedEvent[] = [];
  events.forEach((e, i) => {
    if (isRelevant(e)) out.push({ step: i + 1, e });
  });
  return out;
}

const hex4 = (v: number) => v.toString(16).padStart(4, '0');
export const pciId = (ids: { vendor: number; device: number }) => `${hex4(ids.vendor)}:${hex4(ids.device)}`;
export const pciClass = (c: number) => `0x${c.toString(16).padStart(6, '0')}`;
const lastName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function parseVars(env: string[]): { name: string; value: string }[] {
  return env.map((v) => {
    const at = v.indexOf('=');
    return at < 0 ? { name: v, value: '' } : { name: v.slice(0, at), value: v.slice(at + 1) };
  });
}

/** The state after `step` events of a run (the timeline from busTimeline). */
export function busStateAt(timeline: readonly TimedEvent[], step: number): BusState {
  const devices = new Map<string, BusDevice>();
  const drivers = new Map<string, BusDriver>();
  const chain: ChainItem[] = [];
  let phase: BusPhase = 'idle';
  let uevent: BusUevent | undefined;
  // Consecutive load_module stages, or consecutive non-matches of one driver, make one chain item.
  let group: { kind: 'stages'; first: string; count: number } | { kind: 'misses'; driver: string; entries: number; devices: string[] } | undefined;

  const device = (bus: string, name: string) => {
    let d = devices.get(name);
    if (!d) devices.set(name, (d = { name, bus, present: true }));
    return d;
  };
  const driver = (bus: string, name: string) => {
    let d = drivers.get(name);
    if (!d) drivers.set(name, (d = { name, bus, registered: true, matches: [] }));
    return d;
  };
  const push = (item: ChainItem) => {
    group = undefined;
    chain.push(item);
  };

  for (const { step: at, e } of timeline) {
    if (at > step) break;
    switch (e.kind) {
      case 'user/modelled': {
        push({ step: at, kind: 'user', ring: 3, text: `${e.program}: ${e.text}` });
        // Modelled user space says what it does in words: udev's "Loading module", the kmod
        // library's finit_module(), modprobe -r's delete_module().
        if (e.program === 'depmod' || e.program === 'cp') phase = 'installed';
        else if (/delete_module\(/.test(e.text)) phase = 'unloading';
        else if (/Loading module|init_module\(\)/.test(e.text)) phase = 'loading';
        break;
      }
      case 'bus/device-added': {
        const d = device(e.bus, e.device);
        d.ids = { vendor: e.vendor, device: e.deviceId, class: e.class };
        d.present = true;
        phase = 'plugged';
        push({ step: at, kind: 'device', ring: 0, text: `${e.device} appears on the ${e.bus} bus: ${pciId(d.ids)}, class ${pciClass(e.class)}` });
        break;
      }
      case 'bus/device-removed': {
        const d = device(e.bus, e.device);
        d.present = false;
        d.driver = undefined;
        phase = 'removed';
        push({ step: at, kind: 'device', ring: 0, text: `${e.device} leaves the ${e.bus} bus` });
        break;
      }
      case 'device/uevent': {
        const vars = parseVars(e.env);
        uevent = { step: at, action: e.action, devpath: e.devpath, vars };
        const seq = vars.find((v) => v.name === 'SEQNUM')?.value;
        const d = devices.get(lastName(e.devpath));
        if (d && e.devpath.startsWith('/devices/')) {
          if (e.action === 'add') phase = 'uevent';
          // The kernel announces the unbind once the driver's remove has returned.
          if (e.action === 'unbind') d.driver = undefined;
        }
        push({ step: at, kind: 'uevent', ring: 0, text: `uevent${seq ? ` ${seq}` : ''}: ${e.action} ${e.devpath}` });
        break;
      }
      case 'loader/stage-finished': {
        if (e.stage === 'delete_module') {
          if (e.ok) phase = 'unloaded';
          push({ step: at, kind: 'load', ring: 0, text: e.ok ? `delete_module passes${e.detail ? ` (${e.detail})` : ''}` : `delete_module fails with -${-(e.errno ?? 0)}`, mark: e.ok ? 'ok' : 'fail' });
          break;
        }
        if (!e.ok) {
          phase = 'load-failed';
          push({ step: at, kind: 'load', ring: 0, text: `load_module: ${e.stage} fails with -${-(e.errno ?? 0)}${e.detail ? ` (${e.detail})` : ''}`, mark: 'fail' });
          break;
        }
        phase = 'loading';
        const last = chain[chain.length - 1];
        if (group?.kind === 'stages' && last) {
          group.count++;
          last.step = at;
          last.text = `load_module: ${group.count} stages pass, ${group.first} to ${e.stage}`;
        } else {
          push({ step: at, kind: 'load', ring: 0, text: `load_module: ${e.stage} passes${e.detail ? ` (${e.detail})` : ''}`, mark: 'ok' });
          group = { kind: 'stages', first: e.stage, count: 1 };
        }
        break;
      }
      case 'loader/init-called':
        phase = 'loading';
        push({ step: at, kind: 'load', ring: 0, text: `do_init_module calls ${e.module}'s init at ${hex64(e.address)}` });
        break;
      case 'loader/exit-called':
        phase = 'unloading';
        push({ step: at, kind: 'load', ring: 0, text: `delete_module calls ${e.module}'s exit at ${hex64(e.address)}` });
        break;
      case 'bus/driver-registered': {
        const d = driver(e.bus, e.name);
        d.registered = true;
        phase = 'registered';
        push({ step: at, kind: 'driver', ring: 0, text: `${e.name} registers with the ${e.bus} bus` });
        break;
      }
      case 'bus/driver-unregistered': {
        const d = driver(e.bus, e.name);
        d.registered = false;
        for (const dev of devices.values()) if (dev.driver === e.name) dev.driver = undefined;
        phase = 'unregistered';
        push({ step: at, kind: 'driver', ring: 0, text: `${e.name} leaves the ${e.bus} bus` });
        break;
      }
      case 'bus/matched': {
        const dev = device(e.bus, e.device);
        const drv = driver(e.bus, e.driver);
        drv.entries = e.entries;
        dev.match = { driver: e.driver, matched: e.entry !== undefined };
        if (e.entry !== undefined && e.id) {
          const id = hex64(e.id);
          if (!drv.matches.some((m) => m.device === e.device && m.id === id)) drv.matches.push({ device: e.device, id, entry: e.entry });
          phase = 'matched';
          push({ step: at, kind: 'match', ring: 0, text: `${e.driver}'s id table entry at ${id} matches ${e.device} (${e.entry})`, mark: 'ok' });
          break;
        }
        phase = 'matching';
        const last = chain[chain.length - 1];
        if (group?.kind === 'misses' && group.driver === e.driver && last) {
          group.devices.push(e.device);
          last.step = at;
          last.text = missText(group);
        } else {
          const g = { kind: 'misses' as const, driver: e.driver, entries: e.entries, devices: [e.device] };
          push({ step: at, kind: 'match', ring: 0, text: missText(g) });
          group = g;
        }
        break;
      }
      case 'bus/probe-called':
        device(e.bus, e.device);
        phase = 'probing';
        push({ step: at, kind: 'probe', ring: 0, text: `The driver core calls ${e.driver}'s probe at ${hex64(e.address)} for ${e.device}` });
        break;
      case 'bus/probed': {
        const dev = device(e.bus, e.device);
        dev.probe = { driver: e.driver, result: e.result };
        if (e.result === 0) dev.driver = e.driver;
        phase = e.result === 0 ? 'probed' : 'probe-failed';
        push({ step: at, kind: 'probe', ring: 0, text: e.result === 0 ? `${e.driver} is bound to ${e.device}` : `${e.driver}'s probe of ${e.device} returns ${e.result}: not bound`, mark: e.result === 0 ? 'ok' : 'fail' });
        break;
      }
      case 'bus/remove-called':
        device(e.bus, e.device);
        phase = 'unbinding';
        push({ step: at, kind: 'remove', ring: 0, text: `The driver core calls ${e.driver}'s remove at ${hex64(e.address)} for ${e.device}` });
        break;
    }
  }
  const list = [...devices.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const bound = list.filter((d) => d.driver && d.present).map((d) => `${d.driver}@${d.name}`);
  return { step, phase, devices: list, drivers: [...drivers.values()], bound, uevent, chain };
}

function missText(g: { driver: string; entries: number; devices: string[] }): string {
  return `No entry of ${g.driver}'s id table (${plural(g.entries, 'entry', 'entries')}) matches ${g.devices.join(', ')}`;
}

/** The picture before hydration: the whole run (the widget opens at its end). */
export const deviceBusPicture = (events: readonly SimEvent[], at = events.length): DeviceBusPicture => ({ steps: at, state: busStateAt(busTimeline(events), at) });

/** A print strip's states: the uevent, the match and the probe's result (or what the run has of them). */
export function deviceBusKeySteps(events: readonly SimEvent[]): number[] {
  const chain = busStateAt(busTimeline(events), events.length).chain;
  const first = (kind: ChainKind) => chain.find((c) => c.kind === kind)?.step;
  const steps = (['uevent', 'match', 'probe'] as const).map(first).filter((s): s is number => s !== undefined);
  return pickSteps(steps.length ? steps : [events.length], STRIP_FRAMES);
}
