// The emulator's main chunk (src/lab/run.ts and what it imports statically, as the browser loads it)
// leaves out the parts that come lazily: the kernel's data files, its optional subsystems
// (src/sim/kernel/subsystems.ts, the module loader among them) and describe(). Vite splits the
// modules as the site's build does; the bench (scripts/bench.mjs) measures the built chunk itself against its 50 KB budget.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import type { OutputChunk, RollupOutput } from 'rollup';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SUBSYSTEMS = ['signatures', 'oops', 'kmod', 'pci', 'device-steps', 'builtin', 'tools', 'loader', 'devices'].map((n) => `src/sim/subsystems/${n}.ts`);

/**
 * The modules with code in the chunk of src/lab/run.ts and the chunks it imports statically, as
 * Vite (Rollup) splits them for the browser: with the subsystems and describe() as entries of
 * their own, a module they share with run.ts goes, whole, into a chunk run.ts imports.
 */
async function mainChunkModules(): Promise<string[]> {
  const entries = ['src/lab/run.ts', 'src/sim/events.ts', ...SUBSYSTEMS];
  const input = Object.fromEntries(entries.map((e) => [e.replace(/\W/g, '_'), resolve(e)]));
  const built = (await viteBuild({ configFile: false, logLevel: 'silent', build: { write: false, minify: false, rollupOptions: { input, preserveEntrySignatures: 'strict' } } })) as RollupOutput | RollupOutput[];
  const chunks = (Array.isArray(built) ? built : [built]).flatMap((o) => o.output).filter((c): c is OutputChunk => c.type === 'chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const seen = new Set<OutputChunk>();
  const visit = (c: OutputChunk) => {
    if (seen.has(c)) return;
    seen.add(c);
    for (const i of c.imports) visit(byName.get(i)!);
  };
  visit(chunks.find((c) => c.facadeModuleId === resolve('src/lab/run.ts'))!);
  return [...seen].flatMap((c) => Object.entries(c.modules).flatMap(([id, m]) => (m.renderedLength > 0 ? [relative(process.cwd(), id)] : [])));
}

/** The modules with code in one bundle of `entry` (everything it reaches, as Node loads it). */
async function staticGraph(entry: string): Promise<string[]> {
  const r = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', metafile: true, logLevel: 'silent' });
  const [output] = Object.values(r.metafile.outputs);
  return Object.entries(output!.inputs).flatMap(([file, i]) => (i.bytesInOutput > 0 ? [file] : []));
}

const LAZY = [
  /^src\/sim\/data\/.*\.json$/, // the data files (vmlinux-exports.json, kernel-entry.json, …)
  /^src\/sim\/subsystems\//,
  /^src\/sim\/kernel\/loader\/verify-signature\.ts$/,
  /^src\/sim\/crypto\/(x509|rsa|builtin-keyring)\.ts$/,
  /^src\/sim\/elf\/pkcs7\.ts$/,
  /^src\/sim\/kernel\/(oops|oops-trace|pci|hle-pci|kmod-depmod|kmod-modprobe|request-module|udev|userspace-driver|grep-tool|ls-tool|initcalls|builtin-image)\.ts$/,
  /^src\/sim\/scenarios\/(device-steps|driver-model-steps)\.ts$/,
  /^src\/sim\/events\.ts$/,
  // the loader subsystem: load_module, delete_module and what only they use
  /^src\/sim\/kernel\/loader\/(load-module|delete-module|load-info|layout|params|patching|kallsyms|symbols|exports|symbol-events)\.ts$/,
  /^src\/sim\/kernel\/(relocate|module-kobject|do-one-initcall|insmod)\.ts$/,
  /^src\/sim\/kernel\/hle-devices\.ts$/, // the devices subsystem: misc_register, device_create, class_create
  /^src\/sim\/elf\/(index|modinfo|versions|signature|this-module|relocations|x86-64-relocations|module-structs)\.ts$/,
];

describe("the emulator's main chunk", () => {
  it('holds the CPU and the kernel core, and none of the lazily loaded parts', async () => {
    const inputs = await mainChunkModules();
    for (const core of ['src/sim/machine.ts', 'src/sim/kernel/kernel.ts', 'src/sim/kernel/syscalls.ts', 'src/sim/kernel/subsystems.ts', 'src/sim/scenarios/loader.ts']) expect(inputs).toContain(core);
    expect(inputs.filter((f) => LAZY.some((p) => p.test(f)))).toEqual([]);
  }, 60_000);

  it('is all of the model when the subsystems are loaded at once (Node)', async () => {
    const inputs = await staticGraph('src/sim/subsystems/all.ts');
    for (const lazy of ['src/sim/kernel/loader/load-module.ts', 'src/sim/kernel/loader/verify-signature.ts', 'src/sim/kernel/oops.ts', 'src/sim/kernel/pci.ts', 'src/sim/kernel/userspace-driver.ts', 'src/sim/kernel/ls-tool.ts']) expect(inputs).toContain(lazy);
  }, 30_000);
});
