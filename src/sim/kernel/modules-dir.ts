// Models: the directory kmod's tools work in, /lib/modules/$(uname -r) (MODULE_DIRECTORY in kmod
// 30): module files below it (the oracle copied the samples to extra/) and the index files depmod
// writes next to them.
// Simplifies: a flat map from paths relative to that directory to their contents, held beside the
// kernel model (user space's file system is not otherwise modelled); no permissions or times.
import type { Kernel } from './kernel';

export interface ModulesDir {
  /** "/lib/modules/6.1.0-56-amd64" */
  dirname: string;
  /** relative path → contents: module files as bytes, depmod's text files as strings. */
  files: Map<string, Uint8Array | string>;
}

const dirs = new WeakMap<Kernel, ModulesDir>();

/** The kernel release, as `uname -r` prints it: the first word of the vermagic. */
export function kernelRelease(k: Kernel): string {
  return k.vermagic.split(' ')[0]!;
}

export function modulesDir(k: Kernel): ModulesDir {
  let d = dirs.get(k);
  if (!d) dirs.set(k, (d = { dirname: `/lib/modules/${kernelRelease(k)}`, files: new Map() }));
  return d;
}

/** cp FILE… /lib/modules/$(uname -r)/extra/ (as the oracle's case script does). */
export function installModules(k: Kernel, modules: readonly { name: string; bytes: Uint8Array }[], subdir = 'extra'): void {
  const d = modulesDir(k);
  for (const m of modules) d.files.set(`${subdir}/${m.name}`, m.bytes);
}

/** A text file of the directory (modules.dep, …), or undefined. */
export function modulesText(k: Kernel, name: string): string | undefined {
  const f = modulesDir(k).files.get(name);
  return typeof f === 'string' ? f : undefined;
}
