// Models: nothing — turns the generated data files of src/sim/data (made from the pinned headers
// and the real kernel's transcripts) into the options a Kernel boots with. Pure: the caller reads
// the files (Node in the CLI and tests, fetch in the browser).
// Simplifies: nothing.
import type { ExportEntry } from './exports';
import { Kernel, type KernelOptions, type StructLayouts } from './kernel';
import type { Bodies } from './hle-library';
import type { CallSiteData } from './oops-trace';
import type { Subsystems } from './subsystems';
import type { EntryData } from './entry';
import type { BootDevicesData } from './boot-devices';

export interface KernelDataFiles {
  /** vmlinux-exports.json */
  exports: { exports: [string, string, number, string][] };
  /** kernel-release.json */
  release: { vermagic: string; release?: string; version?: string };
  /** layout.json */
  layout: StructLayouts;
  /** kernel-addresses.json */
  addresses?: { symbols: Record<string, { address: string }> };
  /** call-sites.json */
  callSites?: CallSiteData;
  /** kernel-entry.json */
  entry: EntryData;
  /** boot-devices.json */
  bootDevices: BootDevicesData;
}

export function kernelOptions(files: KernelDataFiles, bodies: Bodies): KernelOptions {
  const exports: ExportEntry[] = files.exports.exports.map(([name, crc, flags, namespace]) => ({ name, crc: parseInt(crc, 16), gpl: (flags & 1) === 1, namespace }));
  const addresses = Object.fromEntries(Object.entries(files.addresses?.symbols ?? {}).map(([name, s]) => [name, BigInt('0x' + s.address)]));
  const { release, version } = files.release;
  const uts = release !== undefined && version !== undefined ? { uts: { release, version } } : {};
  return { exports, bodies, entry: files.entry, bootDevices: files.bootDevices, vermagic: files.release.vermagic, layout: files.layout, addresses, ...(files.callSites ? { callSites: files.callSites } : {}), ...uts };
}

/**
 * A freshly booted emulated Linux 6.1 from the data files, whoever read them (Node or a browser),
 * with the optional subsystems the caller hands in (subsystems.ts).
 */
export function bootKernelWith(files: KernelDataFiles, bodies: (k: () => Kernel) => Bodies, subsystems: Subsystems = {}): Kernel {
  let k: Kernel;
  k = new Kernel({ ...kernelOptions(files, bodies(() => k)), subsystems });
  return k;
}
