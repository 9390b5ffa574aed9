// Models: the character-device major table of Linux 6.1 (fs/char_dev.c: chrdevs[], find_dynamic_major,
// __register_chrdev_region, __register_chrdev, __unregister_chrdev).
// Simplifies: one cdev per registration covering its minors. The dynamic majors and misc minors
// that a real Debian 6.1 kernel's built-in drivers already hold are taken from its /proc/devices
// and from miscdev's first minor in tests/fixtures/real-kernel.
import type { U64 } from '../cpu/state';

export interface CharDevice {
  major: number;
  baseminor: number;
  count: number;
  name: string;
  fops: U64;
}

/** CHRDEV_MAJOR_DYN_END, CHRDEV_MAJOR_DYN_EXT_START/END of include/linux/fs.h in 6.1. */
const DYN_END = 234, DYN_EXT_START = 511, DYN_EXT_END = 384, CHRDEV_MAJOR_MAX = 512;
/** gpiochip 254, tpm 253, dax 252, rtc 251, pps 250, ptp 249, bsg 248, cxl 247 (the real /proc/devices). */
export const TAKEN_AT_BOOT: number[] = [247, 248, 249, 250, 251, 252, 253, 254];
/** Dynamic misc minors the real kernel's built-in misc devices already hold (miscdev got 124 there). */
export const MISC_TAKEN_AT_BOOT: number[] = [125, 126, 127];

export class CharDevices {
  readonly devices = new Map<number, CharDevice>();

  /** find_dynamic_major(): 254 down to 234, then 511 down to 384; -EBUSY when all are taken. */
  private dynamicMajor(): number {
    for (let m = 254; m >= DYN_END; m--) if (!this.devices.has(m) && !TAKEN_AT_BOOT.includes(m)) return m;
    for (let m = DYN_EXT_START; m >= DYN_EXT_END; m--) if (!this.devices.has(m)) return m;
    return -16;
  }

  /** Returns the major (for a dynamic request) or 0, or -errno. */
  register(major: number, baseminor: number, count: number, name: string, fops: U64): number {
    if (major >= CHRDEV_MAJOR_MAX) return -22;
    const m = major === 0 ? this.dynamicMajor() : major;
    if (m < 0) return m;
    if (this.devices.has(m)) return -16;
    this.devices.set(m, { major: m, baseminor, count, name, fops: { ...fops } });
    return major === 0 ? m : 0;
  }

  unregister(major: number, _name: U64) {
    this.devices.delete(major);
  }
}

/** Misc devices (drivers/char/misc.c in 6.1): major 10, DYNAMIC_MINORS = 128 handed out from the top. */
export class MiscDevices {
  readonly minors = new Map<number, string>();
  /** Each device's file_operations (misc->fops), which misc_open() installs in the file. */
  readonly fops = new Map<number, U64>();

  register(minor: number, name: string, fops?: U64): number {
    const got = this.take(minor, name);
    if (got >= 0 && fops) this.fops.set(got, { ...fops });
    return got;
  }

  private take(minor: number, name: string): number {
    if (minor === 255) {
      for (let i = 0; i < 128; i++) {
        const m = 128 - i - 1; // misc->minor = DYNAMIC_MINORS - i - 1
        if (!this.minors.has(m) && !MISC_TAKEN_AT_BOOT.includes(m)) return this.minors.set(m, name), m;
      }
      return -16;
    }
    if (this.minors.has(minor)) return -16;
    this.minors.set(minor, name);
    return minor;
  }

  deregister(minor: number) {
    this.minors.delete(minor);
    this.fops.delete(minor);
  }
}
