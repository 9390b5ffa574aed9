// Models: the PCI bus of Linux 6.1 as the driver model sees it. Devices of QEMU's `pc` (i440FX)
// machine with the ids the real kernel showed in sysfs (tests/fixtures/real-kernel/
// pci-hotplug-devices.txt); each has a struct pci_dev in kernel memory at the layout probe's
// offsets (devfn, vendor, device, subsystem ids, class, revision, hdr_type, match_driver, and the
// name pci_name() reads: dev.kobj.name, dev.init_name being NULL), set up as pci_setup_device()
// and pci_device_add() do (drivers/pci/probe.c); the uevent variables of pci_uevent()
// (drivers/pci/pci-driver.c); ID-table matching as pci_match_one_device() (drivers/pci/pci.h) and
// pci_match_id() read the driver's real table from module memory; and the driver core's binding
// (drivers/base/bus.c, dd.c): bus_add_driver → driver_attach → __driver_attach →
// driver_probe_device → really_probe → pci_device_probe → local_pci_probe → drv->probe, run as the
// driver's machine code in ring 0; device_attach for a device that appears after its driver
// (pci_bus_add_device in drivers/pci/bus.c); __device_release_driver → pci_device_remove →
// drv->remove on unplug or when the driver goes. Bind, unbind, add and remove uevents go to the
// device core's queue (device-core.ts) in 6.1's order (kobject_uevent_env() drops MODALIAS from
// an unbind).
// Simplifies: one bus, 0000:00, and no config space: BARs, resources, IRQ routing, power
// management, new_id/dynamic ids, driver_override, deferred and asynchronous probing are not
// modelled (so the kernel's "BAR n [...]" lines of a scan are not printed); a device present at
// boot joins sysfs without a uevent (its uevent went out before user space listened, and udev's
// coldplug is not modelled); the ACPI wakeup source a real unplug also removes is not modelled;
// struct device and struct device_driver are written only where the driver or the model reads
// them; sysfs links are not created.
import type { Kernel } from './kernel';
import type { GuestCall, HleResult } from './hle';
import type { U64 } from '../cpu/state';
import { join, split } from './layout';
import { deviceAdd, deviceDel, kobjectUevent, type Device } from './device-core';

/** The ids of one PCI function, as the real kernel's sysfs shows them. */
export interface PciIds {
  slot: number;
  fn: number;
  vendor: number;
  device: number;
  subsystemVendor: number;
  subsystemDevice: number;
  /** Base class, subclass and programming interface: 24 bits (pdev->class). */
  class: number;
  revision: number;
  /** What the device is, for readers (QEMU's device model). */
  what: string;
}

/**
 * QEMU 7.2's `pc` machine (i440FX) as Debian's 6.1 saw it under the oracle: every value is from
 * tests/fixtures/real-kernel/pci-hotplug-devices.txt (a test compares them line by line). QEMU
 * gives every device the subsystem ids 1af4:1100.
 */
export const QEMU_PC_DEVICES: readonly PciIds[] = [
  { slot: 0, fn: 0, vendor: 0x8086, device: 0x1237, subsystemVendor: 0x1af4, subsystemDevice: 0x1100, class: 0x060000, revision: 0x02, what: 'i440FX host bridge' },
  { slot: 1, fn: 0, vendor: 0x8086, device: 0x7000, subsystemVendor: 0x1af4, subsystemDevice: 0x1100, class: 0x060100, revision: 0x00, what: 'PIIX3 ISA bridge' },
  { slot: 1, fn: 1, vendor: 0x8086, device: 0x7010, subsystemVendor: 0x1af4, subsystemDevice: 0x1100, class: 0x010180, revision: 0x00, what: 'PIIX3 IDE controller' },
  { slot: 1, fn: 3, vendor: 0x8086, device: 0x7113, subsystemVendor: 0x1af4, subsystemDevice: 0x1100, class: 0x068000, revision: 0x03, what: 'PIIX4 ACPI' },
  { slot: 2, fn: 0, vendor: 0x1234, device: 0x1111, subsystemVendor: 0x1af4, subsystemDevice: 0x1100, class: 0x030000, revision: 0x02, what: 'VGA' },
  { slot: 3, fn: 0, vendor: 0x8086, device: 0x100e, subsystemVendor: 0x1af4, subsystemDevice: 0x1100, class: 0x020000, revision: 0x03, what: 'e1000 network card' },
];

/** `-device pci-testdev`: Red Hat's 1b36:0005, class 0x00ff00, in the first free slot (4). */
export const PCI_TESTDEV: PciIds = { slot: 4, fn: 0, vendor: 0x1b36, device: 0x0005, subsystemVendor: 0x1af4, subsystemDevice: 0x1100, class: 0x00ff00, revision: 0x00, what: 'QEMU pci-testdev' };

export interface PciDevice extends PciIds {
  /** pci_name(): "0000:00:04.0". */
  name: string;
  /** The struct pci_dev in kernel memory. */
  pdev: bigint;
  /** The sysfs path below /sys. */
  devpath: string;
  /** The bound driver. */
  driver: PciDriver | undefined;
  /** pdev->match_driver: false until pci_bus_add_device() lets drivers see it. */
  matchDriver: boolean;
}

export interface PciDriver {
  name: string;
  /** The driver's struct pci_driver (in its module's .data). */
  drv: bigint;
  /** Its struct module (THIS_MODULE, the owner __pci_register_driver got). */
  owner: bigint;
}

/** One entry of the driver's id table as read from its memory. */
export interface PciDeviceId {
  address: bigint;
  vendor: number;
  device: number;
  subvendor: number;
  subdevice: number;
  class: number;
  classMask: number;
}

export const PCI_ANY_ID = 0xffffffff;
/** include/uapi/linux/pci_regs.h: the header type of an ordinary function (not a bridge). */
const PCI_HEADER_TYPE_NORMAL = 0;
const ENODEV = -19, ENXIO = -6, EBUSY = -16;
const DOMAIN_BUS = '0000:00';

export class PciBus {
  /** The cards the machine has in its slots (what a scan finds). */
  readonly hardware: PciIds[] = [];
  /** The functions the kernel has found and added (its bus list, in the order it added them). */
  readonly devices: PciDevice[] = [];
  readonly drivers: PciDriver[] = [];
  /** struct bus_type pci_bus_type, in the model's kernel data. */
  busType = 0n;
}

const buses = new WeakMap<Kernel, PciBus>();

const off = (k: Kernel, struct: string, field: string) => {
  const v = k.layout[struct]?.fields[field];
  if (v === undefined) throw new RangeError(`layout.json has no ${struct}.${field}: add it to samples/probe/layout.c`);
  return BigInt(v);
};
const le = (v: bigint | number, n: number) => Array.from({ length: n }, (_, i) => Number((BigInt.asUintN(64, BigInt(v)) >> BigInt(8 * i)) & 0xffn));
const u32 = (k: Kernel, a: bigint) => k.readBytes(a, 4).reduceRight((v, b) => v * 256 + b, 0) >>> 0;
const hex = (v: number, digits: number) => v.toString(16).toUpperCase().padStart(digits, '0');

/**
 * The machine's PCI bus, made at first use with the `pc` machine's own devices, present at boot.
 * `extra` adds devices given on QEMU's command line (`-device pci-testdev`) to the boot set; it
 * counts only on the first call.
 */
export function pciBus(k: Kernel, extra: readonly PciIds[] = []): PciBus {
  let bus = buses.get(k);
  if (bus) return bus;
  bus = new PciBus();
  buses.set(k, bus);
  bus.busType = makeBusType(k);
  for (const ids of [...QEMU_PC_DEVICES, ...extra]) {
    bus.hardware.push(ids);
    const dev = pciSetupDevice(k, ids);
    dev.matchDriver = true;
    writeMatchDriver(k, dev);
    bus.devices.push(dev);
    k.devices.set(dev.devpath, sysfsDevice(k, dev)); // at boot, before user space listened: no uevent reaches anyone
  }
  return bus;
}

/** struct bus_type pci_bus_type = { .name = "pci", … }: what driver.bus and dev.bus point at. */
function makeBusType(k: Kernel): bigint {
  const at = k.kzalloc(k.layout['bus_type']?.size ?? 64);
  k.writeBytes(at + off(k, 'bus_type', 'name'), le(k.kstrdup('pci'), 8));
  return at;
}

/** pci_alloc_dev() + pci_setup_device(): a struct pci_dev with the function's ids and its name. */
function pciSetupDevice(k: Kernel, ids: PciIds): PciDevice {
  const name = `${DOMAIN_BUS}:${ids.slot.toString(16).padStart(2, '0')}.${ids.fn}`;
  const pdev = k.kzalloc(k.layout['pci_dev']!.size);
  const f = (field: string) => pdev + off(k, 'pci_dev', field);
  k.writeBytes(f('devfn'), le((ids.slot << 3) | ids.fn, 4));
  k.writeBytes(f('vendor'), le(ids.vendor, 2));
  k.writeBytes(f('device'), le(ids.device, 2));
  k.writeBytes(f('subsystem_vendor'), le(ids.subsystemVendor, 2));
  k.writeBytes(f('subsystem_device'), le(ids.subsystemDevice, 2));
  k.writeBytes(f('class'), le(ids.class, 4));
  k.writeBytes(f('revision'), le(ids.revision, 1));
  k.writeBytes(f('hdr_type'), le(PCI_HEADER_TYPE_NORMAL, 1));
  // dev_set_name(&dev->dev, "%04x:%02x:%02x.%d", …): the kobject's name; init_name stays NULL.
  const dev = f('dev');
  k.writeBytes(dev + off(k, 'device', 'kobj.name'), le(k.kstrdup(name), 8));
  k.writeBytes(dev + off(k, 'device', 'bus'), le(buses.get(k)!.busType, 8));
  return { ...ids, name, pdev, devpath: `/devices/pci${DOMAIN_BUS}/${name}`, driver: undefined, matchDriver: false };
}

function writeMatchDriver(k: Kernel, dev: PciDevice) {
  k.writeBytes(dev.pdev + off(k, 'pci_dev', 'match_driver'), [dev.matchDriver ? 1 : 0]);
}

/** pci_uevent(): the variables the PCI bus adds, in its order and formats. */
export function pciUeventEnv(dev: PciIds & { name: string }): [string, string][] {
  return [
    ['PCI_CLASS', hex(dev.class, 4)],
    ['PCI_ID', `${hex(dev.vendor, 4)}:${hex(dev.device, 4)}`],
    ['PCI_SUBSYS_ID', `${hex(dev.subsystemVendor, 4)}:${hex(dev.subsystemDevice, 4)}`],
    ['PCI_SLOT_NAME', dev.name],
    ['MODALIAS', pciModalias(dev)],
  ];
}

/** The modalias: "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X" (also /sys/…/modalias). */
export function pciModalias(d: PciIds): string {
  return `pci:v${hex(d.vendor, 8)}d${hex(d.device, 8)}sv${hex(d.subsystemVendor, 8)}sd${hex(d.subsystemDevice, 8)}bc${hex((d.class >> 16) & 0xff, 2)}sc${hex((d.class >> 8) & 0xff, 2)}i${hex(d.class & 0xff, 2)}`;
}

/** The device-core record: dev_uevent() adds DRIVER= (while bound) before the bus's variables. */
function sysfsDevice(k: Kernel, dev: PciDevice, action: 'add' | 'remove' | 'bind' | 'unbind' = 'add'): Device {
  let env = pciUeventEnv(dev);
  if (dev.driver) env = [['DRIVER', dev.driver.name], ...env];
  if (action === 'unbind') env = env.filter(([n]) => n !== 'MODALIAS'); // zap_modalias_env()
  return { devpath: dev.devpath, subsystem: 'pci', env };
}

/** The driver's struct pci_driver name (drv->name). */
export function pciDriverName(k: Kernel, drv: bigint): string {
  return k.readCString(k.read64(drv + off(k, 'pci_driver', 'name')) ?? 0n);
}

/** The id table as it sits in module memory, up to its all-zero terminator (pci_match_id's loop). */
export function readIdTable(k: Kernel, table: bigint, max = 256): PciDeviceId[] {
  const size = BigInt(k.layout['pci_device_id']!.size);
  const out: PciDeviceId[] = [];
  for (let a = table, i = 0; table !== 0n && i < max; a += size, i++) {
    const f = (field: string) => u32(k, a + off(k, 'pci_device_id', field));
    const id = { address: a, vendor: f('vendor'), device: f('device'), subvendor: f('subvendor'), subdevice: f('subdevice'), class: f('class'), classMask: f('class_mask') };
    if (!id.vendor && !id.subvendor && !id.classMask) break; // while (ids->vendor || ids->subvendor || ids->class_mask)
    out.push(id);
  }
  return out;
}

/** pci_match_one_device(): PCI_ANY_ID matches anything; the class is compared under class_mask. */
export function pciMatchOneDevice(id: PciDeviceId, dev: PciIds): boolean {
  return (
    (id.vendor === PCI_ANY_ID || id.vendor === dev.vendor) &&
    (id.device === PCI_ANY_ID || id.device === dev.device) &&
    (id.subvendor === PCI_ANY_ID || id.subvendor === dev.subsystemVendor) &&
    (id.subdevice === PCI_ANY_ID || id.subdevice === dev.subsystemDevice) &&
    ((id.class ^ dev.class) & id.classMask) >>> 0 === 0
  );
}

/** pci_match_id(): the first entry that matches, or undefined. */
export function pciMatchId(ids: readonly PciDeviceId[], dev: PciIds): PciDeviceId | undefined {
  return ids.find((id) => pciMatchOneDevice(id, dev));
}

/** pci_bus_match() → pci_match_device(): nothing until match_driver is set; then the id table. */
function pciBusMatch(k: Kernel, dev: PciDevice, drv: PciDriver): PciDeviceId | undefined {
  if (!dev.matchDriver) return undefined;
  const table = k.read64(drv.drv + off(k, 'pci_driver', 'id_table')) ?? 0n;
  const ids = readIdTable(k, table);
  const id = pciMatchId(ids, dev);
  k.m.emit({ kind: 'bus/matched', bus: 'pci', driver: drv.name, device: dev.name, entries: ids.length, ...(id ? { id: split(id.address), entry: describeId(id) } : {}) });
  return id;
}

const anyOr = (v: number, digits: number) => (v === PCI_ANY_ID ? 'PCI_ANY_ID' : `0x${v.toString(16).padStart(digits, '0')}`);
function describeId(id: PciDeviceId): string {
  return `vendor ${anyOr(id.vendor, 4)} device ${anyOr(id.device, 4)} subvendor ${anyOr(id.subvendor, 4)} subdevice ${anyOr(id.subdevice, 4)} class 0x${id.class.toString(16).padStart(6, '0')}/0x${id.classMask.toString(16).padStart(6, '0')}`;
}

/**
 * really_probe() → pci_device_probe() → local_pci_probe(): dev->driver and pdev->driver are set,
 * the driver's probe(pdev, id) runs as its own code in ring 0; an error undoes the binding, as
 * call_driver_probe() reports it. On success driver_bound() sends the bind uevent.
 */
function* probe(k: Kernel, dev: PciDevice, drv: PciDriver, id: PciDeviceId): Generator<GuestCall, number, U64> {
  const devStruct = dev.pdev + off(k, 'pci_dev', 'dev');
  const fn = k.read64(drv.drv + off(k, 'pci_driver', 'probe')) ?? 0n;
  k.writeBytes(devStruct + off(k, 'device', 'driver'), le(drv.drv + off(k, 'pci_driver', 'driver'), 8));
  k.writeBytes(dev.pdev + off(k, 'pci_dev', 'driver'), le(drv.drv, 8));
  let rc = 0;
  if (fn) {
    k.m.emit({ kind: 'bus/probe-called', bus: 'pci', driver: drv.name, device: dev.name, address: split(fn) });
    rc = Number(BigInt.asIntN(32, join(yield { address: split(fn), args: [split(dev.pdev), split(id.address)] })));
  }
  if (rc < 0) {
    k.writeBytes(dev.pdev + off(k, 'pci_dev', 'driver'), le(0n, 8));
    k.writeBytes(devStruct + off(k, 'device', 'driver'), le(0n, 8));
    // call_driver_probe(): -ENODEV and -ENXIO only "reject the match" (pr_debug); others warn.
    if (rc !== ENODEV && rc !== ENXIO) k.printk(4, `${drv.name}: probe of ${dev.name} failed with error ${rc}`);
    k.m.emit({ kind: 'bus/probed', bus: 'pci', driver: drv.name, device: dev.name, result: rc });
    return rc;
  }
  if (rc > 0) k.printk(4, `${drv.name} ${dev.name}: Driver probe function unexpectedly returned ${rc}`); // pci_warn()
  dev.driver = drv;
  k.m.emit({ kind: 'bus/probed', bus: 'pci', driver: drv.name, device: dev.name, result: 0 });
  kobjectUevent(k, 'bind', sysfsDevice(k, dev, 'bind')); // driver_bound()
  return 0;
}

/**
 * __pci_register_driver(drv, owner, mod_name): fills drv->driver (name, bus, owner, mod_name,
 * groups, an empty dynids list), then driver_register() → bus_add_driver(): refused with -EBUSY
 * if the name is taken; driver_attach() tries every device without a driver; the driver's kobject
 * "add" uevent goes out after the attach.
 */
export function* pciRegisterDriver(k: Kernel, drv: bigint, owner: bigint, modName: bigint): Generator<GuestCall, HleResult, U64> {
  const bus = pciBus(k);
  const d = (field: string) => drv + off(k, 'pci_driver', 'driver') + off(k, 'device_driver', field);
  const nameAt = k.read64(drv + off(k, 'pci_driver', 'name')) ?? 0n;
  const name = k.readCString(nameAt);
  k.writeBytes(d('name'), le(nameAt, 8));
  k.writeBytes(d('bus'), le(bus.busType, 8));
  k.writeBytes(d('owner'), le(owner, 8));
  k.writeBytes(d('mod_name'), le(modName, 8));
  k.writeBytes(d('groups'), le(k.read64(drv + off(k, 'pci_driver', 'groups')) ?? 0n, 8));
  k.writeBytes(d('dev_groups'), le(k.read64(drv + off(k, 'pci_driver', 'dev_groups')) ?? 0n, 8));
  const list = drv + off(k, 'pci_driver', 'dynids') + off(k, 'pci_dynids', 'list');
  k.writeBytes(list, [...le(list, 8), ...le(list, 8)]); // INIT_LIST_HEAD(&drv->dynids.list)
  if (bus.drivers.some((x) => x.name === name)) {
    k.printk(3, `Error: Driver '${name}' is already registered, aborting...`); // driver_register()
    return EBUSY;
  }
  k.writeBytes(d('p'), le(k.kzalloc(64), 8)); // struct driver_private (its contents are not modelled)
  const driver: PciDriver = { name, drv, owner };
  bus.drivers.push(driver);
  k.m.emit({ kind: 'bus/driver-registered', bus: 'pci', name });
  for (const dev of bus.devices) {
    // __driver_attach(): driver_match_device(), then driver_probe_device(), which leaves a bound device alone (-EBUSY)
    const id = pciBusMatch(k, dev, driver);
    if (id && !dev.driver) yield* probe(k, dev, driver, id);
  }
  kobjectUevent(k, 'add', { devpath: `/bus/pci/drivers/${name}`, subsystem: 'drivers', env: [] });
  return 0;
}

/**
 * pci_unregister_driver() → driver_unregister() → bus_remove_driver(): driver_detach() releases
 * every bound device (remove runs as the driver's code), then the driver's "remove" uevent.
 */
export function* pciUnregisterDriver(k: Kernel, drv: bigint): Generator<GuestCall, HleResult, U64> {
  const bus = pciBus(k);
  const driver = bus.drivers.find((x) => x.drv === drv);
  if (!driver) return 0;
  for (const dev of [...bus.devices].reverse()) if (dev.driver === driver) yield* releaseDriver(k, dev);
  bus.drivers.splice(bus.drivers.indexOf(driver), 1);
  k.m.emit({ kind: 'bus/driver-unregistered', bus: 'pci', name: driver.name });
  kobjectUevent(k, 'remove', { devpath: `/bus/pci/drivers/${driver.name}`, subsystem: 'drivers', env: [] });
  return 0;
}

/** __device_release_driver(): pci_device_remove() calls drv->remove(pdev); the unbind uevent follows. */
function* releaseDriver(k: Kernel, dev: PciDevice): Generator<GuestCall, void, U64> {
  const driver = dev.driver!;
  const fn = k.read64(driver.drv + off(k, 'pci_driver', 'remove')) ?? 0n;
  if (fn) {
    k.m.emit({ kind: 'bus/remove-called', bus: 'pci', driver: driver.name, device: dev.name, address: split(fn) });
    yield { address: split(fn), args: [split(dev.pdev)] };
  }
  k.writeBytes(dev.pdev + off(k, 'pci_dev', 'driver'), le(0n, 8));
  k.writeBytes(dev.pdev + off(k, 'pci_dev', 'dev') + off(k, 'device', 'driver'), le(0n, 8));
  dev.driver = undefined; // device_unbind_cleanup(): dev->driver = NULL before the uevent
  kobjectUevent(k, 'unbind', sysfsDevice(k, dev, 'unbind'));
}

/**
 * A card appears in a slot and the bus is scanned there (pci_scan_slot → pci_scan_single_device →
 * pci_setup_device, which logs "[vvvv:dddd] type 00 class 0x…", → pci_device_add → device_add,
 * the "add" uevent), then pci_bus_add_device() sets match_driver and device_attach() offers it to
 * every registered driver. A generator: a probe runs the driver's code.
 */
export function* pciHotplugAdd(k: Kernel, ids: PciIds): Generator<GuestCall, HleResult, U64> {
  const bus = pciBus(k);
  if (bus.hardware.some((h) => h.slot === ids.slot && h.fn === ids.fn)) return EBUSY;
  bus.hardware.push(ids); // the card is in the slot; the hot-plug driver scans it
  return yield* pciScanAdd(k, ids);
}

/** pci_rescan_bus() (echo 1 > /sys/bus/pci/rescan): every card in the machine the kernel has not added. */
export function* pciRescanBus(k: Kernel): Generator<GuestCall, HleResult, U64> {
  const bus = pciBus(k);
  for (const ids of [...bus.hardware].sort((a, b) => (a.slot << 3) + a.fn - ((b.slot << 3) + b.fn))) {
    if (!bus.devices.some((d) => d.slot === ids.slot && d.fn === ids.fn)) yield* pciScanAdd(k, ids);
  }
  return 0;
}

/** pci_scan_single_device() → pci_device_add(), then pci_bus_add_device(). */
function* pciScanAdd(k: Kernel, ids: PciIds): Generator<GuestCall, HleResult, U64> {
  const bus = pciBus(k);
  const name = `${DOMAIN_BUS}:${ids.slot.toString(16).padStart(2, '0')}.${ids.fn}`;
  const dev = pciSetupDevice(k, ids);
  // pci_setup_device(): pci_info(dev, "[%04x:%04x] type %02x class %#08x\n", …); every modelled function has a type-0 header.
  k.printk(6, `pci ${name}: [${ids.vendor.toString(16).padStart(4, '0')}:${ids.device.toString(16).padStart(4, '0')}] type ${PCI_HEADER_TYPE_NORMAL.toString(16).padStart(2, '0')} class 0x${ids.class.toString(16).padStart(6, '0')}`);
  writeMatchDriver(k, dev);
  bus.devices.push(dev);
  k.m.emit({ kind: 'bus/device-added', bus: 'pci', device: name, vendor: ids.vendor, deviceId: ids.device, class: ids.class });
  deviceAdd(k, sysfsDevice(k, dev));
  dev.matchDriver = true; // pci_bus_add_device()
  writeMatchDriver(k, dev);
  for (const driver of bus.drivers) {
    const id = pciBusMatch(k, dev, driver);
    if (id && (yield* probe(k, dev, driver, id)) === 0) break; // __device_attach_driver(): the first that binds
  }
  return 0;
}

/** The card is pulled out: the hot-plug driver removes its function from the kernel, and it is gone from the slot. */
export function* pciHotplugRemove(k: Kernel, name: string): Generator<GuestCall, HleResult, U64> {
  const bus = pciBus(k);
  const r = yield* pciStopAndRemoveBusDevice(k, name);
  const i = bus.hardware.findIndex((h) => `${DOMAIN_BUS}:${h.slot.toString(16).padStart(2, '0')}.${h.fn}` === name);
  if (i >= 0) bus.hardware.splice(i, 1);
  return r;
}

/**
 * pci_stop_and_remove_bus_device() (also echo 1 > /sys/bus/pci/devices/…/remove): the driver
 * lets go of the device (remove, unbind), then device_del() sends "remove" and the device leaves
 * sysfs; the card itself stays in its slot.
 */
export function* pciStopAndRemoveBusDevice(k: Kernel, name: string): Generator<GuestCall, HleResult, U64> {
  const bus = pciBus(k);
  const dev = bus.devices.find((d) => d.name === name);
  if (!dev) return ENODEV;
  if (dev.driver) yield* releaseDriver(k, dev);
  deviceDel(k, dev.devpath);
  bus.devices.splice(bus.devices.indexOf(dev), 1);
  k.m.emit({ kind: 'bus/device-removed', bus: 'pci', device: name });
  return 0;
}

/** /sys/bus/pci/devices/<name>/<attr> as the real kernel prints them, or undefined. */
export function pciSysfsAttribute(k: Kernel, name: string, attr: string): string[] | undefined {
  const dev = pciBus(k).devices.find((d) => d.name === name);
  if (!dev) return undefined;
  const h = (v: number, n: number) => `0x${v.toString(16).padStart(n, '0')}`;
  switch (attr) {
    case 'vendor': return [h(dev.vendor, 4)];
    case 'device': return [h(dev.device, 4)];
    case 'subsystem_vendor': return [h(dev.subsystemVendor, 4)];
    case 'subsystem_device': return [h(dev.subsystemDevice, 4)];
    case 'class': return [h(dev.class, 6)];
    case 'revision': return [h(dev.revision, 2)];
    case 'modalias': return [pciModalias(dev)];
    case 'uevent': return sysfsDevice(k, dev).env.map(([n, v]) => `${n}=${v}`);
    default: return undefined;
  }
}
