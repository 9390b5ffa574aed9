// Models: the book's named kernel scenarios: loading modules (issue 4) and user programs meeting
// drivers and faults (issue 5). Each is a short sequence of commands (insmod, rmmod, mknod, cat,
// ls, the shell's exec redirections, a sample program) on a fresh emulated Linux 6.1, with
// parameters and defaults, shared by chapters, widgets, the command line and the tests. Deterministic: nothing varies between runs (there is
// no seed; the same parameters give the same events, byte for byte).
// Simplifies: the bytes of the sample files are supplied by the caller (src/sim reads no files).
import type { Kernel } from '../kernel/kernel';
import { insmodTool, mknodTool, programTool, rmmodTool, type ToolResult } from '../kernel/user-tools';
import { catFileTool } from '../kernel/cat-file';
import { shellClose, shellOpen } from '../kernel/shell-fds';
import type { LoadFlags } from '../kernel/loader/load-info';
import type { DriverModelStep } from './driver-model-steps';
import type { BuiltinBootOptions } from '../kernel/initcalls';
import type { DeviceStep } from './device-steps';
import { isDeviceStep, isDriverModelStep } from './step-kinds';
import { subsystem } from '../kernel/subsystems';
import { split } from '../kernel/layout';
import { scanMappings } from '../mem/page-table-scan';

export interface ScenarioParam {
  name: string;
  description: string;
  values: readonly string[];
  default: string;
}

type BaseStep =
  | { insmod: string; args?: string }
  | { rmmod: string }
  | { mknod: string; major: number; minor: number }
  | { cat: string }
  | { run: string; args?: string[] }
  | { ls: string; long?: boolean }
  | { hold: string; fd: number } // the shell's `exec FD<PATH`
  | { release: number } // the shell's `exec FD<&-`
  | DriverModelStep; // install, depmod, modprobe, plug, unplug, udevd, lsmod
type Step = BaseStep | DeviceStep; // irq, grep, serve, compare, and run with an interrupt or a measurement

export interface LoaderScenario {
  id: string;
  title: string;
  /** The question the scenario answers, for the widget that opens it. */
  question: string;
  params: readonly ScenarioParam[];
  /** The issue whose budget it counts against (4: loading; 5: processes and devices). */
  issue?: 5;
  flags?: (params: Record<string, string>, k: Kernel) => Partial<LoadFlags>;
  /** Boot with the built-in image (public/samples/builtin/) before the steps, with these options. */
  boot?: (params: Record<string, string>) => BuiltinBootOptions;
  steps: (params: Record<string, string>) => Step[];
}

const noParams: ScenarioParam[] = [];
const keyringParam: ScenarioParam = {
  name: 'keyring',
  description: "what the emulated built-in keyring holds: nothing of ours (as Debian's), or the samples' test key",
  values: ['debian', 'test-key'],
  default: 'debian',
};
const keyring = (p: Record<string, string>, k: Kernel): Partial<LoadFlags> => (p['keyring'] === 'test-key' ? { keyring: subsystem(k, 'signatures', 'the keyring=test-key parameter').emulatedBuiltinKeyring() } : {});
const one = (file: string): LoaderScenario['steps'] => () => [{ insmod: file }];

export const LOADER_SCENARIOS: readonly LoaderScenario[] = [
  {
    id: 'hello-load', title: 'insmod hello.ko', question: 'What does the kernel do, stage by stage, to take hello.ko in?',
    params: [{ name: 'module', description: 'which sample to load', values: ['hello.ko', 'hellorw.ko', 'miscdev.ko', 'gplonly.ko', 'signed.ko'], default: 'hello.ko' }],
    steps: (p) => [{ insmod: p['module']! }],
  },
  { id: 'unknown-symbol', title: 'A symbol no one exports', question: 'What happens when a module calls a function the kernel does not export?', params: noParams, steps: one('variants/unknown-symbol.ko') },
  { id: 'gpl-only-from-proprietary', title: 'A GPL-only symbol from a proprietary module', question: 'Why can a proprietary module not link against ktime_get?', params: noParams, steps: one('variants/gplonly-proprietary.ko') },
  { id: 'vermagic-mismatch', title: 'A wrong vermagic word', question: 'Which part of the version magic must match?', params: [{ name: 'change', description: 'what differs', values: ['word', 'release'], default: 'word' }], steps: (p) => [{ insmod: p['change'] === 'release' ? 'variants/vermagic-release.ko' : 'variants/vermagic-word.ko' }] },
  { id: 'crc-mismatch', title: 'A symbol whose CRC disagrees', question: 'What does modversions check for each imported symbol?', params: noParams, steps: one('variants/crc-mismatch.ko') },
  { id: 'module-layout-mismatch', title: 'A different struct module', question: 'Why is module_layout checked before anything else?', params: noParams, steps: one('variants/module-layout-crc.ko') },
  { id: 'signed-ok', title: 'A signature the kernel trusts', question: 'What changes when the signing key is in the kernel’s keyring?', params: [{ ...keyringParam, default: 'test-key' }], flags: keyring, steps: one('signed.ko') },
  { id: 'signed-corrupt', title: 'A damaged signature', question: 'What does the kernel do with a signature that does not verify?', params: [{ ...keyringParam, default: 'test-key' }], flags: keyring, steps: one('variants/signed-corrupt.ko') },
  { id: 'unsigned-enforced', title: 'An unsigned module under module.sig_enforce=1', question: 'Who refuses an unsigned module, and when?', params: noParams, flags: () => ({ sigEnforce: true }), steps: one('hello.ko') },
  { id: 'unsigned-tainted', title: 'An unsigned module loads and taints', question: 'What does "tainted" mean after an unsigned load?', params: noParams, steps: one('hello.ko') },
  { id: 'lockdown-only', title: 'An unsigned module under lockdown', question: 'How does lockdown differ from signature enforcement?', params: noParams, flags: () => ({ lockdown: true }), steps: one('hello.ko') },
  { id: 'already-loaded', title: 'insmod twice', question: 'What does the kernel answer to a second load of the same module?', params: noParams, steps: () => [{ insmod: 'hello.ko' }, { insmod: 'hello.ko' }] },
  { id: 'init-fails', title: 'An init function that fails', question: 'What is left of a module whose init returns an error?', params: noParams, steps: () => [{ insmod: 'initfail.ko' }, { insmod: 'initfail.ko' }] },
  {
    id: 'exporter-pinned', title: 'A module in use cannot leave', question: 'Why does the kernel refuse to unload a module another one uses?', params: noParams,
    steps: () => [{ insmod: 'exporter.ko' }, { insmod: 'importer.ko' }, { rmmod: 'exporter' }, { rmmod: 'importer' }, { rmmod: 'exporter' }],
  },
  {
    id: 'hello-read', title: 'One read() into a driver and back', question: 'What happens between cat calling read() and hello_read copying its message out?', issue: 5,
    // More cats make a long run: the bench scrubs through one of more than 10,000 steps.
    params: [{ name: 'cats', description: 'how many times cat reads /dev/hello once the driver is loaded', values: ['1', '2', '5', '10'], default: '1' }],
    steps: (p) => [{ cat: '/dev/hello' }, { insmod: 'hello.ko' }, { mknod: '/dev/hello', major: 246, minor: 0 }, ...Array.from({ length: Number(p['cats']) }, () => ({ cat: '/dev/hello' })), { rmmod: 'hello' }],
  },
  {
    id: 'ioctl-roundtrip', title: 'write() and ioctl() into a driver', question: 'How does an ioctl number find its way to the driver’s unlocked_ioctl?', params: noParams, issue: 5,
    steps: () => [{ insmod: 'hellorw.ko' }, { mknod: '/dev/hellorw', major: 246, minor: 0 }, { run: 'ioctl-hello' }, { rmmod: 'hellorw' }],
  },
  { id: 'user-cli-gp', title: 'cli in ring 3', question: 'What stops a user program from turning interrupts off?', params: noParams, issue: 5, steps: () => [{ run: 'cli' }] },
  { id: 'user-reads-kernel-pf', title: 'A user program reads kernel memory', question: 'Why can a program not read the kernel, though it is mapped?', params: noParams, issue: 5, steps: () => [{ run: 'read-kernel' }] },
  {
    id: 'null-deref-oops', title: 'A driver dereferences NULL in read()', question: 'What happens when a driver faults in ring 0 — and why does the machine go on?', params: noParams, issue: 5,
    // misc_register gives oops_read 10:124 and devtmpfs its node, as on the real kernel (oops-read-read.txt).
    steps: () => [{ insmod: 'oops-read.ko' }, { ls: '/dev/oops_read', long: true }, { cat: '/dev/oops_read' }, { lsmod: true }, { rmmod: 'oops_read' }],
  },
  {
    id: 'init-oops', title: 'A module faults in its init function', question: 'What is left of a module whose init oopses, and why can it not be removed?', params: noParams, issue: 5,
    steps: () => [{ insmod: 'oops-init.ko' }, { lsmod: true }, { rmmod: 'oops_init' }],
  },
  {
    id: 'misc-autonode', title: 'A misc device gets its node by itself', question: 'Who makes /dev/miscdev, when hello needed mknod?', params: noParams, issue: 5,
    steps: () => [{ insmod: 'miscdev.ko' }, { ls: '/dev/miscdev', long: true }, { cat: '/dev/miscdev' }, { rmmod: 'miscdev' }, { ls: '/dev/miscdev', long: true }],
  },
  {
    id: 'rmmod-busy', title: 'rmmod while a file is open', question: 'Why does rmmod refuse hello while a shell holds /dev/hello open, without asking the kernel?', params: noParams, issue: 5,
    steps: () => [
      { insmod: 'hello.ko' }, { mknod: '/dev/hello', major: 246, minor: 0 }, { hold: '/dev/hello', fd: 3 }, { cat: '/sys/module/hello/refcnt' },
      { rmmod: 'hello' }, { release: 3 }, { cat: '/sys/module/hello/refcnt' }, { rmmod: 'hello' },
    ],
  },
  {
    id: 'rmmod-busy-raw', title: 'delete_module while a file is open', question: 'What does the kernel itself answer when asked to unload a module in use?', params: noParams, issue: 5,
    steps: () => [
      { insmod: 'hello.ko' }, { mknod: '/dev/hello', major: 246, minor: 0 }, { hold: '/dev/hello', fd: 3 },
      { run: 'delete-module', args: ['hello'] }, { release: 3 }, { run: 'delete-module', args: ['hello'] },
    ],
  },
  {
    id: 'pci-hotplug-autoload', title: 'A PCI card appears and its driver loads itself', question: 'Who loads pcidrv.ko when the card is plugged in, and how does it find the driver?', params: noParams, issue: 5,
    steps: () => [
      // The oracle's set: every sample but the two that oops (tests/fixtures/real-kernel/pci-hotplug-depmod.txt).
      { install: ['exporter.ko', 'gplonly.ko', 'hello.ko', 'hellorw.ko', 'importer.ko', 'initfail.ko', 'miscdev.ko', 'param.ko', 'pcidrv.ko', 'signed.ko'] },
      { depmod: true }, { plug: 'pci-testdev' }, { udevd: true }, { lsmod: true }, { unplug: 'pci-testdev' }, { udevd: true }, { modprobe: ['-r', 'pcidrv'] }, { udevd: true },
    ],
  },
  {
    id: 'builtin-boot', title: 'A kernel with hello built in', question: 'What changes when the same driver is built into the kernel instead of loaded as a module?', issue: 5,
    params: [{ name: 'initcall_debug', description: 'initcall_debug on the kernel command line: a line before and after every initcall', values: ['on', 'off'], default: 'on' }],
    boot: (p) => ({ initcallDebug: p['initcall_debug'] === 'on' }),
    steps: () => [{ rmmod: 'hello' }, { mknod: '/dev/hello', major: 246, minor: 0 }, { cat: '/dev/hello' }, { insmod: 'hello.ko' }, { rmmod: 'hello' }],
  },
  {
    id: 'irq-roundtrip', title: 'A device interrupts a running program', question: 'What happens between a device raising its line and the interrupted program carrying on?', params: noParams, issue: 5,
    // The device pulses IRQ 3 in the middle of irq-watch's ring-3 loop (which runs from about the
    // 420th to the 600th instruction retired, the entry code of its first three system calls
    // included), then once more while the CPU idles, then after rmmod (free_irq masked the pin:
    // nothing arrives; the line's count stays).
    steps: () => [
      { insmod: 'irqcount.ko' }, { mknod: '/dev/irqcount', major: 246, minor: 0 }, { grep: 'irqcount', file: '/proc/interrupts' },
      { run: 'irq-watch', irq: { line: 3, after: 500 } }, { grep: 'irqcount', file: '/proc/interrupts' },
      { irq: 3 }, { cat: '/dev/irqcount' }, { rmmod: 'irqcount' }, { irq: 3 }, { grep: ' 3:', file: '/proc/interrupts' },
    ],
  },
  {
    id: 'userspace-driver-read', title: 'The same read() from a driver outside the kernel', question: 'What does a read() cost when its driver is a process instead of kernel code?', params: noParams, issue: 5,
    steps: () => [
      { insmod: 'hello.ko' }, { mknod: '/dev/hello', major: 246, minor: 0 }, { run: 'cat-hello', measure: 'monolithic' }, { rmmod: 'hello' },
      { serve: 'hellod', path: '/dev/hello' }, { run: 'cat-hello', measure: 'userspace' }, { compare: 'read-paths' },
    ],
  },
  // CONFIG_HELLO=m: kbuild made hello.ko, `make modules_install` put it under /lib/modules (the
  // modelled cp), depmod indexes it, and modprobe loads it when asked. (=y is builtin-boot.)
  {
    id: 'kconfig-m', title: 'hello as a module (=m)', question: 'With =m, where is hello, and when does its init run?', params: noParams, issue: 5,
    steps: () => [{ install: ['hello.ko'] }, { depmod: true }, { modprobe: ['hello'] }, { lsmod: true }, { cat: '/proc/devices' }],
  },
  // CONFIG_HELLO=n: the same kernel with hello in neither the image nor /lib/modules.
  {
    id: 'kconfig-n', title: 'hello not configured (=n)', question: 'With =n, what is left of hello?', params: noParams, issue: 5,
    steps: () => [{ modprobe: ['hello'] }, { lsmod: true }, { cat: '/proc/devices' }],
  },
];

export type ScenarioOutcome = { step: string; result: ToolResult & { stdout?: string } };

/** Checks parameters against the scenario's list; unknown names and values are reported, defaults filled in. */
export function scenarioParams(s: LoaderScenario, given: Record<string, string>): Record<string, string> | { error: string } {
  const out: Record<string, string> = {};
  for (const name of Object.keys(given)) if (!s.params.some((p) => p.name === name)) return { error: `the scenario "${s.id}" has no parameter "${name}"` };
  for (const p of s.params) {
    const v = given[p.name] ?? p.default;
    if (!p.values.includes(v)) return { error: `"${v}" is not a value of ${p.name} (one of: ${p.values.join(', ')})` };
    out[p.name] = v;
  }
  return out;
}

/**
 * Runs a scenario on a freshly booted kernel with the modelled kmod tools, which enter the kernel
 * by a real `syscall` from ring 3; `file` supplies the bytes of public/samples/<path>.
 */
export function runLoaderScenario(k: Kernel, s: LoaderScenario, params: Record<string, string>, file: (path: string) => Uint8Array): ScenarioOutcome[] {
  const flags = s.flags?.(params, k) ?? {};
  k.sigEnforce = flags.sigEnforce ?? false;
  k.lockdown = flags.lockdown ?? false;
  k.keyring = flags.keyring ?? [];
  if (k.m.trace) k.m.emit({ kind: 'mmu/tables-read', cr3: split(BigInt(k.tables.root)), ranges: scanMappings(k.m.mem, k.tables.root).map((r) => ({ ...r, start: split(r.start) })) });
  if (s.boot) {
    const modulesBuiltin = String.fromCharCode(...file('builtin/modules.builtin'));
    const booted = subsystem(k, 'builtin', 'a boot with the built-in image').bootBuiltins(k, file('builtin/builtin.elf'), modulesBuiltin, s.boot(params));
    if ('error' in booted) return [{ step: 'boot', result: { status: 1, stderr: [`boot: ${booted.error}`] } }];
  }
  return s.steps(params).map((given) => {
    const device = isDeviceStep(given) ? subsystem(k, 'deviceSteps', 'a device step').runDeviceStep(k, given, file) : undefined;
    if (device) return device;
    const step = given as BaseStep;
    if ('insmod' in step) {
      const name = step.insmod.split('/').pop()!;
      return { step: `insmod ${name}${step.args ? ' ' + step.args : ''}`, result: insmodTool(k, name, file(step.insmod), step.args ?? '') };
    }
    if ('rmmod' in step) return { step: `rmmod ${step.rmmod}`, result: rmmodTool(k, step.rmmod) };
    if ('mknod' in step) return { step: `mknod ${step.mknod} c ${step.major} ${step.minor}`, result: mknodTool(k, step.mknod, step.major, step.minor) };
    if ('cat' in step) return { step: `cat ${step.cat}`, result: catFileTool(k, step.cat) };
    if ('ls' in step) {
      const r = subsystem(k, 'tools', 'ls').lsTool(k, step.long ? ['-l', step.ls] : [step.ls]);
      return { step: `ls ${step.long ? '-l ' : ''}${step.ls}`, result: { status: r.status, stderr: r.stderr, stdout: r.stdout.map((l) => l + '\n').join('') } };
    }
    if ('hold' in step) return { step: `exec ${step.fd}<${step.hold}`, result: shellOpen(k, step.fd, step.hold) };
    if ('release' in step) return { step: `exec ${step.release}<&-`, result: shellClose(k, step.release) };
    if (isDriverModelStep(step)) return subsystem(k, 'pci', `the ${Object.keys(step)[0]} step`).runDriverModelStep(k, step, file);
    const shown = `./${step.run}${step.args ? ' ' + step.args.join(' ') : ''}`;
    return { step: shown, result: programTool(k, step.run, file(step.run), `./${step.run}`, step.args) };
  });
}

