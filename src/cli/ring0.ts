// Models: the `ring0` command-line front end (architecture.md §3): readelf, modinfo and objdump over
// the emulator core's ELF reader and disassembler, and insmod into the emulated kernel. It may use Node's file system; src/sim may not.
// Simplifies: one command per run; errors are one plain-English line and exit status 1.

import { readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readElf, readModinfo, readModuleSignature, readRelocations, type ElfFile } from '../sim/elf/index';
import { modinfoListing } from './modinfo';
import { readelfListing } from './readelf';
import { signatureFields } from './signature-fields';

/** Where the command writes, and how it reads files: a test passes its own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readFile(path: string): Uint8Array;
  /** The absolute path kmod's modinfo prints; a test may leave it out (the path is printed as given). */
  resolvePath?(path: string): string;
}

interface Command {
  usage: string;
  summary: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  readelf: {
    usage: 'readelf FILE',
    summary: 'the ELF header, sections, program headers, relocations and symbols, as readelf -h -S -l -r -s -W prints them',
    run: async (args, io) => {
      const [file, ...rest] = args;
      if (!file || rest.length > 0) return usageError(io, 'readelf');
      const elf = loadElf(file, io);
      if (typeof elf === 'number') return elf;
      for (const line of readelfListing(elf)) io.out(line);
      const relocations = readRelocations(elf);
      if (!Array.isArray(relocations)) {
        io.err(`ring0: ${file}: ${relocations.message}`);
        return 1;
      }
      return 0;
    },
  },
  modinfo: {
    usage: 'modinfo FILE',
    summary: "a module's .modinfo tags, signature and parameters, as kmod's modinfo prints them",
    run: async (args, io) => {
      const [file, ...rest] = args;
      if (!file || rest.length > 0) return usageError(io, 'modinfo');
      const elf = loadElf(file, io);
      if (typeof elf === 'number') return elf;
      const info = readModinfo(elf);
      if (info.kind === 'elf-error') {
        io.err(`ring0: ${file}: ${info.message}`);
        return 1;
      }
      const problems: string[] = [];
      const lines = modinfoListing(info, io.resolvePath?.(file) ?? file, signatureFields(readModuleSignature(elf.bytes)), problems);
      for (const line of lines) io.out(line);
      for (const line of problems) io.err(line);
      return 0;
    },
  },
  objdump: {
    usage: 'objdump -d FILE',
    summary: 'disassembles every function of each executable section (Intel syntax), as objdump -d -M intel does',
    run: async (args, io) => {
      const flags = args.filter((a) => a.startsWith('-'));
      const files = args.filter((a) => !a.startsWith('-'));
      const [file] = files;
      if (!file || files.length > 1 || flags.length !== 1 || flags[0] !== '-d') return usageError(io, 'objdump');
      const elf = loadElf(file, io);
      if (typeof elf === 'number') return elf;
      // Loaded on demand, so the other commands do not pay for the decoder.
      const { objdumpListing } = await import('./objdump');
      for (const line of objdumpListing(elf, file)) io.out(line);
      return 0;
    },
  },
  insmod: {
    usage: 'insmod FILE [param=value ...] [--sig-enforce] [--lockdown]',
    summary: 'loads a module into a freshly booted emulated Linux 6.1 and prints its kernel log, then insmod\'s message',
    run: async (args, io) => {
      const { runInsmod } = await import('./insmod');
      return runInsmod(args, io);
    },
  },
  shell: {
    usage: "shell [--builtin] [--initcall-debug] 'COMMAND' ...",
    summary:
      'runs insmod, rmmod, mknod, cat, grep, ls, lsmod, dmesg, depmod, modprobe, udevadm settle, echo 1 > /sys/bus/pci/… and the sample programs in order on one emulated machine; ' +
      '--builtin boots it with hello and initorder built in (public/samples/builtin/), --initcall-debug adds initcall_debug to its command line',
    run: async (args, io) => {
      const { runShell } = await import('./shell');
      return runShell(args, io);
    },
  },
  run: {
    usage: 'run SCENARIO [--param k=v ...] [--trace]',
    summary: 'runs a named scenario of the book on a fresh emulated machine (ring0 run --list names them)',
    run: async (args, io) => {
      const { runScenario } = await import('./run');
      return runScenario(args, io);
    },
  },
  help: {
    usage: 'help',
    summary: 'lists the commands',
    run: async (_args, io) => {
      io.out('ring0: the Ring Zero emulator on the command line. Commands:');
      for (const c of Object.values(COMMANDS)) {
        io.out(`  ring0 ${c.usage}`);
        io.out(`      ${c.summary}`);
      }
      io.out('Run through npm as: npm run ring0 -- COMMAND ARGUMENTS');
      return 0;
    },
  },
};

function usageError(io: CliIo, name: string): number {
  io.err(`ring0: usage: ring0 ${COMMANDS[name]?.usage ?? name}`);
  return 1;
}

function loadElf(file: string, io: CliIo): ElfFile | number {
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(file);
  } catch (e) {
    io.err(`ring0: cannot read ${file}: ${readFailure(e)}.`);
    return 1;
  }
  const elf = readElf(bytes);
  if (elf.kind === 'elf-error') {
    io.err(`ring0: ${file}: ${elf.message}`);
    return 1;
  }
  return elf;
}

function readFailure(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'there is no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

/** Runs one command. Returns the exit status; never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined || name === '--help' || name === '-h' ? COMMANDS.help : COMMANDS[name];
  if (!command) {
    io.err(`ring0: there is no command "${name}"; "ring0 help" lists them.`);
    return 1;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    io.err(`ring0: ${name} failed unexpectedly (${e instanceof Error ? e.message : String(e)}); this is a bug in Ring Zero.`);
    return 1;
  }
}

/** The real terminal: npm runs scripts from the package root, so paths resolve against INIT_CWD. */
export function nodeIo(): CliIo {
  const cwd = process.env.INIT_CWD ?? process.cwd();
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readFile: (path) => new Uint8Array(readFileSync(resolve(cwd, path))),
    resolvePath: (path) => {
      try {
        return realpathSync(resolve(cwd, path));
      } catch {
        return resolve(cwd, path);
      }
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // `ring0 … | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
  main(process.argv.slice(2), nodeIo()).then((status) => {
    process.exitCode = status;
  });
}
