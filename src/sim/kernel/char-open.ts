// Models: how open() on a character device finds the driver in Linux 6.1 and pins its module:
// chrdev_open() (fs/char_dev.c) looks the dev_t up in cdev_map, whose lock callback cdev_get()
// takes a reference on cdev->owner (for register_chrdev, the fops' owner), then fops_get() takes
// another on fops->owner and the file gets those fops; major 10 is the misc driver's own cdev
// (built in, no owner), whose misc_open() (drivers/char/misc.c) finds the miscdevice by minor,
// takes fops_get() on the driver's fops and puts the miscdevice in file->private_data. __fput()
// (fs/file_table.c) drops both at close: cdev_put(inode->i_cdev), then fops_put(file->f_op). So
// an open /dev/hello holds hello twice (refcnt 2) and an open /dev/miscdev holds miscdev once, as
// the real kernel shows (tests/fixtures/real-kernel/devices-hello-held.txt, devices-misc.txt).
// Simplifies: a device number served by a driver built into the kernel (mem, tty, the boot's misc
// devices, …) is not modelled and stops the machine saying so; misc_open's
// request_module("char-major-10-N") for an unknown fixed minor is not made (it returns -ENODEV
// as it would when no module provides that alias).
import type { Kernel } from './kernel';
import type { DeviceNode } from './vfs';
import { NotModelled } from '../cpu/fault';
import { join } from './layout';
import { fopsOwner, modulePut, tryModuleGet } from './module-refs';
import { MISC_MAJOR } from './device-classes';
import { BUILTIN_CHAR } from './procfs';
import { lookup } from './fs-tree';
import { noteMiscOpen } from './oops-state';

const ENXIO = -6, ENODEV = -19;

export interface OpenedDevice {
  /** The file_operations the file gets (the driver's). */
  fops: bigint;
  /** Module references the open file holds, as __fput drops them: the cdev's owner, then the fops' owner. */
  held: { owner: bigint; put: string }[];
  /** file->private_data set before f_op->open (misc_open: the struct miscdevice). */
  privateData?: bigint;
}

/** chrdev_open() up to f_op->open: the driver's fops and the references taken, or -errno. */
export function chrdevOpen(k: Kernel, path: string, node: DeviceNode): OpenedDevice | number {
  if (node.major === MISC_MAJOR) return miscOpen(k, path, node.minor);
  const cdev = k.chrdevs.devices.get(node.major);
  if (!cdev || node.minor < cdev.baseminor || node.minor >= cdev.baseminor + cdev.count) {
    const builtin = BUILTIN_CHAR.find(([major]) => major === node.major);
    if (builtin) throw new NotModelled(`${path} (${node.major}:${node.minor}) belongs to "${builtin[1]}", a driver built into the kernel that is not modelled`);
    return ENXIO; // kobj_lookup() finds no cdev for this dev_t
  }
  const fops = join(cdev.fops);
  // cdev->owner was fops->owner when __register_chrdev made the cdev.
  const owner = fopsOwner(k, fops);
  if (!tryModuleGet(k, owner, 'chrdev_open (cdev_get)')) return ENXIO;
  if (!tryModuleGet(k, owner, 'chrdev_open (fops_get)')) {
    modulePut(k, owner, 'chrdev_open (cdev_put)');
    return ENXIO;
  }
  return { fops, held: [{ owner, put: '__fput (cdev_put)' }, { owner, put: '__fput (fops_put)' }] };
}

/** misc_open(): the miscdevice with this minor, its fops pinned, itself in private_data. */
function miscOpen(k: Kernel, path: string, minor: number): OpenedDevice | number {
  const dev = [...k.devices.values()].find((d) => d.class === 'misc' && d.devt?.minor === minor);
  if (!dev) return ENODEV;
  if (dev.drvdata === undefined) throw new NotModelled(`${path} (10:${minor}) is "${dev.devname}", a misc device built into the kernel that is not modelled`);
  const fops = k.read64(dev.drvdata + BigInt(k.layout['miscdevice']!.fields['fops']!)) ?? 0n;
  const owner = fopsOwner(k, fops);
  if (fops === 0n || !tryModuleGet(k, owner, 'misc_open (fops_get)')) return ENODEV;
  noteMiscOpen(k); // the oops's call trace goes through misc_open
  return { fops, held: [{ owner, put: '__fput (fops_put)' }], privateData: dev.drvdata };
}

/** Drops what an open file held (at __fput, or when f_op->open failed). */
export function releaseHeld(k: Kernel, held: OpenedDevice['held']): void {
  for (const h of held) modulePut(k, h.owner, h.put);
}

/** open() of a path that is no device node: the lookup's error, or "not modelled" for other files. */
export function notANode(k: Kernel, path: string): number {
  const r = lookup(k, path);
  if ('errno' in r) return r.errno;
  if ('notModelled' in r) throw new NotModelled(`open() of ${r.notModelled}: the model has no such file system`);
  throw new NotModelled(`open() of ${path} by a system call: only device nodes are opened through the model's VFS`);
}
