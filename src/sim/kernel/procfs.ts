// Models: /proc/devices as Linux 6.1 prints it (fs/proc/devices.c: character devices by major,
// then block devices), with the built-in entries of the real Debian kernel booted by the oracle
// (tests/fixtures/real-kernel/hello-proc-devices.txt) plus what modules registered.
// Simplifies: the built-in list is fixed (the oracle's QEMU machine); no block devices of modules.
import type { Kernel } from './kernel';

/** The real kernel's built-in character devices (major, name), in /proc/devices order. */
export const BUILTIN_CHAR: [number, string][] = [
  [1, 'mem'], [4, '/dev/vc/0'], [4, 'tty'], [4, 'ttyS'], [5, '/dev/tty'], [5, '/dev/console'], [5, '/dev/ptmx'],
  [7, 'vcs'], [10, 'misc'], [13, 'input'], [29, 'fb'], [128, 'ptm'], [136, 'pts'], [153, 'spi'],
  [247, 'cxl'], [248, 'bsg'], [249, 'ptp'], [250, 'pps'], [251, 'rtc'], [252, 'dax'], [253, 'tpm'], [254, 'gpiochip'],
];
const BUILTIN_BLOCK: [number, string][] = [[259, 'blkext']];

export function procDevices(k: Kernel): string[] {
  const chars = [...BUILTIN_CHAR, ...[...k.chrdevs.devices.values()].map((d) => [d.major, d.name] as [number, string])];
  const stable = chars.map((c, i) => ({ c, i })).sort((a, b) => a.c[0] - b.c[0] || a.i - b.i).map((x) => x.c);
  const line = ([major, name]: [number, string]) => `${String(major).padStart(3)} ${name}`;
  return ['Character devices:', ...stable.map(line), '', 'Block devices:', ...BUILTIN_BLOCK.map(line)];
}
