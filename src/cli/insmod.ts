// Models: `insmod FILE [param=value …]` against a freshly booted emulated Linux 6.1, printing the
// kernel log lines the load produced (as dmesg prints them) and then, on failure, kmod insmod's own
// message; the exit status is insmod's (0, or 1 on failure).
// Simplifies: the kernel data (exports, vermagic, structure layouts) is read from src/sim/data,
// which the CLI finds next to itself; the syscall from user space is not modelled yet (issue 5).
import { bootKernel } from './kernel-data';
import { insmod } from '../sim/kernel/insmod';
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
  const flags = { sigEnforce: options.has('--sig-enforce'), lockdown: options.has('--lockdown'), ignoreModversions: false, ignoreVermagic: false, comm: 'insmod' };
  const result = insmod(k, file.split('/').pop()!, { file: bytes, args: params.join(' '), flags });
  for (const r of k.log.records) io.out(KernelLog.line(r));
  if (result.message) io.err(result.message);
  return result.errno === 0 ? 0 : 1;
}
