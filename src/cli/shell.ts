// Models: a root shell on one emulated Linux 6.1 machine: `ring0 shell 'insmod hello.ko' 'cat
// /dev/hello' …` runs the commands in order, printing each as `# command` and then its output, as
// the real-kernel transcripts do (with `[exit status N]` when it is not 0). insmod, rmmod, mknod and cat are the modelled tools of
// user-tools.ts (each enters the kernel through a real `syscall` in ring 3); a sample program
// (`cat-hello`, `./cli`) runs as real code in its own process.
// Simplifies: commands are split at spaces (no quoting, pipes or variables); grep matches a fixed
// string; /proc and /sys files are printed from the kernel model's state without a read() system
// call; kernel messages appear only through dmesg, not on a console. Every command is a process
// and takes the next PID, as the commands a shell forks do.
import { bootKernel } from './kernel-data';
import { sampleBytes } from './samples';
import { catTool, insmodTool, lsmodTool, mknodTool, programTool, rmmodTool } from '../sim/kernel/user-tools';
import { outputLines } from './format';
import { procModules, sysModule } from '../sim/kernel/loader/delete-module';
import { procDevices } from '../sim/kernel/procfs';
import { procInterrupts } from '../sim/kernel/irq';
import { KernelLog } from '../sim/kernel/printk';
import type { Kernel } from '../sim/kernel/kernel';
import type { CliIo } from './ring0';

interface Output {
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

/** /proc and /sys files the model prints from its own state; undefined for any other path. */
function modelFile(k: Kernel, path: string): Output | undefined {
  if (path === '/proc/devices') return ok(procDevices(k));
  if (path === '/proc/modules') return ok(procModules(k));
  if (path === '/proc/interrupts') return ok(procInterrupts(k)); // the rows of lines drivers requested
  const sys = /^\/sys\/module\/([^/]+)\/([^/]+)$/.exec(path);
  if (!sys) return undefined;
  const value = sysModule(k, sys[1]!)?.[sys[2]!];
  return value === undefined ? fail(`cat: can't open '${path}': No such file or directory`) : ok([value]);
}

/** What `cat FILE` prints: /proc and /sys from the model, anything else through the VFS. */
function fileText(k: Kernel, path: string): Output {
  const text = modelFile(k, path);
  if (text) {
    k.nextPid++; // the reading process (catTool takes its own)
    return text;
  }
  const r = catTool(k, path);
  return { status: r.status, out: outputLines(r.stdout), err: r.stderr };
}

function runCommand(k: Kernel, words: string[], io: CliIo): Output {
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
      const [pattern, file] = args;
      if (!pattern || !file || args.length !== 2) return fail('grep: usage: grep STRING FILE');
      const text = fileText(k, file);
      if (text.status !== 0) return { ...text, status: 2, err: text.err.map((l) => l.replace(/^cat:/, 'grep:')) };
      const lines = text.out.filter((l) => l.includes(pattern));
      return { status: lines.length ? 0 : 1, out: lines, err: [] };
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
      const r = programTool(k, program.split('/').pop()!, bytes, name);
      return { status: r.status, out: outputLines(r.stdout), err: r.stderr };
    }
  }
}

/** Runs each command on one freshly booted machine; the status is the last command's, as `sh -c` gives. */
export function runShell(commands: string[], io: CliIo): number {
  if (commands.length === 0) {
    io.err("ring0: usage: ring0 shell 'COMMAND' ['COMMAND' ...]");
    return 1;
  }
  const k = bootKernel();
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
