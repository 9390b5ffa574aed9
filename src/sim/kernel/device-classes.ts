// Models: what the kernel core reads of the device model without the driver-facing calls: the misc
// major (drivers/char/misc.c, MISC_MAJOR in include/uapi/linux/major.h) and the classes modules made
// with class_create() (drivers/base/class.c), by their struct class address, for /sys/class.
// Kept apart from hle-devices.ts, whose bodies come with the kernel's devices subsystem.
// Simplifies: a class is its name and owner only; see hle-devices.ts.
import type { Kernel } from './kernel';

export const MISC_MAJOR = 10;

interface DeviceClass {
  name: string;
  owner: bigint;
}

/** Classes made by modules (class_create), by their struct class address. */
const classesOf = new WeakMap<Kernel, Map<bigint, DeviceClass>>();
export const classes = (k: Kernel) => {
  let c = classesOf.get(k);
  if (!c) classesOf.set(k, (c = new Map()));
  return c;
};

/** The names of the classes modules made, for /sys/class. */
export function classNames(k: Kernel): string[] {
  return [...classes(k).values()].map((c) => c.name);
}
