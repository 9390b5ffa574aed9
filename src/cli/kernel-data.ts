// Models: nothing — reads src/sim/data for the command line and the tests, and boots a kernel.
// Simplifies: nothing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kernel } from '../sim/kernel/kernel';
import { kernelBodies } from '../sim/kernel/hle-library';
import { bootKernelWith, type KernelDataFiles } from '../sim/kernel/data';
import { ALL_SUBSYSTEMS } from '../sim/subsystems/all';
import { useEntryCode } from '../sim/kernel/entry';

const read = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../sim/data/${name}`, import.meta.url)), 'utf8'));

let files: KernelDataFiles | undefined;

// The entry code is installed at once, so that code reading it (ENTRY, entrySymbol) works before the first boot.
const entry = read('kernel-entry.json');
useEntryCode(entry);

/** A freshly booted emulated Linux 6.1 with the pinned headers' exports, the real addresses and every subsystem. */
export function bootKernel(): Kernel {
  files ??= { exports: read('vmlinux-exports.json'), release: read('kernel-release.json'), layout: read('layout.json'), addresses: read('kernel-addresses.json'), callSites: read('call-sites.json'), entry, bootDevices: read('boot-devices.json') };
  return bootKernelWith(files, kernelBodies, ALL_SUBSYSTEMS); // every subsystem, loaded at once
}
