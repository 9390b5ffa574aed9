import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { procDevices } from '../../src/sim/kernel/procfs';
import { catTool, insmodTool, lsmodTool, mknodTool } from '../../src/sim/kernel/user-tools';

// What the real 6.1 kernel printed after `insmod hello.ko` (tests/fixtures/real-kernel).
const output = (name: string) => {
  const lines = readFileSync(`tests/fixtures/real-kernel/${name}.txt`, 'utf8').split('\n');
  return lines.slice(2, lines.findIndex((l) => l.startsWith('[exit status ')));
};
const hello = () => {
  const k = bootKernel();
  expect(insmodTool(k, 'hello.ko', new Uint8Array(readFileSync('public/samples/hello.ko')), '').status).toBe(0);
  return k;
};

describe('what user space sees of a loaded driver', () => {
  it('/proc/devices lists hello at major 246 among the built-in devices, as on the real kernel', () => {
    expect(procDevices(hello())).toEqual(output('hello-proc-devices'));
  });

  it('lsmod prints hello with its size and use count, as on the real kernel', () => {
    expect(lsmodTool(hello())).toEqual(output('hello-lsmod-modinfo').slice(0, 2));
  });

  it('cat /dev/hello reads through hello_read with real system calls; a missing node is ENOENT', () => {
    const k = hello();
    expect(catTool(k, '/dev/hello')).toMatchObject({ status: 1, stderr: ["cat: can't open '/dev/hello': No such file or directory"] });
    mknodTool(k, '/dev/hello', 246, 0);
    expect(catTool(k, '/dev/hello')).toEqual({ status: 0, stderr: [], stdout: 'Hello from ring 0!\n' });
  });
});
