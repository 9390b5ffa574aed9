// Models: `insmod FILE [param=value …]` against a freshly booted emulated Linux 6.1, printing the
// kernel log lines the load produced (as dmesg prints them) and then, on failure, kmod insmod's own
// message; the exit status is insmod's (0, or 1 on failure).
// Simplifies: the kernel data (exports, vermagic, structure layouts) is read from src/sim/data,
// which the CLI finds next to itself. insmod itself is kmod's, modelled: it enters the kernel
// through a real `syscall` (finit_module) executed in ring 3.
import { bootKernel } from './kernel-data';
import { insmodTool } from '../sim/kernel/user-tools';
import { KernelLog } from '../sim/kernel/printk';
import type { CliIo } from './ring0';

export function runInsmod(args: string[], io: CliIo): number {
  const options = new Set(args.filter((a) => a.startsWith('--')));
  const rest = args.filter((a) => !a.startsWith('--'));
  const [file, ...params] = rest;
  const unknown = [...options].filter((o) => !['--sig-enforce', '--lockdown'].includes(o));
  if (!file || unknown.length) {
    io.err(`ring0: usage: ring0 insmod FILE [param=value ...] [--sig-enforce] [--lockdown]${unknown.length ? ` (unknown option ${unknown[0]})` : ''}`);
    return 1;
  }
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(file);
  } catch {
    // kmod: "insmod: ERROR: could not load module %s: %s" when the file cannot be read.
    io.err(`insmod: ERROR: could not load module ${file}: No such file or directory`);
    return 1;
  }
  const k = bootKernel();
  k.sigEnforce = options.has('--sig-enforce');
  k.lockdown = options.has('--lockdown');
  const result = insmodTool(k, file.split('/').pop()!, bytes, params.join(' '));
  for (const r of k.log.records) io.out(KernelLog.line(r));
  for (const line of result.stderr) io.err(line);
  return result.status;
}
