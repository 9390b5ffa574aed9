import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { deviceBodies } from '../../src/sim/kernel/hle-devices';
import { lookup, readFile } from '../../src/sim/kernel/fs-tree';
import { lsTool } from '../../src/sim/kernel/ls-tool';
import { split, join } from '../../src/sim/kernel/layout';
import type { Kernel } from '../../src/sim/kernel/kernel';
import type { U64 } from '../../src/sim/cpu/state';

// The bodies called directly, as a driver's call would reach them, with arguments in kernel memory.
function call(k: Kernel, name: string, args: (bigint | number)[]): U64 {
  const body = deviceBodies(() => k)[name]!.body;
  const r = body({ m: k.m, fn: { name, source: '', convention: 'sysv' }, arg: (i) => split(BigInt.asUintN(64, BigInt(args[i] ?? 0))) });
  if (typeof r === 'number') return split(BigInt.asUintN(64, BigInt(r)));
  return (r ?? { lo: 0, hi: 0 }) as U64;
}
const signed = (v: U64) => Number(BigInt.asIntN(64, join(v)));
const le = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

/** A struct miscdevice at the probed offsets. */
function miscdevice(k: Kernel, d: { minor: number; name: string; nodename?: string; mode?: number }): bigint {
  const f = k.layout['miscdevice']!.fields;
  const at = k.kzalloc(k.layout['miscdevice']!.size);
  k.writeBytes(at + BigInt(f['minor']!), le(BigInt(d.minor), 4));
  k.writeBytes(at + BigInt(f['name']!), le(k.kstrdup(d.name), 8));
  if (d.nodename) k.writeBytes(at + BigInt(f['nodename']!), le(k.kstrdup(d.nodename), 8));
  if (d.mode) k.writeBytes(at + BigInt(f['mode']!), le(BigInt(d.mode), 2));
  return at;
}

describe('misc_register and device_create (hle-devices.ts)', () => {
  it('misc_register: the next dynamic minor (124 after the boot took 125-127), this_device, nodename and mode for the node', () => {
    const k = bootKernel();
    const misc = miscdevice(k, { minor: 255, name: 'ring0', nodename: 'ring0/ctl', mode: 0o640 });
    expect(signed(call(k, 'misc_register', [misc]))).toBe(0);
    const f = k.layout['miscdevice']!.fields;
    expect(k.readBytes(misc + BigInt(f['minor']!), 4)).toEqual([124, 0, 0, 0]);
    const dev = k.devices.get('/devices/virtual/misc/ring0')!;
    expect(k.read64(misc + BigInt(f['this_device']!))).toBe(dev.address);
    expect(k.readBytes(dev.address! + BigInt(k.layout['device']!.fields['devt']!), 4)).toEqual(le((10n << 20n) | 124n, 4));
    expect(k.nodes.get('/dev/ring0/ctl')).toMatchObject({ mode: 0o020640, major: 10, minor: 124 });
    expect(lsTool(k, ['/dev/ring0']).stdout).toEqual(['ctl']);
    expect(readFile(k, '/sys/class/misc/ring0/uevent')).toEqual(['MAJOR=10', 'MINOR=124', 'DEVNAME=ring0/ctl', 'DEVMODE=0640']);
    call(k, 'misc_deregister', [misc]);
    expect(k.nodes.has('/dev/ring0/ctl')).toBe(false);
    expect('errno' in lookup(k, '/sys/class/misc/ring0')).toBe(true);
    expect(k.misc.minors.has(124)).toBe(false);
  });

  it('misc_register refuses a fixed minor a boot device holds (psaux is 10:1) and a name already in sysfs', () => {
    const k = bootKernel();
    expect(signed(call(k, 'misc_register', [miscdevice(k, { minor: 1, name: 'mine' })]))).toBe(-16);
    expect(signed(call(k, 'misc_register', [miscdevice(k, { minor: 255, name: 'psaux' })]))).toBe(-17);
    expect(k.misc.minors.size).toBe(0); // the dynamic minor went back
  });

  it('__class_create, device_create with a printf name, device_destroy, class_destroy', () => {
    const k = bootKernel();
    const cls = join(call(k, '__class_create', [0, k.kstrdup('ring0'), 0]));
    expect(signed(call(k, '__class_create', [0, k.kstrdup('ring0'), 0]))).toBe(-17);
    const devt = (246 << 20) | 3;
    const dev = join(call(k, 'device_create', [cls, 0, devt, 0xabcn, k.kstrdup('ring0-%d'), 3]));
    expect(k.devices.get('/devices/virtual/ring0/ring0-3')).toMatchObject({ address: dev, drvdata: 0xabcn, devt: { major: 246, minor: 3 } });
    expect(k.nodes.get('/dev/ring0-3')).toMatchObject({ mode: 0o020600, major: 246, minor: 3 });
    expect(lsTool(k, ['/sys/class/ring0']).stdout).toEqual(['ring0-3']);
    expect(lsTool(k, ['/sys/class']).stdout.join(' ')).toContain('ring0');
    call(k, 'device_destroy', [cls, devt]);
    expect(k.nodes.has('/dev/ring0-3')).toBe(false);
    call(k, 'class_destroy', [cls]);
    expect('notModelled' in lookup(k, '/sys/class/ring0') || 'errno' in lookup(k, '/sys/class/ring0')).toBe(true);
  });
});
