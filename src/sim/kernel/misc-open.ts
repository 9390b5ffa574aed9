// Models: opening a misc device in Linux 6.1 (drivers/char/misc.c): misc_init() registers major 10
// with misc_fops, so chrdev_open() calls misc_open(), which finds the miscdevice by the inode's
// minor, puts the device's own file_operations in file->f_op (replace_fops) and calls their open,
// if any. A minor no driver registered is -ENODEV.
// Simplifies: misc_open's request_module("char-major-10-<minor>") for an unknown minor is not
// modelled (nothing would be found to load), and private_data is not set to the miscdevice.
// The device model (struct device, uevents, devtmpfs nodes) is not here: a node is made with mknod.
import type { Kernel } from './kernel';
import type { U64 } from '../cpu/state';
import { noteMiscOpen } from './oops-state';

export const MISC_MAJOR = 10;
const ENODEV = -19;

/** misc_open(): the file_operations the open continues with, or -ENODEV. */
export function miscOpen(k: Kernel, minor: number): U64 | number {
  const fops = k.misc.fops.get(minor);
  if (!fops) return ENODEV;
  noteMiscOpen(k);
  return fops;
}
