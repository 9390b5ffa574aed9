// The build's sources for a run (Node): the same data files and samples, read from the repository,
// so each widget's picture before hydration is the emulator's own run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KernelDataFiles } from '../sim/kernel/data';
import type { RunSources } from './run';
import { ALL_SUBSYSTEMS } from '../sim/subsystems/all';

// From the repository's root, where npm runs the build and the tests (a bundled build has no
// stable import.meta.url to go by).
const json = (name: string) => JSON.parse(readFileSync(join(process.cwd(), 'src/sim/data', name), 'utf8'));

export function nodeData(): KernelDataFiles {
  return { exports: json('vmlinux-exports.json'), release: json('kernel-release.json'), layout: json('layout.json'), addresses: json('kernel-addresses.json'), callSites: json('call-sites.json'), entry: json('kernel-entry.json'), bootDevices: json('boot-devices.json') };
}

export const nodeFile = (path: string) => new Uint8Array(readFileSync(join(process.cwd(), 'public/samples', path)));

/** Every optional subsystem of the kernel, loaded at once (Node has no chunks to save). */
export const nodeSubsystems = ALL_SUBSYSTEMS;

export const nodeSources: RunSources = { data: async () => nodeData(), file: async (path) => nodeFile(path), subsystem: async (name) => ALL_SUBSYSTEMS[name] };
