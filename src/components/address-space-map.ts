// What AddressSpace shows, from a run's events alone: the pages the emulated page tables map at a
// step — the walk of the tables when the run starts (mmu/tables-read) and then every change the
// kernel model wrote into them (mmu/pages-mapped: map, unmap, protect) — sorted into the regions
// of Linux 6.1's x86-64 address space (src/sim/kernel/address-map.ts); the sections each module's
// move_module placed (loader/sections-placed), with the rights of the page each one sits in; and
// the last page fault (cpu/faulted, vector 14) with the region of its address and the error
// code's bits in words. Shared by the widget and its build-time picture; addresses are hex
// strings so a picture can be passed as props.
import type { SimEvent } from '../sim/events';
import type { U64 } from '../sim/cpu/state';
import { ADDRESS_REGIONS, regionOf, type RegionKind } from '../sim/kernel/address-map';
import { pickSteps, STRIP_FRAMES } from '../lab/key-steps';

export interface Rights {
  user: boolean;
  writable: boolean;
  executable: boolean;
}

export interface PageRun extends Rights {
  start: string;
  pages: number;
}

export interface RegionView {
  id: string;
  name: string;
  kind: RegionKind;
  start: string;
  /** The last byte. */
  last: string;
  size: string;
  /** log2 of the size in bytes: the bar's length on the log-scale axis. */
  log2: number;
  pages: number;
  runs: PageRun[];
}

export interface SectionView {
  name: string;
  address: string;
  size: number;
  init: boolean;
  /** The rights of the page the section starts in, or undefined when that page is not mapped (freed). */
  rights?: Rights;
}

export interface ModuleView {
  name: string;
  step: number;
  sections: SectionView[];
}

export interface FaultView {
  step: number;
  address: string;
  region: string;
  regionName: string;
  errorCode: number;
  /** The error code's bits in words (P, W/R, U/S, I/D). */
  bits: string[];
  reason: string;
}

export interface AddressSpacePicture {
  steps: number;
  regions: RegionView[];
  modules: ModuleView[];
  fault?: FaultView;
  pages: { all: number; user: number; module: number };
}

type Change = { step: number; op: 'map' | 'unmap' | 'protect'; start: bigint; pages: number; rights: Rights };

/** A run's events, sorted once: the widget searches this per step. */
export interface AddressSpaceModel {
  steps: number;
  changes: Change[];
  placements: { step: number; module: string; sections: { name: string; address: bigint; size: number; init: boolean }[] }[];
  faults: { step: number; address: bigint; errorCode: number; reason: string }[];
}

const big = (v: U64) => (BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0);
export const hexAddress = (v: bigint) => '0x' + v.toString(16).padStart(16, '0');

export function addressSpaceModel(events: readonly SimEvent[]): AddressSpaceModel {
  const model: AddressSpaceModel = { steps: events.length, changes: [], placements: [], faults: [] };
  events.forEach((e, i) => {
    const step = i + 1; // the step that passes the event
    if (e.kind === 'mmu/tables-read') {
      for (const r of e.ranges) model.changes.push({ step, op: 'map', start: big(r.start), pages: r.pages, rights: { user: r.user, writable: r.writable, executable: r.executable } });
    } else if (e.kind === 'mmu/pages-mapped') {
      model.changes.push({ step, op: e.op, start: big(e.start), pages: e.pages, rights: { user: e.user, writable: e.writable, executable: e.executable } });
    } else if (e.kind === 'loader/sections-placed') {
      model.placements.push({ step, module: e.module, sections: e.sections.map((s) => ({ name: s.name, address: big(s.address), size: s.size, init: s.init })) });
    } else if (e.kind === 'cpu/faulted' && e.vector === 14 && e.cr2) {
      model.faults.push({ step, address: big(e.cr2), errorCode: e.errorCode ?? 0, reason: e.reason });
    }
  });
  return model;
}

/** The mapped pages after `at` steps: page address → rights. */
export function pagesAt(model: AddressSpaceModel, at: number): Map<bigint, Rights> {
  const pages = new Map<bigint, Rights>();
  for (const c of model.changes) {
    if (c.step > at) break;
    for (let i = 0; i < c.pages; i++) {
      const page = c.start + BigInt(i) * 4096n;
      if (c.op === 'map') pages.set(page, c.rights);
      else if (c.op === 'unmap') pages.delete(page);
      else if (pages.has(page)) pages.set(page, { ...c.rights, user: pages.get(page)!.user }); // protect keeps U/S
    }
  }
  return pages;
}

/** Ascending runs of consecutive pages with the same rights. */
export function runsOf(pages: Map<bigint, Rights>): (Rights & { start: bigint; pages: number })[] {
  const out: (Rights & { start: bigint; pages: number })[] = [];
  for (const page of [...pages.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const r = pages.get(page)!;
    const last = out[out.length - 1];
    if (last && last.start + BigInt(last.pages) * 4096n === page && same(last, r)) last.pages++;
    else out.push({ start: page, pages: 1, ...r });
  }
  return out;
}

const same = (a: Rights, b: Rights) => a.user === b.user && a.writable === b.writable && a.executable === b.executable;

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
/** "128 TiB", or "≈16.0 EiB" when the size is not a whole number of its unit. */
export function sizeText(bytes: bigint): string {
  let u = 0;
  while (u < UNITS.length - 1 && bytes >= 1024n ** BigInt(u + 1)) u++;
  const unit = 1024n ** BigInt(u);
  return bytes % unit === 0n ? `${bytes / unit} ${UNITS[u]}` : `≈${(Number(bytes) / Number(unit)).toFixed(1)} ${UNITS[u]}`;
}

const log2 = (v: bigint) => v.toString(2).length - 1 + (v & (v - 1n) ? Math.log2(Number(v) / 2 ** (v.toString(2).length - 1)) : 0);

/** The error code's bits (SDM §4.7) in words. */
export function faultBits(code: number): string[] {
  return [
    code & 1 ? 'P=1: the page is present (a protection violation)' : 'P=0: the page is not present',
    code & 2 ? 'W/R=1: a write' : 'W/R=0: a read',
    code & 4 ? 'U/S=1: from user mode (ring 3)' : 'U/S=0: from kernel mode (ring 0)',
    ...(code & 16 ? ['I/D=1: an instruction fetch'] : []),
  ];
}

export function addressSpaceAt(model: AddressSpaceModel, at: number): AddressSpacePicture {
  const pages = pagesAt(model, at);
  const runs = runsOf(pages);
  const regions: RegionView[] = ADDRESS_REGIONS.map((r) => {
    const inside = runs.filter((x) => x.start >= r.start && x.start < r.end);
    return {
      id: r.id, name: r.name, kind: r.kind, start: hexAddress(r.start), last: hexAddress(r.end - 1n), size: sizeText(r.end - r.start), log2: log2(r.end - r.start),
      pages: inside.reduce((n, x) => n + x.pages, 0),
      runs: inside.map((x) => ({ start: hexAddress(x.start), pages: x.pages, user: x.user, writable: x.writable, executable: x.executable })),
    };
  });
  const latest = new Map<string, AddressSpaceModel['placements'][number]>();
  for (const p of model.placements) if (p.step <= at) latest.set(p.module, p);
  const modules: ModuleView[] = [...latest.values()]
    .map((p) => ({
      name: p.module, step: p.step,
      sections: p.sections.map((s) => {
        const rights = pages.get(s.address - (s.address % 4096n));
        return { name: s.name, address: hexAddress(s.address), size: s.size, init: s.init, ...(rights ? { rights } : {}) };
      }).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
    }))
    .filter((m) => m.sections.some((s) => s.rights)); // an unloaded module's pages are all unmapped
  const f = model.faults.findLast((x) => x.step <= at);
  const fault = f && (() => {
    const r = regionOf(f.address);
    return { step: f.step, address: hexAddress(f.address), region: r.id, regionName: r.name, errorCode: f.errorCode, bits: faultBits(f.errorCode), reason: f.reason };
  })();
  const count = (kind: RegionKind) => regions.filter((r) => r.kind === kind).reduce((n, r) => n + r.pages, 0);
  return { steps: at, regions, modules, ...(fault ? { fault } : {}), pages: { all: pages.size, user: count('user'), module: count('module') } };
}

/** The picture at a step (by default the run's end, where the widget opens). */
export const addressSpacePicture = (events: readonly SimEvent[], at = events.length): AddressSpacePicture => addressSpaceAt(addressSpaceModel(events), at);

/** A print strip's states: the tables at the start, a module's sections placed and protected, a user access refused by U/S, the end. */
export function addressSpaceKeySteps(events: readonly SimEvent[]): number[] {
  const m = addressSpaceModel(events);
  const placed = m.placements[0]?.step;
  const protectedAt = placed === undefined ? undefined : m.changes.find((c) => c.step > placed && c.op === 'protect')?.step;
  const userFault = m.faults.find((f) => f.errorCode & 1 && f.errorCode & 4); // ring 3 touching a present supervisor page
  const steps = [m.changes[0]?.step, protectedAt ?? placed, userFault?.step, events.length].filter((s): s is number => s !== undefined);
  return pickSteps(steps, STRIP_FRAMES);
}
