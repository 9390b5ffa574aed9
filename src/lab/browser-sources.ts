// The browser's sources for a run: the kernel's data files as lazily loaded chunks (the export
// table is large and only a page with a simulation needs it), the kernel's optional subsystems as
// chunks of their own, loaded when a run first needs one, and the sample files from /samples/.
import type { KernelDataFiles } from '../sim/kernel/data';
import type { SubsystemName, Subsystems } from '../sim/kernel/subsystems';
import type { RunSources } from './run';

let data: Promise<KernelDataFiles> | undefined;

async function loadData(): Promise<KernelDataFiles> {
  const [exports, release, layout, addresses, callSites, entry, bootDevices] = await Promise.all([
    import('../sim/data/vmlinux-exports.json'),
    import('../sim/data/kernel-release.json'),
    import('../sim/data/layout.json'),
    import('../sim/data/kernel-addresses.json'),
    import('../sim/data/call-sites.json'),
    import('../sim/data/kernel-entry.json'),
    import('../sim/data/boot-devices.json'),
  ]);
  return { exports: exports.default, release: release.default, layout: layout.default, addresses: addresses.default, callSites: callSites.default, entry: entry.default, bootDevices: bootDevices.default } as unknown as KernelDataFiles;
}

/** Each subsystem's chunk (src/sim/subsystems/). */
const SUBSYSTEM_CHUNKS: { [N in SubsystemName]: () => Promise<NonNullable<Subsystems[N]>> } = {
  signatures: () => import('../sim/subsystems/signatures').then((m) => m.signatures),
  oops: () => import('../sim/subsystems/oops').then((m) => m.oops),
  kmod: () => import('../sim/subsystems/kmod').then((m) => m.kmod),
  pci: () => import('../sim/subsystems/pci').then((m) => m.pci),
  deviceSteps: () => import('../sim/subsystems/device-steps').then((m) => m.deviceSteps),
  builtin: () => import('../sim/subsystems/builtin').then((m) => m.builtin),
  tools: () => import('../sim/subsystems/tools').then((m) => m.tools),
  loader: () => import('../sim/subsystems/loader').then((m) => m.loader),
  devices: () => import('../sim/subsystems/devices').then((m) => m.devices),
};

export const browserSources: RunSources = {
  subsystem: (name) => SUBSYSTEM_CHUNKS[name](),
  data: () => (data ??= loadData().catch((e) => {
    data = undefined; // let a later try fetch again
    throw e;
  })),
  file: async (path) => {
    if (!/^[A-Za-z0-9._/-]+$/.test(path) || path.includes('..')) throw new Error(`"${path}" is not a sample's path`);
    // A user program has no extension; the site serves it as <name>.elf too (src/pages/samples/).
    const served = path.includes('.') ? path : `${path}.elf`;
    const response = await fetch(`/samples/${served}`);
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  },
};
