// Models: the driver-model part of `ring0 shell`: the machine booted as the oracle's pci-hotplug
// boot was (QEMU's pc machine with -device pci-testdev, and every sample module but the two that
// oops copied to /lib/modules/$(uname -r)/extra/), and the commands a reader uses there: depmod,
// modprobe, `udevadm settle` (systemd-udevd handles the uevents queued so far), and the sysfs
// writes of the oracle, `echo 1 > /sys/bus/pci/devices/0000:00:04.0/remove` and
// `echo 1 > /sys/bus/pci/rescan`; /sys/bus/pci/devices/*/{vendor,device,subsystem_vendor,
// subsystem_device,class,revision,modalias,uevent}, /sys/bus/pci/drivers/*/module/* (the owner's
// /sys/module attributes), /proc/sys/kernel/modprobe and depmod's files
// under /lib/modules/$(uname -r)/ can be read with cat.
// Simplifies: echo's write() is not a system call here: the sysfs store function runs as kernel
// work; udevd runs only when asked (udevadm settle), not as a daemon beside the shell.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kernel } from '../sim/kernel/kernel';
import { PCI_TESTDEV, pciBus, pciRescanBus, pciStopAndRemoveBusDevice, pciSysfsAttribute } from '../sim/kernel/pci';
import { installModules, modulesDir } from '../sim/kernel/modules-dir';
import { depmodTool } from '../sim/kernel/kmod-depmod';
import { modprobeTool } from '../sim/kernel/kmod-modprobe';
import { udevd } from '../sim/kernel/udev';
import { runKernelWork } from '../sim/kernel/kthread';
import { MODPROBE_PATH } from '../sim/kernel/request-module';
import { sampleBytes } from './samples';
import { sysModule } from '../sim/kernel/loader/module-sysfs';
import { outputLines } from './format';

export interface ShellOutput {
  status: number;
  out: string[];
  err: string[];
}

/** The oracle's machine: the test device in slot 4 at boot, the samples in extra/ (depmod not yet run). */
export function bootShellMachine(k: Kernel): void {
  pciBus(k, [PCI_TESTDEV]);
  const dir = fileURLToPath(new URL('../../public/samples/', import.meta.url));
  const names = readdirSync(dir).filter((f) => f.endsWith('.ko') && !f.startsWith('oops-')).sort();
  installModules(k, names.map((name) => ({ name, bytes: sampleBytes(name) })));
}

const ok = (out: string[] = []): ShellOutput => ({ status: 0, out, err: [] });

/** depmod, modprobe, udevadm settle and the two sysfs writes; undefined for any other command. */
export function driverModelCommand(k: Kernel, words: readonly string[]): ShellOutput | undefined {
  const [name, ...args] = words;
  if (name === 'depmod') {
    if (args.length) return { status: 1, out: [], err: ['depmod: the model runs depmod without arguments only'] };
    const r = depmodTool(k);
    return { status: r.status, out: [], err: r.stderr };
  }
  if (name === 'modprobe') {
    const r = modprobeTool(k, args);
    return { status: r.status, out: outputLines(r.stdout), err: r.stderr };
  }
  if (name === 'udevadm') {
    if (args.join(' ') !== 'settle') return { status: 1, out: [], err: ['udevadm: the model knows only "udevadm settle"'] };
    k.nextPid++;
    udevd(k);
    return ok();
  }
  if (name === 'echo') {
    const target = args.join(' ').match(/^1\s*>\s*(\S+)$/)?.[1];
    if (!target) return undefined;
    if (target === '/sys/bus/pci/rescan') return kernelWork(k, 'rescan_store', () => pciRescanBus(k));
    const remove = /^\/sys\/bus\/pci\/devices\/([0-9a-f:.]+)\/remove$/.exec(target);
    if (remove && pciBus(k).devices.some((d) => d.name === remove[1])) return kernelWork(k, 'remove_store', () => pciStopAndRemoveBusDevice(k, remove[1]!));
    return { status: 1, out: [], err: [`sh: can't create ${target}: No such file or directory`] };
  }
  return undefined;
}

function kernelWork(k: Kernel, name: string, body: () => ReturnType<typeof pciRescanBus>): ShellOutput {
  const r = runKernelWork(k, name, 'drivers/pci/pci-sysfs.c', body);
  return typeof r === 'string' ? { status: 1, out: [], err: [`sh: the machine stopped: ${r}`] } : ok();
}

/** The files of the driver model that cat can read; undefined for any other path. */
export function driverModelFile(k: Kernel, path: string): ShellOutput | undefined {
  if (path === '/proc/sys/kernel/modprobe') return ok([MODPROBE_PATH]);
  const attr = /^\/sys\/bus\/pci\/devices\/([0-9a-f:.]+)\/(\w+)$/.exec(path);
  if (attr) {
    const lines = pciSysfsAttribute(k, attr[1]!, attr[2]!);
    return lines ? ok(lines) : { status: 1, out: [], err: [`cat: can't open '${path}': No such file or directory`] };
  }
  // /sys/bus/pci/drivers/<driver>/module is a link to /sys/module/<its owner>
  const drv = /^\/sys\/bus\/pci\/drivers\/([^/]+)\/module\/(\w+)$/.exec(path);
  if (drv) {
    const owner = pciBus(k).drivers.find((d) => d.name === drv[1]);
    const mod = owner && [...k.modules.values()].find((m) => m.address === owner.owner);
    const value = mod && sysModule(k, mod.name)?.[drv[2]!];
    return value !== undefined ? ok([value]) : { status: 1, out: [], err: [`cat: can't open '${path}': No such file or directory`] };
  }
  const dir = modulesDir(k);
  if (path.startsWith(dir.dirname + '/')) {
    const f = dir.files.get(path.slice(dir.dirname.length + 1));
    if (typeof f === 'string') return ok(outputLines(f));
    if (f === undefined) return { status: 1, out: [], err: [`cat: can't open '${path}': No such file or directory`] };
  }
  return undefined;
}
