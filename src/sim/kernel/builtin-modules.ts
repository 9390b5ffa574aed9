// Models: kmod's check of modules.builtin (libkmod's kmod_module_is_builtin(): a module named there
// is built in), on the list the booted built-in image brought (builtin-image.ts). Kept apart
// from builtin-image.ts so that rmmod does not bring in the boot with a built-in image.
// Simplifies: see builtin-image.ts.
import type { Kernel } from './kernel';

/**
 * kmod_module_is_builtin(): is the name listed in modules.builtin (which kbuild writes next to
 * vmlinux and `make modules_install` puts in /lib/modules/<release>/)? kmod asks before it reads
 * /sys/module, so a loaded module of the same name is still reported as built in.
 */
export function isBuiltinModule(k: Kernel, name: string): boolean {
  const normalised = name.split('.')[0]!.replace(/-/g, '_'); // modname_normalize()
  return k.builtin?.modulesBuiltin.includes(normalised) ?? false;
}
