// Models: the descriptors the root shell itself holds, as busybox 1.35's ash makes them with
// `exec N<FILE` (openredirect(): open(FILE, O_RDONLY) in the shell's own process, then, if open
// gave another descriptor, dup2 to N and close the first; the shell keeps N across commands and
// every command it starts inherits it) and closes them with `exec N<&-` (close(N)). Both are real openat/close system calls from ring 3, so an open device node holds
// its driver's module as long as the shell keeps it (char-open.ts). ash's messages: "sh: can't
// open FILE: no such file" for ENOENT, strerror's words for the rest (exit status 1, as the real
// shell reported it: tests/fixtures/real-kernel/devices-hello-held.txt).
// Simplifies: a modelled shell builtin, labelled as such; the shell's own descriptors 10 and up
// (its script, its terminal) are not modelled, so open() gives the lowest free one from 3.
import type { Kernel } from './kernel';
import { NR } from './syscalls';
import { USER_STRINGS, isKilled, killed, syscallFromUser, type ToolResult } from './user-tools';
import { strerror } from './loader/errno';

const O_RDONLY = 0, ENOENT = -2;

/** `exec N<path` in the shell. */
export function shellOpen(k: Kernel, fd: number, path: string): ToolResult {
  const r = syscallFromUser(k, 'sh', NR.openat, [-100, USER_STRINGS, O_RDONLY, 0], [path]);
  if (isKilled(r)) return killed(r); // an oops in the driver's open
  if (typeof r === 'string') return { status: 1, stderr: [`sh: the machine stopped: ${r}`] };
  if (r < 0) return { status: 1, stderr: [`sh: can't open ${path}: ${r === ENOENT ? 'no such file' : strerror(r)}`] };
  if (r !== fd) {
    // Not the descriptor asked for: dup2(r, fd), then close(r) (the file stays open as fd).
    const d = syscallFromUser(k, 'sh', NR.dup2, [r, fd]);
    if (isKilled(d)) return killed(d);
    if (typeof d === 'string') return { status: 1, stderr: [`sh: the machine stopped: ${d}`] };
    syscallFromUser(k, 'sh', NR.close, [r]);
    if (d < 0) return { status: 1, stderr: [`sh: ${fd}: ${strerror(d)}`] };
  }
  return { status: 0, stderr: [] };
}

/** `exec N<&-` in the shell: close(N); ash ignores a descriptor that was not open. */
export function shellClose(k: Kernel, fd: number): ToolResult {
  const r = syscallFromUser(k, 'sh', NR.close, [fd]);
  if (isKilled(r)) return killed(r); // an oops in the driver's release
  if (typeof r === 'string') return { status: 1, stderr: [`sh: the machine stopped: ${r}`] };
  return { status: 0, stderr: [] };
}
