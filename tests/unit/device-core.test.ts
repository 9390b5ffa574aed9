import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { deviceAdd, deviceDel, UEVENT_SEQNUM_AT_BOOT } from '../../src/sim/kernel/device-core';
import { mknod } from '../../src/sim/kernel/vfs';

describe('device core: device_add, uevents and devtmpfs', () => {
  it('a device with a dev_t gets a /dev node and an add uevent with 6.1 variables in order', () => {
    const k = bootKernel();
    k.m.trace = true;
    deviceAdd(k, { devpath: '/devices/virtual/misc/miscdev', subsystem: 'misc', devt: { major: 10, minor: 124 }, devname: 'miscdev', mode: 0o444, env: [] });
    expect(k.nodes.get('/dev/miscdev')).toMatchObject({ mode: 0o020444, major: 10, minor: 124, devtmpfs: true });
    expect(k.uevents.map((u) => u.env.map(([n, v]) => `${n}=${v}`))).toEqual([
      ['ACTION=add', 'DEVPATH=/devices/virtual/misc/miscdev', 'SUBSYSTEM=misc', 'MAJOR=10', 'MINOR=124', 'DEVNAME=miscdev', 'DEVMODE=0444', `SEQNUM=${UEVENT_SEQNUM_AT_BOOT + 1}`],
    ]);
    expect(k.m.log.map((e) => e.kind)).toEqual(['device/added', 'vfs/node-created', 'device/uevent']);
  });

  it('SEQNUM goes on from the real boot: its first uevent after boot carried 637', () => {
    expect(UEVENT_SEQNUM_AT_BOOT).toBe(636);
    expect(bootKernel().ueventSeqnum).toBe(636);
  });

  it('a device without a dev_t makes no node; device_del deletes the node, then sends remove', () => {
    const k = bootKernel();
    const before = [...k.nodes.keys()];
    deviceAdd(k, { devpath: '/devices/pci0000:00/0000:00:04.0', subsystem: 'pci', env: [['MODALIAS', 'pci:v00001B36d00000005sv00001AF4sd00001100bc00scFFi00']] });
    expect([...k.nodes.keys()]).toEqual(before);
    deviceAdd(k, { devpath: '/devices/virtual/misc/x', subsystem: 'misc', devt: { major: 10, minor: 3 }, devname: 'x', env: [] });
    expect(k.nodes.get('/dev/x')?.mode).toBe(0o020600); // devtmpfs's default
    k.m.trace = true;
    deviceDel(k, '/devices/virtual/misc/x');
    expect(k.m.log.map((e) => e.kind)).toEqual(['vfs/node-removed', 'device/uevent', 'device/removed']);
    expect(k.nodes.has('/dev/x')).toBe(false);
    expect(k.devices.has('/devices/virtual/misc/x')).toBe(false);
    expect(k.uevents.map((u) => `${u.action} ${u.seqnum - UEVENT_SEQNUM_AT_BOOT}`)).toEqual(['add 1', 'add 2', 'remove 3']);
  });

  it('devtmpfs deletes only its own node: one made by mknod at that path stays (dev_mynode)', () => {
    const k = bootKernel();
    deviceAdd(k, { devpath: '/devices/virtual/misc/y', subsystem: 'misc', devt: { major: 10, minor: 4 }, devname: 'y', env: [] });
    k.nodes.delete('/dev/y');
    expect(mknod(k, '/dev/y', 0o020644, (10 << 8) | 4)).toBe(0);
    deviceDel(k, '/devices/virtual/misc/y');
    expect(k.nodes.get('/dev/y')).toMatchObject({ major: 10, minor: 4, mode: 0o020644 });
  });
});
