// The browser's sources for a run: the kernel's data files as lazily loaded chunks (the export
// table is large and only a page with a simulation needs it) and the sample files from /samples/.
import type { KernelDataFiles } from '../sim/kernel/data';
import type { RunSources } from './run';

let data: Promise<KernelDataFiles> | undefined;

async function loadData(): Promise<KernelDataFiles> {
  const [exports, release, layout, addresses, callSites] = await Promise.all([
    import('../sim/data/vmlinux-exports.json'),
    import('../sim/data/kernel-release.json'),
    import('../sim/data/layout.json'),
    import('../sim/data/kernel-addresses.json'),
    import('../sim/data/call-sites.json'),
  ]);
  return { exports: exports.default, release: release.default, layout: layout.default, addresses: addresses.default, callSites: callSites.default } as unknown as KernelDataFiles;
}

export const browserSources: RunSources = {
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
