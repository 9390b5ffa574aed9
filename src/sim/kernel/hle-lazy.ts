// Models: nothing new — the kernel functions whose bodies live in an optional subsystem
// (subsystems.ts): each is registered at boot under its name and 6.1 source file, as every other
// export is, and its body is taken from the subsystem on the first call (MissingSubsystem when the
// kernel was not given it). Today: the PCI driver functions of hle-pci.ts, and misc_register,
// device_create, class_create and their undoing (hle-devices.ts).
// Simplifies: nothing.
import type { Kernel } from './kernel';
import type { Bodies } from './hle-library';
import type { HleCall } from './hle';
import { subsystem } from './subsystems';

/** __pci_register_driver and pci_unregister_driver (hle-pci.ts), by their 6.1 source files. */
export const PCI_BODY_SOURCES: Readonly<Record<string, string>> = {
  __pci_register_driver: 'drivers/pci/pci-driver.c',
  pci_unregister_driver: 'drivers/pci/pci-driver.c',
};

/** The PCI bodies, each fetched from the kernel's pci subsystem when first called. */
export function lazyPciBodies(k: () => Kernel): Bodies {
  let real: Bodies | undefined;
  return Object.fromEntries(
    Object.entries(PCI_BODY_SOURCES).map(([name, source]) => [name, { source, body: (call: HleCall) => (real ??= subsystem(k(), 'pci', name).pciBodies(k))[name]!.body(call) }]),
  ) as Bodies;
}

/** misc_register, device_create, class_create and their undoing (hle-devices.ts), by their 6.1 source files, in hle-devices.ts's order. */
export const DEVICE_BODY_SOURCES: Readonly<Record<string, string>> = {
  misc_register: 'drivers/char/misc.c',
  misc_deregister: 'drivers/char/misc.c',
  __class_create: 'drivers/base/class.c',
  class_destroy: 'drivers/base/class.c',
  device_create: 'drivers/base/core.c',
  device_destroy: 'drivers/base/core.c',
};

/** The device-model bodies, each fetched from the kernel's devices subsystem when first called. */
export function lazyDeviceBodies(k: () => Kernel): Bodies {
  let real: Bodies | undefined;
  return Object.fromEntries(
    Object.entries(DEVICE_BODY_SOURCES).map(([name, source]) => [name, { source, body: (call: HleCall) => (real ??= subsystem(k(), 'devices', name).deviceBodies(k))[name]!.body(call) }]),
  ) as Bodies;
}
