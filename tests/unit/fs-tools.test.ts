import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { insmodTool } from '../../src/sim/kernel/user-tools';
import { lookup, readFile, wallClock, ENOENT, ENOTDIR, EISDIR, EACCES } from '../../src/sim/kernel/fs-tree';
import { lsTool, modeString, utc } from '../../src/sim/kernel/ls-tool';
import { grepTool, posixToJs } from '../../src/sim/kernel/grep-tool';
import { catFileTool } from '../../src/sim/kernel/cat-file';
import { BOOT_REALTIME_SECONDS } from '../../src/sim/data/boot-devices';

const sample = (name: string) => new Uint8Array(readFileSync(`public/samples/${name}`));
const errno = (r: ReturnType<typeof lookup>) => ('errno' in r ? r.errno : 'notModelled' in r ? 'not modelled' : r.inode.kind);

describe('the directory tree (fs-tree.ts)', () => {
  it('looks paths up as namei does: ENOENT, ENOTDIR, ".", "..", symlinks, a trailing slash', () => {
    const k = bootKernel();
    expect(insmodTool(k, 'miscdev.ko', sample('miscdev.ko'), '').status).toBe(0);
    expect(errno(lookup(k, '/dev/nosuch'))).toBe(ENOENT);
    expect(errno(lookup(k, '/dev/null/x'))).toBe(ENOTDIR);
    expect(errno(lookup(k, '/dev/./input/../null'))).toBe('chr');
    expect(errno(lookup(k, '/sys/class/misc/miscdev', false))).toBe('lnk');
    expect(errno(lookup(k, '/sys/class/misc/miscdev'))).toBe('dir');
    expect(errno(lookup(k, '/sys/class/misc/miscdev/', false))).toBe('dir');
    expect(errno(lookup(k, '/dev/null/'))).toBe(ENOTDIR);
    const sub = lookup(k, '/sys/class/misc/miscdev/subsystem');
    expect('path' in sub && sub.path).toBe('/sys/class/misc');
    expect(errno(lookup(k, '/bin'))).toBe('not modelled'); // the real root has it
    expect(errno(lookup(k, '/nonexistent'))).toBe(ENOENT);
    expect(errno(lookup(k, '/proc/kallsyms'))).toBe('not modelled');
    expect(errno(lookup(k, '/proc/123'))).toBe('not modelled');
    expect(errno(lookup(k, '/proc/nothing'))).toBe(ENOENT);
    expect(errno(lookup(k, '/sys/module/module'))).toBe('not modelled'); // built in, with parameters
    expect(errno(lookup(k, '/sys/module/hello'))).toBe(ENOENT);
  });

  it("reads the files the real kernel has: a class device's dev and uevent, /proc/misc newest first, a module's write-only uevent", () => {
    const k = bootKernel();
    expect(insmodTool(k, 'miscdev.ko', sample('miscdev.ko'), '').status).toBe(0);
    expect(readFile(k, '/sys/class/misc/miscdev/dev')).toEqual(['10:124']);
    expect(readFile(k, '/sys/devices/virtual/misc/miscdev/uevent')).toEqual(['MAJOR=10', 'MINOR=124', 'DEVNAME=miscdev', 'DEVMODE=0444']);
    const real = readFileSync('tests/fixtures/real-kernel/devices-misc.txt', 'utf8').split('\n');
    const at = real.indexOf('# cat /proc/misc');
    expect(readFile(k, '/proc/misc')).toEqual(real.slice(at + 1, at + 9));
    expect(readFile(k, '/sys/module/miscdev/uevent')).toBe(EACCES);
    expect(readFile(k, '/sys/module')).toBe(EISDIR);
    expect(readFile(k, '/sys/devices/virtual/misc/miscdev/power/control')).toBe('not modelled');
  });

  it("the wall clock is the real boot's, from the oracle's index (ls -l shows it)", () => {
    const index = JSON.parse(readFileSync('tests/fixtures/real-kernel/index.json', 'utf8'));
    const boot = index.boots.find((b: { name: string }) => b.name === 'devices');
    expect(BOOT_REALTIME_SECONDS * 1000).toBe(Date.parse(boot.recorded));
    expect(wallClock(300e9 + 61e9)).toBe(BOOT_REALTIME_SECONDS + 61);
    expect(utc(Date.UTC(2026, 10, 25, 13, 59) / 1000)).toEqual({ month: 10, day: 25, hour: 13, minute: 59 });
  });
});

describe('busybox ls, cat and grep (modelled)', () => {
  it("ls: busybox's mode string, columns down then across in 79 columns, errors first", () => {
    expect(modeString(0o020444)).toBe('cr--r--r--');
    expect(modeString(0o040755)).toBe('drwxr-xr-x');
    expect(modeString(0o120777)).toBe('lrwxrwxrwx');
    const k = bootKernel();
    const r = lsTool(k, ['/sys/class/misc']);
    expect(r.stdout).toEqual(['cpu_dma_latency  hw_random        snapshot         vga_arbiter', 'hpet             psaux            userfaultfd']);
    const two = lsTool(k, ['-l', '/dev/null', '/dev/nosuch', '/dev/input']);
    expect(two.stderr).toEqual(['ls: /dev/nosuch: No such file or directory']);
    expect(two.status).toBe(1);
    expect(two.stdout.map((l) => l.replace(/\w{3} [ \d]\d \d\d:\d\d/, '<t>'))).toEqual([
      'crw-rw-rw-    1 0        0           1,   3 <t> /dev/null', '', '/dev/input:', 'total 0', 'crw-------    1 0        0          13,  63 <t> mice',
    ]);
    expect(lsTool(k, ['-Z']).stderr).toEqual(["ls: invalid option -- 'Z'"]);
    expect(lsTool(k, ['/proc']).stderr[0]).toMatch(/^ls: \/proc: listing this directory is not modelled/);
  });

  it('cat: a directory fails at read, a missing file at open', () => {
    const k = bootKernel();
    expect(catFileTool(k, '/dev')).toEqual({ status: 1, stdout: '', stderr: ['cat: read error: Is a directory'] });
    expect(catFileTool(k, '/nonexistent').stderr).toEqual(["cat: can't open '/nonexistent': No such file or directory"]);
    expect(catFileTool(k, '/proc/devices').stdout).toMatch(/^Character devices:\n {2}1 mem\n/);
  });

  it('grep: POSIX basic regular expressions as glibc reads them', () => {
    const bre = (p: string) => new RegExp(posixToJs(p, false));
    expect(bre('a+').test('a+')).toBe(true); // + is ordinary in a BRE
    expect(bre('a+').test('aa')).toBe(false);
    expect(bre('a\\+').test('aa')).toBe(true); // GNU \+
    expect(bre('x\\{2\\}').test('axxb')).toBe(true);
    expect(bre('\\(ab\\)\\1').test('abab')).toBe(true);
    expect(bre('*a').test('*a')).toBe(true); // a leading * is ordinary
    expect(bre('^*a').test('*a')).toBe(true);
    expect(bre('a|b').test('a|b')).toBe(true);
    expect(bre('a\\|b').test('b')).toBe(true);
    expect(bre('[[:digit:]]x').test('7x')).toBe(true);
    expect(bre('[]a]').test(']')).toBe(true);
    expect(bre('a$b').test('a$b')).toBe(true); // $ not at the end is ordinary
    expect(bre('p.s$').test('250 pps')).toBe(true);
    expect(new RegExp(posixToJs('a+|c', true)).test('c')).toBe(true);
    expect(() => posixToJs('[abc', false)).toThrow(/Unmatched \[/);
  });

  it('grep: options, several files, and the exit status busybox gives', () => {
    const k = bootKernel();
    expect(grepTool(k, ['misc', '/proc/devices'])).toEqual({ status: 0, stdout: [' 10 misc'], stderr: [] });
    expect(grepTool(k, ['-c', 'tty', '/proc/devices']).stdout).toEqual(['3']);
    expect(grepTool(k, ['-q', 'misc', '/proc/devices'])).toEqual({ status: 0, stdout: [], stderr: [] });
    expect(grepTool(k, ['nosuch', '/proc/devices']).status).toBe(1);
    expect(grepTool(k, ['-n', 'misc', '/proc/devices']).stdout).toEqual(['10: 10 misc']);
    expect(grepTool(k, ['-x', 'tty', '/proc/devices']).status).toBe(1);
    expect(grepTool(k, ['-c', 'misc', '/proc/devices', '/proc/misc']).stdout).toEqual(['/proc/devices:1', '/proc/misc:0']);
    expect(grepTool(k, ['misc', '/proc/devices', '/nonexistent'])).toEqual({ status: 2, stdout: ['/proc/devices: 10 misc'], stderr: ['grep: /nonexistent: No such file or directory'] });
    expect(grepTool(k, ['-s', 'misc', '/nonexistent'])).toEqual({ status: 2, stdout: [], stderr: [] });
    expect(grepTool(k, ['misc', '/dev'])).toEqual({ status: 1, stdout: [], stderr: [] });
    expect(grepTool(k, ['misc']).stderr).toEqual(['grep: reading standard input is not modelled (the shell has no pipes)']);
  });
});
