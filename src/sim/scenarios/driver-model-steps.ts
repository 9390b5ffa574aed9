// Models: the steps of the driver-model scenarios (issue 5): copying modules to
// /lib/modules/$(uname -r)/extra, depmod, modprobe, a PCI card plugged into or pulled out of QEMU's
// machine (the ACPI hot-plug slot's enable_slot()/disable_slot() in a kernel worker:
// pci_scan_slot → pci_device_add → device_add → pci_bus_add_device, or
// pci_stop_and_remove_bus_device), systemd-udevd handling the queued uevents, and lsmod.
// Simplifies: the machine's own part of a hot-plug (QEMU's device_add, the ACPI GPE and its
// notification) is not modelled: the step starts where the kernel's hot-plug driver scans the
// slot. The oracle (tests/fixtures/real-kernel/pci-hotplug-*.txt) reached the same pci_scan_slot
// path through a sysfs remove and rescan.
import type { Kernel } from '../kernel/kernel';
import { lsmodTool, type ToolResult } from '../kernel/user-tools';
import { depmodTool } from '../kernel/kmod-depmod';
import { modprobeTool } from '../kernel/kmod-modprobe';
import { installModules, modulesDir } from '../kernel/modules-dir';
import { udevd } from '../kernel/udev';
import { PCI_TESTDEV, pciHotplugAdd, pciHotplugRemove, type PciIds } from '../kernel/pci';
import { runKernelWork } from '../kernel/kthread';

export type DriverModelStep =
  | { install: readonly string[] }
  | { depmod: true }
  | { modprobe: readonly string[] }
  | { plug: 'pci-testdev' }
  | { unplug: 'pci-testdev' }
  | { udevd: true }
  | { lsmod: true };

const DEVICES: Record<string, PciIds> = { 'pci-testdev': PCI_TESTDEV };

export { isDriverModelStep } from './step-kinds';

const slotName = (d: PciIds) => `0000:00:${d.slot.toString(16).padStart(2, '0')}.${d.fn}`;

/** Runs one step; `file` gives the bytes of public/samples/<name>. */
export function runDriverModelStep(k: Kernel, step: DriverModelStep, file: (path: string) => Uint8Array): { step: string; result: ToolResult & { stdout?: string } } {
  if ('install' in step) {
    const dir = `${modulesDir(k).dirname}/extra/`;
    installModules(k, step.install.map((name) => ({ name, bytes: file(name) })));
    k.nextPid++; // the cp process
    k.m.emit({ kind: 'user/modelled', program: 'cp', text: `copies ${step.install.length} module files to ${dir}` });
    return { step: `cp ${step.install.join(' ')} ${dir}`, result: { status: 0, stderr: [] } };
  }
  if ('depmod' in step) return { step: 'depmod', result: depmodTool(k) };
  if ('modprobe' in step) return { step: `modprobe ${step.modprobe.join(' ')}`, result: modprobeTool(k, step.modprobe) };
  if ('lsmod' in step) return { step: 'lsmod', result: { status: 0, stderr: [], stdout: lsmodTool(k).join('\n') + '\n' } };
  if ('udevd' in step) {
    const r = udevd(k);
    const stdout = r.handled.map((u) => `--- uevent ---\n${u.env.map(([n, v]) => `${n}=${v}\n`).join('')}`).join('');
    return { step: 'systemd-udevd (handles the queued uevents)', result: { status: 0, stderr: [], stdout } };
  }
  const ids = DEVICES['plug' in step ? step.plug : step.unplug]!;
  const r =
    'plug' in step
      ? runKernelWork(k, 'enable_slot', 'drivers/pci/hotplug/acpiphp_glue.c', () => pciHotplugAdd(k, ids))
      : runKernelWork(k, 'disable_slot', 'drivers/pci/hotplug/acpiphp_glue.c', () => pciHotplugRemove(k, slotName(ids)));
  const what = 'plug' in step ? `device_add ${step.plug} (a card in slot ${ids.slot})` : `device_del ${step.unplug} (the card in slot ${ids.slot} pulled out)`;
  if (typeof r === 'string') return { step: `(QEMU) ${what}`, result: { status: 1, stderr: [`the machine stopped: ${r}`] } };
  return { step: `(QEMU) ${what}`, result: { status: r === 0 ? 0 : 1, stderr: r === 0 ? [] : [`the slot's scan returned ${r}`] } };
}
