// Models: the part of Linux 6.1's VFS a character driver meets (fs/namei.c, fs/open.c,
// fs/read_write.c, fs/ioctl.c, fs/char_dev.c chrdev_open): device nodes made by mknod, open()
// building a struct file and a struct inode at the layout probe's offsets and calling the driver's
// f_op->open, then read, write, unlocked_ioctl and release through the driver's file_operations —
// the driver's own code, run as real machine code in ring 0.
// chrdev_open's module references are taken and dropped in char-open.ts.
// Simplifies: one flat map of device nodes by path (no dentries; fs-tree.ts shows it as
// directories); inodes and files come from a bump heap in the direct map; descriptors are shared
// only by dup2 (no fork).
import type { Kernel } from './kernel';
import type { GuestCall, HleResult } from './hle';
import type { U64 } from '../cpu/state';
import { join, split } from './layout';
import { chrdevOpen, notANode, releaseHeld, type OpenedDevice } from './char-open';
import { subsystem } from './subsystems';
import { MISC_MAJOR } from './device-classes';

export const ENOENT = -2, ENXIO = -6, EBADF = -9, EEXIST = -17, EINVAL = -22, ENOTTY = -25;
const S_IFCHR = 0o020000;

export interface DeviceNode {
  mode: number;
  major: number;
  minor: number;
  /** Made by devtmpfs (for a device with a dev_t), not by mknod: devtmpfs deletes only its own. */
  devtmpfs?: boolean;
  /** When it was made, in nanoseconds since boot (ls -l shows it). */
  mtimeNs?: number;
}

export interface OpenFile {
  file: bigint;
  inode: bigint;
  fops: bigint;
  /** The path it was opened by, and the module references it holds until __fput (char-open.ts). */
  path?: string;
  held?: OpenedDevice['held'];
  /** Descriptors referring to this file (f_count): dup2 adds one, close drops one; __fput at 0. */
  count?: number;
  /** The process that opened it (the model has one descriptor table; this stands for the task's own). */
  pid?: number;
}

const off = (k: Kernel, struct: string, field: string) => BigInt(k.layout[struct]!.fields[field]!);
const le = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));

/** mknodat(): only character devices; the kernel's dev_t is MKDEV(major, minor) = major << 20 | minor. */
export function mknod(k: Kernel, path: string, mode: number, userDev: number): number {
  if ((mode & 0o170000) !== S_IFCHR) return EINVAL;
  if (k.nodes.has(path)) return EEXIST;
  // new_decode_dev(): the user's 32-bit dev_t.
  const major = (userDev & 0xfff00) >>> 8, minor = (userDev & 0xff) | ((userDev >>> 12) & 0xfff00);
  k.nodes.set(path, { mode, major, minor, mtimeNs: k.clockNs });
  k.m.emit({ kind: 'vfs/node-created', path, major, minor });
  return 0;
}

/** do_sys_open() → chrdev_open(): the cdev's fops become the file's, then f_op->open runs. */
export function* openat(k: Kernel, path: string, flags: number): Generator<GuestCall, HleResult, U64> {
  const node = k.nodes.get(path);
  if (!node) return notANode(k, path); // -ENOENT, -ENOTDIR, or a file the model cannot open
  if (node.major !== MISC_MAJOR && !k.chrdevs.devices.has(node.major)) subsystem(k, 'kmod', 'request_module (an open() with no driver)').chrdevBaseProbe(k, node.major, node.minor); // kobj_lookup() finds no cdev: ask user space
  const opened = chrdevOpen(k, path, node); // cdev_get and fops_get pin the driver's module
  if (typeof opened === 'number') return opened;
  const inode = k.kzalloc(k.layout['inode']!.size);
  const file = k.kzalloc(k.layout['file']!.size);
  const fops = opened.fops;
  if (opened.privateData !== undefined) k.writeBytes(file + off(k, 'file', 'private_data'), le(opened.privateData, 8));
  k.writeBytes(inode + off(k, 'inode', 'i_mode'), le(BigInt(node.mode), 2));
  k.writeBytes(inode + off(k, 'inode', 'i_rdev'), le(BigInt((node.major << 20) | node.minor), 4));
  k.writeBytes(file + off(k, 'file', 'f_inode'), le(inode, 8));
  k.writeBytes(file + off(k, 'file', 'f_op'), le(fops, 8));
  k.writeBytes(file + off(k, 'file', 'f_flags'), le(BigInt(flags), 4));
  const accmode = flags & 3;
  k.writeBytes(file + off(k, 'file', 'f_mode'), le(BigInt(accmode === 0 ? 1 : accmode === 1 ? 2 : 3), 4)); // FMODE_READ/WRITE
  const open = k.read64(fops + off(k, 'file_operations', 'open')) ?? 0n;
  if (open) {
    const r = signed32(yield { address: split(open), args: [split(inode), split(file)] }); // int
    if (r < 0) {
      releaseHeld(k, opened.held);
      return r;
    }
  }
  let fd = 3;
  while (k.openFiles.has(fd)) fd++;
  k.openFiles.set(fd, { file, inode, fops, path, held: opened.held, pid: k.process?.pid ?? k.nextPid - 1 });
  k.m.emit({ kind: 'vfs/opened', path, fd, fops: split(fops) });
  return fd;
}

/** vfs_read()/vfs_write(): f_op->read(file, buf, count, &file->f_pos). */
export function* readWrite(k: Kernel, fd: number, buf: U64, count: U64, write: boolean): Generator<GuestCall, HleResult, U64> {
  const f = k.openFiles.get(fd);
  if (!f) return EBADF;
  const fn = k.read64(f.fops + off(k, 'file_operations', write ? 'write' : 'read')) ?? 0n;
  if (!fn) return EINVAL;
  return signed(yield { address: split(fn), args: [split(f.file), buf, count, split(f.file + off(k, 'file', 'f_pos'))] });
}

/** vfs_ioctl(): f_op->unlocked_ioctl(file, cmd, arg), -ENOTTY without one. */
export function* ioctl(k: Kernel, fd: number, cmd: U64, arg: U64): Generator<GuestCall, HleResult, U64> {
  const f = k.openFiles.get(fd);
  if (!f) return EBADF;
  const fn = k.read64(f.fops + off(k, 'file_operations', 'unlocked_ioctl')) ?? 0n;
  if (!fn) return ENOTTY;
  return signed(yield { address: split(fn), args: [split(f.file), cmd, arg] });
}

/** close() → fput() → __fput() when it was the last reference: f_op->release(inode, file) if the driver has one. */
export function* close(k: Kernel, fd: number): Generator<GuestCall, HleResult, U64> {
  const f = k.openFiles.get(fd);
  if (!f) return EBADF;
  k.openFiles.delete(fd);
  f.count = (f.count ?? 1) - 1;
  if (f.count > 0) return 0; // another descriptor still refers to the file
  k.m.emit({ kind: 'vfs/closed', fd, path: f.path ?? '' });
  const release = k.read64(f.fops + off(k, 'file_operations', 'release')) ?? 0n;
  if (release) yield { address: split(release), args: [split(f.inode), split(f.file)] };
  releaseHeld(k, f.held ?? []);
  return 0;
}

/** ssize_t and long results (read, write, unlocked_ioctl) are 64-bit; int results (open) 32-bit. */
const signed = (v: U64) => Number(BigInt.asIntN(64, join(v)));
const signed32 = (v: U64) => Number(BigInt.asIntN(32, join(v)));

/** dup2(oldfd, newfd) (fs/file.c do_dup2): newfd refers to oldfd's file; an open newfd is closed first. */
export function* dup2(k: Kernel, oldfd: number, newfd: number): Generator<GuestCall, HleResult, U64> {
  const f = k.openFiles.get(oldfd);
  if (!f) return EBADF;
  if (oldfd === newfd) return newfd;
  if (k.openFiles.has(newfd)) yield* close(k, newfd);
  f.count = (f.count ?? 1) + 1;
  k.openFiles.set(newfd, f);
  return newfd;
}
