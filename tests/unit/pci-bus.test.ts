import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { readElf, isElfError } from '../../src/sim/elf';
import { insmodTool, rmmodTool } from '../../src/sim/kernel/user-tools';
import { KernelLog } from '../../src/sim/kernel/printk';
import { procModules } from '../../src/sim/kernel/loader/delete-module';
import type { Kernel } from '../../src/sim/kernel/kernel';
import {
  PCI_ANY_ID, PCI_TESTDEV, QEMU_PC_DEVICES, pciBus, pciMatchId, pciMatchOneDevice, pciSysfsAttribute, pciUeventEnv, readIdTable, type PciDeviceId,
} from '../../src/sim/kernel/pci';

// The PCI bus against the real kernel (tests/fixtures/real-kernel: the pcidrv and pci-hotplug
// boots, QEMU's pc machine with -device pci-testdev) and the id-table rules of 6.1's
// pci_match_one_device(), with tables read from kernel memory at the layout probe's offsets.
const DIR = 'tests/fixtures/real-kernel';
const transcript = (name: string) => readFileSync(`${DIR}/${name}.txt`, 'utf8').split('\n');
const dmesgOf = (name: string) => {
  const l = transcript(name);
  return l.slice(l.indexOf('--- dmesg -c ---') + 1, l.indexOf('--- end dmesg ---')).map((x) => x.replace(/^\[\s*\d+\.\d+\] /, ''));
};
/** The output of `# cat PATH` in a transcript, up to its exit status. */
const catOutput = (name: string, path: string) => {
  const l = transcript(name);
  const at = l.indexOf(`# cat ${path}`);
  return l.slice(at + 1, l.indexOf('[exit status 0]', at));
};
const sample = (name: string) => new Uint8Array(readFileSync(`public/samples/${name}`));
const log = (k: Kernel, from = 0) => k.log.records.slice(from).map((r) => KernelLog.line(r).replace(/^\[\s*\d+\.\d+\] /, ''));

/** The real bytes of pcidrv_ids[], as kbuild put them in pcidrv.ko's .rodata. */
function pcidrvIdTableBytes(): Uint8Array {
  const elf = readElf(sample('pcidrv.ko'));
  if (isElfError(elf)) throw new Error(elf.message);
  const sym = elf.symbols.find((s) => s.name === 'pcidrv_ids')!;
  const sec = elf.sections[sym.shndx]!;
  return sec.data!.subarray(Number(sym.value), Number(sym.value + sym.size));
}

/** Writes id-table entries into kernel memory as struct pci_device_id (with the all-zero terminator). */
function table(k: Kernel, entries: Omit<PciDeviceId, 'address'>[]): bigint {
  const size = k.layout['pci_device_id']!.size;
  const f = k.layout['pci_device_id']!.fields;
  const at = k.kzalloc(size * (entries.length + 1));
  const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  entries.forEach((e, i) => {
    const base = at + BigInt(i * size);
    k.writeBytes(base + BigInt(f['vendor']!), u32(e.vendor));
    k.writeBytes(base + BigInt(f['device']!), u32(e.device));
    k.writeBytes(base + BigInt(f['subvendor']!), u32(e.subvendor));
    k.writeBytes(base + BigInt(f['subdevice']!), u32(e.subdevice));
    k.writeBytes(base + BigInt(f['class']!), u32(e.class));
    k.writeBytes(base + BigInt(f['class_mask']!), u32(e.classMask));
  });
  return at;
}

describe('the PCI bus of QEMU’s pc machine', () => {
  it('has the devices, ids and classes the real kernel listed in sysfs', () => {
    const k = bootKernel();
    pciBus(k, [PCI_TESTDEV]);
    const ours = pciBus(k).devices.map((d) => {
      const a = (attr: string) => pciSysfsAttribute(k, d.name, attr)![0];
      return `${d.name} vendor=${a('vendor')} device=${a('device')} subsystem_vendor=${a('subsystem_vendor')} subsystem_device=${a('subsystem_device')} class=${a('class')} revision=${a('revision')} driver=`;
    });
    expect(ours).toEqual(transcript('pci-hotplug-devices').filter((l) => l.startsWith('0000:')));
    expect(QEMU_PC_DEVICES.length + 1).toBe(ours.length);
  });

  it("the test device's modalias and uevent files read as on the real kernel (pci_uevent's formats)", () => {
    const k = bootKernel();
    pciBus(k, [PCI_TESTDEV]);
    expect(pciSysfsAttribute(k, '0000:00:04.0', 'modalias')).toEqual(catOutput('pci-hotplug-devices', '/sys/bus/pci/devices/0000:00:04.0/modalias'));
    expect(pciSysfsAttribute(k, '0000:00:04.0', 'uevent')).toEqual(catOutput('pci-hotplug-devices', '/sys/bus/pci/devices/0000:00:04.0/uevent'));
    expect(pciUeventEnv({ ...QEMU_PC_DEVICES[5]!, name: '0000:00:03.0' }).map(([n, v]) => `${n}=${v}`)).toEqual([
      'PCI_CLASS=20000', 'PCI_ID=8086:100E', 'PCI_SUBSYS_ID=1AF4:1100', 'PCI_SLOT_NAME=0000:00:03.0', 'MODALIAS=pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00',
    ]);
  });

  it('struct pci_dev holds the ids at the layout probe’s offsets and the name pci_name() reads', () => {
    const k = bootKernel();
    const dev = pciBus(k, [PCI_TESTDEV]).devices.find((d) => d.name === '0000:00:04.0')!;
    const f = k.layout['pci_dev']!.fields;
    const u16 = (off: number) => k.readBytes(dev.pdev + BigInt(off), 2).reduceRight((v, b) => v * 256 + b, 0);
    expect([u16(f['vendor']!), u16(f['device']!), u16(f['subsystem_vendor']!), u16(f['subsystem_device']!)]).toEqual([0x1b36, 0x0005, 0x1af4, 0x1100]);
    const devAt = dev.pdev + BigInt(f['dev']!);
    expect(k.read64(devAt + BigInt(k.layout['device']!.fields['init_name']!))).toBe(0n);
    expect(k.readCString(k.read64(devAt + BigInt(k.layout['device']!.fields['kobj.name']!))!)).toBe('0000:00:04.0');
  });
});

describe('id tables: pci_match_one_device() and pci_match_id()', () => {
  it("reads pcidrv's real table (the bytes the real kernel held in memory) from kernel memory", () => {
    const bytes = pcidrvIdTableBytes();
    // The oracle's dump of pcidrv's .rodata after loading: the table starts it.
    const l = transcript('pcidrv-layout').map((x) => x.replace(/^\[\s*\d+\.\d+\] /, ''));
    const at = l.findIndex((x) => x.startsWith('ring0_peek: .rodata '));
    const real = l.slice(at + 1, at + 6).flatMap((x) => x.replace(/^ring0_peek: [0-9a-f]{8}: /, '').split(' ').map((h) => parseInt(h, 16)));
    expect([...bytes]).toEqual(real);
    const k = bootKernel();
    const addr = k.kzalloc(bytes.length);
    k.writeBytes(addr, bytes);
    expect(readIdTable(k, addr)).toEqual([{ address: addr, vendor: 0x1b36, device: 0x0005, subvendor: PCI_ANY_ID, subdevice: PCI_ANY_ID, class: 0, classMask: 0 }]);
  });

  it('an exact vendor:device entry matches the test device and nothing else on the machine', () => {
    const k = bootKernel();
    const bytes = pcidrvIdTableBytes();
    const addr = k.kzalloc(bytes.length);
    k.writeBytes(addr, bytes);
    const ids = readIdTable(k, addr);
    const matching = [...QEMU_PC_DEVICES, PCI_TESTDEV].filter((d) => pciMatchId(ids, d));
    expect(matching).toEqual([PCI_TESTDEV]);
    expect(pciMatchOneDevice(ids[0]!, { ...PCI_TESTDEV, subsystemVendor: 0x1234, subsystemDevice: 0x5678 })).toBe(true); // PCI_ANY_ID subsystem
    expect(pciMatchOneDevice(ids[0]!, { ...PCI_TESTDEV, device: 0x0006 })).toBe(false);
  });

  it('PCI_ANY_ID everywhere with a class mask: PCI_DEVICE_CLASS matches by class only', () => {
    const k = bootKernel();
    const any = { vendor: PCI_ANY_ID, device: PCI_ANY_ID, subvendor: PCI_ANY_ID, subdevice: PCI_ANY_ID };
    // PCI_DEVICE_CLASS(PCI_CLASS_NETWORK_ETHERNET << 8, ~0): class 0x020000, every bit compared
    const ethernet = readIdTable(k, table(k, [{ ...any, class: 0x020000, classMask: 0xffffff }]));
    expect([...QEMU_PC_DEVICES, PCI_TESTDEV].filter((d) => pciMatchId(ethernet, d)).map((d) => d.what)).toEqual(['e1000 network card']);
    // base class 0x06 (bridges) only: host, ISA and "other" bridges, whatever their subclass
    const bridges = readIdTable(k, table(k, [{ ...any, class: 0x060000, classMask: 0xff0000 }]));
    expect([...QEMU_PC_DEVICES, PCI_TESTDEV].filter((d) => pciMatchId(bridges, d)).map((d) => d.what)).toEqual(['i440FX host bridge', 'PIIX3 ISA bridge', 'PIIX4 ACPI']);
    // the programming interface compared too: IDE 0x010180 but not 0x010100
    const ide = readIdTable(k, table(k, [{ ...any, class: 0x010100, classMask: 0xffffff }]));
    expect([...QEMU_PC_DEVICES].filter((d) => pciMatchId(ide, d))).toEqual([]);
  });

  it('the table ends at the first entry with vendor, subvendor and class_mask all zero; the first match wins', () => {
    const k = bootKernel();
    const any = { vendor: PCI_ANY_ID, device: PCI_ANY_ID, subvendor: PCI_ANY_ID, subdevice: PCI_ANY_ID };
    const ids = readIdTable(k, table(k, [
      { vendor: 0x8086, device: 0x100e, subvendor: PCI_ANY_ID, subdevice: PCI_ANY_ID, class: 0, classMask: 0 },
      { ...any, class: 0x020000, classMask: 0xff0000 },
      { vendor: 0, device: 0, subvendor: 0, subdevice: 0, class: 0x030000, classMask: 0xff0000 }, // class-only: still an entry
      { vendor: 0, device: 0x1111, subvendor: 0, subdevice: 0, class: 0, classMask: 0 }, // the terminator, whatever its device
      { ...any, class: 0, classMask: 0 }, // never read
    ]));
    expect(ids.map((i) => i.class)).toEqual([0, 0x020000, 0x030000]);
    expect(pciMatchId(ids, QEMU_PC_DEVICES[5]!)).toBe(ids[0]); // e1000: the exact entry comes first
    expect(pciMatchId(ids, QEMU_PC_DEVICES[4]!)).toBe(undefined); // VGA: vendor 0 ≠ 0x1234
  });
});

describe('pcidrv on the real machine: insmod binds, rmmod removes', () => {
  it('prints what the real kernel printed, with the slot name QEMU gave', () => {
    const k = bootKernel();
    pciBus(k, [PCI_TESTDEV]);
    expect(insmodTool(k, 'pcidrv.ko', sample('pcidrv.ko'), '')).toEqual({ status: 0, stderr: [] });
    expect(log(k)).toEqual(dmesgOf('pcidrv-insmod'));
    expect(procModules(k)).toEqual([transcript('pcidrv-insmod')[transcript('pcidrv-insmod').indexOf('--- /proc/modules: pcidrv ---') + 1]]);
    // pcidrv-use: the device is bound to pcidrv
    const dev = pciBus(k).devices.find((d) => d.name === '0000:00:04.0')!;
    expect(`${dev.name} ${pciSysfsAttribute(k, dev.name, 'vendor')} ${pciSysfsAttribute(k, dev.name, 'device')} ${pciSysfsAttribute(k, dev.name, 'class')} driver=${dev.driver?.name}`)
      .toBe(transcript('pcidrv-use').find((l) => l.startsWith('0000:00:04.0'))!);
    const before = k.log.records.length;
    expect(rmmodTool(k, 'pcidrv')).toEqual({ status: 0, stderr: [] });
    expect(log(k, before)).toEqual(dmesgOf('pcidrv-rmmod'));
    expect(dev.driver).toBe(undefined);
  });

  it("__pci_register_driver fills the driver's struct as the real kernel did (.data byte for byte but two pointers)", () => {
    const k = bootKernel();
    pciBus(k, [PCI_TESTDEV]);
    insmodTool(k, 'pcidrv.ko', sample('pcidrv.ko'), '');
    const l = transcript('pcidrv-layout').map((x) => x.replace(/^\[\s*\d+\.\d+\] /, ''));
    const head = l.findIndex((x) => x.startsWith('ring0_peek: .data '));
    const address = BigInt('0x' + /ring0_peek: \.data ([0-9a-f]{16}) (\d+) bytes/.exec(l[head]!)![1]);
    const real: number[] = [];
    for (let i = head + 1; /^ring0_peek: [0-9a-f]{8}: /.test(l[i]!); i++) real.push(...l[i]!.replace(/^ring0_peek: [0-9a-f]{8}: /, '').split(' ').map((h) => parseInt(h, 16)));
    const ours = k.readBytes(address, real.length);
    const driver = k.layout['pci_driver']!.fields['driver']!;
    const bus = driver + k.layout['device_driver']!.fields['bus']!, p = driver + k.layout['device_driver']!.fields['p']!;
    // driver.bus is &pci_bus_type (the model's own address), driver.p a kernel heap pointer: both differ by nature.
    const mask = (b: number[]) => b.map((x, i) => ((i >= bus && i < bus + 8) || (i >= p && i < p + 8) ? -1 : x));
    expect(mask(ours)).toEqual(mask(real));
    expect(k.read64(address + BigInt(bus))).toBe(pciBus(k).busType);
    expect(k.readCString(k.read64(pciBus(k).busType)!)).toBe('pci');
  });
});
