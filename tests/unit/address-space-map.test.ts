// AddressSpace's derivation on real runs: the pages it rebuilds from the events alone (the walk at
// the start, then every map, unmap and protect the kernel model wrote) equal a real walk of the
// emulated page tables at the run's end; module sections sit in the pages module_alloc mapped,
// with the rights module_enable_ro/nx gave them; a user read of kernel text is a #PF in the kernel
// text region with U/S=1 and P=1; and the region boundaries are the pinned headers' values.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runScenario, type ScenarioRun } from '../../src/lab/run';
import { nodeData, nodeSubsystems, nodeSources } from '../../src/lab/node-sources';
import { bootKernelWith } from '../../src/sim/kernel/data';
import { kernelBodies } from '../../src/sim/kernel/hle-library';
import { LOADER_SCENARIOS, runLoaderScenario, scenarioParams } from '../../src/sim/scenarios/loader';
import { scanMappings } from '../../src/sim/mem/page-table-scan';
import { addressSpaceAt, addressSpaceKeySteps, addressSpaceModel, addressSpacePicture, hexAddress, pagesAt, runsOf } from '../../src/components/address-space-map';
import { ADDRESS_REGIONS, CPU_ENTRY_AREA_BASE, FIXADDR_TOP, START_KERNEL_MAP, VMEMMAP_START, VSYSCALL_ADDR, VMALLOC_END, regionOf } from '../../src/sim/kernel/address-map';
import { DIRECT_MAP, MODULES_END, MODULES_VADDR, VMALLOC_START } from '../../src/sim/kernel/layout';

async function run(id: string): Promise<ScenarioRun> {
  const r = await runScenario(id, {}, nodeSources);
  if (!r.ok) throw new Error(r.error);
  return r.run;
}

/** Runs a scenario keeping the kernel, to walk its page tables at the end. */
async function runWithKernel(id: string) {
  const data = await nodeData();
  const scenario = LOADER_SCENARIOS.find((s) => s.id === id)!;
  const params = scenarioParams(scenario, {});
  if ('error' in params) throw new Error(params.error);
  const k = bootKernelWith(data, kernelBodies, nodeSubsystems);
  k.m.trace = true;
  const files = new Map<string, Uint8Array>();
  const file = (path: string) => files.get(path) ?? (files.set(path, new Uint8Array(readFileSync(`public/samples/${path}`))), files.get(path)!);
  runLoaderScenario(k, scenario, params, file);
  return { k, events: k.m.log };
}

describe('the pages rebuilt from events equal a walk of the real page tables', () => {
  for (const id of ['hello-read', 'user-reads-kernel-pf', 'builtin-boot', 'hello-load', 'rmmod-busy']) {
    it(`at the end of ${id}`, async () => {
      const { k, events } = await runWithKernel(id);
      const fromEvents = runsOf(pagesAt(addressSpaceModel(events), events.length));
      const walked = scanMappings(k.m.mem, k.tables.root);
      expect(fromEvents).toEqual(walked);
      expect(walked.length).toBeGreaterThan(3);
    });
  }
});

describe('hello-read', async () => {
  const r = await run('hello-read');
  const model = addressSpaceModel(r.events);

  it('starts from a walk of the tables: supervisor pages only, none in the user half, none in the module area', () => {
    const start = addressSpaceAt(model, 1);
    expect(start.pages.all).toBeGreaterThan(10);
    expect(start.pages.user).toBe(0);
    expect(start.pages.module).toBe(0);
    expect(start.regions.find((x) => x.id === 'kernel-text')!.pages).toBeGreaterThan(0);
    expect(start.regions.find((x) => x.id === 'vmalloc')!.pages).toBeGreaterThan(0); // the kernel stack
  });

  it('places hello’s sections in the module area, text read-only and executable, data writable and NX', () => {
    const placed = model.placements.find((p) => p.module === 'hello')!;
    const protectedAt = model.changes.filter((c) => c.op === 'protect').at(-1)!.step;
    const pic = addressSpaceAt(model, protectedAt);
    const hello = pic.modules.find((m) => m.name === 'hello')!;
    expect(hello.sections.length).toBe(placed.sections.length);
    const text = hello.sections.find((s) => s.name === '.text')!;
    expect(regionOf(BigInt(text.address)).id).toBe('modules');
    expect(text.rights).toEqual({ user: false, writable: false, executable: true });
    expect(hello.sections.find((s) => s.name === '.data')!.rights).toEqual({ user: false, writable: true, executable: false });
    expect(hello.sections.find((s) => s.name === '.rodata')!.rights).toEqual({ user: false, writable: false, executable: false });
    expect(pic.pages.module).toBeGreaterThan(0);
  });

  it('after do_init_module the init sections are no longer mapped, and after rmmod the module is gone', () => {
    const end = addressSpacePicture(r.events);
    expect(end.modules.find((m) => m.name === 'hello')).toBeUndefined();
    expect(end.pages.module).toBe(0);
    const freed = model.changes.find((c) => c.op === 'unmap' && c.start >= MODULES_VADDR)!.step;
    const hello = addressSpaceAt(model, freed).modules.find((m) => m.name === 'hello')!;
    expect(hello.sections.filter((s) => s.init).every((s) => s.rights === undefined)).toBe(true);
    expect(hello.sections.filter((s) => !s.init).every((s) => s.rights !== undefined)).toBe(true);
  });

  it('user pages appear as the programs run, each marked U/S=1', () => {
    const steps = model.changes.filter((c) => c.rights.user && c.op === 'map').map((c) => c.step);
    expect(steps.length).toBeGreaterThan(0);
    const pic = addressSpaceAt(model, steps[0]!);
    const user = pic.regions.find((x) => x.id === 'user')!;
    expect(user.pages).toBeGreaterThan(0);
    expect(user.runs.every((x) => x.user)).toBe(true);
    expect(pic.regions.filter((x) => x.kind !== 'user').every((x) => x.runs.every((y) => !y.user))).toBe(true);
  });

  it('its key steps include the start and the end, in order', () => {
    const steps = addressSpaceKeySteps(r.events);
    expect(steps[0]).toBe(model.changes[0]!.step);
    expect(steps.at(-1)).toBe(r.events.length);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });
});

describe('user-reads-kernel-pf', async () => {
  const r = await run('user-reads-kernel-pf');
  it('marks the read of kernel text as a #PF in the kernel text region: present, user mode, a read', () => {
    const i = r.events.findIndex((e) => e.kind === 'cpu/faulted' && e.vector === 14 && e.errorCode === 5);
    expect(i).toBeGreaterThan(0);
    const pic = addressSpacePicture(r.events, i + 1);
    expect(pic.fault!.region).toBe('kernel-text');
    expect(pic.fault!.errorCode).toBe(5);
    expect(pic.fault!.bits).toContain('U/S=1: from user mode (ring 3)');
    expect(pic.fault!.bits).toContain('P=1: the page is present (a protection violation)');
    expect(pic.fault!.reason).toMatch(/supervisor page/);
    // The page is mapped, supervisor only, in the tables at that step.
    const page = BigInt(pic.fault!.address) & ~0xfffn;
    const run = pic.regions.find((x) => x.id === 'kernel-text')!.runs.find((x) => BigInt(x.start) <= page && page < BigInt(x.start) + BigInt(x.pages) * 4096n)!;
    expect(run.user).toBe(false);
    expect(addressSpaceKeySteps(r.events)).toContain(i + 1);
  });
});

describe('the region boundaries', () => {
  it('cover the 64-bit space in order, without overlaps', () => {
    expect(ADDRESS_REGIONS[0]!.start).toBe(0n);
    expect(ADDRESS_REGIONS.at(-1)!.end).toBe(1n << 64n);
    ADDRESS_REGIONS.slice(1).forEach((r, i) => expect(r.start).toBe(ADDRESS_REGIONS[i]!.end));
    expect(hexAddress(MODULES_VADDR)).toBe('0xffffffffc0000000');
  });

  const H = '/usr/src/linux-headers-6.1.0-56-common/arch/x86/include';
  it('are the pinned 6.1 headers’ values (4-level paging, nokaslr defaults)', () => {
    const page64 = readFileSync(`${H}/asm/page_64_types.h`, 'utf8');
    const pgtable = readFileSync(`${H}/asm/pgtable_64_types.h`, 'utf8');
    const vsyscall = readFileSync(`${H}/uapi/asm/vsyscall.h`, 'utf8');
    const def = (text: string, name: string) => text.match(new RegExp(`#\\s*define\\s+${name}\\s+(.*)`))![1]!.trim();
    const hex = (s: string) => BigInt(s.match(/0x[0-9a-f]+/i)![0]);
    expect(hex(def(page64, '__PAGE_OFFSET_BASE_L4'))).toBe(DIRECT_MAP);
    expect(hex(def(page64, '__START_KERNEL_map'))).toBe(START_KERNEL_MAP);
    expect(hex(def(pgtable, '__VMALLOC_BASE_L4'))).toBe(VMALLOC_START);
    expect(hex(def(pgtable, '__VMEMMAP_BASE_L4'))).toBe(VMEMMAP_START);
    expect(hex(def(pgtable, 'MODULES_END'))).toBe(MODULES_END);
    expect(BigInt(def(pgtable, 'VMALLOC_SIZE_TB_L4').replace('UL', '')) << 40n).toBe(VMALLOC_END - VMALLOC_START);
    // CPU_ENTRY_AREA_PGD << P4D_SHIFT, with a negative PGD index.
    const cea = BigInt(def(pgtable, 'CPU_ENTRY_AREA_PGD').match(/-?\d+/)![0]);
    expect(BigInt.asUintN(64, cea << BigInt(def(pgtable, 'P4D_SHIFT')))).toBe(CPU_ENTRY_AREA_BASE);
    const vs = BigInt(def(vsyscall, 'VSYSCALL_ADDR').match(/-?\d+/)![0]);
    expect(BigInt.asUintN(64, vs << 20n)).toBe(VSYSCALL_ADDR);
    const pmd = 1n << 21n;
    expect(((VSYSCALL_ADDR + 4096n + pmd - 1n) / pmd) * pmd - 4096n).toBe(FIXADDR_TOP);
    // CONFIG_RANDOMIZE_BASE=y in Debian's config: KERNEL_IMAGE_SIZE is 1 GiB, so modules start 1 GiB above the text mapping.
    expect(readFileSync('/boot/config-6.1.0-56-amd64', 'utf8')).toContain('CONFIG_RANDOMIZE_BASE=y');
    expect(MODULES_VADDR - START_KERNEL_MAP).toBe(1n << 30n);
  });
});
