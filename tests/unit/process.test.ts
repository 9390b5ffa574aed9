import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { runProgram, PID_BASE } from '../../src/sim/kernel/process';

const program = (name: string) => new Uint8Array(readFileSync(`public/samples/${name}`));

describe('user programs as processes', () => {
  it('cli executes cli in ring 3: #GP through the IDT, SIGSEGV, and the traps: line', () => {
    const k = bootKernel();
    k.m.trace = true;
    const r = runProgram(k, 'cli', program('cli'));
    expect(r).toMatchObject({ pid: PID_BASE, status: 139, signal: 'SIGSEGV', stdout: '' });
    expect(k.log.records.map((x) => x.text)).toEqual([`traps: cli[${PID_BASE}] general protection fault ip:401000 sp:7fffffffeff8 error:0 in cli[401000+1000]`]);
    expect(k.m.log.some((e) => e.kind === 'cpu/ring-changed' && e.cause === 'exception' && e.vector === 13)).toBe(true);
  });

  it('read-kernel reads a present supervisor page: #PF with error 5, segfault line and Code: line', () => {
    const k = bootKernel();
    const r = runProgram(k, 'read-kernel', program('read-kernel'));
    expect(r).toMatchObject({ status: 139, signal: 'SIGSEGV' });
    const [segfault, code] = k.log.records.map((x) => x.text);
    expect(segfault).toBe(`read-kernel[${PID_BASE}]: segfault at ffffffff81000000 ip 0000000000401000 sp 00007fffffffeff8 error 5 in read-kernel[401000+1000] likely on CPU 0 (core 0, socket 0)`);
    // The 42 bytes before ip are on the ELF-header page, which the program never touched.
    expect(code).toBe('Code: Unable to access opcode bytes at 0x400fd6.');
  });

  it('pages arrive on first touch: a not-present page in a VMA is paged in and the instruction runs again', () => {
    const k = bootKernel();
    k.m.trace = true;
    runProgram(k, 'cat-hello', program('cat-hello'));
    const pageFaults = k.m.log.filter((e) => e.kind === 'cpu/ring-changed' && e.cause === 'exception' && e.vector === 14).length;
    const irets = k.m.log.filter((e) => e.kind === 'cpu/ring-changed' && e.cause === 'iret').length;
    expect(pageFaults).toBe(1); // the first instruction fetch, on the text page
    expect(irets).toBe(pageFaults);
    expect(k.userPages.has(0x401000n)).toBe(true);
    expect(k.userPages.has(0x402000n)).toBe(true); // .rodata: paged in by openat's copy of the path
    expect(k.userPages.has(0x400000n)).toBe(false); // the ELF header: mapped by the VMA, never touched
  });

  it('exec tears down the last program: none of its pages stays present for the next', () => {
    const k = bootKernel();
    runProgram(k, 'cat-hello', program('cat-hello'));
    expect(k.read64(0x401000n)).toBeDefined();
    const r = runProgram(k, 'cli', program('cli'));
    expect(r).toMatchObject({ status: 139 });
    expect(k.read64(0x402000n)).toBeUndefined(); // cat-hello's .rodata page; cli never read its own
  });

  it('PIDs count up; exit_group gives the exit status', () => {
    const k = bootKernel();
    runProgram(k, 'cli', program('cli'));
    const r = runProgram(k, 'cat-hello', program('cat-hello'));
    expect(r).toMatchObject({ pid: PID_BASE + 1 });
    expect('status' in r && r.status).toBeGreaterThan(0); // openat is not modelled yet: -ENOSYS, exit(-errno)
  });
});

describe('a read() from a user program into the driver and back (hello-read)', () => {
  it('cat-hello fails with ENOENT before mknod, then reads "Hello from ring 0!" through hello_read', async () => {
    const { insmodTool, mknodTool } = await import('../../src/sim/kernel/user-tools');
    const k = bootKernel();
    expect(insmodTool(k, 'hello.ko', program('hello.ko'), '').status).toBe(0);
    const major = [...k.chrdevs.devices.keys()][0]!;
    expect(major).toBe(246); // as on the real kernel
    const before = runProgram(k, 'cat-hello', program('cat-hello'));
    expect(before).toMatchObject({ status: 2 }); // exit(-errno): ENOENT, as the real kernel's transcript shows
    expect(mknodTool(k, '/dev/hello', major, 0).status).toBe(0);
    k.m.trace = true;
    const after = runProgram(k, 'cat-hello', program('cat-hello'));
    expect(after).toMatchObject({ status: 0, stdout: 'Hello from ring 0!\n' });
    // The driver's hello_read ran as real code in ring 0, called through its file_operations.
    expect(k.m.log.some((e) => e.kind === 'kernel/guest-called' && e.from === 'do_syscall_64')).toBe(true);
    expect(k.m.log.some((e) => e.kind === 'kernel/hle-entered' && e.name === 'simple_read_from_buffer')).toBe(true);
  });
});

describe('write and ioctl into a driver (ioctl-roundtrip)', () => {
  it('ioctl-hello writes "ring 3 was here" to /dev/hellorw, asks HELLORW_GET_LEN, prints len=15', async () => {
    const { insmodTool, mknodTool } = await import('../../src/sim/kernel/user-tools');
    const k = bootKernel();
    insmodTool(k, 'hellorw.ko', program('hellorw.ko'), '');
    mknodTool(k, '/dev/hellorw', [...k.chrdevs.devices.keys()][0]!, 0);
    expect(runProgram(k, 'ioctl-hello', program('ioctl-hello'))).toMatchObject({ status: 0, stdout: 'len=15\n' });
  });
});
