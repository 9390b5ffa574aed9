import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { deviceAdd, deviceDel } from '../../src/sim/kernel/device-core';

describe('device core: device_add, uevents and devtmpfs', () => {
  it('a device with a dev_t gets a /dev node and an add uevent with 6.1 variables in order', () => {
    const k = bootKernel();
    k.m.trace = true;
    deviceAdd(k, { devpath: '/devices/virtual/misc/miscdev', subsystem: 'misc', devt: { major: 10, minor: 124 }, devname: 'miscdev', mode: 0o444, env: [] });
    expect(k.nodes.get('/dev/miscdev')).toEqual({ mode: 0o020444, major: 10, minor: 124 });
    expect(k.uevents.map((u) => u.env.map(([n, v]) => `${n}=${v}`))).toEqual([
      ['ACTION=add', 'DEVPATH=/devices/virtual/misc/miscdev', 'SUBSYSTEM=misc', 'MAJOR=10', 'MINOR=124', 'DEVNAME=miscdev', 'DEVMODE=0444', 'SEQNUM=1'],
    ]);
    expect(k.m.log.map((e) => e.kind)).toEqual(['vfs/node-created', 'device/uevent']);
  });

  it('a device without a dev_t makes no node; device_del sends remove and deletes the node', () => {
    const k = bootKernel();
    deviceAdd(k, { devpath: '/devices/pci0000:00/0000:00:04.0', subsystem: 'pci', env: [['MODALIAS', 'pci:v00001B36d00000005sv00001AF4sd00001100bc00scFFi00']] });
    expect([...k.nodes.keys()]).toEqual([]);
    deviceAdd(k, { devpath: '/devices/virtual/misc/x', subsystem: 'misc', devt: { major: 10, minor: 3 }, devname: 'x', env: [] });
    expect(k.nodes.get('/dev/x')?.mode).toBe(0o020600); // devtmpfs's default
    deviceDel(k, '/devices/virtual/misc/x');
    expect(k.nodes.has('/dev/x')).toBe(false);
    expect(k.devices.has('/devices/virtual/misc/x')).toBe(false);
    expect(k.uevents.map((u) => `${u.action} ${u.seqnum}`)).toEqual(['add 1', 'add 2', 'remove 3']);
  });
});
