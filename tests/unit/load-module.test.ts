import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/sim/kernel/kernel';
import { bootKernel } from '../../src/cli/kernel-data';
import { emulatedBuiltinKeyring } from '../../src/sim/crypto/builtin-keyring';
import { deleteModuleCall, insmod } from '../../src/sim/kernel/insmod';
import { procModules } from '../../src/sim/kernel/loader/delete-module';
import { describe as sentence, type SimEvent } from '../../src/sim/events';
import type { LoadFlags } from '../../src/sim/kernel/loader/load-info';

const FLAGS: LoadFlags = { sigEnforce: false, lockdown: false, ignoreModversions: false, ignoreVermagic: false, comm: 'insmod' };

function boot(): Kernel {
  const k = bootKernel();
  k.m.trace = true;
  return k;
}
const sample = (name: string) => new Uint8Array(readFileSync(`public/samples/${name}`));
const of = <K extends SimEvent['kind']>(k: Kernel, kind: K) => k.m.log.filter((e): e is Extract<SimEvent, { kind: K }> => e.kind === kind);

describe('load_module() on the real hello.ko', () => {
  it('passes every 6.1 stage in order and runs hello_init in ring 0', () => {
    const k = boot();
    const r = insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    expect(r).toEqual({ errno: 0 });
    expect(of(k, 'loader/stage-finished').map((e) => [e.stage, e.ok])).toEqual([
      ['module_sig_check', true], ['elf_validity_check', true], ['setup_load_info', true], ['blacklisted', true],
      ['rewrite_section_headers', true], ['check_modstruct_version', true], ['layout_and_allocate', true],
      ['add_unformed_module', true], ['find_module_sections', true], ['simplify_symbols', true], ['apply_relocations', true],
      ['post_relocation', true], ['ftrace_module_init', true], ['complete_formation', true], ['parse_args', true], ['do_init_module', true],
    ]);
    expect(k.modules.get('hello')?.state).toBe('MODULE_STATE_LIVE');
  });

  it('prints what Debian 6.1 prints for an out-of-tree, unsigned module, then the driver’s own line', () => {
    const k = boot();
    insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    const lines = k.log.records.map((r) => r.text);
    expect(lines.slice(0, 2)).toEqual([
      'hello: loading out-of-tree module taints kernel.',
      'hello: module verification failed: signature and/or required key missing - tainting kernel',
    ]);
    expect(lines[2]).toMatch(/^hello: loaded, major \d+$/);
    expect(k.taint).toBe((1 << 12) | (1 << 13)); // O and E: /proc/sys/kernel/tainted = 12288
  });

  it('resolves each imported symbol against the export table with its CRC', () => {
    const k = boot();
    insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    const resolved = of(k, 'loader/symbol-resolved').map((e) => e.name).sort();
    expect(resolved).toEqual(['__fentry__', '__register_chrdev', '__unregister_chrdev', '__x86_return_thunk', '_printk', 'simple_read_from_buffer'].sort());
  });

  it('patches every relocation with S + A or S + A − P and rewrites ftrace and return-thunk sites', () => {
    const k = boot();
    insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    const relocs = of(k, 'loader/reloc-applied');
    expect(relocs.length).toBeGreaterThan(10);
    expect(relocs.every((r) => r.ok && r.before.every((b) => b === 0))).toBe(true);
    const patched = of(k, 'loader/code-patched');
    expect(patched.some((p) => p.why === 'ftrace_module_init' && p.after.join() === [0x0f, 0x1f, 0x44, 0, 0].join())).toBe(true);
    expect(patched.some((p) => p.why === 'apply_returns' && p.after[0] === 0xc3)).toBe(true);
  });

  it('refuses a second load of the same module with EEXIST, as insmod reports it', () => {
    const k = boot();
    insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    const again = insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    expect(again).toEqual({ errno: -17, message: 'insmod: ERROR: could not insert module hello.ko: File exists' });
  });

  it('rejects an unsigned module when signatures are enforced', () => {
    const k = boot();
    const r = insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: { ...FLAGS, sigEnforce: true } });
    expect(r.errno).toBe(-129);
    expect(k.log.records.map((x) => x.text)).toEqual(['Loading of unsigned module is rejected']);
    expect(r.message).toBe('insmod: ERROR: could not insert module hello.ko: Key was rejected by service');
  });

  it('tells the whole load in plain sentences', () => {
    const k = boot();
    insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    const story = k.m.log.filter((e) => e.kind.startsWith('loader/')).map(sentence);
    expect(story[0]).toBe('load_module: module_sig_check passes (no valid signature: allowed, since signatures are not enforced).');
    expect(story.at(-1)).toBe('load_module: do_init_module passes (state MODULE_STATE_LIVE; init sections freed).');
  });
});

describe('module parameters (parse_args)', () => {
  it('sets count before init runs: insmod param.ko count=5 prints 5', () => {
    const k = boot();
    expect(insmod(k, 'param.ko', { file: sample('param.ko'), args: 'count=5', flags: FLAGS }).errno).toBe(0);
    expect(k.log.records.at(-1)?.text).toBe('param: count = 5');
  });

  it('keeps the default without a value, ignores unknown parameters with 6.1’s warning, refuses bad numbers', () => {
    const k = boot();
    insmod(k, 'param.ko', { file: sample('param.ko'), args: 'colour=red', flags: FLAGS });
    expect(k.log.records.map((r) => r.text).slice(-2)).toEqual(["param: unknown parameter 'colour' ignored", 'param: count = 1']);
    const bad = boot();
    const r = insmod(bad, 'param.ko', { file: sample('param.ko'), args: 'count=lots', flags: FLAGS });
    expect(r.message).toBe('insmod: ERROR: could not insert module param.ko: Invalid parameters');
    expect(bad.log.records.at(-1)?.text).toBe("param: `lots' invalid for parameter `count'");
  });
});

describe('modules that use each other', () => {
  it('importer calls exporter’s ring0_greet through the export table, and pins it', () => {
    const k = boot();
    insmod(k, 'exporter.ko', { file: sample('exporter.ko'), args: '', flags: FLAGS });
    expect(insmod(k, 'importer.ko', { file: sample('importer.ko'), args: '', flags: FLAGS }).errno).toBe(0);
    expect(k.log.records.map((r) => r.text).slice(-2)).toEqual(['exporter: hello, importer (call 1)', 'importer: loaded, ring0_greet returned 1']);
    expect(k.modules.get('importer')?.uses).toEqual(['exporter']);
    expect(k.modules.get('exporter')?.refcnt).toBe(1);
  });

  it('a GPL module may call a GPL-only export', () => {
    const k = boot();
    expect(insmod(k, 'gplonly.ko', { file: sample('gplonly.ko'), args: '', flags: FLAGS }).errno).toBe(0);
    expect(k.log.records.at(-1)?.text).toMatch(/^gplonly: loaded at \d+ ns since boot$/);
  });
});

describe('delete_module and /proc/modules', () => {
  it('lists a loaded module as m_show() does, then unloads it by running its exit code', () => {
    const k = boot();
    insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    // The real Debian 6.1 kernel printed exactly this line (tests/fixtures/real-kernel/hello-insmod.txt).
    expect(procModules(k)).toEqual(['hello 16384 0 - Live 0xffffffffc0201000 (OE)']);
    const major = [...k.chrdevs.devices.keys()][0];
    expect(deleteModuleCall(k, 'hello')).toBe(0);
    expect(k.log.records.at(-1)?.text).toBe('hello: unloaded');
    expect(k.chrdevs.devices.has(major!)).toBe(false);
    expect(procModules(k)).toEqual([]);
  });

  it('refuses to unload a module another one uses (-EWOULDBLOCK), and an unknown one (-ENOENT)', () => {
    const k = boot();
    insmod(k, 'exporter.ko', { file: sample('exporter.ko'), args: '', flags: FLAGS });
    insmod(k, 'importer.ko', { file: sample('importer.ko'), args: '', flags: FLAGS });
    expect(procModules(k)[1]).toMatch(/^exporter \d+ 1 importer, Live /);
    expect(deleteModuleCall(k, 'exporter')).toBe(-11);
    expect(deleteModuleCall(k, 'nosuch')).toBe(-2);
    expect(deleteModuleCall(k, 'importer')).toBe(0);
    expect(deleteModuleCall(k, 'exporter')).toBe(0);
  });
});

describe('loads that fail where 6.1 fails (public/samples/variants)', () => {
  const variant = (name: string) => new Uint8Array(readFileSync(`public/samples/variants/${name}`));
  const load = (file: Uint8Array, flags: Partial<LoadFlags> = {}) => {
    const k = boot();
    const r = insmod(k, 'x.ko', { file, args: '', flags: { ...FLAGS, ...flags } });
    const failed = of(k, 'loader/stage-finished').find((e) => !e.ok);
    return { r, stage: failed?.stage, lines: k.log.records.map((x) => x.text), k };
  };

  const cases: [string, string | undefined, number, RegExp][] = [
    ['not-elf.ko', 'elf_validity_check', -8, /^Invalid ELF header magic: != \u007fELF$/],
    ['truncated.ko', 'elf_validity_check', -8, /^Invalid ELF section header overflow$/],
    ['stripped.ko', 'setup_load_info', -8, /^hello: module has no symbols \(stripped\?\)$/],
    ['module-layout-crc.ko', 'check_modstruct_version', -8, /^hello: disagrees about version of symbol module_layout$/],
    ['vermagic-word.ko', 'layout_and_allocate', -8, /^hello: version magic '6\.1\.0-56-amd64 XMP preempt mod_unload modversions ' should be '6\.1\.0-56-amd64 SMP preempt mod_unload modversions '$/],
    ['crc-mismatch.ko', 'simplify_symbols', -22, /^hello: Unknown symbol _printk \(err -22\)$/],
    ['unknown-symbol.ko', 'simplify_symbols', -2, /^hello: Unknown symbol _prinTk \(err -2\)$/],
    ['gplonly-proprietary.ko', 'simplify_symbols', -2, /^gplonly: Unknown symbol ktime_get \(err -2\)$/],
  ];
  for (const [file, stage, errno, line] of cases) {
    it(`${file} fails at ${stage} with ${errno}`, () => {
      const { r, stage: at, lines } = load(variant(file));
      expect(r.errno).toBe(errno);
      expect(at).toBe(stage);
      expect(lines.some((l) => line.test(l))).toBe(true);
    });
  }

  it('a different release word alone passes: with __versions, same_magic() skips it', () => {
    expect(load(variant('vermagic-release.ko')).r.errno).toBe(0);
  });

  it('a proprietary licence taints P and says so before the symbol is refused', () => {
    const { lines, k } = load(variant('gplonly-proprietary.ko'));
    expect(lines).toContain("gplonly: module license 'Proprietary' taints kernel.");
    expect(k.taint & 1).toBe(1);
  });

  it('a module signed with a key the kernel does not hold loads as unsigned (-ENOKEY is tolerated)', () => {
    const { r, lines } = load(sample('signed.ko'));
    expect(r.errno).toBe(0);
    expect(lines).toContain('signed: module verification failed: signature and/or required key missing - tainting kernel');
  });

  it('under lockdown alone, an unsigned module is refused with EPERM and lockdown’s message', () => {
    const { r, lines } = load(sample('hello.ko'), { lockdown: true });
    expect(r.message).toBe('insmod: ERROR: could not insert module x.ko: Operation not permitted');
    expect(lines).toEqual(['Lockdown: insmod: unsigned module loading is restricted; see man kernel_lockdown.7']);
  });
});

describe('module signatures, verified (SHA-256 and RSA over PKCS#7)', () => {
  const enrolled = () => ({ ...FLAGS, keyring: emulatedBuiltinKeyring() });

  it('with the test key in the emulated keyring, signed.ko loads without the unsigned taint', () => {
    const k = boot();
    expect(insmod(k, 'signed.ko', { file: sample('signed.ko'), args: '', flags: enrolled() }).errno).toBe(0);
    expect(k.log.records.map((r) => r.text)).toEqual(['signed: loading out-of-tree module taints kernel.', 'signed: loaded']);
    expect(k.taint).toBe(1 << 12); // O only: 4096
  });

  it('a signature that does not verify is refused even when signatures are not enforced', () => {
    const k = boot();
    const r = insmod(k, 'signed-corrupt.ko', { file: new Uint8Array(readFileSync('public/samples/variants/signed-corrupt.ko')), args: '', flags: enrolled() });
    expect(r.message).toBe('insmod: ERROR: could not insert module signed-corrupt.ko: Key was rejected by service');
  });

  it('under module.sig_enforce=1 a trusted signature is enough', () => {
    const k = boot();
    expect(insmod(k, 'signed.ko', { file: sample('signed.ko'), args: '', flags: { ...enrolled(), sigEnforce: true } }).errno).toBe(0);
  });
});
