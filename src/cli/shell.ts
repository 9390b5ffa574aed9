// Models: a root shell on one emulated Linux 6.1 machine: `ring0 shell 'insmod hello.ko' 'cat
// /dev/hello' …` runs the commands in order, printing each as `# command` and then its output, as
// the real-kernel transcripts do (with `[exit status N]` when it is not 0). insmod, rmmod, mknod and cat are the modelled tools of
// user-tools.ts (each enters the kernel through a real `syscall` in ring 3); ls and grep are
// modelled busybox tools (ls-tool.ts, grep-tool.ts); `exec N<FILE` / `exec N<&-` open and close
// the shell's own descriptors (shell-fds.ts); a sample program (`cat-hello`, `./cli`,
// `delete-module hello`) runs as real code in its own process, with its arguments.
// Simplifies: commands are split at spaces (no quoting, pipes or variables); /proc and /sys files
// are printed from the kernel model's state without a read() system call; kernel messages appear
// only through dmesg, not on a console. Every command but exec is a process and takes the next
// PID, as the commands a shell forks do.
import { bootKernel } from './kernel-data';
import { sampleBytes } from './samples';
import { insmodTool, lsmodTool, mknodTool, programTool, rmmodTool } from '../sim/kernel/user-tools';
import { catFileTool } from '../sim/kernel/cat-file';
import { lsTool } from '../sim/kernel/ls-tool';
import { grepTool } from '../sim/kernel/grep-tool';
import { shellClose, shellOpen } from '../sim/kernel/shell-fds';
import { outputLines } from './format';
import { KernelLog } from '../sim/kernel/printk';
import { bootBuiltins } from '../sim/kernel/initcalls';
import type { Kernel } from '../sim/kernel/kernel';
import type { CliIo } from './ring0';
import { bootShellMachine, driverModelCommand, driverModelFile } from './shell-driver-model';

export interface Output {
  status: number;
  out: string[];
  err: string[];
}

const ok = (out: string[]): Output => ({ status: 0, out, err: [] });
const fail = (line: string): Output => ({ status: 1, out: [], err: [line] });

/** A file as given, or else a sample of public/samples by name ("hello.ko", "cat-hello"). */
function readGiven(path: string, io: CliIo): Uint8Array | undefined {
  try {
    return io.readFile(path);
  } catch {
    if (path.includes('/') || path.startsWith('.')) return undefined;
    try {
      return sampleBytes(path);
    } catch {
      return undefined;
    }
  }
}

/** What `cat FILE` prints: /proc and /sys from the model's tree, device nodes through the VFS. */
function fileText(k: Kernel, path: string): Output {
  const driverModel = driverModelFile(k, path); // /sys/bus/pci/…, /lib/modules/…
  if (driverModel) return driverModel;
  const r = catFileTool(k, path);
  return { status: r.status, out: outputLines(r.stdout), err: r.stderr };
}

/** One command line, already split into words, on the shell's machine. */
export function runCommand(k: Kernel, words: string[], io: CliIo): Output {
  const driverModel = driverModelCommand(k, words); // depmod, modprobe, udevadm settle, echo 1 > /sys/bus/pci/…
  if (driverModel) return driverModel;
  const [name, ...args] = words;
  switch (name) {
    case 'insmod': {
      const [file, ...params] = args;
      if (!file) return fail('insmod: usage: insmod FILE [param=value ...]');
      const bytes = readGiven(file, io);
      if (!bytes) return fail(`insmod: ERROR: could not load module ${file}: No such file or directory`);
      const r = insmodTool(k, file.split('/').pop()!, bytes, params.join(' '));
      return { status: r.status, out: [], err: r.stderr };
    }
    case 'rmmod': {
      if (args.length !== 1) return fail('rmmod: usage: rmmod NAME');
      const r = rmmodTool(k, args[0]!);
      return { status: r.status, out: [], err: r.stderr };
    }
    case 'mknod': {
      const [path, type, major, minor] = args;
      if (!path || type !== 'c' || !/^\d+$/.test(major ?? '') || !/^\d+$/.test(minor ?? '')) return fail('mknod: usage: mknod PATH c MAJOR MINOR');
      const r = mknodTool(k, path, Number(major), Number(minor));
      return { status: r.status, out: [], err: r.stderr };
    }
    case 'cat':
      if (args.length !== 1) return fail('cat: usage: cat FILE');
      return fileText(k, args[0]!);
    case 'grep': {
      const r = grepTool(k, args);
      return { status: r.status, out: r.stdout, err: r.stderr };
    }
    case 'ls': {
      const r = lsTool(k, args);
      return { status: r.status, out: r.stdout, err: r.stderr };
    }
    case 'exec': {
      // exec N<FILE and exec N<&-: the shell's own descriptors (shell-fds.ts).
      const open = args.length === 1 ? /^(\d+)<(?!&)(.+)$/.exec(args[0]!) : null;
      const close = args.length === 1 ? /^(\d+)<&-$/.exec(args[0]!) : null;
      const r = open ? shellOpen(k, Number(open[1]), open[2]!) : close ? shellClose(k, Number(close[1])) : undefined;
      if (!r) return fail('sh: exec: only `exec N<FILE` and `exec N<&-` are modelled');
      return { status: r.status, out: [], err: r.stderr };
    }
    case 'lsmod':
      return ok(lsmodTool(k));
    case 'dmesg':
      k.nextPid++;
      return ok(k.log.records.map((r) => KernelLog.line(r)));
    default: {
      const program = name!.replace(/^\.\//, '');
      const bytes = readGiven(program, io);
      if (!bytes || program.endsWith('.ko')) return { status: 127, out: [], err: [`sh: ${name}: not found`] };
      const r = programTool(k, program.split('/').pop()!, bytes, name, args.length ? args : undefined);
      return { status: r.status, out: outputLines(r.stdout), err: r.stderr };
    }
  }
}

/** Runs each command on one freshly booted machine; the status is the last command's, as `sh -c` gives. */
export function runShell(args: string[], io: CliIo): number {
  // Boot options first: --builtin boots the kernel with the built-in image (hello and initorder
  // built in, public/samples/builtin/), --initcall-debug puts initcall_debug on its command line.
  const commands = [...args];
  let builtin = false, initcallDebug = false;
  while (commands[0]?.startsWith('--')) {
    const option = commands.shift()!;
    if (option === '--builtin') builtin = true;
    else if (option === '--initcall-debug') initcallDebug = true;
    else {
      io.err(`ring0: shell has no option ${option} (only --builtin and --initcall-debug)`);
      return 1;
    }
  }
  if (commands.length === 0) {
    io.err("ring0: usage: ring0 shell [--builtin] [--initcall-debug] 'COMMAND' ['COMMAND' ...]");
    return 1;
  }
  const k = bootKernel();
  k.initcallDebug = initcallDebug;
  if (builtin) {
    const booted = bootBuiltins(k, sampleBytes('builtin/builtin.elf'), String.fromCharCode(...sampleBytes('builtin/modules.builtin')), { initcallDebug });
    if ('error' in booted) {
      io.err(`ring0: the boot with built-ins failed: ${booted.error}`);
      return 1;
    }
  }
  bootShellMachine(k);
  let status = 0;
  for (const command of commands) {
    const words = command.trim().split(/\s+/).filter(Boolean);
    io.out(`# ${words.join(' ')}`);
    if (words.length === 0) continue;
    const r = runCommand(k, words, io);
    r.out.forEach((l) => io.out(l));
    r.err.forEach((l) => io.err(l));
    if (r.status !== 0) io.out(`[exit status ${r.status}]`);
    status = r.status;
  }
  return status;
}
