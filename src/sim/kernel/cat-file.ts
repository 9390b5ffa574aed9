// Models: busybox 1.35's `cat FILE` for any path the book uses: a device node (or a path that is
// not there) through real openat/read/close system calls from ring 3 (user-tools.ts catTool);
// a /proc or /sys file from the model's tree (fs-tree.ts); a directory fails at read() with
// "cat: read error: Is a directory" and a file that cannot be opened with "cat: can't open
// 'FILE': <strerror>" (exit status 1), as tests/fixtures/real-kernel/devices-ls.txt shows.
// Simplifies: a modelled tool, labelled as such: /proc and /sys files are read without system
// calls; a file whose contents the model lacks is reported as not modelled.
import type { Kernel } from './kernel';
import { catTool, type ToolResult } from './user-tools';
import { EISDIR, lookup, readFile } from './fs-tree';
import { strerror } from './loader/errno';

export function catFileTool(k: Kernel, path: string): ToolResult & { stdout: string } {
  const r = lookup(k, path);
  if ('errno' in r || ('inode' in r && r.inode.kind === 'chr')) return catTool(k, path);
  k.nextPid++; // the reading process (catTool takes its own)
  if ('notModelled' in r) return { status: 1, stdout: '', stderr: [`cat: ${path}: not modelled (the model has /dev, /proc/{devices,modules,misc} and parts of /sys)`] };
  const f = readFile(k, path);
  if (f === EISDIR) return { status: 1, stdout: '', stderr: ['cat: read error: Is a directory'] };
  if (typeof f === 'number') return { status: 1, stdout: '', stderr: [`cat: can't open '${path}': ${strerror(f)}`] };
  if (!Array.isArray(f)) return { status: 1, stdout: '', stderr: [`cat: ${path}: reading it is not modelled`] };
  return { status: 0, stdout: f.map((l) => l + '\n').join(''), stderr: [] };
}
