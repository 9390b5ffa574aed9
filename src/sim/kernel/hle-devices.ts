// Models: the driver-facing calls that make a struct device with a /dev node in Linux 6.1:
// misc_register()/misc_deregister() (drivers/char/misc.c: a minor of major 10, then
// device_create_with_groups() on the "misc" class with the miscdevice as drvdata; misc_devnode()
// gives the node the miscdevice's mode and nodename), and the GPL-only device_create(),
// device_destroy() (drivers/base/core.c) and __class_create()/class_destroy()
// (drivers/base/class.c; class_create() is a macro around __class_create). Each device goes
// through device-core.ts: sysfs record, devtmpfs node, uevent.
// Simplifies: struct device is allocated and its name, parent, driver_data, devt and class fields
// are written at the probed offsets, but nothing else of it is built (no kobject, no refcount, no
// release); struct class is an opaque zeroed page the model never reads (a driver's cls->devnode
// is ignored: its devices are named dev_name()); misc `groups` and device attribute groups are not
// created; a duplicate device name fails with -EEXIST without sysfs's warning and stack dump.
import type { Kernel } from './kernel';
import type { Bodies } from './hle-library';
import type { U64 } from '../cpu/state';
import { NotModelled } from '../cpu/fault';
import { formatPrintk } from './printk';
import { deviceAdd, deviceDel, type Device } from './device-core';
import { join, split } from './layout';
import { MISC_MAJOR, classes } from './device-classes';

export { MISC_MAJOR, classNames } from './device-classes';
const MISC_DYNAMIC_MINOR = 255;
const EBUSY = -16, EEXIST = -17;
/** MKDEV() inside the kernel: 12 bits of major, 20 of minor. */
const MINORBITS = 20;

const field = (k: Kernel, struct: string, name: string) => BigInt(k.layout[struct]!.fields[name]!);
const readInt = (k: Kernel, at: bigint, size: number) => k.readBytes(at, size).reduceRight((v, b) => v * 256 + b, 0);
const le = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));

/** The devpath a new device gets: below its parent's, or in /devices/virtual/<class>/ without one. */
function devpathFor(k: Kernel, parent: bigint, className: string, name: string): string {
  if (parent === 0n) return `/devices/virtual/${className}/${name}`;
  const p = [...k.devices.values()].find((d) => d.address === parent);
  if (!p) throw new NotModelled(`a device whose parent is a struct device the model did not make (${parent.toString(16)})`);
  return `${p.devpath}/${className}/${name}`;
}

/**
 * device_create_groups_vargs(): a struct device with devt, class, parent and drvdata, named, then
 * device_add(). Returns its address, or -errno.
 */
export function deviceCreate(
  k: Kernel,
  d: { className: string; parent: bigint; major: number; minor: number; drvdata: bigint; name: string; devname?: string; mode?: number },
): bigint | number {
  const devpath = devpathFor(k, d.parent, d.className, d.name);
  if (k.devices.has(devpath)) return EEXIST; // kobject_add(): the name is taken in that directory
  const size = k.layout['device']!.size;
  const dev = k.kzalloc(size);
  k.writeBytes(dev + field(k, 'device', 'kobj.name'), le(k.kstrdup(d.name), 8));
  k.writeBytes(dev + field(k, 'device', 'parent'), le(d.parent, 8));
  k.writeBytes(dev + field(k, 'device', 'driver_data'), le(d.drvdata, 8));
  k.writeBytes(dev + field(k, 'device', 'devt'), le(BigInt((d.major << MINORBITS) | d.minor), 4));
  const record: Device = {
    devpath, subsystem: d.className, devt: { major: d.major, minor: d.minor }, devname: d.devname ?? d.name,
    ...(d.mode ? { mode: d.mode } : {}), env: [], address: dev, drvdata: d.drvdata, class: d.className,
  };
  deviceAdd(k, record);
  return dev;
}

/** device_destroy(class, devt): class_find_device_by_devt(), then device_unregister(). */
export function deviceDestroy(k: Kernel, className: string, major: number, minor: number): void {
  const dev = [...k.devices.values()].find((d) => d.class === className && d.devt?.major === major && d.devt.minor === minor);
  if (dev) deviceDel(k, dev.devpath);
}

/** The bodies, merged into hle-library's. */
export function deviceBodies(k: () => Kernel): Bodies {
  const asBig = (v: U64) => join(v);
  return {
    misc_register: {
      source: 'drivers/char/misc.c',
      // misc_register(struct miscdevice *misc): a dynamic minor counted down from 127 (or the fixed
      // one asked for), then device_create_with_groups(misc_class, misc->parent, MKDEV(10, minor),
      // misc, misc->groups, "%s", misc->name); the struct device goes to misc->this_device.
      body: ({ arg }) => {
        const kernel = k();
        const misc = asBig(arg(0));
        const at = (f: string) => misc + field(kernel, 'miscdevice', f);
        const wanted = readInt(kernel, at('minor'), 4);
        const name = kernel.readCString(kernel.read64(at('name')) ?? 0n);
        const nodename = kernel.read64(at('nodename')) ?? 0n;
        const mode = readInt(kernel, at('mode'), 2);
        const parent = kernel.read64(at('parent')) ?? 0n;
        // A fixed minor is refused if any misc device already has it (the boot's built-in ones too).
        if (wanted !== MISC_DYNAMIC_MINOR && [...kernel.devices.values()].some((d) => d.class === 'misc' && d.devt?.minor === wanted)) return EBUSY;
        const minor = kernel.misc.register(wanted, name);
        if (minor < 0) return minor;
        const dev = deviceCreate(kernel, {
          className: 'misc', parent, major: MISC_MAJOR, minor, drvdata: misc, name,
          // misc_devnode(): the node's name and mode come from the miscdevice when it sets them.
          ...(nodename ? { devname: kernel.readCString(nodename) } : {}), mode,
        });
        if (typeof dev === 'number') {
          kernel.misc.deregister(minor);
          return dev;
        }
        kernel.writeBytes(at('minor'), le(BigInt(minor), 4));
        kernel.writeBytes(at('this_device'), le(dev, 8));
        kernel.m.emit({ kind: 'vfs/misc-registered', minor, name });
        return 0;
      },
    },
    misc_deregister: {
      source: 'drivers/char/misc.c',
      // device_destroy(misc_class, MKDEV(10, misc->minor)) and the minor is free again.
      body: ({ arg }) => {
        const kernel = k();
        const misc = asBig(arg(0));
        const minor = readInt(kernel, misc + field(kernel, 'miscdevice', 'minor'), 4);
        deviceDestroy(kernel, 'misc', MISC_MAJOR, minor);
        kernel.misc.deregister(minor);
      },
    },
    __class_create: {
      source: 'drivers/base/class.c',
      // __class_create(owner, name, key): a struct class registered under /sys/class/<name>;
      // ERR_PTR(-EEXIST) if that name is taken.
      body: ({ arg }) => {
        const kernel = k();
        const name = kernel.readCString(arg(1));
        const all = classes(kernel);
        if (name === 'misc' || [...all.values()].some((c) => c.name === name)) return EEXIST;
        const cls = kernel.kzalloc(4096);
        all.set(cls, { name, owner: asBig(arg(0)) });
        return split(cls);
      },
    },
    class_destroy: {
      source: 'drivers/base/class.c',
      body: ({ arg }) => {
        classes(k()).delete(asBig(arg(0)));
      },
    },
    device_create: {
      source: 'drivers/base/core.c',
      // device_create(class, parent, devt, drvdata, fmt, ...): the name is printed from fmt.
      body: ({ arg }) => {
        const kernel = k();
        const cls = classes(kernel).get(asBig(arg(0)));
        if (!cls) throw new NotModelled('device_create on a class the model did not make with class_create');
        const devt = arg(2).lo >>> 0;
        let i = 5;
        const { text } = formatPrintk(kernel.readCString(arg(4)), () => arg(i++), (p) => kernel.readCString(p));
        const dev = deviceCreate(kernel, { className: cls.name, parent: asBig(arg(1)), major: devt >>> MINORBITS, minor: devt & ((1 << MINORBITS) - 1), drvdata: asBig(arg(3)), name: text });
        return typeof dev === 'number' ? dev : split(dev);
      },
    },
    device_destroy: {
      source: 'drivers/base/core.c',
      body: ({ arg }) => {
        const kernel = k();
        const cls = classes(kernel).get(asBig(arg(0)));
        const devt = arg(1).lo >>> 0;
        if (cls) deviceDestroy(kernel, cls.name, devt >>> MINORBITS, devt & ((1 << MINORBITS) - 1));
      },
    },
  };
}
