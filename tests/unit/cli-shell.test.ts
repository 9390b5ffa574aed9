import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/ring0';
import { io, stamp } from './support/cli-io';


describe('ring0 shell', () => {
  it("runs the issue's session on one machine: load, find the major, make the node, read, list, unload", async () => {
    const { sink, out, err } = io();
    const status = await main(['shell', 'insmod hello.ko', 'grep hello /proc/devices', 'mknod /dev/hello c 246 0', 'cat /dev/hello', 'lsmod', 'rmmod hello', 'lsmod', 'dmesg'], sink);
    expect(status).toBe(0);
    expect(err).toEqual([]);
    expect(out.map(stamp)).toEqual([
      '# insmod hello.ko',
      '# grep hello /proc/devices',
      '246 hello',
      '# mknod /dev/hello c 246 0',
      '# cat /dev/hello',
      'Hello from ring 0!',
      '# lsmod',
      'Module                  Size  Used by',
      'hello                  16384  0',
      '# rmmod hello',
      '# lsmod',
      'Module                  Size  Used by',
      '# dmesg',
      'hello: loading out-of-tree module taints kernel.',
      'hello: module verification failed: signature and/or required key missing - tainting kernel',
      'hello: loaded, major 246',
      'hello: unloaded',
    ]);
  });

  it('runs sample programs as processes: output, a fault with its kernel line, and the status', async () => {
    const { sink, out, err } = io();
    const status = await main(['shell', 'insmod hellorw.ko', 'mknod /dev/hellorw c 246 0', 'ioctl-hello', './cli', 'dmesg'], sink);
    expect(status).toBe(0);
    expect(err).toEqual(['Segmentation fault']);
    expect(out.slice(1, 6)).toEqual(['# mknod /dev/hellorw c 246 0', '# ioctl-hello', 'len=15', '# ./cli', '[exit status 139]']);
    // PIDs 100–102 went to insmod, mknod and ioctl-hello: every command is a process.
    expect(out.map(stamp)).toContain('traps: cli[103] general protection fault ip:401000 sp:7fffffffeff8 error:0 in cli[401000+1000]');
  });

  it('reports failures in the words of the real tools, and the status of the last command', async () => {
    const { sink, out, err } = io();
    const status = await main(['shell', 'cat /dev/hello', 'rmmod hello', 'insmod nosuch.ko', 'frobnicate', 'grep x /proc/nothing'], sink);
    expect(err).toEqual([
      "cat: can't open '/dev/hello': No such file or directory",
      "rmmod: ERROR: Module hello is not currently loaded",
      'insmod: ERROR: could not load module nosuch.ko: No such file or directory',
      'sh: frobnicate: not found',
      'grep: /proc/nothing: No such file or directory',
    ]);
    expect(out.filter((l) => l.startsWith('[exit status'))).toEqual(['[exit status 1]', '[exit status 1]', '[exit status 1]', '[exit status 127]', '[exit status 2]']);
    expect(status).toBe(2);
  });

  it('a node whose major has no driver opens with ENXIO, as chrdev_open answers; a second mknod is EEXIST', async () => {
    const { sink, err } = io();
    expect(await main(['shell', 'mknod /dev/x c 200 0', 'cat /dev/x', 'mknod /dev/x c 200 0'], sink)).toBe(1);
    expect(err).toEqual(["cat: can't open '/dev/x': No such device or address", 'mknod: /dev/x: File exists']);
  });

  it('gives every command one PID, whether the model or the VFS answers it', async () => {
    const { sink, out } = io();
    await main(['shell', 'cat /proc/modules', 'grep x /proc/nothing', 'cat /sys/module/none/refcnt', 'lsmod', './cli', 'dmesg'], sink);
    expect(out.map(stamp)).toContain('traps: cli[104] general protection fault ip:401000 sp:7fffffffeff8 error:0 in cli[401000+1000]');
  });

  it('stops a program that runs too long, saying so', async () => {
    const { sink, err } = io();
    expect(await main(['shell', './busy-loop'], sink)).toBe(1);
    expect(err).toEqual(['sh: ./busy-loop did not finish: it was stopped after its limit of 5,000,000 instructions']);
  });

  it('needs at least one command', async () => {
    const { sink, err } = io();
    expect(await main(['shell'], sink)).toBe(1);
    expect(err[0]).toMatch(/usage: ring0 shell/);
  });
  it('misc device: the node appears at insmod and goes at rmmod, with ls -l as busybox prints it', async () => {
    const { sink, out, err } = io();
    const status = await main(['shell', 'insmod miscdev.ko', 'ls -l /dev/miscdev', 'cat /dev/miscdev', 'rmmod miscdev', 'ls /dev/miscdev'], sink);
    expect(status).toBe(1);
    expect(err).toEqual(['ls: /dev/miscdev: No such file or directory']);
    expect(out.map((l) => l.replace(/\w{3} [ \d]\d \d\d:\d\d/, '<time>'))).toEqual([
      '# insmod miscdev.ko', '# ls -l /dev/miscdev', 'cr--r--r--    1 0        0          10, 124 <time> /dev/miscdev',
      '# cat /dev/miscdev', 'Hello from a misc device!', '# rmmod miscdev', '# ls /dev/miscdev', '[exit status 1]',
    ]);
  });

  it("a module held by the shell's descriptor: rmmod refuses, delete-module gets EAGAIN, exec 3<&- lets go", async () => {
    const { sink, out, err } = io();
    const status = await main(['shell', 'insmod hello.ko', 'mknod /dev/hello c 246 0', 'exec 3</dev/hello', 'lsmod', 'rmmod hello', 'delete-module hello', 'exec 3<&-', 'rmmod hello'], sink);
    expect(status).toBe(0);
    expect(err).toEqual(['rmmod: ERROR: Module hello is in use']);
    expect(out).toContain('hello                  16384  2');
    expect(out).toContain('delete_module("hello", O_NONBLOCK) = -1, errno 11 EAGAIN (Resource temporarily unavailable)');
  });
});
