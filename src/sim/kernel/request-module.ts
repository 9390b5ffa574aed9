// Models: __request_module() of Linux 6.1 (kernel/module/kmod.c), the kernel asking user space for
// a module: call_modprobe() runs modprobe_path (CONFIG_MODPROBE_PATH, "/sbin/modprobe", as
// /proc/sys/kernel/modprobe shows) with argv "-q -- NAME" and the environment HOME=/, TERM=linux,
// PATH=/sbin:/usr/sbin:/bin:/usr/bin through call_usermodehelper_exec(UMH_WAIT_PROC), and
// returns what the helper's wait gives: 0, or its exit status shifted into a wait status (> 0).
// The caller modelled is the one a reader meets first: chrdev_open() → kobj_lookup() →
// base_probe() (fs/char_dev.c) for a device number no driver holds asks for "char-major-M-N",
// and when that fails for "char-major-M" (the oracle's wrapper recorded both calls, with this
// argv and environment: tests/fixtures/real-kernel/pci-hotplug-request-module.txt).
// Simplifies: the helper is the modelled modprobe's lookup (kmod-modprobe.ts), run in TypeScript
// rather than as an exec'd process, and not counted as a PID; when it finds a module that is not
// loaded, loading it (a second user process while the first waits in its system call) is not
// modelled and stops the machine saying so. No MAX_KMOD_CONCURRENT limit.
import type { Kernel } from './kernel';
import { NotModelled } from '../cpu/fault';
import { kmodLookup } from './kmod-modprobe';
import { sysModule } from './loader/module-sysfs';

export const MODPROBE_PATH = '/sbin/modprobe';
const UMH_ENV = ['HOME=/', 'TERM=linux', 'PATH=/sbin:/usr/sbin:/bin:/usr/bin'];

/** request_module(NAME): the helper's wait status (0 when modprobe succeeded). */
export function requestModule(k: Kernel, name: string): number {
  const argv = ['-q', '--', name];
  const found = kmodLookup(k, name);
  const toLoad = found.filter((m) => sysModule(k, m.name)?.['initstate'] !== 'live');
  if (toLoad.length) {
    throw new NotModelled(`request_module("${name}") would make ${MODPROBE_PATH} load ${toLoad.map((m) => m.name).join(', ')}: a user process started from inside another one's system call is not modelled`);
  }
  const status = found.length ? 0 : 1; // modprobe -q finds nothing: exit 1, silently
  k.m.emit({ kind: 'kernel/usermodehelper', path: MODPROBE_PATH, argv, env: UMH_ENV, status });
  return status << 8;
}

/** base_probe() of fs/char_dev.c: a nonzero answer for "char-major-M-N" sends the 2.4-style "char-major-M". */
export function chrdevBaseProbe(k: Kernel, major: number, minor: number): void {
  if (requestModule(k, `char-major-${major}-${minor}`) > 0) requestModule(k, `char-major-${major}`);
}
