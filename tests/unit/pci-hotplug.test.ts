import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { runShell } from '../../src/cli/shell';
import { bootShellMachine, driverModelCommand } from '../../src/cli/shell-driver-model';
import { udevd } from '../../src/sim/kernel/udev';
import { catTool, mknodTool } from '../../src/sim/kernel/user-tools';
import { procModules, sysModule } from '../../src/sim/kernel/loader/delete-module';
import { pciBus, pciSysfsAttribute } from '../../src/sim/kernel/pci';
import { modulesDir } from '../../src/sim/kernel/modules-dir';
import { KernelLog } from '../../src/sim/kernel/printk';
import { LOADER_SCENARIOS, runLoaderScenario } from '../../src/sim/scenarios/loader';
import type { Kernel } from '../../src/sim/kernel/kernel';
import type { SimEvent } from '../../src/sim/events';

// The hot-plug chain against the real kernel's pci-hotplug boot (tests/fixtures/real-kernel/
// pci-hotplug-*.txt): the same commands on the emulated machine (QEMU's pc machine with the
// pci-testdev), the uevents udev received in the kernel's order and with its variables, and what
// the kernel printed. Left out, and why: the real unplug and plug also remove and add an ACPI
// wakeup source (SUBSYSTEM=wakeup), which the model does not have; SEQNUMs differ (the real
// kernel sent about 640 uevents while booting), so only their succession is compared; the real
// rescan prints the test device's BAR lines, which the model does not print.
const DIR = 'tests/fixtures/real-kernel';
const lines = (name: string) => readFileSync(`${DIR}/${name}.txt`, 'utf8').split('\n');
const dmesgOf = (name: string) => {
  const l = lines(name);
  return l.slice(l.indexOf('--- dmesg -c ---') + 1, l.indexOf('--- end dmesg ---')).map((x) => x.replace(/^\[\s*\d+\.\d+\] /, ''));
};

/** The uevents a transcript's udev.sh logged: each one's variables, wakeup sources left out. */
function realUevents(name: string): string[][] {
  const l = lines(name);
  const block = l.slice(l.indexOf('--- uevents ---') + 1, l.indexOf('--- end uevents ---'));
  const events: string[][] = [];
  for (const line of block) {
    if (line === '--- uevent ---') events.push([]);
    else if (/^[A-Z_]+=/.test(line)) events.at(-1)!.push(line);
  }
  return events.filter((e) => !e.includes('SUBSYSTEM=wakeup'));
}
const withoutSeqnum = (events: string[][]) => events.map((e) => e.filter((v) => !v.startsWith('SEQNUM=')));
const seqnums = (events: string[][]) => events.map((e) => Number(e.find((v) => v.startsWith('SEQNUM='))!.slice(7)));
const consecutive = (s: number[]) => s.every((n, i) => i === 0 || n === s[i - 1]! + 1);

function shell(k: Kernel, command: string) {
  const r = driverModelCommand(k, command.split(/\s+/));
  if (!r) throw new Error(`not a driver-model command: ${command}`);
  return r;
}
const log = (k: Kernel, from: number) => k.log.records.slice(from).map((r) => KernelLog.line(r).replace(/^\[\s*\d+\.\d+\] /, ''));
const handled = (k: Kernel) => udevd(k).handled.map((u) => u.env.map(([n, v]) => `${n}=${v}`));

describe('PCI hot-plug and autoload, against the real kernel', () => {
  it('unplug, plug (udev loads pcidrv by MODALIAS, probe runs), unplug while bound, modprobe -r', () => {
    const k = bootKernel();
    bootShellMachine(k);
    shell(k, 'depmod');

    // pci-hotplug-unplug: the unbound device goes.
    let before = k.log.records.length;
    expect(shell(k, 'echo 1 >/sys/bus/pci/devices/0000:00:04.0/remove').status).toBe(0);
    const unplug = handled(k);
    expect(withoutSeqnum(unplug)).toEqual(withoutSeqnum(realUevents('pci-hotplug-unplug')));
    expect(log(k, before)).toEqual(dmesgOf('pci-hotplug-unplug'));

    // pci-hotplug-plug: the rescan finds it again; udev's kmod builtin loads pcidrv; probe binds.
    before = k.log.records.length;
    expect(shell(k, 'echo 1 >/sys/bus/pci/rescan').status).toBe(0);
    const plug = handled(k);
    expect(withoutSeqnum(plug)).toEqual(withoutSeqnum(realUevents('pci-hotplug-plug')));
    const realPlugLog = dmesgOf('pci-hotplug-plug').filter((l) => !/: BAR \d/.test(l));
    expect(log(k, before)).toEqual(realPlugLog);
    const state = lines('pci-hotplug-plug');
    expect(procModules(k)).toEqual([state[state.indexOf('--- /proc/modules: pcidrv ---') + 1]]);
    expect(sysModule(k, 'pcidrv')).toMatchObject({ initstate: 'live', refcnt: '0', taint: 'OE', coresize: '16384', initsize: '0' });
    const uevent = state.indexOf('# cat /sys/bus/pci/devices/0000:00:04.0/uevent');
    expect(pciSysfsAttribute(k, '0000:00:04.0', 'uevent')).toEqual(state.slice(uevent + 1, uevent + 7));

    // pci-hotplug-unplug-bound: remove runs, unbind (without MODALIAS), then remove.
    before = k.log.records.length;
    shell(k, 'echo 1 >/sys/bus/pci/devices/0000:00:04.0/remove');
    const unbound = handled(k);
    expect(withoutSeqnum(unbound)).toEqual(withoutSeqnum(realUevents('pci-hotplug-unplug-bound')));
    expect(log(k, before)).toEqual(dmesgOf('pci-hotplug-unplug-bound'));

    // pci-hotplug-modprobe-r: the driver's and the module's kobjects go.
    before = k.log.records.length;
    expect(shell(k, 'modprobe -r pcidrv').status).toBe(0);
    const removed = handled(k);
    expect(withoutSeqnum(removed)).toEqual(withoutSeqnum(realUevents('pci-hotplug-modprobe-r')));
    expect(log(k, before)).toEqual(dmesgOf('pci-hotplug-modprobe-r'));

    expect([unplug, plug, unbound, removed].map((e) => e.length)).toEqual([1, 4, 2, 2]);
    expect(consecutive(seqnums([...unplug, ...plug, ...unbound, ...removed]))).toBe(true);
  });

  it('udev finds pcidrv through modules.alias and loads it with finit_module from ring 3, as (udev-worker)', () => {
    const k = bootKernel();
    bootShellMachine(k);
    shell(k, 'depmod');
    shell(k, 'echo 1 >/sys/bus/pci/devices/0000:00:04.0/remove');
    udevd(k);
    shell(k, 'echo 1 >/sys/bus/pci/rescan');
    k.m.trace = true;
    const r = udevd(k);
    expect(r.journal).toEqual(['Loading module: pci:v00001B36d00000005sv00001AF4sd00001100bc00scFFi00', "Inserted module 'pcidrv'"]);
    const kinds = k.m.log.map((e) => e.kind);
    const ring3Syscall = k.m.log.findIndex((e) => e.kind === 'cpu/ring-changed' && e.from === 3 && e.to === 0 && e.cause === 'syscall');
    const finit = k.m.log.findIndex((e) => e.kind === 'kernel/syscall-entered' && e.name === 'finit_module');
    expect(ring3Syscall).toBeGreaterThan(-1);
    expect(finit).toBeGreaterThan(ring3Syscall);
    expect(kinds.indexOf('bus/probe-called')).toBeGreaterThan(finit);
  });

  it('with no depmod, udev finds no module and nothing binds', () => {
    const k = bootKernel();
    bootShellMachine(k);
    shell(k, 'echo 1 >/sys/bus/pci/devices/0000:00:04.0/remove');
    udevd(k);
    shell(k, 'echo 1 >/sys/bus/pci/rescan');
    expect(udevd(k).journal).toEqual(['Loading module: pci:v00001B36d00000005sv00001AF4sd00001100bc00scFFi00', "Failed to find module 'pci:v00001B36d00000005sv00001AF4sd00001100bc00scFFi00'"]);
    expect(pciBus(k).devices.find((d) => d.name === '0000:00:04.0')!.driver).toBe(undefined);
  });
});

describe('ring0 shell on the oracle’s machine', () => {
  it('insmod pcidrv.ko binds the test device; the driver’s module link reads as pcidrv-use.txt shows', () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), readFile: () => { throw new Error('ENOENT'); } };
    runShell(['insmod pcidrv.ko', 'cat /sys/bus/pci/drivers/pcidrv/module/refcnt', 'cat /sys/bus/pci/devices/0000:00:04.0/uevent', 'dmesg'], io as never);
    const use = lines('pcidrv-use');
    const refcnt = use.indexOf('# cat /sys/bus/pci/drivers/pcidrv/module/refcnt');
    expect(out.slice(1, 3)).toEqual(use.slice(refcnt, refcnt + 2));
    expect(out[3]).toBe('# cat /sys/bus/pci/devices/0000:00:04.0/uevent');
    expect(out[4]).toBe('DRIVER=pcidrv');
    expect(out.slice(out.indexOf('# dmesg') + 1).map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''))).toEqual(dmesgOf('pcidrv-insmod'));
  });
});

describe('request_module(): the kernel asks /sbin/modprobe for a major no driver holds', () => {
  /** The wrapper's log in pci-hotplug-request-module.txt: one entry per call_usermodehelper. */
  function realHelperCalls() {
    const l = lines('pci-hotplug-request-module');
    const block = l.slice(l.indexOf('--- /tmp/umh ---') + 1, l.indexOf('--- end umh ---'));
    const calls: { argv: string[]; env: string[]; status: number }[] = [];
    for (const line of block) {
      const head = /^--- call_usermodehelper: \S+ (.*) ---$/.exec(line);
      if (head) calls.push({ argv: head[1]!.split(' '), env: [], status: NaN });
      else if (/^\[exit status (\d+)\]$/.test(line)) calls.at(-1)!.status = Number(/\d+/.exec(line)![0]);
      else if (line.includes('=')) calls.at(-1)!.env.push(line);
    }
    return calls;
  }

  it('opening a node of major 240: char-major-240-0, then char-major-240, each -q --, with the real environment; ENXIO', () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), readFile: () => { throw new Error('ENOENT'); } };
    runShell(['cat /proc/sys/kernel/modprobe', 'mknod /dev/nomajor c 240 0', 'cat /dev/nomajor'], io as never);
    const real = lines('pci-hotplug-request-module');
    const expected = real.slice(real.indexOf('# cat /proc/sys/kernel/modprobe'), real.indexOf('--- /tmp/umh ---')).filter((l) => l !== '[exit status 0]');
    expect(out).toEqual(expected);

    const k = bootKernel();
    bootShellMachine(k);
    k.m.trace = true;
    runShellOn(k, ['mknod /dev/nomajor c 240 0', 'cat /dev/nomajor']);
    const calls = k.m.log.filter((e): e is Extract<SimEvent, { kind: 'kernel/usermodehelper' }> => e.kind === 'kernel/usermodehelper');
    expect(calls.map((c) => ({ argv: c.argv, env: c.env, status: c.status }))).toEqual(realHelperCalls());
  });

  it('a modprobe that would load a module from inside the open() stops the machine and says so', () => {
    const k = bootKernel();
    bootShellMachine(k);
    const dir = modulesDir(k);
    dir.files.set('modules.dep', 'extra/hello.ko:\n');
    dir.files.set('modules.alias', '# Aliases extracted from modules themselves.\nalias char-major-240-* hello\n');
    const r = runShellOn(k, ['mknod /dev/nomajor c 240 0', 'cat /dev/nomajor']);
    expect(r.at(-1)).toMatch(/^cat: the machine stopped: request_module\("char-major-240-0"\) would make \/sbin\/modprobe load hello: .* not modelled$/);
  });
});

/** mknod and cat on a kernel the test holds (the shell boots its own): what they print on stderr. */
function runShellOn(k: Kernel, commands: string[]): string[] {
  return commands.flatMap((c) => {
    const w = c.split(' ');
    return (w[0] === 'mknod' ? mknodTool(k, w[1]!, Number(w[3]), Number(w[4])) : catTool(k, w[1]!)).stderr;
  });
}


describe('the pci-hotplug-autoload scenario shows each step the emulator takes', () => {
  it('depmod, the card, its uevent, udev, finit_module from ring 3, init, registration, the match, probe, lsmod, unplug, modprobe -r', () => {
    const s = LOADER_SCENARIOS.find((x) => x.id === 'pci-hotplug-autoload')!;
    expect(s).toBeDefined();
    expect(s.issue).toBe(5);
    const k = bootKernel();
    k.m.trace = true;
    const outcomes = runLoaderScenario(k, s, {}, (p) => new Uint8Array(readFileSync(`public/samples/${p}`)));
    expect(outcomes.map((o) => [o.step.split(' ')[0], o.result.status])).toEqual([
      ['cp', 0], ['depmod', 0], ['(QEMU)', 0], ['systemd-udevd', 0], ['lsmod', 0], ['(QEMU)', 0], ['systemd-udevd', 0], ['modprobe', 0], ['systemd-udevd', 0],
    ]);
    expect(outcomes[4]!.result.stdout).toBe('Module                  Size  Used by\npcidrv                 16384  0\n');
    const story = k.m.log
      .map((e) => {
        if (e.kind === 'user/modelled' && e.program === 'depmod' && e.text.includes('modules.alias')) return 'depmod writes modules.alias';
        if (e.kind === 'kernel/hle-entered' && e.name === 'enable_slot') return 'the slot is scanned';
        if (e.kind === 'device/uevent') return `uevent ${e.action} ${e.devpath}`;
        if (e.kind === 'user/modelled' && e.text.includes('80-drivers.rules')) return 'udev applies 80-drivers.rules';
        if (e.kind === 'kernel/syscall-entered') return `syscall ${e.name}`;
        if (e.kind === 'loader/init-called') return `init of ${e.module}`;
        if (e.kind === 'loader/exit-called') return `exit of ${e.module}`;
        if (e.kind === 'bus/driver-registered') return `driver ${e.name} registered`;
        if (e.kind === 'bus/matched' && e.entry) return `match ${e.device}`;
        if (e.kind === 'bus/probe-called') return `probe ${e.device}`;
        if (e.kind === 'kernel/printk' && e.text.startsWith('pcidrv: probe')) return e.text;
        if (e.kind === 'bus/remove-called') return `remove ${e.device}`;
        return undefined;
      })
      .filter((x) => x !== undefined);
    expect(story).toEqual([
      'depmod writes modules.alias',
      'the slot is scanned',
      'uevent add /devices/pci0000:00/0000:00:04.0',
      'udev applies 80-drivers.rules',
      'syscall finit_module',
      'init of pcidrv',
      'driver pcidrv registered',
      'match 0000:00:04.0',
      'probe 0000:00:04.0',
      'pcidrv: probe 0000:00:04.0: vendor 1b36 device 0005',
      'uevent bind /devices/pci0000:00/0000:00:04.0',
      'uevent add /bus/pci/drivers/pcidrv',
      'uevent add /module/pcidrv',
      'syscall exit_group',
      'remove 0000:00:04.0',
      'uevent unbind /devices/pci0000:00/0000:00:04.0',
      'uevent remove /devices/pci0000:00/0000:00:04.0',
      'syscall delete_module',
      'exit of pcidrv',
      'uevent remove /bus/pci/drivers/pcidrv',
      'uevent remove /module/pcidrv',
      'syscall exit_group',
    ]);
  });
});
