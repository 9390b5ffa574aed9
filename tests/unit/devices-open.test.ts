import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { catTool, insmodTool, mknodTool, rmmodTool, syscallFromUser, USER_STRINGS } from '../../src/sim/kernel/user-tools';
import { shellClose, shellOpen } from '../../src/sim/kernel/shell-fds';
import { NR } from '../../src/sim/kernel/syscalls';
import { sysModule, procModules } from '../../src/sim/kernel/loader/delete-module';
import type { Kernel } from '../../src/sim/kernel/kernel';

// open() on a character device pins the driver's module (char-open.ts), close() unpins it; the
// counts are the real kernel's (tests/fixtures/real-kernel/devices-hello-held.txt, devices-misc.txt).
const sample = (name: string) => new Uint8Array(readFileSync(`public/samples/${name}`));
const refcnt = (k: Kernel, m: string) => sysModule(k, m)?.['refcnt'];

function withHello() {
  const k = bootKernel();
  expect(insmodTool(k, 'hello.ko', sample('hello.ko'), '').status).toBe(0);
  expect(mknodTool(k, '/dev/hello', 246, 0).status).toBe(0);
  return k;
}

describe('opening a character device pins its module', () => {
  it('an open /dev/hello holds hello twice (cdev_get and fops_get), close gives both back', () => {
    const k = withHello();
    k.m.trace = true;
    expect(shellOpen(k, 3, '/dev/hello')).toEqual({ status: 0, stderr: [] });
    expect(refcnt(k, 'hello')).toBe('2');
    expect(procModules(k)[0]).toMatch(/^hello 16384 2 - Live /);
    expect(rmmodTool(k, 'hello').stderr).toEqual(['rmmod: ERROR: Module hello is in use']);
    expect(k.m.log.filter((e) => e.kind === 'kernel/syscall-entered').map((e) => (e as { name: string }).name)).toEqual(['openat', 'exit_group']); // rmmod asked nothing
    expect(shellClose(k, 3).status).toBe(0);
    expect(refcnt(k, 'hello')).toBe('0');
    expect(rmmodTool(k, 'hello')).toEqual({ status: 0, stderr: [] });
  });

  it("an open /dev/miscdev holds miscdev once (misc's own cdev has no owner); file->private_data is the miscdevice", () => {
    const k = bootKernel();
    expect(insmodTool(k, 'miscdev.ko', sample('miscdev.ko'), '').status).toBe(0);
    expect(shellOpen(k, 3, '/dev/miscdev').status).toBe(0);
    expect(refcnt(k, 'miscdev')).toBe('1');
    const f = k.openFiles.get(3)!;
    const misc = [...k.devices.values()].find((d) => d.devpath === '/devices/virtual/misc/miscdev')!.drvdata!;
    expect(k.read64(f.file + BigInt(k.layout['file']!.fields['private_data']!))).toBe(misc);
    expect(shellClose(k, 3).status).toBe(0);
    expect(refcnt(k, 'miscdev')).toBe('0');
  });

  it('dup2 shares the file: closing one descriptor keeps the module pinned until the last one goes', () => {
    const k = withHello();
    expect(shellOpen(k, 5, '/dev/hello')).toEqual({ status: 0, stderr: [] }); // open gives 3, dup2 to 5, close 3
    expect([...k.openFiles.keys()]).toEqual([5]);
    expect(syscallFromUser(k, 'sh', NR.dup2, [5, 7])).toBe(7);
    expect(shellClose(k, 5).status).toBe(0);
    expect(refcnt(k, 'hello')).toBe('2');
    expect(shellClose(k, 7).status).toBe(0);
    expect(refcnt(k, 'hello')).toBe('0');
    expect(syscallFromUser(k, 'sh', NR.dup2, [9, 10])).toBe(-9); // EBADF
  });

  it("the shell's open errors are ash's words: no such file, No such device or address, Not a directory", () => {
    const k = bootKernel();
    expect(shellOpen(k, 3, '/dev/hello').stderr).toEqual(["sh: can't open /dev/hello: no such file"]);
    expect(mknodTool(k, '/dev/hello', 246, 0).status).toBe(0);
    expect(shellOpen(k, 3, '/dev/hello').stderr).toEqual(["sh: can't open /dev/hello: No such device or address"]);
    expect(shellOpen(k, 3, '/dev/null/x').stderr).toEqual(["sh: can't open /dev/null/x: Not a directory"]);
  });

  it('a node of a driver built into the kernel is not modelled, and says so', () => {
    const k = bootKernel();
    expect(k.nodes.get('/dev/null')).toMatchObject({ major: 1, minor: 3, devtmpfs: true });
    const r = catTool(k, '/dev/null');
    expect(r.stderr[0]).toMatch(/^cat: the machine stopped: \/dev\/null \(1:3\) belongs to "mem", a driver built into the kernel that is not modelled$/);
    const p = catTool(k, '/dev/psaux');
    expect(p.stderr[0]).toMatch(/"psaux", a misc device built into the kernel that is not modelled/);
  });

  it('open() of a /proc file by a system call is not modelled (the tools read /proc from the model)', () => {
    const k = bootKernel();
    const r = syscallFromUser(k, 'cat', NR.openat, [-100, USER_STRINGS, 0, 0], ['/proc/modules']);
    expect(r).toMatch(/only device nodes are opened through the model's VFS/);
  });
});

describe('delete_module in 6.1: the kernel\'s own checks', () => {
  it('with the module held: -EAGAIN with O_NONBLOCK and without; -ENOENT for a name not loaded or too long', () => {
    const k = withHello();
    expect(shellOpen(k, 3, '/dev/hello').status).toBe(0);
    expect(syscallFromUser(k, 'rmmod', NR.delete_module, [USER_STRINGS, 0o4000], ['hello'])).toBe(-11);
    expect(syscallFromUser(k, 'rmmod', NR.delete_module, [USER_STRINGS, 0], ['hello'])).toBe(-11);
    expect(syscallFromUser(k, 'rmmod', NR.delete_module, [USER_STRINGS, 0o4000], ['nosuch'])).toBe(-2);
    expect(syscallFromUser(k, 'rmmod', NR.delete_module, [USER_STRINGS, 0o4000], ['x'.repeat(56)])).toBe(-2);
    expect(refcnt(k, 'hello')).toBe('2');
  });

  it('the delete-module sample prints the call and the errno, and exits with it', async () => {
    const { programTool } = await import('../../src/sim/kernel/user-tools');
    const k = withHello();
    expect(shellOpen(k, 3, '/dev/hello').status).toBe(0);
    const busy = programTool(k, 'delete-module', sample('delete-module'), '/samples/delete-module', ['hello']);
    expect(busy).toMatchObject({ status: 11, stdout: 'delete_module("hello", O_NONBLOCK) = -1, errno 11 EAGAIN (Resource temporarily unavailable)\n' });
    const blocking = programTool(k, 'delete-module', sample('delete-module'), '/samples/delete-module', ['hello', '0']);
    expect(blocking.stdout).toBe('delete_module("hello", 0) = -1, errno 11 EAGAIN (Resource temporarily unavailable)\n');
    expect(shellClose(k, 3).status).toBe(0);
    const done = programTool(k, 'delete-module', sample('delete-module'), '/samples/delete-module', ['hello']);
    expect(done).toMatchObject({ status: 0, stdout: 'delete_module("hello", O_NONBLOCK) = 0\n' });
    expect(k.modules.has('hello')).toBe(false);
    const usage = programTool(k, 'delete-module', sample('delete-module'), '/samples/delete-module', []);
    expect(usage).toMatchObject({ status: 2, stdout: 'usage: delete-module NAME [0]\n' }); // fd 2 shares the model's one terminal
  });
});
