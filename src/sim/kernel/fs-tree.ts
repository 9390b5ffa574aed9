// Models: the directory tree a user of a Linux 6.1 machine walks for the paths the book uses,
// built on demand from the kernel model's state: /dev (devtmpfs: the boot's nodes, the nodes
// devtmpfs makes for devices, and mknod's), /proc/{devices,modules,misc}, /sys/module/<m>/
// (kernel/module/sysfs.c: coresize, holders/, initsize, initstate, notes/, refcnt, sections/,
// taint, uevent), /sys/class/misc and module-made classes (symlinks into /sys/devices), and each
// class device's directory (dev, power/, subsystem, uevent; drivers/base/core.c). Path lookup
// follows fs/namei.c: "." and "..", symlinks (relative to their directory, 40 at most: ELOOP),
// -ENOENT for a missing name, -ENOTDIR when a non-directory is used as one. Each inode has the
// mode, link count, size and modification time `stat` gives (sysfs: attributes 4096 bytes,
// directories 0; devtmpfs, a tmpfs: directories 40 + 20 bytes per entry; /proc files 0).
// Simplifies: the tree is read by the modelled tools directly (stat, getdents and read of these
// files are not system calls in the model); anything outside these paths is "not modelled" and
// says so: the names the real boot had in /, /proc, /sys, /sys/class and /sys/module
// (src/sim/data/boot-devices.ts) exist but are not modelled, other names are absent (-ENOENT);
// a directory whose full contents the model does not know (/proc, /sys/devices) can be walked
// through but not listed; a module's parameters/
// directory is not made; sysfs times are the time of the look-up (kernfs sets them when it
// first makes the inode); the values of power/ attributes are not modelled; sections/ lists the
// sections the loader keeps after init (the real one also keeps .init.*, .symtab and .strtab).
import type { Kernel } from './kernel';
import type { Device } from './device-core';
import { procModules, sysModule } from './loader/module-sysfs';
import { procDevices } from './procfs';
import { classNames } from './device-classes';
import { procInterrupts } from './irq';
import { BOOT_REALTIME_SECONDS } from '../data/boot-devices';

export const S_IFMT = 0o170000, S_IFDIR = 0o040000, S_IFCHR = 0o020000, S_IFREG = 0o100000, S_IFLNK = 0o120000;
export const ENOENT = -2, EACCES = -13, ENOTDIR = -20, EISDIR = -21, ELOOP = -40;

/** What a file read gives: its lines, -errno, or that the model does not have its contents. */
export type FileContents = string[] | number | 'not modelled';

interface Common {
  mode: number;
  nlink: number;
  size: number;
  mtimeNs: number;
}
export type Inode =
  | (Common & { kind: 'dir'; entries: () => string[] | undefined; child: (name: string) => Inode | undefined | 'not modelled' })
  | (Common & { kind: 'chr'; major: number; minor: number })
  | (Common & { kind: 'reg'; read: () => FileContents })
  | (Common & { kind: 'lnk'; target: string });

export type Lookup = { inode: Inode; path: string } | { errno: number } | { notModelled: string };

/** Kernel.clockNs before the first instruction: the model's uptime when it starts. */
const CLOCK_AT_START_NS = 300e9;
const SYSFS_DIR = S_IFDIR | 0o755;

/** The wall clock (seconds since 1970) at a time on the kernel's clock, from the real boot's. */
export function wallClock(ns: number): number {
  return BOOT_REALTIME_SECONDS + Math.floor((ns - CLOCK_AT_START_NS) / 1e9);
}

const dir = (k: Kernel, entries: () => string[] | undefined, child: (name: string) => Inode | undefined | 'not modelled', size = 0, mtimeNs = k.clockNs): Inode => ({
  kind: 'dir', mode: SYSFS_DIR, nlink: 2, size, mtimeNs, entries, child,
});
const file = (k: Kernel, mode: number, size: number, read: () => FileContents): Inode => ({ kind: 'reg', mode: S_IFREG | mode, nlink: 1, size, mtimeNs: k.clockNs, read });
const link = (k: Kernel, target: string): Inode => ({ kind: 'lnk', mode: S_IFLNK | 0o777, nlink: 1, size: 0, mtimeNs: k.clockNs, target });
const known = (names: Record<string, () => Inode>) => (name: string) => (Object.hasOwn(names, name) ? names[name]!() : undefined);

/** /dev and its subdirectories, from the kernel's device nodes. */
function devDir(k: Kernel, prefix: string): Inode {
  const under = () => [...k.nodes.entries()].filter(([p]) => p.startsWith(prefix + '/'));
  const names = () => [...new Set(under().map(([p]) => p.slice(prefix.length + 1).split('/')[0]!))];
  const subdirs = names().filter((n) => !k.nodes.has(`${prefix}/${n}`)).length;
  const mtimeNs = Math.max(CLOCK_AT_START_NS, ...under().map(([, n]) => n.mtimeNs ?? CLOCK_AT_START_NS));
  return {
    ...(dir(k, names, (name) => {
      const node = k.nodes.get(`${prefix}/${name}`);
      if (node) return { kind: 'chr', mode: node.mode, nlink: 1, size: 0, mtimeNs: node.mtimeNs ?? CLOCK_AT_START_NS, major: node.major, minor: node.minor };
      return names().includes(name) ? devDir(k, `${prefix}/${name}`) : undefined;
    }, 40 + 20 * names().length, mtimeNs) as Inode & { kind: 'dir' }),
    nlink: 2 + subdirs,
  };
}

/** /proc/misc: the misc devices, newest first (misc_seq_show over misc_list). */
function procMisc(k: Kernel): string[] {
  return [...k.devices.values()].filter((d) => d.class === 'misc').reverse().map((d) => `${String(d.devt!.minor).padStart(3)} ${d.devpath.split('/').pop()}`);
}

function procDir(k: Kernel): Inode {
  const proc = (lines: () => string[]) => () => file(k, 0o444, 0, lines);
  // /proc/sys/kernel/tainted: proc_taint() prints the taint mask in decimal (mode 0644, root may write it).
  const tainted = () => file(k, 0o644, 0, () => [String(k.taint)]);
  const kernelDir = () => dir(k, () => undefined, (name) => (name === 'tainted' ? tainted() : 'not modelled'));
  const sysctl = () => dir(k, () => undefined, (name) => (name === 'kernel' ? kernelDir() : 'not modelled'));
  const files = known({ devices: proc(() => procDevices(k)), modules: proc(() => procModules(k)), misc: proc(() => procMisc(k)), interrupts: proc(() => procInterrupts(k)), sys: sysctl });
  // The real /proc's other names (and the PIDs) exist but are not modelled; any other name is absent.
  return dir(k, () => undefined, (name) => files(name) ?? (k.bootDevices.procNames.includes(name) || /^\d+$/.test(name) ? 'not modelled' : undefined));
}

/** /sys/module/<name>/ for a loaded module. */
function moduleDir(k: Kernel, name: string): Inode | undefined {
  const mod = k.modules.get(name);
  const attrs = sysModule(k, name);
  if (!mod || !attrs) return undefined;
  const attr = (key: string) => () => file(k, 0o444, 4096, () => [sysModule(k, name)?.[key] ?? '']);
  const holders = () => attrs['holders'] ? attrs['holders'].split(' ') : [];
  const notes = mod.sections.filter((s) => s.name.startsWith('.note'));
  const sections = mod.sections;
  const children: Record<string, () => Inode> = {
    coresize: attr('coresize'),
    holders: () => dir(k, holders, (h) => (holders().includes(h) ? link(k, `../../${h}`) : undefined)),
    initsize: attr('initsize'),
    initstate: attr('initstate'),
    // Binary attributes (struct bin_attribute): each note's bytes, 0444, its size.
    notes: () => dir(k, () => notes.map((s) => s.name), known(Object.fromEntries(notes.map((s) => [s.name, () => file(k, 0o444, s.size, () => 'not modelled')])))),
    refcnt: attr('refcnt'),
    // 6.1's module_sect_attr: a bin_attribute of 0400 and 3 + BITS_PER_LONG / 4 bytes ("0x%px\n").
    sections: () => dir(k, () => sections.map((s) => s.name), known(Object.fromEntries(sections.map((s) => [s.name, () => file(k, 0o400, 19, () => [`0x${s.address.toString(16).padStart(16, '0')}`])])))),
    taint: attr('taint'),
    // module_uevent is write-only (0200, no show): kernfs refuses to open it for reading.
    uevent: () => file(k, 0o200, 4096, () => EACCES),
  };
  return dir(k, () => Object.keys(children), known(children));
}

/** The uevent file of a device (dev_uevent() without ACTION, DEVPATH, SUBSYSTEM and SEQNUM). */
function deviceUevent(d: Device): string[] {
  const lines: string[] = [];
  if (d.devt) lines.push(`MAJOR=${d.devt.major}`, `MINOR=${d.devt.minor}`);
  if (d.devt && d.devname) lines.push(`DEVNAME=${d.devname}`);
  if (d.devt && d.devname && d.mode) lines.push(`DEVMODE=0${(d.mode & 0o777).toString(8)}`);
  return [...lines, ...d.env.map(([n, v]) => `${n}=${v}`)];
}

/** The power/ attributes every device has (drivers/base/power/sysfs.c), values not modelled. */
const POWER_ATTRS: [string, number][] = [
  ['async', 0o644], ['autosuspend_delay_ms', 0o644], ['control', 0o644], ['runtime_active_kids', 0o444], ['runtime_active_time', 0o444],
  ['runtime_enabled', 0o444], ['runtime_status', 0o444], ['runtime_suspended_time', 0o444], ['runtime_usage', 0o444],
];

/** /sys/devices/…: a class device's directory, or a directory on the way to devices. */
function devicesDir(k: Kernel, devpath: string): Inode | undefined | 'not modelled' {
  const d = k.devices.get(devpath);
  if (d && d.class) {
    const up = '../'.repeat(devpath.split('/').length - 1);
    const children: Record<string, () => Inode> = {
      ...(d.devt ? { dev: () => file(k, 0o444, 4096, () => [`${d.devt!.major}:${d.devt!.minor}`]) } : {}),
      power: () => dir(k, () => POWER_ATTRS.map(([n]) => n), known(Object.fromEntries(POWER_ATTRS.map(([n, mode]) => [n, () => file(k, mode, 4096, () => 'not modelled')])))),
      subsystem: () => link(k, `${up}class/${d.class}`),
      uevent: () => file(k, 0o644, 4096, () => deviceUevent(d)),
    };
    return dir(k, () => Object.keys(children), known(children));
  }
  const below = [...k.devices.keys()].filter((p) => p.startsWith(devpath + '/'));
  // /devices/virtual/<class> holds only that class's devices, all of which the model knows.
  const parts = devpath.split('/');
  const complete = parts.length === 4 && parts[2] === 'virtual' && [...classNames(k), 'misc'].includes(parts[3]!);
  if (!below.length) return complete ? undefined : 'not modelled';
  const names = () => [...new Set([...k.devices.keys()].filter((p) => p.startsWith(devpath + '/')).map((p) => p.slice(devpath.length + 1).split('/')[0]!))];
  return dir(k, () => (complete ? names() : undefined), (name) => devicesDir(k, `${devpath}/${name}`) ?? (complete ? undefined : 'not modelled'));
}

/** /sys/class/<name>: a symlink per device of the class, into /sys/devices. */
function classDir(k: Kernel, name: string): Inode {
  const members = () => [...k.devices.values()].filter((d) => d.class === name);
  return dir(k, () => members().map((d) => d.devpath.split('/').pop()!), (n) => {
    const d = members().find((x) => x.devpath.split('/').pop() === n);
    return d ? link(k, `../..${d.devpath}`) : undefined;
  });
}

/** /sys: its top level, /sys/class and /sys/module list what the real boot's did plus what modules add. */
function sysDir(k: Kernel): Inode {
  const builtin = (names: readonly string[], name: string) => (names.includes(name) ? 'not modelled' : undefined);
  const { sysNames, sysModules, sysClasses } = k.bootDevices;
  return dir(k, () => [...sysNames], (name) => {
    if (name === 'module') return dir(k, () => [...new Set([...sysModules, ...k.modules.keys()])], (m) => moduleDir(k, m) ?? builtin(sysModules, m));
    if (name === 'class') return dir(k, () => [...new Set([...sysClasses, ...classNames(k)])], (c) => (c === 'misc' || classNames(k).includes(c) ? classDir(k, c) : builtin(sysClasses, c)));
    if (name === 'devices') return devicesDir(k, '/devices');
    return builtin(sysNames, name);
  });
}

/** /: the names of the real machine's root (its initramfs); only dev, proc and sys are modelled. */
function root(k: Kernel): Inode {
  const modelled = (name: string) => (name === 'dev' ? devDir(k, '/dev') : name === 'proc' ? procDir(k) : name === 'sys' ? sysDir(k) : undefined);
  const { rootNames } = k.bootDevices;
  return dir(k, () => [...rootNames], (name) => modelled(name) ?? (rootNames.includes(name) ? 'not modelled' : undefined));
}

/**
 * path_lookupat(): the inode a path names (absolute paths; the shell's working directory is /).
 * `follow` follows a symlink in the last component (stat) or not (lstat); a trailing slash
 * always follows and requires a directory.
 */
export function lookup(k: Kernel, path: string, follow = true): Lookup {
  let parts = path.split('/').filter((p) => p && p !== '.');
  const mustBeDir = path.endsWith('/') && parts.length > 0;
  let links = 0;
  for (;;) {
    const stack: Inode[] = [root(k)];
    const names: string[] = [];
    let restart: string[] | undefined;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const here = stack[stack.length - 1]!;
      if (here.kind !== 'dir') return { errno: ENOTDIR };
      if (part === '..') {
        if (stack.length > 1) stack.pop(), names.pop();
        continue;
      }
      const next = here.child(part);
      const shown = '/' + [...names, part].join('/');
      if (next === 'not modelled') return { notModelled: shown };
      if (!next) return { errno: ENOENT };
      const last = i === parts.length - 1;
      if (next.kind === 'lnk' && (!last || follow || mustBeDir)) {
        if (++links > 40) return { errno: ELOOP };
        const base = next.target.startsWith('/') ? [] : names;
        restart = [...base, ...next.target.split('/').filter((p) => p && p !== '.'), ...parts.slice(i + 1)];
        break;
      }
      stack.push(next);
      names.push(part);
    }
    if (restart) {
      parts = restart;
      continue;
    }
    const inode = stack[stack.length - 1]!;
    if (mustBeDir && inode.kind !== 'dir') return { errno: ENOTDIR };
    return { inode, path: '/' + names.join('/') };
  }
}

/** What reading a file gives (cat, grep): its lines, or -errno (EISDIR for a directory). */
export function readFile(k: Kernel, path: string): FileContents | { notModelled: string } {
  const r = lookup(k, path);
  if ('errno' in r) return r.errno;
  if ('notModelled' in r) return r;
  if (r.inode.kind === 'dir') return EISDIR;
  if (r.inode.kind === 'reg') return r.inode.read();
  return 'not modelled';
}
