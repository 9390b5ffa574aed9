// Models: the driver core's life of a struct device in Linux 6.1 — device_add() and device_del()
// (drivers/base/core.c), the uevent each sends (kobject_uevent_env() in lib/kobject_uevent.c, with
// SEQNUM from uevent_seqnum) and the node devtmpfs makes for a device with a dev_t
// (drivers/base/devtmpfs.c: devtmpfs_create_node/devtmpfs_delete_node, name "/dev/" + devname,
// mode from the device or 0600).
// Simplifies: a device is a record, not a kobject tree: its sysfs path (devpath), subsystem, dev_t
// and the uevent variables its bus and class add are filled in by the caller (misc, PCI). Uevents
// wait in a queue standing for udev's netlink socket until modelled user space (udev) reads them.
import type { Kernel } from './kernel';

export interface Device {
  /** The sysfs path below /sys, e.g. /devices/virtual/misc/miscdev. */
  devpath: string;
  subsystem: string;
  /** The character device number, for devices that get a /dev node. */
  devt?: { major: number; minor: number };
  /** The node's name below /dev (dev_name(), or what the class's devnode() returns). */
  devname?: string;
  /** The node's permission bits (0 means devtmpfs's default, 0600). */
  mode?: number;
  /** The variables the bus and the class add to the uevent, in the order they add them. */
  env: [string, string][];
}

export type UeventAction = 'add' | 'remove' | 'bind' | 'unbind';

export interface Uevent {
  action: UeventAction;
  devpath: string;
  subsystem: string;
  seqnum: number;
  /** Every variable, in the order the kernel sends them (ACTION, DEVPATH, SUBSYSTEM, …, SEQNUM). */
  env: [string, string][];
}

const S_IFCHR = 0o020000;

/** kobject_uevent_env(): the variables in 6.1's order, queued for udev and shown to the reader. */
export function kobjectUevent(k: Kernel, action: UeventAction, dev: Device): Uevent {
  const env: [string, string][] = [['ACTION', action], ['DEVPATH', dev.devpath], ['SUBSYSTEM', dev.subsystem]];
  if (dev.devt) env.push(['MAJOR', String(dev.devt.major)], ['MINOR', String(dev.devt.minor)]);
  if (dev.devname) env.push(['DEVNAME', dev.devname]);
  if (dev.devname && dev.mode) env.push(['DEVMODE', '0' + dev.mode.toString(8).padStart(3, '0')]);
  env.push(...dev.env);
  const seqnum = ++k.ueventSeqnum;
  env.push(['SEQNUM', String(seqnum)]);
  const u: Uevent = { action, devpath: dev.devpath, subsystem: dev.subsystem, seqnum, env };
  k.uevents.push(u);
  k.m.emit({ kind: 'device/uevent', action, devpath: dev.devpath, env: env.map(([n, v]) => `${n}=${v}`) });
  return u;
}

/** device_add(): the device joins sysfs, devtmpfs makes its node, then the "add" uevent. */
export function deviceAdd(k: Kernel, dev: Device): void {
  k.devices.set(dev.devpath, dev);
  if (dev.devt && dev.devname) {
    const path = `/dev/${dev.devname}`;
    k.nodes.set(path, { mode: S_IFCHR | (dev.mode || 0o600), major: dev.devt.major, minor: dev.devt.minor });
    k.m.emit({ kind: 'vfs/node-created', path, major: dev.devt.major, minor: dev.devt.minor, by: 'devtmpfs' });
  }
  kobjectUevent(k, 'add', dev);
}

/** device_del(): the "remove" uevent, devtmpfs deletes the node, the device leaves sysfs. */
export function deviceDel(k: Kernel, devpath: string): void {
  const dev = k.devices.get(devpath);
  if (!dev) return;
  kobjectUevent(k, 'remove', dev);
  if (dev.devt && dev.devname) {
    const path = `/dev/${dev.devname}`;
    k.nodes.delete(path);
    k.m.emit({ kind: 'vfs/node-removed', path, by: 'devtmpfs' });
  }
  k.devices.delete(devpath);
}
