// Models: kmod's insmod and rmmod as user programs (kmod tools/insmod.c, tools/rmmod.c): labelled
// as modelled in TypeScript, they reproduce kmod's logic and messages, and enter the kernel only
// through a real `syscall` instruction executed in ring 3 (finit_module, delete_module).
// Simplifies: the process is a stub of four instructions in a minimal user address space (its
// program text is TypeScript); it opens its file without an open() system call (fd 3 is given).
import type { Kernel } from './kernel';
import { NR } from './syscalls';
import { insmodError, strerror } from './loader/errno';
import { procModules, sysModule } from './loader/module-sysfs';
import { RAX, RDI, RDX, RSI } from '../cpu/state';
import { split } from './layout';
import { enterUserMode, mapUser, newAddressSpace, runProgram } from './process';
import { takeKilled } from './oops-state';
import { isBuiltinModule } from './builtin-modules';

const CODE = 0x401000n, DATA = 0x402000n, BUFFER = 0x403000n, STACK_TOP = 0x7ffffff000n;
/** Where syscallFromUser puts its strings (the first at this address). */
export const USER_STRINGS = DATA;
/** syscall ; mov edi, eax ; mov eax, 231 (exit_group) ; syscall */
const STUB = [0x0f, 0x05, 0x89, 0xc7, 0xb8, 0xe7, 0x00, 0x00, 0x00, 0x0f, 0x05];
const O_NONBLOCK = 0o4000;

export interface ToolResult {
  status: number;
  stderr: string[];
}

/** The task was killed inside the system call (an oops: make_task_dead), as the shell reports it. */
export interface Killed { signal: number }
export const isKilled = (r: unknown): r is Killed => typeof r === 'object' && r !== null && 'signal' in r;
export const killed = (r: Killed): ToolResult & { stdout: string } => ({ status: 128 + r.signal, stderr: [r.signal === 9 ? 'Killed' : 'Segmentation fault'], stdout: '' });

/** Runs one system call from ring 3 and returns the kernel's answer. */
export function syscallFromUser(k: Kernel, comm: string, nr: number, args: (bigint | number)[], strings: string[] = [], maxSteps = 2_000_000): number | string | Killed {
  newAddressSpace(k);
  mapUser(k, CODE, 4096, { writable: false, executable: true });
  mapUser(k, DATA, 8192, { writable: true, executable: false }); // strings, then a buffer
  mapUser(k, STACK_TOP - 4096n, 4096, { writable: true, executable: false });
  k.writeBytes(CODE, STUB);
  let at = DATA;
  for (const s of strings) {
    k.writeBytes(at, [...Array.from(s, (c) => c.charCodeAt(0) & 0xff), 0]);
    at += BigInt(s.length + 1);
  }
  const m = k.m;
  const values = args.map((a) => BigInt.asUintN(64, typeof a === 'bigint' ? a : BigInt(a)));
  [RDI, RSI, RDX, 10 /* r10 */].forEach((r, i) => m.set64(r, split(values[i] ?? 0n)));
  m.set64(RAX, split(BigInt(nr)));
  enterUserMode(k, comm, CODE, STACK_TOP);
  m.run(maxSteps);
  const stopped = m.stopped as { reason: string; detail: string } | undefined;
  const signal = takeKilled(k);
  if (signal) return { signal };
  if (stopped?.reason !== 'exited') return stopped ? stopped.detail : 'the process did not finish';
  return k.lastSyscallResult;
}

/** insmod FILE [params]: finit_module(fd, params, 0); on failure kmod's one line, status 1. */
export function insmodTool(k: Kernel, fileName: string, bytes: Uint8Array, params: string): ToolResult {
  k.nextPid++; // each tool is a process of its own, as the shell forks it
  k.files.set(3, bytes);
  const r = syscallFromUser(k, 'insmod', NR.finit_module, [3, DATA, 0], [params]);
  k.files.delete(3);
  if (isKilled(r)) return killed(r);
  if (typeof r === 'string') return { status: 1, stderr: [`insmod: the machine stopped: ${r}`] };
  return r === 0 ? { status: 0, stderr: [] } : { status: 1, stderr: [`insmod: ERROR: could not insert module ${fileName}: ${insmodError(r)}`] };
}

/** rmmod NAME: kmod reads /sys/module first and refuses a module in use without asking the kernel. */
export function rmmodTool(k: Kernel, name: string): ToolResult {
  k.nextPid++;
  // check_module_inuse() → kmod_module_get_initstate(): modules.builtin is consulted first.
  if (isBuiltinModule(k, name)) {
    // No system call is made: the event is the only trace of the refusal in the run.
    k.m.emit({ kind: 'user/modelled', program: 'rmmod', text: `kmod prints "rmmod: ERROR: Module ${name} is builtin." and makes no system call: ${name} is in modules.builtin` });
    return { status: 1, stderr: [`rmmod: ERROR: Module ${name} is builtin.`] };
  }
  const sys = sysModule(k, name);
  if (!sys) return { status: 1, stderr: [`rmmod: ERROR: Module ${name} is not currently loaded`] };
  if (sys['holders']) return { status: 1, stderr: [`rmmod: ERROR: Module ${name} is in use by: ${sys['holders']}`] };
  if (sys['refcnt'] !== '0') return { status: 1, stderr: [`rmmod: ERROR: Module ${name} is in use`] };
  const r = syscallFromUser(k, 'rmmod', NR.delete_module, [DATA, O_NONBLOCK], [name]);
  if (isKilled(r)) return killed(r);
  if (typeof r === 'string') return { status: 1, stderr: [`rmmod: the machine stopped: ${r}`] };
  return r === 0 ? { status: 0, stderr: [] } : { status: 1, stderr: [`rmmod: ERROR: could not remove module ${name}: ${insmodError(r)}`] };
}

/** mknod PATH c MAJOR MINOR (busybox): mknodat(AT_FDCWD, path, S_IFCHR | 0644, makedev(major, minor)). */
export function mknodTool(k: Kernel, path: string, major: number, minor: number): ToolResult {
  k.nextPid++;
  const dev = ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xff) << 12); // glibc's makedev
  const r = syscallFromUser(k, 'mknod', NR.mknodat, [-100, DATA, 0o020644, dev], [path]);
  if (isKilled(r)) return killed(r);
  if (typeof r === 'string') return { status: 1, stderr: [`mknod: the machine stopped: ${r}`] };
  return r === 0 ? { status: 0, stderr: [] } : { status: 1, stderr: [`mknod: ${path}: ${strerror(r)}`] };
}

/** cat PATH (busybox): openat, read until 0, write each chunk to stdout, close — each a real syscall. */
export function catTool(k: Kernel, path: string, comm = 'cat'): ToolResult & { stdout: string } {
  k.nextPid++;
  const cat = comm;
  const fd = syscallFromUser(k, cat, NR.openat, [-100, DATA, 0, 0], [path]);
  if (isKilled(fd)) return killed(fd);
  if (typeof fd === 'string') return { status: 1, stderr: [`${cat}: the machine stopped: ${fd}`], stdout: '' };
  if (fd < 0) return { status: 1, stderr: [`${cat}: can't open '${path}': ${strerror(fd)}`], stdout: '' };
  let stdout = '';
  for (;;) {
    const n = syscallFromUser(k, cat, NR.read, [fd, BUFFER, 4096]);
    if (isKilled(n)) return { ...killed(n), stdout };
    if (typeof n === 'string') return { status: 1, stderr: [`${cat}: the machine stopped: ${n}`], stdout };
    if (n < 0) return { status: 1, stderr: [`${cat}: read error: ${strerror(n)}`], stdout };
    if (n === 0) break;
    stdout += String.fromCharCode(...k.readBytes(BUFFER, n));
  }
  const closed = syscallFromUser(k, cat, NR.close, [fd]);
  if (isKilled(closed)) return { ...killed(closed), stdout };
  return { status: 0, stderr: [], stdout };
}

/** lsmod (kmod): /proc/modules as a table, "Module Size Used by". */
export function lsmodTool(k: Kernel): string[] {
  k.nextPid++;
  const lines = ['Module                  Size  Used by'];
  for (const l of procModules(k)) {
    const [name, size, refcnt, users] = l.split(' ');
    const by = users === '-' ? '' : ` ${users!.replace(/,$/, '')}`;
    lines.push(`${name!.padEnd(19)} ${size!.padStart(8)}  ${refcnt}${by}`);
  }
  return lines;
}

/** A sample program run from the shell: its output, and its end as the shell reports it. */
export function programTool(k: Kernel, comm: string, bytes: Uint8Array, shown = comm, args?: string[]): ToolResult & { stdout: string } {
  const r = runProgram(k, comm, bytes, undefined, args ? [shown, ...args] : undefined);
  if ('error' in r) return { status: 126, stderr: [`sh: ${r.error}`], stdout: '' };
  if (r.stopped) return { status: 1, stderr: [`sh: ${shown} did not finish: ${r.stopped}`], stdout: r.stdout };
  return { status: r.status, stderr: r.signal === 'SIGKILL' ? ['Killed'] : r.signal ? ['Segmentation fault'] : [], stdout: r.stdout };
}

/**
 * finit_module(3, params, 0) from ring 3 for a modelled tool other than insmod (modprobe, udev's
 * kmod builtin): the kernel's answer (0 or -errno), or why the machine stopped.
 */
export function finitModuleFromUser(k: Kernel, comm: string, bytes: Uint8Array, params: string): number | string {
  k.files.set(3, bytes);
  const r = syscallFromUser(k, comm, NR.finit_module, [3, DATA, 0], [params]);
  k.files.delete(3);
  return isKilled(r) ? killedText(comm, r) : r;
}

/** delete_module(name, O_NONBLOCK) from ring 3 for a modelled tool other than rmmod (modprobe -r). */
export function deleteModuleFromUser(k: Kernel, comm: string, name: string): number | string {
  const r = syscallFromUser(k, comm, NR.delete_module, [DATA, O_NONBLOCK], [name]);
  return isKilled(r) ? killedText(comm, r) : r;
}

/** The machine-stopped text for a tool killed inside a system call (the callers do not model a killed modprobe). */
const killedText = (comm: string, r: Killed) => `${comm} was killed by ${r.signal === 9 ? 'SIGKILL' : 'SIGSEGV'} after an oops in ring 0`;
