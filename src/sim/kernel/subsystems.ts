// Models: nothing — the kernel's optional subsystems: parts of the model that only some runs use
// (the module loader, the device-model calls, module signature checking, the oops path, request_module, PCI and the driver-model steps, the
// device steps, the built-in image, the modelled ls), handed to a Kernel as plain objects by whoever
// boots it. Node (the command line, the tests, the build) hands in all of them (subsystems/all.ts);
// the browser loads each as a chunk of its own when a run first needs it (src/lab/run.ts).
// Simplifies: nothing: a run that needs a subsystem it was not given stops with MissingSubsystem,
// which says in words what needed it; it never behaves differently without one.
import type { Kernel } from './kernel';
import type { signatures } from '../subsystems/signatures';
import type { oops } from '../subsystems/oops';
import type { kmod } from '../subsystems/kmod';
import type { pci } from '../subsystems/pci';
import type { deviceSteps } from '../subsystems/device-steps';
import type { builtin } from '../subsystems/builtin';
import type { tools } from '../subsystems/tools';
import type { loader } from '../subsystems/loader';
import type { devices } from '../subsystems/devices';

export interface Subsystems {
  /** module_sig_check's PKCS#7/X.509/RSA verification and the emulated built-in keyring. */
  signatures?: typeof signatures;
  /** die()/oops for a fault in ring 0 the kernel cannot fix up. */
  oops?: typeof oops;
  /** __request_module() and the modprobe it starts. */
  kmod?: typeof kmod;
  /** The PCI bus and its driver functions, kmod's depmod/modprobe, udevd and the hot-plug steps. */
  pci?: typeof pci;
  /** Device interrupts pulsed by a scenario, grep, the user-space driver and the read() measurements. */
  deviceSteps?: typeof deviceSteps;
  /** Booting with a built-in image and its initcalls. */
  builtin?: typeof builtin;
  /** Modelled user tools beyond cat: ls. */
  tools?: typeof tools;
  /** load_module() and delete_module(): the module loader (init_module, finit_module, delete_module). */
  loader?: typeof loader;
  /** misc_register, device_create, class_create and their undoing: the device-model calls a driver makes. */
  devices?: typeof devices;
}

export type SubsystemName = keyof Subsystems;

export const SUBSYSTEM_NAMES: readonly SubsystemName[] = ['signatures', 'oops', 'kmod', 'pci', 'deviceSteps', 'builtin', 'tools', 'loader', 'devices'];

/** A run reached a part of the model it was not given (the caller may load it and run again). */
export class MissingSubsystem extends Error {
  constructor(
    readonly subsystem: SubsystemName,
    readonly neededBy: string,
  ) {
    super(`${neededBy} needs the kernel's ${subsystem} subsystem, which this run was not given`);
    this.name = 'MissingSubsystem';
  }
}

/** The subsystem `name` of this kernel; throws MissingSubsystem (naming `neededBy`) when it was not given. */
export function subsystem<N extends SubsystemName>(k: Kernel, name: N, neededBy: string): NonNullable<Subsystems[N]> {
  const s = k.subsystems[name];
  if (!s) throw new MissingSubsystem(name, neededBy);
  return s as NonNullable<Subsystems[N]>;
}
