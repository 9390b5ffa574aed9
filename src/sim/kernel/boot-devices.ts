// Models: the devices a freshly booted Debian 6.1 kernel already has when user space starts, as
// the real one had them under QEMU (src/sim/data/boot-devices.json, from the oracle): the nodes
// devtmpfs made in /dev, and the built-in misc devices (major 10) in sysfs, so that /dev,
// /sys/class/misc and /proc/misc list what the real ones list and a module's misc minor or node
// name meets the same neighbours.
// Simplifies: only these records are made (no drivers behind them: opening one of these nodes
// stops the machine as "not modelled", char-open.ts); no other class or bus device of the boot
// is in the model's sysfs.
import type { Kernel } from './kernel';

/** src/sim/data/boot-devices.json as scripts/gen-boot-devices.mjs writes it (a data file the kernel boots with). */
export interface BootDevicesData {
  /** Nodes devtmpfs made at boot: path, mode (with S_IFCHR), major, minor (`ls -l /dev`). */
  devNodes: readonly (readonly [string, number, number, number])[];
  /** Built-in misc devices, newest first as /proc/misc lists them: name, minor, devpath, node name. */
  miscDevices: readonly (readonly [string, number, string, string])[];
  /** What `ls` showed in /proc (less the PIDs), /sys, /sys/class and /sys/module (built-in modules). */
  procNames: readonly string[];
  sysNames: readonly string[];
  sysClasses: readonly string[];
  sysModules: readonly string[];
  /** What `ls /` showed: the oracle's initramfs root, the machine the model stands for. */
  rootNames: readonly string[];
}

/** Fills the kernel's /dev and misc devices as the real boot left them (no events: before tracing). */
export function seedBootDevices(k: Kernel): void {
  for (const [path, mode, major, minor] of k.bootDevices.devNodes) k.nodes.set(path, { mode, major, minor, devtmpfs: true, mtimeNs: k.clockNs });
  // /proc/misc lists the newest first: add them oldest first.
  for (const [, minor, devpath, devname] of [...k.bootDevices.miscDevices].reverse()) {
    const mode = k.nodes.get(`/dev/${devname}`)!.mode & 0o777; // 0600 is devtmpfs's default: no mode of its own
    k.devices.set(devpath, { devpath, subsystem: 'misc', devt: { major: 10, minor }, devname, ...(mode !== 0o600 ? { mode } : {}), env: [], class: 'misc' });
  }
}
