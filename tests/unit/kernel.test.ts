import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/sim/kernel/kernel';
import { kernelBodies } from '../../src/sim/kernel/hle-library';
import { KernelLog } from '../../src/sim/kernel/printk';
import { FIRST_MODULE as MODULES_VADDR, split } from '../../src/sim/kernel/layout';
import { readFileSync } from 'node:fs';

const ENTRY_DATA = JSON.parse(readFileSync('src/sim/data/kernel-entry.json', 'utf8'));
const BOOT_DEVICES = JSON.parse(readFileSync('src/sim/data/boot-devices.json', 'utf8'));

const EXPORTS = [
  { name: '_printk', crc: 0x92997ed8, gpl: false, namespace: '' },
  { name: '__fentry__', crc: 0xbdfb6dbb, gpl: false, namespace: '' },
  { name: 'vfs_fsync', crc: 0x1, gpl: false, namespace: '' },
  { name: 'jiffies', crc: 0x15ba50a6, gpl: false, namespace: '' },
];

function boot() {
  let kernel: Kernel;
  kernel = new Kernel({ exports: EXPORTS, bodies: kernelBodies(() => kernel), entry: ENTRY_DATA, bootDevices: BOOT_DEVICES, memoryBytes: 16 << 20, vermagic: '6.1.0-56-amd64 SMP preempt mod_unload modversions ', layout: {} });
  return kernel;
}

/** Ring-0 code placed in the module area, run until it halts. */
function runAt(k: Kernel, code: number[]) {
  const at = k.moduleAlloc(code.length)!;
  k.writeBytes(at, code);
  k.m.s.rip = split(at);
  k.m.trace = true;
  k.m.run(1000);
  return at;
}

const rel32 = (from: bigint, to: bigint) => {
  const d = BigInt.asUintN(32, to - from);
  return [0, 8, 16, 24].map((s) => Number((d >> BigInt(s)) & 0xffn));
};

describe('the emulated kernel', () => {
  it('places modules from 0xffffffffc0201000 (as the real kernel with nokaslr), page-aligned, in order', () => {
    const k = boot();
    expect(k.moduleAlloc(100)).toBe(MODULES_VADDR);
    expect(k.moduleAlloc(5000)).toBe(MODULES_VADDR + 0x2000n); // one guard page after the first
  });

  it('runs _printk for ring-0 code that calls it: KERN_INFO, %d, and a dmesg line', () => {
    const k = boot();
    const at = MODULES_VADDR;
    const fmt = at + 0x100n;
    const printk = k.symbols.get('_printk')!.address;
    // lea rdi,[rip+fmt] ; mov esi, 246 ; call _printk ; hlt
    const code = [0x48, 0x8d, 0x3d, ...rel32(at + 7n, fmt), 0xbe, 246, 0, 0, 0, 0xe8, ...rel32(at + 17n, printk), 0xf4];
    const bytes = [...code, ...new Array(0x100 - code.length).fill(0), ...new TextEncoder().encode('\u00016hello: loaded, major %d\n'), 0];
    runAt(k, bytes);
    expect(k.log.records.map((r) => [r.level, r.text])).toEqual([[6, 'hello: loaded, major 246']]);
    expect(KernelLog.line(k.log.records[0]!)).toMatch(/^\[  300\.0000\d\d\] hello: loaded, major 246$/);
    expect(k.m.stopped?.reason).toBe('halted');
  });

  it('stops with "not modelled" when a driver calls an export without a body', () => {
    const k = boot();
    const at = MODULES_VADDR;
    const code = [0xe8, ...rel32(at + 5n, k.symbols.get('vfs_fsync')!.address), 0xf4];
    runAt(k, code);
    expect(k.m.stopped?.detail).toBe('vfs_fsync is exported by the kernel but not modelled here (vmlinux)');
  });

  it('gives exported data a home and the stack canary its per-CPU slot at gs:0x28', () => {
    const k = boot();
    expect(k.symbols.get('jiffies')?.kind).toBe('data');
    expect(k.read64(k.symbols.get('jiffies')!.address)).toBe(0x100000000n - 75000n);
    const at = MODULES_VADDR;
    runAt(k, [0x65, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0, 0xf4]); // mov rax, gs:0x28 ; hlt
    expect(k.m.get64(0)).toEqual(split(0x5a17c0de5eed0042n));
    expect(at).toBe(MODULES_VADDR);
  });
});
